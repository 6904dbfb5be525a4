"""党员发展 Excel files: the statistics and the import template.

Built here, not in views, so a page only asks for the bytes and hands them to ``plaza.lib.http.attachment``;
written through :class:`plaza.lib.excel.ExcelWriter` (text stays text, never a formula)."""

from __future__ import annotations

from typing import Any

from plaza.lib.excel import ExcelWriter

from .imports import template_header


def statistics_workbook(data: dict[str, Any]) -> bytes:
    """The statistics page as two sheets: people per stage per branch, and plans, admissions and conversions
    per year. ``data`` is :func:`plaza.recruitment.queries.statistics`."""
    workbook = ExcelWriter()
    sheet = workbook.sheet("各阶段人数")
    sheet.append(["党组织", *data["stages"], "逾期步骤"])
    for row in data["rows"]:
        sheet.append([row.branch.name, *row.per_stage, row.overdue])
    sheet.append(["合计", *data["totals"], data["overdue"]])
    years = workbook.sheet("年度发展与转正")
    years.append(["年度", "计划发展", "接收预备党员", "转为正式党员"])
    for row in zip(data["years"], data["plans"], data["admissions"], data["conversions"], strict=True):
        years.append(list(row))
    return workbook.bytes()


def import_template() -> bytes:
    """An empty 发展档案 sheet with the import's header row."""
    workbook = ExcelWriter()
    workbook.sheet("发展档案").append(template_header())
    return workbook.bytes()
