"""换届选举: candidates, quorum, counting ballots, terms (《党章》第三十一条, 《任期意见》, 《选举条例》).

>>> min_candidates(5)
6
>>> min_candidates(7)
9
>>> t = tally(seats=2, entitled=10, present=9, ballots=[["甲", "乙"]] * 6 + [["甲"]] * 3)
>>> t.elected, t.votes["乙"], t.runoff
(['甲', '乙'], 6, [])
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from .dates import add_months, add_years
from .sources import RENQI, XUANJU

#: Differential election: candidates exceed seats by at least 20 % of the seats, rounded up (《选举条例》).
DIFFERENTIAL_SHARE = 0.2


def min_candidates(seats: int) -> int:
    """The fewest candidates for a committee of ``seats``: seats + ceil(seats × 0.2) (《选举条例》).

    书记 and 副书记 are elected with as many candidates as seats; this rule is for the committee.
    """
    _positive("seats", seats)
    return seats + math.ceil(seats * DIFFERENTIAL_SHARE - 1e-9)


def is_quorate(*, entitled: int, present: int) -> bool:
    """Voting members present must be more than 4/5 of those entitled: present × 5 > entitled × 4."""
    _counts(entitled=entitled, present=present)
    return present * 5 > entitled * 4


def ballot_is_valid(ballot: Sequence[str], seats: int) -> bool:
    """As many names as the seats or fewer, and nobody twice (《选举条例》). A blank ballot is valid."""
    names = [name.strip() for name in ballot]
    return len(names) <= seats and len(set(names)) == len(names) and all(names)


@dataclass(frozen=True)
class Tally:
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


def tally(
    *, seats: int, entitled: int, present: int, ballots: Sequence[Sequence[str]], issued: int | None = None
) -> Tally:
    """Count a vote (《选举条例》).

    - not quorate (present × 5 ≤ entitled × 4) or void (more ballots back than issued): nobody is elected;
    - a ballot naming more people than seats, or the same person twice, is invalid;
    - elected: yes votes × 2 > present, most votes first, up to the seats; a tie at the last seat(s)
      sends those tied to a run-off; seats nobody can fill are ``unfilled`` (另行选举).
    """
    _positive("seats", seats)
    _counts(entitled=entitled, present=present)
    issued = present if issued is None else issued
    if issued < 0:
        raise ValueError("issued cannot be negative")
    returned = len(ballots)
    quorate = present * 5 > entitled * 4
    void = returned > issued
    valid_ballots = [b for b in ballots if ballot_is_valid(b, seats)]
    votes: Counter[str] = Counter(name.strip() for ballot in valid_ballots for name in ballot)
    notes: list[str] = []
    if not quorate:
        notes.append("到会有选举权的党员未超过应到会人数的五分之四，不能进行选举")
    if void:
        notes.append("收回的选票多于发出的选票，选举无效，应重新选举")
    base = {
        "seats": seats,
        "entitled": entitled,
        "present": present,
        "issued": issued,
        "returned": returned,
        "quorate": quorate,
        "void": void,
        "valid": len(valid_ballots),
        "invalid": returned - len(valid_ballots),
        "votes": dict(sorted(votes.items(), key=lambda item: (-item[1], item[0]))),
    }
    if not quorate or void:
        return Tally(**base, elected=[], runoff=[], runoff_seats=0, unfilled=seats, notes=notes)

    passed = sorted((name for name, n in votes.items() if n * 2 > present), key=lambda name: (-votes[name], name))
    if len(passed) <= seats:
        elected, runoff = passed, []
    else:
        cutoff = votes[passed[seats - 1]]  # votes of the last seat
        elected = [name for name in passed if votes[name] > cutoff]
        tied = sorted(name for name in passed if votes[name] == cutoff)
        if len(elected) + len(tied) <= seats:  # pragma: no cover - cannot happen when len(passed) > seats
            elected, tied = elected + tied, []
        runoff = tied
    runoff_seats = seats - len(elected) if runoff else 0
    unfilled = seats - len(elected) - runoff_seats
    if unfilled:
        notes.append(f"得票超过半数的被选举人少于应选名额，差 {unfilled} 名，应另行选举")
    if runoff:
        notes.append(f"{'、'.join(runoff)} 得票相等，应就 {runoff_seats} 个名额再次投票")
    return Tally(**base, elected=elected, runoff=runoff, runoff_seats=runoff_seats, unfilled=unfilled, notes=notes)


#: 《任期意见》: 基层委员会 5 years; 总支部委员会 and 支部委员会 3 years. A setting of each organisation.
TERM_YEARS = {"committee": 5, "general_branch": 3, "branch": 3}
REQUEST_MONTHS_BEFORE = 2  # 换届请示 in 2 months before (local practice, a setting)
REMIND_MONTHS_BEFORE = 6  # the upper organisation reminds 6 months before
REPORT_MONTHS_AFTER = 1  # the result is reported within 1 month (a setting)


def term_end(elected_on: date, years: int) -> date:
    """The day a term elected on ``elected_on`` ends (《党章》第三十一条, 《任期意见》)."""
    _positive("years", years)
    return add_years(elected_on, years)


@dataclass(frozen=True)
class TermReminder:
    on: date
    kind: str  # "six_months" | "request_due" | "expiry"
    message: str
    rule: str


def term_reminders(
    ends_on: date, *, request_months: int = REQUEST_MONTHS_BEFORE, remind_months: int = REMIND_MONTHS_BEFORE
) -> list[TermReminder]:
    """The reminders due before a term ends (《任期意见》; the 换届请示 date is local practice).

    >>> [r.on.isoformat() for r in term_reminders(date(2026, 8, 31))]
    ['2026-02-28', '2026-06-30', '2026-08-31']
    """
    return [
        TermReminder(
            add_months(ends_on, -remind_months),
            "six_months",
            f"本届委员会任期将于 {ends_on.isoformat()} 届满，请做好换届准备",
            RENQI,
        ),
        TermReminder(
            add_months(ends_on, -request_months),
            "request_due",
            f"请于 {add_months(ends_on, -request_months).isoformat()} 前向上级党组织报送换届请示",
            RENQI,
        ),
        TermReminder(ends_on, "expiry", "本届委员会任期今日届满，应按期进行换届选举", RENQI),
    ]


def result_report_due(held_on: date, *, months: int = REPORT_MONTHS_AFTER) -> date:
    """The last day to report an election's result to the upper organisation (a setting; 1 month)."""
    return add_months(held_on, months)


def max_shift(ends_on: date) -> tuple[date, date]:
    """How far an election may be brought forward or put off, with approval: at most 1 year (《党章》)."""
    return add_years(ends_on, -1), add_years(ends_on, 1)


def _positive(name: str, value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a whole number of at least 1")


def _counts(*, entitled: int, present: int) -> None:
    for name, value in (("entitled", entitled), ("present", present)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"{name} must be a whole number of at least 0")
    if present > entitled:
        raise ValueError("more present than entitled")
