"""Excel workbooks of 工会 built from its queries: the roster, the dues roll and the month's payments."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from plaza.lib.excel import ExcelWriter

from .models import Member, Payment
from .queries import DuesRoll


def roster(rows: QuerySet[Member]) -> bytes:
    writer = ExcelWriter()
    sheet = writer.sheet(
        "工会会员", header=["会员证号", "工号", "姓名", "所在工会组织", "状态", "申请日期", "入会日期", "退会日期"]
    )
    for m in rows.iterator(chunk_size=2000):
        sheet.append(
            [
                m.number,
                m.person.employee_no,
                m.person.name,
                m.organisation.name,
                m.get_status_display(),
                m.applied_on,
                m.joined_on or "",
                m.left_on or "",
            ]
        )
    return writer.bytes()


def dues_roll(roll: DuesRoll) -> bytes:
    writer = ExcelWriter()
    sheet = writer.sheet(
        f"会费 {roll.month:%Y-%m}", header=["会员证号", "工号", "姓名", "所在工会组织", "月工资", "应交", "已交"]
    )
    for line in roll.lines:
        sheet.append(
            [
                line.member.number,
                line.member.person.employee_no,
                line.member.person.name,
                line.member.organisation.name,
                line.wage if line.wage is not None else "",
                line.due if line.due is not None else "",
                line.paid,
            ]
        )
    sheet.append(["", "", "合计", "", "", roll.due, roll.paid])
    return writer.bytes()


def payments(rows: Iterable[Payment]) -> bytes:
    writer = ExcelWriter()
    sheet = writer.sheet(
        "慰问帮扶发放",
        header=["发放日期", "工号", "姓名", "所在工会组织", "类型", "类别", "事件日期", "金额", "慰问品", "依据"],
    )
    for p in rows:
        sheet.append(
            [
                p.paid_on,
                p.person.employee_no,
                p.person.name,
                p.organisation.name,
                p.get_area_display(),
                p.get_kind_display(),
                p.event_on,
                p.amount,
                p.goods,
                p.source,
            ]
        )
    return writer.bytes()
