"""答题 scoring: live questions, streaks, team scores and the daily points caps (rulebook section 9).

Live and timed questions follow Kahoot's published rule: a wrong or late answer scores 0, an answer within
0.5 s the full base, otherwise ``base × (1 − t / T / 2)`` rounded half up, where ``t`` is the time the
*server* measured from sending the question and ``T`` the time allowed. A right answer in time therefore
never scores under half the base. Arithmetic is exact (:class:`fractions.Fraction`), so "half up" is half up
and never a binary-float accident.

>>> score(correct=True, elapsed_ms=500, limit_ms=20_000)
1000
>>> score(correct=True, elapsed_ms=10_000, limit_ms=20_000)
750
>>> score(correct=True, elapsed_ms=20_001, limit_ms=20_000), score(correct=False, elapsed_ms=0, limit_ms=20_000)
(0, 0)
>>> [streak_bonus(k) for k in range(1, 8)]
[0, 100, 200, 300, 400, 500, 500]
>>> team_score([900, 700, 0], members=5, rule="participation")
Decimal('320.00')
>>> team_score([900, 700], members=5, rule="best_n", best=3)
Decimal('533.33')
>>> challenge_points(5), challenge_points(10), daily_points(3, already_today=4)
(3, 6, 1)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .sources import LOCAL

__all__ = [
    "CHALLENGE_DAILY_CAP",
    "CHALLENGE_TIERS",
    "DAILY_CAP",
    "DAILY_PER_RIGHT",
    "DAILY_SOURCE",
    "FULL_SCORE_MS",
    "DEFAULT_BASE",
    "SCORE_SOURCE",
    "STREAK_MAX",
    "STREAK_SOURCE",
    "STREAK_STEP",
    "TEAM_RULES",
    "TEAM_SOURCE",
    "challenge_points",
    "daily_points",
    "participation_rate",
    "score",
    "streak_bonus",
    "team_score",
]

#: The source of the live score: Kahoot's published scoring rule, adopted by the rulebook (section 9).
SCORE_SOURCE = "Kahoot 公布的计分规则（规则手册第9节）"
#: The streak bonus is a setting of the contest, on by default (the caller simply does not add it when off).
STREAK_SOURCE = f"{SCORE_SOURCE}；{LOCAL}"
#: Team rules are chosen per contest; the rulebook fixes what each means.
TEAM_SOURCE = "规则手册第9节（每场竞赛选定团体计分办法）"
#: The daily caps take 学习强国's shape; the figures are settings (本单位规定) with these defaults.
DAILY_SOURCE = f"{LOCAL}（学习强国的做法，规则手册第9节）"

#: The full score of a question unless the contest sets another.
DEFAULT_BASE = 1000
#: An answer within this many milliseconds (0.5 s) scores the full base.
FULL_SCORE_MS = 500
#: The k-th right answer in a row adds STREAK_STEP × (k − 1), at most STREAK_MAX.
STREAK_STEP = 100
STREAK_MAX = 500

#: The team rules a contest may choose (see :func:`team_score`).
TEAM_RULES: tuple[str, ...] = ("sum", "average", "best_n", "participation")

#: 挑战答题: (right answers in a row, points for the run) — 5 right → 3 points, 10 right → 6 points.
CHALLENGE_TIERS: tuple[tuple[int, int], ...] = ((5, 3), (10, 6))
#: 挑战答题 points a person may earn in one day: the top tier (a day's runs together earn no more).
CHALLENGE_DAILY_CAP = 6
#: Daily quiz (每日答题): points per right answer, and the most a person earns from it in one day.
DAILY_PER_RIGHT = 1
DAILY_CAP = 5

_CENT = Decimal("0.01")
_RATE = Decimal("0.0001")


def _count(name: str, value: object, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name} must be a whole number of at least {minimum}, got {value!r}")
    return value


def _half_up(value: Fraction) -> int:
    """Round a non-negative exact fraction to a whole number, halves up (0.5 → 1, 2.5 → 3)."""
    return math.floor(value + Fraction(1, 2))


def _decimal(value: Fraction, exponent: Decimal) -> Decimal:
    """An exact fraction as a Decimal rounded half up to ``exponent`` (no float on the way)."""
    quotient = Decimal(value.numerator) / Decimal(value.denominator)  # 28 significant digits: ample here
    return quotient.quantize(exponent, rounding=ROUND_HALF_UP)


def score(*, correct: bool, elapsed_ms: int, limit_ms: int, base: int = DEFAULT_BASE) -> int:
    """The points for one answer to a live, timed question (Kahoot's rule, rulebook section 9).

    ``elapsed_ms`` is what the server measured from sending the question to receiving the answer (the client's
    clock is never trusted); ``limit_ms`` the time allowed. An answer at exactly the limit is in time; one
    millisecond more is late and scores 0, as does a wrong answer. Up to :data:`FULL_SCORE_MS` inclusive the
    answer scores ``base``; after that ``base × (1 − elapsed / limit / 2)`` rounded half up, which is never
    less than half the base (rounded half up) for an answer in time.

    ValueError for ``elapsed_ms < 0``, ``limit_ms <= 0`` or a negative ``base``.
    """
    elapsed = _count("elapsed_ms", elapsed_ms)
    limit = _count("limit_ms", limit_ms, minimum=1)
    full = _count("base", base)
    if not correct or elapsed > limit:
        return 0
    if elapsed <= FULL_SCORE_MS:
        return full
    return _half_up(full * (1 - Fraction(elapsed, limit) / 2))


def streak_bonus(streak: int) -> int:
    """The bonus for the ``streak``-th right answer in a row: 0 for the first, then 100 more each, at most 500.

    A setting of the contest, on by default; when it is off the caller adds nothing. ValueError for a
    negative streak.
    """
    k = _count("streak", streak)
    if k <= 1:
        return 0
    return min(STREAK_STEP * (k - 1), STREAK_MAX)


def team_score(scores: Sequence[int], *, members: int, rule: str, best: int | None = None) -> Decimal:
    """A team's score under the contest's rule, to two decimals, half up (rulebook section 9).

    ``scores`` are the scores of the members who played (one each); ``members`` all members of the team.

    - ``"sum"``: the sum.
    - ``"average"``: the sum over the members who played; a team nobody played for scores 0.
    - ``"best_n"``: the sum of the ``best`` highest scores divided by ``best``; a team with fewer players
      counts the missing ones as 0 (so sending fewer people never helps).
    - ``"participation"``: the sum divided by *all* members, so a team cannot win by sending only its best;
      a team with no members scores 0.

    ``best`` is needed (at least 1) for ``"best_n"`` and ignored by the other rules. ValueError for an unknown
    rule, a negative score, ``members < len(scores)``, or ``"best_n"`` without ``best >= 1``.
    """
    if rule not in TEAM_RULES:
        raise ValueError(f"unknown team rule {rule!r}; known: {', '.join(TEAM_RULES)}")
    team = _count("members", members)
    played = [_count("score", value) for value in scores]
    if team < len(played):
        raise ValueError(f"{len(played)} players but only {team} members: members must be at least the players")
    total = sum(played)
    if rule == "sum":
        result = Fraction(total)
    elif rule == "average":
        result = Fraction(total, len(played)) if played else Fraction(0)
    elif rule == "best_n":
        if best is None or isinstance(best, bool) or not isinstance(best, int) or best < 1:
            raise ValueError(f'rule "best_n" needs best, a whole number of at least 1, got {best!r}')
        result = Fraction(sum(sorted(played, reverse=True)[:best]), best)
    else:  # participation
        result = Fraction(total, team) if team else Fraction(0)
    return _decimal(result, _CENT)


def participation_rate(players: int, members: int) -> Decimal | None:
    """Players ÷ members, shown beside every team score (rulebook section 9): a fraction of 1, four decimals
    half up (``Decimal('0.6667')`` is 66.67 %); ``None`` for a team with no members (nothing to show).

    ValueError for negative counts or more players than members.
    """
    played = _count("players", players)
    team = _count("members", members)
    if played > team:
        raise ValueError(f"{played} players but only {team} members")
    if team == 0:
        return None
    return _decimal(Fraction(played, team), _RATE)


def challenge_points(
    right_in_a_row: int,
    already_today: int = 0,
    *,
    tiers: Sequence[tuple[int, int]] = CHALLENGE_TIERS,
    cap: int = CHALLENGE_DAILY_CAP,
) -> int:
    """The ledger points for a 挑战答题 run of ``right_in_a_row`` right answers (学习强国's shape, a setting).

    The run earns the highest tier it reaches (5 → 3 points, 10 → 6 by default; under 5 nothing), and the
    day's 挑战答题 points together never exceed ``cap``: ``already_today`` is what the person has earned from
    挑战答题 today, and only the rest up to the cap is given. ValueError for negative counts.
    """
    run = _count("right_in_a_row", right_in_a_row)
    earned = _count("already_today", already_today)
    limit = _count("cap", cap)
    points = max((value for needed, value in tiers if run >= needed), default=0)
    return max(0, min(points, limit - earned))


def daily_points(right: int, already_today: int = 0, *, per_right: int = DAILY_PER_RIGHT, cap: int = DAILY_CAP) -> int:
    """The ledger points for ``right`` right answers in the daily quiz (每日答题), a setting after 学习强国.

    One point per right answer, at most ``cap`` (5) a day: ``already_today`` is what the person has earned from
    the daily quiz today; the result is what may still be given now (never negative). ValueError for
    negative counts.
    """
    count = _count("right", right)
    earned = _count("already_today", already_today)
    each = _count("per_right", per_right)
    limit = _count("cap", cap)
    return max(0, min(count * each, limit - earned))
