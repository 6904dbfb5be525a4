"""One answer per question per person under concurrency (PostgreSQL, threads): eight simultaneous submissions
of the same answer (a double tap, two tabs) store one answer and count it once; eight of the daily quiz earn
one point once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from plaza.audit import chain
from plaza.points import services as points
from plaza.points.models import Entry
from plaza.quiz import services
from plaza.quiz.models import Attempt, ContestAnswer, DailyItem

from .helpers import bank, make_contest
from .test_live import live_contest


def _race(n, work):  # noqa: ANN001, ANN201
    barrier = threading.Barrier(n)
    outcomes: list[str] = []

    def run() -> None:
        try:
            barrier.wait()
            work()
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _n in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_answers_to_one_question_count_once(world, settings):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL")
    settings.PLAZA_QUIZ_BOT_MS = 0
    now = timezone.now()
    contest = make_contest(
        world,
        bank(world.committee, 2),
        streak=True,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
    )
    attempt = services.start_attempt(world.member_a, contest)
    delivery, question = services.deliver(attempt)
    shown = delivery.option_order.index(question.answer[0])
    outcomes = _race(8, lambda: services.answer_attempt(world.member_a, attempt, question.pk, [shown]))
    assert outcomes.count("ok") == 1, outcomes
    assert all("已经作答" in o or "不是当前的题目" in o for o in outcomes if o != "ok")
    assert ContestAnswer.objects.filter(attempt=attempt).count() == 1
    stored = Attempt.objects.get(pk=attempt.pk)
    assert stored.score == ContestAnswer.objects.get(attempt=attempt).points and stored.right == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_daily_answers_earn_once(world, settings):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL")
    settings.PLAZA_QUIZ_DAILY_COUNT = 1
    bank(world.branch_a, 3)
    item = services.next_daily(world.member_a)
    outcomes = _race(8, lambda: services.answer_daily(world.member_a, item, [1]))
    assert outcomes.count("ok") == 1, outcomes
    assert all("已经作答" in o for o in outcomes if o != "ok")
    assert points.balance_of(world.member_a) == 1  # credited after the commit (inline: Celery is eager in tests)
    assert Entry.objects.filter(person=world.member_a).count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_answers_to_all_the_days_questions_never_pass_the_cap(world, settings):
    """Seven right answers of one person at once (seven tabs), each crediting the ledger right after its commit
    while the others answer: the person's set is locked by each answer, so exactly the cap is earned, credited
    once, and nobody waits in a circle (a deadlock would fail an answer here)."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL")
    settings.PLAZA_QUIZ_DAILY_COUNT = 7
    bank(world.branch_a, 7)
    items = services.daily_set(world.member_a)
    pending = iter(items)
    lock = threading.Lock()

    def answer() -> None:
        with lock:
            item = next(pending)
        services.answer_daily(world.member_a, item, [1])

    outcomes = _race(7, answer)
    assert outcomes == ["ok"] * 7, outcomes
    assert sum(DailyItem.objects.filter(person=world.member_a).values_list("points", flat=True)) == 5
    assert points.balance_of(world.member_a) == 5
    assert Entry.objects.filter(person=world.member_a, source_type="quiz").count() == 5
    assert not DailyItem.objects.filter(points__gt=0, granted_at__isnull=True).exists()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_crediting_runs_at_the_same_moment_credit_each_answer_once(world, settings, monkeypatch):
    """Six crediting runs at once (the task queued after commits, beat's catch-up, several Celery workers) over
    the same answers of three people: each answer's points reach the ledger once, and the chain holds."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL")
    settings.PLAZA_QUIZ_DAILY_COUNT = 4
    bank(world.committee, 4)
    monkeypatch.setattr("plaza.quiz.grants.kick", lambda work: None)  # as if the process stopped after commits
    people = [world.member_a, world.member_b, world.secretary_a]
    for person in people:
        for _n in range(4):
            services.answer_daily(person, services.next_daily(person), [1])
    assert Entry.objects.count() == 0
    outcomes = _race(6, lambda: services.grant_daily_points(batch=5))
    assert outcomes == ["ok"] * 6, outcomes
    for person in people:
        assert points.balance_of(person) == 4
    assert Entry.objects.filter(source_type="quiz").count() == 12
    assert not DailyItem.objects.filter(points__gt=0, granted_at__isnull=True).exists()
    assert chain.verify(Entry).ok


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_live_batches_in_several_server_processes_store_each_players_answer_once(world, settings, monkeypatch):
    """Six batches written at the same moment (six workers), each carrying the same three players' answers:
    the attempts locked in id order, so no deadlock, and each player's answer stored and counted once."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL")
    settings.PLAZA_QUIZ_BOT_MS = 0
    monkeypatch.setattr("plaza.quiz.services._broadcast", lambda contest, kind: None)
    contest = live_contest(world)
    players = [world.member_a, world.member_b, world.secretary_a]
    for person in players:
        services.join_live(person, contest)
    services.next_question(world.staff, contest)
    question = contest.fixed.get(position=1).question_id
    stored: list[int] = []

    def batch() -> None:
        order = players if len(stored) % 2 else list(reversed(players))
        results = services.answer_live_many(contest, [services.LiveEntry(p, question, [1]) for p in order])
        stored.append(sum(isinstance(r, services.Scored) for r in results))

    outcomes = _race(6, batch)
    assert outcomes == ["ok"] * 6 and sum(stored) == 3, (outcomes, stored)
    assert ContestAnswer.objects.filter(contest=contest).count() == 3
    for attempt in Attempt.objects.filter(contest=contest):
        assert attempt.score == sum(a.points + a.bonus for a in ContestAnswer.objects.filter(attempt=attempt)) > 0
