"""Required reading: to-dos for everyone concerned, closed by reading to the end; completion per branch."""

from datetime import timedelta

from django.utils import timezone

from plaza.learning import queries, services
from plaza.notify.models import Task

from .helpers import article, read


def _required(world, **extra):
    return article(
        world,
        "二十大报告",
        required=True,
        due_on=timezone.localdate() + timedelta(days=7),
        required_for=[world.committee],
        **extra,
    )


def test_required_puts_a_todo_on_everyone_concerned_and_reading_closes_it(world):
    found = _required(world)
    assignees = set(
        Task.objects.filter(source_type=services.REQUIRED_SOURCE).values_list("assignee__employee_no", flat=True)
    )
    assert assignees == {"S0001", "A0001", "A0002", "A0003", "B0001", "B0002"}  # not the union's E0001
    assert services.assign_required(found) == 6  # idempotent: refreshed, not doubled
    assert Task.objects.filter(source_type=services.REQUIRED_SOURCE).count() == 6
    read(world.member_a, found, 40)
    mine = Task.objects.get(assignee=world.member_a, source_type=services.REQUIRED_SOURCE)
    assert mine.done_at is not None
    assert Task.objects.filter(source_type=services.REQUIRED_SOURCE, done_at__isnull=True).count() == 5
    services.assign_required(found)  # a sweep does not give it back to someone who read it
    assert not Task.objects.filter(assignee=world.member_a, done_at__isnull=True).exists()
    rows = queries.required_for(world.member_a)
    assert [(a.pk, bool(done)) for a, done in rows] == [(found.pk, True)]
    assert queries.required_for(world.employee) == []


def test_scheduled_required_article_waits_for_its_time(world):
    found = _required(world, publish_at=timezone.now() + timedelta(days=1))
    assert not Task.objects.exists()
    assert services.assign_required(found, now=timezone.now() + timedelta(days=2)) == 6


def test_completion_per_branch_and_person(world):
    found = _required(world)
    read(world.member_a, found, 40)
    read(world.member_b, found, 40)
    branches, people = queries.completion(found, world.staff)
    by_name = {b.organisation.name: (b.people, b.done, b.percent) for b in branches}
    assert by_name["装调车间党支部"] == (3, 1, 33.3)
    assert by_name["物流和采购党支部"] == (2, 1, 50.0)
    assert sum(1 for p in people if p.done_on) == 2 and len(people) == 6
