"""党员发展: the 5 stages and 25 steps of recruitment, their order and timing (《细则》).

``done`` maps step numbers to the dates they were recorded. After a 延长预备期 the caller passes only the
current round of steps 22–23 (the earlier round is history) and the extension as ``extended_months``.

The functions answer "from when" (:func:`earliest`), "by when" (:func:`latest`, :func:`overdue`) and
"why not" (:func:`check`), so services can refuse a step with a reason people can read:

>>> done = {1: date(2023, 3, 1), 2: date(2023, 3, 20), 3: date(2024, 3, 1), 4: date(2024, 3, 5),
...         5: date(2024, 3, 5), 6: date(2024, 9, 1)}
>>> earliest(7, done, date(1998, 5, 1))
datetime.date(2025, 3, 1)
>>> [v.message for v in check(7, date(2025, 2, 1), done, date(1998, 5, 1))]
['培养考察未满一年，最早可于 2025-03-01 列为发展对象 (《细则》)']
>>> check(7, date(2025, 3, 1), done, date(1998, 5, 1))
[]

Lateness is not a refusal: a step past its :func:`latest` day may still be recorded; :func:`overdue`
tells reminders and to-do lists about it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import IntEnum

from .dates import add_months, add_years, require_date
from .meetings import branch_resolution
from .sources import DANGZHANG, LOCAL, XIZE, Violation

__all__ = [
    "EXTENSION_MAX_MONTHS",
    "EXTENSION_MIN_MONTHS",
    "OUTCOMES",
    "STAGES",
    "STEPS",
    "Step",
    "StepInfo",
    "Violation",
    "BRANCH_MEETING_STEPS",
    "ADMISSION_COUNTED_AT",
    "CONVERSION_COUNTED_AT",
    "ancestors",
    "check",
    "check_branch_vote",
    "check_outcome",
    "training_long_enough",
    "conversion_reminder",
    "earliest",
    "latest",
    "leaving_warning",
    "missing_prerequisites",
    "open_steps",
    "overdue",
    "party_standing_from",
    "probation_end",
    "ready_steps",
    "review_reminders",
    "stage_index",
    "step",
    "waiting_steps",
]

MIN_AGE = 18  # 《党章》第一条
TALK_WITHIN_MONTHS = 1  # step 2 within 1 month of step 1
CULTIVATION_YEARS = 1  # step 7 at least 1 year after step 3
APPROVAL_MONTHS = 3  # step 17 within 3 months of step 15; step 24 within 3 months of step 23
APPROVAL_MONTHS_EXTENDED = 6  # step 17, extended once with a reason
PROBATION_YEARS = 1  # 《党章》第七条; 《细则》第三十二条
EXTENSION_MIN_MONTHS, EXTENSION_MAX_MONTHS = 6, 12  # 延长预备期: once only, at least 6 months, at most 1 year
REVIEW_EVERY_MONTHS = 6  # step 6: a review every half year after step 3
CONVERSION_REMINDER_MONTHS = 1  # step 22: reminder 1 month before probation ends
POLITICAL_REVIEW_VALID_YEARS = 1  # step 10 is generally valid for 1 year (local practice, a setting)
LEAVING_WARNING_MONTHS = 3  # a 发展对象 leaving the unit within 3 months (《细则》第十九条)
THOUGHT_REPORT_MONTHS = 3  # 思想汇报: quarterly by default (a setting)
TRAINING_MIN_DAYS, TRAINING_MIN_HOURS = 3, 24  # step 11: 集中培训不少于三天或二十四个学时 (《细则》), either


class Step(IntEnum):
    """The 25 steps by name, so code says ``Step.ADMISSION_VOTE`` where it used to say ``15``.

    An ``IntEnum``: each member equals its number, so it keys ``done`` mappings, goes into the database
    and into the rules API (which takes and returns plain numbers) unchanged; :attr:`info` is its
    :class:`StepInfo` in :data:`STEPS`, :attr:`label` its Chinese name.

    >>> Step.ADMISSION_VOTE == 15, Step(7).label, {15: 1}[Step.ADMISSION_VOTE]
    (True, '确定发展对象', 1)
    """

    APPLICATION = 1  # 递交入党申请书
    TALK = 2  # 党组织派人谈话
    ACTIVIST = 3  # 推荐和确定入党积极分子
    ACTIVIST_FILED = 4  # 上级党委备案
    CONTACTS = 5  # 指定培养联系人
    CULTIVATION = 6  # 培养教育考察
    CANDIDATE = 7  # 确定发展对象
    CANDIDATE_FILED = 8  # 报上级党委备案
    SPONSORS = 9  # 确定入党介绍人
    POLITICAL_REVIEW = 10  # 进行政治审查
    TRAINING = 11  # 开展集中培训
    COMMITTEE_REVIEW = 12  # 支部委员会审查
    PRE_REVIEW = 13  # 上级党委预审
    MEMBERSHIP_FORM = 14  # 填写入党志愿书
    ADMISSION_VOTE = 15  # 支部大会讨论（接收预备党员）
    APPROVAL_TALK = 16  # 上级党委派人谈话
    ADMISSION_APPROVAL = 17  # 上级党委审批（接收预备党员）
    ADMISSION_FILED = 18  # 再上一级党委组织部门备案
    PLACEMENT = 19  # 编入党支部和党小组
    OATH = 20  # 入党宣誓
    PROBATION_EDUCATION = 21  # 继续教育考察
    CONVERSION_REQUEST = 22  # 提出转正申请
    CONVERSION_VOTE = 23  # 支部大会讨论（转正）
    CONVERSION_APPROVAL = 24  # 上级党委审批（转正）
    ARCHIVE = 25  # 材料归档

    @property
    def info(self) -> StepInfo:
        """The step's entry in :data:`STEPS` (stage, name, prerequisites, timing, source)."""
        return BY_NUMBER[self.value]

    @property
    def label(self) -> str:
        """The step's Chinese name, as people read it."""
        return BY_NUMBER[self.value].name


