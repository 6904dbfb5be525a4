"""党员发展: the 5 stages and 25 steps of recruitment, with their order and timing (《细则》).

Sources are cited as Plaza's rulebook cites them: the document, and the article only where the rulebook
names it (《党章》第一条 and 第七条, 《细则》第十九条, 第二十条, 第三十二条 and 第三十四条).

``done`` maps step numbers to the dates they were recorded. The functions answer "from when", "by when"
and "why not yet", so services can refuse a step with a reason the user can read:

>>> done = {1: date(2023, 3, 1), 2: date(2023, 3, 20), 3: date(2024, 3, 1), 4: date(2024, 3, 5),
...         5: date(2024, 3, 5), 6: date(2024, 9, 1)}
>>> earliest(7, done, date(1998, 5, 1))
datetime.date(2025, 3, 1)
>>> [v.message for v in check(7, date(2025, 2, 1), done, date(1998, 5, 1))]
['培养考察未满一年，最早可于 2025-03-01 列为发展对象 (《细则》)']
>>> check(7, date(2025, 3, 1), done, date(1998, 5, 1))
[]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from .dates import add_months, add_years
from .sources import DANGZHANG, XIZE

MIN_AGE = 18
TALK_WITHIN_MONTHS = 1  # step 2 within 1 month of the application
CULTIVATION_YEARS = 1  # step 7 at least 1 year after step 3
APPROVAL_MONTHS = 3  # step 17 within 3 months of step 15; step 24 within 3 months of step 23
APPROVAL_MONTHS_EXTENDED = 6  # step 17, extended once with a reason
PROBATION_YEARS = 1
EXTENSION_MIN_MONTHS, EXTENSION_MAX_MONTHS = 6, 12  # 延长预备期: once only, 6 to 12 months
REVIEW_EVERY_MONTHS = 6  # step 6: a review every half year after step 3
CONVERSION_REMINDER_MONTHS = 1  # step 22: reminder 1 month before probation ends
POLITICAL_REVIEW_VALID_YEARS = 1  # step 10 generally valid for 1 year (local practice, a setting)
LEAVING_WARNING_MONTHS = 3  # a 发展对象 leaving within 3 months: warn, do not block (《细则》第十九条)


@dataclass(frozen=True)
class Step:
    number: int
    stage: str
    name: str
    after: tuple[int, ...]
    timing: str = ""  # the timing rule in words, empty when the rules set none
    rule: str = XIZE  # where the step and its timing come from


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str


S1, S2, S3, S4, S5 = (
    "入党申请",
    "入党积极分子的确定和培养教育",
    "发展对象的确定和考察",
    "预备党员的接收",
    "预备党员的教育考察和转正",
)

STEPS: tuple[Step, ...] = (
    Step(1, S1, "递交入党申请书", (), "申请人年满十八岁", f"{DANGZHANG}第一条"),
    Step(2, S1, "党组织派人谈话", (1,), "收到入党申请书后一个月内", XIZE),
    Step(3, S2, "推荐和确定入党积极分子", (2,), "党员推荐、群团组织推优，支部委员会研究确定", XIZE),
    Step(4, S2, "上级党委备案", (3,), "", XIZE),
    Step(5, S2, "指定培养联系人", (3,), "一至二名正式党员", XIZE),
    Step(6, S2, "培养教育考察", (3,), "每半年考察一次", XIZE),
    Step(7, S3, "确定发展对象", (4, 5, 6), "经过一年以上培养教育和考察，支部委员会讨论同意", XIZE),
    Step(8, S3, "报上级党委备案", (7,), "", XIZE),
    Step(9, S3, "确定入党介绍人", (7,), "两名正式党员", XIZE),
    Step(10, S3, "进行政治审查", (7,), "政治审查一般一年内有效", XIZE),
    Step(11, S3, "开展集中培训", (7,), "不少于三天或二十四个学时", XIZE),
    Step(12, S4, "支部委员会审查", (8, 9, 10, 11), "", XIZE),
    Step(13, S4, "上级党委预审", (12,), "", XIZE),
    Step(14, S4, "填写入党志愿书", (13,), "", XIZE),
    Step(15, S4, "支部大会讨论", (14,), "赞成人数超过应到会有表决权正式党员的半数", f"{XIZE}第二十条"),
    Step(16, S4, "上级党委派人谈话", (15,), "", XIZE),
    Step(17, S4, "上级党委审批", (16,), "支部大会通过后三个月内，可延长一次至六个月", XIZE),
    Step(18, S4, "再上一级党委组织部门备案", (17,), "", XIZE),
    Step(19, S5, "编入党支部和党小组", (17,), "", XIZE),
    Step(20, S5, "入党宣誓", (17,), "", XIZE),
    Step(21, S5, "继续教育考察", (19,), "", XIZE),
    Step(22, S5, "提出转正申请", (21,), "预备期满前提出（期满前一个月提醒）", XIZE),
    Step(23, S5, "支部大会讨论", (22,), "预备期满之日起", f"{DANGZHANG}第七条；{XIZE}第三十二条"),
    Step(24, S5, "上级党委审批", (23,), "支部大会讨论后三个月内", XIZE),
    Step(25, S5, "材料归档", (24,), "", XIZE),
)
BY_NUMBER = {step.number: step for step in STEPS}


def step(number: int) -> Step:
    try:
        return BY_NUMBER[number]
    except (KeyError, TypeError):
        raise ValueError(f"no recruitment step {number!r}; steps are numbered 1 to 25") from None


def probation_end(done: Mapping[int, date], *, extended_months: int = 0) -> date | None:
    """The day probation ends: step 15 + 1 year (《党章》第七条; 《细则》第三十二条), moved by an extension.

    ``extended_months`` is the extension decided at step 23 (once only, 6 to 12 months).
    """
    if 15 not in done:
        return None
    if extended_months and not EXTENSION_MIN_MONTHS <= extended_months <= EXTENSION_MAX_MONTHS:
        raise ValueError("延长预备期 is at least 6 months and at most 1 year")
    return add_months(add_years(done[15], PROBATION_YEARS), extended_months)


def earliest(step_number: int, done: Mapping[int, date], birth_date: date, *, extended_months: int = 0) -> date | None:
    """The first day the step may be recorded; None while a step it comes after is not done.

    A step is never earlier than the steps it comes after. Step 1 needs the applicant to be 18 (《党章》第一条);
    step 7 comes at least 1 year after step 3; step 23 on or after the day probation ends.
    """
    current = step(step_number)
    if any(p not in done for p in current.after):
        return None
    candidates = [done[p] for p in current.after]
    if step_number == 1:
        candidates.append(add_years(birth_date, MIN_AGE))
    elif step_number == 7:
        candidates.append(add_years(done[3], CULTIVATION_YEARS))
    elif step_number == 23:
        end = probation_end(done, extended_months=extended_months)
        if end is not None:
            candidates.append(end)
    return max(candidates)


def latest(
    step_number: int, done: Mapping[int, date], *, extended: bool = False, extended_months: int = 0
) -> date | None:
    """The last day the step is due by; None where the rules set no deadline or the anchor is not done.

    Step 2: 1 month after step 1. Step 17: 3 months after step 15, or 6 when extended once with a reason.
    Step 22: before probation ends. Step 24: 3 months after step 23.
    """
    step(step_number)
    if step_number == 2 and 1 in done:
        return add_months(done[1], TALK_WITHIN_MONTHS)
    if step_number == 17 and 15 in done:
        return add_months(done[15], APPROVAL_MONTHS_EXTENDED if extended else APPROVAL_MONTHS)
    if step_number == 22:
        return probation_end(done, extended_months=extended_months)
    if step_number == 24 and 23 in done:
        return add_months(done[23], APPROVAL_MONTHS)
    return None


def overdue(step_number: int, on: date, done: Mapping[int, date], **kwargs: object) -> bool:
    """Whether the step is still open after its deadline. Recording late stays possible: lateness is
    reminded about and reported, never a reason to refuse the record."""
    due = latest(step_number, done, **kwargs)  # type: ignore[arg-type]
    return step_number not in done and due is not None and on > due


def check(
    step_number: int, on: date, done: Mapping[int, date], birth_date: date, *, extended_months: int = 0
) -> list[Violation]:
    """[] when the step may be recorded on ``on``; else each broken rule with its source and a reason."""
    current = step(step_number)
    problems: list[Violation] = []
    if step_number in done:
        problems.append(
            Violation(current.rule, f"第{step_number}步「{current.name}」已于 {done[step_number].isoformat()} 记录")
        )
        return problems
    for p in current.after:
        if p not in done:
            prior = BY_NUMBER[p]
            problems.append(Violation(prior.rule, f"须先完成第{p}步「{prior.name}」"))
        elif on < done[p]:
            prior = BY_NUMBER[p]
            problems.append(Violation(prior.rule, f"不能早于第{p}步「{prior.name}」的日期 {done[p].isoformat()}"))
    if problems:
        return problems
    if step_number == 1:
        adult = add_years(birth_date, MIN_AGE)
        if on < adult:
            problems.append(
                Violation(
                    f"{DANGZHANG}第一条",
                    f"申请人未满十八周岁，最早可于 {adult.isoformat()} 递交入党申请书 ({DANGZHANG}第一条)",
                )
            )
    elif step_number == 7:
        ready = add_years(done[3], CULTIVATION_YEARS)
        if on < ready:
            problems.append(
                Violation(current.rule, f"培养考察未满一年，最早可于 {ready.isoformat()} 列为发展对象 ({current.rule})")
            )
    elif step_number == 23:
        end = probation_end(done, extended_months=extended_months)
        if end is not None and on < end:
            problems.append(
                Violation(current.rule, f"预备期未满，最早可于 {end.isoformat()} 讨论转正 ({current.rule})")
            )
    if step_number == 15 and 10 in done:
        valid_until = add_years(done[10], POLITICAL_REVIEW_VALID_YEARS)
        if on > valid_until:
            problems.append(
                Violation(
                    f"{XIZE}（本单位规定）",
                    f"政治审查已于 {valid_until.isoformat()} 超过一年有效期，请重新审查后再提交支部大会 ({XIZE})",
                )
            )
    return problems


def review_reminders(done: Mapping[int, date], until: date) -> list[date]:
    """Step 6 reviews: every half year after step 3 (step 3 + 6, 12, 18 … months), up to ``until``."""
    if 3 not in done:
        return []
    dates, n = [], 1
    while (due := add_months(done[3], REVIEW_EVERY_MONTHS * n)) <= until:
        dates.append(due)
        n += 1
    return dates


def conversion_reminder(done: Mapping[int, date], *, extended_months: int = 0) -> date | None:
    """When to remind a probationary member to apply for conversion (1 month before probation ends)."""
    end = probation_end(done, extended_months=extended_months)
    return add_months(end, -CONVERSION_REMINDER_MONTHS) if end else None
