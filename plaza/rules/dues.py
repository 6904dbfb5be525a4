"""党费: monthly dues, the payment window and arrears (《党费规定》).

The base is the relatively fixed, regular part of monthly pay, after tax. One rate applies to the whole
base (not a progressive scale); the result is in yuan, rounded to the fen with ROUND_HALF_UP.

>>> monthly_dues(Decimal("3000"), "in_service")
Decimal('15.00')
>>> monthly_dues(Decimal("3000.01"), "in_service")
Decimal('30.00')
>>> monthly_dues(Decimal("12345.67"), "in_service")
Decimal('246.91')
>>> monthly_dues(Decimal("5000"), "retired"), monthly_dues(Decimal("5000.01"), "retired")
(Decimal('25.00'), Decimal('50.00'))
>>> monthly_dues(Decimal("0"), "flat"), monthly_dues(Decimal("8000"), "farmer")
(Decimal('0.20'), Decimal('0.20'))
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .dates import add_months, month_start, months_between, require_date
from .sources import DANGFEI, Violation

__all__ = [
    "ARREARS_FLAG",
    "ARREARS_NOTIFY_AT",
    "ARREARS_WARNINGS",
    "BRACKETS",
    "CATEGORIES",
    "CENTRE_THRESHOLD",
    "FARMER_DEFAULT",
    "FARMER_MAX",
    "FARMER_MIN",
    "FLAT_AMOUNT",
    "MAX_AHEAD_MONTHS",
    "MAX_BACK_MONTHS",
    "SOURCE",
    "ArrearsNotice",
    "arrears",
    "check_payment_months",
    "consecutive_unpaid_months",
    "goes_wholly_to_centre",
    "monthly_dues",
    "payment_months_allowed",
    "rate",
]

SOURCE = DANGFEI
FEN = Decimal("0.01")

#: Per category: (upper bound of the base in yuan, inclusive, or None for "above the last bound"; rate).
BRACKETS: dict[str, tuple[tuple[Decimal | None, Decimal], ...]] = {
    "in_service": (  # 在岗职工
        (Decimal("3000"), Decimal("0.005")),
        (Decimal("5000"), Decimal("0.01")),
        (Decimal("10000"), Decimal("0.015")),
        (None, Decimal("0.02")),
    ),
    "retired": (  # 离退休人员
        (Decimal("5000"), Decimal("0.005")),
        (None, Decimal("0.01")),
    ),
}

#: Students, the laid-off or unemployed, and those on relief or 低保 pay a flat 0.20 yuan a month.
FLAT_AMOUNT = Decimal("0.20")
#: Farmers pay 0.20 to 1.00 yuan a month: a setting of the organisation, 0.20 by default.
FARMER_MIN, FARMER_MAX = Decimal("0.20"), Decimal("1.00")
FARMER_DEFAULT = FARMER_MIN
CATEGORIES: tuple[str, ...] = ("in_service", "retired", "flat", "farmer")

MAX_AHEAD_MONTHS = 3  # paying ahead: at most one quarter
MAX_BACK_MONTHS = 6  # back-payment covers at most 6 months
CENTRE_THRESHOLD = Decimal("1000")  # a voluntary extra payment of 1000 yuan or more goes wholly to the centre
ARREARS_WARNINGS: tuple[int, ...] = (3, 5)  # consecutive unpaid months that raise a warning
ARREARS_FLAG = 6  # consecutive unpaid months after which the member is flagged to the branch
ARREARS_NOTIFY_AT: tuple[int, ...] = (*ARREARS_WARNINGS, ARREARS_FLAG)


def _amount(value: object, name: str) -> Decimal:
    """``value`` as a finite, non-negative Decimal; ValueError otherwise (floats are refused: inexact)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValueError(f"{name} must be a Decimal amount in yuan, got {type(value).__name__}")
    amount = Decimal(value)
    if not amount.is_finite():
        raise ValueError(f"{name} must be a finite amount")
    if amount < 0:
        raise ValueError(f"{name} cannot be negative: {amount}")
    return amount


def _category(category: object) -> str:
    if category not in CATEGORIES:
        raise ValueError(f"unknown dues category {category!r}; expected one of {', '.join(CATEGORIES)}")
    return str(category)


def rate(base: Decimal, category: str) -> Decimal | None:
    """The rate for ``base`` in ``category`` (《党费规定》); None for the flat categories ("flat", "farmer").

    >>> rate(Decimal("5000"), "in_service"), rate(Decimal("5000.01"), "in_service")
    (Decimal('0.01'), Decimal('0.015'))
    >>> rate(Decimal("100"), "flat") is None
    True
    """
    amount = _amount(base, "base")
    for upper, bracket_rate in BRACKETS.get(_category(category), ()):
        if upper is None or amount <= upper:
            return bracket_rate
    return None


def monthly_dues(base: Decimal, category: str, *, farmer_amount: Decimal = FARMER_DEFAULT) -> Decimal:
    """Monthly dues in yuan, rounded to the fen (ROUND_HALF_UP) (《党费规定》).

    ``category`` is "in_service", "retired", "flat" or "farmer"; ``farmer_amount`` is the organisation's
    setting for farmers (0.20 to 1.00; ignored for other categories). The base is checked for every
    category. ValueError for a negative base, an unknown category or a farmer amount out of range.

    >>> monthly_dues(Decimal("100"), "farmer", farmer_amount=Decimal("0.5"))
    Decimal('0.50')
    """
    bracket_rate = rate(base, category)
    if bracket_rate is not None:
        return (Decimal(base) * bracket_rate).quantize(FEN, rounding=ROUND_HALF_UP)
    if category == "farmer":
        amount = _amount(farmer_amount, "farmer_amount")
        if not FARMER_MIN <= amount <= FARMER_MAX:
            raise ValueError(f"farmers pay {FARMER_MIN} to {FARMER_MAX} yuan a month, not {amount}")
        return amount.quantize(FEN, rounding=ROUND_HALF_UP)
    return FLAT_AMOUNT


