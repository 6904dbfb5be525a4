"""党费 (《党费规定》): brackets at their exact bounds, ROUND_HALF_UP to the fen, the payment window, arrears."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plaza.rules import dues
from plaza.rules.dues import (
    arrears,
    check_payment_months,
    consecutive_unpaid_months,
    goes_wholly_to_centre,
    monthly_dues,
    payment_months_allowed,
    rate,
)

D = Decimal


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
        ("12345.67", "in_service", "246.91"),
        ("5000", "retired", "25.00"),
        ("5000.01", "retired", "50.00"),
        ("20000", "retired", "200.00"),
        ("0", "flat", "0.20"),
        ("99999", "flat", "0.20"),
        ("8000", "farmer", "0.20"),
    ],
)
def test_monthly_dues_at_the_bounds(base, category, expected):
    result = monthly_dues(D(base), category)
    assert result == D(expected)
    assert result.as_tuple().exponent == -2  # always to the fen


@pytest.mark.parametrize(
    ("base", "category", "expected"),
    [
        ("1001", "in_service", "5.01"),  # 5.005: half up, not to even
        ("3", "in_service", "0.02"),  # 0.015
        ("4999", "retired", "25.00"),  # 24.995
        ("4001", "in_service", "40.01"),  # 40.01 exactly
        ("6000.30", "in_service", "90.00"),  # 90.0045
        ("6000.34", "in_service", "90.01"),  # 90.0051
    ],
)
def test_rounding_is_half_up_to_the_fen(base, category, expected):
    assert monthly_dues(D(base), category) == D(expected)


def test_one_rate_applies_to_the_whole_base_not_a_progressive_scale():
    assert monthly_dues(D("20000"), "in_service") == D("400.00")
    assert rate(D("20000"), "in_service") == D("0.02")


def test_integer_base_is_accepted():
    assert monthly_dues(6000, "in_service") == D("90.00")


def test_farmer_amount_is_a_setting_between_020_and_100():
    assert monthly_dues(D("0"), "farmer", farmer_amount=D("1.00")) == D("1.00")
    assert monthly_dues(D("0"), "farmer", farmer_amount=D("0.5")) == D("0.50")
    for bad in (D("0.19"), D("1.01")):
        with pytest.raises(ValueError, match="farmers pay"):
            monthly_dues(D("0"), "farmer", farmer_amount=bad)
    assert monthly_dues(D("0"), "flat", farmer_amount=D("1.00")) == D("0.20")  # ignored outside "farmer"


@pytest.mark.parametrize("bad", [D("-0.01"), -1])
def test_negative_base_is_refused(bad):
    for category in dues.CATEGORIES:
        with pytest.raises(ValueError, match="negative"):
            monthly_dues(bad, category)


@pytest.mark.parametrize("bad", [3000.0, "3000", None, True, D("NaN"), D("Infinity")])
def test_base_must_be_a_finite_decimal(bad):
    with pytest.raises(ValueError, match="base"):
        monthly_dues(bad, "in_service")


@pytest.mark.parametrize("bad", ["student", "", "IN_SERVICE", None])
def test_unknown_category_is_refused(bad):
    with pytest.raises(ValueError, match="unknown dues category"):
        monthly_dues(D("3000"), bad)


def test_payment_window_is_six_months_back_and_one_quarter_ahead():
    assert payment_months_allowed(date(2025, 2, 15)) == (date(2024, 8, 1), date(2025, 5, 1))
    assert payment_months_allowed(date(2025, 1, 31)) == (date(2024, 7, 1), date(2025, 4, 1))
    on = date(2025, 2, 15)
    assert check_payment_months([date(2024, 8, 1), date(2025, 2, 1), date(2025, 5, 31)], on) == []
    problems = check_payment_months([date(2024, 7, 31), date(2025, 6, 1)], on)
    assert [p.code for p in problems] == ["back_too_far", "ahead_too_far"]
    assert all(p.rule == "《党费规定》" for p in problems)
    assert "最早可补交 2024-08" in problems[0].message
    assert "最晚可预交到 2025-05" in problems[1].message


def test_consecutive_unpaid_months():
    long_ago = date(2020, 1, 1)
    assert consecutive_unpaid_months(date(2025, 3, 1), date(2025, 4, 10), long_ago) == 0
    assert consecutive_unpaid_months(date(2025, 1, 31), date(2025, 4, 10), long_ago) == 2
    assert consecutive_unpaid_months(date(2025, 6, 1), date(2025, 4, 10), long_ago) == 0  # paid ahead
    assert consecutive_unpaid_months(None, date(2025, 4, 10), date(2025, 3, 20)) == 1  # admitted in March
    assert consecutive_unpaid_months(None, date(2025, 4, 10), date(2025, 4, 1)) == 0
    assert consecutive_unpaid_months(date(2024, 9, 1), date(2025, 4, 1), date(2025, 1, 1)) == 3


@pytest.mark.parametrize(
    ("months", "level", "notify"),
    [
        (0, "none", False),
        (2, "none", False),
        (3, "warning", True),
        (4, "warning", False),
        (5, "warning", True),
        (6, "flag", True),
        (7, "flag", False),
        (24, "flag", False),
    ],
)
def test_arrears_warns_at_3_and_5_and_flags_at_6(months, level, notify):
    notice = arrears(months)
    assert (notice.level, notice.notify) == (level, notify)
    assert notice.rule == "《党费规定》"
    if level != "none":
        assert f"已连续 {months} 个月未交纳党费" in notice.message


def test_the_flag_never_claims_to_change_membership():
    assert "系统不自动变更党籍" in arrears(6).message


@pytest.mark.parametrize("bad", [-1, 1.5, "3", True])
def test_arrears_refuses_bad_counts(bad):
    with pytest.raises(ValueError):
        arrears(bad)


def test_extra_payment_of_1000_or_more_goes_to_the_centre():
    assert not goes_wholly_to_centre(D("999.99"))
    assert goes_wholly_to_centre(D("1000"))
    assert goes_wholly_to_centre(D("1000.00"))
    with pytest.raises(ValueError):
        goes_wholly_to_centre(D("-1"))


bases = st.decimals(min_value=0, max_value=1_000_000, places=2, allow_nan=False, allow_infinity=False)


@given(bases, bases, st.sampled_from(dues.CATEGORIES))
def test_monthly_dues_is_monotone_within_a_category(a, b, category):
    low, high = sorted((a, b))
    assert monthly_dues(low, category) <= monthly_dues(high, category)


@given(bases, st.sampled_from(["in_service", "retired"]))
def test_monthly_dues_is_base_times_rate_within_half_a_fen(base, category):
    result = monthly_dues(base, category)
    assert abs(result - base * rate(base, category)) <= D("0.005")
