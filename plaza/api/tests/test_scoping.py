"""Crossing a boundary by id, on every page and every API endpoint that takes an id.

The tests enumerate the URL configuration and the OpenAPI schema, so an endpoint added later is
covered automatically; one whose id parameter is not in ``foreign_ids`` (or its app's side in
``scoping_apps``) fails loudly until it is. The older apps' objects belong to branch B and are tried by branch A's
secretary; each newer app's objects sit across its own boundary (another branch, another sub-union, another
dealer, another League branch) and are tried by that app's outsiders. The world is built once for the module;
every request runs in a savepoint rolled back after it, so a write that leaked cannot change what the next sees.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from plaza.accounts.models import Person
from plaza.api.api import api
from plaza.audit.models import AuditEntry
from plaza.testing.fixtures import World, build_world

from . import scoping_apps
from .scoping_apps import MARK, AppSide

#: Pages the design opens to everyone signed in, whoever's object it is: a GET may answer 200 there (a write
#: still may not). Each with the reason.
PUBLIC_READS = {
    "studios/<int:studio_id>/": "工匠工作室 are the enterprise's showcase, open to every employee",
    "studios/evidence/<int:achievement_id>/": "a studio's achievements are shown on its open page",
    "studios/crafts/<int:craft_id>/": "绝活 are published for everyone to learn",
    "studios/pictures/<int:picture_id>/": "a 绝活's pictures are part of the published 绝活",
    "studios/honours/person/<int:person_id>/": "the honours registry is the enterprise's open 荣誉榜",
    "studios/honours/organisation/<int:organisation_id>/": "the honours registry is the enterprise's open 荣誉榜",
    "ambassadors/products/<int:product_id>/": "an active product is what every ambassador shares",
    "ambassadors/products/<int:product_id>/poster.png": "an active product's poster is what every ambassador shares",
    "ambassadors/s/<str:code>/": "a share link is opened by customers without an account",
    "vanguard/posts/<int:post_id>/": "党员先锋岗 and 责任区 show their commitments publicly (issue 19)",
    "activities/partners/<int:partner_id>/": "the 共建单位 registry is shared by every organiser (phones masked); "
    "only the keeping organisation writes to it",
}
#: Answers other than 403/404/405 the design gives to an id that is not the viewer's, without the data.
BY_DESIGN = {
    ("quiz/mistakes/<int:mistake_id>/", "post"): (302, "an answer to a mistake gone from one's own book goes back"),
}


def _page_patterns(resolvers=None, prefix=""):  # noqa: ANN001, ANN202
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith(("admin/", "api/")):
                continue
            yield from _page_patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and re.search(r"<(int|str):", str(entry.pattern)):
            route = prefix + str(entry.pattern)
            if "<int:" in route or route.startswith(tuple(_APPS)):  # the older apps' str routes are not ids
                yield route


def foreign_ids(world) -> dict[str, int]:  # noqa: ANN001
    """For each id parameter, an object of branch B that branch A's secretary must never reach."""
    from plaza.accounts.models import ApiToken
    from plaza.api.auth import issue_token
    from plaza.notify.models import Notification, Task
    from plaza.orgs.models import Position
    from plaza.recruitment.models import Pipeline

    note = Notification.objects.create(recipient=world.member_b, title="仅李红梅可见")
    from plaza.recruitment.models import StepRecord, ThoughtReport

    pipeline = Pipeline.objects.create(person=world.member_b, branch=world.branch_b)
    report = ThoughtReport.objects.create(
        pipeline=pipeline, submitted_on=pipeline.created_at.date(), title="李红梅", content="李红梅的思想汇报"
    )
    task = Task.objects.create(assignee=world.member_b, title="李红梅的待办")
    from plaza.transfers.models import Kind, State, Transfer

    transfer = Transfer.objects.create(
        person=world.member_b,
        kind=Kind.OUTGOING,
        state=State.ISSUED,
        from_org=world.branch_b,
        outside_org="李红梅的接收党组织",
        reason="李红梅",
        started_by=world.secretary_b,
        started_on=pipeline.created_at.date(),
        letter_no="2025-999999",
        letter_issued_on=pipeline.created_at.date(),
        letter_valid_until=pipeline.created_at.date(),
    )
    from datetime import timedelta

    from plaza.meetings.models import Attachment, Meeting, Minutes

    meeting = Meeting.objects.create(
        organisation=world.branch_b,
        kind="theme_day",
        topic="物流支部主题党日",
        starts_at=task.created_at,
        ends_at=task.created_at + timedelta(hours=1),
        planned_by=world.secretary_b,
    )
    minutes = Minutes.objects.create(
        meeting=meeting, topics="李红梅", content="物流支部的会议记录", written_by=world.secretary_b
    )
    attachment = Attachment.objects.create(minutes=minutes, file="meetings/x.jpg", uploaded_by=world.secretary_b)
    from plaza.evaluation.models import Campaign, FollowUp, Material

    campaign = Campaign.objects.create(
        organisation=world.branch_b,
        year=2025,
        title="李红梅所在支部的民主评议",
        starts_on=pipeline.created_at.date(),
        ends_on=pipeline.created_at.date(),
        materials="李红梅",
        created_by=world.secretary_b,
    )
    material = Material.objects.create(campaign=campaign, file="evaluation/x.pdf", uploaded_by=world.secretary_b)
    follow_up = FollowUp.objects.create(campaign=campaign, person=world.member_b, opened_on=campaign.starts_on)
    from plaza.elections.models import Candidate, Election

    election = Election.objects.create(
        organisation=world.branch_b, seats=1, planned_on=task.created_at.date(), created_by=world.secretary_b
    )
    candidate = Candidate.objects.create(election=election, person=world.secretary_b, nominated_by=world.secretary_b)
    from plaza.points.models import Item, Order

    item = Item.objects.create(name="李红梅所在支部的积分商品", price=1, stock=1)
    item.organisations.set([world.branch_b])
    order = Order.objects.create(item=item, person=world.member_b, points=1, pickup_code="LIHONGMEI")
    from plaza.booking.models import Booking as BookingRow
    from plaza.booking.models import Service as BookingService
    from plaza.booking.models import Slot as BookingSlot

    booking_service = BookingService.objects.create(
        organisation=world.branch_b, name="李红梅支部的预约事项", place="物流支部", created_by=world.secretary_b
    )
    booking_slot = BookingSlot.objects.create(
        service=booking_service,
        starts_at=task.created_at,
        ends_at=task.created_at + timedelta(minutes=30),
        capacity=1,
        booked=1,
    )
    booking = BookingRow.objects.create(
        slot=booking_slot, service=booking_service, person=world.member_b, code="LIHONGMEI"
    )
    from plaza.assistant.models import Document as AssistantDocument
    from plaza.assistant.models import Example as AssistantExample
    from plaza.assistant.models import Question as AssistantQuestion

    assistant_question = AssistantQuestion.objects.create(
        person=world.member_b, text="李红梅的提问", answer="李红梅", status="handed_off"
    )
    assistant_document = AssistantDocument.objects.create(title="李红梅支部的未启用文件", kind="txt", published=False)
    assistant_example = AssistantExample.objects.create(
        title="党内法规摘要", heading="一、党费", text="李红梅问党费", source="curated"
    )
    from plaza.learning.models import Article as LearningArticle
    from plaza.learning.models import ArticleFile, Plan, PlanItem, Resource

    article = LearningArticle.objects.create(title="李红梅所在支部的学习文章", body="李红梅", created_by=world.staff)
    article.organisations.set([world.branch_b])
    article_file = ArticleFile.objects.create(article=article, file="learning/files/x.pdf", name="李红梅.pdf")
    resource = Resource.objects.create(
        title="李红梅所在支部的资料", file="learning/resources/x.pdf", created_by=world.staff
    )
    resource.organisations.set([world.branch_b])
    plan = Plan.objects.create(
        title="李红梅所在支部的学习计划",
        starts_on=pipeline.created_at.date(),
        ends_on=pipeline.created_at.date(),
        created_by=world.staff,
    )
    plan.organisations.set([world.branch_b])
    plan_item = PlanItem.objects.create(plan=plan, title="李红梅", due_on=plan.ends_on)
    issue_token(world.member_b, "李红梅的令牌")
    return {
        "article_id": article.pk,
        "file_id": article_file.pk,
        "resource_id": resource.pk,
        "plan_id": plan.pk,
        "plan_item_id": plan_item.pk,
        "item_id": item.pk,
        "order_id": order.pk,
        "election_id": election.pk,
        "service_id": booking_service.pk,
        "booking_id": booking.pk,
        "question_id": assistant_question.pk,
        "document_id": assistant_document.pk,
        "example_id": assistant_example.pk,
        "candidate_id": candidate.pk,
        "meeting_id": meeting.pk,
        "attachment_id": attachment.pk,
        "campaign_id": campaign.pk,
        "material_id": material.pk,
        "follow_up_id": follow_up.pk,
        "org_id": world.branch_b.pk,
        "branch_id": world.branch_b.pk,
        "person_id": world.member_b.pk,
        "notification_id": note.pk,
        "position_id": Position.objects.get(person=world.secretary_b).pk,
        "token_id": ApiToken.objects.get(person=world.member_b).pk,
        "task_id": task.pk,
        "pipeline_id": pipeline.pk,
        "transfer_id": transfer.pk,
        "step": 2,
        "report_id": report.pk,
        "record_id": StepRecord.objects.create(
            pipeline=pipeline,
            step=1,
            done_on=pipeline.created_at.date(),
            recorded_by=world.secretary_b,
            document="x.pdf",
        ).pk,
    }


