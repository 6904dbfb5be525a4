"""The League roster: scoping (a branch sees its own; 组织部 staff read it where the enterprise says so),
masking, filters, export, the dues roll and the pages of each role."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from plaza.league import queries, services
from plaza.lib import memo
from plaza.orgs.permissions import Cap, Scope, read_scope

from .conftest import TODAY


def names(viewer, **kw):
    return {m.person.name for m in queries.roster(viewer, today=TODAY, **kw)}


def test_branch_secretary_sees_only_the_own_branch(youth):
    assert names(youth.secretary_a) == {"钱团书", "周将满", "吴青年"}
    assert names(youth.secretary_b) == {"孙团书", "郑团员"}
    assert "郑团员" in names(youth.committee_secretary)
    assert names(youth.secretary_a, near=True) == {"周将满"}
    assert names(youth.secretary_a, search="吴") == {"吴青年"}


def test_org_dept_staff_read_the_league_where_the_enterprise_says_so(world, youth, settings):
    settings.PLAZA_ORG_DEPT_SEES_MASS_TREES = True
    assert "郑团员" in names(world.staff) and queries.sees_league(world.staff)
    assert read_scope(world.staff, Cap.UNION).covers(world.union)  # the union roster too
    # read-only: writes still ask Scope.of, which covers no League organisation for them
    assert not Scope.of(world.staff, Cap.LEAGUE).covers(youth.branch_a)
    assert not services.may_run_league(world.staff)
    with pytest.raises(PermissionDenied):
        services.record_dues(world.staff, youth.young, date(2026, 6, 1), today=TODAY)
    # a branch 组织部 is not the enterprise's; a Party secretary sees nothing
    assert names(world.secretary_a) == set()
    settings.PLAZA_ORG_DEPT_SEES_MASS_TREES = False
    memo.forget(world.staff)
    assert names(world.staff) == set() and not queries.sees_league(world.staff)


def test_phones_are_masked_on_the_page_and_in_the_export(youth, login):
    client = login(youth.secretary_a)
    page = client.get("/league/roster/").content.decode()
    assert youth.young.masked_phone in page and youth.young.phone not in page
    response = client.get("/league/roster.xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert youth.young.phone.encode() not in response.content


def test_dues_amount_is_the_local_rule_and_once_a_month(youth):
    payment = services.record_dues(youth.secretary_a, youth.young, date(2026, 6, 1), today=TODAY)
    assert payment.amount == Decimal("0.50")
    with pytest.raises(ValidationError, match="已经登记"):
        services.record_dues(youth.secretary_a, youth.young, date(2026, 6, 15), today=TODAY)
    with pytest.raises(ValidationError, match="以后月份"):
        services.record_dues(youth.secretary_a, youth.young, date(2026, 7, 1), today=TODAY)
    rows = queries.dues_roll(youth.secretary_a, date(2026, 6, 1))
    assert sum(1 for r in rows if r.payment) == 1 and len(rows) == 3


def test_pages_for_each_role(world, youth, login, django_assert_max_num_queries):
    client = login(youth.secretary_a)
    for url in ("/league/", "/league/office/", "/league/roster/?near=1", "/league/dues/", "/league/recommendations/"):
        assert client.get(url).status_code == 200, url
    with django_assert_max_num_queries(25):
        client.get("/league/roster/")
    response = client.post("/league/dues/?month=2026-06", {"person": youth.young.pk})
    assert response.status_code == 302
    client = login(youth.young)
    assert "装调车间团支部" in client.get("/league/").content.decode()
    assert client.get("/league/office/").status_code == 403
    assert client.get("/league/roster/").status_code == 403
    client = login(world.employee)
    assert "不是共青团员" in client.get("/league/").content.decode()


def test_api_my_league_membership(youth, world, client):
    client.force_login(youth.near)
    body = client.get("/api/v1/league/me").json()
    assert body["member"] and body["organisation"] == "装调车间团支部" and body["turns_28_on"] == "2026-07-01"
    client.force_login(world.employee)
    assert client.get("/api/v1/league/me").json() == {
        "member": False,
        "organisation": None,
        "since": None,
        "age": None,
        "turns_28_on": None,
        "holds_league_post": False,
        "monthly_dues": None,
        "dues": [],
    }
