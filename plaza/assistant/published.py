"""Plaza's own published rules as sections 党群小智 answers from, beside the knowledge base's documents:

* 《党内法规摘要》 — the rules digest the handbook shows (``/handbook/rules/``): dues, terms and elections, how
  often each meeting is held;
* 《发展党员流程（二十五个步骤）》 — the handbook's 25-step guide (``/handbook/recruitment/``);
* 《本单位规定》 — every value the rulebook leaves to each organisation (``plaza.rules.local.RULES``), with its
  default, its range, its source and the organisations that set their own (``/local-rules/``).

All three are written from ``plaza.rules`` — the same figures the handbook renders and the procedures check —
and from the stored 本单位规定, never restated by hand, so a figure changed there is the figure answered here.
They are not stored as documents: :func:`sections` is read when the index is built, and the index is rebuilt
when a 本单位规定 changes (:func:`version` is part of the index's signature). A local rule's answer is then
written for the asker (:func:`answer_for`), with the value that applies to their organisation and where it
was set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Max
from django.urls import reverse

from plaza.lib import clock
from plaza.localrules import services as local
from plaza.localrules.models import LocalRule as Stored
from plaza.orgs import queries as org_queries
from plaza.rules import dues, elections, meetings, recruitment
from plaza.rules.local import RULES
from plaza.rules.sources import DANGFEI, DANGZHANG, RENQI, XUANJU
from plaza.rules.sources import LOCAL as LOCAL_SOURCE
from plaza.rules.sources import title as source_title

DIGEST = "党内法规摘要"
STEPS = "发展党员流程（二十五个步骤）"
LOCAL = "本单位规定"
#: How many organisations' own settings of one rule are written into its indexed text (the answer itself
#: always reads the asker's value live); past that the text says how many more there are.
LISTED_SETTINGS = 10

_CN = "一二三四五六七八九十"


@dataclass(frozen=True)
class Section:
    title: str
    heading: str
    text: str
    url: str
    rule: str = ""  # the local rule's key, for the sections of 《本单位规定》


def _percent(rate: Any) -> str:
    return f"{(rate * 100).normalize():f}%"


def _yuan(amount: Any) -> str:
    return f"{amount.normalize():f}" if amount == amount.to_integral() else f"{amount:f}"


def _digest() -> list[Section]:
    url = reverse("handbook:rules")
    found: list[Section] = []
    labels = {"in_service": "在职党员（在岗职工）", "retired": "离退休党员"}
    parts = []
    for category, brackets in dues.BRACKETS.items():
        lower, rows = None, []
        for upper, rate in brackets:
            if upper is None:
                rows.append(f"{_yuan(lower)} 元以上的交纳 {_percent(rate)}")
            elif lower is None:
                rows.append(f"{_yuan(upper)} 元以下（含）的交纳 {_percent(rate)}")
            else:
                rows.append(f"{_yuan(lower)} 元以上至 {_yuan(upper)} 元（含）的交纳 {_percent(rate)}")
            lower = upper
        base = "每月工资收入（税后）" if category == "in_service" else "每月基本退休费"
        parts.append(f"{labels[category]}以{base}为基数：" + "；".join(rows) + "。")
    parts.append(f"学生、下岗失业、依靠最低生活保障金生活的党员每月交纳 {dues.FLAT_AMOUNT} 元。")
    found.append(Section(DIGEST, "一、党费 > 1. 交纳比例", "".join(parts) + f"依据{DANGFEI}。", url))
    warnings = "、".join(str(n) for n in dues.ARREARS_WARNINGS)
    found.append(
        Section(
            DIGEST,
            "一、党费 > 2. 计算和欠交提醒",
            "党费按全部基数适用一个比例计算，不累进；四舍五入到分。"
            f"连续 {warnings} 个月未交纳党费时提醒，连续 {dues.ARREARS_FLAG} 个月未交纳时提请支部研究处理。"
            f"补交最多补 {dues.MAX_BACK_MONTHS} 个月。依据{DANGFEI}。",
            url,
        )
    )
    terms = elections.TERM_YEARS
    low, high = elections.TERM_YEARS_RANGE
    found.append(
        Section(
            DIGEST,
            "二、换届选举 > 1. 任期",
            f"党的基层委员会每届任期 {terms['committee']} 年；党的总支部委员会、支部委员会每届任期 "
            f"{terms['branch']} 年（{DANGZHANG}第三十一条规定 {low} 至 {high} 年，依据{RENQI}）。"
            f"任期届满前 {elections.REMIND_MONTHS_BEFORE} 个月由上级党组织提醒按期换届；提前或推迟换届一般不超过"
            f" {elections.MAX_SHIFT_YEARS} 年，须经上级党组织批准。",
            url,
        )
    )
    examples = "，".join(f"应选 {n} 人至少 {elections.min_candidates(n)} 名候选人" for n in (3, 5, 7, 9))
    found.append(
        Section(
            DIGEST,
            "二、换届选举 > 2. 差额",
            "委员实行差额选举，候选人数应多于应选人数的 20%（多出的人数向上取整）："
            f"{examples}。书记、副书记可以实行等额选举。依据{XUANJU}。",
            url,
        )
    )
    found.append(
        Section(
            DIGEST,
            "二、换届选举 > 3. 到会人数",
            f"进行选举时，有选举权的到会人数须超过应到会人数的五分之四，会议有效；不足的不能进行选举。依据{XUANJU}。",
            url,
        )
    )
    found.append(
        Section(
            DIGEST,
            "二、换届选举 > 4. 当选",
            "被选举人获得的赞成票超过实到会有选举权人数的一半，始得当选；当选人多于应选名额时按得票多少确定，"
            f"不足时对未当选的得票多者另行选举。依据{XUANJU}。",
            url,
        )
    )
    often = {1: "每月至少召开一次", 3: "每季度至少召开一次", 12: "每年至少召开一次"}
    for n, (kind, months) in enumerate(meetings.PERIOD_MONTHS.items(), 1):
        label = meetings.LABELS[kind]
        text = f"{label}{often.get(months, f'每 {months} 个月至少召开一次')}。依据{meetings.RULES[kind]}。"
        found.append(Section(DIGEST, f"三、组织生活 > {n}. {label}", text, url))
    return found


def _steps() -> list[Section]:
    url = reverse("handbook:recruitment")
    found = []
    for step in recruitment.STEPS:
        stage = recruitment.STAGES.index(step.stage)
        text = f"发展党员第 {step.number} 步「{step.name}」，属于“{step.stage}”阶段"
        if step.after:
            # The steps it follows by name as well as number: a reader (and the question 「支部大会通过以后还要谈话吗」)
            # knows 支部大会讨论, not 第 15 步.
            text += "，在" + "、".join(f"第 {n} 步「{recruitment.BY_NUMBER[n].name}」" for n in step.after) + "之后进行"
        text += "。"
        if step.timing:
            text += f"时限：{step.timing}。"
        if step.note:
            text += f"{step.note}。"
        text += f"依据{step.rule}。"
        heading = f"{_CN[stage]}、{step.stage} > 第 {step.number} 步 {step.name}"
        found.append(Section(STEPS, heading, text, url))
    return found


def _unit(rule: Any) -> str:
    return f" {rule.unit}" if rule.unit else ""


def _own_values() -> dict[str, list[tuple[Any, str, str]]]:
    """Rule key → (organisation, value, note) of every organisation with a value of its own in force today:
    on each organisation the latest decision effective by today counts (the history model of
    ``plaza.localrules``), and a decision to have none of its own (an empty value) lists nothing."""

    rows = Stored.objects.filter(effective_from__lte=clock.today()).select_related("organisation")
    latest: dict[tuple[int, str], Any] = {}
    for row in sorted(rows, key=lambda row: (row.effective_from, row.pk)):
        latest[row.organisation_id, row.key] = row
    found: dict[str, list[tuple[Any, str, str]]] = {}
    for row in sorted(latest.values(), key=lambda row: (row.key, row.organisation.path)):
        if row.value and row.key in RULES:
            found.setdefault(row.key, []).append((row.organisation, row.value, row.note))
    return found


def _default_source(source: str) -> str:
    """Where a local rule's default comes from, as the answer says it: a Party regulation by its title, or — for a
    matter no regulation fixes (``sources.LOCAL``) — that it is the organisation's own practice."""
    if source == LOCAL_SOURCE:
        return "党内法规对此没有统一规定，默认值是规则手册建议的做法"
    return f"默认值出自{source_title(source)}"


