"""每日答题 at scale over HTTP: people doing their daily questions through the pages a phone uses, against the
server as deployed (uvicorn workers, production settings, PostgreSQL, Redis sessions, and a Celery worker
crediting the points).

    .venv/bin/python benchmarks/bench_quiz_daily.py [--people 2000] [--workers 2]
        [--rate PEOPLE_PER_SECOND [--think 1-3]] [--concurrency 50] [--no-htmx] [--questions 200]
        [--database-url postgres://postgres@127.0.0.1:5432/plaza_bench_quiz_daily]
        [--redis-url redis://127.0.0.1:6379/6]

What it does (and the server and the Celery worker are always shut down):

1. Recreates the database, migrates it, and writes a committee with ``--people`` members (each with a session
   as signing in leaves it, whether they are an outsider included) and a bank of ``--questions`` questions.
2. Starts ``python -m plaza.core.server`` with ``--workers`` uvicorn workers, and one Celery worker (``--pool
   solo``), which credits the answers' points to the ledger in batches after their commit (plaza/quiz/grants.py).
   党群小智's index warm-up is off (``PLAZA_ASSISTANT_WARMUP=false``): a running server built it once when it
   started, long before the morning's quiz, and each worker building it during the measurement (about 20 s of a
   core each) would be charged to the quiz.
3. Two loads:

   * **Open loop, the issue's target** (``--rate``): people arrive at a steady rate whatever the server does —
     person n starts at n / rate seconds — and each opens ``GET /quiz/daily/`` (the day's set is drawn, the
     30-day no-repeat draw), then answers the day's questions, each after a human's think time (``--think``,
     uniform, default 1-3 s), then leaves. 20,000 people within ten minutes is ``--rate 33.4 --people 20000``.
     A server that keeps up shows flat latencies from the start of the run to its end; one that does not
     shows them growing (the per-third p95 lines) and falls behind the arrivals.
   * **Closed loop, the machine's capacity** (no ``--rate``): ``--concurrency`` phones, each taking the next
     person as soon as the previous one is done and answering without a pause.

   Per answer as the page sends it (htmx): ``POST /quiz/daily/<item>/`` with ``HX-Request``, whose response is
   the feedback (the right answer, the explanation) and the next question. ``--no-htmx``: as a browser without
   JavaScript, the form post and the page it redirects to, ``GET /quiz/daily/?shown=<item>``.

Prints, per answer (what the person waits for: the post with htmx; the post and the page after it without) and
per first page (the draw): p50/p95/p99/max; the answers per second achieved; with ``--rate`` how late the client
started people (it must keep up for the figures to mean anything), the per-answer p95 in each third of the run,
and the time 20,000 people would take; the CPU seconds the server and the Celery worker spent per person (the
client and PostgreSQL not included) and the server's memory (RSS of the supervisor and its workers, and of the
Celery worker: at the start and at the peak); how long after the last answer the last points were credited; the
answers stored and the points credited, owed and doubled (each person at most the cap, right answers only).
The issue's target: 20,000 people within ten minutes, p95 ≤ 100 ms per answer. Figures only; nothing is
asserted. Run it on a quiet machine: the client and the server share the machine, so the figures include the
client's own work (its CPU time is printed too).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import resource
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_home_roster import (  # noqa: E402
    BENCH_ENV,
    HOST,
    _free_port,
    _recreate_database,
    start_server,
    stop_server,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/plaza_bench_quiz_daily"
FORM = re.compile(r'action="(/quiz/daily/(\d+)/)"')
CHOICE = re.compile(r'name="choice" value="(\d+)"')


def prepare(people: int, questions: int) -> tuple[str, list[str]]:
    """The committee, its members with session keys, and the bank; returns (session cookie name, keys)."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
    from django.utils import timezone
    from django.utils.module_loading import import_string

    from plaza.accounts.models import Person
    from plaza.lib.sections import remember_outsider
    from plaza.orgs.models import Level, Membership
    from plaza.quiz.models import Question
    from plaza.testing.factories import add_org

    committee = add_org(None, "上汽通用汽车党委", "P0001", Level.COMMITTEE)
    Person.objects.bulk_create(
        [Person(employee_no=f"D{n:06d}", name=f"员工{n}") for n in range(people)], batch_size=5000
    )
    members = list(Person.objects.filter(employee_no__startswith="D").order_by("pk"))
    today = timezone.localdate()
    Membership.objects.bulk_create(
        [Membership(person=p, organisation=committee, tree=committee.tree, since=today) for p in members],
        batch_size=5000,
    )
    Question.objects.bulk_create(
        [
            Question(
                kind="single",
                text=f"第{n + 1}题：锐歌基于哪个平台？",
                options=["奥特能", "甲", "乙", "丙"],
                answer=[n % 4],
                explanation="锐歌基于奥特能平台打造。",
                organisation=committee,
            )
            for n in range(questions)
        ]
    )
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    backend = "django.contrib.auth.backends.ModelBackend"
    keys = []
    for person in members:
        session = store()
        session[SESSION_KEY] = str(person.pk)
        session["_auth_user_backend"] = backend
        session[HASH_SESSION_KEY] = person.get_session_auth_hash()
        remember_outsider(None, SimpleNamespace(session=session), person)  # as signing in does (user_logged_in)
        session.create()
        keys.append(session.session_key)
    return settings.SESSION_COOKIE_NAME, keys


