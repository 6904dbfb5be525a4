"""答题 live contest at scale: N players over real WebSockets against the server as deployed.

    .venv/bin/python benchmarks/bench_quiz_live.py [--players 200] [--questions 3] [--workers 2]
        [--database-url postgres://postgres@127.0.0.1:5432/plaza_bench_quiz] [--redis-url redis://127.0.0.1:6379/5]

What it does (and the server is always shut down):

1. Recreates the database, migrates it, and writes a committee, ``--players`` members with signed-in sessions,
   a host (组织部) and a live contest of ``--questions`` questions (prod settings, Redis sessions).
2. Starts ``python -m plaza.core.server`` with ``--workers`` uvicorn workers, the production settings and
   channels-redis's ``RedisPubSubChannelLayer`` (the leaderboard in a Redis sorted set).
3. Opens a socket per player (``websockets`` client, the session cookie) and one for the host. For each
   question the host sends ``next``; every player answers after a random 0.5–3 s "reading" delay; the host
   sends ``reveal`` once every answer is acknowledged (or after the time limit), then finally ``finish``.

Prints: connection time, answer-to-leaderboard latency (from sending an answer to the server's reply that
carries the player's new rank from the leaderboard) p50/p95/max and the answers acknowledged per second, the
reveal's fan-out (host's reveal to each phone's state with the right answer, the top 20 and its own rank)
p50/p95/max, answers sent / acknowledged / stored in the database (lost or doubled: must be 0), and the
server's memory (RSS of the supervisor and its workers). Figures only: nothing is asserted.

For the issue's target run it on a quiet machine with 2,000 players (the client and the server share the
machine, so the figures include the client's own work)::

    .venv/bin/python benchmarks/bench_quiz_live.py --players 2000 --questions 3 --workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_home_roster import BENCH_ENV, HOST, _free_port, _recreate_database, start_server, stop_server  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/plaza_bench_quiz"


def _rss_kb(pid: int) -> int:
    """Resident memory of a process and its children (the uvicorn supervisor and its workers), in KB."""
    total = 0
    pids = [pid]
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    if int(handle.read().rsplit(")", 1)[1].split()[1]) == pid:
                        pids.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    for one in pids:
        try:
            with open(f"/proc/{one}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            continue
    return total


def prepare(players: int, questions: int) -> tuple[int, str, list[str], str]:
    """The contest, its players' session keys and the host's; returns (contest id, cookie name, keys, host key)."""
    import django

    django.setup()
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
    from django.utils import timezone
    from django.utils.module_loading import import_string

    from plaza.accounts.models import Person
    from plaza.orgs.models import Level, Membership
    from plaza.quiz.models import Contest, ContestQuestion, Mode, Question
    from plaza.testing.factories import Title, add_org, appoint

    committee = add_org(None, "上汽通用汽车党委", "P0001", Level.COMMITTEE)
    host = Person.objects.create(employee_no="zzb001", name="组织部", is_staff=True)
    appoint(host, committee, Title.ORG_DEPT_STAFF)
    people = Person.objects.bulk_create(
        [Person(employee_no=f"Q{n:06d}", name=f"选手{n}") for n in range(players)], batch_size=2000
    )
    Membership.objects.bulk_create(
        [Membership(person=p, organisation=committee, tree=committee.tree, since=timezone.localdate()) for p in people],
        batch_size=2000,
    )
    bank = Question.objects.bulk_create(
        [
            Question(
                kind="single",
                text=f"第{n + 1}题：锐歌基于哪个平台？",
                options=["奥特能", "甲", "乙", "丙"],
                answer=[0],
                organisation=committee,
            )
            for n in range(questions)
        ]
    )
    now = timezone.now()
    contest = Contest.objects.create(
        title="基准现场赛",
        mode=Mode.LIVE,
        organisation=committee,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=3),
        draw="fixed",
        medium=questions,
        seconds=20,
        pin="123456",
    )
    contest.organisations.set([committee])
    ContestQuestion.objects.bulk_create(
        [ContestQuestion(contest=contest, question=q, position=i + 1) for i, q in enumerate(bank)]
    )
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    backend = "django.contrib.auth.backends.ModelBackend"

    def session(person: Person) -> str:
        s = store()
        s[SESSION_KEY] = str(person.pk)
        s["_auth_user_backend"] = backend
        s[HASH_SESSION_KEY] = person.get_session_auth_hash()
        s.create()
        return s.session_key

    keys = [session(p) for p in Person.objects.filter(pk__in=[p.pk for p in people]).order_by("pk")]
    return contest.pk, settings.SESSION_COOKIE_NAME, keys, session(host)


async def run(port: int, contest: int, cookie: str, keys: list[str], host_key: str, questions: int) -> dict:
    import websockets

    base = f"ws://{HOST}:{port}/ws/quiz/live/{contest}/"
    origin = f"http://{HOST}:{port}"
    latencies: list[float] = []
    fanouts: list[float] = []  # every phone's reveal arrival after the host's reveal
    no_rank = 0  # reveals that reached a phone without its own rank
    first_sent: dict[int, float] = {}
    last_ack: dict[int, float] = {}
    sent = acked = errors = 0
    acked_round: dict[int, int] = {}
    reveal_at: dict[int, float] = {}

    async def connect(key: str, path: str = ""):  # noqa: ANN202
        return await websockets.connect(
            base + path,
            additional_headers={"Cookie": f"{cookie}={key}"},
            origin=origin,
            max_queue=None,
            open_timeout=60,
        )

    started = time.perf_counter()
    host = await connect(host_key, "host/")
    sockets = []
    for chunk in range(0, len(keys), 100):
        sockets += await asyncio.gather(*(connect(k) for k in keys[chunk : chunk + 100]))
        if chunk and chunk % 500 == 0:
            print(f"· {len(sockets)} sockets open ({time.perf_counter() - started:.0f} s)", flush=True)
    connect_seconds = time.perf_counter() - started

    async def player(ws) -> None:  # noqa: ANN001
        nonlocal sent, acked, errors, no_rank
        answered: set[int] = set()
        pending: dict[int, float] = {}
        async for raw in ws:
            message = json.loads(raw)
            kind = message.get("type")
            if kind == "state":
                question = message.get("question") or {}
                position = message.get("position", 0)
                if message.get("phase") == "question" and position not in answered:
                    answered.add(position)

                    async def answer(qid: int = question["id"], pos: int = position) -> None:
                        nonlocal sent
                        await asyncio.sleep(random.uniform(0.5, 3.0))
                        pending[pos] = time.perf_counter()
                        first_sent.setdefault(pos, pending[pos])
                        sent += 1
                        await ws.send(
                            json.dumps({"type": "answer", "question": qid, "choice": [random.choice([0, 0, 1])]})
                        )

                    asyncio.create_task(answer())
                elif message.get("phase") == "reveal" and position in reveal_at:
                    fanouts.append(time.perf_counter() - reveal_at[position])
                    if not (message.get("me") or {}).get("rank"):
                        no_rank += 1
                if message.get("phase") == "finished":
                    return
            elif kind == "answered":
                position = max(pending) if pending else 0
                latencies.append(time.perf_counter() - pending.pop(position, time.perf_counter()))
                acked += 1
                last_ack[position] = time.perf_counter()
                acked_round[position] = acked_round.get(position, 0) + 1
            elif kind == "error":
                errors += 1

    tasks = [asyncio.create_task(player(ws)) for ws in sockets]

    async def drain_host() -> None:
        async for _raw in host:
            pass

    host_reader = asyncio.create_task(drain_host())
    await asyncio.sleep(1.5)
    for position in range(1, questions + 1):
        await host.send(json.dumps({"type": "next"}))
        deadline = time.perf_counter() + 25
        while acked_round.get(position, 0) < len(keys) and time.perf_counter() < deadline:
            await asyncio.sleep(0.1)
        reveal_at[position] = time.perf_counter()
        await host.send(json.dumps({"type": "reveal"}))
        await asyncio.sleep(3)
        print(f"· question {position}: {acked_round.get(position, 0)} answers acknowledged", flush=True)
    await host.send(json.dumps({"type": "finish"}))
    await asyncio.wait(tasks, timeout=30)
    host_reader.cancel()
    for ws in [*sockets, host]:
        await ws.close()
    return {
        "connect_seconds": connect_seconds,
        "latencies": latencies,
        "fanouts": fanouts,
        "no_rank": no_rank,
        "answer_seconds": sum(last_ack[p] - first_sent[p] for p in last_ack if p in first_sent),
        "sent": sent,
        "acked": acked,
        "errors": errors,
    }


def _pct(values: list[float], p: float) -> float:
    """The p-quantile of sorted seconds, in milliseconds (nan when empty)."""
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(p * len(values)))] * 1000


def _raise_file_limit() -> None:
    """2,000 sockets need 2,000 descriptors in this process and in the server (which inherits the limit)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--players", type=int, default=200)
    parser.add_argument("--questions", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default=os.environ.get("PLAZA_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--redis-url", default=os.environ.get("PLAZA_REDIS_URL", "redis://127.0.0.1:6379/5"))
    args = parser.parse_args()
    _raise_file_limit()
    os.environ.update(
        BENCH_ENV
        | {"PLAZA_DATABASE_URL": args.database_url, "PLAZA_REDIS_URL": args.redis_url, "PLAZA_QUIZ_BOT_MS": "0"}
    )
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    _recreate_database(args.database_url, drop=True)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=os.environ, check=True
    )
    contest, cookie, keys, host_key = prepare(args.players, args.questions)
    port = _free_port()
    server = start_server(port, args.workers, uvicorn_cli=False)
    try:
        idle = _rss_kb(server.pid)
        result = asyncio.run(run(port, contest, cookie, keys, host_key, args.questions))
        busy = _rss_kb(server.pid)
    finally:
        stop_server(server)
    from plaza.quiz.models import ContestAnswer

    stored = ContestAnswer.objects.filter(contest_id=contest).count()
    lat = sorted(result["latencies"])
    fan = sorted(result["fanouts"])
    print(f"players {args.players}, questions {args.questions}, workers {args.workers}, Redis pub/sub layer")
    print(f"connect all sockets: {result['connect_seconds']:.1f} s")
    print(
        f"answer → leaderboard (ack with own rank): p50 {_pct(lat, 0.5):.0f} ms, p95 {_pct(lat, 0.95):.0f} ms, "
        f"max {_pct(lat, 1.0):.0f} ms, mean {statistics.mean(lat) * 1000 if lat else 0:.0f} ms; "
        f"{result['acked'] / result['answer_seconds'] if result['answer_seconds'] else 0:.0f} answers/s "
        "(first answer sent to last acknowledged, per question)"
    )
    print(
        f"reveal → each phone (answer, top 20, own rank): p50 {_pct(fan, 0.5):.0f} ms, "
        f"p95 {_pct(fan, 0.95):.0f} ms, max {_pct(fan, 1.0):.0f} ms over {len(fan)} deliveries "
        f"(expected {args.players * args.questions}); without own rank {result['no_rank']}"
    )
    expected = args.players * args.questions
    print(
        f"answers expected {expected}, sent {result['sent']}, acknowledged {result['acked']}, stored {stored}: "
        f"lost {expected - stored}, doubled {max(stored - result['sent'], 0)}, errors {result['errors']}"
    )
    print(f"server memory (supervisor + workers): idle {idle / 1024:.0f} MB, after the contest {busy / 1024:.0f} MB")


if __name__ == "__main__":
    main()
