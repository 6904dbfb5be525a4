"""Roster export to Excel: masked unless the viewer may see personal data in full and asks for it (audited).

Written by :class:`plaza.lib.excel.ExcelWriter`: names and every other text stay text, never formulas."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from plaza.accounts.models import Person
from plaza.lib.excel import ExcelWriter

from .models import Membership

HEADER = (
    "工号",
    "姓名",
    "性别",
    "出生日期",
    "民族",
    "学历",
    "部门",
    "岗位",
    "政治面貌",
    "手机号",
    "身份证号",
    "所在组织",
)


def roster_workbook(people: QuerySet[Person], *, full: bool) -> bytes:
    workbook = ExcelWriter()
    sheet = workbook.sheet("花名册", header=HEADER)
    current = Membership.objects.filter(until__isnull=True).select_related("organisation")
    rows = people.prefetch_related(Prefetch("memberships", queryset=current, to_attr="current_memberships"))
    for person in rows.iterator(chunk_size=2000):
        sheet.append(_row(person, full))
    return workbook.bytes()


def _row(person: Any, full: bool) -> tuple:
    return (
        person.employee_no,
        person.name,
        person.get_gender_display(),
        person.birth_date.isoformat() if person.birth_date else "",
        person.ethnicity,
        person.get_education_display(),
        person.department,
        person.job_title,
        person.get_political_status_display(),
        person.phone if full else person.masked_phone,
        person.id_card if full else person.masked_id_card,
        "、".join(m.organisation.name for m in person.current_memberships),
    )
