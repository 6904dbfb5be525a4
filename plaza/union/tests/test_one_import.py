"""One import, both ledgers: the Party dues payroll import sends the wages of the employees who are not Party
members on to the union (plaza.dues.signals), so union dues are due for them without a second import."""

from decimal import Decimal
from io import BytesIO

from django.urls import reverse

from plaza.audit.models import AuditEntry
from plaza.dues.imports import import_bases
from plaza.dues.models import DuesBase
from plaza.lib import clock
from plaza.lib.excel import ExcelWriter
from plaza.rules.dates import month_start
from plaza.testing.factories import PersonFactory, join
from plaza.union import queries
from plaza.union.models import Wage, WageSource

from .helpers import make_union, member


def _payroll(*rows):
    writer = ExcelWriter()
    sheet = writer.sheet("工资", header=["工号", "姓名", "类别", "工资基数"])
    for row in rows:
        sheet.append(list(row))
    return BytesIO(writer.bytes())


def test_party_dues_import_feeds_the_union_wages_of_non_party_members(world):
    u = make_union(world)
    join(world.activist_a, u.group_a)
    member(world.activist_a, u.chair_a)  # an activist: not a Party member, a union member
    member(world.member_a, u.top_chair)  # a Party member in the union
    month = month_start(clock.today())
    result = import_bases(
        world.secretary_a,
        _payroll(("A0002", "张建国", "在岗职工", 9000), ("A0003", "陈晓", "在岗职工", 6800)),
        month,
    )
    assert result.ok and result.created == 1 and result.skipped == 1 and result.others == 1
    assert not DuesBase.objects.filter(person=world.activist_a).exists()
    wage = Wage.objects.get(person=world.activist_a)
    assert (wage.wage, wage.effective_from, wage.source) == (Decimal("6800.00"), month, WageSource.PAYROLL)
    assert not Wage.objects.filter(person=world.member_a).exists()  # read from the dues base instead
    assert queries.wages_on([world.activist_a.pk, world.member_a.pk], month) == {
        world.activist_a.pk: Decimal("6800.00"),
        world.member_a.pk: Decimal("9000.00"),
    }
    assert AuditEntry.objects.filter(action="union.wages_import").count() == 1
    # the same file again: nothing new on either ledger
    again = import_bases(world.secretary_a, _payroll(("A0003", "陈晓", "在岗职工", 6800)), month)
    assert again.ok and again.others == 0 and Wage.objects.filter(person=world.activist_a).count() == 1


def test_a_bad_wage_of_a_non_party_row_is_refused_and_nothing_is_written(world, client):
    u = make_union(world)
    join(world.activist_a, u.group_a)
    member(world.activist_a, u.chair_a)
    month = month_start(clock.today())
    result = import_bases(
        world.secretary_a,
        _payroll(("A0002", "张建国", "在岗职工", 9000), ("A0003", "陈晓", "在岗职工", "六千")),
        month,
    )
    assert not result.ok and [(e.row, e.column) for e in result.errors] == [(3, "工资基数")]
    assert not Wage.objects.exists() and not DuesBase.objects.exists()
    # an employee who is not a union member is not written to the union ledger
    outsider = PersonFactory(employee_no="A0009", name="赵群众")
    join(outsider, world.branch_a)
    fed = import_bases(
        world.secretary_a, _payroll(("A0003", "陈晓", "在岗职工", 6800), ("A0009", "赵群众", "在岗职工", 5000)), month
    )
    assert fed.ok and fed.skipped == 2 and fed.others == 1 and not Wage.objects.filter(person=outsider).exists()
    client.force_login(u.top_chair)
    page = client.get(reverse("union:office_wages_import")).content.decode()
    assert "党费基数导入" in page
