"""Crossing branches by id, on every page and every API endpoint that takes an id.

The tests enumerate the URL configuration and the OpenAPI schema, so an endpoint added later is
covered automatically; one whose id parameter is not in ``foreign_ids`` fails loudly until it is.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from plaza.api.api import api


def _page_patterns(resolvers=None, prefix=""):  # noqa: ANN001, ANN202
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith(("admin/", "api/")):
                continue
            yield from _page_patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and "<int:" in str(entry.pattern):
            yield prefix + str(entry.pattern)


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
    from plaza.assistant.models import Question as AssistantQuestion

    assistant_question = AssistantQuestion.objects.create(
        person=world.member_b, text="李红梅的提问", answer="李红梅", status="handed_off"
    )
    assistant_document = AssistantDocument.objects.create(title="李红梅支部的未启用文件", kind="txt", published=False)
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


def _fill(route: str, ids: dict[str, int], pattern: str) -> str:
    def sub(match: re.Match) -> str:
        name = match.group(1)
        assert name in ids, f"add a branch-B object for the id parameter {name!r} to foreign_ids()"
        return str(ids[name])

    return re.sub(pattern, sub, route)


@pytest.mark.django_db
def test_pages_taking_an_id_refuse_other_branch(world, client):
    ids = foreign_ids(world)
    client.force_login(world.secretary_a)
    routes = list(_page_patterns())
    assert routes, "no page takes an id?"
    for route in routes:
        url = "/" + _fill(route, ids, r"<int:(\w+)>")
        for method in (client.get, client.post):
            response = method(url)
            verb = method.__name__.upper()
            assert response.status_code in (403, 404, 405), f"{verb} {url} answered {response.status_code}"
            assert "李红梅" not in response.content.decode()


def _documented_fields(schema: dict, operation: dict, candidates: dict) -> dict:
    """The candidate fields that the operation's request body documents (bodies refuse undocumented fields)."""
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    body_schema = content.get("schema", {})
    ref = body_schema.get("$ref", "")
    if ref:
        body_schema = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    properties = body_schema.get("properties", {})
    return {name: value for name, value in candidates.items() if name in properties}


@pytest.mark.django_db
def test_api_endpoints_taking_an_id_refuse_other_branch(world, client):
    ids = foreign_ids(world)
    client.force_login(world.secretary_a)
    schema = api.get_openapi_schema()
    checked = 0
    for route, operations in schema["paths"].items():
        if "{" not in route:
            continue
        url = _fill(route, ids, r"\{(\w+)\}")
        for method, operation in operations.items():
            # A body the endpoint's own schema accepts, so the answer is about the id, not the body.
            body = _documented_fields(
                schema, operation, {"purpose": "越权查看测试", "ids": [ids.get("notification_id", 1)]}
            )
            response = (
                getattr(client, method)(url, body, content_type="application/json")
                if method != "get"
                else client.get(url)
            )
            assert response.status_code in (403, 404), f"{method.upper()} {url} answered {response.status_code}"
            assert "李红梅" not in response.content.decode()
            checked += 1
    assert checked >= 3


@pytest.mark.django_db
def test_list_endpoints_never_leak_other_branch(world, client):
    client.force_login(world.secretary_a)
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
