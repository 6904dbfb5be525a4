"""Calendar arithmetic as the rulebook reads it.

"N months (years) after D" is calendar arithmetic: the same day of the month N months later, or that
month's last day when the month is shorter. So Jan 31 + 1 month is Feb 28 (Feb 29 in a leap year) and
one year after Feb 29 is Feb 28. A period "of N months from D" ends on D + N months.

>>> add_months(date(2025, 1, 31), 1)
datetime.date(2025, 2, 28)
>>> add_months(date(2024, 1, 31), 1)
datetime.date(2024, 2, 29)
>>> add_years(date(2024, 2, 29), 1)
datetime.date(2025, 2, 28)
>>> add_months(date(2025, 3, 31), -1)
datetime.date(2025, 2, 28)
>>> month_start(date(2025, 5, 17)), month_end(date(2024, 2, 3))
(datetime.date(2025, 5, 1), datetime.date(2024, 2, 29))
>>> months_between(date(2024, 11, 30), date(2025, 2, 1))
3
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, datetime

__all__ = ["add_months", "add_years", "month_end", "month_start", "months_between", "require_date"]


def require_date(value: object, name: str = "date") -> date:
    """``value`` if it is a :class:`datetime.date` (not a datetime); ValueError otherwise."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValueError(f"{name} must be a datetime.date, got {type(value).__name__}")
    return value


def _require_whole(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    return value


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (negative goes back), clamped to the month's last day."""
    require_date(day, "day")
    _require_whole(months, "months")
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def add_years(day: date, years: int) -> date:
    """``day`` moved by ``years`` calendar years; Feb 29 becomes Feb 28 in a common year."""
    return add_months(day, 12 * _require_whole(years, "years"))


def month_start(day: date) -> date:
    """The first day of ``day``'s month."""
    return require_date(day, "day").replace(day=1)


def month_end(day: date) -> date:
    """The last day of ``day``'s month."""
    require_date(day, "day")
    return day.replace(day=monthrange(day.year, day.month)[1])


def months_between(earlier: date, later: date) -> int:
    """Calendar months from ``earlier``'s month to ``later``'s month (days are ignored; negative when
    ``later`` is in an earlier month)."""
    require_date(earlier, "earlier")
    require_date(later, "later")
    return (later.year - earlier.year) * 12 + later.month - earlier.month
