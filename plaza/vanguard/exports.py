"""支部先锋行动 Excel: per branch statistics and the list of projects, through plaza.lib.excel.ExcelWriter."""

from __future__ import annotations

from django.db.models import QuerySet

from plaza.lib.excel import ExcelWriter

from .models import Project
from .queries import BranchRow


def statistics_workbook(rows: list[BranchRow], projects: QuerySet[Project]) -> bytes:
    workbook = ExcelWriter()
    sheet = workbook.sheet("支部统计", ["承担支部", "项目数", "推进中", "已结项", "逾期节点", "创效（万元）"])
    for row in rows:
        sheet.append([row.branch.name, row.projects, row.active, row.closed, row.late, round(row.savings, 2)])
    header = ["项目名称", "类型", "主题", "承担支部", "负责人", "开始日期", "计划完成", "状态", "评审等次"]
    header.append("创效（万元）")
    listing = workbook.sheet("项目清单", header)
    for project in projects.order_by("branch__path", "-starts_on"):
        listing.append(
            [
                project.title,
                project.get_kind_display(),
                project.get_theme_display(),
                project.branch.name,
                project.lead.name,
                project.starts_on,
                project.ends_on,
                project.get_status_display(),
                project.get_grade_display() if project.grade else "",
                float(project.savings) if project.savings is not None else None,
            ]
        )
    return workbook.bytes()
