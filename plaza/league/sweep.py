"""The daily pass of 共青团: reminders a month before a member without a League post turns 28 (《团章》第一条).
Idempotent and set-based; run by ``core.scheduler`` and Celery beat with an explicit date."""

from __future__ import annotations

from datetime import date

from .services import AgeReminderResult, remind_turning_28


def league_sweep(today: date) -> AgeReminderResult:
    """Everything the League's day needs: today, the age-28 reminders."""
    return remind_turning_28(today)
