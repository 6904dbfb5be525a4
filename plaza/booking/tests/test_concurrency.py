"""Twenty people booking a slot with five places at the same moment: exactly five get one (PostgreSQL)."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from plaza.booking import services
from plaza.booking.models import Booking, Slot
from plaza.testing.factories import PersonFactory, join

from .helpers import NOW, at, make_service


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_twenty_people_booking_five_places_at_once_get_exactly_five(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL")
    service = make_service(world, counters=5)
    people = [PersonFactory(employee_no=f"C{n:04d}") for n in range(20)]
    for person in people:
        join(person, world.branch_a)
    starts_at = at(date(2026, 3, 3), 9)
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []

    def book(person) -> None:  # noqa: ANN001
        try:
            barrier.wait()
            services.book(person, service, starts_at, now=NOW)
            outcomes.append("booked")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("booked") == 5
    assert all("已约满" in outcome for outcome in outcomes if outcome != "booked")
    assert Slot.objects.get().booked == 5 and Booking.objects.count() == 5
