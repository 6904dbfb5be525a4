"""疗休养 (the union's paid recuperation trips): who may sign up and how places are given, as pure functions.

The union's own 办法 decides the details (rules.md §11: the union's kinds, amounts and limits are 本单位规定), so
every figure here is a default an organisation may change (``plaza.rules.local``: ``retreats.min_service_years``,
``retreats.gap_years``):

- eligible: a union member with at least ``min_service_years`` years of service who has not gone on a 疗休养
  in the last ``gap_years`` years (the years before the route's year);
- allocation by lottery: the candidates' ids, sorted, shuffled by a seeded ``random.Random``; the first
  ``places`` go, the rest form the waiting list in the drawn order. The seed is recorded, so anyone can draw
  again and get the same result;
- allocation by priority: who has never gone (or went longest ago) first, then longer service, then who
  signed up first.

>>> draw([3, 5, 8, 13, 21], "2026-疗休养-1", 2) == draw([3, 5, 8, 13, 21], "2026-疗休养-1", 2)
True
>>> winners, waiting = draw([1, 2, 3], "seed", 5)
>>> sorted(winners), waiting
([1, 2, 3], [])
>>> draw([2, 1], "seed", 1)
Traceback (most recent call last):
...
ValueError: candidate ids must be sorted and distinct
>>> [v.code for v in eligibility_problems(service_years=2, last_year=2024, year=2026, min_years=5, gap_years=3)]
['service', 'recent']
>>> eligibility_problems(service_years=8, last_year=2022, year=2026, min_years=5, gap_years=3)
[]
>>> service_years(date(2019, 3, 1), date(2026, 2, 28)), service_years(date(2019, 3, 1), date(2026, 3, 1))
(6, 7)
>>> rank_by_priority([Candidate(1, 10, 2020, 2), Candidate(2, 3, None, 3), Candidate(3, 10, 2020, 1)], 2)
([2, 3], [1])
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .sources import LOCAL, Violation

__all__ = [
    "GAP_YEARS",
    "MIN_SERVICE_YEARS",
    "Candidate",
    "draw",
    "eligibility_problems",
    "rank_by_priority",
    "service_years",
]

#: Defaults of the union's 疗休养办法 (本单位规定): at least 5 years of service; not again within 3 years.
MIN_SERVICE_YEARS = 5
GAP_YEARS = 3


def service_years(started: date, on: date) -> int:
    """Full years of service from ``started`` to ``on``."""
    years = on.year - started.year
    return years if (on.month, on.day) >= (started.month, started.day) else years - 1


def eligibility_problems(
    *, service_years: int, last_year: int | None, year: int, min_years: int, gap_years: int
) -> list[Violation]:
    """Why a union member may not sign up for a route of ``year`` (empty: eligible). ``last_year``: the year of
    their last 疗休养, None if never. Each reason says when it will be allowed."""
    problems: list[Violation] = []
    if service_years < min_years:
        problems.append(
            Violation(
                LOCAL,
                f"工龄满 {min_years} 年方可报名疗休养（目前 {service_years} 年，{LOCAL}）。",
                "service",
            )
        )
    if last_year is not None and last_year > year - 1 - gap_years and gap_years > 0:
        problems.append(
            Violation(
                LOCAL,
                f"{last_year} 年已参加过疗休养，{gap_years} 年内不再安排，{last_year + gap_years + 1} 年起可再报名"
                f"（{LOCAL}）。",
                "recent",
            )
        )
    return problems


def draw(candidate_ids: Sequence[int], seed: str, places: int) -> tuple[list[int], list[int]]:
    """The lottery: (winners, waiting list), both in drawn order. ``candidate_ids`` must be sorted and distinct
    so that the result depends on the seed and the set of candidates only, never on the order rows were read."""
    ids = list(candidate_ids)
    if any(a >= b for a, b in zip(ids, ids[1:], strict=False)):
        raise ValueError("candidate ids must be sorted and distinct")
    if places < 0:
        raise ValueError("places must not be negative")
    random.Random(str(seed)).shuffle(ids)
    return ids[:places], ids[places:]


@dataclass(frozen=True)
class Candidate:
    """One sign-up for priority allocation: the person's id, years of service, the year of their last 疗休养
    (None: never) and the order they signed up in."""

    id: int
    service_years: int
    last_year: int | None
    signed_up: int


def rank_by_priority(candidates: Sequence[Candidate], places: int) -> tuple[list[int], list[int]]:
    """(winners, waiting list) by priority: never gone (or longest ago) first, then longer service, then who
    signed up first, then the id (a total order, so the result never depends on reading order)."""
    ranked = sorted(
        candidates,
        key=lambda c: (c.last_year if c.last_year is not None else -1, -c.service_years, c.signed_up, c.id),
    )
    ids = [c.id for c in ranked]
    return ids[:places], ids[places:]
