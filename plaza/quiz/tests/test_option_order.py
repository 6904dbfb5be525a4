"""Options in each person's own order (每日答题 and 挑战答题, as contests already do): a bank whose key is always
the first option must not be answered by ticking the first option every time. The order is stable per person and
question (a reload shows the same); the page posts positions as shown and the server maps them back, so the
score, the 错题本, the right answer shown after it and the statistics per option stay in the bank's numbering.
The demo bank's keys are spread over the options."""

from __future__ import annotations

import re

import pytest

from plaza.quiz import queries, services
from plaza.quiz.demo import QUESTIONS
from plaza.quiz.models import ChallengeItem, DailyItem, Kind, Mistake, Question

from .helpers import Clock, bank, make_question, shown_options, value_of

FORM = re.compile(r'action="(/quiz/daily/(\d+)/)"')
HTMX = {"HTTP_HX_REQUEST": "true"}
STORED = ["甲", "乙", "丙", "丁"]  # the helpers' options; the key is 乙 (index 1)


@pytest.fixture(autouse=True)
def fixed_key(settings):  # noqa: ANN001, ANN201
    """The orders derive from the secret key: a fixed one makes every check here deterministic (set before any
    login: the session's hash derives from it too)."""
    settings.SECRET_KEY = "plaza-quiz-option-order-tests"


def test_each_person_has_their_own_stable_order_and_true_false_and_fill_in_keep_theirs(world):
    questions = bank(world.branch_a, 12)
    mine = [services.person_order(world.member_a.pk, q) for q in questions]
    assert all(sorted(order) == [0, 1, 2, 3] for order in mine)
    assert sum(order != [0, 1, 2, 3] for order in mine) >= 6  # most questions are shuffled
    assert [services.person_order(world.member_a.pk, q) for q in questions] == mine  # the same every time
    assert [services.person_order(world.member_b.pk, q) for q in questions] != mine  # another person's own
    assert services.person_order(world.member_a.pk, make_question(world.branch_a, kind=Kind.TRUE_FALSE)) == [0, 1]
    assert services.person_order(world.member_a.pk, make_question(world.branch_a, kind=Kind.FILL)) == []


def test_the_daily_page_shows_the_persons_order_and_maps_the_answer_back(world, login, settings, monkeypatch):
    """Answered by the place the option is shown in: the right one (乙 wherever it is) scores, the first one
    shown — right only when it is 乙 — does not; what is stored is the bank's numbering."""
    Clock(monkeypatch)
    settings.PLAZA_QUIZ_DAILY_COUNT = 6
    bank(world.branch_a, 6)
    phone = login(world.member_a)
    page = phone.get("/quiz/daily/").content.decode()
    moved = 0
    for n in range(6):
        shown = [text for _value, text in shown_options(page)]
        assert sorted(shown) == sorted(STORED)
        moved += shown != STORED
        assert shown_options(phone.get("/quiz/daily/").content.decode()) == shown_options(page)  # a reload
        action = FORM.search(page)
        assert action is not None
        item = DailyItem.objects.get(pk=action.group(2))
        right = n % 2 == 0
        picked = "乙" if right else next(text for text in shown if text != "乙")
        page = phone.post(action.group(1), {"choice": value_of(page, picked)}, **HTMX).content.decode()
        item.refresh_from_db()
        assert item.correct is right and item.chosen == [STORED.index(picked)]  # the bank's numbering
        letter = "ABCD"[shown.index("乙")]
        assert f"{letter}．乙" in page  # the right answer, lettered where it was shown
        assert ("回答正确" if right else "回答错误，已加入错题本") in page
        if not right:
            assert Mistake.objects.get(person=world.member_a, question=item.question).chosen == item.chosen
    assert moved >= 3  # the order shown is not the bank's (it would be on every question without the fix)
    question = DailyItem.objects.filter(person=world.member_a, correct=False).first().question
    wrong = DailyItem.objects.get(person=world.member_a, question=question).chosen[0]
    assert queries.question_stats([question])[question.pk].options == {wrong: 1}  # counted per stored option


def test_ticking_the_first_option_shown_every_time_is_not_a_full_score(world, login, settings, monkeypatch):
    Clock(monkeypatch)
    settings.PLAZA_QUIZ_DAILY_COUNT = 8
    bank(world.branch_a, 8, answer=[0])  # a bank whose authors always put the key first
    phone = login(world.member_a)
    page = phone.get("/quiz/daily/").content.decode()
    for _n in range(8):
        action = FORM.search(page)
        page = phone.post(action.group(1), {"choice": "0"}, **HTMX).content.decode()
    right = DailyItem.objects.filter(person=world.member_a, answered_at__isnull=False, correct=True).count()
    assert right < 8  # some of the first options shown were not the key (all were, before)


