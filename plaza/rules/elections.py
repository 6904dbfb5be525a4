"""换届选举: terms, candidates, quorum and counting (《党章》第三十一条, 《任期意见》, 《选举条例》).

>>> min_candidates(5), min_candidates(7)
(6, 9)
>>> t = tally(seats=2, entitled=10, present=9, ballots=[["甲", "乙"]] * 6 + [["甲"]] * 3)
>>> t.quorate, t.elected, t.votes, t.runoff, t.unfilled
(True, ['甲', '乙'], {'甲': 9, '乙': 6}, [], 0)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .dates import add_months, add_years, require_date
from .sources import DANGZHANG, LOCAL, RENQI, XUANJU

__all__ = [
    "REMIND_MONTHS_BEFORE",
    "REPORT_MONTHS_AFTER",
    "REQUEST_MONTHS_BEFORE",
    "TERM_YEARS",
    "Tally",
    "TermReminder",
    "TermStatus",
    "ballot_is_valid",
    "is_quorate",
    "min_candidates",
    "result_report_due",
    "shift_window",
    "tally",
    "tally_counts",
    "term_end",
    "term_reminders",
    "term_status",
    "term_years",
]

#: Term in years by body (《任期意见》); the constitution allows 3 to 5, so it is a setting of each organisation.
TERM_YEARS: dict[str, int] = {"committee": 5, "general_branch": 3, "branch": 3}
TERM_YEARS_RANGE = (3, 5)  # 《党章》第三十一条
REMIND_MONTHS_BEFORE = 6  # the upper organisation reminds 6 months before the term ends
REQUEST_MONTHS_BEFORE = 2  # the 换届请示 should be in 2 months before (local practice, a setting)
REPORT_MONTHS_AFTER = 1  # the result is reported within 1 month (a setting)
MAX_SHIFT_YEARS = 1  # bringing an election forward or putting it off: at most 1 year, with approval


def _whole(name: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name} must be a whole number of at least {minimum}, got {value!r}")
    return value


def _attendance(entitled: int, present: int) -> None:
    _whole("entitled", entitled, 0)
    _whole("present", present, 0)
    if present > entitled:
        raise ValueError(f"present ({present}) cannot exceed entitled ({entitled})")


def min_candidates(seats: int) -> int:
    """The fewest candidates for a committee of ``seats``: seats + ceil(seats × 0.2) (《选举条例》).

    Committee elections are differential; 书记 and 副书记 are elected with as many candidates as seats.

    >>> [min_candidates(n) for n in (1, 3, 5, 6, 9, 10, 11)]
    [2, 4, 6, 8, 11, 12, 14]
    """
    _whole("seats", seats, 1)
    return seats + (seats + 4) // 5  # (seats + 4) // 5 is ceil(seats / 5), in whole numbers


def is_quorate(*, entitled: int, present: int) -> bool:
    """Voting members present are more than 4/5 of those entitled: present × 5 > entitled × 4 (《选举条例》).

    >>> is_quorate(entitled=10, present=8), is_quorate(entitled=10, present=9)
    (False, True)
    """
    _attendance(entitled, present)
    return present * 5 > entitled * 4


def _names(ballot: Sequence[str]) -> list[str]:
    if isinstance(ballot, str):
        raise ValueError(f"a ballot is a sequence of names, not the string {ballot!r}")
    names = []
    for name in ballot:
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"a name on a ballot must be a non-empty string, got {name!r}; a blank ballot is []")
        names.append(name.strip())
    return names


def ballot_is_valid(ballot: Sequence[str], seats: int) -> bool:
    """A ballot naming at most ``seats`` people, nobody twice, is valid; a blank ballot is valid (《选举条例》).

    Names are compared after stripping surrounding spaces; a write-in (另选他人) is a name like any other.

    >>> ballot_is_valid(["甲", "乙"], 2), ballot_is_valid(["甲", "乙", "丙"], 2), ballot_is_valid(["甲", " 甲"], 2)
    (True, False, False)
    >>> ballot_is_valid([], 2)
    True
    """
    _whole("seats", seats, 1)
    names = _names(ballot)
    return len(names) <= seats and len(set(names)) == len(names)


@dataclass(frozen=True)
class Tally:
    """The count of one vote. ``notes`` explain in Chinese what must happen next, with the source."""

    seats: int
    entitled: int
    present: int
    issued: int
    returned: int
    quorate: bool
    void: bool
    valid: int
    invalid: int
    votes: dict[str, int]
    elected: list[str]
    runoff: list[str]
    runoff_seats: int
    unfilled: int
    rule: str = XUANJU
    notes: list[str] = field(default_factory=list)

    @property
    def threshold(self) -> int:
        """The fewest votes that can elect: more than half of the voting members present."""
        return self.present // 2 + 1


def tally(
    *, seats: int, entitled: int, present: int, ballots: Sequence[Sequence[str]], issued: int | None = None
) -> Tally:
    """Count a vote (《选举条例》).

    - Quorum: present × 5 > entitled × 4. Void: more ballots came back than were issued (``issued``
      defaults to ``present``). When not quorate or void, nobody is elected and ``unfilled == seats``.
    - A ballot naming more people than the seats, or the same person twice, is invalid; a blank one is valid.
    - ``votes``: yes votes per person on valid ballots (write-ins included), most first, then by name.
    - Elected: votes × 2 > present, most votes first (then name order), up to the seats. When people tied
      at the last seat(s) would overfill the seats, they all go to a run-off (``runoff``, in name order)
      for ``runoff_seats`` seats. Seats that nobody passing the threshold can fill are ``unfilled``
      (另行选举).

    >>> t = tally(seats=2, entitled=10, present=10, ballots=[["甲", "乙"]] * 4 + [["甲", "丙"]] * 4 + [["甲"]] * 2)
    >>> t.elected, t.runoff, t.runoff_seats, t.unfilled
    (['甲'], [], 0, 1)
    >>> ballots = [["甲", "乙"]] * 4 + [["甲", "丙"]] * 4 + [["乙", "丙"]] * 2
    >>> t = tally(seats=2, entitled=10, present=10, ballots=ballots)
    >>> t.elected, t.runoff, t.runoff_seats, t.unfilled
    (['甲'], ['丙', '乙'], 1, 0)
    """
    _whole("seats", seats, 1)
    _attendance(entitled, present)
    issued = present if issued is None else _whole("issued", issued, 0)
    if issued > present:
        raise ValueError(f"issued ({issued}) cannot exceed present ({present}): one ballot per voter present")
    if isinstance(ballots, str):
        raise ValueError("ballots must be a sequence of ballots, each a sequence of names")
    counted = [_names(ballot) for ballot in ballots]
    valid_ballots = [names for names in counted if len(names) <= seats and len(set(names)) == len(names)]
    counter = Counter(name for names in valid_ballots for name in names)
    return _decide(
        seats=seats,
        entitled=entitled,
        present=present,
        issued=issued,
        returned=len(counted),
        valid=len(valid_ballots),
        votes=dict(counter),
    )


def tally_counts(
    *,
    seats: int,
    entitled: int,
    present: int,
    returned: int,
    invalid: int,
    votes: Mapping[str, int],
    issued: int | None = None,
) -> Tally:
    """Count a paper vote from the tellers' totals (唱票): ballots returned, invalid ballots, and yes votes per
    person on the valid ones. Decides exactly as :func:`tally` does.

    >>> t = tally_counts(seats=2, entitled=10, present=10, returned=10, invalid=0, votes={"甲": 10, "乙": 6, "丙": 4})
    >>> t.elected, t.valid
    (['甲', '乙'], 10)
    >>> tally_counts(seats=1, entitled=10, present=10, returned=10, invalid=0, votes={"甲": 11})
    Traceback (most recent call last):
    ...
    ValueError: 甲 has 11 votes but there are only 10 valid ballots
    """
    _whole("seats", seats, 1)
    _attendance(entitled, present)
    issued = present if issued is None else _whole("issued", issued, 0)
    if issued > present:
        raise ValueError(f"issued ({issued}) cannot exceed present ({present}): one ballot per voter present")
    returned, invalid = _whole("returned", returned, 0), _whole("invalid", invalid, 0)
    if invalid > returned:
        raise ValueError(f"invalid ({invalid}) cannot exceed the ballots returned ({returned})")
    valid = returned - invalid
    clean: dict[str, int] = {}
    for name, count in votes.items():
        name = _names([name])[0]
        count = _whole(f"votes for {name}", count, 0)
        if count > valid:
            raise ValueError(f"{name} has {count} votes but there are only {valid} valid ballots")
        if count:
            clean[name] = clean.get(name, 0) + count
    if sum(clean.values()) > valid * seats:
        raise ValueError(f"{sum(clean.values())} votes cannot come from {valid} valid ballots of {seats} names")
    return _decide(
        seats=seats, entitled=entitled, present=present, issued=issued, returned=returned, valid=valid, votes=clean
    )


def _decide(
    *, seats: int, entitled: int, present: int, issued: int, returned: int, valid: int, votes: Mapping[str, int]
) -> Tally:
    ordered = dict(sorted(votes.items(), key=lambda item: (-item[1], item[0])))
    quorate = present * 5 > entitled * 4
    void = returned > issued
    summary: dict[str, Any] = {
        "seats": seats,
        "entitled": entitled,
        "present": present,
        "issued": issued,
        "returned": returned,
        "quorate": quorate,
        "void": void,
        "valid": valid,
        "invalid": returned - valid,
        "votes": ordered,
    }
    if not quorate or void:
        notes = []
        if not quorate:
            notes.append(
                f"到会有选举权的党员 {present} 人，未超过应到会人数 {entitled} 人的五分之四，不能进行选举 ({XUANJU})"
            )
        if void:
            notes.append(f"收回选票 {returned} 张，多于发出的 {issued} 张，本次选举无效，应重新进行选举 ({XUANJU})")
        return Tally(**summary, elected=[], runoff=[], runoff_seats=0, unfilled=seats, notes=notes)

    passed = [name for name, n in ordered.items() if n * 2 > present]  # already most votes first, then name
    elected, runoff = passed, []
    if len(passed) > seats:
        last_seat_votes = ordered[passed[seats - 1]]
        above = [name for name in passed if ordered[name] > last_seat_votes]
        tied = [name for name in passed if ordered[name] == last_seat_votes]
        if len(above) + len(tied) <= seats:
            elected = above + tied
        else:
            elected, runoff = above, sorted(tied)
    runoff_seats = seats - len(elected) if runoff else 0
    unfilled = seats - len(elected) - runoff_seats
    notes = []
    if runoff:
        names = "、".join(runoff)
        notes.append(f"{names} 得票相等且均超过半数，应就剩余 {runoff_seats} 个名额在他们之间再次投票 ({XUANJU})")
    if unfilled:
        notes.append(f"得票超过到会人数半数的被选举人少于应选名额，尚缺 {unfilled} 名，应另行选举 ({XUANJU})")
    return Tally(**summary, elected=elected, runoff=runoff, runoff_seats=runoff_seats, unfilled=unfilled, notes=notes)


def term_years(level: str, own: int | None = None) -> int:
    """The length of a new term: the organisation's own length when it has one (it chose 3 to 5 years, and a
    re-election keeps it), else the level's usual length (《任期意见》: 基层委员会 5, 总支部 and 支部 3).

    >>> term_years("branch"), term_years("branch", own=4), term_years("committee")
    (3, 4, 5)
    """
    if own:
        low, high = TERM_YEARS_RANGE
        if isinstance(own, bool) or not isinstance(own, int) or not low <= own <= high:
            raise ValueError(f"a term is {low} to {high} years ({DANGZHANG}第三十一条), got {own!r}")
        return own
    try:
        return TERM_YEARS[level]
    except KeyError:
        raise ValueError(f"no term for level {level!r}; expected one of {', '.join(TERM_YEARS)}") from None


def term_end(elected_on: date, years: int) -> date:
    """The day a term of ``years`` (3 to 5) beginning on ``elected_on`` ends (《党章》第三十一条, 《任期意见》).

    >>> term_end(date(2024, 2, 29), 3)
    datetime.date(2027, 2, 28)
    """
    require_date(elected_on, "elected_on")
    low, high = TERM_YEARS_RANGE
    if isinstance(years, bool) or not isinstance(years, int) or not low <= years <= high:
        raise ValueError(f"a term is {low} to {high} years ({DANGZHANG}第三十一条), got {years!r}")
    return add_years(elected_on, years)


@dataclass(frozen=True)
class TermReminder:
    """A reminder due on ``on``; ``kind`` is "six_months", "request_due" or "expiry"."""

    on: date
    kind: str
    message: str
    rule: str


def term_reminders(
    term_end: date, *, request_months: int = REQUEST_MONTHS_BEFORE, remind_months: int = REMIND_MONTHS_BEFORE
) -> list[TermReminder]:
    """The reminders before a term ends on ``term_end``, in date order (《任期意见》; the 换届请示 date is
    local practice, ``request_months`` a setting).

    >>> [(r.kind, r.on.isoformat()) for r in term_reminders(date(2026, 8, 31))]
    [('six_months', '2026-02-28'), ('request_due', '2026-06-30'), ('expiry', '2026-08-31')]
    """
    require_date(term_end, "term_end")
    _whole("remind_months", remind_months, 1)
    _whole("request_months", request_months, 1)
    remind_on = add_months(term_end, -remind_months)
    request_on = add_months(term_end, -request_months)
    reminders = [
        TermReminder(
            remind_on,
            "six_months",
            (f"本届任期将于 {term_end.isoformat()} 届满，上级党组织应提醒做好换届准备 ({RENQI})"),
            RENQI,
        ),
        TermReminder(
            request_on,
            "request_due",
            (
                f"本届任期将于 {term_end.isoformat()} 届满，换届请示应于 {request_on.isoformat()} 前报送上级党组织 "
                f"({LOCAL})"
            ),
            LOCAL,
        ),
        TermReminder(
            term_end,
            "expiry",
            (f"本届任期于 {term_end.isoformat()} 届满，应按期换届；提前或推迟须经上级党组织批准 ({RENQI})"),
            RENQI,
        ),
    ]
    return sorted(reminders, key=lambda reminder: reminder.on)


@dataclass(frozen=True)
class TermStatus:
    """Where a term stands on a day, for boards, reminders and to-dos alike.

    ``state``: "overdue" (the term is over: 已届满), "request_late" (the 换届请示 day has passed and no request is
    in), "soon" (within the months before the end the upper organisation reminds), "ok". ``request_on`` is
    the last day for the 换届请示 under the organisation's 本单位规定; ``rule`` the source of the deadline
    that gives the state.
    """

    state: str
    due_on: date
    remind_on: date
    request_on: date
    days_left: int
    request_days_left: int
    rule: str


def term_status(
    due_on: date,
    today: date,
    *,
    request_months: int = REQUEST_MONTHS_BEFORE,
    requested: bool = False,
    remind_months: int = REMIND_MONTHS_BEFORE,
) -> TermStatus:
    """The state of a term due on ``due_on`` seen on ``today``: the colour of the term board, the lateness of
    a reminder and the to-do all come from here, so a 本单位规定 that moves the 换届请示 moves them together.
    ``requested``: the 换届请示 has been sent (then only the term's end can be late).

    >>> [term_status(date(2026, 8, 31), d, request_months=3).state
    ...  for d in (date(2026, 2, 27), date(2026, 2, 28), date(2026, 5, 31), date(2026, 6, 1), date(2026, 9, 1))]
    ['ok', 'soon', 'soon', 'request_late', 'overdue']
    """
    require_date(due_on, "due_on")
    require_date(today, "today")
    remind_on = add_months(due_on, -_whole("remind_months", remind_months, 1))
    request_on = add_months(due_on, -_whole("request_months", request_months, 1))
    if today > due_on:
        state, rule = "overdue", RENQI
    elif today > request_on and not requested:
        state, rule = "request_late", LOCAL
    elif today >= remind_on:
        state, rule = "soon", RENQI
    else:
        state, rule = "ok", RENQI
    return TermStatus(state, due_on, remind_on, request_on, (due_on - today).days, (request_on - today).days, rule)


def result_report_due(held_on: date, *, months: int = REPORT_MONTHS_AFTER) -> date:
    """The last day to report an election's result to the upper organisation (a setting, 1 month by default).

    >>> result_report_due(date(2025, 1, 31))
    datetime.date(2025, 2, 28)
    """
    return add_months(require_date(held_on, "held_on"), _whole("months", months, 1))


def shift_window(term_end: date) -> tuple[date, date]:
    """The earliest and latest day an election may be held with the upper organisation's approval: at
    most 1 year before or after the term ends (《党章》第三十一条).

    >>> shift_window(date(2026, 8, 31))
    (datetime.date(2025, 8, 31), datetime.date(2027, 8, 31))
    """
    require_date(term_end, "term_end")
    return add_years(term_end, -MAX_SHIFT_YEARS), add_years(term_end, MAX_SHIFT_YEARS)
