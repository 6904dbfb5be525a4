"""What *kind* of answer a question asks for, and how well a section gives that kind of answer.

「生孩子能休多久的假」 and 「孩子出生多久内要申请慰问」 name the same subject; the first asks how long (a duration:
the 产假 section's 98 天), the second by when (a deadline: the 申请时限 section). Words alone rank both the same
way — before this, 多久 was folded onto 时限 and the first question was answered with the deadline. So:

* :func:`asked` reads the kind from the question's own words — how long (多久, 几天, 休), how much (多少钱, 标准,
  比例), who may (谁, 条件, 才能), how to (怎么办, 流程, 去哪), by when (什么时候, 截止, 多久之内, 多久能),
  how often (几次, 多久一次), how long valid (有效, 过期) and which papers (带什么, 什么材料) — the most specific
  pattern first;
* :func:`cue` says how well a section answers that kind: 1 when its heading names it (标准, 时限, 对象, 流程,
  材料, 天数 …), less when only its text has the shape of such an answer (amounts in 元 or %, durations, "N 天内",
  "每季度", numbered steps, papers), 0 when it has neither.

The index multiplies a section's score by ``1 + KIND_WEIGHT × cue`` (see :mod:`plaza.assistant.index`), so the
kind reorders sections that match the question's subject but never lifts one that does not; and a section
with no cue at all for a clearly asked kind is not offered as a confident answer (``services.confident``).

Pure Python, no Django: the patterns are data and are tested on their own.
"""

from __future__ import annotations

import re

HOW_LONG = "how_long"
HOW_MUCH = "how_much"
WHO = "who"
HOW_TO = "how_to"
BY_WHEN = "by_when"
HOW_OFTEN = "how_often"
PAPERS = "what_papers"
VALID = "valid_for"

_N = r"(?:\d+|[一二两三四五六七八九十百半几]+)"

#: The question's kind, the most specific first: the first kind whose pattern matches is the one asked.
ASKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        PAPERS,
        re.compile(
            r"带什么|带啥|带哪些|拿什么|什么(?:材料|证件|单据)|哪些(?:材料|证件|单据)|啥材料|要.{0,3}(?:材料|证件|单据)"
            r"|要交什么|交哪些|准备什么|准备哪些"
        ),
    ),
    (
        HOW_OFTEN,
        re.compile(
            r"多久.{0,3}一次|多长时间.{0,3}一次|几次|几回|多少次|频次|是不是每|每(?:个)?(?:月|季度|年)都"
            r"|(?:开|交|上|搞|办|评|写|考察|去|参加|领|发)一[次回]|几(?:年|个月|天|周)[^，。？?]{0,4}一[次回]"
            r"|多久(?:开|办|搞|评|复核|复查|考察|交)(?!.*(?:多久|期限))|多长时间(?:开|办|搞|复查|复核)"
        ),
    ),
    (
        BY_WHEN,
        re.compile(
            r"什么时候|啥时候|何时|截止|最晚|最迟|哪天|几号|几点|之前|以前|以内|之内|期限|时限|提前多|提前几"
            r"|多久(?:之内|以内|内|要|得|能|才能|会|可以)|多长时间(?:之内|以内|内|要|得|能|才能)|来得及"
            r"|(?:了|多了|过了)[^，。？?]{0,10}还(?:能|可以)补?(?:申请|办|领|补|交|报)"
        ),
    ),
    (VALID, re.compile(r"有效|过期|失效|还能用|能用多|用多长时间|管多久")),
    (
        HOW_LONG,
        re.compile(
            r"多久|多长时间|多长|几天|多少天|几个月|几年|多少年|学时|几个小时|[休歇].{0,4}[多几]|假|有效|过期|拖"
        ),
    ),
    (
        HOW_MUCH,
        re.compile(
            r"多少钱|咋算|怎么计算|多少|几成|百分之|比例|标准|金额|几个|累进|几元|几块|怎么算|怎么给|几倍|够不够|多几"
        ),
    ),
    (
        HOW_TO,
        re.compile(
            r"怎么(?!样|处理|算|来|才算)|咋(?!样|才算)|如何(?!才算)|怎样(?!处理|才算)|流程|手续|步骤|去哪|在哪|哪里|找谁|报名|办理"
            r"|交给谁|给谁|谁(?:定|批|开|来办|办理|审批)"
        ),
    ),
    (
        WHO,
        re.compile(
            r"谁|哪些人|什么人|什么样|条件|资格|几岁|多大|才能|算不算|才算"  # 「怎么才算困难职工」: who counts as
            r"|能(?:不能)?(?:去|参加|申请|报名|写|入|享受|领|拿|开)[^，。？?]{0,12}吗"  # 「…能去疗休养吗」: may I
            r"|(?:满|才|刚)(?:\d+|[一二两三四五六七八九十]+)(?:年|个月)|(?:\d+|[一二三四五六七八九十]+)岁"
        ),
    ),
)