#: The steps decided by a vote of the 支部党员大会 (《细则》第二十条): admission (15) and conversion (23).
BRANCH_MEETING_STEPS = frozenset({Step.ADMISSION_VOTE, Step.CONVERSION_VOTE})
#: The step whose date counts a person as admitted (接收预备党员) in the yearly figures and against a branch's
#: 发展计划: the higher committee's approval (step 17, 《细则》, rulebook §1), not the branch meeting's vote (15),
#: which the committee may still refuse. Pages and statistics ask this instead of naming a step.
ADMISSION_COUNTED_AT = Step.ADMISSION_APPROVAL
#: Likewise a conversion (转为正式党员) counts on the higher committee's approval (step 24, 《细则》, rulebook §1).
CONVERSION_COUNTED_AT = Step.CONVERSION_APPROVAL
#: The first step of each of the five stages, in the order of :data:`STAGES`.
STAGE_ENTRY: tuple[Step, ...] = (
    Step.APPLICATION,
    Step.ACTIVIST,
    Step.CANDIDATE,
    Step.COMMITTEE_REVIEW,
    Step.PLACEMENT,
)

PROBATION_RULE = f"{DANGZHANG}第七条；{XIZE}第三十二条"

STAGES: tuple[str, ...] = ("入党申请", "积极分子", "发展对象", "接收预备党员", "教育考察和转正")


@dataclass(frozen=True)
class StepInfo:
    """One of the 25 steps.

    ``after``: the steps it comes after; ``timing``: its timing rule in words ("" when the rules set none);
    ``rule``: the source of the step and its timing rule; ``note``: what else the rules ask of it.
    """

    number: int
    stage: str
    name: str
    after: tuple[int, ...]
    timing: str = ""
    rule: str = XIZE
    note: str = ""


