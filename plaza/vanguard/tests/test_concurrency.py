"""Two daily passes, and two reviewers, at the same moment (PostgreSQL): a late milestone is reported once per
level, and a project is reviewed and recognised once."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from plaza.audit import actions
from plaza.audit.models import AuditEntry
from plaza.points.models import Entry
from plaza.testing.factories import PersonFactory, appoint, join
from plaza.testing.factories import Title as T
from plaza.vanguard import services
from plaza.vanguard.models import Grade, Milestone
from plaza.vanguard.sweep import vanguard_sweep

from .test_vanguard import make_project


def _at_once(n: int, work) -> list[str]:  # noqa: ANN001
    barrier = threading.Barrier(n)
    outcomes: list[str] = []

    def run(k: int) -> None:
        try:
            barrier.wait()
            outcomes.append(str(work(k)))
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(k,)) for k in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_report_each_level_once(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL")
    project = make_project(world)
    services.add_milestone(
        world.secretary_a,
        project,
        title="样机验证",
        due_on=date(2026, 3, 6),
        owner=world.member_a,
        today=date(2026, 3, 2),
    )
    _at_once(4, lambda k: vanguard_sweep(date(2026, 4, 30)))
    assert Milestone.objects.get().escalation == 2
    assert AuditEntry.objects.filter(action=actions.VANGUARD_MILESTONE_ESCALATE).count() == 2


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_at_once_recognise_once(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL")
    second = PersonFactory(employee_no="S0002", name="李组织")
    join(second, world.committee)
    appoint(second, world.committee, T.ORG_DEPT_STAFF)
    project = make_project(world)
    target = services.add_target(world.member_a, project, name="合格率", unit="%", target_value=Decimal("98"))
    services.submit_results(
        world.member_a, project, achieved={target.pk: Decimal("99")}, result="合格率提升到 99%，超额完成"
    )
    reviewers = [world.staff, second]
    outcomes = _at_once(
        2, lambda k: services.review(reviewers[k], project, grade=Grade.GOOD, comment="成效明显", points_each=10)
    )
    assert sum("不在待评审状态" in o for o in outcomes) == 1
    assert Entry.objects.filter(source_type="vanguard").count() == 1
