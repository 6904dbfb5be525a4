"""The scoped audit log (issue 11, item 3) on PostgreSQL: the first page and its count, as a subsidiary 党委's
组织部 (its own entries only) and as the enterprise 组织部, against a log of ``--entries`` rows about people,
positions and organisations spread over ``--branches`` branches. Prints figures only (never asserts):

    .venv/bin/python benchmarks/bench_audit_scope.py --database-url postgres://postgres@127.0.0.1:5432/plaza_bench_audit

Creates (or reuses) the tables in the database it is given and adds rows; point it at a scratch database.
(One third of the seeded entries name points entries that do not exist: they stand for entries nobody but an
administrator can place, and stay hidden.)

2026-12-06, 2 shared cores, PostgreSQL 15, 200,000 entries, 20,000 people, 200 branches under 4 subsidiaries:
subsidiary 组织部 33,334 visible, count + first page median 602 ms; enterprise 组织部 133,334 visible, 1,156 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/plaza_bench_audit")
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--branches", type=int, default=200)
    parser.add_argument("--people", type=int, default=20_000)
    args = parser.parse_args()
    os.environ["PLAZA_DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plaza.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    from datetime import date

    from django.db import connection

    from plaza.accounts.models import Person
    from plaza.audit.models import AuditEntry
    from plaza.audit.visibility import visible_entries
    from plaza.orgs.models import Level, Membership, Organisation, Position, Title

    if not Organisation.objects.filter(code="BENCH0").exists():
        started = time.perf_counter()
        root = Organisation.objects.add_root({"name": "企业党委", "code": "BENCH0", "level": Level.COMMITTEE})
        subs = [
            Organisation.objects.add_child(
                Organisation.objects.get(pk=root.pk),
                {"name": f"子公司{i}党委", "code": f"BENCH-S{i}", "level": Level.COMMITTEE},
            )
            for i in range(4)
        ]
        branches = []
        for i in range(args.branches):
            parent = Organisation.objects.get(pk=subs[i % len(subs)].pk)
            fields = {"name": f"支部{i}", "code": f"BENCH-B{i}", "level": Level.BRANCH}
            branches.append(Organisation.objects.add_child(parent, fields))
        people = Person.objects.bulk_create(
            [Person(employee_no=f"BN{n:06d}", name=f"人员{n}") for n in range(args.people)], batch_size=5000
        )
        Membership.objects.bulk_create(
            [
                Membership(person=p, organisation=branches[n % len(branches)], tree="party", since=date(2020, 1, 1))
                for n, p in enumerate(people)
            ],
            batch_size=5000,
        )
        staff = Person.objects.create(employee_no="BNSTAFF", name="企业组织部")
        sub_staff = Person.objects.create(employee_no="BNSUB", name="子公司组织部")
        Membership.objects.create(person=staff, organisation=root, tree="party", since=date(2020, 1, 1))
        Membership.objects.create(person=sub_staff, organisation=subs[0], tree="party", since=date(2020, 1, 1))
        Position.objects.create(person=staff, organisation=root, title=Title.ORG_DEPT_STAFF, since=date(2020, 1, 1))
        Position.objects.create(
            person=sub_staff, organisation=subs[0], title=Title.ORG_DEPT_STAFF, since=date(2020, 1, 1)
        )
        rows = []
        for n in range(args.entries):
            person = people[n % len(people)]
            kind = n % 3
            if kind == 0:
                rows.append(AuditEntry(action="people.reveal", object_type="accounts.person", object_id=str(person.pk)))
            elif kind == 1:
                org = branches[n % len(branches)]
                rows.append(AuditEntry(action="orgs.update", object_type="orgs.organisation", object_id=str(org.pk)))
            else:
                rows.append(AuditEntry(action="points.award", object_type="points.entry", object_id=str(n)))
        AuditEntry.objects.bulk_create(rows, batch_size=10_000)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"seeded {args.entries:,} entries, {args.people:,} people in {time.perf_counter() - started:.1f} s")
    staff = Person.objects.get(employee_no="BNSTAFF")
    sub_staff = Person.objects.get(employee_no="BNSUB")
    total = AuditEntry.objects.count()
    for label, viewer in (("subsidiary 组织部", sub_staff), ("enterprise 组织部", staff)):
        timings, count = [], 0
        for _ in range(5):
            for attr in ("_plaza_scopes", "_plaza_positions", "_plaza_mass_roots"):
                viewer.__dict__.pop(attr, None)
            started = time.perf_counter()
            entries = visible_entries(viewer)
            count = entries.count()
            list(entries[:50])
            timings.append((time.perf_counter() - started) * 1000)
        median = statistics.median(timings)
        print(f"{label}: {count:,} of {total:,} entries visible; count + first page median {median:.0f} ms")


if __name__ == "__main__":
    main()
