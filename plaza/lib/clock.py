"""Today's date and the current time for procedures.

``PLAZA_TODAY`` (a setting, e.g. for a demo or a browser test that walks a procedure through two years) fixes
the date; otherwise it is the local date. ``now()`` is the current local time of day on that date, so a
deadline, a sign-in window and the day it falls on always agree. Every "today" and "now" in ``plaza/`` goes
through here (``date.today()``, ``timezone.now()`` and ``timezone.localdate()`` would ignore the setting).
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_date


def fixed_day() -> date | None:
    """The day ``PLAZA_TODAY`` fixes, or None when the real date is used."""
    fixed = getattr(settings, "PLAZA_TODAY", "")
    if not fixed:
        return None
    parsed = fixed if isinstance(fixed, date) else parse_date(str(fixed))
    if parsed is None:
        raise ValueError(f"PLAZA_TODAY is not a date: {fixed!r}")
    return parsed


def today() -> date:
    return fixed_day() or timezone.localdate()


def now() -> datetime:
    """An aware datetime: the real time, or the current local time of day on the day ``PLAZA_TODAY`` fixes."""
    current = timezone.now()
    fixed = fixed_day()
    if fixed is None:
        return current
    return timezone.make_aware(datetime.combine(fixed, timezone.localtime(current).time()))


def real_now() -> datetime:
    """The real time even when ``PLAZA_TODAY`` fixes the day: for windows of elapsed time measured against rows
    stamped by the database's own clock (posting rate limits), which a fixed demo day must not stretch."""
    return timezone.now()