def test_the_challenge_shows_the_persons_order_and_maps_the_answer_back(world, login, monkeypatch):
    Clock(monkeypatch)
    bank(world.branch_a, 8)
    phone = login(world.member_a)
    assert phone.post("/quiz/challenge/").status_code == 302
    moved = 0
    for _n in range(5):
        page = phone.get("/quiz/challenge/").content.decode()
        shown = [text for _value, text in shown_options(page)]
        assert sorted(shown) == sorted(STORED)
        assert shown_options(phone.get("/quiz/challenge/").content.decode()) == shown_options(page)  # a reload
        moved += shown != STORED
        item = ChallengeItem.objects.get(run__person=world.member_a, answered_at__isnull=True)
        answered = phone.post("/quiz/challenge/answer/", {"item": item.pk, "choice": value_of(page, "乙")})
        assert answered.status_code == 302
        item.refresh_from_db()
        assert item.correct and item.chosen == [1]
    assert moved >= 2
    page = phone.get("/quiz/challenge/").content.decode()
    shown = [text for _value, text in shown_options(page)]
    item = ChallengeItem.objects.get(run__person=world.member_a, answered_at__isnull=True)
    wrong = next(text for text in shown if text != "乙")
    over = phone.post("/quiz/challenge/answer/", {"item": item.pk, "choice": value_of(page, wrong)})
    html = over.content.decode()
    assert 'data-testid="challenge-over"' in html and f"{'ABCD'[shown.index('乙')]}．乙" in html
    item.refresh_from_db()
    assert item.correct is False and item.chosen == [STORED.index(wrong)]
    assert Mistake.objects.get(person=world.member_a, question=item.question).chosen == [STORED.index(wrong)]


def test_the_api_gives_the_same_order_and_numbers_the_answer_as_it_gives_the_options(
    world, login, settings, monkeypatch
):
    Clock(monkeypatch)
    settings.PLAZA_QUIZ_DAILY_COUNT = 4
    bank(world.branch_a, 4)
    client = login(world.member_a)
    items = client.get("/api/v1/quiz/daily").json()
    for row in items:
        question = Question.objects.get(daily_items__pk=row["id"])
        order = services.person_order(world.member_a.pk, question)
        assert row["options"] == [STORED[i] for i in order]
    assert any(row["options"] != STORED for row in items)
    first = items[0]
    place = first["options"].index("乙")
    answered = client.post(
        f"/api/v1/quiz/daily/{first['id']}/answer", {"choice": [place]}, content_type="application/json"
    ).json()
    assert answered["correct"] and answered["answer"] == [place]
    assert DailyItem.objects.get(pk=first["id"]).chosen == [1]
    again = next(row for row in client.get("/api/v1/quiz/daily").json() if row["id"] == first["id"])
    assert again["options"] == first["options"] and again["answer"] == [place]


def test_the_demo_banks_keys_are_not_always_the_first_option():
    """A bank whose right answer is always option A is answered by ticking A; the demo's keys are spread over
    the options (every place is the key of some single-choice question, no place of most), and its true/false
    statements are not all true."""
    choice = [row for row in QUESTIONS if row[0] in (Kind.SINGLE, Kind.MULTIPLE)]
    assert sum(0 in row[3] for row in choice) <= len(choice) / 2
    singles = [row[3][0] for row in QUESTIONS if row[0] == Kind.SINGLE]
    assert set(singles) == {0, 1, 2, 3} and max(singles.count(p) for p in range(4)) <= len(singles) / 2
    assert {row[3][0] for row in QUESTIONS if row[0] == Kind.TRUE_FALSE} == {0, 1}
    for kind, text, options, answer, *_rest in QUESTIONS:
        if kind == Kind.SINGLE:
            assert len(answer) == 1 and 0 <= answer[0] < len(options), text
        elif kind == Kind.MULTIPLE:
            assert len(answer) >= 2 and all(0 <= a < len(options) for a in answer), text
    three = next(row for row in QUESTIONS if row[1].startswith("“三新”"))
    assert three[0] == Kind.SINGLE and three[2][three[3][0]] == "新产品"  # asks for the one missing item