_A, _B, _C, _D, _E = STAGES
STEPS: tuple[StepInfo, ...] = (
    StepInfo(1, _A, "递交入党申请书", (), "申请人年满十八周岁", f"{DANGZHANG}第一条"),
    StepInfo(2, _A, "党组织派人谈话", (1,), "收到入党申请书后一个月内"),
    StepInfo(3, _B, "推荐和确定入党积极分子", (2,), note="党员推荐、群团组织推优，支部委员会研究确定"),
    StepInfo(4, _B, "上级党委备案", (3,)),
    StepInfo(5, _B, "指定培养联系人", (3,), note="一至二名正式党员"),
    StepInfo(6, _B, "培养教育考察", (3,), "每半年考察一次（确定为积极分子后每满六个月）"),
    StepInfo(7, _C, "确定发展对象", (4, 5, 6), "确定为入党积极分子一年以上", note="支部委员会讨论同意"),
    StepInfo(8, _C, "报上级党委备案", (7,)),
    StepInfo(9, _C, "确定入党介绍人", (7,), note="两名正式党员"),
    StepInfo(10, _C, "进行政治审查", (7,), note="政治审查一般一年内有效（本单位规定）"),
    StepInfo(11, _C, "开展集中培训", (7,), note="不少于三天或二十四个学时"),
    StepInfo(12, _D, "支部委员会审查", (8, 9, 10, 11)),
    StepInfo(13, _D, "上级党委预审", (12,)),
    StepInfo(14, _D, "填写入党志愿书", (13,)),
    StepInfo(
        15,
        _D,
        "支部大会讨论",
        (14,),
        rule=f"{XIZE}第二十条",
        note="到会有表决权的党员超过半数，赞成人数超过应到会有表决权正式党员的半数",
    ),
    StepInfo(16, _D, "上级党委派人谈话", (15,)),
    StepInfo(17, _D, "上级党委审批", (16,), "支部大会讨论后三个月内；有正当理由的可延长一次，至多六个月"),
    StepInfo(18, _D, "再上一级党委组织部门备案", (17,)),
    StepInfo(19, _E, "编入党支部和党小组", (17,)),
    StepInfo(20, _E, "入党宣誓", (17,)),
    StepInfo(21, _E, "继续教育考察", (19,)),
    StepInfo(22, _E, "提出转正申请", (21,), "预备期满前提出（期满前一个月提醒）", PROBATION_RULE),
    StepInfo(
        23,
        _E,
        "支部大会讨论",
        (22,),
        "预备期满之日起",
        PROBATION_RULE,
        note="转为正式党员、延长预备期（只能一次，六个月至一年）或取消预备党员资格",
    ),
    StepInfo(24, _E, "上级党委审批", (23,), "支部大会讨论后三个月内"),
    StepInfo(25, _E, "材料归档", (24,), note="入党申请书、入党志愿书、考察材料、培养教育记录和转正申请归档，永不删除"),
)
BY_NUMBER: dict[int, StepInfo] = {s.number: s for s in STEPS}


def stage_index(last_step: int) -> int:
    """The one definition of where a person stands (0–4, an index into :data:`STAGES`): the stage of the
    last step recorded, since a stage is reached by doing its first step, not by being able to do it next —
    an applicant who has had the talk (step 2) is still an 入党申请人 until step 3 makes them an activist.
    Nothing recorded yet (0) counts as the first stage.

    >>> [STAGES[stage_index(n)] for n in (0, 2, 3, 6, 7, 12, 19, 25)][:4]
    ['入党申请', '入党申请', '积极分子', '积极分子']
    """
    if isinstance(last_step, bool) or not isinstance(last_step, int) or not 0 <= last_step <= len(STEPS):
        raise ValueError(f"last_step must be a whole number from 0 to {len(STEPS)}, got {last_step!r}")
    return STAGES.index(BY_NUMBER[max(last_step, Step.APPLICATION)].stage)


def _all_before(number: int) -> frozenset[int]:
    found: set[int] = set()
    for prior in BY_NUMBER[number].after:
        found |= {prior} | _all_before(prior)
    return frozenset(found)


ANCESTORS: dict[int, frozenset[int]] = {s.number: _all_before(s.number) for s in STEPS}

