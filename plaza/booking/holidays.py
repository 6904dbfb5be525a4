"""Chinese public holidays (法定节假日) and adjusted working days (调休上班) as data.

Source: the State Council General Office's notice on the arrangement of holidays for the year
(《国务院办公厅关于2026年部分节假日安排的通知》). The dates change every year and are published in the
late autumn before: check them against the official notice each year and add the next year here.
An adjusted working day opens like a normal working day; a holiday is closed whatever its weekday.
"""

from __future__ import annotations

from datetime import date, timedelta


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


#: 放假 (closed), by year: the date and the holiday's name.
HOLIDAYS: dict[date, str] = {
    **dict.fromkeys(_days(date(2026, 1, 1), date(2026, 1, 3)), "元旦"),
    **dict.fromkeys(_days(date(2026, 2, 15), date(2026, 2, 23)), "春节"),
    **dict.fromkeys(_days(date(2026, 4, 4), date(2026, 4, 6)), "清明节"),
    **dict.fromkeys(_days(date(2026, 5, 1), date(2026, 5, 5)), "劳动节"),
    **dict.fromkeys(_days(date(2026, 6, 19), date(2026, 6, 21)), "端午节"),
    **dict.fromkeys(_days(date(2026, 9, 25), date(2026, 9, 27)), "中秋节"),
    **dict.fromkeys(_days(date(2026, 10, 1), date(2026, 10, 7)), "国庆节"),
}

#: 调休上班: weekend days that are working days, and the holiday they make up for.
WORKING_DAYS: dict[date, str] = {
    date(2026, 1, 4): "元旦",  # Sunday
    date(2026, 2, 14): "春节",  # Saturday
    date(2026, 2, 28): "春节",  # Saturday
    date(2026, 5, 9): "劳动节",  # Saturday
    date(2026, 9, 20): "国庆节",  # Sunday
    date(2026, 10, 10): "国庆节",  # Saturday
}

#: Years whose notice has been entered above; for other years only weekends and ``ClosedDay`` apply.
YEARS = frozenset({2026})


def holiday(day: date) -> str:
    """The holiday's name when ``day`` is a public holiday, else ""."""
    return HOLIDAYS.get(day, "")


def adjusted_working_day(day: date) -> bool:
    """Whether ``day`` is a weekend day worked in exchange for a holiday (调休上班)."""
    return day in WORKING_DAYS
