from datetime import date

import pytest

from plaza.rules.meetings import PERIOD_MONTHS, branch_resolution, missing, period_of


@pytest.mark.parametrize(
    ("entitled", "present", "yes", "quorate", "passed"),
    [
        (30, 15, 15, False, False),  # exactly half present: not quorate
        (30, 16, 15, True, False),  # yes exactly half of entitled: fails
        (30, 16, 16, True, True),
        (31, 16, 16, True, True),
        (31, 15, 15, False, False),
        (1, 1, 1, True, True),
    ],
)
def test_branch_resolution(entitled, present, yes, quorate, passed):
    result = branch_resolution(entitled=entitled, present=present, yes=yes)
    assert (result.quorate, result.passed) == (quorate, passed)
    assert "第二十条" in result.rule


@pytest.mark.parametrize(
    "kwargs",
    [
        {"entitled": 5, "present": 6, "yes": 1},
        {"entitled": 5, "present": 5, "yes": 6},
        {"entitled": -1, "present": 0, "yes": 0},
    ],
)
def test_branch_resolution_bad_input(kwargs):
    with pytest.raises(ValueError):
        branch_resolution(**kwargs)


def test_period_of():
    assert period_of("general_meeting", date(2025, 5, 17)) == (date(2025, 4, 1), date(2025, 6, 30))
    assert period_of("committee", date(2024, 2, 10)) == (date(2024, 2, 1), date(2024, 2, 29))
    assert period_of("life_meeting", date(2025, 5, 17)) == (date(2025, 1, 1), date(2025, 12, 31))


def test_missing_only_counts_periods_wholly_inside():
    gaps = missing([], date(2025, 1, 15), date(2025, 3, 31))
    assert {(k, f) for k, f, _ in gaps} == {
        ("committee", date(2025, 2, 1)),
        ("group", date(2025, 2, 1)),
        ("theme_day", date(2025, 2, 1)),
        ("committee", date(2025, 3, 1)),
        ("group", date(2025, 3, 1)),
        ("theme_day", date(2025, 3, 1)),
    }


def test_missing_full_year_with_everything_held_is_empty():
    held = []
    for month in range(1, 13):
        for kind in ("committee", "group", "theme_day"):
            held.append((kind, date(2025, month, 5)))
    for month in (2, 5, 8, 11):
        held += [("general_meeting", date(2025, month, 20)), ("lecture", date(2025, month, 21))]
    held.append(("life_meeting", date(2025, 12, 10)))
    assert missing(held, date(2025, 1, 1), date(2025, 12, 31)) == []
    held.remove(("life_meeting", date(2025, 12, 10)))
    assert missing(held, date(2025, 1, 1), date(2025, 12, 31)) == [
        ("life_meeting", date(2025, 1, 1), date(2025, 12, 31))
    ]


def test_missing_is_sorted_by_period_then_kind():
    gaps = missing([], date(2025, 1, 1), date(2025, 3, 31))
    assert gaps == sorted(gaps, key=lambda g: (g[1], list(PERIOD_MONTHS).index(g[0])))
    assert gaps[0] == ("general_meeting", date(2025, 1, 1), date(2025, 3, 31))


def test_missing_bad_input():
    with pytest.raises(ValueError):
        missing([("picnic", date(2025, 1, 1))], date(2025, 1, 1), date(2025, 2, 1))
    with pytest.raises(ValueError):
        missing([], date(2025, 2, 1), date(2025, 1, 1))