#: Step 23 decides one of these (《细则》).
OUTCOMES: dict[str, str] = {"convert": "转为正式党员", "extend": "延长预备期", "cancel": "取消预备党员资格"}


def step(number: int) -> StepInfo:
    """The step numbered ``number`` (1 to 25); ValueError for any other number.

    >>> step(7).name, step(7).stage, step(7).after
    ('确定发展对象', '发展对象', (4, 5, 6))
    """
    if isinstance(number, bool) or not isinstance(number, int) or number not in BY_NUMBER:
        raise ValueError(f"no recruitment step {number!r}; steps are numbered 1 to {len(STEPS)}")
    return BY_NUMBER[number]


def ancestors(number: int) -> frozenset[int]:
    """Every step that ``number`` comes after, directly or through other steps.

    >>> sorted(ancestors(7))
    [1, 2, 3, 4, 5, 6]
    """
    return ANCESTORS[step(number).number]


def _check_done(done: Mapping[int, date]) -> None:
    if not isinstance(done, Mapping):
        raise ValueError("done must map step numbers to dates")
    for number, day in done.items():
        step(number)
        require_date(day, f"the date of step {number}")


def _check_extension(extended_months: int) -> None:
    if isinstance(extended_months, bool) or not isinstance(extended_months, int):
        raise ValueError(f"extended_months must be a whole number, got {extended_months!r}")
    if extended_months and not EXTENSION_MIN_MONTHS <= extended_months <= EXTENSION_MAX_MONTHS:
        raise ValueError(
            f"延长预备期 is 0 (none) or {EXTENSION_MIN_MONTHS} to {EXTENSION_MAX_MONTHS} months, got {extended_months}"
        )


def missing_prerequisites(number: int, done: Mapping[int, date]) -> list[int]:
    """The steps ``number`` comes after (directly or not) that are not in ``done``, in order.

    >>> missing_prerequisites(4, {1: date(2024, 1, 2)})
    [2, 3]
    """
    _check_done(done)
    return sorted(p for p in ancestors(number) if p not in done)


def open_steps(done: Mapping[int, date]) -> list[int]:
    """The steps not yet done whose prerequisites are all done: what may come next (dates aside).

    >>> open_steps({1: date(2024, 1, 2), 2: date(2024, 1, 9), 3: date(2024, 3, 1)})
    [4, 5, 6]
    """
    _check_done(done)
    return [s.number for s in STEPS if s.number not in done and ANCESTORS[s.number] <= done.keys()]


def waiting_steps(done: Mapping[int, date], on: date, birth_date: date, *, extended_months: int = 0) -> dict[int, date]:
    """The open steps (:func:`open_steps`) that may not be recorded yet on ``on``, each with its :func:`earliest`
    day: what a to-do list must not offer until that day (a dated reminder announces it instead).

    >>> waiting_steps({1: date(2024, 1, 2), 2: date(2024, 1, 9), 3: date(2024, 3, 1), 4: date(2024, 3, 1),
    ...                5: date(2024, 3, 1), 6: date(2024, 9, 1)}, date(2024, 12, 1), date(1998, 5, 1))
    {7: datetime.date(2025, 3, 1)}
    """
    require_date(on, "on")
    require_date(birth_date, "birth_date")
    _check_extension(extended_months)
    waiting = {}
    for number in open_steps(done):
        first = _earliest(number, done, birth_date, extended_months)
        if first is not None and first > on:  # never None: an open step has its prerequisites
            waiting[number] = first
    return waiting


def ready_steps(done: Mapping[int, date], on: date, birth_date: date, *, extended_months: int = 0) -> list[int]:
    """The open steps that may be recorded on ``on``: prerequisites done and :func:`earliest` day reached —
    what a to-do list offers (prerequisites alone are not enough: a step refused until a later day cannot be
    done by whoever is asked to do it).

    >>> ready_steps({1: date(2024, 1, 2), 2: date(2024, 1, 9), 3: date(2024, 3, 1)}, date(2024, 5, 1),
    ...             date(1998, 5, 1))
    [4, 5, 6]
    """
    waiting = waiting_steps(done, on, birth_date, extended_months=extended_months)  # checks the arguments
    return [
        s.number
        for s in STEPS
        if s.number not in done and s.number not in waiting and ANCESTORS[s.number] <= done.keys()
    ]


