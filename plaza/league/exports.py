"""共青团 Excel files: the League roster (phones masked, as on the page)."""

from __future__ import annotations

from collections.abc import Iterable

from plaza.lib.excel import ExcelWriter

from .queries import BranchCompliance, RosterRow

HEADER = ["团组织", "工号", "姓名", "性别", "出生日期", "年龄", "年满二十八周岁", "团内职务", "入团组织日期", "手机号"]


def roster_workbook(rows: Iterable[RosterRow]) -> bytes:
    """One line per League member (:func:`plaza.league.queries.roster`)."""
    workbook = ExcelWriter()
    sheet = workbook.sheet("团员名册", HEADER)
    for row in rows:
        person = row.membership.person
        sheet.append(
            [
                row.membership.organisation.name,
                person.employee_no,
                person.name,
                person.get_gender_display(),
                person.birth_date,
                row.age,
                row.leaving_on,
                "是" if row.has_post else "",
                row.membership.since,
                person.masked_phone,
            ]
        )
    return workbook.bytes()


def compliance_workbook(rows: Iterable[BranchCompliance], year: int) -> bytes:
    """One line per missing period of each 团支部 (:func:`plaza.league.queries.compliance`); a branch with no
    gap has one line saying so."""
    workbook = ExcelWriter()
    sheet = workbook.sheet(
        f"{year}年团组织生活", ["团支部", "缺少的会议", "应召开期间起", "应召开期间止", "本年已召开（次）"]
    )
    for row in rows:
        if not row.gaps:
            sheet.append([row.branch.name, "无", None, None, row.held])
        for gap in row.gaps:
            sheet.append([row.branch.name, gap.label, gap.first, gap.last, row.held])
    return workbook.bytes()
