"""组织部 staff read the union's rosters and boards where the enterprise says so (``orgs.permissions.read_scope``,
``PLAZA_ORG_DEPT_SEES_MASS_TREES``), read-only: approvals, dues records, care, hardship files and the names on
the payments list stay with the union committees."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from plaza.lib import memo
from plaza.union import queries, services

from .helpers import make_union, member


def _fresh(person):
    memo.forget(person)
    return person


def test_org_dept_staff_read_the_roster_and_boards_but_change_nothing(world, client, settings):
    settings.PLAZA_ORG_DEPT_SEES_MASS_TREES = True
    u = make_union(world)
    member(u.worker_a, u.chair_a)
    applicant = services.apply_to_join(u.worker_b)
    staff = _fresh(world.staff)
    assert queries.sees_union(staff) and not queries.is_officer(staff)
    assert {m.person.name for m in queries.roster(staff)} == {u.worker_a.name, u.worker_b.name}
    assert queries.counts(staff)["applications"] == 1
    client.force_login(staff)
    board = client.get(reverse("union:office")).content.decode()
    assert 'data-testid="read-only"' in board and reverse("union:office_care") not in board
    roster = client.get(reverse("union:office_members")).content.decode()
    assert u.worker_a.name in roster and u.worker_b.name in roster
    assert client.get(reverse("union:office_members") + "?export=1").status_code == 200
    detail = client.get(reverse("union:office_member", args=[applicant.pk])).content.decode()
    assert 'data-testid="read-only"' in detail and 'data-testid="approve"' not in detail
    response = client.post(reverse("union:office_member", args=[applicant.pk]), {"action": "approve"}, follow=True)
    assert "不是该会员所在工会组织的工会委员会成员" in response.content.decode()  # refused with the reason
    dues = client.get(reverse("union:office_dues")).content.decode()
    assert 'data-testid="dues-roll"' in dues and 'data-testid="record-dues"' not in dues
    assert reverse("union:office_wages_import") not in dues  # no link to a page that would refuse them
    assert client.get(reverse("union:office_payments")).status_code == 200
    for name in ("office_care", "office_help", "office_provisions", "office_festivals"):
        assert client.get(reverse(f"union:{name}")).status_code == 403, name
    with pytest.raises(PermissionDenied):
        services.decide_membership(staff, applicant, approve=True)


def test_without_the_setting_or_as_a_branch_secretary_nothing(world, client, settings):
    settings.PLAZA_ORG_DEPT_SEES_MASS_TREES = False
    make_union(world)
    staff = _fresh(world.staff)
    assert not queries.sees_union(staff)
    client.force_login(staff)
    assert client.get(reverse("union:office")).status_code == 403
    settings.PLAZA_ORG_DEPT_SEES_MASS_TREES = True
    assert not queries.sees_union(_fresh(world.secretary_a))


def test_officers_keep_their_own_subtree(world):
    u = make_union(world)
    member(u.worker_a, u.chair_a)
    member(u.worker_b, u.chair_b)
    assert {m.person.name for m in queries.roster(u.chair_b)} == {u.worker_b.name}
