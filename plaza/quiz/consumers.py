"""The live contest's WebSocket: players on phones (``ws/quiz/live/<pk>/``) and the host's big screen
(``ws/quiz/live/<pk>/host/``).

A socket belongs to the signed-in person (the session, ``scope["user"]``): reconnecting from another tab or
network continues the same attempt. Messages are JSON objects with a ``type``:

- player → server: ``{"type": "answer", "question": <id>, "choice": [<option index>…] | "<text>"}``,
  ``{"type": "state"}`` (send me the state again), ``{"type": "ping"}``;
- host → server: ``{"type": "next" | "reveal" | "finish"}``, ``{"type": "void", "reason": "…"}``;
- server → client: ``state`` (the shared state plus the player's own ``me``), ``counts`` (about once a
  second while a question runs: how many answered, per option), ``answered``, ``error``.

A malformed or refused message is answered with ``{"type": "error", "message": "…"}``; the socket stays open.
More than :data:`RATE` messages a second from one socket are refused the same way.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

from channels.db import DatabaseSyncToAsync
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection
from django.utils.translation import gettext as _

from plaza.lib.refusals import messages_of

from . import queries, services
from .board import board
from .live import group_name, screens_group
from .models import Contest, Mode, Phase, State

log = logging.getLogger(__name__)


def in_thread(function: Any) -> Any:
    """Run ORM work in the thread pool, several at once on PostgreSQL (channels' default runs every socket's
    database work of a worker in one thread, so a broadcast to thousands of phones queues every answer behind
    it). SQLite (the embedded default) takes one writer at a time anyway: there it stays in one thread."""
    return DatabaseSyncToAsync(function, thread_sensitive=connection.vendor == "sqlite")


RATE = 10  # messages a second per socket
MAX_MESSAGE = 2000  # bytes
TICK = 1.0  # seconds between count broadcasts


def _contest(person: Any, pk: int, host: bool) -> tuple[Contest | None, str]:
    contest = queries.contest_for(person, pk)
    if contest is None or contest.mode != Mode.LIVE:
        return None, _("没有找到这场现场赛。")
    if host:
        if not services.may_host(person, contest):
            return None, _("只有竞赛的组织者可以主持。")
        return contest, ""
    try:
        services.join_live(person, contest)
    except (ValidationError, PermissionDenied) as exc:
        return None, "；".join(messages_of(exc))
    return contest, ""


def _state(contest: Contest, person: Any, host: bool, shared: dict[str, Any] | None) -> dict[str, Any]:
    shared = shared if shared is not None else queries.live_shared(contest)
    data = dict(shared)
    if host:
        data["host"] = True
        if data.get("phase") == Phase.QUESTION:
            data.update(queries.live_counts(Contest.objects.get(pk=contest.pk)))
    else:
        data["me"] = queries.live_me(contest, person)
    return data


class Broadcasts:
    """Work shared by every socket of this server process for one broadcast (``stamp``): the shared state
    serialised once, and, after a reveal, the whole board read once (one ``ZREVRANGE`` or one query) so that
    each phone's own rank is a dictionary look-up, not a query per player. Keeps the last few broadcasts."""

    KEEP = 8

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}
        self.boards: dict[str, asyncio.Future[dict[int, tuple[int, int]]]] = {}

    def _trim(self, store: dict[str, Any]) -> None:
        while len(store) > self.KEEP:
            store.pop(next(iter(store)))

    def text(self, stamp: str, shared: dict[str, Any]) -> str:
        """The shared state as JSON without its closing brace (each socket appends its own ``me``)."""
        found = self.texts.get(stamp)
        if found is None:
            found = self.texts[stamp] = json.dumps(shared)[:-1]
            self._trim(self.texts)
        return found

    async def ranks(self, stamp: str, contest_id: int) -> dict[int, tuple[int, int]]:
        found = self.boards.get(stamp)
        if found is None or found.get_loop() is not asyncio.get_running_loop():
            found = self.boards[stamp] = asyncio.ensure_future(in_thread(_ranks)(contest_id))
            self._trim(self.boards)
        return await asyncio.shield(found)


def _ranks(contest_id: int) -> dict[int, tuple[int, int]]:
    return board().ranks(contest_id)


broadcasts = Broadcasts()


def _counts(pk: int) -> dict[str, Any] | None:
    """Players joined and, while a question runs, how many answered and how often each option was chosen."""
    contest = Contest.objects.filter(pk=pk).first()
    if contest is None or contest.state == State.CLOSED:
        return None
    data: dict[str, Any] = {"players": queries.live_players(contest)}
    if contest.phase == Phase.QUESTION:
        data.update(queries.live_counts(contest))
    return data


