import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from plaza.accounts.models import PoliticalStatus
from plaza.audit.models import AuditEntry
from plaza.dues import services
from plaza.dues.imports import import_bases
from plaza.dues.models import DuesBase
from plaza.dues.sweep import arrears_sweep
from plaza.notify.models import Delivery, Reminder, Task
from plaza.orgs.models import Membership

D = Decimal
MONTH = date(2025, 3, 1)


def xlsx(*rows, header=("工号", "姓名", "类别", "工资基数")) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


# --------------------------------------------------------------------------------------------- import


def test_import_creates_bases_and_does_not_duplicate_unchanged_rows(world):
    result = import_bases(
        world.secretary_a, xlsx(("A0001", "刘昭涛", "在岗职工", 8000), ("A0002", "张建国", "离退休", "4500.50")), MONTH
    )
    assert (result.ok, result.created, result.unchanged) == (True, 2, 0)
    base = DuesBase.objects.get(person=world.member_a)
    assert (base.category, base.base, base.effective_from, base.source) == ("retired", D("4500.50"), MONTH, "payroll")
    again = import_bases(
        world.secretary_a,
        xlsx(("A0001", "刘昭涛", "在岗", 8000.0), ("A0002", "张建国", "离退休人员", 5200)),
        date(2025, 4, 1),
    )
    assert (again.created, again.unchanged) == (1, 1)
    assert DuesBase.objects.filter(person=world.secretary_a).count() == 1
    assert list(DuesBase.objects.filter(person=world.member_a).values_list("base", flat=True)) == [
        D("4500.50"),
        D("5200"),
    ]
    assert AuditEntry.objects.filter(action="dues.import").count() == 2


def test_import_reports_bad_rows_by_row_and_writes_nothing(world):
    result = import_bases(
        world.secretary_a,
        xlsx(
            ("A0001", "刘昭涛", "在岗职工", 8000),  # row 2: fine
            ("A9999", "无名氏", "在岗职工", 8000),  # row 3: unknown
            ("A0002", "张三", "在岗职工", 8000),  # row 4: wrong name
            ("A0003", "陈晓", "在岗职工", 8000),  # row 5: an activist, not a member: skipped
            ("B0002", "李红梅", "在岗职工", 8000),  # row 6: branch B, outside the scope
        ),
        MONTH,
    )
    result2 = import_bases(
        world.secretary_a,
        xlsx(
            ("A0001", "刘昭涛", "公务员", 8000),  # row 2: category
            ("A0002", "张建国", "在岗职工", -5),  # row 3: negative
            ("A0001", "刘昭涛", "在岗职工", 1),  # row 4: twice
        ),
        MONTH,
    )
    assert not result.ok and result.created == 0
    assert [(e.row, e.column) for e in result.errors] == [(3, "工号"), (4, "姓名"), (6, "工号")]
    assert "系统中为 张建国" in result.errors[1].message and result.skipped == 1
    assert "第 3 行「工号」" in str(result.errors[0])
    assert [(e.row, e.column) for e in result2.errors] == [(2, "类别"), (3, "工资基数"), (4, "工号")]
    assert "不能为负数" in result2.errors[1].message and "第 2 行" in result2.errors[2].message
    assert not DuesBase.objects.exists()


def test_import_of_an_absurd_base_needs_the_confirmation(world):
    result = import_bases(world.secretary_a, xlsx(("A0002", "张建国", "在岗职工", 2_500_000)), MONTH)
    assert [(e.row, e.column) for e in result.errors] == [(2, "工资基数")] and not DuesBase.objects.exists()
    result = import_bases(
        world.secretary_a, xlsx(("A0002", "张建国", "在岗职工", 2_500_000)), MONTH, confirm_large=True
    )
    assert result.created == 1


def test_import_file_problems_and_permission(world):
    result = import_bases(world.secretary_a, xlsx(("A0002", 8000), header=("工号", "工资基数")), MONTH)
    assert result.errors[0].row == 1 and "姓名" in result.errors[0].message
    result = import_bases(world.secretary_a, io.BytesIO(b"not a workbook"), MONTH)
    assert "无法读取" in result.errors[0].message
    with pytest.raises(PermissionDenied):
        import_bases(world.member_a, xlsx(("A0002", "张建国", "在岗职工", 8000)), MONTH)


