"""The live contest's work per answer and per broadcast stays small whatever the number of phones (issue 15,
2,000 players): an answer is a fixed handful of queries; a reveal reads the board once per server process
(not once per phone) and each phone still gets its own rank; the board ranks ties as one place."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from django.core.exceptions import ValidationError

from plaza.quiz import board as board_module
from plaza.quiz import services
from plaza.quiz.board import ranked
from plaza.quiz.models import Attempt, ContestAnswer, Phase

from .test_live import live_contest, receive, socket


def test_the_board_ranks_ties_as_one_place_and_keeps_a_players_best() -> None:
    rows = [(7, 30), (8, 20), (9, 20), (5, 0), (7, 10)]
    assert ranked(rows) == {7: (1, 30), 8: (2, 20), 9: (2, 20), 5: (4, 0)}
    assert ranked([]) == {}


def test_an_answer_costs_the_same_few_queries_however_many_play(  # noqa: ANN201
    world,
    settings,
    monkeypatch,
    django_assert_max_num_queries,  # noqa: ANN001
):
    settings.PLAZA_QUIZ_BOT_MS = 0
    monkeypatch.setattr("plaza.quiz.services._broadcast", lambda contest, kind: None)
    contest = live_contest(world)
    players = [world.member_a, world.member_b, world.secretary_a, world.activist_a]
    for person in players:
        services.join_live(person, contest)
    services.next_question(world.staff, contest)
    question = contest.fixed.get(position=1).question_id
    # the savepoint and its release (the test's own transaction), the running question with its contest and
    # void, the attempt locked, the insert, the update: six, where the first version took eleven
    for person in players:
        with django_assert_max_num_queries(6):
            scored = services.answer_live(person, contest, question, [1])
        assert scored.answer.correct and scored.position == 1


def test_answers_arriving_together_are_stored_in_one_batch_judged_one_by_one(  # noqa: ANN201
    world,
    settings,
    monkeypatch,
    django_assert_max_num_queries,  # noqa: ANN001
):
    settings.PLAZA_QUIZ_BOT_MS = 0
    monkeypatch.setattr("plaza.quiz.services._broadcast", lambda contest, kind: None)
    contest = live_contest(world)
    for person in (world.member_a, world.member_b, world.secretary_a):
        services.join_live(person, contest)
    services.next_question(world.staff, contest)
    question = contest.fixed.get(position=1).question_id
    entries = [
        services.LiveEntry(world.member_a, question, [1]),
        services.LiveEntry(world.member_b, question + 999, [1]),  # not the running question
        services.LiveEntry(world.member_a, question, [2]),  # a second answer in the same batch (another tab)
        services.LiveEntry(world.secretary_a, question, [3]),
        services.LiveEntry(world.activist_a, question, [1]),  # never joined
        services.LiveEntry(world.member_b, question, [1]),
    ]
    # savepoint, the running question, the attempts locked, earlier answers, one insert, one update, release
    with django_assert_max_num_queries(7):
        results = services.answer_live_many(contest, entries)
    verdicts = [r.message if isinstance(r, services.Scored) else r.messages[0] for r in results]
    assert verdicts[0].startswith("回答正确") and verdicts[5].startswith("回答正确")
    assert verdicts[1] == "这不是当前的题目。" and verdicts[2] == "这道题您已经作答，不能重复提交。"
    assert verdicts[3] == "回答错误。" and verdicts[4] == "请先加入竞赛。"
    assert ContestAnswer.objects.filter(contest=contest).count() == 3
    scores = dict(Attempt.objects.filter(contest=contest).values_list("person_id", "score"))
    assert scores[world.member_a.pk] == results[0].answer.points + results[0].answer.bonus > 0
    assert scores[world.secretary_a.pk] == 0
    again = services.answer_live_many(contest, [services.LiveEntry(world.member_b, question, [1])])
    assert isinstance(again[0], ValidationError) and "已经作答" in again[0].messages[0]
    assert ContestAnswer.objects.filter(contest=contest).count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_reveal_reads_the_board_once_for_every_phone(world, settings, monkeypatch):  # noqa: ANN001
    settings.PLAZA_QUIZ_BOT_MS = 0
    contest = live_contest(world)
    reads = {"ranks": 0, "rank": 0}
    database = board_module.DatabaseBoard
    whole, one = database.ranks, database.rank

    def counted_ranks(self, contest_id):  # noqa: ANN001, ANN202
        reads["ranks"] += 1
        return whole(self, contest_id)

    def counted_rank(self, contest_id, person_id):  # noqa: ANN001, ANN202
        reads["rank"] += 1
        return one(self, contest_id, person_id)

    monkeypatch.setattr(database, "ranks", counted_ranks)
    monkeypatch.setattr(database, "rank", counted_rank)
    people = [world.member_a, world.member_b, world.secretary_a]

    async def scenario() -> None:
        host = socket(world.staff, contest, host=True)
        assert (await host.connect())[0]
        await receive(host, "state")
        phones = [socket(person, contest) for person in people]
        for phone in phones:
            assert (await phone.connect())[0]
            await receive(phone, "state")
        await host.send_json_to({"type": "next"})
        question = None
        for phone in phones:
            question = (await receive(phone, "state"))["question"]
        assert question is not None
        for phone, choice in zip(phones, ([1], [1], [3]), strict=True):  # all at once: batched
            await phone.send_json_to({"type": "answer", "question": question["id"], "choice": choice})
        for phone in phones:
            assert (await receive(phone, "answered"))["me"]["rank"]
        reads["ranks"] = reads["rank"] = 0
        await host.send_json_to({"type": "reveal"})
        shown = [await receive(phone, "state") for phone in phones]
        assert all(s["phase"] == Phase.REVEAL for s in shown)
        ranks = [s["me"]["rank"] for s in shown]
        assert ranks[2] == 3 and sorted(ranks[:2]) in ([1, 2], [1, 1])
        assert [s["me"]["answer"]["correct"] for s in shown] == [True, True, False]
        assert reads == {"ranks": 1, "rank": 0}, reads
        for communicator in (host, *phones):
            await communicator.disconnect()

    async_to_sync(scenario)()


@pytest.mark.django_db(transaction=True)
def test_while_a_question_runs_only_the_big_screen_hears_the_counts(world, settings):  # noqa: ANN001
    settings.PLAZA_QUIZ_BOT_MS = 0
    contest = live_contest(world)

    async def scenario() -> None:
        host = socket(world.staff, contest, host=True)
        assert (await host.connect())[0]
        await receive(host, "state")
        phone = socket(world.member_a, contest)
        assert (await phone.connect())[0]
        await receive(phone, "state")
        await host.send_json_to({"type": "next"})
        question = (await receive(phone, "state"))["question"]
        await phone.send_json_to({"type": "answer", "question": question["id"], "choice": [1]})
        await receive(phone, "answered")
        on_screen = await receive(host, "counts")  # about once a second
        while on_screen.get("answered") != 1:
            on_screen = await receive(host, "counts")
        assert on_screen["counts"] == [0, 1, 0, 0] and on_screen["players"] == 1
        assert await phone.receive_nothing(timeout=1.5)  # nothing for the phone until the reveal
        await host.send_json_to({"type": "reveal"})
        shown = await receive(phone, "state")
        assert shown["counts"] == [0, 1, 0, 0]
        for communicator in (host, phone):
            await communicator.disconnect()

    async_to_sync(scenario)()