def _answered(result: services.Scored | ValidationError, place: tuple[int, int] | None) -> dict[str, Any]:
    """The reply to one answer: the verdict and the player's own rank and score from the board, or why not."""
    if isinstance(result, ValidationError):
        return {"type": "error", "message": "；".join(messages_of(result))}
    answer = {k: getattr(result.answer, k) for k in ("chosen", "correct", "points", "bonus", "flagged", "late")}
    me = {"joined": True, "answer": answer, "rank": place[0] if place else None, "score": place[1] if place else 0}
    return {"type": "answered", "message": result.message, "me": me, "position": result.position}


def _answer_batch(contest: Contest, entries: list[services.LiveEntry]) -> list[dict[str, Any]]:
    """A batch of answers, in a worker thread: stored in one transaction, then the board read once for all
    their ranks. Should the batch fail as a whole (a database error), each answer is tried on its own, so one
    bad entry cannot take the others down with it."""
    try:
        results = services.answer_live_many(contest, entries)
    except DatabaseError:
        log.exception("live contest %s: a batch of %s answers failed, answering one by one", contest.pk, len(entries))
        results = []
        for entry in entries:
            try:
                results.append(services.answer_live(entry.person, contest, entry.question_id, entry.raw))
            except (ValidationError, PermissionDenied) as exc:
                results.append(ValidationError(messages_of(exc)))
    ranks = board().ranks(contest.pk) if any(isinstance(r, services.Scored) for r in results) else {}
    return [_answered(r, ranks.get(e.person.pk)) for e, r in zip(entries, results, strict=True)]


class Batches:
    """Answers to one contest arriving in this server process while a batch is being written wait for the
    next batch (no timer: a lone answer goes at once; at a burst each transaction carries many). One writer
    per contest and event loop."""

    MAX = 500

    def __init__(self) -> None:
        self.waiting: dict[tuple[int, int], list[tuple[services.LiveEntry, asyncio.Future[dict[str, Any]]]]] = {}
        self.writing: set[tuple[int, int]] = set()
        self.tasks: set[asyncio.Task[None]] = set()

    async def answer(self, contest: Contest, entry: services.LiveEntry) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        key = (id(loop), contest.pk)
        future: asyncio.Future[dict[str, Any]] = loop.create_future()
        self.waiting.setdefault(key, []).append((entry, future))
        if key not in self.writing:
            self.writing.add(key)
            task = asyncio.ensure_future(self._write(key, contest))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)
        return await future

    async def _write(self, key: tuple[int, int], contest: Contest) -> None:
        try:
            while self.waiting.get(key):
                batch = self.waiting[key][: self.MAX]
                del self.waiting[key][: self.MAX]
                try:
                    replies = await in_thread(_answer_batch)(contest, [entry for entry, _f in batch])
                except Exception:  # nothing may leave a phone waiting for ever
                    log.exception("live contest %s: answers could not be stored", contest.pk)
                    replies = [{"type": "error", "message": _("提交失败，请重新提交。")}] * len(batch)
                for (_entry, future), reply in zip(batch, replies, strict=True):
                    if not future.done():
                        future.set_result(reply)
        finally:
            self.writing.discard(key)
            if not self.waiting.get(key):
                self.waiting.pop(key, None)


batches = Batches()


def _act(person: Any, contest: Contest, kind: str, content: dict[str, Any]) -> dict[str, Any]:
    """One host message's work, in a worker thread: a service call; refusals come back as an error message."""
    try:
        if kind == "next":
            services.next_question(person, contest)
        elif kind == "reveal":
            services.reveal(person, contest)
        elif kind == "finish":
            services.finish_live(person, contest)
        elif kind == "void":
            current = queries.live_current(Contest.objects.get(pk=contest.pk))
            if current is None:
                raise ValidationError(_("当前没有可作废的题目。"))
            services.void_question(person, contest, current.question, str(content.get("reason", ""))[:200])
            services.rebroadcast(contest)
        return {"type": "done", "action": kind}
    except (ValidationError, PermissionDenied) as exc:
        return {"type": "error", "message": "；".join(messages_of(exc))}


def shared_contest_id(consumer: LiveConsumer) -> int:
    assert consumer.contest is not None
    return consumer.contest.pk