TICK = os.sysconf("SC_CLK_TCK")


def _group(pgid: int) -> list[int]:
    """Processes of a process group (the server: its supervisor and workers; started in a session of its own)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    if int(handle.read().rsplit(")", 1)[1].split()[2]) == pgid:
                        found.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return found


def usage(pgid: int) -> tuple[int, float]:
    """(resident memory in KB, CPU seconds used so far) of a process group."""
    rss, cpu = 0, 0.0
    for pid in _group(pgid):
        try:
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            cpu += (int(fields[11]) + int(fields[12])) / TICK
            with open(f"/proc/{pid}/status") as handle:
                rss += next((int(line.split()[1]) for line in handle if line.startswith("VmRSS:")), 0)
        except (OSError, IndexError, ValueError):
            continue
    return rss, cpu


async def run(
    port: int,
    cookie: str,
    keys: list[str],
    *,
    concurrency: int,
    rate: float,
    think: tuple[float, float],
    htmx: bool,
    watch: dict[str, int],
) -> dict:
    import httpx

    base = f"http://{HOST}:{port}"
    posts: list[float] = []  # the answer's post alone
    rounds: list[tuple[float, float]] = []  # (when, what the person waits for: the post, or the post and the page)
    firsts: list[float] = []  # the first page of the day (the draw)
    late: list[float] = []  # open loop: how long after its due time the client started a person
    stays: list[float] = []  # one person's whole visit, think times included
    errors: list[str] = []
    answered = 0
    memory: dict[str, list[int]] = {name: [] for name in watch}
    # open loop: no cap on connections (people do not wait for each other); closed loop: one per phone
    cap = max(concurrency, 1000) if rate else concurrency
    # idle connections dropped by the client before uvicorn drops them (its keep-alive timeout is 5 s): a request
    # sent on a connection the server is closing fails, which a phone would simply retry
    limits = httpx.Limits(max_connections=cap, max_keepalive_connections=cap, keepalive_expiry=3.0)
    started = time.perf_counter()

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as client:

        async def person(key: str) -> None:
            try:
                await visit(key)
            except httpx.TransportError as exc:  # counted, and the run goes on with the other people
                errors.append(type(exc).__name__)

        async def visit(key: str) -> None:
            nonlocal answered
            arrived = time.perf_counter()
            csrf = secrets.token_hex(16)  # 32 characters: Django accepts the unmasked secret as the token
            headers = {"Cookie": f"{cookie}={key}; csrftoken={csrf}"}
            page = await client.get("/quiz/daily/", headers=headers)
            firsts.append(time.perf_counter() - arrived)
            for _question in range(20):  # a safety bound: the day's set is a few questions
                if page.status_code != 200:
                    errors.append(f"GET {page.status_code}")
                    break
                form = FORM.search(page.text)
                if form is None:
                    break  # the day's questions are done
                choices = CHOICE.findall(page.text)
                data = {"csrfmiddlewaretoken": csrf, "choice": random.choice(choices or ["0"])}
                if rate:
                    await asyncio.sleep(random.uniform(*think))  # reading the question, choosing
                sent = time.perf_counter()
                if htmx:
                    page = await client.post(form.group(1), data=data, headers=headers | {"HX-Request": "true"})
                    posts.append(time.perf_counter() - sent)
                    rounds.append((sent - started, posts[-1]))
                    if page.status_code != 200 or 'data-testid="feedback"' not in page.text:
                        errors.append(f"POST {page.status_code}")
                        break
                else:
                    posted = await client.post(form.group(1), data=data, headers=headers)
                    posts.append(time.perf_counter() - sent)
                    if posted.status_code != 302:
                        errors.append(f"POST {posted.status_code}")
                        break
                    page = await client.get(posted.headers["location"], headers=headers)
                    rounds.append((sent - started, time.perf_counter() - sent))
                answered += 1
            stays.append(time.perf_counter() - arrived)

        async def sample() -> None:
            while True:
                for name, pgid in watch.items():
                    memory[name].append(usage(pgid)[0])
                await asyncio.sleep(0.5)

        sampler = asyncio.create_task(sample())
        if rate:

            async def arriving(n: int, key: str) -> None:
                due = started + n / rate
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                late.append(time.perf_counter() - due)
                await person(key)

            await asyncio.gather(*(arriving(n, key) for n, key in enumerate(keys)))
        else:
            todo = iter(keys)

            async def phone() -> None:
                for key in todo:
                    await person(key)

            await asyncio.gather(*(phone() for _n in range(concurrency)))
        wall = time.perf_counter() - started
        sampler.cancel()
    return {
        "posts": posts,
        "rounds": rounds,
        "firsts": firsts,
        "late": late,
        "stays": stays,
        "errors": errors,
        "answered": answered,
        "wall": wall,
        "memory": memory,
    }


def start_celery() -> subprocess.Popen:
    """One Celery worker, as production runs beside the web workers: it credits the points after each answer."""
    command = [sys.executable, "-m", "celery", "-A", "plaza.celery", "worker", "--pool", "solo", "-l", "WARNING"]
    return subprocess.Popen(command, cwd=ROOT, env=os.environ, start_new_session=True)


def wait_for_credits(timeout: float = 120.0) -> float | None:
    """Seconds until no answer's points are left uncredited (None: still some after ``timeout``)."""
    from plaza.quiz.models import DailyItem

    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if not DailyItem.objects.filter(points__gt=0, granted_at__isnull=True).exists():
            return time.perf_counter() - started
        time.sleep(0.2)
    return None


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000


