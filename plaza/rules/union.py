"""工会: union dues, the hardship line and the yearly review of hardship files (rulebook 11).

Sources: 《中国工会章程》 (会员按月交纳本人工资收入的 0.5 % 作为会费) and the union's own 办法 (本单位规定) for
care and hardship help. Money is in yuan as ``Decimal``, rounded to the fen with ROUND_HALF_UP.

>>> monthly_dues(Decimal("8000"))
Decimal('40.00')
>>> monthly_dues(Decimal("6543.21"))
Decimal('32.72')
>>> monthly_dues(Decimal("6543.21"), base_share=Fraction(4, 5))
Decimal('26.17')
>>> monthly_dues(Decimal("0"))
Decimal('0.00')
>>> income_per_head(Decimal("5000"), 3)
Decimal('1666.67')
>>> below_line(Decimal("1666.67"), Decimal("2265.00"))
True
>>> next_review(date(2026, 3, 10), 12), next_review(date(2026, 12, 5), 12)
(datetime.date(2026, 12, 1), datetime.date(2027, 12, 1))
>>> childbirth_amount(Decimal("800"), 2, Decimal("300")), childbirth_amount(Decimal("500"), 1, Decimal("300"))
(Decimal('1100.00'), Decimal('500.00'))
>>> apply_window(date(2026, 1, 10), date(2026, 5, 1), 184, 366)
'on_time'
>>> apply_window(date(2026, 1, 10), date(2026, 9, 1), 184, 366)
'extension'
>>> apply_window(date(2026, 1, 10), date(2027, 2, 1), 184, 366)
'late'
>>> festival_room(Decimal("2000"), Decimal("1200")), festival_room(Decimal("2000"), Decimal("2100"))
(Decimal('800.00'), Decimal('0.00'))
>>> school_year(date(2026, 9, 1)), school_year(date(2027, 6, 30)), school_year_label(2026)
(2026, 2026, '2026—2027 学年')
"""

from __future__ import annotations

import datetime
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

__all__ = [
    "CHILDBIRTH_ARTICLES",
    "DUES_RATE",
    "FESTIVAL_ARTICLE",
    "SCHOOLING_ARTICLE",
    "WARMTH_ARTICLE",
    "apply_window",
    "childbirth_amount",
    "festival_room",
    "school_year",
    "school_year_label",
    "GONGHUI",
    "HARDSHIP_LINE_DEFAULT",
    "REVIEW_MONTH_DEFAULT",
    "SOURCE",
    "below_line",
    "income_per_head",
    "monthly_dues",
    "next_review",
]

#: The demo knowledge base's 办法 and the sections each rule below follows (the union's own 办法, 本单位规定:
#: an enterprise with other figures sets them in its care and help settings; the rules take the figures).
SHENGYU = "《工会会员生育慰问办法》"
FULI = "《工会会员福利待遇》"
KUNNAN = "《困难职工帮扶补助办法》"
CHILDBIRTH_ARTICLES = {
    "amount": f"{SHENGYU}二、慰问标准",  # 一次生育双胞胎或多胞胎的，每多一个孩子增加 300 元
    "couple": f"{SHENGYU}一、2",  # 夫妻双方都是公司工会会员的，只能由其中一方申请，不重复慰问
    "window": f"{SHENGYU}五、申请时限",  # 6 个月内；特殊原因书面说明、分工会主席签字后延长至 12 个月
}
#: 春节、端午节、中秋节 … 每人全年合计不超过 2000 元，具体标准每年由工会委员会确定.
FESTIVAL_ARTICLE = f"{FULI}二、节日慰问"
#: 每年春节前 … 对建档困难职工开展“送温暖”走访，每户慰问金 1000 元.
WARMTH_ARTICLE = f"{KUNNAN}二（三）节日送温暖"
#: 子女考入全日制大学本科或专科的，每人每学年助学补助 2000 元，直到毕业.
SCHOOLING_ARTICLE = f"{KUNNAN}二（四）子女助学补助"
#: A school year begins on 1 September.
SCHOOL_YEAR_MONTH = 9

