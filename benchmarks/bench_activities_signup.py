"""活动报名 under a rush on PostgreSQL: 1,000 people signing up for an activity with 100 places within a minute.

    .venv/bin/python benchmarks/bench_activities_signup.py [--database-url URL] [--people 1000] [--places 100]
        [--threads 40] [--spread 0] [--no-waiting-list]

Makes (or reuses) its own database, ``plaza_bench_activities`` by default, migrates it, and adds a committee with
``--people`` members once. Then, for each run, a fresh activity with ``--places`` places under that committee;
``--threads`` worker threads (each with its own connection) sign up every person through
``plaza.activities.services.sign_up``, all released at once (or, with ``--spread S``, the attempts paced evenly
over S seconds, e.g. 60 for "within a minute"). With a waiting list everybody beyond the places waits; with
``--no-waiting-list`` they are refused (名额已满). Prints the outcomes, the time taken and the latency of one
sign-up (p50/p95/max), and whether exactly ``--places`` places were taken. Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import queue
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/plaza_bench_activities"
ENV = {
    "DJANGO_SETTINGS_MODULE": "plaza.settings.test",
    "PLAZA_DB_POOL": "false",
}


def _ensure_database(url: str) -> None:
    """Create the benchmark's PostgreSQL database when it does not exist."""
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("PLAZA_BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--places", type=int, default=100)
    parser.add_argument("--threads", type=int, default=40)
    parser.add_argument("--spread", type=float, default=0.0, help="seconds to pace the attempts over (0: all at once)")
    parser.add_argument("--no-waiting-list", action="store_true")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("this benchmark is about PostgreSQL: give a postgres:// URL")
    _ensure_database(args.database_url)
    os.environ.update(ENV | {"PLAZA_DATABASE_URL": args.database_url})
    import django

    django.setup()
    from datetime import date, timedelta

    from django.core.exceptions import ValidationError
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    from plaza.accounts.models import Person
    from plaza.activities import services
    from plaza.activities.models import Activity, Kind, Signup, SignupState
    from plaza.lib import clock
    from plaza.orgs.models import Level, Membership, Organisation, Position, Title

    committee = Organisation.objects.filter(code="BENCH-ACT").first()
    if committee is None:
        committee = Organisation.objects.add_root(
            {"name": "基准测试党委", "code": "BENCH-ACT", "level": Level.COMMITTEE}
        )
    organiser, _created = Person.objects.get_or_create(employee_no="bench-act-organiser", defaults={"name": "组织者"})
    Position.objects.get_or_create(
        person=organiser, organisation=committee, title=Title.SECRETARY, defaults={"since": date(2020, 1, 1)}
    )
    have = Person.objects.filter(employee_no__startswith="bench-act-").count() - 1
    if have < args.people:
        made = Person.objects.bulk_create(
            [Person(employee_no=f"bench-act-{n:06d}", name=f"员工{n}") for n in range(have, args.people)]
        )
        Membership.objects.bulk_create(
            [Membership(person=p, organisation=committee, tree="party", since=date(2020, 1, 1)) for p in made]
        )
    people = list(Person.objects.filter(employee_no__startswith="bench-act-0").order_by("employee_no")[: args.people])

    starts = (clock.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    activity = services.create_activity(
        organiser,
        committee,
        audience=[committee],
        kind=Kind.VOLUNTEER,
        title=f"基准测试 {clock.now():%Y%m%d%H%M%S}",
        description="",
        place="基准测试",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        signup_deadline=starts - timedelta(hours=1),
        capacity=args.places,
        waiting_list=not args.no_waiting_list,
        points=0,
    )

    work: queue.SimpleQueue = queue.SimpleQueue()
    for n, person in enumerate(people):
        work.put((n, person))
    outcomes: Counter[str] = Counter()
    latencies: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(args.threads + 1)
    interval = args.spread / len(people) if args.spread else 0.0
    origin: list[float] = []

    def worker() -> None:
        try:
            barrier.wait()
            while True:
                try:
                    n, person = work.get_nowait()
                except queue.Empty:
                    return
                if interval:
                    delay = origin[0] + n * interval - time.perf_counter()
                    if delay > 0:
                        time.sleep(delay)
                began = time.perf_counter()
                try:
                    outcome = services.sign_up(person, activity).state
                except ValidationError as exc:
                    outcome = exc.messages[0]
                took = time.perf_counter() - began
                with lock:
                    outcomes[outcome] += 1
                    latencies.append(took)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(args.threads)]
    for thread in threads:
        thread.start()
    origin.append(time.perf_counter())
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started

    activity = Activity.objects.get(pk=activity.pk)
    confirmed = Signup.objects.filter(activity=activity, state=SignupState.CONFIRMED).count()
    waiting = Signup.objects.filter(activity=activity, state=SignupState.WAITING).count()
    latencies.sort()
    mode = f"paced over {args.spread:.0f} s" if args.spread else "all released at once"
    print(
        f"{len(people)} people, {args.places} places, {args.threads} threads, {mode}, "
        f"waiting list {'off' if args.no_waiting_list else 'on'}: "
        f"{seconds:.2f} s ({len(people) / seconds:.0f} sign-ups/s)"
    )
    print(
        f"one sign-up: p50 {statistics.median(latencies) * 1000:.1f} ms, "
        f"p95 {latencies[int(len(latencies) * 0.95) - 1] * 1000:.1f} ms, max {latencies[-1] * 1000:.1f} ms"
    )
    for outcome, count in outcomes.most_common():
        print(f"  {count:5d}  {outcome}")
    refused = len(people) - confirmed - waiting
    verdict = "exactly" if confirmed == activity.taken == args.places else "NOT"
    print(
        f"places taken: {confirmed} (activity.taken {activity.taken}) — {verdict} {args.places}; "
        f"waiting {waiting}, refused {refused}"
    )


if __name__ == "__main__":
    main()
