"""党费 at enterprise scale on PostgreSQL: the payroll import of dues bases, the arrears sweep, the statistics.

    .venv/bin/python benchmarks/bench_dues_import.py [--database-url URL] [--rows 200000]

Uses the database of ``bench_home_roster.py`` (200,000 people; run that first). The payroll file lists every
employee, up to ``--rows``, as HR's would: the Party members' rows become bases, the others are skipped.
The workbook is written in memory, then imported three times: the first creates every
base, the second finds every row unchanged, the third changes one row in ten. Then one arrears sweep and the
committee statistics. Figures only: a missed target is printed, never failed. Touches only the database it is
given; no network.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_home_roster import BENCH_ENV, DEFAULT_DATABASE_URL  # noqa: E402

TARGET_IMPORT_S = 120.0


def _workbook(rows: list[tuple[str, str, str, int]]) -> io.BytesIO:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("工资表")
    sheet.append(["工号", "姓名", "类别", "工资基数"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def _timed(label: str, function, target: float | None = None):  # noqa: ANN001, ANN202
    started = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - started
    verdict = "" if target is None else f" (target ≤ {target:.0f} s: {'met' if elapsed <= target else 'MISSED'})"
    print(f"{label}: {elapsed:.1f} s{verdict}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("PLAZA_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    os.environ.update(BENCH_ENV | {"PLAZA_DATABASE_URL": args.database_url, "PLAZA_DB_POOL": "false"})
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "dues", verbosity=0)  # the database may predate the dues tables
    from plaza.accounts.models import Person, PoliticalStatus
    from plaza.dues import queries
    from plaza.dues.imports import import_bases
    from plaza.dues.sweep import arrears_sweep
    from plaza.lib import clock
    from plaza.rules.dates import month_start

    actor = Person.objects.filter(is_superuser=True, is_active=True).first()
    if actor is None:
        actor = Person.objects.create_superuser(employee_no="bench-dues", name="基准测试", password=None)
    # HR's payroll lists every employee; the Party members' rows become bases, the others are skipped.
    people = list(
        Person.objects.filter(is_active=True)
        .exclude(pk=actor.pk)
        .order_by("employee_no")
        .values_list("employee_no", "name")[: args.rows]
    )
    members = Person.objects.filter(political_status__in=PoliticalStatus.party_members()).count()
    categories = ("在岗职工", "在岗职工", "在岗职工", "离退休人员", "学生/下岗/低保")
    today = clock.today()
    month = month_start(today)
    rows = [(no, name, categories[i % 5], 3000 + (i * 37) % 15000) for i, (no, name) in enumerate(people)]
    print(f"payroll: {len(rows)} rows (every employee; {members} Party members in the database), month {month:%Y-%m}")
    first = _timed("write the workbook", lambda: _workbook(rows))
    print(f"workbook: {first.getbuffer().nbytes / 1e6:.1f} MB")
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = _timed("import 1 (new bases)", lambda: import_bases(actor, first, month), TARGET_IMPORT_S)
    print(
        f"  created {result.created}, unchanged {result.unchanged}, skipped {result.skipped}, "
        f"errors {len(result.errors)}"
    )
    for error in result.errors[:5]:
        print(f"  {error}")
    result = _timed("import 2 (same file)", lambda: import_bases(actor, _workbook(rows), month), TARGET_IMPORT_S)
    print(
        f"  created {result.created}, unchanged {result.unchanged}, skipped {result.skipped}, "
        f"errors {len(result.errors)}"
    )
    changed = [(no, name, cat, base + 100 if i % 10 == 0 else base) for i, (no, name, cat, base) in enumerate(rows)]
    result = _timed(
        "import 3 (one row in ten changed)", lambda: import_bases(actor, _workbook(changed), month), TARGET_IMPORT_S
    )
    print(
        f"  created {result.created}, unchanged {result.unchanged}, skipped {result.skipped}, "
        f"errors {len(result.errors)}"
    )
    print(
        f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB "
        f"(before the imports {peak_before:.0f} MB)"
    )
    counts = _timed("arrears sweep", lambda: arrears_sweep(today))
    print(f"  {counts}")
    branches, total = _timed("committee statistics", lambda: queries.statistics(actor, month))
    print(f"  {len(branches)} branches, {total.members} members, due {total.due_month}, paid {total.paid_month}")


if __name__ == "__main__":
    main()
