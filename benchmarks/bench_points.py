"""积分 at enterprise scale on PostgreSQL: a rush on the points mall, and the ranking lists.

    .venv/bin/python benchmarks/bench_points.py [--database-url URL] [--rush 1000] [--stock 100] [--threads 32]

Uses the database of ``bench_home_roster.py`` (200,000 people; run that first).

1. Rankings: when the ledger is empty, every person gets a few earning entries spread over the last 90 days
   (about 600,000 rows, bulk) and the per-period totals are rebuilt from them. Then the weekly, monthly and
   all-time ranking of the whole enterprise and of one branch are timed, 20 runs each (``queries.ranking``).
2. The rush: ``--rush`` people, each with enough points, try to redeem an item with ``--stock`` pieces at the
   same moment from ``--threads`` threads (each its own database connection), calling ``services.redeem`` as
   the page does. Checks that exactly ``--stock`` succeed and that no stock or balance went negative.
Figures only: a missed target is printed, never failed. Touches only the database it is given; no network.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_home_roster import BENCH_ENV, DEFAULT_DATABASE_URL  # noqa: E402

TARGET_RANKING_P95_MS = 100.0
TARGET_RUSH_RPS = 200.0


def seed_ledger() -> int:
    from datetime import timedelta

    from django.utils import timezone

    from plaza.accounts.models import Person
    from plaza.points.models import Entry

    rng = random.Random(5)
    now = timezone.now()
    rows = []
    for person_id in Person.objects.values_list("pk", flat=True).iterator(chunk_size=20_000):
        for _ in range(rng.randint(1, 5)):
            rows.append(
                Entry(
                    person_id=person_id,
                    kind="earn",
                    amount=rng.randint(1, 10),
                    reason="阅读豆",
                    source_type="reading",
                    created_at=now - timedelta(minutes=rng.randrange(90 * 24 * 60)),
                )
            )
    Entry.objects.bulk_create(rows, batch_size=10_000)
    return len(rows)


def time_rankings(runs: int = 20) -> dict[str, float]:
    from plaza.orgs.models import Level, Organisation
    from plaza.points import queries

    branch = (
        Organisation.objects.filter(level=Level.BRANCH, name="装调车间党支部").first()
        or Organisation.objects.filter(level=Level.BRANCH).first()
    )
    figures = {}
    for period in ("week", "month", "all"):
        for label, org in (("whole enterprise", None), ("one branch", branch)):
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                queries.ranking(period, org)
                timings.append((time.perf_counter() - started) * 1000)
            figures[f"ranking {period}, {label}"] = statistics.quantiles(timings, n=20)[18]
    return figures


def rush(people: int, stock: int, threads: int) -> dict:
    from django.db import connections

    from plaza.accounts.models import Person
    from plaza.points import services
    from plaza.points.models import Balance, Item, Order

    admin = Person.objects.filter(is_superuser=True).order_by("pk").first()
    item = Item.objects.create(
        name=f"基准：限量纪念品 {time.time():.0f}", price=10, stock=stock, per_person_limit=1, active=True
    )
    buyers = list(Person.objects.filter(is_active=True).exclude(pk=admin.pk).order_by("?")[:people])
    for person in buyers:
        services.earn(person, 20, reason="基准", source_type="bench", key=f"bench:{item.pk}:{person.pk}")
    todo = iter(buyers)
    lock = threading.Lock()
    outcomes: dict[str, int] = {}
    latencies: list[float] = []
    barrier = threading.Barrier(threads)

    def worker() -> None:
        barrier.wait()
        try:
            while True:
                with lock:
                    person = next(todo, None)
                if person is None:
                    return
                started = time.perf_counter()
                try:
                    services.redeem(person, item)
                    outcome = "redeemed"
                except Exception as exc:  # noqa: BLE001 - every refusal is counted by its text
                    outcome = "refused: " + "".join(getattr(exc, "messages", [str(exc)]))[:20]
                with lock:
                    latencies.append((time.perf_counter() - started) * 1000)
                    outcomes[outcome] = outcomes.get(outcome, 0) + 1
        finally:
            connections.close_all()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    wall = time.perf_counter() - started
    item.refresh_from_db()
    return {
        "wall_s": wall,
        "rps": people / wall,
        "outcomes": outcomes,
        "stock_left": item.stock,
        "orders": Order.objects.filter(item=item).count(),
        "p95": statistics.quantiles(latencies, n=20)[18],
        "negative_balances": Balance.objects.filter(amount__lt=0).count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("PLAZA_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--rush", type=int, default=1000)
    parser.add_argument("--stock", type=int, default=100)
    parser.add_argument("--threads", type=int, default=32)
    args = parser.parse_args()
    os.environ.update(
        BENCH_ENV
        | {"PLAZA_DATABASE_URL": args.database_url, "PLAZA_DB_POOL": "false", "DJANGO_ALLOW_ASYNC_UNSAFE": "true"}
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from plaza.points.models import Entry

    if not Entry.objects.filter(source_type="reading").exists():
        started = time.perf_counter()
        made = seed_ledger()
        with connection.cursor() as cursor:
            cursor.execute('ANALYZE "points_entry"')
        print(f"seeded {made:,} ledger entries in {time.perf_counter() - started:.1f} s")
    from plaza.points.models import Total
    from plaza.points.services import rebuild_totals

    if not Total.objects.exists():  # the seeded entries were bulk-loaded around the services
        started = time.perf_counter()
        made = rebuild_totals()
        with connection.cursor() as cursor:
            cursor.execute('ANALYZE "points_total"')
        print(f"rebuilt {made:,} period totals in {time.perf_counter() - started:.1f} s")
    rankings = time_rankings()
    result = rush(args.rush, args.stock, args.threads)
    print(
        f"\nrush: {result['outcomes']} in {result['wall_s']:.2f} s; stock left {result['stock_left']}, "
        f"orders {result['orders']}"
    )
    rows = [
        (label + " p95", f"{ms:.0f} ms", f"≤ {TARGET_RANKING_P95_MS:.0f} ms", ms <= TARGET_RANKING_P95_MS)
        for label, ms in rankings.items()
    ]
    rows += [
        (
            f"rush: exactly {args.stock} of {args.rush} redeem",
            f"{result['orders']}",
            f"{args.stock}",
            result["orders"] == args.stock == result["outcomes"].get("redeemed", 0),
        ),
        ("rush: stock never negative", f"{result['stock_left']}", "0", result["stock_left"] == 0),
        ("rush: no negative balance", f"{result['negative_balances']}", "0", result["negative_balances"] == 0),
        (
            "rush: requests per second",
            f"{result['rps']:.0f}",
            f"≥ {TARGET_RUSH_RPS:.0f}",
            result["rps"] >= TARGET_RUSH_RPS,
        ),
        ("rush: one redemption p95", f"{result['p95']:.0f} ms", "—", True),
    ]
    print(f"{'measure':<44}{'figure':>10}   target")
    for label, figure, target, ok in rows:
        print(f"{'PASS' if ok else 'MISS'}  {label:<42}{figure:>10}   {target}")


if __name__ == "__main__":
    main()
