"""Answering from the demo knowledge base: paraphrased questions, the confidence threshold and 转人工, the
staff's answer reaching the asker, FAQ, feedback, the ``ask --json`` command and the optional LLM."""

import json

import httpx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from plaza.assistant import index, llm, services
from plaza.assistant.models import Question, Status
from plaza.notify.models import Notification

PARAPHRASED = [
    ("老婆生娃了，我能领工会的钱吗", "工会会员生育慰问办法", "一、慰问对象 > 2. 男会员的配偶生育"),
    ("月薪八千的话党费每月缴多少", "党费交纳办法", "二、交纳比例 > 1. 在职党员"),
    ("跳槽去别的单位，党员关系咋转走", "党员组织关系转接办理指南", "三、转出到外单位"),  # the section: 1. or 3.
    ("查出癌症了互助金给多少", "职工大病互助保障办法", "四、给付标准 > 1. 重大疾病给付"),
    # The interval is a 本单位规定 (rudang.md gives the default, 每季度): the asker's own value answers it.
    ("积极分子的思想汇报多长时间交一次", "本单位规定", "思想汇报的间隔"),
    ("开党员证明需要拿什么证件", "党员身份证明办理须知", "三、需要携带的材料"),
]


@pytest.mark.parametrize(("question", "title", "heading"), PARAPHRASED)
def test_paraphrased_questions_find_the_right_passage(knowledge, question, title, heading):
    reply = services.respond(question)
    assert reply.confident
    assert reply.hits[0].entry.title == title and reply.hits[0].entry.heading.startswith(heading)
    assert title in reply.answer


def test_an_unrelated_question_is_not_answered_confidently(knowledge):
    reply = services.respond("电脑坏了找谁修")
    assert not reply.confident and "转人工" in reply.answer


def test_ask_json_prints_one_object_best_source_first(knowledge, capsys):
    call_command("ask", "生孩子工会给多少钱？", "--json")
    out = capsys.readouterr().out
    data = json.loads(out)
    assert set(data) == {"answer", "confident", "sources"} and data["confident"] is True
    assert isinstance(data["answer"], str) and "800 元" in data["answer"]
    assert data["sources"][0] == {
        "title": "工会会员生育慰问办法",
        "heading": "二、慰问标准",
        "score": data["sources"][0]["score"],
    }
    scores = [s["score"] for s in data["sources"]]
    assert scores == sorted(scores, reverse=True) and all(isinstance(s, float) for s in scores)
    call_command("ask", "今天天气怎么样", "--json")
    assert json.loads(capsys.readouterr().out)["confident"] is False


def test_hand_off_staff_answer_notification_and_faq(knowledge, world, committed):
    asked = services.ask(world.member_a, "公积金贷款怎么办理")
    assert asked.status == Status.UNANSWERED and not asked.confident
    with committed():
        services.hand_off(world.member_a, asked)
    told = Notification.objects.filter(kind="assistant", url="/assistant/office/queue/")
    assert list(told.values_list("recipient", flat=True)) == [world.staff.pk]  # not the secretary: no such right
    assert "张建国" in told.get().title and told.get().body == "公积金贷款怎么办理"
    with pytest.raises(ValidationError):
        services.hand_off(world.member_a, asked)
    assert told.count() == 1
    with pytest.raises(PermissionDenied):
        services.hand_off(world.member_b, asked)
    with pytest.raises(PermissionDenied):
        services.answer_question(world.secretary_a, asked, "不归你管")
    answer = "公积金贷款请到人力资源部 3 楼公积金专窗办理，带身份证和购房合同。"
    with committed():
        answered = services.answer_question(world.staff, asked, answer)
    assert answered.status == Status.STAFF_ANSWERED
    note = Notification.objects.get(recipient=world.member_a, kind="assistant")
    assert note.url == f"/assistant/question/{asked.pk}/"
    passage = services.make_faq(world.staff, answered)
    assert passage.heading == "公积金贷款怎么办理" and passage.document.title == services.FAQ_TITLE
    with pytest.raises(ValidationError):
        services.make_faq(world.staff, Question.objects.get(pk=asked.pk))
    again = services.respond("住房公积金贷款去哪办")  # the index was rebuilt: the FAQ now answers
    assert again.confident and again.hits[0].entry.passage == passage.pk


def test_feedback_is_the_askers_own(knowledge, world):
    asked = services.ask(world.member_a, "党费每个月几号前交")
    services.give_feedback(world.member_a, asked, False)
    asked.refresh_from_db()
    assert asked.helpful is False and asked.feedback_at is not None
    with pytest.raises(PermissionDenied):
        services.give_feedback(world.member_b, asked, True)


def test_unpublished_documents_are_not_searched(knowledge, world):
    reply = services.respond("疗养可以带家属吗")
    document = reply.hits[0].entry
    from plaza.assistant.models import Document

    services.set_published(world.staff, Document.objects.get(pk=document.document), False)
    assert all(h.entry.document != document.document for h in services.respond("疗养可以带家属吗").hits)


def test_the_index_is_built_once_and_rebuilt_on_change(knowledge, world):
    first = index.current()
    assert index.current() is first
    services.import_document(None, "extra.md", "# 班车\n\n## 一、时间\n\n班车 7:30 发车。".encode())
    assert index.current() is not first


# ------------------------------------------------------------------------------------------ the optional LLM


def test_llm_off_by_default_gives_the_plain_answer(knowledge, monkeypatch):
    def boom(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("no network call when the LLM is off")

    monkeypatch.setattr(httpx, "post", boom)
    reply = services.respond("生孩子工会给多少钱")
    assert not llm.enabled() and not reply.used_llm and reply.answer.startswith("根据《工会会员生育慰问办法》")


def test_llm_answer_from_the_passages_only(knowledge, monkeypatch, settings):
    settings.PLAZA_ASSISTANT_LLM_URL = "http://llm.invalid/v1"
    settings.PLAZA_ASSISTANT_LLM_MODEL = "qwen"
    seen = {}

    def fake_post(url, json, headers, timeout):  # noqa: ANN001, ANN202, A002
        seen.update(url=url, payload=json, timeout=timeout)
        return httpx.Response(
            200,
            json={"choices": [{"message": {"content": "会员本人生育慰问 800 元。[1]"}}]},
            request=httpx.Request("POST", url),
        )

    monkeypatch.setattr(httpx, "post", fake_post)
    reply = services.respond("生孩子工会给多少钱")
    assert reply.used_llm and reply.answer == "会员本人生育慰问 800 元。[1]" and reply.hits
    assert seen["url"] == "http://llm.invalid/v1/chat/completions" and seen["timeout"] == 10.0
    assert seen["payload"]["model"] == "qwen" and "800 元" in seen["payload"]["messages"][1]["content"]


@pytest.mark.parametrize("failure", ["timeout", "status", "garbage"])
def test_llm_failure_falls_back_to_the_plain_answer(knowledge, monkeypatch, settings, failure):
    settings.PLAZA_ASSISTANT_LLM_URL = "http://llm.invalid/v1"

    def failing_post(url, **kwargs):  # noqa: ANN001, ANN003, ANN202
        request = httpx.Request("POST", url)
        if failure == "timeout":
            raise httpx.ReadTimeout("slow", request=request)
        if failure == "status":
            return httpx.Response(503, request=request)
        return httpx.Response(200, json={"unexpected": True}, request=request)

    monkeypatch.setattr(httpx, "post", failing_post)
    reply = services.respond("生孩子工会给多少钱")
    assert reply.confident and not reply.used_llm and "800 元" in reply.answer
    assert reply.hits[0].entry.heading == "二、慰问标准"