class LiveConsumer(AsyncJsonWebsocketConsumer):
    contest: Contest | None = None
    host = False
    ticker: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        kwargs = self.scope["url_route"]["kwargs"]
        self.host = bool(kwargs.get("host"))
        self.sent: list[float] = []
        self.answers: dict[int, dict[str, Any]] = {}  # position → this socket's answer (for broadcasts)
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.person = user
        contest, problem = await in_thread(_contest)(user, int(kwargs["pk"]), self.host)
        await self.accept()
        if contest is None:
            await self.send_json({"type": "error", "message": problem})
            await self.close(code=4403)
            return
        self.contest = contest
        self.group = group_name(contest.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        if self.host:
            await self.channel_layer.group_add(screens_group(contest.pk), self.channel_name)
        await self.send_state(None)
        if self.host:
            self.ticker = asyncio.create_task(self.tick())

    async def disconnect(self, code: int) -> None:
        if self.ticker is not None:
            self.ticker.cancel()
        if self.contest is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            if self.host:
                await self.channel_layer.group_discard(screens_group(self.contest.pk), self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any) -> None:
        """Parse defensively: anything but a small JSON object with a known type is refused, the socket stays."""
        if self.contest is None:
            return
        now = time.monotonic()
        self.sent = [t for t in self.sent if now - t < 1.0] + [now]
        if len(self.sent) > RATE:
            await self.send_json({"type": "error", "message": _("操作过于频繁，请稍后再试。")})
            return
        if text_data is None or len(text_data) > MAX_MESSAGE:
            await self.send_json({"type": "error", "message": _("消息格式不正确。")})
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            await self.send_json({"type": "error", "message": _("消息格式不正确。")})
            return
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self.send_json({"type": "error", "message": _("消息格式不正确。")})
            return
        await self.receive_json(content)

    async def receive_json(self, content: dict[str, Any], **kwargs: Any) -> None:
        kind = content["type"]
        if kind == "ping":
            await self.send_json({"type": "pong"})
            return
        if kind == "state":
            await self.send_state(None)
            return
        allowed = {"next", "reveal", "finish", "void"} if self.host else {"answer"}
        if kind not in allowed:
            await self.send_json({"type": "error", "message": _("不支持的操作。")})
            return
        assert self.contest is not None
        if kind == "answer":
            entry = services.LiveEntry(self.person, content.get("question"), content.get("choice"))
            reply = await batches.answer(self.contest, entry)
        else:
            reply = await in_thread(_act)(self.person, self.contest, kind, content)
        if reply.get("type") == "answered":
            self.answers[reply.pop("position")] = reply["me"]["answer"]
        await self.send_json(reply)

    async def send_state(self, shared: dict[str, Any] | None) -> None:
        assert self.contest is not None
        data = await in_thread(_state)(self.contest, self.person, self.host, shared)
        mine = (data.get("me") or {}).get("answer")
        if mine is not None and data.get("position"):  # answered before this socket opened (another tab)
            self.answers[data["position"]] = mine
        await self.send_json(data)

    async def quiz_state(self, event: dict[str, Any]) -> None:
        """A broadcast: no database work per player. The shared part is serialised once per process, the
        board (after a reveal) read once per process; this socket adds its player's rank and answer."""
        shared = event.get("shared")
        stamp = event.get("stamp")
        if self.host or shared is None or not stamp:
            await self.send_state(shared)
            return
        me: dict[str, Any] = {"joined": True, "answer": self.answers.get(shared.get("position"))}
        if shared.get("phase") in (Phase.REVEAL, Phase.FINISHED):
            place = (await broadcasts.ranks(stamp, shared_contest_id(self))).get(self.person.pk)
            me["rank"], me["score"] = (place[0], place[1]) if place else (None, 0)
        await self.send(text_data=broadcasts.text(stamp, shared) + ',"me":' + json.dumps(me) + "}")

    async def quiz_counts(self, event: dict[str, Any]) -> None:
        """The running counts, to big screens only: the phone page shows none of them (the option counts
        while a question runs would tell a player what the crowd chose), and at 2,000 phones a message a
        second to each was most of the server's work. Phones get the counts with the reveal."""
        if self.host:
            await self.send_json({"type": "counts", **event["counts"]})

    async def tick(self) -> None:
        """Host sockets broadcast the answer counts to the big screens about once a second while a question
        runs (never per answer), and only when they changed."""
        assert self.contest is not None
        last: dict[str, Any] | None = None
        while True:
            await asyncio.sleep(TICK)
            try:
                counts = await in_thread(_counts)(self.contest.pk)
                if counts is not None and counts != last:
                    await self.channel_layer.group_send(
                        screens_group(self.contest.pk), {"type": "quiz.counts", "counts": counts}
                    )
                last = counts
            except Exception:  # a failed tick must not stop the next one
                log.exception("live contest %s: counting failed", self.contest.pk)