def _line(label: str, values: list[float]) -> str:
    mean = statistics.fmean(values) * 1000 if values else float("nan")
    return (
        f"{label} (n {len(values)}): p50 {_pct(values, 0.5):.1f} ms, p95 {_pct(values, 0.95):.1f} ms, "
        f"p99 {_pct(values, 0.99):.1f} ms, max {_pct(values, 1.0):.1f} ms, mean {mean:.1f} ms"
    )


def _think(text: str) -> tuple[float, float]:
    low, _dash, high = text.partition("-")
    return float(low), float(high or low)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=0.0, help="open loop: people arriving per second")
    parser.add_argument("--think", default="1-3", help="open loop: seconds before each answer, uniform (1-3)")
    parser.add_argument("--concurrency", type=int, default=50, help="closed loop: phones answering at once")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-htmx", action="store_true", help="answer as a browser without JavaScript")
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--database-url", default=os.environ.get("PLAZA_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--redis-url", default=os.environ.get("PLAZA_REDIS_URL", "redis://127.0.0.1:6379/6"))
    args = parser.parse_args()
    think = _think(args.think)
    os.environ.update(
        BENCH_ENV
        | {
            "PLAZA_DATABASE_URL": args.database_url,
            "PLAZA_REDIS_URL": args.redis_url,
            "PLAZA_ASSISTANT_WARMUP": "false",  # see the docstring: built once at a real server's start
        }
    )
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    _recreate_database(args.database_url, drop=True)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=os.environ, check=True
    )
    cookie, keys = prepare(args.people, args.questions)
    port = _free_port()
    celery = start_celery()
    server = start_server(port, args.workers, uvicorn_cli=False)
    before = {"server": usage(server.pid), "celery": usage(celery.pid)}
    client_before = resource.getrusage(resource.RUSAGE_SELF)
    try:
        result = asyncio.run(
            run(
                port,
                cookie,
                keys,
                concurrency=args.concurrency,
                rate=args.rate,
                think=think,
                htmx=not args.no_htmx,
                watch={"server": server.pid, "celery": celery.pid},
            )
        )
        credited_after = wait_for_credits()
        after = {"server": usage(server.pid), "celery": usage(celery.pid)}
    finally:
        stop_server(server)
        stop_server(celery)
    client_after = resource.getrusage(resource.RUSAGE_SELF)
    client_cpu = (client_after.ru_utime + client_after.ru_stime) - (client_before.ru_utime + client_before.ru_stime)

    from django.db.models import Count, Max, Sum

    from plaza.points import services as points
    from plaza.points.models import Entry
    from plaza.quiz import services as quiz
    from plaza.quiz.models import DailyItem

    rows = DailyItem.objects.filter(answered_at__isnull=False)
    owed = rows.filter(points__gt=0, granted_at__isnull=True).count()
    stored = rows.count()
    right = rows.filter(correct=True).count()
    earned = rows.aggregate(s=Sum("points"))["s"] or 0
    granted = Entry.objects.filter(source_type=quiz.DAILY_ACTIVITY).aggregate(s=Sum("amount"))["s"] or 0
    most = (
        Entry.objects.filter(source_type=quiz.DAILY_ACTIVITY)
        .values("person")
        .annotate(s=Sum("amount"))
        .aggregate(m=Max("s"))["m"]
        or 0
    )
    doubled = DailyItem.objects.values("person", "question", "day").annotate(n=Count("id")).filter(n__gt=1).count()
    twice = Entry.objects.values("idempotency_key").annotate(n=Count("id")).filter(n__gt=1).count()
    answered, wall = result["answered"], result["wall"]
    waits = [w for _at, w in result["rounds"]]
    per_person = answered / max(args.people, 1)
    how = "form post + redirect + page (no JavaScript)" if args.no_htmx else "htmx post, answer in place"
    if args.rate:
        load = (
            f"open loop: {args.rate:g} people/s arriving, think {think[0]:g}-{think[1]:g} s before each answer "
            f"(arrivals over {args.people / args.rate:.0f} s)"
        )
    else:
        load = f"closed loop: {args.concurrency} phones at once, no pause"
    print(f"people {args.people}, {load}; workers {args.workers}, PostgreSQL + Redis + 1 Celery worker; {how}")
    print(f"answers {answered} in {wall:.1f} s: {answered / wall:.1f} answers/s, {args.people / wall:.1f} people/s")
    print(_line("per answer, the form post", result["posts"]))
    print(_line("per answer, what the person waits for", waits))
    print(_line("first page of the day (the draw)", result["firsts"]))
    if args.rate:
        span = args.people / args.rate
        visit = statistics.median(result["stays"]) if result["stays"] else 0
        # the steady state: from when the first people are done (one visit in) to the last arrival
        steady = [at for at, _w in result["rounds"] if visit < at <= span]
        window = span - visit
        if window > 0:
            print(
                f"answers/s in the steady state ({visit:.0f}-{span:.0f} s): {len(steady) / window:.1f} "
                f"(offered: {args.rate * per_person:.1f}); a person's visit p50 {visit:.1f} s"
            )
        print(_line("client's lateness starting people (must stay small)", result["late"]))
        thirds = [[w for at, w in result["rounds"] if k * wall / 3 <= at < (k + 1) * wall / 3] for k in range(3)]
        print("per-answer p95 by third of the run: " + ", ".join(f"{_pct(t, 0.95):.1f} ms" for t in thirds))
        kept_up = _pct(thirds[2], 0.95) <= max(2 * _pct(thirds[0], 0.95), 100) and _pct(result["late"], 0.95) < 100
        print(
            f"20,000 people at {args.rate:g}/s: the last arrives after {20_000 / args.rate / 60:.1f} min and is done "
            f"{visit:.0f} s later ({(20_000 / args.rate + visit) / 60:.1f} min in all; target ≤ 10 min, p95 per "
            f"answer ≤ 100 ms); the server kept up with this rate: {'yes' if kept_up else 'NO'}"
        )
    else:
        if answered:
            print(f"at this rate 20,000 people take {20_000 * per_person / (answered / wall) / 60:.1f} min (≤ 10 min)")
    cpu = {name: after[name][1] - before[name][1] for name in after}
    people = max(args.people, 1)
    print(
        f"CPU: server {cpu['server']:.1f} s ({cpu['server'] / people * 1000:.1f} ms a person, "
        f"{cpu['server'] / max(answered, 1) * 1000:.1f} ms an answer with its share of the pages), Celery "
        f"{cpu['celery']:.1f} s ({cpu['celery'] / people * 1000:.1f} ms a person), this client {client_cpu:.1f} s; "
        f"PostgreSQL not counted. At 33.4 people/s the server and Celery need "
        f"{(cpu['server'] + cpu['celery']) / people * 33.4:.2f} cores"
    )
    for name in ("server", "celery"):
        seen = result["memory"][name] or [before[name][0]]
        print(f"memory, {name}: {before[name][0] / 1024:.0f} MB at the start, peak {max(seen) / 1024:.0f} MB")
    waited = f"{credited_after:.1f} s" if credited_after is not None else "not within 120 s"
    print(f"all points credited {waited} after the last answer; answers with points still owed: {owed}")
    cap = points.daily_caps().get(quiz.DAILY_ACTIVITY, 0)
    print(
        f"answers stored {stored} (posted {answered}), right {right}; points earned {earned}, credited {granted}, "
        f"owed {earned - granted} (most for one person {most}, cap {cap}); doubled: answer rows {doubled}, "
        f"ledger keys {twice}; errors {len(result['errors'])} {sorted(set(result['errors']))[:5]}"
    )


if __name__ == "__main__":
    main()