def payment_months_allowed(on: date) -> tuple[date, date]:
    """The first and the last month (as first days) that a payment made on ``on`` may cover (《党费规定》).

    Back-payment reaches at most 6 months before the current month; paying ahead at most one quarter
    (3 months) after it.

    >>> payment_months_allowed(date(2025, 2, 15))
    (datetime.date(2024, 8, 1), datetime.date(2025, 5, 1))
    """
    current = month_start(require_date(on, "on"))
    return add_months(current, -MAX_BACK_MONTHS), add_months(current, MAX_AHEAD_MONTHS)


def check_payment_months(months: Iterable[date], on: date) -> list[Violation]:
    """A Violation for every month (any day of it) that a payment made on ``on`` may not cover.

    >>> [v.code for v in check_payment_months([date(2024, 7, 1), date(2025, 2, 1)], date(2025, 2, 15))]
    ['back_too_far']
    """
    first, last = payment_months_allowed(on)
    problems = []
    for month in sorted({month_start(require_date(m, "month")) for m in months}):
        if month < first:
            problems.append(
                Violation(
                    SOURCE,
                    (
                        f"{month:%Y-%m} 的党费已超过补交期限：补交最多 {MAX_BACK_MONTHS} 个月，"
                        f"最早可补交 {first:%Y-%m} ({SOURCE})"
                    ),
                    "back_too_far",
                )
            )
        elif month > last:
            problems.append(
                Violation(
                    SOURCE,
                    (f"{month:%Y-%m} 的党费不能提前交纳：预交最多一个季度，最晚可预交到 {last:%Y-%m} ({SOURCE})"),
                    "ahead_too_far",
                )
            )
    return problems


def consecutive_unpaid_months(last_paid_month: date | None, on: date, liable_from: date) -> int:
    """Whole months unpaid before ``on``'s month (the current month is not late yet).

    ``last_paid_month`` is any day of the latest month paid for (None: never paid); ``liable_from`` is the
    day dues became payable (for a 预备党员, the day the branch meeting admitted them — step 15).

    >>> consecutive_unpaid_months(date(2025, 1, 1), date(2025, 4, 10), date(2020, 1, 1))
    2
    >>> consecutive_unpaid_months(None, date(2025, 4, 10), date(2025, 3, 20))
    1
    """
    current = month_start(require_date(on, "on"))
    first_due = month_start(require_date(liable_from, "liable_from"))
    if last_paid_month is not None:
        first_due = max(first_due, add_months(month_start(require_date(last_paid_month, "last_paid_month")), 1))
    return max(0, months_between(first_due, current))


@dataclass(frozen=True)
class ArrearsNotice:
    """What Plaza does about a run of unpaid months.

    ``level`` is "none" (under 3 months), "warning" (3 to 5) or "flag" (6 or more); ``notify`` is true
    only at 3, 5 and 6 months, the counts at which a message goes out (once each).
    """

    months_unpaid: int
    level: str
    notify: bool
    message: str
    rule: str = SOURCE


def arrears(months_unpaid: int) -> ArrearsNotice:
    """Warnings at 3 and 5 consecutive unpaid months, a flag to the branch at 6 (《党费规定》).

    No payment for 6 months without good reason is handled as 自行脱党 by the branch: Plaza only flags it
    and never changes membership by itself.

    >>> [(n, arrears(n).level, arrears(n).notify) for n in (2, 3, 4, 5, 6, 7)]  # doctest: +NORMALIZE_WHITESPACE
    [(2, 'none', False), (3, 'warning', True), (4, 'warning', False), (5, 'warning', True),
     (6, 'flag', True), (7, 'flag', False)]
    """
    if isinstance(months_unpaid, bool) or not isinstance(months_unpaid, int) or months_unpaid < 0:
        raise ValueError(f"months_unpaid must be a whole number of at least 0, got {months_unpaid!r}")
    notify = months_unpaid in ARREARS_NOTIFY_AT
    if months_unpaid >= ARREARS_FLAG:
        return ArrearsNotice(
            months_unpaid,
            "flag",
            notify,
            (
                f"已连续 {months_unpaid} 个月未交纳党费：请支部了解原因，无正当理由的按自行脱党处理"
                f"（由支部研究决定，系统不自动变更党籍） ({SOURCE})"
            ),
        )
    if months_unpaid >= ARREARS_WARNINGS[0]:
        return ArrearsNotice(
            months_unpaid,
            "warning",
            notify,
            (
                f"已连续 {months_unpaid} 个月未交纳党费，请及时交纳；连续 {ARREARS_FLAG} 个月不交纳且无正当理由的，"
                f"按自行脱党处理 ({SOURCE})"
            ),
        )
    return ArrearsNotice(months_unpaid, "none", False, "")


def goes_wholly_to_centre(extra: Decimal) -> bool:
    """Whether a voluntary extra payment goes wholly to the centre: 1000 yuan or more (《党费规定》).

    >>> goes_wholly_to_centre(Decimal("999.99")), goes_wholly_to_centre(Decimal("1000"))
    (False, True)
    """
    return _amount(extra, "extra") >= CENTRE_THRESHOLD
