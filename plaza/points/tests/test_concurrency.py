"""Concurrent requests on PostgreSQL (real connections): the last items go to exactly as many people as there
are pieces, nothing goes negative, and one idempotency key adds one entry however many requests carry it."""

import threading

import pytest
from django.db import connection, connections

from plaza.points import services
from plaza.points.models import Balance, Entry, Item, Kind, Order
from plaza.testing.factories import PersonFactory

THREADS = 8


def _run_at_once(targets) -> None:  # noqa: ANN001
    barrier = threading.Barrier(len(targets))

    def run(target) -> None:  # noqa: ANN001
        try:
            barrier.wait()
            target()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


pytestmark = pytest.mark.postgres_only


def _postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_many_people_redeem_the_last_items(world):
    _postgres()
    item = Item.objects.create(name="纪念徽章", price=10, stock=3)
    people = [PersonFactory() for _ in range(THREADS)]
    for person in people:
        services.earn(person, 10, reason="学习")
    outcomes: list[str] = []

    def redeem(person):  # noqa: ANN001, ANN202
        def go() -> None:
            try:
                services.redeem(person, item)
                outcomes.append("ok")
            except Exception as exc:  # noqa: BLE001
                outcomes.append(type(exc).__name__)

        return go

    _run_at_once([redeem(person) for person in people])
    item.refresh_from_db()
    assert outcomes.count("ok") == 3 and outcomes.count("ValidationError") == THREADS - 3
    assert item.stock == 0 and Order.objects.count() == 3
    assert not Balance.objects.filter(amount__lt=0).exists()
    assert Entry.objects.filter(kind=Kind.SPEND).count() == 3


@pytest.mark.django_db(transaction=True)
def test_one_person_cannot_overdraw_with_parallel_redemptions(world):
    _postgres()
    items = [Item.objects.create(name=f"礼品{n}", price=10, stock=5) for n in range(THREADS)]
    services.earn(world.member_a, 30, reason="学习")
    outcomes: list[str] = []

    def redeem(item):  # noqa: ANN001, ANN202
        def go() -> None:
            try:
                services.redeem(world.member_a, item)
                outcomes.append("ok")
            except Exception as exc:  # noqa: BLE001
                outcomes.append(type(exc).__name__)

        return go

    _run_at_once([redeem(item) for item in items])
    assert outcomes.count("ok") == 3, outcomes
    assert services.balance_of(world.member_a) == 0
    assert sum(Item.objects.values_list("stock", flat=True)) == 5 * THREADS - 3


@pytest.mark.django_db(transaction=True)
def test_one_key_at_once_adds_one_entry(world):
    _postgres()
    entries: list[int] = []

    def earn() -> None:
        entries.append(services.earn(world.member_a, 5, reason="视频", source_type="video", key="video:42:a").pk)

    _run_at_once([earn] * THREADS)
    assert len(set(entries)) == 1 and len(entries) == THREADS
    assert Entry.objects.filter(idempotency_key="video:42:a").count() == 1
    assert services.balance_of(world.member_a) == 5


@pytest.mark.django_db(transaction=True)
def test_daily_cap_holds_under_parallel_requests(world):
    _postgres()
    grants: list[int] = []

    def read(n: int):  # noqa: ANN202
        def go() -> None:
            grants.append(services.earn_for_activity(world.member_a, "quiz", 6, key=f"quiz:{n}").granted)

        return go

    _run_at_once([read(n) for n in range(THREADS)])
    assert sum(grants) == 20 and services.balance_of(world.member_a) == 20
