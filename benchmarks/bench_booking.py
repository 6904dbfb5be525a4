"""预约办理 under a rush on PostgreSQL: 500 people booking one slot with 100 places at the same moment.

    .venv/bin/python benchmarks/bench_booking.py [--database-url URL] [--people 500] [--places 100] [--threads 40]

Uses the database of ``bench_home_roster.py`` (run that first). Makes a fresh service under the first
committee, opens it every day with one slot of ``--places`` places, then lets ``--threads`` worker threads
(each with its own connection; PostgreSQL's default allows 100) book for ``--people`` different people in
process, all released at once. Prints how many got a place (it must be exactly ``--places``), the refusals
and the time taken. Figures only: nothing is asserted. Touches only the database it is given; no network.
"""

from __future__ import annotations

import argparse
import os
import queue
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_home_roster import BENCH_ENV, DEFAULT_DATABASE_URL  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("PLAZA_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--places", type=int, default=100)
    parser.add_argument("--threads", type=int, default=40)
    args = parser.parse_args()
    os.environ.update(BENCH_ENV | {"PLAZA_DATABASE_URL": args.database_url, "PLAZA_DB_POOL": "false"})
    import django

    django.setup()
    from datetime import time as clock_time
    from datetime import timedelta

    from django.core.exceptions import ValidationError
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    call_command("migrate", verbosity=0)  # the database may predate the booking tables
    from plaza.accounts.models import Person
    from plaza.booking import holidays, services
    from plaza.booking.models import Booking, OpeningHours, Service, Slot
    from plaza.orgs.models import Level, Membership, Organisation

    committee = Organisation.objects.filter(level=Level.COMMITTEE).order_by("depth", "path").first()
    if committee is None:
        sys.exit("no committee in this database: run benchmarks/bench_home_roster.py first")
    admin = Person.objects.filter(is_superuser=True).first() or Person.objects.first()
    inside = Membership.objects.current().filter(organisation__path__startswith=committee.path).values("person_id")
    people = list(Person.objects.filter(pk__in=inside, is_active=True).order_by("pk")[: args.people])
    if len(people) < args.people:
        print(f"only {len(people)} people under {committee.name}; using them")
    service = Service.objects.create(
        organisation=committee,
        name=f"基准测试 {timezone.now():%Y%m%d%H%M%S}",
        place="基准测试",
        slot_minutes=30,
        book_ahead_days=30,
        cancel_hours=0,
        created_by=admin,
    )
    OpeningHours.objects.bulk_create(
        [
            OpeningHours(
                service=service, weekday=w, opens=clock_time(9), closes=clock_time(9, 30), counters=args.places
            )
            for w in range(7)
        ]
    )
    day = timezone.localdate() + timedelta(days=1)
    while holidays.holiday(day):
        day += timedelta(days=1)
    starts_at = services.slot_times(service, day)[0][0]

    work: queue.SimpleQueue = queue.SimpleQueue()
    for person in people:
        work.put(person)
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(args.threads + 1)

    def worker() -> None:
        try:
            barrier.wait()
            while True:
                try:
                    person = work.get_nowait()
                except queue.Empty:
                    return
                try:
                    services.book(person, service, starts_at)
                    outcome = "booked"
                except ValidationError as exc:
                    outcome = exc.messages[0]
                with lock:
                    outcomes[outcome] += 1
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(args.threads)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started

    slot = Slot.objects.get(service=service, starts_at=starts_at)
    bookings = Booking.objects.filter(slot=slot).count()
    print(
        f"{len(people)} people, {args.places} places, {args.threads} threads: {seconds:.2f} s "
        f"({len(people) / seconds:.0f} attempts/s)"
    )
    for outcome, count in outcomes.most_common():
        print(f"  {count:5d}  {outcome}")
    verdict = "exactly" if outcomes["booked"] == args.places == bookings == slot.booked else "NOT"
    print(
        f"succeeded: {outcomes['booked']} (bookings in the database {bookings}, slot.booked {slot.booked}) — "
        f"{verdict} {args.places}"
    )


if __name__ == "__main__":
    main()
