"""每日答题 at scale over HTTP: many phones answering their daily questions at once through the pages a phone
uses, against the server as deployed (uvicorn workers, production settings, PostgreSQL, Redis sessions, and a
Celery worker crediting the points).

    .venv/bin/python benchmarks/bench_quiz_daily.py [--people 2000] [--concurrency 50] [--workers 2]
        [--rate PEOPLE_PER_SECOND] [--no-htmx] [--questions 200]
        [--database-url postgres://postgres@127.0.0.1:5432/plaza_bench_quiz_daily]
        [--redis-url redis://127.0.0.1:6379/6]

What it does (and the server and the Celery worker are always shut down):

1. Recreates the database, migrates it, and writes a committee with ``--people`` members (each with a
   signed-in session) and a bank of ``--questions`` questions.
2. Starts ``python -m plaza.core.server`` with ``--workers`` uvicorn workers, and one Celery worker (``--pool
   solo``), which credits the answers' points to the ledger in batches after their commit (plaza/quiz/grants.py).
3. Phones take people from a queue: ``--concurrency`` phones at once, each answering without a pause (the
   machine's capacity), or with ``--rate`` a new person every 1/rate seconds (the issue's load: 20,000 people in
   ten minutes is 33.3 people/s), each answering as fast as the server lets them. For each person:
   ``GET /quiz/daily/`` (the day's set is drawn: the 30-day no-repeat draw), then per question the answer as
   the page sends it (htmx): ``POST /quiz/daily/<item>/`` with ``HX-Request``, whose response is the feedback
   (the right answer, the explanation) and the next question. ``--no-htmx``: as a browser without JavaScript,
   the form post and the page it redirects to, ``GET /quiz/daily/?shown=<item>`` (two requests per answer).

Prints, per answer: the post alone and what the person waits for (the same with htmx; the post plus the page
after it without), p50/p95/max; the first page (the draw); answers per second; how long 20,000 people would take
at that rate; how long after the last answer the last points were credited; the answers stored and the points
credited (each person at most the cap, right answers only, none owed left uncredited). The issue's target:
20,000 people within ten minutes, p95 ≤ 100 ms per answer. Figures only; nothing is asserted. Run it on a quiet
machine: the client and the server share the machine, so the figures include the client's own work.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

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
        session.create()
        keys.append(session.session_key)
    return settings.SESSION_COOKIE_NAME, keys


async def run(port: int, cookie: str, keys: list[str], concurrency: int, rate: float, htmx: bool) -> dict:
    import httpx

    base = f"http://{HOST}:{port}"
    posts: list[float] = []  # the answer's post alone
    rounds: list[float] = []  # what the person waits for: the post (htmx), or the post and the page after it
    firsts: list[float] = []  # the first page of the day (the draw)
    errors: list[str] = []
    answered = 0
    todo = iter(keys)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def person(key: str) -> None:
            nonlocal answered
            csrf = secrets.token_hex(16)  # 32 characters: Django accepts the unmasked secret as the token
            headers = {"Cookie": f"{cookie}={key}; csrftoken={csrf}"}
            started = time.perf_counter()
            page = await client.get("/quiz/daily/", headers=headers)
            firsts.append(time.perf_counter() - started)
            for _question in range(20):  # a safety bound: the day's set is a few questions
                if page.status_code != 200:
                    errors.append(f"GET {page.status_code}")
                    return
                form = FORM.search(page.text)
                if form is None:
                    return  # the day's questions are done
                choices = CHOICE.findall(page.text)
                data = {"csrfmiddlewaretoken": csrf, "choice": random.choice(choices or ["0"])}
                started = time.perf_counter()
                if htmx:
                    page = await client.post(form.group(1), data=data, headers=headers | {"HX-Request": "true"})
                    posts.append(time.perf_counter() - started)
                    rounds.append(posts[-1])
                    if page.status_code != 200 or 'data-testid="feedback"' not in page.text:
                        errors.append(f"POST {page.status_code}")
                        return
                else:
                    posted = await client.post(form.group(1), data=data, headers=headers)
                    posts.append(time.perf_counter() - started)
                    if posted.status_code != 302:
                        errors.append(f"POST {posted.status_code}")
                        return
                    page = await client.get(posted.headers["location"], headers=headers)
                    rounds.append(time.perf_counter() - started)
                answered += 1

        async def phone() -> None:
            for key in todo:
                await person(key)

        started = time.perf_counter()
        if rate:
            gate = asyncio.Semaphore(concurrency)  # at most this many connections, as the client's limits

            async def arriving(n: int, key: str) -> None:
                await asyncio.sleep(max(0.0, started + n / rate - time.perf_counter()))
                async with gate:
                    await person(key)

            await asyncio.gather(*(arriving(n, key) for n, key in enumerate(keys)))
        else:
            await asyncio.gather(*(phone() for _n in range(concurrency)))
        wall = time.perf_counter() - started
    return {"posts": posts, "rounds": rounds, "firsts": firsts, "errors": errors, "answered": answered, "wall": wall}


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
        f"{label}: p50 {_pct(values, 0.5):.1f} ms, p95 {_pct(values, 0.95):.1f} ms, "
        f"max {_pct(values, 1.0):.1f} ms, mean {mean:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=50, help="phones answering at the same moment")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rate", type=float, default=0.0, help="people arriving per second (0: all at once)")
    parser.add_argument("--no-htmx", action="store_true", help="answer as a browser without JavaScript")
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--database-url", default=os.environ.get("PLAZA_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--redis-url", default=os.environ.get("PLAZA_REDIS_URL", "redis://127.0.0.1:6379/6"))
    args = parser.parse_args()
    os.environ.update(BENCH_ENV | {"PLAZA_DATABASE_URL": args.database_url, "PLAZA_REDIS_URL": args.redis_url})
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
    try:
        result = asyncio.run(run(port, cookie, keys, args.concurrency, args.rate, not args.no_htmx))
        credited_after = wait_for_credits()
    finally:
        stop_server(server)
        stop_server(celery)

    from django.db.models import Count, Max, Sum

    from plaza.points.models import Entry
    from plaza.quiz.models import DailyItem

    rows = DailyItem.objects.filter(answered_at__isnull=False)
    owed = rows.filter(points__gt=0, granted_at__isnull=True).count()
    stored = rows.count()
    right = rows.filter(correct=True).count()
    granted = Entry.objects.filter(source_type="quiz").aggregate(s=Sum("amount"))["s"] or 0
    most = (
        Entry.objects.filter(source_type="quiz").values("person").annotate(s=Sum("amount")).aggregate(m=Max("s"))["m"]
        or 0
    )
    doubled = DailyItem.objects.values("person", "question", "day").annotate(n=Count("id")).filter(n__gt=1).count()
    answered, wall = result["answered"], result["wall"]
    rate = answered / wall if wall else 0
    per_person = answered / max(args.people, 1)
    arrivals = f"{args.rate:g} people/s arriving" if args.rate else "all at once"
    how = "form post + redirect + page (no JavaScript)" if args.no_htmx else "htmx post, answer in place"
    print(
        f"people {args.people} ({arrivals}), phones at once ≤ {args.concurrency}, workers {args.workers}, "
        f"PostgreSQL + Redis + 1 Celery worker; per answer: {how}"
    )
    print(f"answers {answered} in {wall:.1f} s: {rate:.0f} answers/s, {args.people / wall:.1f} people/s")
    print(_line("per answer, the form post", result["posts"]))
    print(_line("per answer, what the person waits for", result["rounds"]))
    print(_line("first page of the day (the draw)", result["firsts"]))
    if rate:
        print(f"at this rate 20,000 people take {20_000 * per_person / rate / 60:.1f} min (target ≤ 10 min)")
    waited = f"{credited_after:.1f} s" if credited_after is not None else "not within 120 s"
    print(f"all points credited {waited} after the last answer; answers with points still owed: {owed}")
    print(
        f"answers stored {stored} (posted {answered}), right {right}, points granted {granted} "
        f"(most for one person {most}), doubled rows {doubled}, errors {len(result['errors'])} "
        f"{sorted(set(result['errors']))[:5]}"
    )


if __name__ == "__main__":
    main()
