"""The activities pass: remind everyone confirmed for an activity starting later today or tomorrow. Takes an
explicit moment; idempotent (each sign-up is marked when reminded), so the embedded scheduler's daily run,
Celery beat's hourly run and a manual run never tell anyone twice."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from . import services


def activities_sweep(now: datetime) -> dict[str, int]:
    """Reminders due at ``now`` (an aware datetime)."""
    return {"reminded": services.remind_due(now)}


def activities_daily(today: date) -> dict[str, int]:
    """The daily form for ``plaza.core.scheduler``: the sweep at the start of ``today``, which reminds the
    people of today's and tomorrow's activities."""
    return activities_sweep(timezone.make_aware(datetime.combine(today, datetime.min.time())))
