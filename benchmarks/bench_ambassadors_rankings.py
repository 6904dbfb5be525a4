"""通星汇 rankings at the article's scale: 24,000 ambassadors and 100,000 leads (PostgreSQL).

Builds (once; kept for the next run) an enterprise of 1 committee, 20 organisations and 240 班组/branches,
24,000 ambassadors spread over them and 100,000 leads over two years (about 30 % delivered, the freeze
period passed for most), then times ``plaza.ambassadors.queries.ranking`` for every level (person, 班组/branch,
organisation, enterprise) and period (month, year, all time), RUNS times each, and prints p50/p95. Issue 17
asks for p95 ≤ 100 ms.

    PLAZA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/plaza_amb_bench .venv/bin/python \\
        benchmarks/bench_ambassadors_rankings.py

The database is created and migrated when missing; it is this benchmark's own, never the demo's.
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plaza.settings.dev")

AMBASSADORS = 24_000
LEADS = 100_000
RUNS = 30


def _ensure_database() -> None:
    import psycopg

    url = os.environ.get("PLAZA_DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("set PLAZA_DATABASE_URL to a PostgreSQL database of its own, e.g. plaza_amb_bench")
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def _build() -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from plaza.accounts.models import Person
    from plaza.ambassadors.models import Ambassador, Attribution, Dealer, Lead, Product, Prospect, Score, Stage
    from plaza.ambassadors.services import rebuild_scores
    from plaza.lib.crypto import blind_index
    from plaza.orgs.models import Level
    from plaza.testing.factories import add_org

    call_command("migrate", verbosity=0)
    if Lead.objects.count() >= LEADS:
        if not Score.objects.exclude(unit_key="").exists():  # none yet, or built before the grouping keys
            rebuild_scores()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE ambassadors_score")
        return
    rng = random.Random(17)
    print("building 24,000 ambassadors and 100,000 leads …", flush=True)
    root = add_org(None, "上汽通用汽车党委", "B0000", Level.COMMITTEE)
    units = []
    for o in range(20):
        org = add_org(root, f"第{o + 1}事业部党委", f"B{o + 1:02d}00", Level.GENERAL_BRANCH)
        for b in range(12):
            units.append(add_org(org, f"第{o + 1}事业部第{b + 1}班组", f"B{o + 1:02d}{b + 1:02d}", Level.BRANCH))
    Person.objects.bulk_create(
        [Person(employee_no=f"A{n:06d}", name=f"大使{n}", password="!") for n in range(AMBASSADORS)], batch_size=5000
    )
    people = list(Person.objects.filter(employee_no__startswith="A").values_list("pk", flat=True))
    Ambassador.objects.bulk_create(
        [
            Ambassador(person_id=pk, unit=units[i % len(units)], display_name=f"大使{i}", executive=i % 400 == 0)
            for i, pk in enumerate(people)
        ],
        batch_size=5000,
    )
    ambassadors = list(Ambassador.objects.values_list("pk", flat=True))
    rui = Product.objects.create(name="凯迪拉克锐歌")
    e5 = Product.objects.create(name="别克E5")
    dealer = Dealer.objects.create(name="上海浦东凯迪拉克中心", code="SH01", city="上海")
    today = date.today()
    weights = [rng.paretovariate(1.3) for _ in ambassadors]
    chosen = rng.choices(ambassadors, weights=weights, k=LEADS)
    tz = timezone.get_current_timezone()
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE ambassadors_lead DISABLE TRIGGER ALL")
    batch: list[Lead] = []
    prospects: list[Prospect] = []
    for n, ambassador_id in enumerate(chosen):
        phone = f"139{n:08d}"
        index = blind_index(phone)
        prospects.append(Prospect(phone_index=index))
        at = datetime.combine(today - timedelta(days=rng.randrange(730)), dtime(10), tz)
        delivered = rng.random() < 0.3
        credit = (at.date() + timedelta(days=40)) if delivered and at.date() + timedelta(days=40) <= today else None
        batch.append(
            Lead(
                ref=f"{n:016x}",
                ambassador_id=ambassador_id,
                product=rui if n % 2 else e5,
                name="王先生",
                phone=phone,
                phone_index=index,
                city="上海",
                dealer=dealer,
                consent_contact=True,
                consent_dealer=dealer,
                status=Attribution.CREDITED if n % 20 else Attribution.DUPLICATE,
                created_at=at,
                stage=Stage.DELIVERED if delivered else Stage.CONTACTED,
                delivered_at=at + timedelta(days=10) if delivered else None,
                deal_credited_on=credit,
            )
        )
    Prospect.objects.bulk_create(prospects, batch_size=10_000)
    ids = dict(Prospect.objects.values_list("phone_index", "pk"))
    for lead in batch:
        lead.prospect_id = ids[lead.phone_index]
    Lead.objects.bulk_create(batch, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE ambassadors_lead ENABLE TRIGGER ALL")
    rebuild_scores()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE ambassadors_score")  # the visibility map, for index-only scans


def main() -> None:
    _ensure_database()
    import django

    django.setup()
    _build()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from plaza.ambassadors import queries
    from plaza.ambassadors.models import Ambassador, Lead

    print(f"{Ambassador.objects.count()} ambassadors, {Lead.objects.count()} leads")
    worst = 0.0
    for level in queries.LEVELS:
        for period in queries.PERIODS:
            times = []
            for _ in range(RUNS):
                with CaptureQueriesContext(connection) as seen:
                    started = time.perf_counter()
                    rows = queries.ranking(level=level, period=period, limit=50)
                    times.append(time.perf_counter() - started)
            times.sort()
            p50, p95 = times[len(times) // 2] * 1000, times[int(0.95 * (len(times) - 1))] * 1000
            worst = max(worst, p95)
            top = f"{rows[0].name} {rows[0].deals}/{rows[0].leads}" if rows else "—"
            print(
                f"ranking {level:12} {period:5}: p50 {p50:6.1f} ms, p95 {p95:6.1f} ms, "
                f"{len(seen.captured_queries)} queries (top: {top})"
            )
    print(f"worst p95 {worst:.1f} ms (issue 17: ≤ 100 ms)")


if __name__ == "__main__":
    main()
