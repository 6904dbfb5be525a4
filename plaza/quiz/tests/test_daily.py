"""每日答题: a person's questions come from their organisations, never repeat within 30 days while others
remain, are scored on the server once, earn 1 point each into the ledger (activity ``quiz``, cap 5) with one
idempotency key per person, day and question; wrong answers go to the 错题本, which drops them after two
right answers. 挑战答题: until the first mistake, points by the section 9 thresholds under the day's cap."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from plaza.audit import chain
from plaza.points import services as points
from plaza.points.models import Entry, Total
from plaza.quiz import queries, services
from plaza.quiz.models import DailyItem, Mistake

from .helpers import T0, Clock, bank, make_question


def test_the_draw_never_repeats_within_30_days_while_others_remain(world, monkeypatch, settings):
    settings.PLAZA_QUIZ_DAILY_COUNT = 5
    clock = Clock(monkeypatch)
    questions = bank(world.branch_a, 40)
    bank(world.branch_b, 5)  # another branch's questions never reach member_a
    seen: list[int] = []
    for day in range(8):
        clock.at(day * 86400)
        items = services.daily_set(world.member_a)
        assert len(items) == 5
        seen += [i.question_id for i in items]
    mine = {q.pk for q in questions}
    assert set(seen) <= mine
    assert len(seen[:40]) == len(set(seen[:40]))  # 8 days × 5 = the 40 questions, none twice
    clock.at(8 * 86400)  # all 40 seen within 30 days: the ones seen longest ago come back first
    again = [i.question_id for i in services.daily_set(world.member_a)]
    assert set(again) == set(seen[:5])


def test_a_reload_draws_the_same_set(world, monkeypatch):
    Clock(monkeypatch)
    bank(world.branch_a, 12)
    first = [i.question_id for i in services.daily_set(world.member_a)]
    assert [i.question_id for i in services.daily_set(world.member_a)] == first


def test_answers_earn_one_point_each_under_the_cap_once(world, monkeypatch, settings, committed):
    settings.PLAZA_QUIZ_DAILY_COUNT = 7
    Clock(monkeypatch)
    bank(world.branch_a, 10)
    total = 0
    for _n in range(7):
        item = services.next_daily(world.member_a)
        with committed():  # the points are credited after the answer's commit
            outcome = services.answer_daily(world.member_a, item, [1])
        assert outcome.correct
        total += outcome.points
        with pytest.raises(ValidationError, match="已经作答"):
            services.answer_daily(world.member_a, item, [1])
    assert total == 5 == points.balance_of(world.member_a)  # the daily cap (rulebook section 9)
    assert not DailyItem.objects.filter(points__gt=0, granted_at__isnull=True).exists()
    keys = list(Entry.objects.filter(person=world.member_a).values_list("idempotency_key", flat=True))
    assert len(keys) == 5 and all(k.startswith(f"quiz:daily:{world.member_a.pk}:2026-03-03:") for k in keys)
    assert services.next_daily(world.member_a) is None


def test_a_wrong_answer_goes_to_the_mistake_book_until_answered_right_twice(world, monkeypatch, settings):
    settings.PLAZA_QUIZ_DAILY_COUNT = 1
    Clock(monkeypatch)
    make_question(world.branch_a)
    item = services.next_daily(world.member_a)
    outcome = services.answer_daily(world.member_a, item, [0])
    assert not outcome.correct and outcome.points == 0 and points.balance_of(world.member_a) == 0
    mistake = Mistake.objects.get(person=world.member_a)
    assert mistake.chosen == [0] and mistake.right_count == 0
    assert "再答对一次" in services.review_mistake(world.member_a, mistake, ["1"]).message
    mistake.refresh_from_db()
    assert mistake.right_count == 1
    assert "已移出错题本" in services.review_mistake(world.member_a, mistake, [1]).message
    assert not Mistake.objects.exists()


def test_malformed_answers_are_refused(world, monkeypatch, settings):
    settings.PLAZA_QUIZ_DAILY_COUNT = 1
    Clock(monkeypatch)
    make_question(world.branch_a)
    item = services.next_daily(world.member_a)
    for raw, message in (([], "请选择答案"), (["9"], "没有这个选项"), (["x"], "格式不正确"), ([0, 1], "只能选一个")):
        with pytest.raises(ValidationError, match=message):
            services.answer_daily(world.member_a, item, raw)
    assert DailyItem.objects.get(pk=item.pk).answered_at is None


def test_fill_in_answers_ignore_spaces_and_accept_alternatives(world, monkeypatch, settings):
    settings.PLAZA_QUIZ_DAILY_COUNT = 1
    Clock(monkeypatch)
    make_question(world.branch_a, kind="fill", answer=["545", "五百四十五"])
    item = services.next_daily(world.member_a)
    assert services.answer_daily(world.member_a, item, " 5 4 5 ").correct


def test_a_challenge_runs_until_the_first_mistake_and_earns_by_the_thresholds(world, monkeypatch):
    Clock(monkeypatch)
    bank(world.branch_a, 15)
    run = services.start_challenge(world.member_a)
    for _n in range(10):
        item = services.challenge_item(world.member_a, run)
        assert services.answer_challenge(world.member_a, run, item, [1]).correct
    item = services.challenge_item(world.member_a, run)
    outcome = services.answer_challenge(world.member_a, run, item, [0])
    assert not outcome.correct and outcome.points == 6  # 10 right → 6 (rulebook section 9)
    assert queries.challenge_best(world.member_a) == 10
    run = services.start_challenge(world.member_a)  # a second run the same day: the day's cap is reached
    for _n in range(5):
        services.answer_challenge(world.member_a, run, services.challenge_item(world.member_a, run), [1])
    outcome = services.answer_challenge(world.member_a, run, services.challenge_item(world.member_a, run), [3])
    assert outcome.points == 0 and points.balance_of(world.member_a) == 6
    assert list(Entry.objects.values_list("idempotency_key", flat=True)) == [f"quiz:challenge:{run.pk - 1}"]


def test_a_question_past_its_expiry_is_never_asked(world, monkeypatch):
    clock = Clock(monkeypatch)
    stale = make_question(world.branch_a, expires_on=clock.current.date() - timedelta(days=1))
    fresh = make_question(world.branch_a, 2)
    assert list(queries.questions_for(world.member_a)) == [fresh]
    assert stale.pk not in [i.question_id for i in services.daily_set(world.member_a)]


def test_points_are_credited_in_a_batch_after_the_commit_and_caught_up_when_missed(world, monkeypatch, settings):
    """The answer records the points it earned (under the cap, decided in the request); the ledger is credited
    after the commit in one batch for many people (one take of the chains' lock), dated when they were earned,
    once: a second run, or one after a run that was never kicked (a stopped process), adds nothing twice and
    leaves nothing behind."""
    settings.PLAZA_QUIZ_DAILY_COUNT = 3
    clock = Clock(monkeypatch)
    bank(world.committee, 6)
    people = [world.member_a, world.member_b, world.secretary_a]
    for person in people:
        for _n in range(3):  # not committed: nothing is credited yet, as after a process stopped in between
            services.answer_daily(person, services.next_daily(person), [1])
    assert points.balance_of(world.member_a) == 0
    assert DailyItem.objects.filter(points=1, granted_at__isnull=True).count() == 9
    clock.at(60)
    assert services.grant_daily_points(batch=4) == 9  # three batches
    assert services.grant_daily_points() == 0
    for person in people:
        assert points.balance_of(person) == 3
    entries = Entry.objects.filter(source_type="quiz")
    assert entries.count() == 9 and {e.created_at for e in entries} == {T0}  # dated when earned
    assert not DailyItem.objects.filter(points__gt=0, granted_at__isnull=True).exists()
    assert Total.objects.filter(person__in=people, period="all", earned=3).count() == 3  # the rankings' totals
    assert chain.verify(Entry).ok


def test_the_batch_credits_no_more_than_the_days_cap(world, monkeypatch, settings):
    """The cap is the ledger's too: with the day's points already in the ledger (the cap lowered since the
    answers, say), the batch credits only the rest, and the answer rows say what came."""
    settings.PLAZA_QUIZ_DAILY_COUNT = 3
    Clock(monkeypatch)
    bank(world.branch_a, 3)
    for _n in range(3):
        services.answer_daily(world.member_a, services.next_daily(world.member_a), [1])
    settings.PLAZA_POINTS_DAILY_CAPS = {"quiz": 2}
    assert services.grant_daily_points() == 3
    assert points.balance_of(world.member_a) == 2
    assert sorted(DailyItem.objects.values_list("points", flat=True)) == [0, 1, 1]
    assert not DailyItem.objects.filter(granted_at__isnull=True).exists()


def test_the_ledger_batch_is_idempotent_and_keeps_balances_and_totals(world):
    now = timezone.now()
    earnings = [
        points.Earning(person_id=world.member_a.pk, activity="quiz", amount=1, key=f"k{n}", at=now) for n in range(7)
    ]
    grants = points.earn_for_activity_many(earnings)
    assert [g.granted for g in grants] == [1, 1, 1, 1, 1, 0, 0]  # the cap of 5
    again = points.earn_for_activity_many(earnings[:2])
    assert all(g.repeated and g.granted == 0 for g in again)
    assert points.balance_of(world.member_a) == 5
    assert set(Total.objects.filter(person=world.member_a).values_list("earned", flat=True)) == {5}
    assert chain.verify(Entry).ok