@dataclass
class Scene:
    world: World
    older: dict[str, int]
    apps: dict[str, AppSide]

    def side(self, route: str) -> tuple[dict[str, Any], list[Person]]:
        """The ids a route (``quiz/live/<int:pk>/`` or ``quiz/live/{contest_id}/state``) is filled with, and who
        tries it."""
        for prefix, side in self.apps.items():
            if route.startswith(prefix):
                ids = dict(side.ids)
                for narrower, extra in side.narrower.items():
                    if route.startswith(narrower):
                        ids.update(extra)
                return ids, side.outsiders
        return self.older, [self.world.secretary_a]


_APPS = (
    "quiz/",
    "voice/",
    "space/",
    "activities/",
    "ambassadors/",
    "union/",
    "league/",
    "retreats/",
    "vanguard/",
    "studios/",
)


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker) -> Iterator[Scene]:  # noqa: ANN001
    """Both sides of every boundary, built once for the module and rolled back at its end."""
    quiet = logging.getLogger("django.request")
    level, quiet.level = quiet.level, logging.CRITICAL  # hundreds of expected 403/404 lines otherwise
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world()
            apps = scoping_apps.build(world)
            assert tuple(apps) == _APPS
            yield Scene(world, foreign_ids(world), apps)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            quiet.level = level


