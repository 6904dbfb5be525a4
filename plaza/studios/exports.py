"""工匠工作室 Excel: achievements per studio and 师带徒 per studio and organisation (plaza.lib.excel)."""

from __future__ import annotations

from django.db.models import QuerySet

from plaza.lib.excel import ExcelWriter

from .models import Studio
from .queries import PairStats, figures


def statistics_workbook(studios: QuerySet[Studio], per_studio: list[PairStats], per_org: list[PairStats]) -> bytes:
    workbook = ExcelWriter()
    sheet = workbook.sheet(
        "工作室成果", ["工作室", "成员", "专利", "其中实用新型", "创新项目", "技能等级", "高级技师", "荣誉"]
    )
    for studio in studios:
        f = figures(studio)
        sheet.append(
            [studio.name, f.members, f.patents, f.utility_patents, f.projects, f.grades, f.senior_technicians, f.awards]
        )
    for title, rows in (("师带徒（按工作室）", per_studio), ("师带徒（按组织）", per_org)):
        table = workbook.sheet(title, ["名称", "带教中", "已出师", "技能", "已签认技能"])
        for row in rows:
            table.append([row.label, row.active, row.finished, row.skills, row.skills_signed])
    return workbook.bytes()
