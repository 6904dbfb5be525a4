"""组织生活 and branch resolutions (《支部条例》, 《细则》第二十条).

>>> branch_resolution(entitled=30, present=16, yes=16).passed
True
>>> branch_resolution(entitled=30, present=16, yes=15).passed
False
>>> gaps = missing([("committee", date(2025, 1, 10))], date(2025, 1, 1), date(2025, 2, 28))
>>> [f"{kind} {first:%m}" for kind, first, last in gaps]
['group 01', 'theme_day 01', 'committee 02', 'group 02', 'theme_day 02']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from .dates import add_months
from .sources import XIZE, ZHIBU


@dataclass(frozen=True)
class Resolution:
    entitled: int
    present: int
    yes: int
    quorate: bool
    passed: bool
    rule: str = f"{XIZE}第二十条；{ZHIBU}第十一条"


def branch_resolution(*, entitled: int, present: int, yes: int) -> Resolution:
    """A general meeting may vote when more than half of those entitled are present (present × 2 > entitled);
    a resolution passes when yes votes are more than half of those *entitled* (yes × 2 > entitled).
    Written opinions of absent members are counted by the caller in ``yes`` (《细则》第二十条)."""
    for name, value in (("entitled", entitled), ("present", present), ("yes", yes)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"{name} must be a whole number of at least 0")
    if present > entitled:
        raise ValueError("more present than entitled")
    if yes > entitled:
        raise ValueError("more yes votes than members entitled to vote")
    quorate = present * 2 > entitled
    return Resolution(entitled, present, yes, quorate, quorate and yes * 2 > entitled)


#: How often each kind of meeting must be held, in months (《支部条例》; 党课 quarterly is local practice).
#: The order here is the order ``missing`` lists kinds within one period.
PERIOD_MONTHS: dict[str, int] = {
    "general_meeting": 3,  # 支部党员大会: once a quarter
    "committee": 1,  # 支部委员会: once a month
    "group": 1,  # 党小组会: once a month
    "lecture": 3,  # 党课: once a quarter
    "theme_day": 1,  # 主题党日: once a month
    "life_meeting": 12,  # 组织生活会: once a year, generally in the fourth quarter
}
KIND_ORDER = {kind: index for index, kind in enumerate(PERIOD_MONTHS)}
LABELS = {
    "general_meeting": "支部党员大会",
    "committee": "支部委员会",
    "group": "党小组会",
    "lecture": "党课",
    "theme_day": "主题党日",
    "life_meeting": "组织生活会",
}


def period_of(kind: str, day: date) -> tuple[date, date]:
    """The calendar month, quarter or year of ``kind`` containing ``day``."""
    months = _months(kind)
    first_month = ((day.month - 1) // months) * months + 1
    first = date(day.year, first_month, 1)
    return first, add_months(first, months) - timedelta(days=1)


def missing(held: Iterable[tuple[str, date]], start: date, end: date) -> list[tuple[str, date, date]]:
    """Every required period lying wholly inside [start, end] with no meeting of its kind.

    Returns (kind, period_first_day, period_last_day), sorted by period first day, then by the kind order of
    ``PERIOD_MONTHS``.
    """
    if end < start:
        raise ValueError("end is before start")
    done: set[tuple[str, date]] = set()
    for kind, day in held:
        done.add((kind, period_of(kind, day)[0]))
    gaps = []
    for kind in PERIOD_MONTHS:
        first, last = period_of(kind, start)
        while last <= end:
            if first >= start and (kind, first) not in done:
                gaps.append((kind, first, last))
            first = add_months(first, PERIOD_MONTHS[kind])
            last = add_months(first, PERIOD_MONTHS[kind]) - timedelta(days=1)
    return sorted(gaps, key=lambda gap: (gap[1], KIND_ORDER[gap[0]]))


def _months(kind: str) -> int:
    try:
        return PERIOD_MONTHS[kind]
    except KeyError:
        raise ValueError(f"unknown meeting kind {kind!r}; expected one of {', '.join(PERIOD_MONTHS)}") from None
