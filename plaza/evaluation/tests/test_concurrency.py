"""The same sheet handed in twice at the same moment counts once (PostgreSQL, real connections)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from plaza.evaluation import services
from plaza.evaluation.models import Grade, Sheet

from .conftest import plan


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_submitting_a_sheet_twice_at_once_counts_once(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL")
    campaign = services.open_campaign(world.secretary_a, plan(world))
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def submit() -> None:
        try:
            barrier.wait()
            services.submit_sheet(world.member_a, campaign, {world.secretary_a.pk: "excellent"})
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "您已提交过测评表", "您已提交过测评表", "您已提交过测评表"]
    assert Sheet.objects.filter(campaign=campaign).count() == 1
    services.close_campaign(world.secretary_a, campaign)
    assert Grade.objects.filter(campaign=campaign).count() == 1
