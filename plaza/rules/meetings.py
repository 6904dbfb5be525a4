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

from .dates import add_months, require_date
from .sources import LOCAL, XIZE, ZHIBU

__all__ = [
    "KINDS",
    "LABELS",
    "MAKEUP_DAYS",
    "PERIOD_MONTHS",
    "RULES",
    "Resolution",
    "branch_resolution",
    "committee_quorate",
    "MISSING_WARNING_DAYS",
    "missing_warning_from",
    "missing",
    "period_of",
    "periods",
    "LEAGUE_KINDS",
    "LEAGUE_LABELS",
    "LEAGUE_PERIOD_MONTHS",
    "LEAGUE_RULES",
    "SANHUI_LIANGZHI",
    "TUANZHANG",
    "league_missing",
    "league_period_of",
]

#: The kinds of meeting, in the order ``missing`` lists them within one period.
KINDS: tuple[str, ...] = ("general_meeting", "committee", "group", "lecture", "theme_day", "life_meeting")

#: How often each kind must be held at least, as the length of its calendar period in months.
PERIOD_MONTHS: dict[str, int] = {
    "general_meeting": 3,  # 支部党员大会: once a quarter
    "committee": 1,  # 支部委员会: once a month
    "group": 1,  # 党小组会: once a month
    "lecture": 3,  # 党课: once a quarter (local practice, a setting)
    "theme_day": 1,  # 主题党日: once a month, on a fixed day
    "life_meeting": 12,  # 组织生活会: once a year, generally in the fourth quarter
}
#: 补学: absentees and those on leave make up the study within this many days of the meeting (Plaza's default;
#: local practice, a setting of the organisation: ``plaza.rules.local``).
MAKEUP_DAYS = 30
#: How long before a period ends a branch is warned that a required meeting is neither held nor planned: a week
#: for a monthly meeting, two weeks for a quarterly or yearly one. Plaza's reminder practice, not a rule of the
#: rulebook (which sets only the periods); by the length of the period in months.
MISSING_WARNING_DAYS: dict[int, int] = {1: 7, 3: 14, 12: 14}
LABELS: dict[str, str] = {
    "general_meeting": "支部党员大会",
    "committee": "支部委员会",
    "group": "党小组会",
    "lecture": "党课",
    "theme_day": "主题党日",
    "life_meeting": "组织生活会",
}
RULES: dict[str, str] = {kind: ZHIBU for kind in KINDS} | {"lecture": f"{ZHIBU}；{LOCAL}"}


