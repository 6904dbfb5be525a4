"""The 25 steps' and five stages' names in the reader's language.

``plaza.rules.recruitment`` is pure Python and keeps the names in Chinese, as the 《细则》 writes them (the rules
API returns them unchanged). Pages show them through :func:`step_name` and :func:`stage_name` (template filters
``step_name`` and ``stage_name`` in ``plaza_format``), which give the same Chinese words in Chinese and the
catalogue's words in English. ``tests/test_labels.py`` keeps this list in step with the rules.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import pgettext, pgettext_lazy

from plaza.lib import rulewords
from plaza.rules.recruitment import BY_NUMBER, STAGES, Step

STEP_NAMES: dict[int, Promise] = {
    Step.APPLICATION: pgettext_lazy("recruitment step", "递交入党申请书"),
    Step.TALK: pgettext_lazy("recruitment step", "党组织派人谈话"),
    Step.ACTIVIST: pgettext_lazy("recruitment step", "推荐和确定入党积极分子"),
    Step.ACTIVIST_FILED: pgettext_lazy("recruitment step", "上级党委备案"),
    Step.CONTACTS: pgettext_lazy("recruitment step", "指定培养联系人"),
    Step.CULTIVATION: pgettext_lazy("recruitment step", "培养教育考察"),
    Step.CANDIDATE: pgettext_lazy("recruitment step", "确定发展对象"),
    Step.CANDIDATE_FILED: pgettext_lazy("recruitment step", "报上级党委备案"),
    Step.SPONSORS: pgettext_lazy("recruitment step", "确定入党介绍人"),
    Step.POLITICAL_REVIEW: pgettext_lazy("recruitment step", "进行政治审查"),
    Step.TRAINING: pgettext_lazy("recruitment step", "开展集中培训"),
    Step.COMMITTEE_REVIEW: pgettext_lazy("recruitment step", "支部委员会审查"),
    Step.PRE_REVIEW: pgettext_lazy("recruitment step", "上级党委预审"),
    Step.MEMBERSHIP_FORM: pgettext_lazy("recruitment step", "填写入党志愿书"),
    Step.ADMISSION_VOTE: pgettext_lazy("recruitment step", "支部大会讨论"),
    Step.APPROVAL_TALK: pgettext_lazy("recruitment step", "上级党委派人谈话"),
    Step.ADMISSION_APPROVAL: pgettext_lazy("recruitment step", "上级党委审批"),
    Step.ADMISSION_FILED: pgettext_lazy("recruitment step", "再上一级党委组织部门备案"),
    Step.PLACEMENT: pgettext_lazy("recruitment step", "编入党支部和党小组"),
    Step.OATH: pgettext_lazy("recruitment step", "入党宣誓"),
    Step.PROBATION_EDUCATION: pgettext_lazy("recruitment step", "继续教育考察"),
    Step.CONVERSION_REQUEST: pgettext_lazy("recruitment step", "提出转正申请"),
    Step.CONVERSION_VOTE: pgettext_lazy("recruitment step", "支部大会讨论"),
    Step.CONVERSION_APPROVAL: pgettext_lazy("recruitment step", "上级党委审批"),
    Step.ARCHIVE: pgettext_lazy("recruitment step", "材料归档"),
}

STAGE_NAMES: dict[str, Promise] = {
    "入党申请": pgettext_lazy("recruitment stage", "入党申请"),
    "积极分子": pgettext_lazy("recruitment stage", "积极分子"),
    "发展对象": pgettext_lazy("recruitment stage", "发展对象"),
    "接收预备党员": pgettext_lazy("recruitment stage", "接收预备党员"),
    "教育考察和转正": pgettext_lazy("recruitment stage", "教育考察和转正"),
}
assert tuple(STAGE_NAMES) == STAGES, "the stages' labels follow plaza.rules.recruitment.STAGES"


def step_name(number: int) -> str:
    """Step ``number``'s name in the active language (its Chinese name as the rules give it, for an unknown one)."""
    label = STEP_NAMES.get(int(number))
    return str(label) if label is not None else Step(int(number)).label


def stage_name(stage: str) -> str:
    """A stage's name (as the rules and ``Pipeline.stage`` give it) in the active language."""
    label = STAGE_NAMES.get(stage)
    return str(label) if label is not None else stage


