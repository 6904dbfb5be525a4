"""党费: monthly dues by category and base (《党费规定》).

One rate applies to the whole base (not a progressive scale); the result is in yuan, rounded to the fen
with ROUND_HALF_UP.

>>> monthly_dues(Decimal("3000"), "in_service")
Decimal('15.00')
>>> monthly_dues(Decimal("3000.01"), "in_service")
Decimal('30.00')
>>> monthly_dues(Decimal("12345.67"), "in_service")
Decimal('246.91')
>>> monthly_dues(Decimal("5000"), "retired")
Decimal('25.00')
>>> monthly_dues(Decimal("0"), "flat")
Decimal('0.20')
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .sources import DANGFEI

SOURCE = DANGFEI
FEN = Decimal("0.01")

#: (upper bound of the base, inclusive, or None for "above"; rate). 《党费规定》: 在岗职工 and 离退休人员.
BRACKETS: dict[str, tuple[tuple[Decimal | None, Decimal], ...]] = {
    "in_service": (
        (Decimal("3000"), Decimal("0.005")),
        (Decimal("5000"), Decimal("0.01")),
        (Decimal("10000"), Decimal("0.015")),
        (None, Decimal("0.02")),
    ),
    "retired": (
        (Decimal("5000"), Decimal("0.005")),
        (None, Decimal("0.01")),
    ),
}

#: Flat monthly amounts: students, laid-off or unemployed, relief or 低保 pay 0.20; farmers 0.20 to 1.00
#: (a setting of the organisation; 0.20 by default).
FLAT_AMOUNT = Decimal("0.20")
FARMER_MIN, FARMER_MAX = Decimal("0.20"), Decimal("1.00")
CATEGORIES = ("in_service", "retired", "flat", "farmer")

MAX_PREPAY_MONTHS = 3  # paying ahead: at most one quarter
MAX_BACKPAY_MONTHS = 6  # back-payment covers at most 6 months
CENTRE_THRESHOLD = Decimal("1000")  # a voluntary extra payment of 1000 yuan or more goes wholly to the centre
ARREARS_WARNINGS = (3, 5)  # months unpaid that raise a warning
ARREARS_FLAG = 6  # months unpaid without good reason: flag to the branch as 自行脱党 (never automatic)


def rate(base: Decimal, category: str) -> Decimal | None:
    """The rate for ``base`` in ``category``; None for the flat categories."""
    base = _check_base(base)
    if category in ("flat", "farmer"):
        return None
    if category not in BRACKETS:
        raise ValueError(f"unknown dues category {category!r}; expected one of {', '.join(CATEGORIES)}")
    for upper, bracket_rate in BRACKETS[category]:
        if upper is None or base <= upper:
            return bracket_rate
    raise AssertionError("the last bracket has no upper bound")  # pragma: no cover


def monthly_dues(base: Decimal, category: str, *, farmer_amount: Decimal = FLAT_AMOUNT) -> Decimal:
    """Monthly dues in yuan. ValueError for a negative base or an unknown category.

    ``farmer_amount`` is the organisation's setting for farmers (0.20 to 1.00).
    """
    bracket_rate = rate(base, category)
    if bracket_rate is None:
        if category == "farmer":
            if not FARMER_MIN <= farmer_amount <= FARMER_MAX:
                raise ValueError("farmers' dues are set between 0.20 and 1.00 yuan a month")
            return farmer_amount.quantize(FEN, rounding=ROUND_HALF_UP)
        return FLAT_AMOUNT
    return (Decimal(base) * bracket_rate).quantize(FEN, rounding=ROUND_HALF_UP)


def _check_base(base: Decimal) -> Decimal:
    if not isinstance(base, Decimal | int):
        raise ValueError("the base must be a Decimal amount in yuan")
    base = Decimal(base)
    if not base.is_finite():
        raise ValueError("the base must be a finite amount")
    if base < 0:
        raise ValueError("the base cannot be negative")
    return base


@dataclass(frozen=True)
class ArrearsNotice:
    months_unpaid: int
    level: str  # "none" | "warning" | "flag"
    message: str
    rule: str = SOURCE


def arrears(months_unpaid: int) -> ArrearsNotice:
    """What Plaza does about ``months_unpaid`` consecutive unpaid months (《党费规定》, 《党章》第九条).

    Warnings at 3 and 5 months, a flag to the branch at 6 or more; Plaza never changes membership itself.

    >>> arrears(5).level, arrears(6).level, arrears(4).level
    ('warning', 'flag', 'none')
    """
    if months_unpaid < 0:
        raise ValueError("months unpaid cannot be negative")
    if months_unpaid >= ARREARS_FLAG:
        return ArrearsNotice(
            months_unpaid, "flag", f"已连续 {months_unpaid} 个月未交纳党费，请支部研究是否按自行脱党处理"
        )
    if months_unpaid in ARREARS_WARNINGS:
        return ArrearsNotice(months_unpaid, "warning", f"已连续 {months_unpaid} 个月未交纳党费，请及时交纳")
    return ArrearsNotice(months_unpaid, "none", "")
