"""Union dues: the roll from the union's payroll import and the Party dues bases (one import, both ledgers), the
base share (本单位规定), recording the payroll deductions once, the append-only ledger, pages."""

from datetime import date
from decimal import Decimal
from fractions import Fraction
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied

from plaza.dues.models import DuesBase
from plaza.lib import clock
from plaza.lib.excel import ExcelWriter
from plaza.localrules.models import LocalRule as StoredRule
from plaza.rules.dates import month_start
from plaza.union import queries, services
from plaza.union.imports import import_wages
from plaza.union.models import DuesPayment, LedgerIsAppendOnly, Wage

from .helpers import make_union, member


def _wages(rows):
    writer = ExcelWriter()
    sheet = writer.sheet("工资", header=["工号", "姓名", "类别", "工资基数"])
    for row in rows:
        sheet.append(row)
    return BytesIO(writer.bytes())


def test_the_roll_reads_the_union_wages_and_the_party_dues_bases(world):
    u = make_union(world)
    month = month_start(clock.today())
    a = member(u.worker_a, u.chair_a)
    party = member(world.member_a, u.top_chair)  # a Party member in the union (joined to the top union)
    outcome = import_wages(u.top_chair, _wages([["W0001", "周职工", "在岗职工", 6543.21]]), month)
    assert outcome.ok and outcome.created == 1
    DuesBase.objects.create(
        person=world.member_a,
        category="in_service",
        base=Decimal("8000"),
        effective_from=month,
        recorded_by=world.staff,
    )
    roll = queries.dues_roll(u.top_chair, u.top, month)
    lines = {line.member.pk: line for line in roll.lines}
    assert lines[a.pk].wage == Decimal("6543.21") and lines[a.pk].due == Decimal("32.72")
    assert lines[party.pk].wage == Decimal("8000") and lines[party.pk].due == Decimal("40.00")
    assert roll.due == Decimal("72.72")
    # the committee of one 分工会 sees only its own
    assert queries.dues_roll(u.chair_b, u.top, month) is None
    assert [line.member.pk for line in queries.dues_roll(u.chair_a, u.sub_a, month).lines] == [a.pk]


def test_recording_the_deductions_once_and_the_ledger_is_append_only(world):
    u = make_union(world)
    month = month_start(clock.today())
    a = member(u.worker_a, u.chair_a)
    Wage.objects.create(person=u.worker_a, wage=Decimal("8000"), effective_from=month, recorded_by=u.chair_a)
    roll = queries.dues_roll(u.chair_a, u.sub_a, month)
    with pytest.raises(PermissionDenied):
        services.record_dues(u.chair_b, u.sub_a, month, roll.lines, paid_on=clock.today())
    assert services.record_dues(u.chair_a, u.sub_a, month, roll.lines, paid_on=clock.today()) == 1
    assert services.record_dues(u.chair_a, u.sub_a, month, roll.lines, paid_on=clock.today()) == 0
    payment = DuesPayment.objects.get(member=a)
    assert payment.amount == Decimal("40.00")
    with pytest.raises(LedgerIsAppendOnly):
        DuesPayment.objects.update(amount=0)
    roll = queries.dues_roll(u.chair_a, u.sub_a, month)
    assert roll.paid == Decimal("40.00") and roll.unpaid_count == 0


def test_the_base_share_is_a_local_rule(world):
    u = make_union(world)
    month = month_start(clock.today())
    member(u.worker_a, u.chair_a)
    Wage.objects.create(person=u.worker_a, wage=Decimal("8000"), effective_from=month, recorded_by=u.chair_a)
    StoredRule.objects.create(
        organisation=u.sub_a,
        key="union.dues_base_share",
        value="4/5",
        effective_from=date(2000, 1, 1),
        note="以岗位工资计缴",
        changed_by=world.staff,
    )
    assert services.dues_base_share(u.sub_a) == Fraction(4, 5)
    assert queries.dues_roll(u.chair_a, u.sub_a, month).lines[0].due == Decimal("32.00")


def test_wage_import_refuses_people_outside_the_scope(world):
    u = make_union(world)
    outcome = import_wages(u.chair_b, _wages([["W0001", "周职工", "", 6000]]), month_start(clock.today()))
    assert not outcome.ok and "管理范围" in str(outcome.errors[0])
    assert not Wage.objects.exists()


def test_dues_pages(world, client):
    u = make_union(world)
    month = month_start(clock.today())
    member(u.worker_a, u.chair_a)
    Wage.objects.create(person=u.worker_a, wage=Decimal("8000"), effective_from=month, recorded_by=u.chair_a)
    client.force_login(u.chair_a)
    page = client.get(f"/union/office/dues/?org={u.sub_a.pk}").content.decode()
    assert "周职工" in page and "40.00" in page
    client.post(f"/union/office/dues/?org={u.sub_a.pk}&month={month:%Y-%m}")
    assert DuesPayment.objects.count() == 1
    assert client.get(f"/union/office/dues/?org={u.sub_a.pk}&export=1").status_code == 200
    assert client.get(f"/union/office/dues/?org={u.sub_b.pk}").status_code == 404
    client.force_login(u.worker_a)
    assert "40.00" in client.get("/union/").content.decode()