# The steps' timing rules and notes as the rules write them (``StepInfo.timing`` / ``.note``), in the reader's
# language: the same Chinese in Chinese. ``tests/test_labels.py`` keeps these in step with the rules.
STEP_TIMINGS: dict[int, Promise] = {
    Step.APPLICATION: pgettext_lazy("recruitment timing", "申请人年满十八周岁"),
    Step.TALK: pgettext_lazy("recruitment timing", "收到入党申请书后一个月内"),
    Step.CULTIVATION: pgettext_lazy("recruitment timing", "每半年考察一次（确定为积极分子后每满六个月）"),
    Step.CANDIDATE: pgettext_lazy("recruitment timing", "确定为入党积极分子一年以上"),
    Step.ADMISSION_APPROVAL: pgettext_lazy(
        "recruitment timing", "支部大会讨论后三个月内；有正当理由的可延长一次，至多六个月"
    ),
    Step.CONVERSION_REQUEST: pgettext_lazy("recruitment timing", "预备期满前提出（期满前一个月提醒）"),
    Step.CONVERSION_VOTE: pgettext_lazy("recruitment timing", "预备期满之日起"),
    Step.CONVERSION_APPROVAL: pgettext_lazy("recruitment timing", "支部大会讨论后三个月内"),
}

STEP_NOTES: dict[int, Promise] = {
    Step.ACTIVIST: pgettext_lazy("recruitment note", "党员推荐、群团组织推优，支部委员会研究确定"),
    Step.CONTACTS: pgettext_lazy("recruitment note", "一至二名正式党员"),
    Step.CANDIDATE: pgettext_lazy("recruitment note", "支部委员会讨论同意"),
    Step.SPONSORS: pgettext_lazy("recruitment note", "两名正式党员"),
    Step.POLITICAL_REVIEW: pgettext_lazy("recruitment note", "政治审查一般一年内有效（本单位规定）"),
    Step.TRAINING: pgettext_lazy("recruitment note", "不少于三天或二十四个学时"),
    Step.ADMISSION_VOTE: pgettext_lazy(
        "recruitment note", "到会有表决权的党员超过半数，赞成人数超过应到会有表决权正式党员的半数"
    ),
    Step.CONVERSION_VOTE: pgettext_lazy(
        "recruitment note", "转为正式党员、延长预备期（只能一次，六个月至一年）或取消预备党员资格"
    ),
    Step.ARCHIVE: pgettext_lazy(
        "recruitment note", "入党申请书、入党志愿书、考察材料、培养教育记录和转正申请归档，永不删除"
    ),
}


def step_timing(number: int) -> str:
    """Step ``number``'s timing rule in the active language ("" when the rules set none)."""
    label = STEP_TIMINGS.get(int(number))
    return str(label) if label is not None else BY_NUMBER[int(number)].timing


def step_note(number: int) -> str:
    """What else the rules ask of step ``number``, in the active language ("" when nothing)."""
    label = STEP_NOTES.get(int(number))
    return str(label) if label is not None else BY_NUMBER[int(number)].note


def step_source(number: int) -> str:
    """The source of step ``number`` and its timing rule (《细则》第二十条), in the active language."""
    return rulewords.source(BY_NUMBER[int(number)].rule)


def _step(name: str) -> str:
    return pgettext("recruitment step", name)


