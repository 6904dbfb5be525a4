"""The pages: the conversation on the phone, one's own questions only, and the staff's office."""

from plaza.assistant import services
from plaza.assistant.models import Document, Question, Status
from plaza.lib.sections import functions_for


def test_conversation_ask_feedback_and_hand_off(client, world, knowledge):
    client.force_login(world.member_a)
    page = client.get("/assistant/").content.decode()
    assert "生孩子工会给多少慰问金？" in page  # a suggested question
    done = client.post("/assistant/", {"text": "老婆生孩子了工会给多少钱"})
    asked = Question.objects.get(person=world.member_a)
    assert done.status_code == 302 and done.url == f"/assistant/#q{asked.pk}"
    page = client.get("/assistant/").content.decode()
    assert "工会会员生育慰问办法" in page and "/assistant/documents/" in page and "#p" in page
    client.post(f"/assistant/question/{asked.pk}/feedback/", {"helpful": "no"})
    asked.refresh_from_db()
    assert asked.helpful is False
    assert "转人工" in client.get(f"/assistant/question/{asked.pk}/").content.decode()
    client.post(f"/assistant/question/{asked.pk}/hand-off/")
    asked.refresh_from_db()
    assert asked.status == Status.HANDED_OFF
    document = client.get(asked.sources[0]["url"].split("#")[0]).content.decode()
    assert 'id="p' in document and "慰问标准" in document


def test_a_member_cannot_see_anothers_question_or_staff_pages(client, world, knowledge):
    asked = services.ask(world.member_b, "李红梅想问党费怎么交")
    client.force_login(world.member_a)
    assert client.get(f"/assistant/question/{asked.pk}/").status_code == 404
    assert client.post(f"/assistant/question/{asked.pk}/feedback/", {"helpful": "yes"}).status_code == 404
    assert client.post(f"/assistant/question/{asked.pk}/hand-off/").status_code == 404
    for url in (
        "/assistant/office/",
        "/assistant/office/queue/",
        "/assistant/office/report/",
        f"/assistant/office/question/{asked.pk}/",
    ):
        assert client.get(url).status_code == 403, url
    hidden = Document.objects.create(title="未启用的文件", kind="txt", published=False)
    assert client.get(f"/assistant/documents/{hidden.pk}/").status_code == 404
    assert [f.key for f in functions_for("services", world.member_a) if f.key.startswith("assistant")] == ["assistant"]


def test_staff_queue_answer_faq_report_and_upload(client, world, knowledge):
    asked = services.ask(world.member_a, "公积金贷款怎么办理")
    services.hand_off(world.member_a, asked)
    unhelpful = services.ask(world.member_a, "党费每个月几号之前交")
    services.give_feedback(world.member_a, unhelpful, False)
    client.force_login(world.staff)
    assert "assistant_office" in [f.key for f in functions_for("services", world.staff)]
    office = client.get("/assistant/office/").content.decode()
    assert "党费交纳办法" in office
    assert "公积金贷款怎么办理" in client.get("/assistant/office/queue/").content.decode()
    report = client.get("/assistant/office/report/").content.decode()
    assert "公积金贷款怎么办理" in report and "党费每个月几号之前交" in report
    done = client.post(f"/assistant/office/question/{asked.pk}/", {"text": "每年 6 月在 Plaza 报名。"})
    assert done.status_code == 302
    faq = client.post(f"/assistant/office/question/{asked.pk}/faq/")
    asked.refresh_from_db()
    assert asked.faq_passage_id and faq.url == asked.faq_passage.url
    client.force_login(world.member_a)
    assert "每年 6 月在 Plaza 报名。" in client.get(f"/assistant/question/{asked.pk}/").content.decode()
    client.force_login(world.staff)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("bus.md", "# 班车须知\n\n## 一、发车\n\n每天 7:30 发车。".encode())
    assert client.post("/assistant/office/", {"file": upload}).status_code == 302
    bus = Document.objects.get(title="班车须知")
    assert bus.file.name.startswith("assistant/")
    client.post(f"/assistant/office/documents/{bus.pk}/publish/", {"published": "0"})
    bus.refresh_from_db()
    assert not bus.published


def test_every_suggested_question_is_answered(world, knowledge):
    """A newcomer tries the suggestions first: each must get an answer, not 「没有找到」 (the tester's report)."""
    from plaza.assistant.queries import SUGGESTED

    for text in SUGGESTED:
        reply = services.respond(text, person=world.member_a)
        assert reply.confident, (text, [(h.entry.title, h.entry.heading) for h in reply.hits])


def test_a_question_several_rules_answer_asks_the_person_to_choose_instead_of_saying_nothing_was_found(knowledge):
    """「党费每个月交多少」: 在职党员 or 其他党员 — both sections answer it, the asker's situation decides. The reply
    is not an answer (nothing is asserted about which applies) but it says that the sections listed may answer it;
    a question nothing answers still says so."""
    choose = services.respond("党费每个月交多少？")
    assert not choose.confident and services.verdict("党费每个月交多少？", choose.hits) == services.CHOOSE
    assert "几处规定都可能回答" in choose.answer and "没有找到" not in choose.answer
    assert {h.entry.heading for h in choose.hits} >= {"二、交纳比例 > 1. 在职党员", "二、交纳比例 > 3. 其他党员"}
    nothing = services.respond("食堂周末几点开门")
    assert not nothing.confident and "没有找到" in nothing.answer