def _local() -> list[Section]:

    url = reverse("localrules:mine")
    own_values = _own_values()
    found = []
    for key, rule in RULES.items():
        unit = _unit(rule)
        text = (
            f"{rule.label}：{rule.meaning}规则手册的默认值为 {rule.show(local.default(key))}{unit}，"
            f"各单位可在 {rule.show(rule.minimum)} 到 {rule.show(rule.maximum)}{unit}之间自行确定"
            f"（{_default_source(rule.source)}）。"
        )
        own = own_values.get(key, [])
        if own:
            listed = "；".join(
                f"{organisation.name} {rule.show(rule.parse(value))}{unit}（{note}）"
                for organisation, value, note in own[:LISTED_SETTINGS]
            )
            more = f"等 {len(own)} 个组织" if len(own) > LISTED_SETTINGS else ""
            text += f"另行规定的有：{listed}{more}；其下属组织未另行规定的从之。"
        found.append(Section(LOCAL, rule.label, text, url, rule=key))
    return found


def sections() -> list[Section]:
    """Every section of Plaza's published rules, in reading order."""
    return _digest() + _steps() + _local()


def version() -> tuple:
    """What the published rules' text depends on beyond the code: the stored 本单位规定 (how many, the last
    change, the last id — a deletion changes the count), today (a decision recorded ahead comes into force on
    its day) and the deployment's defaults. One small query."""

    row = Stored.objects.aggregate(n=Count("id"), changed=Max("changed_at"), last=Max("id"))
    configured = tuple(sorted(getattr(settings, "PLAZA_LOCAL_RULES", {}).items()))
    return (row["n"], row["changed"], row["last"], clock.today(), configured)


