"""学习 Excel files: who has read a 必学 article, by branch and by person.

Built here, not in views, so the page only asks for the bytes and hands them to ``plaza.lib.http.attachment``;
written through :class:`plaza.lib.excel.ExcelWriter` (text stays text, never a formula)."""

from __future__ import annotations

from plaza.lib.excel import ExcelWriter

from .queries import BranchRow, PersonRow


def completion_workbook(branches: list[BranchRow], people: list[PersonRow]) -> bytes:
    """The completion of one article (:func:`plaza.learning.queries.completion`) as two sheets."""
    workbook = ExcelWriter()
    sheet = workbook.sheet("按支部")
    sheet.append(["支部", "应学人数", "已完成", "完成率(%)"])
    for row in branches:
        sheet.append([row.organisation.name, row.people, row.done, row.percent])
    detail = workbook.sheet("按人员")
    detail.append(["工号", "姓名", "支部", "完成日期"])
    for row in people:
        detail.append(
            [
                row.person.employee_no,
                row.person.name,
                row.branch.name if row.branch else "",
                row.done_on.isoformat() if row.done_on else "",
            ]
        )
    return workbook.bytes()
