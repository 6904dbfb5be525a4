"""Issue 11, item 4: the recruitment statuses change only through 党员发展; a correction of old data is committee
staff's, with a written reason, audited and listed with the recruitment overrides."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from plaza.accounts.models import PoliticalStatus, StatusChange
from plaza.audit.models import AuditEntry
from plaza.orgs import services
from plaza.orgs.services import STATUS_CORRECTION


def test_a_secretary_cannot_make_an_activist_a_full_member_in_one_step(world, client):
    """The attack as reported: POST /orgs/people/<activist>/status/ with to_status=full_member."""
    client.force_login(world.secretary_a)
    response = client.post(
        f"/orgs/people/{world.activist_a.pk}/status/",
        {"to_status": "full_member", "effective_on": "2025-03-01", "reason": "支部大会通过"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "由党员发展程序记录" in body and "党员发展" in body and "上级党委组织部门" in body  # why, and where to go
    assert "支部大会通过" in body  # what he typed is kept
    world.activist_a.refresh_from_db()
    assert world.activist_a.political_status == PoliticalStatus.ACTIVIST
    assert not StatusChange.objects.filter(person=world.activist_a).exists()
    assert not AuditEntry.objects.filter(action__startswith="people.status").exists()


@pytest.mark.parametrize(
    ("who", "to_status"),
    [
        ("activist_a", PoliticalStatus.CANDIDATE),
        ("activist_a", PoliticalStatus.PROBATIONARY),
        ("activist_a", PoliticalStatus.MASSES),  # out of the procedure too
        ("member_a", PoliticalStatus.MASSES),
        ("member_a", PoliticalStatus.PROBATIONARY),
    ],
)
def test_no_procedure_status_change_by_a_branch_officer(world, who, to_status):
    person = getattr(world, who)
    before = person.political_status
    with pytest.raises(PermissionDenied, match="党员发展"):
        services.change_political_status(
            world.secretary_a, person, to_status, effective_on=date(2025, 3, 1), reason="支部决定如此"
        )
    person.refresh_from_db()
    assert person.political_status == before


def test_masses_and_league_members_are_the_officers_to_change(world):
    world.activist_a.political_status = PoliticalStatus.LEAGUE_MEMBER
    world.activist_a.save(update_fields=["political_status"])
    services.change_political_status(
        world.secretary_a, world.activist_a, PoliticalStatus.MASSES, effective_on=date(2025, 3, 1), reason="离团"
    )
    assert not AuditEntry.objects.filter(action=STATUS_CORRECTION).exists()  # an ordinary change, not an override


def test_a_correction_is_committee_staffs_with_a_reason_audited_and_listed(world, client):
    with pytest.raises(ValidationError, match="写明理由"):
        services.change_political_status(
            world.staff, world.activist_a, PoliticalStatus.FULL_MEMBER, effective_on=date(2015, 7, 1), reason=" x "
        )
    client.force_login(world.staff)
    response = client.post(
        f"/orgs/people/{world.activist_a.pk}/status/",
        {
            "to_status": "full_member",
            "effective_on": "2015-07-01",
            "reason": "2015 年已转正，纸质档案可查，系统数据有误",
        },
    )
    assert response.status_code == 302
    world.activist_a.refresh_from_db()
    assert world.activist_a.political_status == PoliticalStatus.FULL_MEMBER
    entry = AuditEntry.objects.get(action=STATUS_CORRECTION)
    assert entry.actor == world.staff and entry.object_id == str(world.activist_a.pk)
    assert entry.before == {"political_status": "activist"} and entry.after["political_status"] == "full_member"
    assert "纸质档案可查" in entry.reason
    # listed with the other rule overrides, for whoever oversees recruitment there — and nobody else
    for viewer, listed in ((world.staff, True), (world.secretary_a, True), (world.secretary_b, False)):
        client.force_login(viewer)
        body = client.get("/recruitment/overrides/").content.decode()
        assert ("纸质档案可查" in body) is listed, viewer
        assert "政治面貌更正" in body


def test_an_import_by_committee_staff_that_changes_such_a_status_is_a_listed_correction(world):
    """The other way a status changes outside the procedure: the people import (committee staff only)."""
    from plaza.orgs import imports
    from plaza.orgs.tests.test_imports import person_row, xlsx

    row = person_row(no="A0003", name="陈晓", status="正式党员", party="P0101")
    result = imports.import_people(world.staff, xlsx([row]))
    assert result.ok, result.errors
    world.activist_a.refresh_from_db()
    assert world.activist_a.political_status == PoliticalStatus.FULL_MEMBER
    entry = AuditEntry.objects.get(action=STATUS_CORRECTION, object_id=str(world.activist_a.pk))
    assert entry.actor == world.staff and entry.reason == "Excel 导入"
