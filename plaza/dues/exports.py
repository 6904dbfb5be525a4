"""党费 Excel files: the collection statistics with the year's ledger.

Built here, not in views, so the page only asks for the bytes and hands them to ``plaza.lib.http.attachment``;
written through :class:`plaza.lib.excel.ExcelWriter` (text stays text, never a formula). The import template
stays with the import (``imports.template``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from plaza.lib.excel import ExcelWriter

from . import queries
from .models import Kind, Method
from .queries import BranchFigures


def statistics_workbook(viewer: Any, month: date, rows: list[BranchFigures], total: BranchFigures) -> bytes:
    """The collection summary per branch with the total, and every payment of the year up to ``month`` within
    the viewer's dues scope (:func:`plaza.dues.queries.statistics` gives ``rows`` and ``total``)."""
    workbook = ExcelWriter()
    sheet = workbook.sheet("收缴汇总")
    sheet.append(
        [
            "党支部",
            "党员人数",
            f"{month:%Y-%m} 应缴",
            "实缴",
            "收缴率%",
            "未缴人数",
            f"{month:%Y} 年累计应缴",
            "累计实缴",
            "年收缴率%",
            "自愿多交",
        ]
    )
    for row in [*rows, total]:
        sheet.append(
            [
                row.organisation.name,
                row.members,
                row.due_month,
                row.paid_month,
                row.rate_month,
                row.unpaid_members,
                row.due_year,
                row.paid_year,
                row.rate_year,
                row.extra_year,
            ]
        )
    ledger = workbook.sheet("交纳明细")
    ledger.append(
        [
            "工号",
            "姓名",
            "所属月份",
            "类型",
            "金额",
            "方式",
            "凭证号",
            "交纳日期",
            "全额上缴中央",
            "更正的记录",
            "说明",
            "登记人",
            "登记时间",
        ]
    )
    entries = queries.ledger_of_year(viewer, month)
    kinds, methods = dict(Kind.choices), dict(Method.choices)
    for p in entries.iterator(chunk_size=5000):
        ledger.append(
            [
                p.person.employee_no,
                p.person.name,
                f"{p.month:%Y-%m}",
                str(kinds[p.kind]),
                p.amount,
                str(methods[p.method]),
                p.reference,
                p.paid_on,
                "是" if p.to_centre else "",
                p.corrects_id,
                p.note,
                p.recorded_by.name,
                timezone.localtime(p.recorded_at).replace(tzinfo=None),
            ]
        )
    return workbook.bytes()
