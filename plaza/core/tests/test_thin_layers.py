"""Services link to pages with reverse(), and a query never answers HTTP (issue 13, thin views)."""

from __future__ import annotations

import ast
import pathlib
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

PLAZA = pathlib.Path(__file__).resolve().parents[2]
#: the modules below the views: they write and read, and must not know page addresses or HTTP
LOWER = ("services.py", "sweep.py", "tasks.py", "queries.py")
PAGE = re.compile(
    r"^/(recruitment|meetings|booking|elections|evaluation|learning|dues|transfers|points|orgs|notify|office|"
    r"handbook|localrules|assistant|accounts|audit)/"
)


def _lower_modules() -> list[pathlib.Path]:
    return [p for p in PLAZA.rglob("*.py") if p.name in LOWER and "tests" not in p.parts]


def _literal_starts(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        return str(node.values[0].value)
    return None


def test_services_sweeps_tasks_and_queries_link_to_pages_by_name():
    modules = _lower_modules()
    assert len(modules) > 30
    hard_coded = []
    for path in modules:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            text = _literal_starts(node)
            if text and PAGE.match(text):
                hard_coded.append(f"{path.relative_to(PLAZA.parent)}:{node.lineno} {text}")
    assert hard_coded == [], "use django.urls.reverse with the page's name"


def test_no_query_or_service_raises_http404():
    offenders = [
        str(path.relative_to(PLAZA.parent))
        for path in _lower_modules()
        if re.search(r"\bHttp404\b|get_object_or_404", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.django_db
def test_meeting_for_returns_none_to_a_stranger_and_the_page_and_api_say_404(world, client):
    from plaza.meetings import queries, services
    from plaza.meetings.models import Kind

    starts_at = timezone.now() + timedelta(days=2)
    meeting = services.plan_meeting(
        world.secretary_a,
        world.branch_a,
        kind=Kind.THEME_DAY,
        topic="学习",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        place="会议室",
    )
    assert queries.meeting_for(world.secretary_a, meeting.pk) == (meeting, True)
    assert queries.meeting_for(world.member_b, meeting.pk) is None
    assert queries.meeting_for(world.member_b, meeting.pk + 999) is None
    client.force_login(world.member_b)
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404


@pytest.mark.django_db
def test_a_recruitment_to_do_links_to_the_file_by_its_page_name(world):
    from plaza.notify.models import Task
    from plaza.recruitment import services
    from plaza.testing.factories import PersonFactory, join

    person = PersonFactory(employee_no="A0099", name="申请人")
    join(person, world.branch_a)
    applied_on = timezone.localdate() - timedelta(days=3)
    pipeline = services.open_pipeline(world.secretary_a, person, world.branch_a, applied_on=applied_on)
    urls = set(Task.objects.filter(source_type="recruitment").values_list("url", flat=True))
    assert urls == {reverse("recruitment:detail", args=[pipeline.pk])}
