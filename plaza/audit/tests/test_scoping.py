"""Issue 11, item 3: the audit log is scoped like everything else. A subsidiary 党委's 组织部 reads the entries about
its own people, organisations and objects (and what its people did), not the rest of the enterprise — above
all not who looked at other branches' ID numbers. The enterprise 组织部 reads the enterprise; administrators all."""

from datetime import date

import pytest

from plaza.audit.models import AuditEntry
from plaza.audit.services import record
from plaza.audit.visibility import links_of, visible_entries
from plaza.orgs import services as org_services
from plaza.orgs.models import Level, Membership, Position, Title
from plaza.points import services as points
from plaza.points.models import Entry
from plaza.recruitment.models import Pipeline, StepRecord
from plaza.testing.factories import PersonFactory, add_org, appoint, join


@pytest.fixture
def subsidiary(world):  # noqa: ANN001, ANN201
    """子公司党委 under the enterprise 党委, with its own 组织部 staff, a branch, its secretary and a member."""
    committee = add_org(world.committee, "子公司党委", "P0900", Level.COMMITTEE)
    branch = add_org(committee, "子公司一支部", "P0901", Level.BRANCH)
    staff = PersonFactory(employee_no="D0001", name="子公司组织部小周")
    secretary = PersonFactory(employee_no="D0002", name="子公司书记老吴", political_status="full_member")
    member = PersonFactory(employee_no="D0003", name="子公司党员小郑", political_status="full_member")
    join(staff, committee)
    join(secretary, branch)
    join(member, branch)
    appoint(staff, committee, Title.ORG_DEPT_STAFF)
    appoint(secretary, branch, Title.SECRETARY)
    return committee, branch, staff, secretary, member


def _page(client, viewer):  # noqa: ANN001, ANN202
    client.force_login(viewer)
    response = client.get("/office/audit/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_subsidiary_reads_its_own_entries_only(world, subsidiary, client):
    committee, branch, sub_staff, sub_secretary, sub_member = subsidiary
    # the enterprise side: full ID numbers of branch A's member viewed, a recruitment step, points awarded
    org_services.reveal_personal_data(world.secretary_a, world.member_a, purpose="政审（甲支部）")
    pipeline = Pipeline.objects.create(person=world.activist_a, branch=world.branch_a)
    record(world.secretary_a, "recruitment.step", pipeline, after={"step": 1}, reason="甲支部的发展步骤")
    points.award(world.staff, world.member_b, 50, "乙支部的奖励")
    # the subsidiary's side
    org_services.reveal_personal_data(sub_secretary, sub_member, purpose="政审（子公司）")
    org_services.appoint(sub_staff, sub_member, branch, Title.PROPAGANDA_MEMBER, since=date(2025, 1, 1))
    points.award(world.staff, sub_member, 30, "子公司党员的奖励")  # done by the enterprise, about their member

    body = _page(client, sub_staff)
    for theirs in ("政审（子公司）", "orgs.appoint", "子公司党员的奖励"):
        assert theirs in body, theirs
    for others in ("政审（甲支部）", "甲支部的发展步骤", "乙支部的奖励", "张建国"):
        assert others not in body, others
    # the same through the query, and filters cannot widen it
    seen = visible_entries(sub_staff)
    assert not seen.filter(action="people.reveal", object_id=str(world.member_a.pk)).exists()
    client.force_login(sub_staff)
    assert "政审（甲支部）" not in client.get("/office/audit/", {"action": "people.reveal"}).content.decode()

    body = _page(client, world.staff)  # the enterprise 组织部: the whole enterprise
    for entry in ("政审（甲支部）", "甲支部的发展步骤", "乙支部的奖励", "政审（子公司）", "子公司党员的奖励"):
        assert entry in body, entry
    assert visible_entries(world.admin).count() == AuditEntry.objects.count()


def test_no_audit_right_no_entries(world, client):
    org_services.reveal_personal_data(world.secretary_a, world.member_a, purpose="政审")
    client.force_login(world.secretary_a)
    assert client.get("/office/audit/").status_code == 403
    assert not visible_entries(world.secretary_a).exists()


def test_every_kind_of_object_is_placed_in_the_tree():
    """How entries about common objects are placed: through an organisation where the object has one, else the
    person it belongs to (not whoever touched it last)."""
    assert links_of(Position) == (("organisation__path", "org"),)
    assert links_of(Membership) == (("organisation__path", "org"),)
    assert links_of(Entry) == (("person", "person"),)
    assert ("branch__path", "org") in links_of(Pipeline)
    assert ("pipeline__branch__path", "org") in links_of(StepRecord)
