"""Service levels of E线声音 and of union 提案 (rulebook section 8, "Working days and service levels").

Every figure counts working days (``plaza.rules.workdays``) except the reopening window, and every one is
本单位规定: an organisation may set its own in ``plaza.localrules`` (keys ``voice.*`` in ``plaza.rules.local``);
these are the rulebook's defaults, "after the 12345 hotline norms".

>>> from datetime import date
>>> deadline(date(2026, 9, 30), ACKNOWLEDGE_DAYS)  # National Day: 10-01..10-07 off, then 10-08 and 10-09
datetime.date(2026, 10, 9)
>>> late(date(2026, 10, 10), date(2026, 10, 9)), late(date(2026, 10, 9), date(2026, 10, 9))
(True, False)
"""

from __future__ import annotations

from datetime import date, timedelta

from . import workdays
from .sources import LOCAL

__all__ = [
    "ACKNOWLEDGE_DAYS",
    "ANSWER_DAYS",
    "EXTENSION_MAX_DAYS",
    "PROPOSAL_ANSWER_DAYS",
    "PROPOSAL_MIN_COSIGNERS",
    "REOPEN_DAYS",
    "RETURN_DAYS",
    "SOURCE",
    "deadline",
    "late",
    "reopen_until",
]

SOURCE = f"{LOCAL}（规则手册第 8 节，参照 12345 热线规范）"

#: Acknowledge (受理) within 2 working days of receipt.
ACKNOWLEDGE_DAYS = 2
#: Answer within 5 working days of acceptance.
ANSWER_DAYS = 5
#: One extension of at most 10 more working days, with a reason.
EXTENSION_MAX_DAYS = 10
#: A misrouted item goes back within 2 working days of receipt.
RETURN_DAYS = 2
#: The submitter may reopen an answered item within 7 (calendar) days of the answer.
REOPEN_DAYS = 7
#: Union 提案: answered within 20 working days of the 职代会's decision to accept it (立案).
PROPOSAL_ANSWER_DAYS = 20
#: A proposal counts once at least two co-signers (附议人) have signed it (issue 16; union practice).
PROPOSAL_MIN_COSIGNERS = 2


def deadline(start: date, days: int, *, closed: frozenset[date] = frozenset()) -> date:
    """The last day of "within ``days`` working days of ``start``" (``start`` itself not counted)."""
    return workdays.add_working_days(start, days, closed=closed)


def late(today: date, due: date | None) -> bool:
    """Whether a deadline has passed: the due day itself is still in time."""
    return due is not None and today > due


def reopen_until(answered_on: date, days: int = REOPEN_DAYS) -> date:
    """The last day the submitter may reopen an item answered on ``answered_on``."""
    return answered_on + timedelta(days=days)