# -------------------------------------------------------------------------------------------- arrears


def _reminders(person):
    return list(
        Reminder.objects.filter(deliveries__recipient=person, kind="dues_arrears")
        .order_by("id")
        .values_list("title", flat=True)
    )


def test_arrears_warn_at_three_and_five_months_and_flag_at_six_once_each(world):
    services.set_base(
        world.secretary_a, world.member_a, category="in_service", base=D("6000"), effective_from=date(2025, 1, 1)
    )
    assert arrears_sweep(date(2025, 3, 10))["warnings"] == 0  # Jan and Feb unpaid: 2 months
    arrears_sweep(date(2025, 4, 10))  # Jan, Feb, Mar unpaid
    arrears_sweep(date(2025, 4, 28))  # the same again: not sent twice
    assert _reminders(world.member_a) == ["党费提醒：您已连续 3 个月未交纳党费"]
    assert Delivery.objects.filter(recipient=world.member_a).count() == 1
    arrears_sweep(date(2025, 5, 10))  # 4 months: nothing new
    arrears_sweep(date(2025, 6, 10))  # 5 months
    assert len(_reminders(world.member_a)) == 2 and "5 个月" in _reminders(world.member_a)[1]
    assert not Task.objects.filter(source_type="dues-arrears").exists()
    result = arrears_sweep(date(2025, 7, 2))  # 6 months: a to-do for the branch secretary
    task = Task.objects.get(source_type="dues-arrears")
    assert result["flags"] == 1 and task.assignee == world.secretary_a and "张建国 已连续 6 个月" in task.title
    assert task.url == f"/dues/person/{world.member_a.pk}/"
    Task.objects.filter(pk=task.pk).update(done_at=task.created_at)
    arrears_sweep(date(2025, 7, 20))
    arrears_sweep(date(2025, 8, 5))  # 7 months: nothing new either
    assert Task.objects.filter(source_type="dues-arrears").count() == 1 and len(_reminders(world.member_a)) == 2
    world.member_a.refresh_from_db()
    assert world.member_a.political_status == PoliticalStatus.FULL_MEMBER  # never changes membership
    assert Membership.objects.filter(person=world.member_a, until__isnull=True).count() == 2


def test_paying_resets_the_run_and_exempt_months_count_as_settled(world):
    services.set_base(
        world.secretary_a, world.member_a, category="in_service", base=D("6000"), effective_from=date(2025, 1, 1)
    )
    services.mark_paid(world.secretary_a, world.member_a, [date(2025, 1, 1)], today=date(2025, 4, 2))
    services.record_reduction(
        world.secretary_a,
        world.member_a,
        from_month=date(2025, 2, 1),
        to_month=date(2025, 2, 1),
        reason="困难",
        approved_by="公司党委",
        approved_on=date(2025, 2, 1),
        today=date(2025, 4, 2),
    )
    arrears_sweep(date(2025, 4, 10))  # only March unpaid: 1 month
    arrears_sweep(date(2025, 6, 10))  # March, April, May: 3 months
    assert _reminders(world.member_a) == ["党费提醒：您已连续 3 个月未交纳党费"]
    assert Reminder.objects.get().dedupe_key == f"dues-arrears:{world.member_a.pk}:2025-03:3"


def test_members_without_a_base_and_non_members_are_not_chased(world):
    arrears_sweep(date(2025, 7, 10))
    assert not Reminder.objects.exists() and not Task.objects.exists()


def test_probationary_member_is_liable_from_admission(world):
    from plaza.accounts.models import StatusChange

    services.set_base(
        world.secretary_b, world.member_b, category="in_service", base=D("3000"), effective_from=date(2024, 1, 1)
    )
    StatusChange.objects.create(
        person=world.member_b,
        from_status=PoliticalStatus.CANDIDATE,
        to_status=PoliticalStatus.PROBATIONARY,
        effective_on=date(2025, 2, 20),
    )
    arrears_sweep(date(2025, 5, 3))  # Feb, Mar, Apr: 3 months (not 16)
    assert _reminders(world.member_b) == ["党费提醒：您已连续 3 个月未交纳党费"]
