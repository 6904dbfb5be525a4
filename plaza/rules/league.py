"""共青团: the League's age limits and 团费, as pure functions (rules.md §12; no Django).

《团章》第一条: young people "年龄在十四周岁以上，二十八周岁以下" may join; "团员年满二十八周岁，没有在团内担任
职务，应当办理离团手续" (a Party member keeps the League membership until 28 likewise). Plaza reminds the League
secretary a month before a member's 28th birthday (rules.md §12: 离团 reminders a month before the birthday).

>>> leaving_date(date(1998, 7, 15))
datetime.date(2026, 7, 15)
>>> reminder_date(date(1998, 7, 15))
datetime.date(2026, 6, 15)
>>> reminder_date(date(1998, 3, 31))  # a month before 31 March is the last day of February
datetime.date(2026, 2, 28)
>>> leaving_date(date(2000, 2, 29)), leaving_date(date(2072, 2, 29))  # 2100 is a common year
(datetime.date(2028, 2, 29), datetime.date(2100, 2, 28))
>>> may_stay(holds_league_post=True), may_stay(holds_league_post=False)
(True, False)
>>> age_on(date(1998, 7, 15), date(2026, 7, 14)), age_on(date(1998, 7, 15), date(2026, 7, 15))
(27, 28)
>>> [v.code for v in join_problems(date(2013, 1, 1), date(2026, 12, 7))]
['too_young']
>>> join_problems(date(1998, 1, 1), date(2026, 12, 7))[0].message
'年满二十八周岁的青年不能再入团（《团章》第一条）。'
"""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

from .sources import Violation

__all__ = [
    "DUES_MONTHLY",
    "JOIN_MIN_AGE",
    "LEAVING_AGE",
    "REMINDER_MONTHS",
    "SOURCE",
    "TUANZHANG",
    "age_on",
    "join_problems",
    "leaving_date",
    "may_stay",
    "reminder_date",
]

TUANZHANG = "《团章》"
#: 《中国共产主义青年团章程》第一条: the age limits and 离团 at 28 without a League post.
SOURCE = f"{TUANZHANG}第一条"
JOIN_MIN_AGE = 14
LEAVING_AGE = 28
#: rules.md §12: the League secretary is reminded a month before the 28th birthday.
REMINDER_MONTHS = 1
#: 团费: 《团章》第一条 makes 按期交纳团费 a condition of membership and leaves the amount to the League's rules on
#: dues; Plaza's default is the monthly amount for an employed member, a 本单位规定 (``league.dues_monthly``).
DUES_MONTHLY = Decimal("0.50")


def _birthday(birth: date, year: int) -> date:
    """The birthday in ``year``; 29 February falls on 28 February in a common year (the day 周岁 is reached
    counts from the last day of February, not past the month's end)."""
    if birth.month == 2 and birth.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return birth.replace(year=year)


def age_on(birth: date, on: date) -> int:
    """Full years (周岁) on ``on``."""
    years = on.year - birth.year
    return years if on >= _birthday(birth, on.year) else years - 1


def leaving_date(birth: date) -> date:
    """The 28th birthday: from this day a member without a League post leaves the League (《团章》第一条)."""
    return _birthday(birth, birth.year + LEAVING_AGE)


def reminder_date(birth: date) -> date:
    """A month before :func:`leaving_date` (the same day of the month before, or that month's last day)."""
    leaving = leaving_date(birth)
    year, month = (leaving.year, leaving.month - REMINDER_MONTHS) if leaving.month > 1 else (leaving.year - 1, 12)
    return date(year, month, min(leaving.day, calendar.monthrange(year, month)[1]))


def may_stay(holds_league_post: bool) -> bool:
    """Whether a member who has turned 28 keeps the League membership: only while holding a League post
    (团内职务, 《团章》第一条)."""
    return bool(holds_league_post)


def join_problems(birth: date, on: date) -> list[Violation]:
    """Why someone born on ``birth`` may not join on ``on`` (empty: they may), citing 《团章》第一条."""
    age = age_on(birth, on)
    if age < JOIN_MIN_AGE:
        return [Violation(SOURCE, f"未满十四周岁的青年不能入团（{SOURCE}）。", "too_young")]
    if age >= LEAVING_AGE:
        return [Violation(SOURCE, f"年满二十八周岁的青年不能再入团（{SOURCE}）。", "too_old")]
    return []
