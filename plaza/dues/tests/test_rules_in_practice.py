"""Issue 20 items 2 and 6 through the services: a month's due is fixed by the 本单位规定 in force on its first
day, so a new farmers' amount never turns months already paid into 部分交纳; the calculator and the rulebook
digest state the amount the ledger charges the reader."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from plaza.accounts.models import PoliticalStatus
from plaza.dues import queries, services
from plaza.lib import clock
from plaza.localrules.services import set_rule
from plaza.rules.dates import month_start
from plaza.testing.factories import PersonFactory, join

D = Decimal
FARMER = "dues.farmer_monthly"
MONTHS = [date(2025, m, 1) for m in range(1, 9)]


@pytest.fixture
def farmer(world):
    person = PersonFactory(employee_no="A0300", name="陈农", political_status=PoliticalStatus.FULL_MEMBER)
    join(person, world.group_a1)  # in a 党小组 of branch A: the branch's (and the committee's) rules reach it
    services.set_base(world.secretary_a, person, category="farmer", base=D("0"), effective_from=date(2025, 1, 1))
    return person


def test_a_new_farmers_amount_does_not_rewrite_months_already_paid(world, farmer):
    services.mark_paid(world.secretary_a, farmer, MONTHS[:6], paid_on=date(2025, 6, 20), today=date(2025, 6, 20))
    # the 党委 decides on 2025-07-01, from that day: 0.55
    set_rule(world.staff, world.committee, FARMER, "0.55", "党委会议决定", today=date(2025, 7, 1))
    lines = queries.person_months(farmer, MONTHS)
    assert [ln.status for ln in lines[:6]] == ["paid"] * 6  # not 部分交纳
    assert [ln.due for ln in lines] == [D("0.20")] * 6 + [D("0.55")] * 2  # June (one day before) / July (on)
    assert sum(ln.unpaid for ln in lines[:6]) == D("0")
    roll = queries.roll(world.secretary_a, world.branch_a, date(2025, 6, 1))
    assert next(ln for ln in roll.lines if ln.person == farmer).status == "paid"


def test_a_decision_during_a_month_applies_from_the_next_month(world, farmer):
    set_rule(world.staff, world.committee, FARMER, "0.55", "党委会议决定", today=date(2025, 7, 15))
    dues = [ln.due for ln in queries.person_months(farmer, [date(2025, 7, 1), date(2025, 8, 1)])]
    assert dues == [D("0.20"), D("0.55")]  # a month's due is fixed by the value in force on its first day


def test_a_value_set_on_a_party_group_is_refused_so_letters_and_dues_read_the_same_branch_value(world, farmer):
    with pytest.raises(ValidationError, match="党小组不单独规定"):
        set_rule(world.staff, world.group_a1, FARMER, "0.80", "小组决定")
    set_rule(world.staff, world.branch_a, FARMER, "0.80", "支部决定")
    assert queries.farmer_amount_of(farmer) == D("0.80")  # the group member pays the branch's amount


def test_the_calculator_and_the_digest_state_the_amount_the_ledger_charges(client, world, farmer):
    this_month = month_start(clock.today())  # in force for this month's dues (decided before it began)
    set_rule(world.staff, world.committee, FARMER, "0.55", "党委会议决定", effective_from=this_month, backdate=True)
    client.force_login(farmer)
    page = client.get("/handbook/dues/", {"category": "farmer"}).content.decode()
    assert "¥ 0.55" in page and "¥ 0.20" not in page
    digest = client.get("/handbook/rules/").content.decode()
    assert "每月 0.55 元" in digest and "至少比应选人数多 20%" in digest and "多于应选人数的 20%" not in digest
    client.force_login(world.member_b)  # branch B, under the same committee
    assert "¥ 0.55" in client.get("/handbook/dues/", {"category": "farmer"}).content.decode()
    client.force_login(world.employee)  # no Party organisation: the rulebook's default
    assert "¥ 0.20" in client.get("/handbook/dues/", {"category": "farmer"}).content.decode()


def test_the_recruitment_guide_states_the_readers_political_review_validity(client, world):
    set_rule(world.staff, world.branch_a, "recruitment.political_review_years", "2", "支部所在党委规定")
    client.force_login(world.member_a)
    assert "本单位规定：2 年内有效" in client.get("/handbook/recruitment/").content.decode()
    client.force_login(world.member_b)  # branch B: the default
    assert "本单位规定：1 年内有效" in client.get("/handbook/recruitment/").content.decode()
