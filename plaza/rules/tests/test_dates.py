"""Calendar arithmetic as the rulebook reads it: month ends clamp, Feb 29 + 1 year is Feb 28."""

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plaza.rules.dates import add_months, add_years, month_end, month_start, months_between, require_date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
        (date(2025, 1, 15), -1, date(2024, 12, 15)),
        (date(2024, 8, 31), 6, date(2025, 2, 28)),
        (date(2025, 5, 17), 0, date(2025, 5, 17)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (date(2024, 2, 29), 1, date(2025, 2, 28)),
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2096, 2, 29), 4, date(2100, 2, 28)),  # 2100 is not a leap year
        (date(2000, 2, 29), 100, date(2100, 2, 28)),
        (date(2024, 2, 29), -1, date(2023, 2, 28)),
        (date(2023, 2, 28), 1, date(2024, 2, 28)),  # never moves to Feb 29
        (date(2006, 12, 31), 18, date(2024, 12, 31)),
    ],
)
def test_add_years(day, years, expected):
    assert add_years(day, years) == expected


def test_month_start_and_end():
    assert month_start(date(2025, 5, 17)) == date(2025, 5, 1)
    assert month_end(date(2024, 2, 1)) == date(2024, 2, 29)
    assert month_end(date(2025, 2, 1)) == date(2025, 2, 28)
    assert month_end(date(2025, 12, 31)) == date(2025, 12, 31)


def test_months_between():
    assert months_between(date(2024, 11, 30), date(2025, 2, 1)) == 3
    assert months_between(date(2025, 2, 1), date(2025, 2, 28)) == 0
    assert months_between(date(2025, 3, 1), date(2025, 1, 31)) == -2


@pytest.mark.parametrize("bad", [datetime(2025, 1, 31, 12, 0), "2025-01-31", None, 20250131])
def test_dates_must_be_dates(bad):
    with pytest.raises(ValueError, match="datetime.date"):
        add_months(bad, 1)
    with pytest.raises(ValueError, match="datetime.date"):
        require_date(bad)


@pytest.mark.parametrize("bad", [1.0, "1", True, None])
def test_months_must_be_whole_numbers(bad):
    with pytest.raises(ValueError, match="whole number"):
        add_months(date(2025, 1, 1), bad)
    with pytest.raises(ValueError, match="whole number"):
        add_years(date(2025, 1, 1), bad)


days = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


@given(days, st.integers(min_value=-600, max_value=600))
def test_add_months_lands_in_the_right_month_on_the_same_or_last_day(day, months):
    moved = add_months(day, months)
    assert months_between(day, moved) == months
    assert moved.day == day.day or (moved.day < day.day and moved == month_end(moved))


@given(days, st.integers(min_value=-50, max_value=50))
def test_add_years_is_twelve_months(day, years):
    assert add_years(day, years) == add_months(day, 12 * years)


@given(days, st.integers(min_value=0, max_value=600))
def test_add_months_never_goes_backwards(day, months):
    assert add_months(day, months) >= day
