"""组织关系转接 and members out of contact (《教育管理条例》第二十五条).

A transfer is due when a member's unit or usual residence changes, or when they are away 6 months or more at
a fairly fixed place; until the receiving organisation accepts, the sending one stays responsible. The
introduction letter is valid 3 months by default (a setting); a receipt (回执) closes the transfer.

>>> letter_valid_until(date(2025, 11, 30))
datetime.date(2026, 2, 28)
>>> letter_valid(date(2025, 11, 30), date(2026, 2, 28)), letter_valid(date(2025, 11, 30), date(2026, 3, 1))
(True, False)
"""

from __future__ import annotations

from datetime import date

from .dates import add_months, require_date
from .sources import JIAOYU, Violation

__all__ = [
    "ACCEPT_TODO_DAYS",
    "AWAY_MONTHS",
    "LETTER_REMINDER_DAYS",
    "LETTER_VALID_MONTHS",
    "OUT_OF_CONTACT_MONTHS",
    "SOURCE",
    "away_long_enough",
    "letter_valid",
    "letter_valid_until",
    "out_of_contact_notice",
]

SOURCE = f"{JIAOYU}第二十五条"
LETTER_VALID_MONTHS = 3  # the introduction letter's validity (a setting)
AWAY_MONTHS = 6  # away this long or more at a fairly fixed place: the membership should move
OUT_OF_CONTACT_MONTHS = 6  # out of contact this long or more: the branch should consider 停止党籍
#: Plaza's practice, not the rulebook's (which sets no such days): the sending branch is reminded this many
#: days before a letter it issued expires without a receipt, and the receiving branch's to-do to accept an
#: incoming member is due this many days after the transfer starts (until it accepts, the sending one stays
#: responsible, 《教育管理条例》第二十五条).
LETTER_REMINDER_DAYS = 14
ACCEPT_TODO_DAYS = 30


def _months(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"months must be a whole number of at least 1, got {value!r}")
    return value


def letter_valid_until(issued_on: date, *, months: int = LETTER_VALID_MONTHS) -> date:
    """The last day an introduction letter issued on ``issued_on`` is valid: issued_on + ``months``."""
    return add_months(require_date(issued_on, "issued_on"), _months(months))


def letter_valid(issued_on: date, on: date, *, months: int = LETTER_VALID_MONTHS) -> bool:
    """Whether the letter is valid on ``on``: from the day it is issued to :func:`letter_valid_until`."""
    require_date(on, "on")
    return issued_on <= on <= letter_valid_until(issued_on, months=months)


def away_long_enough(away_since: date, on: date) -> bool:
    """Whether a member away at a fairly fixed place since ``away_since`` has been away 6 months or more on
    ``on``, so that the membership should be transferred.

    >>> away_long_enough(date(2025, 8, 31), date(2026, 2, 27)), away_long_enough(date(2025, 8, 31), date(2026, 2, 28))
    (False, True)
    """
    require_date(away_since, "away_since")
    return require_date(on, "on") >= add_months(away_since, AWAY_MONTHS)


def out_of_contact_notice(last_contact: date, on: date) -> Violation | None:
    """A reminder for the branch when a member has been out of contact 6 months or more on ``on``; Plaza
    only reminds, the branch decides whether to 停止党籍.

    >>> out_of_contact_notice(date(2025, 1, 15), date(2025, 7, 14)) is None
    True
    >>> out_of_contact_notice(date(2025, 1, 15), date(2025, 7, 15)).code
    'out_of_contact'
    """
    require_date(last_contact, "last_contact")
    since = add_months(last_contact, OUT_OF_CONTACT_MONTHS)
    if require_date(on, "on") < since:
        return None
    return Violation(
        SOURCE,
        (
            f"该党员自 {last_contact.isoformat()} 起与党组织失去联系，"
            f"已满{OUT_OF_CONTACT_MONTHS}个月（{since.isoformat()}）：请支部研究是否停止党籍，系统仅作提醒 ({SOURCE})"
        ),
        "out_of_contact",
    )
