"""Issue 12, item 13: 党群小智 answers the *kind* of question asked from the right section, answers from Plaza's own
published rules (the rules digest, the 25-step guide, 本单位规定 with the asker's own value), follows a changed
local rule at once, and meets its targets on the colloquial held-out set. The questions here are in none of the
evaluation sets."""

from dataclasses import replace

import pytest

from plaza.assistant import evaluation, index, kinds, published, services
from plaza.assistant.models import Example
from plaza.localrules import services as local
from plaza.rules import elections, meetings

# ------------------------------------------------------------------------------------------ the kind asked


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("生孩子能休多久的假", kinds.HOW_LONG),
        ("孩子出生多久之内要申请慰问", kinds.BY_WHEN),
        ("生孩子工会给多少钱", kinds.HOW_MUCH),
        ("什么人可以申请困难补助", kinds.WHO),
        ("生育慰问怎么申请", kinds.HOW_TO),
        ("党课多久上一次", kinds.HOW_OFTEN),
        ("介绍信开出来以后多久过期", kinds.VALID),
        ("开证明要带什么", kinds.PAPERS),
        ("工会主席是谁", kinds.WHO),
        ("今天天气好", ""),
    ],
)
def test_the_kind_of_question_is_read_from_its_words(question, kind):
    assert kinds.asked(question) == kind


def test_a_section_names_or_shows_the_kind_of_answer():
    text = "女职工生育享受产假 98 天，另增加生育假 60 天。"
    assert kinds.cue(kinds.HOW_LONG, "六、产假和生育津贴提示", text) == 1.0  # the heading names it
    assert 0 < kinds.cue(kinds.HOW_LONG, "五、申请时限", "超过 6 个月未申请的，视为放弃。") < 1  # the text shows one
    assert kinds.cue(kinds.HOW_MUCH, "三、申请材料", "出生医学证明复印件") == 0.0
    assert kinds.cue("", "二、慰问标准", "800 元") == 0.0


def test_how_long_a_leave_is_answered_from_the_leave_section_not_the_deadline(knowledge):
    """The issue's question: it was answered, confidently, with 生育慰问's 申请时限."""
    reply = services.respond("生孩子能休多久的假", use_llm=False)
    assert reply.confident
    assert (reply.hits[0].entry.title, reply.hits[0].entry.heading) == (
        "工会会员生育慰问办法",
        "六、产假和生育津贴提示",
    )
    assert "98 天" in reply.answer
    deadline = services.respond("孩子出生多久之内要申请生育慰问", use_llm=False)
    assert deadline.hits[0].entry.heading in ("五、申请时限", "四、办理流程")  # both say 6 个月内


def test_a_section_without_the_kind_of_answer_asked_is_not_confident(knowledge):
    """However well a section matches the subject, it does not answer 「…多少钱」 when it names no amount."""
    idx = index.current()
    materials = next(e for e in idx.entries if e.heading == "三、申请材料" and e.title == "工会会员生育慰问办法")
    question = "生育慰问的申请表要多少钱"
    assert kinds.asked(question) == kinds.HOW_MUCH and idx.support(question, materials).about
    assert not services.confident(question, [index.Hit(materials, 0.9, 0.9, 0.9, cue=0.0)], idx)
    assert services.confident(question, [index.Hit(materials, 0.9, 0.9, 0.9, cue=0.2)], idx)
    assert services.confident("生育慰问的申请表", [index.Hit(materials, 0.9, 0.9, 0.9, cue=0.0)], idx)  # no kind


# ------------------------------------------------------------------------------------------ Plaza's own rules


def test_the_rules_digest_answers_how_often_a_branch_meeting_is_held(knowledge):
    reply = services.respond("支部党员大会几个月要开一回", use_llm=False)
    assert reply.confident
    best = reply.hits[0].entry
    assert (best.title, best.heading) == (published.DIGEST, "三、组织生活 > 1. 支部党员大会")
    assert "每季度至少召开一次" in reply.answer and best.url == "/handbook/rules/"
    assert meetings.PERIOD_MONTHS["general_meeting"] == 3  # the figure the text was written from


