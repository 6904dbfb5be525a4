"""Joining, approval by the union committee of the member's unit, the card, moves with the job, leaving, the
roster scoped like the Party's."""

from xml.etree import ElementTree

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from plaza.notify.models import Task
from plaza.orgs import services as org_services
from plaza.orgs.models import Membership
from plaza.testing.factories import PersonFactory, join
from plaza.union import services
from plaza.union.models import Member, MemberMove, MemberStatus

from .helpers import make_union, member


def test_an_employee_applies_and_the_committee_of_their_unit_approves(world):
    u = make_union(world)
    application = services.apply_to_join(u.worker_a, "承认《中国工会章程》")
    assert application.status == MemberStatus.APPLIED and application.organisation == u.group_a
    # the to-do goes to the 主席 of the nearest union organisation above the 工会小组: the 分工会
    assert Task.objects.filter(assignee=u.chair_a, source_type="union-member").exists()
    assert not Task.objects.filter(assignee=u.chair_b).exists()
    with pytest.raises(ValidationError, match="审批中"):
        services.apply_to_join(u.worker_a)
    with pytest.raises(PermissionDenied):
        services.decide_membership(u.chair_b, application, approve=True)
    done = services.decide_membership(u.chair_a, application, approve=True)
    assert done.status == MemberStatus.ACTIVE and done.number == f"GH{done.joined_on.year}W0001"
    assert not Task.objects.filter(source_type="union-member", done_at__isnull=True).exists()
    with pytest.raises(ValidationError, match="已经处理过"):
        services.decide_membership(u.chair_a, application, approve=False, note="x")


def test_a_refusal_needs_a_reason_and_the_person_may_apply_again(world):
    u = make_union(world)
    application = services.apply_to_join(u.worker_b)
    with pytest.raises(ValidationError, match="理由"):
        services.decide_membership(u.chair_b, application, approve=False)
    services.decide_membership(u.chair_b, application, approve=False, note="请补充劳动合同")
    assert services.may_apply(u.worker_b)
    assert services.apply_to_join(u.worker_b).status == MemberStatus.APPLIED


def test_someone_outside_the_union_tree_cannot_apply(world):
    with pytest.raises(ValidationError, match="编入工会组织"):
        services.apply_to_join(world.secretary_b)


def test_membership_moves_with_the_job(world):
    u = make_union(world)
    m = member(u.worker_a, u.chair_a)
    Membership.objects.filter(person=u.worker_a, organisation=u.group_a).update(until=world.union.established_on)
    Membership.objects.filter(person=u.worker_a).delete()
    org_services.assign_membership(world.admin, u.worker_a, u.sub_b, since=m.joined_on)
    m.refresh_from_db()
    assert m.organisation == u.sub_b
    move = MemberMove.objects.get(member=m)
    assert move.from_organisation == u.group_a and move.to_organisation == u.sub_b
    assert services.follow_job_move(u.worker_a) is None  # idempotent


def test_leaving(world):
    u = make_union(world)
    m = member(u.worker_a, u.chair_a)
    with pytest.raises(PermissionDenied):
        services.leave_union(u.chair_b, m, reason="调离")
    with pytest.raises(ValidationError, match="原因"):
        services.leave_union(u.worker_a, m, reason=" ")
    services.leave_union(u.worker_a, m, reason="离职")
    assert Member.objects.get(pk=m.pk).status == MemberStatus.LEFT


def test_pages_card_and_roster_scoped(world, client):
    u = make_union(world)
    client.force_login(u.worker_a)
    page = client.get("/union/").content.decode()
    assert "申请加入工会" in page and "装调车间工会小组的工会委员会审批" in page
    assert client.post("/union/join/", {"statement": "自愿入会"}).status_code == 302
    assert "入会申请审批中" in client.get("/union/").content.decode()
    no_card = client.get("/union/card/", follow=True)  # not a member yet: sent to join, told why
    assert no_card.redirect_chain[-1][0] == "/union/" and "还不是工会会员" in no_card.content.decode()
    client.force_login(u.chair_b)
    assert client.get("/union/office/members/").content.decode().count("周职工") == 0
    application = Member.objects.get(person=u.worker_a)
    assert client.get(f"/union/office/members/{application.pk}/").status_code == 404
    client.force_login(u.chair_a)
    roster = client.get("/union/office/members/?status=applied").content.decode()
    assert "周职工" in roster
    client.post(f"/union/office/members/{application.pk}/", {"action": "approve"})
    application.refresh_from_db()
    assert application.number
    export = client.get("/union/office/members/?export=1")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    client.force_login(u.worker_a)
    card = client.get("/union/card/").content.decode()
    assert application.number in card
    svg = client.get("/union/card/qr.svg")
    # a picture of its own: an SVG document with its namespace, or an <img> shows it broken
    assert svg.status_code == 200 and ElementTree.fromstring(svg.content).tag == "{http://www.w3.org/2000/svg}svg"
    client.force_login(world.member_a)  # not a union officer
    assert client.get("/union/office/").status_code == 403


def test_roster_query_count(world, client, django_assert_max_num_queries):
    u = make_union(world)
    for n in range(8):
        person = PersonFactory(employee_no=f"X{n:04d}")
        join(person, u.group_a)
        member(person, u.chair_a)
    client.force_login(u.chair_a)
    with django_assert_max_num_queries(14):
        assert client.get("/union/office/members/").status_code == 200


def test_party_staff_without_the_union_tree_see_no_union_office(world, client, settings):
    settings.PLAZA_ORG_DEPT_SEES_MASS_TREES = False  # with it, they read (test_read_scope)
    make_union(world)
    client.force_login(world.staff)  # 组织部: every capability, over the Party tree
    assert client.get("/union/office/").status_code == 403
    assert client.get("/union/office/dues/").status_code == 403
    client.force_login(world.admin)
    assert client.get("/union/office/dues/").status_code == 200


def test_the_card_is_on_my_page_once_the_membership_is_approved(world, client):
    """我的 links the electronic card for members (plaza.lib.sections.register_mine); an applicant sees none."""
    u = make_union(world)
    application = services.apply_to_join(u.worker_a, "承认《中国工会章程》")
    client.force_login(u.worker_a)
    page = client.get("/accounts/me/").content.decode()
    assert 'data-testid="mine-union_card"' not in page
    services.decide_membership(u.chair_a, application, approve=True)
    page = client.get("/accounts/me/").content.decode()
    assert 'data-testid="mine-union_card"' in page and "/union/card/" in page
