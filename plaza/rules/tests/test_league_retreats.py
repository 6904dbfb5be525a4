"""plaza.rules.league (《团章》第一条) and plaza.rules.retreats (疗休养: eligibility, seeded lottery, priority)."""

import doctest
from datetime import date

import pytest

from plaza.rules import league, retreats


@pytest.mark.parametrize("module", [league, retreats])
def test_doctests(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def test_lottery_depends_on_the_seed_and_the_candidates_only():
    ids = list(range(1, 41))
    first = retreats.draw(ids, "2026-千岛湖-1", 10)
    assert retreats.draw(ids, "2026-千岛湖-1", 10) == first
    assert sorted(first[0] + first[1]) == ids and len(first[0]) == 10
    assert retreats.draw(ids, "2026-千岛湖-2", 10) != first
    # the split does not change the order: 10 places or 12, the first 10 are the same people
    assert retreats.draw(ids, "2026-千岛湖-1", 12)[0][:10] == first[0]


def test_reminder_a_month_before_the_28th_birthday():
    assert league.reminder_date(date(1998, 1, 15)) == date(2025, 12, 15)
    assert league.age_on(date(1998, 1, 15), league.leaving_date(date(1998, 1, 15))) == 28