def test_the_rules_digest_answers_how_many_candidates_a_differential_election_needs(knowledge):
    reply = services.respond("差额选举的候选人要比应选人数多多少", use_llm=False)
    assert reply.confident
    assert reply.hits[0].entry.heading == "二、换届选举 > 2. 差额"
    assert f"应选 7 人至少 {elections.min_candidates(7)} 名候选人" in reply.answer


def test_the_25_step_guide_is_answered_from(knowledge):
    reply = services.respond("入党的档案材料归档后会删除吗", use_llm=False)
    assert reply.confident and reply.hits[0].entry.title == published.STEPS
    assert "永不删除" in reply.answer and reply.hits[0].entry.url == "/handbook/recruitment/"


def test_a_step_of_the_guide_names_the_steps_it_follows(knowledge):
    """A reader knows 支部大会讨论, not 第 15 步: each step of the 25-step guide names the steps it comes after, so
    「支部大会通过以后…谈话」 finds 第 16 步 rather than the general procedure's 接收预备党员."""
    step = next(s for s in published.sections() if s.heading.endswith("第 16 步 上级党委派人谈话"))
    assert "在第 15 步「支部大会讨论」之后进行" in step.text
    twelve = next(s for s in published.sections() if s.heading.endswith("第 12 步 支部委员会审查"))
    assert "第 9 步「确定入党介绍人」、第 10 步「进行政治审查」" in twelve.text
    reply = services.respond("支部大会表决通过之后上级党委还要派人跟我谈话吗", use_llm=False)
    assert reply.confident and reply.hits[0].entry.heading == step.heading


def test_a_local_rule_is_answered_with_the_askers_own_value_and_follows_a_change(knowledge, world):
    question = "请假没参加组织生活，补学有多少天的期限"
    before = services.respond(question, use_llm=False, person=world.member_a)
    assert before.confident and before.hits[0].entry.title == published.LOCAL
    assert "装调车间党支部适用 30 天" in before.answer and "默认值" in before.answer
    first = index.current()

    local.set_rule(world.staff, world.committee, "meetings.makeup_days", "15", "党委会议决定补学期限为 15 天")
    after = services.respond(question, use_llm=False, person=world.member_a)
    assert index.current() is not first  # the index followed the change (its signature includes the rules)
    assert "装调车间党支部适用 15 天" in after.answer and "上汽通用汽车党委" in after.answer
    assert "党委会议决定补学期限为 15 天" in after.answer
    stored = services.ask(world.member_a, question)
    assert "15 天" in stored.answer and stored.sources[0]["passage"] is None
    assert stored.sources[0]["url"] == "/local-rules/"

    local.set_rule(world.staff, world.branch_a, "meetings.makeup_days", "20", "支部委员会决定")
    assert "装调车间党支部适用 20 天" in services.respond(question, use_llm=False, person=world.member_a).answer
    local.clear_rule(world.staff, world.branch_a, "meetings.makeup_days")
    assert "适用 15 天" in services.respond(question, use_llm=False, person=world.member_a).answer


def test_a_local_rule_without_an_asker_lists_the_default_and_who_differs(knowledge, world):
    local.set_rule(world.staff, world.committee, "transfers.letter_valid_months", "4", "党委会议决定")
    reply = services.respond("我们单位组织关系介绍信的有效期是几个月", use_llm=False)
    assert reply.confident and reply.hits[0].entry.rule == "transfers.letter_valid_months"
    assert "默认值为 3 个月" in reply.answer and "上汽通用汽车党委 4 个月" in reply.answer


# ------------------------------------------------------------------------------------------ the held-out sets

