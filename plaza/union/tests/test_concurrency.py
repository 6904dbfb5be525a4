"""Two officers paying the same care case at the same moment, and one person applying twice at once: one payment,
one application (PostgreSQL)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from plaza.lib import clock
from plaza.union import services
from plaza.union.models import Kind, Member, Payment

from .helpers import make_union, member


def _race(calls) -> list[str]:  # noqa: ANN001
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call) -> None:  # noqa: ANN001
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_one_payment_per_event_and_one_application_per_person_under_a_race(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL")
    u = make_union(world)
    member(u.worker_a, u.chair_a)
    case = services.open_care_case(u.chair_a, u.worker_a, Kind.HOSPITAL, clock.today())
    outcomes = _race([lambda: services.pay_care(u.chair_a, case), lambda: services.pay_care(u.top_chair, case)])
    assert outcomes.count("ok") == 1 and Payment.objects.filter(person=u.worker_a).count() == 1
    outcomes = _race([lambda: services.apply_to_join(u.worker_b) for _ in range(4)])
    assert outcomes.count("ok") == 1 and Member.objects.filter(person=u.worker_b).count() == 1
