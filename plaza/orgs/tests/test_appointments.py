"""Issue 11, item 2: nobody appoints themselves, nobody grants above their scope or rights, each title only where
it exists, committee-level rights only by the committee's own staff or an administrator — on the page, in the
service, on ending a position and in the Django admin."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from plaza.audit.models import AuditEntry
from plaza.orgs import services
from plaza.orgs.models import Level, Position, Title
from plaza.orgs.permissions import TITLE_LEVELS, Cap, can
from plaza.points.models import Entry
from plaza.testing.factories import PersonFactory, add_org, appoint, join

SINCE = "2025-01-01"


def _appoint_page(client, org, number, title):  # noqa: ANN001, ANN202
    return client.post(f"/orgs/tree/{org.pk}/appoint/", {"employee_no": number, "title": title, "since": SINCE})


def test_branch_secretary_cannot_make_himself_org_dept_staff_nor_award_himself(world, client):
    """The attack as reported: his own number, title=org_dept_staff, then 100,000 points."""
    client.force_login(world.secretary_a)
    response = _appoint_page(client, world.branch_a, "A0001", Title.ORG_DEPT_STAFF)
    assert response.status_code == 200
    body = response.content.decode()
    assert "不设在党支部" in body and "只设在党委" in body
    assert 'value="A0001"' in body  # what he typed is kept
    assert not Position.objects.filter(person=world.secretary_a, title=Title.ORG_DEPT_STAFF).exists()
    assert not can(world.secretary_a, Cap.POINTS)
    award = client.post(
        "/points/office/award/", {"employee_no": "A0001", "kind": "award", "amount": 100000, "reason": "自己奖励自己"}
    )
    assert award.status_code == 403
    assert not Entry.objects.filter(person=world.secretary_a).exists()
    # a title that does exist in a branch, given to himself: refused with the reason, on the form
    response = _appoint_page(client, world.branch_a, "A0001", Title.ORGANISATION_MEMBER)
    assert "不能任免自己的职务" in response.content.decode()
    assert Position.objects.filter(person=world.secretary_a).count() == 1


def test_the_appoint_form_offers_only_the_titles_of_that_kind_of_organisation(world, client):
    client.force_login(world.secretary_a)
    body = client.get(f"/orgs/tree/{world.branch_a.pk}/appoint/").content.decode()
    assert 'value="organisation_member"' in body and 'value="org_dept_staff"' not in body
    assert 'value="union_chair"' not in body


def test_nobody_appoints_themselves_not_even_an_administrator(world):
    for actor, org, title in (
        (world.secretary_a, world.branch_a, Title.ORG_DEPT_STAFF),
        (world.secretary_a, world.branch_a, Title.PROPAGANDA_MEMBER),
        (world.staff, world.committee, Title.SECRETARY),
        (world.admin, world.committee, Title.ORG_DEPT_STAFF),
    ):
        with pytest.raises((PermissionDenied, ValidationError)):
            services.appoint(actor, actor, org, title, since=date(2025, 1, 1))
    assert not AuditEntry.objects.filter(action="orgs.appoint").exists()


def test_each_title_only_where_it_exists(world):
    for org, title in (
        (world.branch_a, Title.ORG_DEPT_STAFF),
        (world.group_a1, Title.SECRETARY),
        (world.branch_a, Title.GROUP_LEADER),
        (world.union, Title.SECRETARY),
        (world.committee, Title.UNION_CHAIR),
        (world.league, Title.UNION_CHAIR),
    ):
        with pytest.raises(ValidationError, match="不设在"):
            services.appoint(world.admin, world.member_a, org, title, since=date(2025, 1, 1))
    assert all(TITLE_LEVELS[title] for title in Title.values)  # every title exists somewhere


def test_a_leading_title_is_granted_from_above_not_by_a_peer(world, client):
    client.force_login(world.secretary_a)
    response = _appoint_page(client, world.branch_a, "A0002", Title.SECRETARY)
    assert "由上级组织任免" in response.content.decode()
    assert not Position.objects.filter(person=world.member_a, title=Title.SECRETARY).exists()
    # the committee's staff, above the branch, may
    services.appoint(world.staff, world.member_a, world.branch_a, Title.DEPUTY_SECRETARY, since=date(2025, 1, 1))
    entry = AuditEntry.objects.get(action="orgs.appoint")
    assert entry.actor == world.staff and entry.after["title"] == Title.DEPUTY_SECRETARY


def test_committee_level_rights_need_the_committees_own_staff_or_an_administrator(world):
    party_secretary = PersonFactory(employee_no="C0001", name="党委书记")
    join(party_secretary, world.committee)
    appoint(party_secretary, world.committee, Title.SECRETARY)
    # the 党委书记 may appoint positions everywhere below, but not committee-level rights
    with pytest.raises(PermissionDenied, match="党委层级"):
        services.appoint(party_secretary, world.member_a, world.committee, Title.ORG_DEPT_STAFF, since=date(2025, 1, 1))
    with pytest.raises(PermissionDenied, match="党委层级"):
        services.appoint(
            party_secretary, world.member_a, world.committee, Title.COMMITTEE_MEMBER, since=date(2025, 1, 1)
        )
    services.appoint(party_secretary, world.member_a, world.branch_a, Title.DEPUTY_SECRETARY, since=date(2025, 1, 1))
    # the committee's own 组织部 staff and an administrator may
    services.appoint(world.staff, world.member_b, world.committee, Title.ORG_DEPT_STAFF, since=date(2025, 1, 1))
    services.appoint(world.admin, world.secretary_b, world.committee, Title.COMMITTEE_MEMBER, since=date(2025, 1, 1))
    # a subsidiary committee's staff rule their committee, not the one above
    sub = add_org(world.committee, "子公司党委", "P0900", Level.COMMITTEE)
    sub_staff = PersonFactory(employee_no="D0001", name="子公司组织部")
    join(sub_staff, sub)
    appoint(sub_staff, sub, Title.ORG_DEPT_STAFF)
    services.appoint(sub_staff, world.employee, sub, Title.COMMITTEE_MEMBER, since=date(2025, 1, 1))
    with pytest.raises(PermissionDenied):
        services.appoint(sub_staff, world.employee, world.committee, Title.ORG_DEPT_STAFF, since=date(2025, 1, 1))


def test_no_right_beyond_ones_own(world):
    """A deputy secretary of a general branch may appoint below it, but not give what he does not hold."""
    deputy = PersonFactory(employee_no="G0001", name="总支副书记")
    join(deputy, world.general_branch)
    appoint(deputy, world.general_branch, Title.DEPUTY_SECRETARY)  # no full personal data (VIEW_PERSONAL)
    with pytest.raises(PermissionDenied, match="超出了您"):
        services.appoint(deputy, world.member_a, world.branch_a, Title.SECRETARY, since=date(2025, 1, 1))
    services.appoint(deputy, world.member_a, world.branch_a, Title.PROPAGANDA_MEMBER, since=date(2025, 1, 1))


def test_ending_a_position_needs_the_same_authority(world, client):
    staff_post = Position.objects.get(person=world.staff)
    own_post = Position.objects.get(person=world.secretary_a)
    client.force_login(world.secretary_a)
    assert client.post(f"/orgs/positions/{staff_post.pk}/end/").status_code == 404  # outside his scope
    response = client.post(f"/orgs/positions/{own_post.pk}/end/", {"reason": "x"}, follow=True)
    assert "不能任免自己的职务" in response.content.decode()
    own_post.refresh_from_db()
    assert own_post.until is None
    member_post = services.appoint(
        world.staff, world.member_a, world.branch_a, Title.DEPUTY_SECRETARY, since=date(2025, 1, 1)
    )
    response = client.post(f"/orgs/positions/{member_post.pk}/end/", {"reason": "x"}, follow=True)
    assert "由上级组织任免" in response.content.decode()  # a peer cannot remove a co-leader
    member_post.refresh_from_db()
    assert member_post.until is None
    with pytest.raises(PermissionDenied):
        services.end_position(world.secretary_a, staff_post, on=date(2025, 6, 1))


def test_an_old_position_where_its_title_does_not_exist_can_still_be_ended(world):
    odd = Position.objects.create(
        person=world.member_a, organisation=world.branch_a, title=Title.ORG_DEPT_STAFF, since=date(2020, 1, 1)
    )
    services.end_position(world.staff, odd, on=date(2025, 6, 1), reason="数据更正")
    odd.refresh_from_db()
    assert odd.until == date(2025, 6, 1)


def test_the_django_admin_cannot_change_positions_or_memberships(world, client):
    client.force_login(world.admin)
    position = Position.objects.get(person=world.secretary_a)
    assert client.get("/admin/orgs/position/add/").status_code == 403
    assert client.get("/admin/orgs/membership/add/").status_code == 403
    change = client.post(f"/admin/orgs/position/{position.pk}/change/", {"title": Title.ORG_DEPT_STAFF})
    assert change.status_code in (302, 403) or "org_dept_staff" not in change.content.decode()
    position.refresh_from_db()
    assert position.title == Title.SECRETARY
    assert client.get("/admin/accounts/statuschange/add/").status_code == 403


def test_a_staff_account_in_the_admin_cannot_make_itself_superuser(world, client):
    from django.contrib.auth.models import Permission

    world.staff.user_permissions.add(*Permission.objects.filter(codename__in=["change_person", "view_person"]))
    client.force_login(world.staff)
    page = client.get(f"/admin/accounts/person/{world.staff.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="is_superuser"' not in body and 'name="user_permissions"' not in body
    client.force_login(world.admin)
    own = client.get(f"/admin/accounts/person/{world.admin.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in own  # not even an administrator changes their own rights here
    other = client.get(f"/admin/accounts/person/{world.staff.pk}/change/").content.decode()
    assert 'name="is_superuser"' in other


def test_the_tree_offers_removal_only_where_it_would_work(world, client):
    own = Position.objects.get(person=world.secretary_a)
    helper = services.appoint(
        world.secretary_a, world.member_a, world.branch_a, Title.ORGANISATION_MEMBER, since=date(2025, 1, 1)
    )
    client.force_login(world.secretary_a)
    body = client.get(f"/orgs/tree/{world.branch_a.pk}/").content.decode()
    assert f"/orgs/positions/{helper.pk}/end/" in body and f"/orgs/positions/{own.pk}/end/" not in body
    client.force_login(world.staff)
    body = client.get(f"/orgs/tree/{world.branch_a.pk}/").content.decode()
    assert f"/orgs/positions/{own.pk}/end/" in body


def test_a_staff_account_with_model_permissions_cannot_move_the_tree_in_the_admin(world, client):
    from django.contrib.auth.models import Permission

    world.staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="orgs"))
    client.force_login(world.staff)
    assert client.get("/admin/orgs/organisation/add/").status_code == 403
    response = client.post(
        f"/admin/orgs/organisation/{world.committee.pk}/change/",
        {
            "name": "改名",
            "code": "P0001",
            "level": "committee",
            "_ref_node_id": world.branch_a.pk,
            "_position": "first-child",
        },
    )
    assert response.status_code == 403
    world.committee.refresh_from_db()
    assert world.committee.name == "上汽通用汽车党委" and world.committee.depth == 1
    client.force_login(world.admin)
    assert client.get("/admin/orgs/organisation/").status_code == 200
    assert client.get(f"/admin/orgs/organisation/{world.committee.pk}/change/").status_code == 200