#: What each colloquial set reaches now, measured against the *other* questions' examples (``evaluation.evaluate``):
#: (its file, the fewest questions it must hold, top-1 % at least, confident wrong % at most, off-topic answered
#: confidently % at most). A fall below any is a regression. The history of every figure, and which sets were read
#: while tuning, is in docs/benchmarks.md and ``evaluation``'s docstring; the sets that are evidence for the
#: issue's targets are the held-out ones (:data:`HELD_OUT`), the others have been learned from.
FLOORS = {
    "holdout_colloquial.json": (60, 92.7, 4.4, 4.0),  # 64/69, 3/69, 1/25
    "holdout_colloquial2.json": (70, 97.2, 1.4, 0.0),  # 71/73, 1/73, 0/25
    "holdout_colloquial3.json": (70, 95.8, 0.0, 0.0),  # 70/73, 0/73, 0/25
    "holdout_colloquial4.json": (90, 94.9, 2.1, 4.0),  # 94/99, 2/99, 1/25
    "holdout_colloquial5.json": (130, 99.2, 0.0, 0.0),  # 130/131, 0/131, 0/25
    "holdout_colloquial6.json": (120, 93.8, 1.3, 0.0),  # 153/163, 2/163, 0/28
    "holdout_colloquial7.json": (180, 89.6, 2.1, 0.0),  # 174/194, 4/194, 0/30
    "holdout_colloquial8.json": (130, 94.2, 2.9, 0.0),  # 131/139, 4/139, 0/25
    "holdout_colloquial9.json": (170, 89.8, 1.2, 0.0),  # 159/177, 2/177, 0/23
    "holdout_colloquial10.json": (140, 91.1, 2.1, 4.6),  # 134/147, 3/147, 1/22
    "holdout_colloquial11.json": (130, 92.4, 3.1, 3.4),  # 122/132, 4/132, 1/30
}
#: Written before the change they measure by writers who had not seen the assistant, never learned from, their
#: misses never read: the evidence for issue 12's targets.
HELD_OUT = ("holdout_colloquial11.json",)


@pytest.mark.parametrize("name", FLOORS)
def test_each_colloquial_set_keeps_what_was_reached(knowledge, name):
    fewest, top1, wrong, off_topic = FLOORS[name]
    answerable, negatives = evaluation.holdout(name)
    assert len(answerable) >= fewest and len(negatives) >= 20
    assert all("kind" in row for row in answerable)
    f = evaluation.evaluate(answerable, negatives)
    assert f.rate(f.top1, f.total) >= top1
    assert f.rate(f.confident_wrong, f.total) <= wrong
    assert f.rate(f.off_topic_confident, f.negatives) <= off_topic


def test_the_held_out_sets_are_not_learned_from(knowledge):
    stored = set(Example.objects.values_list("text", flat=True))
    for name in HELD_OUT:
        answerable, negatives = evaluation.holdout(name)
        assert name not in evaluation.LEARNED
        assert not {row["question"] for row in answerable} & stored and not set(negatives) & stored


def _held_out() -> list[evaluation.Figures]:
    return [evaluation.evaluate(*evaluation.holdout(name)) for name in HELD_OUT]


def test_each_held_out_set_meets_the_issues_targets(knowledge):
    """Issue 12's three targets, on each held-out set: top-1 ≥ 90 %, confident wrong answers ≤ 5 %, off-topic
    questions answered confidently ≤ 5 %. The eleventh set, written before the change it measures (the eighth to
    tenth sets learned from, the 25-step guide naming the steps each follows, the refitted order, a question about
    another organisation handed off): 88.6 / 2.3 / 3.3 % before it, 92.4 / 3.0 / 3.3 % after (docs/benchmarks.md)."""
    for f in _held_out():
        assert f.rate(f.top1, f.total) >= 90
        assert f.rate(f.confident_wrong, f.total) <= 5
        assert f.rate(f.off_topic_confident, f.negatives) <= 5


def test_a_near_tie_between_two_sections_is_not_a_confident_answer(knowledge, settings):
    """Words alone cannot tell which of two sections scoring within ``services.MARGIN`` of each other answers,
    unless the second gives the kind of answer asked less well than the best."""
    idx = index.current()
    entries = [e for e in idx.entries if e.title == "工会会员生育慰问办法"]
    first, second = entries[0], entries[1]
    question = "生育慰问"
    assert services.confident(question, [index.Hit(first, 0.9, 0.9, 0.9)], idx)
    assert not services.confident(question, [index.Hit(first, 0.9, 0.9, 0.9), index.Hit(second, 0.89, 0.9, 0.9)], idx)
    assert services.confident(question, [index.Hit(first, 0.9, 0.9, 0.9), index.Hit(second, 0.2, 0.2, 0.2)], idx)
    # the kind asked decides between them when the best section's heading names it and the other's does not
    assert services.confident(
        question, [index.Hit(first, 0.9, 0.9, 0.9, cue=1.0), index.Hit(second, 0.89, 0.9, 0.9)], idx
    )
    settings.PLAZA_ASSISTANT_MARGIN = 0.0
    assert services.confident(question, [index.Hit(first, 0.9, 0.9, 0.9), index.Hit(second, 0.89, 0.9, 0.9)], idx)


