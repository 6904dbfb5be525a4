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

from . import dues, elections, evaluation, meetings, recruitment, referrals, transfers
from . import league as league_rules
from . import retreats as retreats_rules
from . import union as union_rules
from . import vanguard as vanguard_rules
from . import voice as voice_rules
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
    # voice: E线声音 and 职代会提案 service levels (rules.md section 8, working days)
    LocalRule(
        "voice.acknowledge_days",
        "E线声音受理时限",
        voice_rules.ACKNOWLEDGE_DAYS,
        1,
        5,
        "个工作日",
        LOCAL,
        "收到反映后须在这么多个工作日内受理（或转交、退回），到期前提醒，逾期报上一级督办。",
    ),
    LocalRule(
        "voice.answer_days",
        "E线声音答复时限",
        voice_rules.ANSWER_DAYS,
        1,
        30,
        "个工作日",
        LOCAL,
        "受理后须在这么多个工作日内答复，到期前提醒，逾期报上一级督办。",
    ),
    LocalRule(
        "voice.extension_days",
        "E线声音延期上限",
        voice_rules.EXTENSION_MAX_DAYS,
        1,
        20,
        "个工作日",
        LOCAL,
        "确需延长答复期限的，可说明理由延期一次，最多延长这么多个工作日。",
    ),
    LocalRule(
        "voice.return_days",
        "E线声音退回时限",
        voice_rules.RETURN_DAYS,
        1,
        5,
        "个工作日",
        LOCAL,
        "分派有误的反映须在收到后这么多个工作日内说明理由退回，逾期须先受理再转交。",
    ),
    LocalRule(
        "voice.reopen_days",
        "E线声音重新办理期限",
        voice_rules.REOPEN_DAYS,
        3,
        30,
        "天",
        LOCAL,
        "答复后这么多天内，提交人可以要求重新办理；期满未评价的自动办结。",
    ),
    LocalRule(
        "voice.proposal_answer_days",
        "职代会提案答复时限",
        voice_rules.PROPOSAL_ANSWER_DAYS,
        5,
        60,
        "个工作日",
        LOCAL,
        "提案立案后，承办部门须在这么多个工作日内书面答复。",
    ),
    # 支部先锋行动 and 师带徒 (issue 19): no Party rule fixes these, local practice (plaza.rules.vanguard)
    LocalRule(
        "vanguard.remind_days_before",
        "先锋行动节点提前提醒天数",
        vanguard_rules.REMIND_DAYS_BEFORE,
        0,
        15,
        "天",
        LOCAL,
        "项目节点到期前这么多天，提醒节点负责人和项目负责人（是否按工作日计见“先锋行动天数按工作日计算”）。",
    ),
    LocalRule(
        "vanguard.working_days",
        "先锋行动天数按工作日计算",
        vanguard_rules.COUNT_WORKING_DAYS,
        0,
        1,
        "",
        LOCAL,
        "1：提醒和逾期天数按工作日计算（节假日、周末不计）；0：按自然日计算。",
        allowed=(0, 1),
    ),
    LocalRule(
        "vanguard.escalate_secretary_days",
        "先锋行动节点逾期报支部书记",
        vanguard_rules.ESCALATE_SECRETARY_DAYS,
        1,
        30,
        "天",
        LOCAL,
        "项目节点逾期达到这么多天仍未完成，报项目所属支部的书记。",
    ),
    LocalRule(
        "vanguard.escalate_committee_days",
        "先锋行动节点逾期报党委",
        vanguard_rules.ESCALATE_COMMITTEE_DAYS,
        2,
        60,
        "天",
        LOCAL,
        "项目节点逾期达到这么多天仍未完成，报党委组织部。",
    ),
    LocalRule(
        "studios.check_in_grace_days",
        "师带徒月度交流补记期限",
        vanguard_rules.CHECK_IN_GRACE_DAYS,
        0,
        20,
        "天",
        LOCAL,
        "每月结束后这么多天内，师傅和徒弟须各自记录当月的交流，逾期提醒。",
    ),
    # union (issue 18): the wage base of union dues, the hardship line and review month of 困难职工帮扶
    LocalRule(
        "union.dues_base_share",
        "工会会费计缴基数占月工资的比例",
        Fraction(1),
        Fraction(1, 2),
        Fraction(1),
        "",
        LOCAL,
        "会员按月工资乘以此比例作为计缴基数，交纳其 0.5% 的会费（《中国工会章程》）；按岗位工资计缴的按其占比设置。",
    ),
    LocalRule(
        "union.hardship_line",
        "困难职工家庭人均月收入标准",
        union_rules.HARDSHIP_LINE_DEFAULT,
        Decimal("500.00"),
        Decimal("10000.00"),
        "元/月",
        LOCAL,
        "家庭人均月收入低于此标准（本市最低生活保障标准的 1.5 倍）的职工可建立困难档案。",
    ),
    LocalRule(
        "union.hardship_review_month",
        "困难档案年度复核月份",
        union_rules.REVIEW_MONTH_DEFAULT,
        1,
        12,
        "月",
        LOCAL,
        "分工会每年在此月份复核建档困难职工，到期列入待办。",
    ),
    # league: 团费 (《团章》第一条: 按期交纳团费; the amount is the unit's)
    LocalRule(
        "league.dues_monthly",
        "团员每月交纳团费",
        league_rules.DUES_MONTHLY,
        Decimal("0.10"),
        Decimal("10.00"),
        "元/月",
        LOCAL,
        "每名团员每月交纳的团费（《团章》第一条：按期交纳团费），团费收缴表按此列出应交金额。",
    ),
    # retreats: 疗休养 eligibility (the union's 疗休养办法)
    LocalRule(
        "retreats.min_service_years",
        "疗休养报名的工龄要求",
        retreats_rules.MIN_SERVICE_YEARS,
        0,
        30,
        "年",
        LOCAL,
        "工龄满这么多年的工会会员方可报名疗休养。",
    ),
    LocalRule(
        "retreats.gap_years",
        "疗休养的间隔年限",
        retreats_rules.GAP_YEARS,
        0,
        10,
        "年",
        LOCAL,
        "参加过疗休养的会员，这么多年内不再安排（0 表示不限）。",
    ),
    # 通星汇 (issue 17)
    LocalRule(
        "referrals.protect_days",
        "通星汇线索保护期",
        referrals.PROTECT_DAYS,
        7,
        365,
        "天",
        LOCAL,
        "同一手机号在有效线索后这么多天内再次留资的，算作重复线索，归属于先留资的品牌大使。",
    ),
    LocalRule(
        "referrals.first_contact_hours",
        "通星汇首次联系时限",
        referrals.FIRST_CONTACT_HOURS,
        1,
        24,
        "个工作小时",
        LOCAL,
        "经销商须在新线索到达后这么多个工作小时内首次联系客户，到期未联系的提醒销售顾问。",
    ),
    LocalRule(
        "referrals.freeze_days",
        "通星汇成交冻结期",
        referrals.FREEZE_DAYS,
        0,
        90,
        "天",
        LOCAL,
        "交车后经过这么多天未退车，成交才计入品牌大使的业绩和积分。",
    ),
)

#: Key → rule, in the order the settings page lists them.
RULES: dict[str, LocalRule] = {rule.key: rule for rule in _RULES}
