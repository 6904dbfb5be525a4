"""Working days (rulebook section 8, after the 国务院办公厅's yearly notice on the arrangement of holidays).

A working day is Monday–Friday that is not a public holiday (放假), or a Saturday or Sunday declared a working
day (调休上班) in that year's notice. The data come from the maintained ``chinesecalendar`` package (2004 to the
latest published year, updated when each notice appears), not from a hand-kept table. A year the package does
not cover yet counts Monday–Friday (:func:`covered` says which years are; the caller warns its staff). The
organisation's own closed days (``closed``) count as not working, on top of the national calendar.

"Within N working days of D" ends on the N-th working day after D, D itself not counted.

>>> is_working_day(date(2026, 2, 17)), holiday_name(date(2026, 2, 17))  # a Tuesday in the Spring Festival
(False, '春节')
>>> is_working_day(date(2026, 2, 14))  # a Saturday worked for the Spring Festival (调休上班)
True
>>> add_working_days(date(2026, 9, 30), 1)  # the National Day holiday runs to October 7
datetime.date(2026, 10, 8)
>>> working_days_between(date(2026, 2, 13), date(2026, 2, 28))  # the 14th, 24th–27th and 28th; not 15th–23rd
6
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from .dates import require_date

# FIRST_YEAR and LAST_YEAR are attributes too (module __getattr__ below), read from the package when asked.
__all__ = [
    "SOURCE",
    "add_working_days",
    "covered",
    "holiday_name",
    "is_working_day",
    "working_days_between",
]

SOURCE = "国务院办公厅关于部分节假日安排的通知 (yearly), via the chinesecalendar package"

NO_CLOSURES: frozenset[date] = frozenset()


@dataclass(frozen=True)
class _Calendar:
    holidays: dict[date, str]  # day -> the package's English holiday name
    workdays: dict[date, str]  # weekend days worked (调休上班)
    names: dict[str, str]  # English name in the package -> the Chinese name people use
    first_year: int
    last_year: int


@cache
def _calendar() -> _Calendar:
    """The national calendar, loaded on first use (then kept for the process)."""
    # reason: plaza.rules imports with the standard library alone (design.md, the rules API); the data load when asked
    import chinese_calendar

    holidays: dict[date, str] = chinese_calendar.constants.holidays
    return _Calendar(
        holidays=holidays,
        workdays=chinese_calendar.constants.workdays,
        # "清明" → "清明节", as the notices say it
        names={
            holiday.value: holiday.chinese + ("节" if holiday.chinese in {"清明", "端午", "中秋"} else "")
            for holiday in chinese_calendar.Holiday
        },
        first_year=min(day.year for day in holidays),
        last_year=max(day.year for day in holidays),
    )


def __getattr__(name: str) -> Any:
    """``FIRST_YEAR`` and ``LAST_YEAR``: the years the installed package covers (2004 to the latest notice)."""
    if name == "FIRST_YEAR":
        return _calendar().first_year
    if name == "LAST_YEAR":
        return _calendar().last_year
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def covered(year: int) -> bool:
    """Whether the national calendar (holidays and 调休) of ``year`` is known; if not, Monday–Friday count."""
    calendar = _calendar()
    return calendar.first_year <= year <= calendar.last_year


def holiday_name(day: date) -> str:
    """The public holiday ``day`` falls in (放假, e.g. "春节"), or "" (a working day, a weekend, an uncovered year)."""
    require_date(day, "day")
    calendar = _calendar()
    name = calendar.holidays.get(day)
    return calendar.names.get(name, name) if name else ""


def is_working_day(day: date, *, closed: Collection[date] = NO_CLOSURES) -> bool:
    """Monday–Friday that is not a holiday, or a weekend day worked (调休上班); never one of ``closed``."""
    require_date(day, "day")
    if day in closed:
        return False
    calendar = _calendar()
    if day in calendar.workdays:
        return True
    if day in calendar.holidays:
        return False
    return day.weekday() < 5


def add_working_days(start: date, n: int, *, closed: Collection[date] = NO_CLOSURES) -> date:
    """The n-th working day after ``start`` (``start`` itself not counted); ``start`` when n == 0.

    ValueError for n < 0.
    """
    require_date(start, "start")
    if isinstance(n, bool) or not isinstance(n, int):
        raise ValueError(f"n must be a whole number, got {n!r}")
    if n < 0:
        raise ValueError(f"n must not be negative, got {n}")
    day = start
    while n:
        day += timedelta(days=1)
        if is_working_day(day, closed=closed):
            n -= 1
    return day


def working_days_between(start: date, end: date, *, closed: Collection[date] = NO_CLOSURES) -> int:
    """How many working days d there are with start < d <= end (0 when end <= start)."""
    require_date(start, "start")
    require_date(end, "end")
    return sum(is_working_day(start + timedelta(days=k), closed=closed) for k in range(1, (end - start).days + 1))