_RULE = r" \((?P<rule>[^()]+)\)"
#: The recruitment rules' messages (``plaza.rules.recruitment.check`` and friends) and how to say them.
MESSAGES = (
    rulewords.Wordings()
    .add(
        r"第(?P<n>\d+)步「(?P<name>[^」]+)」已于 (?P<day>\S+) 记录，不能重复记录" + _RULE,
        pgettext_lazy("recruitment rule", "第%(n)s步「%(name)s」已于 %(day)s 记录，不能重复记录 (%(rule)s)"),
        name=_step,
    )
    .add(
        r"须先完成第(?P<p>\d+)步「(?P<first>[^」]+)」，才能记录第(?P<n>\d+)步「(?P<name>[^」]+)」" + _RULE,
        pgettext_lazy("recruitment rule", "须先完成第%(p)s步「%(first)s」，才能记录第%(n)s步「%(name)s」 (%(rule)s)"),
        first=_step,
        name=_step,
    )
    .add(
        r"记录不完整：第(?P<numbers>[\d、]+)步尚未记录，须先补记" + _RULE,
        pgettext_lazy("recruitment rule", "记录不完整：第%(numbers)s步尚未记录，须先补记 (%(rule)s)"),
        numbers=lambda numbers: pgettext("recruitment rule", "、").join(numbers.split("、")),
    )
    .add(
        r"第(?P<n>\d+)步不能早于第(?P<last>\d+)步「(?P<name>[^」]+)」的日期，最早可于 (?P<day>\S+) 记录" + _RULE,
        pgettext_lazy(
            "recruitment rule", "第%(n)s步不能早于第%(last)s步「%(name)s」的日期，最早可于 %(day)s 记录 (%(rule)s)"
        ),
        name=_step,
    )
    .add(
        r"申请人未满十八周岁，最早可于 (?P<day>\S+) 递交入党申请书" + _RULE,
        pgettext_lazy("recruitment rule", "申请人未满十八周岁，最早可于 %(day)s 递交入党申请书 (%(rule)s)"),
    )
    .add(
        r"培养考察未满一年，最早可于 (?P<day>\S+) 列为发展对象" + _RULE,
        pgettext_lazy("recruitment rule", "培养考察未满一年，最早可于 %(day)s 列为发展对象 (%(rule)s)"),
    )
    .add(
        r"预备期未满，于 (?P<day>\S+) 期满，最早可于当日召开支部大会讨论转正" + _RULE,
        pgettext_lazy("recruitment rule", "预备期未满，于 %(day)s 期满，最早可于当日召开支部大会讨论转正 (%(rule)s)"),
    )
    .add(
        r"政治审查于 (?P<day>\S+) 完成，一般 (?P<years>\d+) 年内有效（到 (?P<day_until>\S+) 为止）："
        r"须重新进行政治审查后再提交支部大会讨论" + _RULE,
        pgettext_lazy(
            "recruitment rule",
            "政治审查于 %(day)s 完成，一般 %(years)s 年内有效（到 %(day_until)s 为止）："
            "须重新进行政治审查后再提交支部大会讨论 (%(rule)s)",
        ),
    )
    .add(
        r"到会有表决权的党员未超过半数（应到 (?P<entitled>\d+)，实到 (?P<present>\d+)），不能表决" + _RULE,
        pgettext_lazy(
            "recruitment rule",
            "到会有表决权的党员未超过半数（应到 %(entitled)s，实到 %(present)s），不能表决 (%(rule)s)",
        ),
    )
    .add(
        r"赞成 (?P<yes>\d+) 人，未超过应到会有表决权正式党员（(?P<entitled>\d+) 人）的半数，"
        r"接收预备党员未通过，不能记录" + _RULE,
        pgettext_lazy(
            "recruitment rule",
            "赞成 %(yes)s 人，未超过应到会有表决权正式党员（%(entitled)s 人）的半数，"
            "接收预备党员未通过，不能记录 (%(rule)s)",
        ),
    )
    .add(
        r"赞成 (?P<yes>\d+) 人，未超过应到会有表决权正式党员（(?P<entitled>\d+) 人）的半数，该决议未通过，不能记录"
        + _RULE,
        pgettext_lazy(
            "recruitment rule",
            "赞成 %(yes)s 人，未超过应到会有表决权正式党员（%(entitled)s 人）的半数，该决议未通过，不能记录 (%(rule)s)",
        ),
    )
    .add(
        r"预备期只能延长一次，已经延长过的不能再延长" + _RULE,
        pgettext_lazy("recruitment rule", "预备期只能延长一次，已经延长过的不能再延长 (%(rule)s)"),
    )
    .add(
        r"延长预备期不少于(?P<least>\d+)个月、不超过一年，不能是 (?P<months>-?\d+) 个月" + _RULE,
        pgettext_lazy(
            "recruitment rule", "延长预备期不少于%(least)s个月、不超过一年，不能是 %(months)s 个月 (%(rule)s)"
        ),
    )
    .add(
        r"只有延长预备期时才填写延长的月数" + _RULE,
        pgettext_lazy("recruitment rule", "只有延长预备期时才填写延长的月数 (%(rule)s)"),
    )
    .add(
        r"该发展对象将于 (?P<day>\S+) 离开工作、学习单位（(?P<months>\d+) 个月内），一般不办理接收手续" + _RULE,
        pgettext_lazy(
            "recruitment rule",
            "该发展对象将于 %(day)s 离开工作、学习单位（%(months)s 个月内），一般不办理接收手续 (%(rule)s)",
        ),
    )
)


def rule_message(message: str) -> str:
    """A recruitment rules message (a ``Violation.message``, or one stored as a record's warning) in the active
    language, dates in its format; a message of another shape is returned as it is."""
    return MESSAGES.say(message)