def organisation_of(person: Any) -> Any:
    """The Party organisation whose 本单位规定 apply to the person (None when not in one)."""
    if person is None or not getattr(person, "is_authenticated", False):
        return None

    return org_queries.party_branch_of(person)


def answer_for(key: str, person: Any) -> str:
    """A local rule's text written for the asker: the value that applies to their organisation, where it was
    set and why; for someone outside any Party organisation, the default and the organisations that differ."""

    rule = RULES[key]
    unit = _unit(rule)
    organisation = organisation_of(person)
    if organisation is None:
        section = next(s for s in _local() if s.rule == key)
        return section.text
    found = local.explain(organisation, key)
    if found.is_default:
        origin = "本单位未另行规定，适用规则手册的默认值"
    else:
        decided = "，".join(
            part
            for part in (found.decided_by, f"{found.effective_from:%Y-%m-%d} 起" if found.effective_from else "")
            if part
        )
        origin = f"由{found.set_on.name}规定" + (f"（{decided}）" if decided else "") + f"：{found.note}"
    return (
        f"{rule.label}：您所在的{organisation.name}适用 {found.shown}{unit}（{origin}）。{rule.meaning}"
        f"规则手册的默认值为 {rule.show(local.default(key))}{unit}，"
        f"可在 {rule.show(rule.minimum)} 到 {rule.show(rule.maximum)}{unit}之间由本单位确定。"
    )
