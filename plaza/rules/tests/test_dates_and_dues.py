from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plaza.rules import dues
from plaza.rules.dates import add_months, add_years


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 11, 15), 3, date(2026, 2, 15)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2025, 1, 1), -1, date(2024, 12, 1)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


def test_leap_day_plus_a_year_is_feb_28():
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("base", "category", "expected"),
    [
        ("0", "in_service", "0.00"),
        ("3000", "in_service", "15.00"),
        ("3000.01", "in_service", "30.00"),
        ("5000", "in_service", "50.00"),
        ("5000.01", "in_service", "75.00"),
        ("10000", "in_service", "150.00"),
        ("10000.01", "in_service", "200.00"),
        ("2999.99", "in_service", "15.00"),  # 14.99995 rounds half up
        ("1001", "in_service", "5.01"),  # 5.005 → 5.01 (ROUND_HALF_UP, not banker's)
        ("5000", "retired", "25.00"),
        ("5000.01", "retired", "50.00"),
        ("99999", "flat", "0.20"),
        ("0", "farmer", "0.20"),
    ],
)
def test_monthly_dues_thresholds_and_rounding(base, category, expected):
    assert dues.monthly_dues(Decimal(base), category) == Decimal(expected)


def test_farmer_amount_is_a_setting_within_bounds():
    assert dues.monthly_dues(Decimal("0"), "farmer", farmer_amount=Decimal("0.5")) == Decimal("0.50")
    with pytest.raises(ValueError):
        dues.monthly_dues(Decimal("0"), "farmer", farmer_amount=Decimal("1.01"))


@pytest.mark.parametrize("bad", [Decimal("-0.01"), Decimal("NaN"), Decimal("Infinity"), 3000.0, "3000"])
def test_bad_base_is_refused(bad):
    with pytest.raises(ValueError):
        dues.monthly_dues(bad, "in_service")


def test_unknown_category_is_refused():
    with pytest.raises(ValueError, match="unknown dues category"):
        dues.monthly_dues(Decimal("1000"), "student")


@given(
    st.decimals(min_value=0, max_value=100000, places=2),
    st.decimals(min_value=0, max_value=100000, places=2),
    st.sampled_from(["in_service", "retired"]),
)
def test_dues_never_fall_as_pay_rises(a, b, category):
    low, high = sorted((a, b))
    assert dues.monthly_dues(low, category) <= dues.monthly_dues(high, category)


@pytest.mark.parametrize(
    ("months", "level"),
    [(0, "none"), (2, "none"), (3, "warning"), (4, "none"), (5, "warning"), (6, "flag"), (9, "flag")],
)
def test_arrears_warnings_and_flag(months, level):
    assert dues.arrears(months).level == level
    if level == "flag":
        assert "自行脱党" in dues.arrears(months).message


def test_arrears_negative_is_refused():
    with pytest.raises(ValueError):
        dues.arrears(-1)
