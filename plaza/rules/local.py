"""The values the rulebook leaves to local practice (rules.md: "Where local practice differs, the value is a
setting of the organisation with this default; the setting and its source are shown to users").

Each :class:`LocalRule` names its key, what it means in Chinese, the rulebook's default, the range an
organisation may choose from and the source of the default (:data:`~plaza.rules.sources.LOCAL` for all but
the farmers' dues: rules.md calls them local practice). The values themselves are stored per organisation by
``plaza.localrules`` and inherited down the tree; the rules in this package take them as arguments
(``check(..., political_review_years=...)``), so nothing here knows where a value came from.

The defaults are the rulebook's. The ranges are Plaza's interpretation, since rules.md gives only the
defaults. The farmers' range is the exception: it comes from 《党费规定》. Each range is wide enough for the
practice we know of and narrow enough to catch a typing slip (12 months for a letter, 2/3 for 优秀). Thought
reports may only come 1, 2, 3, 4 or 6 months apart, so the periods divide the year from January.

>>> RULES["transfers.letter_valid_months"].parse("6")
6
>>> RULES["evaluation.excellent_share"].parse("30%")
Fraction(3, 10)
>>> RULES["recruitment.thought_report_months"].parse("5")
Traceback (most recent call last):
...
ValueError: 可选 1、2、3、4、6 个月
>>> RULES["dues.farmer_monthly"].parse("1.5")
Traceback (most recent call last):
...
ValueError: 应在 0.20 到 1.00 元/月之间
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from . import dues, elections, evaluation, meetings, recruitment, transfers
from .sources import DANGFEI, LOCAL

__all__ = ["RULES", "LocalRule", "Value"]

Value = int | Decimal | Fraction


@dataclass(frozen=True)
class LocalRule:
    """One value an organisation may set for itself and its subtree."""

    key: str
    label: str  # what it is, in Chinese
    default: Value
    minimum: Value
    maximum: Value
    unit: str  # shown after the value: 年, 个月, 天, 元/月; "" for a share
    source: str  # where the default comes from
    meaning: str  # what changes when it changes, in Chinese
    allowed: tuple[Value, ...] = ()  # when only some values in the range make sense

    def parse(self, raw: str) -> Value:
        """The value typed by a person, checked against the range; ValueError with a Chinese reason."""
        text = (raw or "").strip().replace("％", "%")
        try:
            if isinstance(self.default, Fraction):
                value: Value = (Fraction(text[:-1]) / 100) if text.endswith("%") else Fraction(text)
            elif isinstance(self.default, Decimal):
                value = Decimal(text).quantize(Decimal("0.01"))
            else:
                value = int(text)
        except (ValueError, ZeroDivisionError, InvalidOperation):
            raise ValueError(
                "请输入一个数" if not isinstance(self.default, Fraction) else "请输入比例，例如 1/3 或 30%"
            ) from None
        unit = f" {self.unit}" if self.unit else ""
        if self.allowed and value not in self.allowed:
            raise ValueError("可选 " + "、".join(self.show(v) for v in self.allowed) + unit)
        if not self.minimum <= value <= self.maximum:
            raise ValueError(f"应在 {self.show(self.minimum)} 到 {self.show(self.maximum)}{unit}之间")
        return value

    def show(self, value: Value) -> str:
        """The value as people read it: 1/3 as 1/3, money with two decimals."""
        if isinstance(value, Fraction):
            return f"{value.numerator}/{value.denominator}" if value.denominator != 1 else str(value.numerator)
        return str(value)

    def store(self, value: Value) -> str:
        """The text kept in the database; :meth:`parse` reads it back."""
        return self.show(value)


_RULES = (
    LocalRule(
        "recruitment.political_review_years",
        "政治审查结论的有效期",
        recruitment.POLITICAL_REVIEW_VALID_YEARS,
        1,
        3,
        "年",
        LOCAL,
        "政治审查（第 10 步）后超过此期限才接收预备党员（第 15 步）的，须重新审查。",
    ),
    LocalRule(
        "recruitment.thought_report_months",
        "思想汇报的间隔",
        recruitment.THOUGHT_REPORT_MONTHS,
        1,
        6,
        "个月",
        LOCAL,
        "入党积极分子和发展对象每隔这么多个月递交一次思想汇报（按自然年划分期间），到期列入待办。",
        allowed=(1, 2, 3, 4, 6),
    ),
    LocalRule(
        "meetings.makeup_days",
        "缺席补学的期限",
        meetings.MAKEUP_DAYS,
        7,
        90,
        "天",
        LOCAL,
        "请假或缺席组织生活的党员须在会议结束后这么多天内补学。",
    ),
    LocalRule(
        "dues.farmer_monthly",
        "农民党员每月交纳党费",
        dues.FARMER_DEFAULT,
        dues.FARMER_MIN,
        dues.FARMER_MAX,
        "元/月",
        DANGFEI,
        "农民党员每月交纳 0.20 元至 1.00 元，由本单位确定。",
    ),
    LocalRule(
        "elections.request_months_before",
        "换届请示的提前期",
        elections.REQUEST_MONTHS_BEFORE,
        1,
        6,
        "个月",
        LOCAL,
        "任期届满前这么多个月须报送换届请示，换届看板据此提醒。",
    ),
    LocalRule(
        "elections.report_months_after",
        "选举结果的报告期限",
        elections.REPORT_MONTHS_AFTER,
        1,
        3,
        "个月",
        LOCAL,
        "选举后这么多个月内须向上级党组织报告选举结果。",
    ),
    LocalRule(
        "evaluation.excellent_share",
        "民主评议“优秀”比例上限",
        evaluation.EXCELLENT_SHARE,
        Fraction(1, 10),
        Fraction(1, 2),
        "",
        LOCAL,
        "评定为“优秀”的党员不超过参评党员的这个比例。",
    ),
    LocalRule(
        "transfers.letter_valid_months",
        "组织关系介绍信有效期",
        transfers.LETTER_VALID_MONTHS,
        1,
        6,
        "个月",
        LOCAL,
        "开具的介绍信在此期限内有效，到期前提醒；过期须重新开具。",
    ),
)

#: Key → rule, in the order the settings page lists them.
RULES: dict[str, LocalRule] = {rule.key: rule for rule in _RULES}
