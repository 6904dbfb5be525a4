"""Ten people supporting the same item at once, each twice: exactly ten supports counted (PostgreSQL)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from plaza.testing.factories import PersonFactory, join
from plaza.voice import services
from plaza.voice.models import Item, Support

from .helpers import categories, file


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_supports_are_counted_once_each(world, settings):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL")
    settings.PLAZA_VOICE_SUPPORT_THRESHOLD = 5
    categories(world)
    item = file(world, public=True)
    people = [PersonFactory(employee_no=f"V{n:04d}") for n in range(10)]
    for person in people:
        join(person, world.branch_b)
    barrier = threading.Barrier(len(people) * 2)
    outcomes: list[str] = []

    def support(person) -> None:  # noqa: ANN001
        try:
            barrier.wait()
            services.support(person, item)
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=support, args=(p,)) for p in people * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 10
    assert all("只能附议一次" in o for o in outcomes if o != "ok")
    item = Item.objects.get(pk=item.pk)
    assert item.supports == 10 == Support.objects.filter(item=item).count()
    assert item.raised_on is not None