def _fill(route: str, ids: dict[str, Any], pattern: str) -> str:
    def sub(match: re.Match) -> str:
        name = match.group(1)
        assert name in ids, f"add an object across the boundary for the id parameter {name!r} of {route}"
        return str(ids[name])

    return re.sub(pattern, sub, route)


def _ask(client: Client, method: str, url: str, body: dict | None = None):  # noqa: ANN202
    """One request in a savepoint rolled back after it: a write that got through changes nothing for the next."""
    with transaction.atomic():
        before = AuditEntry.objects.count()
        if method == "get":
            response = client.get(url)
        elif body is None:
            response = getattr(client, method)(url)
        else:
            response = getattr(client, method)(url, body, content_type="application/json")
        response.wrote = AuditEntry.objects.count() != before  # every write is audited
        transaction.set_rollback(True)
    return response


def _clients(people: list[Person]) -> dict[int, Client]:
    clients = {}
    for person in people:
        clients[person.pk] = Client()
        clients[person.pk].force_login(person)
    return clients


@pytest.mark.django_db
def test_pages_taking_an_id_refuse_across_the_boundary(scene):  # noqa: ANN001
    routes = list(_page_patterns())
    assert routes, "no page takes an id?"
    assert {route.split("/", 1)[0] + "/" for route in routes} >= set(_APPS), "a new app's pages are not walked"
    clients: dict[int, Client] = {}
    problems, checked = [], 0
    for route in routes:
        ids, outsiders = scene.side(route)
        # The older apps' str parameters are not ids (a local rule's key): only their ints are filled.
        url = "/" + _fill(route, ids, r"<(?:int|str):(\w+)>" if route.startswith(_APPS) else r"<int:(\w+)>")
        for person in outsiders:
            client = clients.get(person.pk) or clients.setdefault(person.pk, _clients([person])[person.pk])
            for method in ("get", "post"):
                response = _ask(client, method, url)
                checked += 1
                allowed = (403, 404, 405) + ((200,) if route in PUBLIC_READS else ())
                if (route, method) in BY_DESIGN:
                    allowed += (BY_DESIGN[route, method][0],)
                if response.status_code not in allowed or response.wrote:
                    problems.append(
                        f"{person.name}: {method.upper()} {url} answered {response.status_code}"
                        + (" and wrote to the audit log" if response.wrote else "")
                    )
                elif route not in PUBLIC_READS and MARK in response.content.decode(errors="replace"):
                    problems.append(f"{person.name}: {method.upper()} {url} shows {MARK}")
    assert not problems, "\n".join(problems)
    assert checked > 400


#: Routes that answer 404 to the far side too in the walk's world, each for a reason of its state.
FAR_SIDE_404 = {
    "quiz/contests/<int:pk>/certificate.pdf": "a certificate exists only after a passing attempt",
    "voice/public/<int:item_id>/": "the walk's item is not public (which is what the outsiders must not read)",
    "activities/<int:activity_id>/check-in/": "checking in needs the QR code's token",
    "retreats/signup/<int:signup_id>/leave-note.pdf": "a leave note is only for a place won in the allocation",
}


