"""Places under concurrency (PostgreSQL): winners withdrawing at the same moment never over-fill the batch, and
two officers adding batches at once never exceed the yearly quota."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from plaza.retreats import services
from plaza.retreats.models import Batch, SignUp, SignUpStatus
from plaza.retreats.tests.helpers import union_member
from plaza.testing.factories import PersonFactory, Title, appoint

TODAY = date(2026, 3, 2)


def _run(jobs) -> list[str]:  # noqa: ANN001
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = []

    def run(job) -> None:  # noqa: ANN001
        try:
            barrier.wait()
            job()
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_withdrawals_and_batches(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL")
    chair = PersonFactory(employee_no="U0001")
    union_member(chair, world.union, date(2010, 1, 1))
    appoint(chair, world.union, Title.UNION_CHAIR)
    people = [PersonFactory(employee_no=f"C{n:04d}") for n in range(8)]
    for person in people:
        union_member(person, world.union, date(2012, 1, 1))
    services.set_quota(chair, world.union, 2026, 5)
    route = services.create_route(chair, world.union, year=2026, name="千岛湖", destination="淳安", days=5)
    batch = services.add_batch(
        chair,
        route,
        starts_on=date(2026, 5, 11),
        ends_on=date(2026, 5, 15),
        places=3,
        signup_closes_on=date(2026, 4, 1),
    )
    for person in people:
        services.sign_up(person, batch, today=TODAY)
    allocation = services.allocate(chair, batch, method="priority")
    winners = [SignUp.objects.get(batch=batch, person_id=pk) for pk in allocation.winners]
    outcomes = _run([lambda s=s: services.withdraw(s.person, s, today=TODAY) for s in winners])
    assert outcomes == ["ok"] * 3
    assert Batch.objects.get(pk=batch.pk).taken == 3
    won = SignUp.objects.filter(batch=batch, status=SignUpStatus.WON)
    assert sorted(won.values_list("person_id", flat=True)) == sorted(allocation.waiting[:3])

    def add() -> None:
        services.add_batch(
            chair,
            route,
            starts_on=date(2026, 9, 7),
            ends_on=date(2026, 9, 11),
            places=2,
            signup_closes_on=date(2026, 8, 1),
        )

    outcomes = _run([add, add, add])
    assert outcomes.count("ok") == 1 and all("超出年度名额" in o for o in outcomes if o != "ok")
