"""Study plans: items done by reading, downloading or ticking; progress per person and branch; reminders."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from plaza.learning import queries, services
from plaza.learning.models import PlanKind
from plaza.notify.models import Task

from .helpers import article, read


def _plan(world, to):
    today = timezone.localdate()
    return services.save_plan(
        world.staff,
        None,
        {
            "title": "主题教育",
            "kind": PlanKind.THEME,
            "description": "",
            "starts_on": today,
            "ends_on": today + timedelta(days=30),
            "organisations": to,
        },
    )


def test_plan_items_progress_and_reminders(world):
    plan = _plan(world, [world.branch_a])
    today = timezone.localdate()
    text = article(world, "学习材料一")
    doc = services.save_resource(
        world.staff, None, {"title": "学习材料二", "organisations": [], "file": SimpleUploadedFile("b.pdf", b"x")}
    )
    reading = services.add_item(world.staff, plan, {"title": "读材料一", "article": text, "due_on": today})
    services.add_item(world.staff, plan, {"title": "下载材料二", "resource": doc, "due_on": today + timedelta(days=3)})
    meeting = services.add_item(world.staff, plan, {"title": "集中研讨", "due_on": today + timedelta(days=20)})
    with pytest.raises(ValidationError):
        services.add_item(world.staff, plan, {"title": "太晚", "due_on": today + timedelta(days=31)})

    assert services.remind_due_items(today) == 6  # two items due within a week × three people of branch A
    assert not Task.objects.filter(assignee=world.member_b).exists()
    read(world.member_a, text, 40)
    services.download(world.member_a, doc)
    services.tick_item(world.member_a, meeting)
    with pytest.raises(ValidationError):
        services.tick_item(world.member_a, reading)
    with pytest.raises(PermissionDenied):
        services.tick_item(world.member_b, meeting)
    assert not Task.objects.filter(
        assignee=world.member_a, source_type=services.PLAN_SOURCE, done_at__isnull=True
    ).exists()
    assert [s.done_on is not None for s in queries.plan_items_for(plan, world.member_a)] == [True, True, True]
    branches, people, total = queries.plan_progress(plan, world.staff)
    assert total == 3
    assert [(b.organisation.name, b.people, b.done) for b in branches] == [("装调车间党支部", 3, 1)]
    assert {p.employee_no: n for p, _b, n in people} == {"A0001": 0, "A0002": 3, "A0003": 0}
    assert list(queries.plans_for(world.member_b)) == []


def test_only_staff_plan(world):
    with pytest.raises(PermissionDenied):
        _plan(world.__class__(**{**world.__dict__, "staff": world.secretary_a}), [])
