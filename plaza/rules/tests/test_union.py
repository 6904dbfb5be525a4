"""plaza.rules.union: dues at 0.5 % rounded to the fen, income per head, the yearly review date."""

import doctest
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plaza.rules import union


def test_doctests():
    result = doctest.testmod(union)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize(
    ("wage", "due"),
    [
        ("8000", "40.00"),
        ("6800", "34.00"),
        ("4321.00", "21.61"),  # 21.605 rounds half up
        ("4320.99", "21.60"),
        ("0.99", "0.00"),
        ("1", "0.01"),  # 0.005 rounds up to a fen
        ("12345.67", "61.73"),
    ],
)
def test_monthly_dues(wage, due):
    assert union.monthly_dues(Decimal(wage)) == Decimal(due)


def test_base_share_and_negative():
    assert union.monthly_dues(Decimal("10000"), base_share=Fraction(1, 2)) == Decimal("25.00")
    with pytest.raises(ValueError):
        union.monthly_dues(Decimal("-1"))


@given(st.decimals(min_value=0, max_value=1_000_000, places=2))
def test_dues_are_half_a_percent_to_the_fen(wage):
    due = union.monthly_dues(wage)
    assert due.as_tuple().exponent == -2
    assert abs(due - wage * Decimal("0.005")) <= Decimal("0.005")


def test_income_per_head_and_line():
    assert union.income_per_head(Decimal("4500"), 3) == Decimal("1500.00")
    assert union.below_line(Decimal("2264.99"), union.HARDSHIP_LINE_DEFAULT)
    assert not union.below_line(Decimal("2265.00"), union.HARDSHIP_LINE_DEFAULT)
    with pytest.raises(ValueError):
        union.income_per_head(Decimal("1"), 0)


@pytest.mark.parametrize(
    ("last", "month", "due"),
    [
        (date(2026, 3, 10), 12, date(2026, 12, 1)),
        (date(2026, 11, 30), 12, date(2026, 12, 1)),
        (date(2026, 12, 1), 12, date(2027, 12, 1)),
        (date(2026, 12, 31), 12, date(2027, 12, 1)),
        (date(2026, 6, 15), 6, date(2027, 6, 1)),
        (date(2026, 7, 1), 6, date(2027, 6, 1)),
        (date(2026, 1, 1), 1, date(2027, 1, 1)),
    ],
)
def test_next_review(last, month, due):
    assert union.next_review(last, month) == due


def test_review_month_range():
    with pytest.raises(ValueError):
        union.next_review(date(2026, 1, 1), 13)
