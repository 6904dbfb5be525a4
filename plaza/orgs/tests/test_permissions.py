from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from plaza.lib import clock
from plaza.orgs import queries
from plaza.orgs.models import Level, Membership, Position, Title
from plaza.orgs.permissions import Cap, Scope, _minimal, can, holders
from plaza.testing.factories import PersonFactory, add_org, appoint


def test_minimal_drops_paths_inside_others():
    assert _minimal(["0001", "00010001", "0002", "000100010001"]) == ("0001", "0002")


def test_secretary_sees_only_own_branch(world):
    seen = set(queries.visible_people(world.secretary_a).values_list("employee_no", flat=True))
    assert seen == {"A0001", "A0002", "A0003"}


def test_staff_sees_whole_party_tree_but_not_union_only_people(world):
    seen = set(queries.visible_people(world.staff).values_list("employee_no", flat=True))
    assert {"A0001", "A0002", "B0001", "B0002", "S0001"} <= seen
    assert "E0001" not in seen  # 赵群众 is only in the union


def test_superuser_sees_everyone(world):
    assert queries.visible_people(world.admin).count() == 8


def test_plain_member_has_no_capabilities(world):
    for cap in Cap:
        assert not can(world.member_a, cap)
    assert queries.visible_people(world.member_a).count() == 0


def test_secretary_cannot_reach_other_branch(world):
    scope = Scope.of(world.secretary_a, Cap.CHANGE_PEOPLE)
    assert scope.covers(world.branch_a)
    assert scope.covers(world.group_a1)
    assert not scope.covers(world.branch_b)
    assert not scope.covers(world.committee)
    with pytest.raises(PermissionDenied):
        scope.require(person=world.member_b)


def test_expired_position_grants_nothing(world):
    Position.objects.filter(person=world.secretary_b).update(until=date(2021, 1, 1))
    assert not can(world.secretary_b, Cap.VIEW_PEOPLE)


def test_future_position_grants_nothing_yet(world):
    Position.objects.create(
        person=world.member_a, organisation=world.branch_a, title=Title.SECRETARY, since=date(2999, 1, 1)
    )
    assert not can(world.member_a, Cap.VIEW_PEOPLE)


def test_personal_data_capability_is_narrow(world):
    Position.objects.create(
        person=world.member_a, organisation=world.branch_a, title=Title.PROPAGANDA_MEMBER, since=date(2020, 1, 1)
    )
    assert can(world.member_a, Cap.VIEW_PEOPLE)
    assert not can(world.member_a, Cap.VIEW_PERSONAL)
    assert can(world.secretary_a, Cap.VIEW_PERSONAL, world.branch_a)


def test_inactive_person_has_no_scope(world):
    world.staff.is_active = False
    assert Scope.of(world.staff, Cap.VIEW_PEOPLE).is_empty


def test_holders_are_the_people_with_the_right_over_a_person(world):
    meetings = set(holders(Cap.MEETINGS, world.member_a))
    assert world.secretary_a in meetings and world.staff in meetings  # on the branch, and 组织部 above it
    assert world.secretary_b not in meetings  # another branch's secretary has no say over member A
    assert set(holders(Cap.ASSISTANT, world.member_a)) == {world.staff}  # a 组织部-only right
    Position.objects.filter(person=world.secretary_a).update(until=date(2021, 1, 1))
    assert world.secretary_a not in set(holders(Cap.MEETINGS, world.member_a))  # positions ended count for nothing


def test_ending_a_position_today_takes_the_rights_away_today(world, client):
    """Issue 11, item 7: the secretary removed this morning must not keep the branch until midnight."""
    position = Position.objects.get(person=world.secretary_a)
    client.force_login(world.staff)
    assert client.post(f"/orgs/positions/{position.pk}/end/", {"reason": "工作调动"}).status_code == 302
    position.refresh_from_db()
    assert position.until == clock.today()
    assert Position.objects.current().filter(pk=position.pk).count() == 0
    client.force_login(world.secretary_a)
    assert client.get("/orgs/people/").status_code == 403
    assert client.get(f"/orgs/people/{world.member_a.pk}/").status_code == 403
    assert client.post(f"/orgs/people/{world.member_a.pk}/status/", {"to_status": "masses"}).status_code == 404
    assert world.secretary_a not in set(holders(Cap.MEETINGS, world.member_a))


def test_a_position_ending_tomorrow_still_counts_today(world):
    Position.objects.filter(person=world.secretary_b).update(until=clock.today() + timedelta(days=1))
    assert can(world.secretary_b, Cap.VIEW_PEOPLE, world.branch_b)
    assert Position.objects.current(clock.today() + timedelta(days=1)).filter(person=world.secretary_b).count() == 0


def test_memberships_follow_the_same_end_day(world):
    membership = Membership.objects.get(person=world.member_b, tree="party")
    Membership.objects.filter(pk=membership.pk).update(until=date(2025, 6, 10))
    assert Membership.objects.current(date(2025, 6, 9)).filter(pk=membership.pk).exists()
    assert not Membership.objects.current(date(2025, 6, 10)).filter(pk=membership.pk).exists()


def test_an_administrators_scope_stays_everything_when_combined_with_or(world):
    """Issue 12 item 3: ``Q(person=me) | scope.q(...)`` must not shrink an administrator's rows to their own."""
    from django.db.models import Q

    from plaza.accounts.models import Person

    scope = Scope.of(world.admin, Cap.TRANSFERS)
    everyone = Membership.objects.filter(until__isnull=True).count()
    combined = Membership.objects.filter(Q(person=world.admin) | scope.q("organisation__path"))
    assert everyone and combined.count() == everyone
    assert Person.objects.filter(Q(pk=world.admin.pk) | scope.q("memberships__organisation__path")).count() > 1


def test_the_enterprise_org_dept_serves_union_and_league_members_for_the_services_only(world):
    """Issue 11, item 14: 组织部 staff of a top-level 党委 reach union- and League-only people for the services
    every employee uses, not for Party work; a subsidiary committee's staff do not reach the enterprise's union."""
    assert set(holders(Cap.ASSISTANT, world.employee)) == {world.staff}
    assert set(holders(Cap.POINTS, world.employee)) == {world.staff}
    assert not set(holders(Cap.MEETINGS, world.employee))
    for cap in (Cap.POINTS, Cap.ASSISTANT, Cap.VIEW_AUDIT):
        assert Scope.of(world.staff, cap).covers(world.union) and Scope.of(world.staff, cap).covers(world.league)
        assert Scope.of(world.staff, cap).covers_person(world.employee)
    for cap in (
        Cap.VIEW_PEOPLE,
        Cap.CHANGE_PEOPLE,
        Cap.MANAGE_POSITIONS,
        Cap.RECRUIT,
        Cap.VIEW_PERSONAL,
        Cap.BOOKING,
        Cap.LEARNING,
    ):
        assert not Scope.of(world.staff, cap).covers(world.union)
    sub = add_org(world.committee, "子公司党委", "P0900", Level.COMMITTEE)
    sub_staff = PersonFactory(employee_no="D0001")
    appoint(sub_staff, sub, Title.ORG_DEPT_STAFF)
    assert not Scope.of(sub_staff, Cap.POINTS).covers(world.union)
    assert sub_staff not in set(holders(Cap.ASSISTANT, world.employee))
