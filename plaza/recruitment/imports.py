"""Excel import of people already in the procedure, with the dates of the steps they have done.

Every row is checked: an unknown 工号, someone outside the importer's scope or already in a pipeline, a
date that is not a date or lies in the future, a step recorded without the steps it comes after — these
are errors, and then nothing is imported. What the rules would have refused (a candidate named before a
year of cultivation, a talk later than a month …) is imported *with a warning* per row and step, kept on
the step record as the reason, and listed — never silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from plaza.accounts.models import Person
from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock
from plaza.orgs.imports import Column, FileProblem, RowError, cell_date, cell_text, read_rows
from plaza.orgs.models import Level, Organisation
from plaza.orgs.permissions import Cap, Scope
from plaza.rules import recruitment
from plaza.rules.recruitment import Step

from .models import Pipeline, PipelineStatus, StepRecord
from .services import refresh_tasks, review_years

COLUMNS = (
    Column("工号", "employee_no", True, ("员工编号",)),
    Column("党支部编码", "branch", True, ("党组织编码",)),
    *(Column(f"第{s.number}步", f"step{s.number}", False, (f"{s.number} {s.name}", s.name)) for s in recruitment.STEPS),
)


@dataclass
class PipelineImport:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def template_header() -> list[str]:
    return [c.name for c in COLUMNS]


def import_pipelines(actor: Any, upload: BinaryIO) -> PipelineImport:
    result = PipelineImport()
    scope = Scope.of(actor, Cap.RECRUIT_COMMITTEE)
    if scope.is_empty:
        raise PermissionDenied(_("只有上级党委组织部门可以导入发展档案。"))
    try:
        rows = read_rows(upload, COLUMNS)
    except FileProblem as exc:
        result.errors.append(RowError(1, "", str(exc)))
        return result
    today = clock.today()
    numbers = [cell_text(row.get("employee_no")) for _, row in rows]
    people = {p.employee_no: p for p in scope.people(Person.objects.filter(employee_no__in=numbers))}
    busy = set(
        Pipeline.objects.filter(person__employee_no__in=numbers, status=PipelineStatus.ACTIVE).values_list(
            "person__employee_no", flat=True
        )
    )
    branches = {o.code: o for o in Organisation.objects.filter(code__in={cell_text(r.get("branch")) for _, r in rows})}
    plans = []
    reviews: dict[int, int] = {}
    reviews_on: dict[tuple[int, Any], int] = {}
    for number, row in rows:
        employee_no, code = cell_text(row.get("employee_no")), cell_text(row.get("branch"))
        person, branch = people.get(employee_no), branches.get(code)
        if person is None:
            result.errors.append(RowError(number, "工号", _("在您的管理范围内没有这个工号")))
        elif employee_no in busy:
            result.errors.append(RowError(number, "工号", _("此人已在发展程序中")))
        if branch is None or branch.level not in (Level.BRANCH, Level.GENERAL_BRANCH, Level.COMMITTEE):
            result.errors.append(RowError(number, "党支部编码", _("党组织编码 %(c)s 不存在") % {"c": code}))
        elif not scope.covers(branch):
            result.errors.append(RowError(number, "党支部编码", _("该组织不在您的管理范围内")))
        done: dict[int, Any] = {}
        if branch is not None and branch.pk not in reviews:  # the branch's 本单位规定, read once per branch
            reviews[branch.pk] = review_years(branch)
        review = reviews[branch.pk] if branch is not None else recruitment.POLITICAL_REVIEW_VALID_YEARS
        for step in recruitment.STEPS:
            column = f"第{step.number}步"
            try:
                on = cell_date(row.get(f"step{step.number}"))
            except ValueError:
                result.errors.append(RowError(number, column, _("日期格式应为 2020-01-01")))
                continue
            if on is None:
                continue
            if on > today:
                result.errors.append(RowError(number, column, _("日期不能晚于今天")))
            missing = [p for p in step.after if p not in done]
            if missing:
                result.errors.append(RowError(number, column, _("缺少第%(n)s步的日期") % {"n": missing[0]}))
            elif person is not None:
                if (
                    step.number == Step.ADMISSION_VOTE and branch is not None
                ):  # the 本单位规定 in force on the meeting's day
                    key = (branch.pk, on)
                    if key not in reviews_on:
                        reviews_on[key] = review_years(branch, on=on)
                    review = reviews_on[key]
                for violation in recruitment.check(
                    step.number, on, done, person.birth_date or on, political_review_years=review
                ):
                    result.warnings.append(RowError(number, column, violation.message))
            done[step.number] = on
        if Step.APPLICATION not in done:
            result.errors.append(RowError(number, "第1步", _("必填：递交入党申请书的日期")))
        plans.append((number, person, branch, done))
    if result.errors:
        return result
    warned = {(w.row, w.column): w.message for w in result.warnings}
    with transaction.atomic():
        for number, person, branch, done in plans:
            pipeline = Pipeline.objects.create(person=person, branch=branch, last_step=max(done))
            StepRecord.objects.bulk_create(
                [
                    StepRecord(
                        pipeline=pipeline,
                        step=step,
                        done_on=on,
                        recorded_by=actor,
                        note=_("Excel 导入"),
                        override_reason=warned.get((number, f"第{step}步"), ""),
                    )
                    for step, on in done.items()
                ]
            )
            refresh_tasks(pipeline, today=today)
            result.created += 1
        record(
            actor,
            actions.RECRUITMENT_IMPORT,
            object_type="recruitment.pipeline",
            after={"created": result.created, "warnings": len(result.warnings)},
        )
    return result
