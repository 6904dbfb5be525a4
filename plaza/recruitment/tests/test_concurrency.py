"""A step recorded twice at the same moment is recorded once (PostgreSQL, two real connections)."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from plaza.recruitment import services
from plaza.recruitment.models import StepRecord
from plaza.testing.factories import PersonFactory, join


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_same_step_twice_at_once_is_recorded_once(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL")
    person = PersonFactory(birth_date=date(1995, 1, 1))
    join(person, world.branch_a)
    pipeline = services.open_pipeline(
        world.secretary_a, person, world.branch_a, applied_on=date(2025, 1, 1), today=date(2026, 1, 1)
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def record() -> None:
        try:
            barrier.wait()
            services.record_step(world.secretary_a, pipeline, 2, date(2025, 1, 20), today=date(2026, 1, 1))
            outcomes.append("recorded")
        except ValidationError as exc:
            outcomes.append("; ".join(exc.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=record) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("recorded") == 1
    assert any("已于" in o or "已经记录" in o for o in outcomes if o != "recorded")
    assert StepRecord.objects.filter(pipeline=pipeline, step=2).count() == 1