def probation_end(done: Mapping[int, date], *, extended_months: int = 0) -> date | None:
    """The day probation ends: step 15 + 1 year (《党章》第七条; 《细则》第三十二条), moved on by
    ``extended_months`` (0, or 6 to 12 once decided at step 23). None while step 15 is not done.

    >>> probation_end({15: date(2024, 2, 29)}), probation_end({15: date(2024, 2, 29)}, extended_months=6)
    (datetime.date(2025, 2, 28), datetime.date(2025, 8, 28))
    """
    _check_done(done)
    _check_extension(extended_months)
    if Step.ADMISSION_VOTE not in done:
        return None
    return add_months(add_years(done[Step.ADMISSION_VOTE], PROBATION_YEARS), extended_months)


def party_standing_from(done: Mapping[int, date], *, extended_months: int = 0) -> date | None:
    """The day 党龄 counts from: the day probation ends (《细则》第三十四条)."""
    return probation_end(done, extended_months=extended_months)


def earliest(step_number: int, done: Mapping[int, date], birth_date: date, *, extended_months: int = 0) -> date | None:
    """The first day the step may be recorded; None while a step it comes after is not done.

    A step is never earlier than any step it comes after (directly or not). Besides, step 1 needs the
    applicant to be 18 (《党章》第一条; born on Feb 29, that is Feb 28 of a common year); step 7 comes at
    least 1 year after step 3; step 23 on or after the day probation ends (``extended_months`` moves it). Step 6
    has no day of its own: the rulebook gives it none (its half-yearly reviews are reminders, not refusals).

    >>> earliest(1, {}, date(2006, 2, 28)), earliest(1, {}, date(2008, 2, 29))
    (datetime.date(2024, 2, 28), datetime.date(2026, 2, 28))
    """
    current = step(step_number)
    require_date(birth_date, "birth_date")
    _check_done(done)
    if current.number == Step.CONVERSION_VOTE:
        _check_extension(extended_months)
    return _earliest(current.number, done, birth_date, extended_months)


def _earliest(number: int, done: Mapping[int, date], birth_date: date, extended_months: int) -> date | None:
    """:func:`earliest` on arguments already checked (the daily sweep asks it of every open step of every
    pipeline: checking ``done`` once per pipeline, not once per step, keeps that cheap)."""
    if not ANCESTORS[number] <= done.keys():
        return None
    candidates = [done[p] for p in ANCESTORS[number]]
    if number == Step.APPLICATION:
        candidates.append(add_years(birth_date, MIN_AGE))
    elif number == Step.CANDIDATE:
        candidates.append(add_years(done[Step.ACTIVIST], CULTIVATION_YEARS))
    elif number == Step.CONVERSION_VOTE:  # step 15 is among the steps 23 comes after
        candidates.append(add_months(add_years(done[Step.ADMISSION_VOTE], PROBATION_YEARS), extended_months))
    return max(candidates)


def latest(
    step_number: int, done: Mapping[int, date], *, extended: bool = False, extended_months: int = 0
) -> date | None:
    """The last day the step is due by; None where the rules set no deadline or its anchor is not done.

    Step 2: 1 month after step 1. Step 17: 3 months after step 15, or 6 when ``extended`` (once, with a
    reason the caller records). Step 22: the day probation ends (moved by ``extended_months``). Step 24:
    3 months after step 23.

    >>> latest(17, {15: date(2025, 6, 1)}), latest(17, {15: date(2025, 6, 1)}, extended=True)
    (datetime.date(2025, 9, 1), datetime.date(2025, 12, 1))
    """
    current = step(step_number)
    _check_done(done)
    _check_extension(extended_months)
    if current.number == Step.TALK and Step.APPLICATION in done:
        return add_months(done[Step.APPLICATION], TALK_WITHIN_MONTHS)
    if current.number == Step.ADMISSION_APPROVAL and Step.ADMISSION_VOTE in done:
        months = APPROVAL_MONTHS_EXTENDED if extended else APPROVAL_MONTHS
        return add_months(done[Step.ADMISSION_VOTE], months)
    if current.number == Step.CONVERSION_REQUEST:
        return probation_end(done, extended_months=extended_months)
    if current.number == Step.CONVERSION_APPROVAL and Step.CONVERSION_VOTE in done:
        return add_months(done[Step.CONVERSION_VOTE], APPROVAL_MONTHS)
    return None


