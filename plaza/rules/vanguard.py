"""Timing of 支部先锋行动 milestones and 师带徒 check-ins: when a reminder is due, how late a milestone is and to
whom a late one is reported. No Party rule fixes these figures, so each is local practice
(:data:`~plaza.rules.sources.LOCAL`, 本单位规定): the defaults below, set per organisation through
``plaza.rules.local`` keys ``vanguard.*`` and ``studios.*``.

>>> from datetime import date
>>> int(escalation_level(0, secretary_after=1, committee_after=10))
0
>>> int(escalation_level(1, secretary_after=1, committee_after=10))
1
>>> int(escalation_level(12, secretary_after=1, committee_after=10))
2
>>> days_late(date(2026, 3, 6), date(2026, 3, 9), working_days=False)
3
>>> days_late(date(2026, 3, 6), date(2026, 3, 9), working_days=True)  # Friday to Monday: one working day
1
>>> missed_check_in_month(date(2026, 3, 1), date(2026, 4, 6), grace_days=5)
True
>>> missed_check_in_month(date(2026, 3, 1), date(2026, 4, 5), grace_days=5)
False
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import IntEnum

from . import workdays
from .sources import LOCAL

__all__ = [
    "CHECK_IN_GRACE_DAYS",
    "COUNT_WORKING_DAYS",
    "ESCALATE_COMMITTEE_DAYS",
    "ESCALATE_SECRETARY_DAYS",
    "REMIND_DAYS_BEFORE",
    "SOURCE",
    "Escalation",
    "days_late",
    "escalation_level",
    "missed_check_in_month",
    "month_start",
    "previous_month",
    "remind_on",
]

SOURCE = LOCAL
#: Days before a milestone's date that its owner and the project lead are reminded (本单位规定).
REMIND_DAYS_BEFORE = 3
#: Days late (counted after the milestone's date) before a milestone is reported to the branch secretary.
ESCALATE_SECRETARY_DAYS = 1
#: Days late before it is reported on to the 党委 (the committee's 组织部).
ESCALATE_COMMITTEE_DAYS = 10
#: Whether the days above are working days (1) or calendar days (0).
COUNT_WORKING_DAYS = 1
#: Days after a month's end by which mentor and apprentice must each have recorded that month's check-in.
CHECK_IN_GRACE_DAYS = 5


class Escalation(IntEnum):
    """To whom a late milestone has been reported: nobody yet, the branch secretary, the committee."""

    NONE = 0
    SECRETARY = 1
    COMMITTEE = 2


def days_late(due: date, today: date, *, working_days: bool) -> int:
    """Days after ``due`` up to and including ``today`` (0 when not late); working days when asked."""
    if today <= due:
        return 0
    if working_days:
        return workdays.working_days_between(due, today)
    return (today - due).days


def escalation_level(late: int, *, secretary_after: int, committee_after: int) -> Escalation:
    """Where a milestone ``late`` days late belongs: the committee from ``committee_after`` days, the branch
    secretary from ``secretary_after`` days (本单位规定)."""
    if late >= committee_after:
        return Escalation.COMMITTEE
    if late >= secretary_after:
        return Escalation.SECRETARY
    return Escalation.NONE


def remind_on(due: date, days_before: int, *, working_days: bool) -> date:
    """The day the reminder of a milestone due on ``due`` is sent (never before the day it was set)."""
    if not working_days:
        return due - timedelta(days=days_before)
    day, left = due, days_before
    while left > 0:
        day -= timedelta(days=1)
        if workdays.is_working_day(day):
            left -= 1
    return day


def month_start(day: date) -> date:
    return day.replace(day=1)


def previous_month(day: date) -> date:
    """The first day of the month before ``day``'s month."""
    return (month_start(day) - timedelta(days=1)).replace(day=1)


def missed_check_in_month(month: date, today: date, *, grace_days: int) -> bool:
    """Whether a check-in for ``month`` (its first day) not yet recorded on ``today`` is overdue: the month
    ended more than ``grace_days`` days ago."""
    next_month = (month_start(month) + timedelta(days=32)).replace(day=1)
    return today >= next_month + timedelta(days=grace_days)