@pytest.mark.django_db
def test_the_far_side_reaches_every_id_the_walk_tries(scene):  # noqa: ANN001
    """The walk's 404s mean something only if its ids are real: between them, the people on the far side get
    something other than 404 (a page, a redirect, a 405 for a form's POST-only action) on every route."""
    clients: dict[int, Client] = {}
    missed = []
    for route in _page_patterns():
        prefix = next((p for p in _APPS if route.startswith(p)), None)
        if prefix is None or route in FAR_SIDE_404:
            continue
        ids, _outsiders = scene.side(route)
        url = "/" + _fill(route, ids, r"<(?:int|str):(\w+)>")
        reached = False
        for person in scene.apps[prefix].insiders:
            client = clients.get(person.pk) or clients.setdefault(person.pk, _clients([person])[person.pk])
            if _ask(client, "get", url).status_code != 404:
                reached = True
                break
        if not reached:
            missed.append(url)
    schema = api.get_openapi_schema()
    for route, operations in schema["paths"].items():
        prefix = next((p for p in _APPS if route.removeprefix("/api/v1/").startswith(p)), None)
        if prefix is None or "{" not in route:
            continue
        url = _fill(route, scene.side(route.removeprefix("/api/v1/"))[0], r"\{(\w+)\}")
        for method, operation in operations.items():
            body = _body(schema, operation)
            for person in scene.apps[prefix].insiders:
                client = clients.get(person.pk) or clients.setdefault(person.pk, _clients([person])[person.pk])
                if _ask(client, method, url, body).status_code != 404:
                    break
            else:
                missed.append(f"{method.upper()} {url}")
    assert not missed, "the far side gets 404 too (a wrong id?):\n" + "\n".join(missed)


def _example(schema: dict, node: dict) -> Any:  # noqa: ANN401
    """A minimal value the schema accepts: the answer is then about the id, not about the body."""
    ref = node.get("$ref", "")
    if ref:
        node = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in node:
            return _example(schema, node[key][0])
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type")
    if kind == "object":
        required = node.get("required", [])
        return {name: _example(schema, value) for name, value in node.get("properties", {}).items() if name in required}
    if kind == "array":
        return [_example(schema, node.get("items", {}))] if node.get("minItems") else []
    if kind == "integer":
        return max(1, node.get("minimum", 1))
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    return {"date-time": "2026-03-03T10:00:00+08:00", "date": "2026-03-03"}.get(node.get("format", ""), "越权查看测试")


def _body(schema: dict, operation: dict) -> dict | None:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    return _example(schema, content["schema"]) if content else None


@pytest.mark.django_db
def test_api_endpoints_taking_an_id_refuse_across_the_boundary(scene):  # noqa: ANN001
    schema = api.get_openapi_schema()
    clients: dict[int, Client] = {}
    problems, checked, apps = [], 0, set()
    for route, operations in schema["paths"].items():
        if "{" not in route:
            continue
        ids, outsiders = scene.side(route.removeprefix("/api/v1/"))
        url = _fill(route, ids, r"\{(\w+)\}")
        apps.add(route.removeprefix("/api/v1/").split("/", 1)[0] + "/")
        for method, operation in operations.items():
            body = _body(schema, operation)
            for person in outsiders:
                client = clients.get(person.pk) or clients.setdefault(person.pk, _clients([person])[person.pk])
                response = _ask(client, method, url, body)
                checked += 1
                if response.status_code not in (403, 404) or response.wrote:
                    problems.append(
                        f"{person.name}: {method.upper()} {url} {body} answered {response.status_code}"
                        + (" and wrote to the audit log" if response.wrote else "")
                    )
                elif MARK in response.content.decode(errors="replace"):
                    problems.append(f"{person.name}: {method.upper()} {url} shows {MARK}")
    assert not problems, "\n".join(problems)
    assert apps >= {"quiz/", "voice/", "space/", "activities/", "ambassadors/", "vanguard/", "studios/", "retreats/"}
    assert checked >= 40


@pytest.mark.django_db
def test_list_endpoints_never_leak_other_branch(scene, client):  # noqa: ANN001
    client.force_login(scene.world.secretary_a)
    for url in (
        "/api/v1/people",
        "/api/v1/organisations",
        "/api/v1/people?q=李",
        "/orgs/people/?q=李",
        "/orgs/tree/",
        "/orgs/stats/",
    ):
        body = client.get(url).content.decode()
        assert "李红梅" not in body and "B0002" not in body and "物流和采购" not in body, url
