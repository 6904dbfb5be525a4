"""The live contest over WebSockets (channels.testing.WebsocketCommunicator through plaza.routing): players
join as their signed-in selves, the host sends a question (the server stamps the time), answers are scored
with the server clock, the reveal shows the right answer, the counts and the top with each phone's own rank;
a reconnect continues the same attempt; malformed messages are refused and the socket stays open; results
are final when the host closes it. Also the polling fallback over HTTP."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.routing import URLRouter

from plaza.quiz import queries, services
from plaza.quiz.models import Attempt, ContestAnswer, Phase, State
from plaza.routing import websocket_urlpatterns

from .channels_testing import WebsocketCommunicator
from .helpers import T0, bank, make_contest

APP = URLRouter(websocket_urlpatterns)


def socket(person, contest, host=False):  # noqa: ANN001, ANN201
    path = f"/ws/quiz/live/{contest.pk}/" + ("host/" if host else "")
    communicator = WebsocketCommunicator(APP, path)
    communicator.scope["user"] = person
    return communicator


async def receive(communicator, kind, limit=10):  # noqa: ANN001, ANN201
    """The next message of ``kind`` (skipping others, e.g. counts)."""
    for _n in range(limit):
        message = await communicator.receive_json_from(timeout=3)
        if message["type"] == kind:
            return message
    raise AssertionError(f"no {kind} message")


def live_contest(world):  # noqa: ANN001, ANN201
    questions = bank(world.committee, 2)
    return make_contest(
        world, questions, mode="live", title="现场赛", opens_at=T0.replace(year=2020), closes_at=T0.replace(year=2030)
    )


@pytest.mark.django_db(transaction=True)
def test_a_live_round_with_reconnect_and_refusals(world, settings):
    settings.PLAZA_QUIZ_BOT_MS = 0
    contest = live_contest(world)

    async def scenario() -> None:
        host = socket(world.staff, contest, host=True)
        assert (await host.connect())[0]
        lobby = await receive(host, "state")
        assert lobby["phase"] == Phase.LOBBY and lobby["host"]
        a, b = socket(world.member_a, contest), socket(world.member_b, contest)
        assert (await a.connect())[0] and (await b.connect())[0]
        assert (await receive(a, "state"))["me"]["joined"]
        await receive(b, "state")

        # malformed messages: refused, the socket stays open
        for bad in ("not json", "[1, 2]", json.dumps({"type": "next"}), json.dumps({"type": "answer", "question": 1})):
            await a.send_to(text_data=bad)
            assert (await receive(a, "error"))["message"]
        await a.send_json_to({"type": "ping"})
        assert (await receive(a, "pong"))["type"] == "pong"

        await host.send_json_to({"type": "next"})
        question = (await receive(a, "state"))["question"]
        assert "answer" not in question and question["options"] == ["甲", "乙", "丙", "丁"]
        await receive(b, "state")

        await a.send_json_to({"type": "answer", "question": question["id"], "choice": [1]})
        answered = await receive(a, "answered")
        assert "回答正确" in answered["message"] and answered["me"]["rank"] == 1
        await a.send_json_to({"type": "answer", "question": question["id"], "choice": [1]})
        assert "已经作答" in (await receive(a, "error"))["message"]

        # member_a drops and comes back (another tab): the same attempt, the answer already given
        await a.disconnect()
        a = socket(world.member_a, contest)
        assert (await a.connect())[0]
        back = await receive(a, "state")
        assert back["phase"] == Phase.QUESTION and back["me"]["answer"]["correct"]

        await b.send_json_to({"type": "answer", "question": question["id"], "choice": [3]})
        assert "回答错误" in (await receive(b, "answered"))["message"]

        await host.send_json_to({"type": "reveal"})
        shown = await receive(b, "state")
        assert shown["phase"] == Phase.REVEAL and shown["question"]["answer"] == [1]
        assert shown["counts"] == [0, 1, 0, 1] and shown["answered"] == 2
        assert [row["name"] for row in shown["top"]][0] == world.member_a.name
        assert shown["me"]["rank"] == 2
        await receive(a, "state")

        await host.send_json_to({"type": "finish"})
        final = await receive(a, "state")
        assert final["phase"] == Phase.FINISHED and final["me"]["rank"] == 1
        for communicator in (host, a, b):
            await communicator.disconnect()

    async_to_sync(scenario)()
    contest.refresh_from_db()
    assert contest.state == State.CLOSED
    assert Attempt.objects.filter(contest=contest).count() == 2
    assert ContestAnswer.objects.filter(contest=contest).count() == 2


@pytest.mark.django_db(transaction=True)
def test_outsiders_and_anonymous_sockets_are_refused(world):
    contest = live_contest(world)
    contest.organisations.set([world.branch_a])

    async def scenario() -> None:
        outsider = socket(world.member_b, contest)
        connected, _code = await outsider.connect()
        if connected:
            message = await outsider.receive_json_from(timeout=3)
            assert message["type"] == "error"
            await outsider.wait()
        player_as_host = socket(world.member_a, contest, host=True)
        connected, _code = await player_as_host.connect()
        if connected:
            assert (await player_as_host.receive_json_from(timeout=3))["message"] == "只有竞赛的组织者可以主持。"
            await player_as_host.wait()
        from django.contrib.auth.models import AnonymousUser

        anonymous = socket(AnonymousUser(), contest)
        assert not (await anonymous.connect())[0]

    async_to_sync(scenario)()


def test_late_answers_score_zero_and_the_polling_fallback(world, login, monkeypatch, settings):
    from plaza.lib import clock

    settings.PLAZA_QUIZ_BOT_MS = 300
    now = {"t": T0}
    monkeypatch.setattr(clock, "now", lambda: now["t"])
    monkeypatch.setattr("plaza.quiz.services._broadcast", lambda contest, kind: None)
    contest = live_contest(world)
    player = login(world.member_a)
    assert player.get(f"/quiz/live/{contest.pk}/").status_code == 200
    services.next_question(world.staff, contest)
    state = player.get(f"/quiz/live/{contest.pk}/state/").json()
    assert state["phase"] == "question" and "answer" not in state["question"]
    now["t"] = T0 + timedelta(seconds=contest.seconds, milliseconds=1)
    bad = player.post(f"/quiz/live/{contest.pk}/answer/", "nonsense", content_type="application/json")
    assert bad.status_code == 400 and bad.json()["message"] == "消息格式不正确。"
    late = player.post(
        f"/quiz/live/{contest.pk}/answer/",
        {"question": state["question"]["id"], "choice": [1]},
        content_type="application/json",
    )
    assert late.status_code == 200 and "超过答题时限" in late.json()["message"]
    assert late.json()["me"]["score"] == 0
    assert queries.live_me(contest, world.member_a)["answer"]["late"]