def _count(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a whole number of at least 0, got {value!r}")
    return value


@dataclass(frozen=True)
class Resolution:
    """The outcome of a vote at a branch general meeting."""

    entitled: int
    present: int
    yes: int
    quorate: bool
    passed: bool
    rule: str = f"{XIZE}第二十条；{ZHIBU}第十一条"


def branch_resolution(*, entitled: int, present: int, yes: int) -> Resolution:
    """A branch general meeting may vote when more than half of the members entitled to vote are present
    (present × 2 > entitled); a resolution passes when it is quorate and the yes votes are more than half of
    those *entitled* (yes × 2 > entitled) (《细则》第二十条, 《支部条例》第十一条).

    For admission and conversion only full members vote, and written opinions handed in by absent members
    count: the caller includes them in ``yes``, which may therefore exceed ``present`` but not ``entitled``.

    >>> r = branch_resolution(entitled=10, present=5, yes=5)
    >>> r.quorate, r.passed
    (False, False)
    >>> branch_resolution(entitled=10, present=6, yes=5).passed
    False
    """
    _count("entitled", entitled)
    _count("present", present)
    _count("yes", yes)
    if present > entitled:
        raise ValueError(f"present ({present}) cannot exceed entitled ({entitled})")
    if yes > entitled:
        raise ValueError(f"yes votes ({yes}) cannot exceed the members entitled to vote ({entitled})")
    quorate = present * 2 > entitled
    return Resolution(entitled, present, yes, quorate, quorate and yes * 2 > entitled)


def committee_quorate(*, members: int, present: int) -> bool:
    """A branch committee meeting needs half of its members or more present (《支部条例》).

    "半数以上" includes half itself, as the rulebook reads "以上": present × 2 ≥ members.

    >>> committee_quorate(members=5, present=2), committee_quorate(members=5, present=3)
    (False, True)
    >>> committee_quorate(members=4, present=2)
    True
    """
    _count("members", members)
    _count("present", present)
    if members < 1:
        raise ValueError("a committee has at least one member")
    if present > members:
        raise ValueError(f"present ({present}) cannot exceed members ({members})")
    return present * 2 >= members


def missing_warning_from(kind: str, period_last: date) -> date:
    """The first day the branch is warned about a period of ``kind`` ending on ``period_last`` with no meeting.

    >>> missing_warning_from("committee", date(2025, 1, 31)), missing_warning_from("lecture", date(2025, 3, 31))
    (datetime.date(2025, 1, 24), datetime.date(2025, 3, 17))
    """
    require_date(period_last, "period_last")
    return period_last - timedelta(days=MISSING_WARNING_DAYS[_period_months(kind)])


def _period_months(kind: object) -> int:
    try:
        return PERIOD_MONTHS[kind]  # type: ignore[index]
    except (KeyError, TypeError):
        raise ValueError(f"unknown meeting kind {kind!r}; expected one of {', '.join(KINDS)}") from None


def period_of(kind: str, day: date) -> tuple[date, date]:
    """The calendar month, quarter or year (by ``kind``) that contains ``day``: (first day, last day).

    >>> period_of("lecture", date(2025, 5, 17))
    (datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
    """
    return _period_containing(_period_months(kind), day)


def _period_containing(months: int, day: date) -> tuple[date, date]:
    """The calendar period of ``months`` months (1, 3 or 12) that contains ``day``: (first day, last day)."""
    require_date(day, "day")
    first = date(day.year, (day.month - 1) // months * months + 1, 1)
    return first, add_months(first, months) - timedelta(days=1)


def periods(kind: str, start: date, end: date) -> list[tuple[date, date]]:
    """The periods of ``kind`` lying wholly inside [start, end], in order.

    >>> periods("general_meeting", date(2025, 1, 2), date(2025, 9, 30))
    [(datetime.date(2025, 4, 1), datetime.date(2025, 6, 30)), (datetime.date(2025, 7, 1), datetime.date(2025, 9, 30))]
    """
    months = _period_months(kind)
    require_date(start, "start")
    require_date(end, "end")
    if end < start:
        raise ValueError(f"end ({end}) is before start ({start})")
    found = []
    first, last = period_of(kind, start)
    if first < start:  # the period around start is only partly inside: begin with the next one
        first = add_months(first, months)
        last = add_months(first, months) - timedelta(days=1)
    while last <= end:
        found.append((first, last))
        first = add_months(first, months)
        last = add_months(first, months) - timedelta(days=1)
    return found


def missing(held: Iterable[tuple[str, date]], start: date, end: date) -> list[tuple[str, date, date]]:
    """Every required period lying wholly inside [start, end] with no meeting of its kind (《支部条例》).

    Returns (kind, period_first_day, period_last_day), sorted by the period's first day, then by kind in the
    order of ``KINDS`` (general_meeting, committee, group, lecture, theme_day, life_meeting). A meeting counts
    for the period of its kind that contains its date. ValueError for an unknown kind in ``held``.
    """
    done = set()
    for kind, day in held:
        done.add((kind, period_of(kind, day)[0]))
    gaps = [
        (kind, first, last) for kind in KINDS for first, last in periods(kind, start, end) if (kind, first) not in done
    ]
    return sorted(gaps, key=lambda gap: (gap[1], KINDS.index(gap[0])))


# 团的组织生活 ---------------------------------------------------------------------------------------------------
# The League's meetings are not the Party's: they never count toward ``missing`` (above), and the Party's never
# count here. Sources: 《中国共产主义青年团章程》 (团的基层组织 hold 团员大会, the 委员会 in between, and
# organise 团员 study; 团员 take part in 组织生活 and the 民主评议), and the 团支部 "三会两制一课" system of the
# League's organisation work (三会: 团员大会, 团支部委员会, 团小组会; 两制: 团员教育评议制度, 团员年度团籍注册制度;
# 一课: 团课), which says: "一般情况下，团支部每季度召开一次团员大会、上一次团课，每月召开一次支委会、一次团小组会";
# 团员教育评议 (民主评议团员) once a year. 主题团日 has no fixed frequency in these sources: not required here.
# 团小组会 is not a kind in Plaza (the League tree has no 团小组 level; "团员人数较少的团支部可不划分团小组").

#: 《团章》 and the 团支部 "三会两制一课" system.
TUANZHANG = "《团章》"
SANHUI_LIANGZHI = "团支部“三会两制一课”制度"

#: The League's kinds that have a required frequency, in the order ``league_missing`` lists them in one period.
LEAGUE_KINDS: tuple[str, ...] = ("league_meeting", "league_committee", "league_lecture", "league_life")
#: Each League kind's period in months (a 团支部 holds at least one meeting of the kind per period).
LEAGUE_PERIOD_MONTHS: dict[str, int] = {
    "league_meeting": 3,  # 团员大会: once a quarter
    "league_committee": 1,  # 团支部委员会: once a month
    "league_lecture": 3,  # 团课: once a quarter
    "league_life": 12,  # 组织生活会 with 民主评议团员 (团员教育评议制度): once a year
}
LEAGUE_LABELS: dict[str, str] = {
    "league_meeting": "团员大会",
    "league_committee": "团支部委员会",
    "league_lecture": "团课",
    "league_life": "组织生活会（民主评议团员）",
}
LEAGUE_RULES: dict[str, str] = {kind: f"{TUANZHANG}；{SANHUI_LIANGZHI}" for kind in LEAGUE_KINDS}


def _league_months(kind: object) -> int:
    try:
        return LEAGUE_PERIOD_MONTHS[kind]  # type: ignore[index]
    except (KeyError, TypeError):
        raise ValueError(f"unknown League meeting kind {kind!r}; expected one of {', '.join(LEAGUE_KINDS)}") from None


def league_period_of(kind: str, day: date) -> tuple[date, date]:
    """The calendar month, quarter or year of a League ``kind`` that contains ``day``: (first day, last day).

    >>> league_period_of("league_meeting", date(2025, 5, 17))
    (datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
    """
    return _period_containing(_league_months(kind), day)


def league_missing(held: Iterable[tuple[str, date]], start: date, end: date) -> list[tuple[str, date, date]]:
    """Every required League period lying wholly inside [start, end] with no meeting of its kind
    (团支部 "三会两制一课"). Like :func:`missing`, for the League's kinds: (kind, first day, last day), sorted by
    the period's first day, then by kind in the order of ``LEAGUE_KINDS``. Kinds in ``held`` that have no
    required frequency (主题团日, the Party's kinds, the union's) are ignored: they neither count nor fail.

    >>> gaps = league_missing([("league_committee", date(2025, 1, 10)), ("committee", date(2025, 2, 3))],
    ...                       date(2025, 1, 1), date(2025, 2, 28))
    >>> [f"{kind} {first:%m}" for kind, first, last in gaps]
    ['league_committee 02']
    >>> len(league_missing([], date(2025, 1, 1), date(2025, 12, 31)))
    21
    """
    require_date(start, "start")
    require_date(end, "end")
    if end < start:
        raise ValueError(f"end ({end}) is before start ({start})")
    done = {(kind, league_period_of(kind, day)[0]) for kind, day in held if kind in LEAGUE_PERIOD_MONTHS}
    gaps = []
    for kind in LEAGUE_KINDS:
        months = LEAGUE_PERIOD_MONTHS[kind]
        first = league_period_of(kind, start)[0]
        if first < start:
            first = add_months(first, months)
        while (last := add_months(first, months) - timedelta(days=1)) <= end:
            if (kind, first) not in done:
                gaps.append((kind, first, last))
            first = add_months(first, months)
    return sorted(gaps, key=lambda gap: (gap[1], LEAGUE_KINDS.index(gap[0])))
