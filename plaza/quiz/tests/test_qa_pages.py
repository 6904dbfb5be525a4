"""What the QA pass over the 答题 pages (as dy001, yg001, sj001 and zzb001, at 360 × 740 and 1280 × 800) found,
one test per kind of defect: a broken picture on the big screen, a figure a phone could only reach by scrolling a
table sideways, pages without a way back, a refusal without its reason, a button that can only fail, a state
word players cannot read, a form asking staff for a number they cannot know, and a list without its size."""

from __future__ import annotations

from xml.etree import ElementTree

from plaza.quiz import queries, services
from plaza.quiz.models import Void

from .helpers import Clock, bank, make_contest
from .test_live import live_contest


def test_the_big_screens_qr_code_is_a_picture_a_browser_can_show(world, login):
    contest = live_contest(world)
    response = login(world.staff).get(f"/quiz/live/{contest.pk}/qr.svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    root = ElementTree.fromstring(response.content)  # a file of its own: well-formed, with the SVG namespace
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


def test_a_phone_sees_every_teams_participation_rate_without_scrolling_a_table(world, login, monkeypatch):
    Clock(monkeypatch)
    contest = make_contest(world, bank(world.committee, 1), mode="team", team_basis="branch", require_all=True)
    for url, person in (
        (f"/quiz/contests/{contest.pk}/", world.member_a),
        (f"/quiz/office/contests/{contest.pk}/", world.staff),
    ):
        page = login(person).get(url).content.decode()
        teams = page.split('data-testid="teams"', 1)[1].split("</ol>", 1)[0]
        assert "<table" not in teams
        assert teams.count('data-testid="team-rate"') == 2 and "参与率 0.0%（0/3 人）" in teams


def test_office_pages_have_a_way_back(world, login):
    staff = login(world.staff)
    for url in ("/quiz/office/questions/new/", "/quiz/office/import/", "/quiz/office/contests/new/"):
        page = staff.get(url)
        assert page.status_code == 200 and 'class="topbar-back"' in page.content.decode(), url


def test_the_office_refuses_people_without_the_duty_and_says_why(world, login):
    member = login(world.member_a)
    for url in ("/quiz/office/", "/quiz/office/questions/new/", "/quiz/office/contests/"):
        page = member.get(url)
        assert page.status_code == 403
        assert "您目前没有管理答题的职务" in page.content.decode(), url


def test_no_challenge_button_when_there_is_nothing_to_answer(world, login):
    bank(world.branch_a, 3)  # published for branch A only: the union-only employee has none
    page = login(world.employee).get("/quiz/challenge/").content.decode()
    assert 'data-testid="challenge-empty"' in page and "开始挑战" not in page
    page = login(world.member_a).get("/quiz/challenge/").content.decode()
    assert "开始挑战" in page and "challenge-empty" not in page


def test_players_read_a_live_contest_waiting_for_its_host_as_such(world, login):
    live_contest(world)
    for url in ("/quiz/", "/quiz/contests/"):
        page = login(world.member_a).get(url).content.decode()
        assert "等待主持人开始" in page and "未发布" not in page, url


def test_staff_void_a_question_chosen_from_the_contests_own(world, login, monkeypatch):
    Clock(monkeypatch)
    questions = bank(world.committee, 2)
    bank(world.committee, 1, text="不在本竞赛的题")
    contest = make_contest(world, questions)
    staff = login(world.staff)
    page = staff.get(f"/quiz/office/contests/{contest.pk}/").content.decode()
    choices = page.split('name="question"', 1)[1].split("</select>", 1)[0]
    assert all(f'value="{q.pk}"' in choices for q in questions) and "不在本竞赛的题" not in choices
    staff.post(
        f"/quiz/office/contests/{contest.pk}/", {"action": "void", "question": questions[1].pk, "reason": "答案有误"}
    )
    assert Void.objects.get(contest=contest).question == questions[1]


def test_the_missing_players_list_says_how_many(world, login, monkeypatch):
    Clock(monkeypatch)
    contest = make_contest(world, bank(world.committee, 1), mode="team", team_basis="branch", require_all=True)
    missing = queries.missing_players(contest).count()
    assert missing == 5
    page = login(world.staff).get(f"/quiz/office/contests/{contest.pk}/").content.decode()
    assert f"共 {missing} 人尚未参赛" in page
    services.start_attempt(world.member_a, contest)
    page = login(world.staff).get(f"/quiz/office/contests/{contest.pk}/").content.decode()
    assert f"共 {missing - 1} 人尚未参赛" in page
