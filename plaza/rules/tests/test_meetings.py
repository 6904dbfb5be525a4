"""组织生活 (《支部条例》) and branch resolutions (《细则》第二十条): thresholds, periods wholly inside, order."""

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plaza.rules.meetings import KINDS, PERIOD_MONTHS, branch_resolution, committee_quorate, missing, period_of, periods


@pytest.mark.parametrize(
    ("entitled", "present", "yes", "quorate", "passed"),
    [
        (10, 5, 5, False, False),  # half present is not more than half
        (10, 6, 5, True, False),  # half of those entitled is not more than half
        (10, 6, 6, True, True),
        (10, 6, 8, True, True),  # written opinions of absent members count in yes
        (9, 5, 5, True, True),
        (9, 4, 4, False, False),
        (0, 0, 0, False, False),
        (30, 16, 15, True, False),
    ],
)
def test_branch_resolution(entitled, present, yes, quorate, passed):
    resolution = branch_resolution(entitled=entitled, present=present, yes=yes)
    assert (resolution.quorate, resolution.passed) == (quorate, passed)
    assert resolution.rule == "《细则》第二十条；《支部条例》第十一条"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"entitled": 10, "present": 11, "yes": 5}, "present"),
        ({"entitled": 10, "present": 8, "yes": 11}, "yes votes"),
        ({"entitled": -1, "present": 0, "yes": 0}, "entitled"),
        ({"entitled": 10, "present": -1, "yes": 0}, "present"),
        ({"entitled": 10, "present": 5, "yes": -1}, "yes"),
        ({"entitled": 10.0, "present": 5, "yes": 1}, "entitled"),
    ],
)
def test_branch_resolution_refuses_bad_numbers(kwargs, match):
    with pytest.raises(ValueError, match=match):
        branch_resolution(**kwargs)


def test_committee_needs_half_of_its_members():
    assert committee_quorate(members=4, present=2)
    assert not committee_quorate(members=5, present=2)
    assert committee_quorate(members=5, present=3)
    with pytest.raises(ValueError):
        committee_quorate(members=3, present=4)
    with pytest.raises(ValueError):
        committee_quorate(members=0, present=0)


def test_period_of():
    assert period_of("committee", date(2024, 2, 10)) == (date(2024, 2, 1), date(2024, 2, 29))
    assert period_of("theme_day", date(2025, 2, 10)) == (date(2025, 2, 1), date(2025, 2, 28))
    assert period_of("general_meeting", date(2025, 12, 31)) == (date(2025, 10, 1), date(2025, 12, 31))
    assert period_of("lecture", date(2025, 4, 1)) == (date(2025, 4, 1), date(2025, 6, 30))
    assert period_of("life_meeting", date(2025, 7, 7)) == (date(2025, 1, 1), date(2025, 12, 31))
    with pytest.raises(ValueError, match="unknown meeting kind"):
        period_of("party", date(2025, 1, 1))


def test_a_whole_year_with_nothing_held():
    gaps = missing([], date(2025, 1, 1), date(2025, 12, 31))
    assert Counter(kind for kind, _, _ in gaps) == {
        "general_meeting": 4,
        "committee": 12,
        "group": 12,
        "lecture": 4,
        "theme_day": 12,
        "life_meeting": 1,
    }
    assert gaps[:6] == [(kind, date(2025, 1, 1), period_of(kind, date(2025, 1, 1))[1]) for kind in KINDS]
    assert gaps == sorted(gaps, key=lambda gap: (gap[1], KINDS.index(gap[0])))


def test_only_periods_wholly_inside_count():
    gaps = missing([], date(2025, 1, 2), date(2025, 12, 30))
    assert {(kind, first) for kind, first, _ in gaps if kind in ("general_meeting", "life_meeting")} == {
        ("general_meeting", date(2025, 4, 1)),
        ("general_meeting", date(2025, 7, 1)),
    }
    months = [first for kind, first, _ in gaps if kind == "committee"]
    assert months == [date(2025, m, 1) for m in range(2, 12)]
    assert missing([], date(2025, 1, 1), date(2025, 1, 30)) == []
    assert missing([], date(2025, 3, 3), date(2025, 3, 3)) == []


def test_february_of_a_leap_year():
    gaps = missing([], date(2024, 2, 1), date(2024, 2, 29))
    assert gaps == [(kind, date(2024, 2, 1), date(2024, 2, 29)) for kind in ("committee", "group", "theme_day")]
    assert missing([], date(2024, 2, 1), date(2024, 2, 28)) == []


def test_held_meetings_fill_their_periods():
    held = [
        ("committee", date(2025, 1, 31)),
        ("group", date(2025, 1, 1)),
        ("theme_day", date(2025, 1, 15)),
        ("general_meeting", date(2025, 3, 31)),
        ("lecture", date(2025, 2, 14)),
        ("committee", date(2025, 3, 5)),
        ("life_meeting", date(2024, 12, 20)),  # another year: counts for nothing here
    ]
    gaps = missing(held, date(2025, 1, 1), date(2025, 3, 31))
    assert gaps == [
        ("committee", date(2025, 2, 1), date(2025, 2, 28)),
        ("group", date(2025, 2, 1), date(2025, 2, 28)),
        ("theme_day", date(2025, 2, 1), date(2025, 2, 28)),
        ("group", date(2025, 3, 1), date(2025, 3, 31)),
        ("theme_day", date(2025, 3, 1), date(2025, 3, 31)),
    ]


def test_missing_refuses_bad_input():
    with pytest.raises(ValueError, match="unknown meeting kind 'dinner'"):
        missing([("dinner", date(2025, 1, 5))], date(2025, 1, 1), date(2025, 12, 31))
    with pytest.raises(ValueError, match="before start"):
        missing([], date(2025, 2, 1), date(2025, 1, 31))
    with pytest.raises(ValueError, match="datetime.date"):
        missing([], "2025-01-01", date(2025, 1, 31))


def test_kinds_and_their_periods():
    assert KINDS == ("general_meeting", "committee", "group", "lecture", "theme_day", "life_meeting")
    assert PERIOD_MONTHS == {
        "general_meeting": 3,
        "committee": 1,
        "group": 1,
        "lecture": 3,
        "theme_day": 1,
        "life_meeting": 12,
    }


def test_periods_order():
    assert periods("lecture", date(2024, 11, 15), date(2025, 7, 1)) == [
        (date(2025, 1, 1), date(2025, 3, 31)),
        (date(2025, 4, 1), date(2025, 6, 30)),
    ]


days = st.dates(min_value=date(2023, 1, 1), max_value=date(2026, 12, 31))


@given(days, st.integers(min_value=0, max_value=800), st.lists(st.tuples(st.sampled_from(KINDS), days), max_size=30))
def test_missing_lists_each_empty_period_inside_the_range_once(start, length, held):
    end = start + timedelta(days=length)
    gaps = missing(held, start, end)
    assert gaps == sorted(gaps, key=lambda gap: (gap[1], KINDS.index(gap[0])))
    assert len(set(gaps)) == len(gaps)
    for kind, first, last in gaps:
        assert start <= first <= last <= end
        assert (first, last) == period_of(kind, first)
        assert not any(k == kind and first <= day <= last for k, day in held)
    for kind in KINDS:
        listed = [first for k, first, _ in gaps if k == kind]
        filled = {period_of(kind, day)[0] for k, day in held if k == kind}
        assert sorted(listed + [f for f, _ in periods(kind, start, end) if f in filled]) == [
            f for f, _ in periods(kind, start, end)
        ]
