"""民主评议党员 Excel files: the committee's report of a year.

Built here, not in views, so the page only asks for the bytes and hands them to ``plaza.lib.http.attachment``;
written through :class:`plaza.lib.excel.ExcelWriter` (text stays text, never a formula)."""

from __future__ import annotations

from plaza.lib.excel import ExcelWriter
from plaza.rules.evaluation import GRADES

from .queries import BranchRow


def committee_workbook(
    rows: list[BranchRow], totals: dict[str, int], yearly: list[tuple[int, list[int], int]]
) -> bytes:
    """Each branch's grades of the year with the totals, and the grades of every year (``queries.yearly_stats``)."""
    workbook = ExcelWriter()
    sheet = workbook.sheet("各支部评议结果")
    sheet.append(["党支部", *GRADES.values(), "评定人数", "状态"])
    for row in rows:
        state = row.campaign.get_state_display() if row.campaign else "未组织"
        sheet.append([row.branch.name, *row.cells(), row.graded, state])
    sheet.append(["合计", *[totals[code] for code in GRADES], sum(totals.values()), ""])
    years = workbook.sheet("历年统计")
    years.append(["年度", *GRADES.values(), "评定人数"])
    for year, counts, total in yearly:
        years.append([year, *counts, total])
    return workbook.bytes()
