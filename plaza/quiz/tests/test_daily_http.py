"""每日答题 over HTTP as a phone does it (issue 15: 20,000 people within ten minutes, p95 per answer ≤ 100 ms):
the page reads today's set once, whatever its size; an answer sent from the page (htmx) comes back in place —
the feedback and the next question in one small response of a few queries, the points credited after the
commit; without JavaScript the form posts and the page comes back (post/redirect/get)."""

from __future__ import annotations

import re

from plaza.points import services as points
from plaza.quiz.models import DailyItem, Mistake

from .helpers import bank, value_of

FORM = re.compile(r'action="(/quiz/daily/(\d+)/)"')
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_daily_page_reads_todays_set_once(world, login, settings, django_assert_max_num_queries):  # noqa: ANN001
    settings.PLAZA_QUIZ_DAILY_COUNT = 5
    bank(world.committee, 20)
    phone = login(world.member_a)
    page = phone.get("/quiz/daily/")  # the first visit of the day draws the set
    for _n in range(5):
        action = FORM.search(page.content.decode())
        assert action is not None
        answered = phone.post(action.group(1), {"choice": "1"})
        assert answered.status_code == 302
        # the session, the person, today's set, the next question's send time, the unread notices
        with django_assert_max_num_queries(5):
            page = phone.get(answered["Location"])
        assert page.context["answered"].pk == int(action.group(2))
    assert page.context["item"] is None and page.context["done"] == 5
    assert page.context["points_today"] == sum(1 for i in page.context["items"] if i.correct)
    assert "今天的题已经答完" in page.content.decode()


def test_the_first_page_of_the_day_draws_the_set_in_a_few_queries(
    world, login, settings, django_assert_max_num_queries
):  # noqa: ANN001
    settings.PLAZA_QUIZ_DAILY_COUNT = 5
    bank(world.committee, 20)
    phone = login(world.member_a)
    # the session, the person; the draw: today's set (none yet), the pool, the last 30 days, one insert (in its
    # transaction, 3) with the first question already stamped as sent, the drawn questions; the unread notices
    with django_assert_max_num_queries(10):
        page = phone.get("/quiz/daily/")
    items = page.context["items"]
    assert len(items) == 5 and page.context["item"] == items[0] and items[0].sent_at is not None
    assert DailyItem.objects.filter(person=world.member_a, sent_at__isnull=False).count() == 1
    assert 'data-testid="question-text"' in page.content.decode()
    with django_assert_max_num_queries(4):  # the session, the person, today's set, the unread notices
        again = phone.get("/quiz/daily/")
    assert [i.question_id for i in again.context["items"]] == [i.question_id for i in items]


def test_an_answer_from_the_page_comes_back_in_place_in_a_few_queries(
    world, login, settings, django_assert_max_num_queries, committed
):  # noqa: ANN001
    settings.PLAZA_QUIZ_DAILY_COUNT = 5
    bank(world.committee, 20)
    phone = login(world.member_a)
    page = phone.get("/quiz/daily/")
    assert 'hx-post="/quiz/daily/' in page.content.decode() and "htmx.min.js" in page.content.decode()
    for n in range(5):
        action = FORM.search(page.content.decode())
        assert action is not None
        # the bank's key is 乙: right on odd answers, 甲 otherwise, wherever this person is shown them
        choice = value_of(page.content.decode(), "乙" if n % 2 else "甲")
        # the session, the person; in the answer's transaction (and its savepoint, 2): today's set locked, the
        # answer, the 错题本, the next question's send time. The ledger is not touched here.
        with committed() as queued, django_assert_max_num_queries(8):
            page = phone.post(action.group(1), {"choice": choice}, **HTMX)
        html = page.content.decode()
        assert page.status_code == 200 and "<html" not in html  # the body only, in place of the old one
        assert 'data-testid="feedback"' in html and "正确答案" in html
        if n % 2:
            assert "回答正确，得 1 积分，稍后计入积分账户" in html and len(queued) == 1
        else:
            assert "回答错误，已加入错题本" in html and not queued
        assert f"已答 {n + 1} / 5 题" in html
    assert "今天的题已经答完" in html and "今日得 2 积分" in html
    assert points.balance_of(world.member_a) == 2  # credited after each commit (inline here: no broker)
    assert Mistake.objects.filter(person=world.member_a).count() == 3


def test_a_second_submit_of_one_answer_is_refused_in_place(world, login, settings):  # noqa: ANN001
    settings.PLAZA_QUIZ_DAILY_COUNT = 2
    bank(world.committee, 5)
    phone = login(world.member_a)
    action = FORM.search(phone.get("/quiz/daily/").content.decode()).group(1)
    assert phone.post(action, {"choice": "1"}, **HTMX).status_code == 200
    again = phone.post(action, {"choice": "1"}, **HTMX)
    html = again.content.decode()
    assert again.status_code == 200 and 'data-testid="refusal"' in html and "已经作答" in html
    assert 'data-testid="feedback"' not in html and "第 2 题" in html  # the next question is still there
    assert DailyItem.objects.filter(person=world.member_a, answered_at__isnull=False).count() == 1
    assert phone.post(action.replace("/daily/", "/daily/9"), {"choice": "1"}, **HTMX).status_code == 404
    assert login(world.member_b).post(action, {"choice": "1"}, **HTMX).status_code == 404