GONGHUI = "《中国工会章程》"
#: Where the dues rule comes from (rules.md 11 names the 章程, no article).
SOURCE = GONGHUI
FEN = Decimal("0.01")
#: 0.5 % of the monthly wage (《中国工会章程》; rulebook 11).
DUES_RATE = Decimal("0.005")
#: 困难职工: 家庭人均月收入低于本市最低生活保障标准 1.5 倍 (the demo's 《困难职工帮扶补助办法》 一、1): Shanghai's
#: 低保 of 1,510 元/月 × 1.5. A 本单位规定 (``union.hardship_line``).
HARDSHIP_LINE_DEFAULT = Decimal("2265.00")
#: 分工会每年 12 月对建档困难职工复核一次 (the same 办法, 五). A 本单位规定 (``union.hardship_review_month``).
REVIEW_MONTH_DEFAULT = 12


def monthly_dues(wage: Decimal, *, base_share: Fraction = Fraction(1)) -> Decimal:
    """The month's union dues: 0.5 % of the wage base (``wage`` × ``base_share``, the share of the monthly wage
    the union counts, a 本单位规定), rounded to the fen. Source: 《中国工会章程》, rulebook 11."""
    if wage < 0:
        raise ValueError("wage must not be negative")
    base = wage * Decimal(base_share.numerator) / Decimal(base_share.denominator)
    return (base * DUES_RATE).quantize(FEN, rounding=ROUND_HALF_UP)


def income_per_head(family_income: Decimal, family_size: int) -> Decimal:
    """The family's monthly income per head, to the fen."""
    if family_size < 1:
        raise ValueError("a family has at least one member")
    return (family_income / family_size).quantize(FEN, rounding=ROUND_HALF_UP)


def below_line(per_head: Decimal, line: Decimal) -> bool:
    """Below the local hardship line (strictly lower, as the 办法 says 低于)."""
    return per_head < line


def next_review(last: date, review_month: int = REVIEW_MONTH_DEFAULT) -> datetime.date:
    """The first day of the next review month after a file was opened or last reviewed on ``last``: a file
    opened or reviewed in the review month (or later in the year) is next reviewed a year later."""
    if not 1 <= review_month <= 12:
        raise ValueError("review_month is 1..12")
    this_year = date(last.year, review_month, 1)
    if last < this_year:
        return this_year
    return date(last.year + 1, review_month, 1)


def childbirth_amount(base: Decimal, children: int, extra_per_child: Decimal) -> Decimal:
    """生育慰问 for one birth: the base amount, and ``extra_per_child`` for every baby beyond the first (twins and
    more). Source: ``CHILDBIRTH_ARTICLES["amount"]``."""
    if children < 1:
        raise ValueError("a birth has at least one child")
    if base < 0 or extra_per_child < 0:
        raise ValueError("amounts must not be negative")
    return (base + extra_per_child * (children - 1)).quantize(FEN, rounding=ROUND_HALF_UP)


def apply_window(event_on: date, today: date, within_days: int | None, extended_days: int | None = None) -> str:
    """Whether an application for an event on ``event_on`` made ``today`` is ``"on_time"`` (within
    ``within_days``), ``"extension"`` (later, but within ``extended_days``: only with a written reason the
    分工会主席 signs) or ``"late"``. No limit set: always on time. Source: ``CHILDBIRTH_ARTICLES["window"]``."""
    if within_days is None:
        return "on_time"
    elapsed = (today - event_on).days
    if elapsed <= within_days:
        return "on_time"
    if extended_days is not None and elapsed <= extended_days:
        return "extension"
    return "late"


def festival_room(yearly_cap: Decimal, paid_this_year: Decimal) -> Decimal:
    """How much festival care a member may still receive this year under the yearly cap (never negative).
    Source: ``FESTIVAL_ARTICLE``."""
    return max(yearly_cap - paid_this_year, Decimal(0)).quantize(FEN, rounding=ROUND_HALF_UP)


def school_year(day: date) -> int:
    """The school year ``day`` falls in, named by the year it begins (1 September)."""
    return day.year if day.month >= SCHOOL_YEAR_MONTH else day.year - 1


def school_year_label(start: int) -> str:
    """``2026`` → ``"2026—2027 学年"``."""
    return f"{start}—{start + 1} 学年"