def overdue(
    step_number: int, on: date, done: Mapping[int, date], *, extended: bool = False, extended_months: int = 0
) -> bool:
    """Whether the step is still not done on ``on`` although its :func:`latest` day has passed.

    Lateness is not a refusal: the step may still be recorded; this only drives reminders and escalation.

    >>> overdue(2, date(2025, 2, 28), {1: date(2025, 1, 31)}), overdue(2, date(2025, 3, 1), {1: date(2025, 1, 31)})
    (False, True)
    """
    require_date(on, "on")
    due = latest(step_number, done, extended=extended, extended_months=extended_months)
    return step_number not in done and due is not None and on > due


def check(
    step_number: int,
    on: date,
    done: Mapping[int, date],
    birth_date: date,
    *,
    extended_months: int = 0,
    political_review_years: int = POLITICAL_REVIEW_VALID_YEARS,
) -> list[Violation]:
    """[] when the step may be recorded on ``on``; else every rule it breaks, with its source and reason.

    Violation codes: "recorded" (already in ``done``; nothing else is checked), "prerequisite" (a step it
    comes after is missing; dates are not checked then), "order" (``on`` is before a step it comes after),
    "age" (step 1 under 18), "too_early" (step 7 within a year of step 3; step 23 before probation ends),
    "review_expired" (step 15 more than ``political_review_years`` after the political review, step 10; a
    local-practice setting). Being past :func:`latest` is not a violation (see :func:`overdue`).

    >>> [v.code for v in check(1, date(2024, 2, 27), {}, date(2006, 2, 28))]
    ['age']
    >>> [v.code for v in check(3, date(2024, 5, 1), {1: date(2024, 3, 1)}, date(2000, 1, 1))]
    ['prerequisite']
    """
    current = step(step_number)
    require_date(on, "on")
    require_date(birth_date, "birth_date")
    _check_done(done)
    _check_extension(extended_months)
    if (
        isinstance(political_review_years, bool)
        or not isinstance(political_review_years, int)
        or political_review_years < 0
    ):
        raise ValueError(f"political_review_years must be a whole number (0: no limit), got {political_review_years!r}")
    if current.number in done:
        return [
            Violation(
                current.rule,
                (
                    f"第{current.number}步「{current.name}」已于 {done[current.number].isoformat()} 记录，"
                    f"不能重复记录 ({XIZE})"
                ),
                "recorded",
            )
        ]

    problems = [
        Violation(
            XIZE,
            f"须先完成第{p}步「{BY_NUMBER[p].name}」，才能记录第{current.number}步「{current.name}」 ({XIZE})",
            "prerequisite",
        )
        for p in current.after
        if p not in done
    ]
    absent = missing_prerequisites(current.number, done)
    if absent and not problems:  # the direct prerequisites are there, but the record has gaps further back
        numbers = "、".join(str(p) for p in absent)
        problems.append(Violation(XIZE, f"记录不完整：第{numbers}步尚未记录，须先补记 ({XIZE})", "prerequisite"))
    if problems:
        return problems

    if ANCESTORS[current.number]:
        last = max(ANCESTORS[current.number], key=lambda p: (done[p], p))
        if on < done[last]:
            problems.append(
                Violation(
                    XIZE,
                    (
                        f"第{current.number}步不能早于第{last}步「{BY_NUMBER[last].name}」的日期，最早可于 "
                        f"{done[last].isoformat()} 记录 ({XIZE})"
                    ),
                    "order",
                )
            )
    if current.number == Step.APPLICATION:
        adult = add_years(birth_date, MIN_AGE)
        if on < adult:
            problems.append(
                Violation(
                    current.rule,
                    (f"申请人未满十八周岁，最早可于 {adult.isoformat()} 递交入党申请书 ({current.rule})"),
                    "age",
                )
            )
    elif current.number == Step.CANDIDATE:
        ready = add_years(done[Step.ACTIVIST], CULTIVATION_YEARS)
        if on < ready:
            problems.append(
                Violation(XIZE, f"培养考察未满一年，最早可于 {ready.isoformat()} 列为发展对象 ({XIZE})", "too_early")
            )
    elif current.number == Step.CONVERSION_VOTE:
        end = probation_end(done, extended_months=extended_months)
        if end is not None and on < end:
            problems.append(
                Violation(
                    PROBATION_RULE,
                    (f"预备期未满，于 {end.isoformat()} 期满，最早可于当日召开支部大会讨论转正 ({PROBATION_RULE})"),
                    "too_early",
                )
            )
    elif current.number == Step.ADMISSION_VOTE and political_review_years:
        reviewed_on = done[Step.POLITICAL_REVIEW]
        valid_until = add_years(reviewed_on, political_review_years)
        if on > valid_until:
            problems.append(
                Violation(
                    f"{XIZE}；{LOCAL}",
                    (
                        f"政治审查于 {reviewed_on.isoformat()} 完成，一般 {political_review_years} 年内有效（到 "
                        f"{valid_until.isoformat()} 为止）：须重新进行政治审查后再提交支部大会讨论 ({XIZE}；{LOCAL})"
                    ),
                    "review_expired",
                )
            )
    return problems