def test_an_interval_is_not_a_duration(knowledge):
    """「当积极分子多久以后能成为发展对象」 asks how long (1 年以上), not the thought reports' interval, which a
    heading naming 间隔 had claimed as a how-long answer."""
    reply = services.respond("当积极分子多久以后能成为发展对象", use_llm=False)
    assert reply.hits[0].entry.heading != "思想汇报的间隔"
    assert (reply.hits[0].entry.title, reply.hits[0].entry.heading) in {
        ("入党申请和党员发展程序", "四、发展对象 > 1. 确定条件"),
        (published.STEPS, "三、发展对象 > 第 7 步 确定发展对象"),
    }
    assert kinds.cue(kinds.HOW_LONG, "思想汇报的间隔", "") == 0.0
    assert kinds.cue(kinds.HOW_OFTEN, "思想汇报的间隔", "") == 1.0


def test_the_earlier_sets_keep_their_figures_among_the_documents(knowledge):
    """Plaza's published rules now answer some questions of eval.json and holdout.json as well (the interval of
    thought reports is a 本单位规定): among the knowledge base's own documents the ranking is no worse than
    before this change (eval 104/110, held-out 31/34 top-1; eval 103/110 since 钱 no longer folds onto 费用, which
    had pulled every 「多少钱」 to the 疗休养 费用标准 section and cost far more than the one question it helped;
    106/110 since the repairs of 2026-12-07, so the floor is back at 104)."""
    f = evaluation.evaluate()
    assert f.documents_top1 >= 104 and f.off_topic_confident == 0
    held = evaluation.evaluate_holdout()
    assert held.documents_top1 >= 31 and held.off_topic_confident <= 2


def test_a_published_section_that_restates_the_document_is_no_rival_but_one_with_other_figures_is(knowledge):
    """The dues table is in the dues document and in the rules digest: the two scoring alike is agreement, and the
    document's section is the confident answer. The 25-step guide's step 17 and the document's 接收预备党员 section
    give different figures: when both answer about equally it is a near-tie, offered as "possibly related". (The
    tie is made by hand from the two sections as the index finds them for the question below.)"""
    idx = index.current()
    dues = services.respond("月薪八千的话党费每月缴多少", use_llm=False)
    assert dues.confident and dues.hits[0].entry.heading == "二、交纳比例 > 1. 在职党员"
    assert services.restates(dues.hits[1].entry, dues.hits[0].entry)
    question = "支部大会通过以后上级党委要多长时间审批"
    hits = {(h.entry.title, h.entry.heading): h for h in idx.search(question, limit=10)}
    document = hits[("入党申请和党员发展程序", "五、接收预备党员")]
    step = hits[(published.STEPS, "四、接收预备党员 > 第 17 步 上级党委审批")]
    assert not services.restates(document.entry, step.entry)
    tie = [document, replace(step, rank=document.rank * 0.95, cue=document.cue)]
    assert not services.confident(question, tie, idx)
    assert services.confident(question, [document, replace(tie[1], rank=document.rank * 0.2)], idx)


def test_subjects_the_section_does_not_contain_lower_its_rank_not_its_score(knowledge):
    """「农民党员」 is named only by the 本单位规定 on farmers' dues: the document's table of other members scores as
    high on 党费 and 交纳比例 but does not contain the subject the question is about."""
    hits = index.current().search("农民党员党费交多少", limit=3)
    assert hits[0].entry.heading == "农民党员每月交纳党费"
    assert all(h.rank <= h.score for h in hits)
