"""E线声音 and 职代会提案 Excel files: the monthly report, the yearly list of proposals. Written through
:class:`plaza.lib.excel.ExcelWriter` (text stays text). The report carries no submitter: it is read by handlers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from plaza.lib.excel import ExcelWriter

from .models import Proposal
from .queries import Report


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def report_workbook(report: Report) -> bytes:
    workbook = ExcelWriter()
    scope = report.organisation.name if report.organisation else "全部"
    summary = workbook.sheet("汇总", ["月份", "组织", "件数", "响应率", "解决率", "满意率", "逾期件数", "据此改进"])
    summary.append(
        [
            f"{report.month:%Y-%m}",
            scope,
            report.total,
            _pct(report.response_rate),
            _pct(report.resolution_rate),
            _pct(report.satisfaction_rate),
            len(report.overdue),
            len(report.changes),
        ]
    )
    by_category = workbook.sheet("按类别", ["类别", "件数"])
    for name, count in report.by_category:
        by_category.append([name, count])
    overdue = workbook.sheet("逾期", ["编号", "类别", "承办组织", "状态", "受理期限", "答复期限"])
    for item in report.overdue:
        overdue.append(
            [
                item.number,
                item.category.name,
                item.organisation.name,
                item.get_state_display(),
                item.acknowledge_due,
                item.answer_due,
            ]
        )
    changes = workbook.sheet("据此改进", ["编号", "类别", "承办组织", "答复日期", "改进内容"])
    for item in report.changes:
        changes.append([item.number, item.category.name, item.organisation.name, item.answered_on, item.change_made])
    return workbook.bytes()


def proposal_row(p: Proposal) -> list[Any]:
    rating = "" if p.satisfied is None else ("满意" if p.satisfied else "不满意")
    return [
        p.pk,
        p.congress.name,
        p.title,
        p.proposer.name,
        p.cosigners,
        p.get_state_display(),
        p.department.name if p.department else "",
        p.answer_due,
        p.answered_on,
        rating,
    ]


def proposals_workbook(rows: Sequence[Proposal], year: int) -> bytes:
    workbook = ExcelWriter()
    sheet = workbook.sheet(
        f"{year}年提案",
        ["编号", "职代会", "案由", "提案人", "附议人数", "状态", "承办部门", "答复期限", "答复日期", "评价"],
    )
    for p in rows:
        sheet.append(proposal_row(p))
    return workbook.bytes()
