"""The confidence check: a high score is not enough, the best passage must be *about* the question. Questions
the knowledge base only mentions in passing (年终奖 in the 党费 base rule, 年假 in the 疗休养 rules) get the
plain "not found" answer and the 转人工 offer; paraphrases of what it does cover are still answered, with the
right source first. The questions here are in neither eval.json nor holdout.json, except where noted."""

import json

import pytest
from django.core.management import call_command

from plaza.assistant import evaluation, index, services

OFF_TOPIC = [
    "年终奖几号发",  # 年终奖 is in the 党费 base rule, to exclude it
    "加班费按几倍算",
    "年假可以休几天",  # 年休假 is in the 疗休养 rules
    "工作证丢了怎么补办",  # unanswerable.json: 工作证 is in the 党员身份证明 papers; was answered confidently
    "五一放几天假",  # unanswerable.json: shares only the aspect word 天数; was answered confidently
]

ANSWERED = [
    ("年假会不会因为去疗养被扣掉", "职工疗休养管理办法", "二、时间和天数"),
    ("年终奖要不要交党费", "党费交纳办法", "一、交纳基数"),
    ("有摄影或者书画的兴趣协会吗", "工会会员福利待遇", "八、文体活动"),  # two subject words, none in the heading
    ("端午节中秋节发购物卡吗", "工会会员福利待遇", "二、节日慰问"),
]


@pytest.mark.parametrize("question", OFF_TOPIC)
def test_off_topic_questions_are_handed_off(knowledge, question):
    reply = services.respond(question)
    assert reply.hits, "the index still returns its best guesses, for the sources list"
    assert not reply.confident
    assert "没有找到" in reply.answer and "转人工" in reply.answer


@pytest.mark.parametrize(("question", "title", "heading"), ANSWERED)
def test_paraphrases_are_answered_with_the_right_source_first(knowledge, question, title, heading):
    reply = services.respond(question, use_llm=False)
    assert reply.confident
    assert (reply.hits[0].entry.title, reply.hits[0].entry.heading) == (title, heading)
    assert title in reply.answer and "转人工" not in reply.answer


def test_one_word_mentioned_in_passing_is_not_support(knowledge):
    idx = index.current()
    best = idx.search("年终奖什么时候发", limit=1)[0]
    assert best.entry.heading == "一、交纳基数" and best.score >= services.threshold()  # the score alone would answer
    support = idx.support("年终奖什么时候发", best.entry)
    assert (support.found, support.named, support.about) == (1, False, False)
    assert idx.support("算党费的时候年终奖要算进去吗", best.entry).named  # 党费 is in the title


def test_ask_json_keeps_its_contract_for_a_hand_off(knowledge, capsys):
    call_command("ask", "年终奖几号发", "--json")
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"answer", "confident", "sources"} and data["confident"] is False
    assert "转人工" in data["answer"]
    assert all(set(s) == {"title", "heading", "score"} for s in data["sources"])


def test_evaluation_set_meets_the_targets(knowledge):
    f = evaluation.evaluate()
    assert f.rate(f.top1, f.total) >= 85 and f.rate(f.top3, f.total) >= 95
    assert f.off_topic_confident <= 2
    # Honest when unsure (issue 12 item 13 c): since the near-tie margin is 12 %, about a fifth of these questions
    # get the two or three closest sections as "possibly related" instead of one confident answer; wrong
    # confident answers fell from 6 % to 3 % in exchange.
    assert f.rate(f.confident, f.total) >= 75
    assert f.rate(f.confident_wrong, f.total) <= 5


def test_the_held_out_set_is_reported_separately(knowledge, capsys):
    answerable, negatives = evaluation.holdout()
    assert len(answerable) >= 30 and len(negatives) >= 20
    assert not {r["question"] for r in answerable} & {r["question"] for r in evaluation.questions()}
    assert not set(negatives) & set(evaluation.unanswerable())
    call_command("evaluate_assistant")
    out = capsys.readouterr().out
    assert (
        "held-out set" in out
        and "colloquial held-out set" in out
        and "confirmation set" in out
        and "second colloquial held-out set" in out
        and "third colloquial held-out set" in out
        and "fourth colloquial held-out set" in out
        and "colloquial set holdout_colloquial7.json (learned from)" in out
        and "colloquial set holdout_colloquial10.json (learned from)" in out
        and "colloquial set holdout_colloquial11.json (held out)" in out
        and out.count("top-1:") == 14
        and out.count("top-3:") == 14
    )


@pytest.mark.parametrize(
    ("question", "counterpart"),
    [
        ("分工会委员会几年换一届", "支部委员会任期几年"),  # the Party's 换届选举 > 任期 is not the union's
        ("工会小组长任期是几年", "支部委员会任期几年"),
        ("团员转组织关系要开介绍信吗", None),  # the transfer guide is the Party members'
    ],
)
def test_a_question_about_another_organisation_is_not_answered_from_the_partys_rules(knowledge, question, counterpart):
    reply = services.respond(question, use_llm=False)
    assert reply.hits and not reply.confident and "转人工" in reply.answer
    idx = index.current()
    assert services._other_organisation(idx.rewrite(question), reply.hits[0].entry, idx)
    if counterpart:
        asked = services.respond(counterpart, use_llm=False)
        assert asked.confident and asked.hits[0].entry == reply.hits[0].entry


def test_a_section_that_does_not_name_its_organisation_is_its_documents(knowledge):
    """大病互助's 住院医疗补助 never says 工会; its document does, so a question naming 工会 is answered from it. A
    本单位规定 is nobody's in particular: 团费 is answered from one."""
    reply = services.respond("工会那个大病互助住院能补多少", use_llm=False)
    assert reply.confident and reply.hits[0].entry.heading == "四、给付标准 > 2. 住院医疗补助"
    assert "工会" not in reply.hits[0].entry.text
    dues = services.respond("团费一个月交多少", use_llm=False)
    assert dues.confident and dues.hits[0].entry.title == "本单位规定"


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("我是党员，家里困难能申请困难补助吗", "困难职工帮扶补助办法"),
        ("团员能去疗休养吗", "职工疗休养管理办法"),  # its 参加对象 mentions 优秀共产党员: still the union's
    ],
)
def test_the_askers_own_status_does_not_make_a_union_rule_another_organisations(knowledge, question, title):
    """A union's rules are every employee's: 党员 or 团员 says who asks, not whose rules are asked about."""
    reply = services.respond(question, use_llm=False)
    assert reply.confident and reply.hits[0].entry.title == title
    idx = index.current()
    assert not services._other_organisation(idx.rewrite(question), reply.hits[0].entry, idx)