def training_long_enough(*, hours: int | None = None, days: int | None = None) -> bool:
    """Step 11: 集中培训不少于三天或二十四个学时 (《细则》) — either figure suffices, so a training recorded in
    days (3) is as good as one recorded in hours (24).

    >>> training_long_enough(days=3), training_long_enough(hours=23), training_long_enough(days=2, hours=24)
    (True, False, True)
    """
    return (hours or 0) >= TRAINING_MIN_HOURS or (days or 0) >= TRAINING_MIN_DAYS


def check_branch_vote(step: int, *, entitled: int, present: int, yes: int) -> list[Violation]:
    """A step decided by the 支部党员大会 (:data:`BRANCH_MEETING_STEPS`) is taken only when the meeting was
    quorate and the resolution passed (``plaza.rules.meetings.branch_resolution``): a failed vote on
    admission admits nobody, and a failed vote on a conversion, an extension or a cancellation decides
    nothing — the branch meets and votes again (《细则》第二十条; for step 23 also 《党章》第七条).

    ValueError for a step not decided by the branch meeting or for impossible head-counts.

    >>> [v.code for v in check_branch_vote(23, entitled=10, present=6, yes=5)]
    ['not_passed']
    >>> check_branch_vote(23, entitled=10, present=6, yes=6)
    []
    >>> [v.code for v in check_branch_vote(15, entitled=10, present=5, yes=5)]
    ['not_quorate']
    """
    if step not in BRANCH_MEETING_STEPS:
        raise ValueError(f"step {step} is not decided by a branch general meeting")
    resolution = branch_resolution(entitled=entitled, present=present, yes=yes)
    rule = BY_NUMBER[step].rule if step == Step.ADMISSION_VOTE else f"{XIZE}第二十条；{DANGZHANG}第七条"
    if not resolution.quorate:
        return [
            Violation(
                rule,
                f"到会有表决权的党员未超过半数（应到 {entitled}，实到 {present}），不能表决 ({resolution.rule})",
                "not_quorate",
            )
        ]
    if not resolution.passed:
        what = "接收预备党员" if step == Step.ADMISSION_VOTE else "该决议"
        return [
            Violation(
                rule,
                (
                    f"赞成 {yes} 人，未超过应到会有表决权正式党员（{entitled} 人）的半数，{what}未通过，"
                    f"不能记录 ({resolution.rule})"
                ),
                "not_passed",
            )
        ]
    return []


