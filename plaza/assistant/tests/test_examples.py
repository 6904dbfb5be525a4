"""Example questions (常见问法, issue 12 item 13): the ways people asked for a section, confirmed by the askers or
written down by staff, teach the order the words a section's text does not contain; a set is always measured
against the *other* questions' examples."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from plaza.assistant import evaluation, index, rerank, services
from plaza.assistant.models import Example, ExampleSource

LEAVE = ("工会会员生育慰问办法", "六、产假和生育津贴提示")
DEADLINE = ("工会会员生育慰问办法", "五、申请时限")


def test_a_section_is_closest_to_a_question_worded_like_one_of_its_examples(knowledge):
    Example.objects.all().delete()
    Example.objects.create(title=LEAVE[0], heading=LEAVE[1], text="媳妇生娃能歇多少天", source=ExampleSource.CURATED)
    idx = index.current()
    leave = next(i for i, e in enumerate(idx.entries) if (e.title, e.heading) == LEAVE)
    deadline = next(i for i, e in enumerate(idx.entries) if (e.title, e.heading) == DEADLINE)
    near = idx.neighbours(idx._asked("老婆生娃单位让歇多少天"))
    assert near.closest[leave] > 0.5
    assert deadline not in near.closest  # no example: nothing to compare with
    features = {(h.entry.title, h.entry.heading): f for h, f in idx.candidates("老婆生娃单位让歇多少天")}
    assert features[LEAVE][-1] > 0.5 and features.get(DEADLINE, (0.0,))[-1] == 0.0


def test_a_new_example_rebuilds_the_index(knowledge):
    before = index.current()
    Example.objects.create(title=LEAVE[0], heading=LEAVE[1], text="产假到底几天", source=ExampleSource.CURATED)
    after = index.current()
    assert after is not before and after.signature != before.signature
    assert any(e.text == "产假到底几天" for rows in after.examples.values() for e in rows)


def test_an_example_of_a_section_that_no_longer_exists_is_not_used(knowledge):
    Example.objects.create(title="已删除的文档", heading="一、总则", text="这个还算数吗", source=ExampleSource.CURATED)
    assert not any(e.text == "这个还算数吗" for rows in index.current().examples.values() for e in rows)


def test_a_set_is_measured_against_the_other_questions_examples_only(knowledge):
    answerable, _negatives = evaluation.colloquial6()
    stored = set(Example.objects.values_list("text", flat=True))
    assert {row["question"] for row in answerable} <= stored  # the demo's examples include the learned sets
    idx = index.current().without_examples(row["question"] for row in answerable)
    kept = {e.text for rows in idx.examples.values() for e in rows}
    assert not kept & {row["question"] for row in answerable} and kept
    assert len(index.current().examples) >= len(idx.examples)  # the shared index is left as it was


def test_the_closest_examples_vote_for_their_sections(knowledge):
    idx = index.current()
    asked = idx._asked("老婆生娃单位让歇多少天")
    near = idx.neighbours(asked)
    leave = next(i for i, e in enumerate(idx.entries) if (e.title, e.heading) == LEAVE)
    assert near.closest[leave] == max(near.closest.values())
    assert max(near.votes, key=near.votes.get) == leave
    assert sum(near.votes.values()) <= 1.0 + 1e-9  # shares of the ten closest (an off-topic one's share is no one's)


def test_a_section_joins_the_candidates_by_its_examples_when_its_text_shares_no_word(knowledge):
    Example.objects.all().delete()
    question = "坐月子那阵子能歇到啥时候"

    def pool() -> set[tuple[str, str]]:
        return {(h.entry.title, h.entry.heading) for h, f in index.current().candidates(question) if f}

    assert LEAVE not in pool()  # its words alone do not bring the section among the best twelve
    Example.objects.create(title=LEAVE[0], heading=LEAVE[1], text="坐月子能歇多久", source=ExampleSource.CURATED)
    assert LEAVE in pool()


def test_a_question_closer_to_an_off_topic_example_is_handed_off(knowledge):
    question = "生孩子能休多久的假"
    assert services.respond(question, use_llm=False).confident
    Example.objects.create(text="生孩子能休多久的假 男的陪产假", off_topic=True, source=ExampleSource.CURATED)
    reply = services.respond(question, use_llm=False)
    assert reply.hits[0].outside > 0.5 and not reply.confident
    Example.objects.filter(off_topic=True, text__startswith="生孩子").delete()
    assert services.respond(question, use_llm=False).confident


def test_an_off_topic_example_names_no_section_and_a_section_example_names_one(knowledge):
    with pytest.raises(IntegrityError), transaction.atomic():
        Example.objects.create(title=LEAVE[0], heading=LEAVE[1], text="年假几天", off_topic=True, source="curated")
    with pytest.raises(IntegrityError), transaction.atomic():
        Example.objects.create(title="", heading="", text="年假几天", source=ExampleSource.CURATED)


def test_a_form_refusing_an_off_topic_example_with_a_section_says_why(knowledge):
    example = Example(title=LEAVE[0], heading=LEAVE[1], text="年假几天", off_topic=True, source=ExampleSource.CURATED)
    with pytest.raises(ValidationError) as refused:
        example.full_clean()  # what the admin's form runs
    assert "标为“知识库不回答”的问法不填文档和标题路径" in " ".join(refused.value.messages)


def test_without_any_example_the_order_fitted_without_them_answers(knowledge):
    Example.objects.all().delete()
    reply = services.respond("生孩子能休多久的假", use_llm=False)
    assert reply.hits[0].asked is None and reply.hits[0].outside == 0.0
    assert (reply.hits[0].entry.title, reply.hits[0].entry.heading) == LEAVE and reply.confident
    assert rerank.PLAIN_WEIGHTS[-2:] == (0.0, 0.0) and rerank.PLAIN_WEIGHTS != rerank.WEIGHTS


def test_a_helpful_confident_answer_becomes_an_example_and_unhelpful_takes_it_back(knowledge, world):
    asked = services.ask(world.member_a, "生孩子能休多久的假")
    assert asked.confident
    services.give_feedback(world.member_a, asked, True)
    example = Example.objects.get(question=asked)
    assert (example.title, example.heading) == (asked.sources[0]["title"], asked.sources[0]["heading"])
    assert example.source == ExampleSource.CONFIRMED and example.added_by == world.member_a
    assert any(e.text == asked.text for rows in index.current().examples.values() for e in rows)
    services.give_feedback(world.member_a, asked, True)  # twice: still one
    assert Example.objects.filter(question=asked).count() == 1
    services.give_feedback(world.member_a, asked, False)
    assert not Example.objects.filter(question=asked).exists()


def test_the_page_says_the_wording_was_learned(knowledge, world, login):  # noqa: ANN001
    asked = services.ask(world.member_a, "生孩子能休多久的假")
    phone = login(world.member_a)
    page = phone.post(f"/assistant/question/{asked.pk}/feedback/", {"helpful": "yes"}, follow=True)
    assert "小智记住了这种问法" in page.content.decode()
    assert Example.objects.filter(question=asked).exists()


def test_a_long_story_is_not_kept_as_an_example(knowledge, world):
    story = "我老婆上个月在老家的县医院生了二胎，" * 8 + "生孩子能休多久的假"
    asked = services.ask(world.member_a, story)
    marked = services.give_feedback(world.member_a, asked, True)
    assert marked.helpful and not marked.teaches
    assert not Example.objects.filter(question=asked).exists()


def test_an_answer_that_was_not_confident_teaches_nothing(knowledge, world):
    asked = services.ask(world.member_a, "食堂几点开饭")
    assert not asked.confident
    services.give_feedback(world.member_a, asked, True)
    assert not Example.objects.filter(question=asked).exists()


def test_a_rebuild_after_new_words_reads_again_only_the_examples_they_can_change():
    """The typo model's reading of each example is kept between builds (a cold build of the demo's 7,000 takes
    8–9 s); a change of the knowledge base's words forgets only the examples that could now be read differently:
    「凯迪拉刻」 is read as the document's 凯迪拉克 once a document names it, and as written again once it is gone,
    while an example none of whose runs is near the changed words keeps its reading (the same object, not read
    again)."""
    cars = index.Entry(1, 1, "车主服务", "一、保养", "凯迪拉克车主每年免费保养一次。", 1)
    fees = index.Entry(2, 2, "党费交纳办法", "一、交纳", "党费按月交纳。", 1)
    slip, other = "凯迪拉刻几点保养", "党费咋交"
    asked = [("车主服务", "一、保养", slip), ("党费交纳办法", "一、交纳", other)]

    def read(idx: index.Index, text: str) -> index.Asked:
        return next(a for a, _ids in idx.example_rows if a.text == text)

    index._example_words.clear()
    with_cars = index.Index([cars, fees], (), asked)
    kept = index._example_words[other]
    assert "凯迪拉克" in read(with_cars, slip).terms

    reworded = replace(cars, text="车主每年免费保养一次。")  # the section no longer names the brand
    without_cars = index.Index([reworded, fees], (), asked)
    assert index._example_words[other] is kept  # not read again
    assert "凯迪拉克" not in without_cars.vocabulary and "凯迪拉克" not in read(without_cars, slip).terms
    index._example_words.clear()
    index._example_vocabulary = frozenset()
    cold = index.Index([reworded, fees], (), asked)
    assert read(without_cars, other).grams == read(cold, other).grams
    assert read(without_cars, slip).grams == read(cold, slip).grams
