"""Pages of 答题 for each role: members play, staff keep the bank and contests; scoping (a branch cannot see
another's questions or contests); the import page shows errors by row; the host page shows the PIN and QR."""

from __future__ import annotations

import io

from openpyxl import Workbook

from plaza.quiz import imports, services
from plaza.quiz.models import Question

from .helpers import Clock, bank, make_contest, make_question, value_of


def test_member_pages_render(world, login, settings, monkeypatch):
    Clock(monkeypatch)
    settings.PLAZA_QUIZ_DAILY_COUNT = 2
    bank(world.branch_a, 4)
    contest = make_contest(world, bank(world.committee, 2, tags=("E5",)))
    client = login(world.member_a)
    for url in (
        "/quiz/",
        "/quiz/daily/",
        "/quiz/challenge/",
        "/quiz/mistakes/",
        "/quiz/contests/",
        f"/quiz/contests/{contest.pk}/",
        f"/quiz/contests/{contest.pk}/ranking/",
        "/quiz/live/",
    ):
        assert client.get(url).status_code == 200, url
    page = client.get("/quiz/daily/").content.decode()
    item = services.next_daily(world.member_a)
    assert f"/quiz/daily/{item.pk}/" in page
    right = value_of(page, "乙")  # the bank's key, wherever this person is shown it
    response = client.post(f"/quiz/daily/{item.pk}/", {"choice": [right]}, follow=True)
    assert "回答正确" in response.content.decode() and "正确答案" in response.content.decode()
    assert client.post(f"/quiz/contests/{contest.pk}/").status_code == 302
    play = client.get(f"/quiz/contests/{contest.pk}/play/")
    assert play.status_code == 200 and "data-countdown" in play.content.decode()
    assert client.post("/quiz/challenge/").status_code == 302
    assert "第 1 题" in client.get("/quiz/challenge/").content.decode()


def test_a_branch_cannot_see_another_branchs_questions_or_contests(world, login):
    other = make_question(world.branch_b)
    contest = make_contest(world, [other], organisation=world.branch_b, organisations=[world.branch_b])
    client = login(world.secretary_a)
    assert client.get(f"/quiz/office/questions/{other.pk}/").status_code == 404
    assert client.get(f"/quiz/office/contests/{contest.pk}/").status_code == 404
    assert login(world.member_a).get(f"/quiz/contests/{contest.pk}/").status_code == 404


def test_staff_pages_and_the_import_page(world, login):
    question = make_question(world.branch_a)
    live = make_contest(world, [question], mode="live", title="现场赛")
    client = login(world.staff)
    for url in (
        "/quiz/office/",
        "/quiz/office/questions/new/",
        f"/quiz/office/questions/{question.pk}/",
        "/quiz/office/import/",
        "/quiz/office/contests/",
        "/quiz/office/contests/new/",
        f"/quiz/office/contests/{live.pk}/",
    ):
        assert client.get(url).status_code == 200, url
    host = client.get(f"/quiz/live/{live.pk}/host/").content.decode()
    assert live.pin in host and f"/quiz/live/{live.pk}/qr.svg" in host
    assert client.get(f"/quiz/live/{live.pk}/qr.svg").content.startswith(b"<svg")
    assert client.get("/quiz/office/import/template.xlsx").status_code == 200
    assert client.get("/quiz/office/export.xlsx").status_code == 200
    book = Workbook()
    book.active.append(imports.COLUMNS)
    book.active.append(["单选题", "题干", "甲", "乙", "", "", "", "", "Z", "", "", "", "中等", "P0101", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "题库.xlsx"
    response = client.post("/quiz/office/import/", {"file": buffer})
    assert "第 2 行「答案」" in response.content.decode() and Question.objects.count() == 1
    response = client.post(f"/quiz/office/questions/{question.pk}/withdraw/", {"reason": "参数过时"}, follow=True)
    assert "已撤回" in response.content.decode()


def test_staff_create_a_contest_through_the_form(world, login):
    questions = bank(world.committee, 2)
    client = login(world.staff)
    response = client.post(
        "/quiz/office/contests/new/",
        {
            "title": "别克E5知识赛",
            "mode": "live",
            "organisation": world.committee.pk,
            "organisations": [world.committee.pk],
            "opens_at": "2026-03-01T09:00",
            "closes_at": "2026-03-31T18:00",
            "draw": "fixed",
            "questions": f"{questions[0].pk}，{questions[1].pk}",
            "easy": 0,
            "medium": 0,
            "hard": 0,
            "seconds": 20,
            "attempts": 1,
            "streak": "on",
            "pass_percent": 60,
            "winners": 3,
            "team_rule": "sum",
            "team_best": 3,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    refused = client.post(
        "/quiz/office/contests/new/",
        {
            "title": "缺题",
            "mode": "live",
            "organisation": world.committee.pk,
            "organisations": [world.committee.pk],
            "opens_at": "2026-03-01T09:00",
            "closes_at": "2026-03-31T18:00",
            "draw": "fixed",
            "questions": "99999",
            "easy": 0,
            "medium": 0,
            "hard": 0,
            "seconds": 20,
            "attempts": 1,
            "pass_percent": 60,
            "winners": 3,
            "team_rule": "sum",
            "team_best": 3,
        },
    )
    assert "找不到这些题目" in refused.content.decode()


def test_api_daily_and_contests(world, login, settings, monkeypatch):
    Clock(monkeypatch)
    settings.PLAZA_QUIZ_DAILY_COUNT = 2
    bank(world.branch_a, 3)
    client = login(world.member_a)
    items = client.get("/api/v1/quiz/daily").json()
    assert len(items) == 2 and items[0]["answer"] is None and not items[0]["answered"]
    url = f"/api/v1/quiz/daily/{items[0]['id']}/answer"
    right = items[0]["options"].index("乙")  # the options come in this person's order, numbered as they come
    answered = client.post(url, {"choice": [right]}, content_type="application/json")
    assert answered.status_code == 200 and answered.json()["correct"] and answered.json()["points"] == 1
    again = client.post(url, {"choice": [1]}, content_type="application/json")
    assert again.status_code == 400 and "已经作答" in again.json()["detail"]
    assert login(world.member_b).post(url, {"choice": [1]}, content_type="application/json").status_code == 404
    assert login(world.member_a).get("/api/v1/quiz/contests").status_code == 200