#: Words in a section's heading that say it gives that kind of answer.
HEADINGS: dict[str, tuple[str, ...]] = {
    HOW_LONG: ("天数", "等待期", "预备期", "任期", "假", "期限"),
    VALID: ("有效期", "有效"),
    BY_WHEN: ("时限", "期限", "提前期", "报告期限", "时间"),
    HOW_MUCH: ("标准", "给付", "比例", "金额", "费用", "会费", "差额", "当选", "到会", "交纳"),
    HOW_OFTEN: ("间隔", "组织生活 >", "档案管理"),
    WHO: ("对象", "条件", "情形", "范围", "资格", "参加对象", "参加办法", "如何确定"),
    HOW_TO: ("流程", "办理", "方式", "报名", "如何", "程序", "安排", "开具", "申请"),
    PAPERS: ("材料",),
}

#: The shape of such an answer in a section's text; a few matches make the text cue full.
TEXTS: dict[str, re.Pattern[str]] = {
    HOW_LONG: re.compile(rf"{_N}\s*(?:个)?(?:天|个月|年|学时|周|小时|个工作日)"),
    BY_WHEN: re.compile(
        rf"{_N}\s*(?:个)?(?:天|个月|日|个工作日|年)\s*(?:内|以内|之内)|届满前|期满前|\d+\s*日前|\d+\s*月\s*\d+\s*日"
        r"|\d+:\d\d|之前|以前|之日起|次月|当月|当年|次年|月底|年底"
    ),
    HOW_MUCH: re.compile(
        rf"\d+(?:\.\d+)?\s*(?:元|%|％)|百分之|[一二三四五六七八九十]分之|半数|一半|{_N}\s*(?:名|位|人)"
    ),
    HOW_OFTEN: re.compile(rf"每(?:个)?(?:月|季度|年|半年|周|学年|一年)|{_N}\s*次"),
    WHO: re.compile(
        r"均可|可以申请|可申请|可以参加|不在.{0,8}范围|年满|满\s*\d+\s*年|优先|不受.{0,6}限制|的(?:职工|会员|党员)"
    ),
    HOW_TO: re.compile(
        r"(?:^|\n)\s*\d[.、．]|向.{1,14}(?:提交|提出|申请|报名)|在 ?Plaza|Plaza“|窗口|办结|审核|发起|开具|填写"
        r"|持.{1,8}办理|由.{1,12}(?:办理|发放|开具|申请)|自理|转到"
    ),
    VALID: re.compile(rf"有效|{_N}\s*(?:个)?(?:天|个月|年)内|过期"),
    PAPERS: re.compile(r"复印件|证明|申请表|发票|身份证|《[^》]+表》|单据|清单|委托书"),
}
#: The kinds whose answer has a recognisable shape (an amount, a duration, a deadline, a frequency, papers): a
#: best section with no cue at all for one of them does not answer the question, however well it matches the
#: subject, so it is offered as "possibly related", not as the answer.
CHECKED = frozenset({HOW_LONG, HOW_MUCH, BY_WHEN, HOW_OFTEN, PAPERS, HOW_TO, VALID})
TEXT_FULL = 3  # matches of the text pattern for a full text cue
TEXT_SHARE = 0.6  # the most a text cue counts, against 1 for a heading that names the kind


#: 「我们单位…」: the asker wants their own organisation's rule — a 本单位规定 before a document's general figure.
OWN_RULES = re.compile(r"本单位|我们(?:单位|这|那|支部|党委|党总支|公司|部门)|咱们|我们的规定|本支部|本党委")


def asks_own_rules(question: str) -> bool:
    return bool(OWN_RULES.search(question))


def asked(question: str) -> str:
    """The kind of answer the question asks for, or "" when its words say none."""
    for kind, pattern in ASKS:
        if pattern.search(question):
            return kind
    return ""


def cue(kind: str, heading: str, text: str) -> float:
    """How well a section gives the kind of answer asked: 1 when its heading names it, up to ``TEXT_SHARE``
    for the shape of such an answer in its text, 0 for neither (and for no kind)."""
    if not kind:
        return 0.0
    if any(word in heading for word in HEADINGS[kind]) and not (kind == HOW_TO and _lists_papers(heading)):
        return 1.0
    found = len(TEXTS[kind].findall(text))
    return TEXT_SHARE * min(found, TEXT_FULL) / TEXT_FULL


def _lists_papers(heading: str) -> bool:
    """「申请材料」 names 申请 but lists papers, not the steps of applying: for a how-to question only its text counts
    (「大病互助怎么申请」 is answered by 申请时限和流程, not by the list of papers). 「申请时限」 keeps its heading
    cue: dropping it too made 「孩子生了八个月了忘记申请慰问了咋办」 a confident wrong answer (办理流程) on the older
    sets."""
    return any(word in heading for word in HEADINGS[PAPERS])


def cues(heading: str, text: str) -> dict[str, float]:
    """:func:`cue` for every kind, computed once per section when the index is built."""
    return {kind: cue(kind, heading, text) for kind, _pattern in ASKS}
