"""Likes under concurrency (PostgreSQL): the same person tapping like from several devices at once leaves one
row and a count of one; twenty people liking at once count twenty."""

import threading

import pytest
from django.db import connection, connections

from plaza.space import services
from plaza.space.models import Like, Post
from plaza.testing.factories import PersonFactory

from .helpers import enterprise_space, post


def _at_once(calls) -> list:  # noqa: ANN001
    barrier = threading.Barrier(len(calls))
    outcomes: list = []

    def run(call) -> None:  # noqa: ANN001
        try:
            barrier.wait()
            outcomes.append(call())
        except Exception as exc:  # noqa: BLE001
            outcomes.append(exc)
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
def test_one_person_liking_ten_times_at_once_counts_once(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL")
    shown = post(world.member_a, enterprise_space(world))
    outcomes = _at_once([lambda: services.like(world.employee, shown)] * 10)
    assert outcomes.count(True) == 1 and outcomes.count(False) == 9
    assert Like.objects.filter(post=shown).count() == 1
    assert Post.objects.get(pk=shown.pk).like_count == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_twenty_people_liking_at_once_count_twenty(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL")
    shown = post(world.member_a, enterprise_space(world))
    people = [PersonFactory(employee_no=f"L{n:04d}") for n in range(20)]
    outcomes = _at_once([lambda p=p: services.like(p, shown) for p in people])
    assert outcomes.count(True) == 20
    assert Post.objects.get(pk=shown.pk).like_count == 20 == Like.objects.filter(post=shown).count()
