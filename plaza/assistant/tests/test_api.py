"""The 党群小智 API: ask (stored, with its sources), feedback and 转人工 on my own questions only, refusals as
400 with the reason."""

from plaza.api.auth import issue_token
from plaza.assistant import services
from plaza.assistant.models import Question, Status
from plaza.notify.models import Notification


def _post(client, url, body=None, **extra):
    return client.post(url, body or {}, content_type="application/json", **extra)


def test_ask_answers_with_sources_and_stores_the_question(client, world, knowledge):
    token = issue_token(world.member_a, "企业微信")
    response = _post(
        client, "/api/v1/assistant/ask", {"text": "老婆生孩子了工会给多少钱"}, HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 201
    body = response.json()
    stored = Question.objects.get(person=world.member_a)
    assert body["id"] == stored.pk and body["confident"] is True and body["answer"] == stored.answer
    best = body["sources"][0]
    assert best["title"] == "工会会员生育慰问办法" and best["url"].startswith("/assistant/documents/")
    assert set(best) == {"title", "heading", "score", "url"} and best["score"] > 0
    assert body["status"] == "answered" and body["helpful"] is None


def test_unanswerable_then_feedback_and_hand_off(client, world, knowledge, committed):
    client.force_login(world.member_a)
    body = _post(client, "/api/v1/assistant/ask", {"text": "公积金贷款怎么办理"}).json()
    assert body["confident"] is False and body["status"] == "unanswered"
    url = f"/api/v1/assistant/questions/{body['id']}"
    helped = _post(client, f"{url}/feedback", {"helpful": False})
    assert helped.status_code == 200 and helped.json()["helpful"] is False
    missing = _post(client, f"{url}/feedback")
    assert missing.status_code == 400 and missing.json()["detail"] == "请说明回答是否有帮助。"
    assert _post(client, f"{url}/feedback", {"helpful": "maybe"}).status_code == 422
    with committed():
        handed = _post(client, f"{url}/hand-off")
    assert handed.status_code == 200 and handed.json()["status"] == Status.HANDED_OFF
    assert Notification.objects.filter(recipient=world.staff, kind="assistant").exists()
    again = _post(client, f"{url}/hand-off")
    assert again.status_code == 400 and again.json()["detail"] == "这个问题已经转人工了。"


def test_empty_or_long_questions_are_refused_before_answering(client, world, knowledge):
    client.force_login(world.member_a)
    for body in ({"text": "   "}, {"text": "党费" * 300}, {"text": "党费\x00"}, {}):
        assert _post(client, "/api/v1/assistant/ask", body).status_code == 422, body
    spaced = _post(client, "/api/v1/assistant/ask", {"text": "  党费   怎么   交  "})
    assert spaced.status_code == 201 and spaced.json()["text"] == "党费 怎么 交"
    Question.objects.all().delete()
    assert not Question.objects.exists()


def test_someone_elses_question_is_404(client, world, knowledge):
    theirs = services.ask(world.member_b, "李红梅想问党费怎么交")
    client.force_login(world.member_a)
    for url, body in (
        (f"/api/v1/assistant/questions/{theirs.pk}/feedback", {"helpful": True}),
        (f"/api/v1/assistant/questions/{theirs.pk}/hand-off", {}),
    ):
        response = _post(client, url, body)
        assert response.status_code == 404 and "李红梅" not in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.helpful is None and theirs.status != Status.HANDED_OFF
