"""Today's date for procedures. ``PLAZA_TODAY`` (a setting, e.g. for a demo or a browser test that walks a
procedure through two years) fixes it; otherwise it is the local date."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_date


def today() -> date:
    fixed = getattr(settings, "PLAZA_TODAY", "")
    if fixed:
        parsed = fixed if isinstance(fixed, date) else parse_date(str(fixed))
        if parsed is None:
            raise ValueError(f"PLAZA_TODAY is not a date: {fixed!r}")
        return parsed
    return timezone.localdate()
