"""Calendar arithmetic as the rulebook reads it.

"N months after D" keeps the day of the month where it exists and otherwise takes the month's last day:
Jan 31 + 1 month is Feb 28 (Feb 29 in a leap year); Feb 29 + 1 year is Feb 28.

>>> add_months(date(2025, 1, 31), 1)
datetime.date(2025, 2, 28)
>>> add_years(date(2024, 2, 29), 1)
datetime.date(2025, 2, 28)
>>> add_months(date(2025, 3, 31), -1)
datetime.date(2025, 2, 28)
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date

__all__ = ["add_months", "add_years", "date"]


def add_months(day: date, months: int) -> date:
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)