def check_outcome(outcome: str, *, extension_months: int = 0, already_extended: bool = False) -> list[Violation]:
    """Check a step-23 decision: "convert" (转为正式党员), "extend" (延长预备期) or "cancel"
    (取消预备党员资格). An extension is once only, at least 6 months and at most 1 year (《细则》).

    ValueError for an unknown outcome; the returned Violations are rule breaches people can correct.

    >>> [v.code for v in check_outcome("extend", extension_months=3)], check_outcome("extend", extension_months=12)
    (['extension_length'], [])
    """
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}; expected one of {', '.join(OUTCOMES)}")
    problems = []
    if outcome == "extend":
        if already_extended:
            problems.append(Violation(XIZE, f"预备期只能延长一次，已经延长过的不能再延长 ({XIZE})", "extension_twice"))
        if not EXTENSION_MIN_MONTHS <= extension_months <= EXTENSION_MAX_MONTHS:
            problems.append(
                Violation(
                    XIZE,
                    (
                        f"延长预备期不少于{EXTENSION_MIN_MONTHS}个月、不超过一年，"
                        f"不能是 {extension_months} 个月 ({XIZE})"
                    ),
                    "extension_length",
                )
            )
    elif extension_months:
        problems.append(Violation(XIZE, f"只有延长预备期时才填写延长的月数 ({XIZE})", "extension_length"))
    return problems


def review_reminders(done: Mapping[int, date], until: date) -> list[date]:
    """Step 6 reviews, every half year after step 3 (step 3 + 6, 12, 18 … months), up to ``until``
    inclusive and before step 7 (once a 发展对象, the activist reviews stop).

    >>> review_reminders({3: date(2024, 8, 31)}, date(2025, 9, 1))
    [datetime.date(2025, 2, 28), datetime.date(2025, 8, 31)]
    """
    _check_done(done)
    require_date(until, "until")
    if Step.ACTIVIST not in done:
        return []
    reminders, n = [], 1
    while (due := add_months(done[Step.ACTIVIST], REVIEW_EVERY_MONTHS * n)) <= until:
        if Step.CANDIDATE in done and due >= done[Step.CANDIDATE]:
            break
        reminders.append(due)
        n += 1
    return reminders


def conversion_reminder(done: Mapping[int, date], *, extended_months: int = 0) -> date | None:
    """When to remind a probationary member to apply for conversion (step 22): 1 month before probation
    ends. None while step 15 is not done.

    >>> conversion_reminder({15: date(2024, 3, 31)})
    datetime.date(2025, 2, 28)
    """
    end = probation_end(done, extended_months=extended_months)
    return None if end is None else add_months(end, -CONVERSION_REMINDER_MONTHS)


def leaving_warning(on: date, leaves_on: date | None) -> Violation | None:
    """A warning (never a refusal) when a 发展对象 leaves the unit within 3 months of ``on``: such a person
    is generally not admitted (《细则》第十九条). None when ``leaves_on`` is None or later.

    >>> leaving_warning(date(2025, 1, 31), date(2025, 4, 30)).code, leaving_warning(date(2025, 1, 31), date(2025, 5, 1))
    ('leaving', None)
    """
    require_date(on, "on")
    if leaves_on is None:
        return None
    require_date(leaves_on, "leaves_on")
    limit = add_months(on, LEAVING_WARNING_MONTHS)
    if leaves_on > limit:
        return None
    rule = f"{XIZE}第十九条"
    return Violation(
        rule,
        (
            f"该发展对象将于 {leaves_on.isoformat()} 离开工作、学习单位（{LEAVING_WARNING_MONTHS} 个月内），"
            f"一般不办理接收手续 ({rule})"
        ),
        "leaving",
    )
