from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from plaza.accounts.models import PoliticalStatus, StatusChange
from plaza.audit.models import AuditEntry
from plaza.orgs import services
from plaza.orgs.models import Level, Membership, Organisation, Title


def test_staff_creates_branch_under_committee_and_it_is_audited(world):
    org = services.create_organisation(
        world.staff, parent=world.committee, name="武汉北厂党支部", code="P0300", level=Level.BRANCH
    )
    assert Organisation.objects.get_parent(org) == world.committee
    assert org.tree == "party"
    entry = AuditEntry.objects.get(action="orgs.create", object_id=str(org.pk))
    assert entry.actor == world.staff and entry.after["code"] == "P0300"


def test_level_must_fit_parent(world):
    with pytest.raises(ValidationError, match="不能设在"):
        services.create_organisation(world.staff, parent=world.group_a1, name="x", code="P9", level=Level.BRANCH)


def test_duplicate_code_is_refused(world):
    with pytest.raises(ValidationError, match="已存在"):
        services.create_organisation(world.staff, parent=world.committee, name="x", code="P0101", level=Level.BRANCH)


def test_secretary_cannot_create_outside_scope(world):
    with pytest.raises(PermissionDenied):
        services.create_organisation(world.secretary_a, parent=world.committee, name="x", code="P9", level=Level.BRANCH)


def test_only_superuser_creates_roots(world):
    with pytest.raises(ValidationError):
        services.create_organisation(world.staff, parent=None, name="x", code="P9", level=Level.COMMITTEE)
    root = services.create_organisation(world.admin, parent=None, name="新党委", code="P9", level=Level.COMMITTEE)
    assert Organisation.objects.get_parent(root) is None


def test_move_member_to_group_closes_old_membership(world):
    services.assign_membership(world.secretary_a, world.member_a, world.group_a1, since=date(2024, 3, 1))
    old, new = Membership.objects.filter(person=world.member_a, tree="party").order_by("since")
    # ``until`` is the day it ends: the day the new one begins, no gap and no overlap
    assert old.until == date(2024, 3, 1) and new.until is None and new.organisation == world.group_a1
    assert list(Membership.objects.current(date(2024, 2, 29)).filter(person=world.member_a, tree="party")) == [old]
    assert list(Membership.objects.current(date(2024, 3, 1)).filter(person=world.member_a, tree="party")) == [new]


def test_move_needs_scope_over_both_ends(world):
    with pytest.raises(PermissionDenied):
        services.assign_membership(world.secretary_a, world.member_b, world.branch_a, since=date(2024, 3, 1))


def test_move_date_must_follow_current(world):
    with pytest.raises(ValidationError):
        services.assign_membership(world.secretary_a, world.member_a, world.group_a1, since=date(2019, 1, 1))


def test_status_change_is_dated_and_audited(world):
    services.change_political_status(
        world.staff,  # a correction of a recruitment status: committee staff, with a reason
        world.activist_a,
        PoliticalStatus.CANDIDATE,
        effective_on=date(2025, 3, 1),
        reason="支委会讨论同意（补录）",
    )
    world.activist_a.refresh_from_db()
    assert world.activist_a.political_status == PoliticalStatus.CANDIDATE
    change = StatusChange.objects.get(person=world.activist_a)
    assert (change.from_status, change.to_status, change.effective_on) == ("activist", "candidate", date(2025, 3, 1))
    assert AuditEntry.objects.filter(action="people.status", reason="支委会讨论同意（补录）").exists()


def test_status_change_to_same_status_is_refused(world):
    with pytest.raises(ValidationError):
        services.change_political_status(
            world.secretary_a, world.member_a, PoliticalStatus.FULL_MEMBER, effective_on=date(2025, 1, 1)
        )


def test_update_person_records_before_and_after_without_secrets(world):
    services.update_person(world.secretary_a, world.member_a, department="北盛车身", phone="13900000000")
    entry = AuditEntry.objects.get(action="people.update")
    assert entry.before["department"] == "东岳动力总成" and entry.after["department"] == "北盛车身"
    assert "13900000000" not in str(entry.after) and entry.after["phone"].startswith("•••")


def test_update_person_refuses_unknown_fields(world):
    with pytest.raises(ValidationError):
        services.update_person(world.secretary_a, world.member_a, is_superuser=True)


def test_appoint_and_end_position_change_scope(world):
    position = services.appoint(
        world.staff, world.member_b, world.branch_b, Title.ORGANISATION_MEMBER, since=date(2024, 1, 1)
    )
    from plaza.orgs.permissions import Cap, can

    assert can(world.member_b, Cap.CHANGE_PEOPLE, world.branch_b)
    services.end_position(world.staff, position, on=date(2024, 6, 1), reason="换届")
    assert not can(world.member_b, Cap.CHANGE_PEOPLE, world.branch_b)


def test_reveal_is_audited_and_scoped(world):
    data = services.reveal_personal_data(world.secretary_a, world.member_a, purpose="政治审查")
    assert data["id_card"] == world.member_a.id_card
    assert AuditEntry.objects.filter(action="people.reveal", object_id=str(world.member_a.pk)).count() == 1
    with pytest.raises(PermissionDenied):
        services.reveal_personal_data(world.secretary_a, world.member_b)


def test_tree_stays_consistent(world):
    services.create_organisation(
        world.staff, parent=world.branch_a, name="装调二组党小组", code="P0103", level=Level.GROUP
    )
    assert all(not problems for problems in Organisation.objects.find_problems())
