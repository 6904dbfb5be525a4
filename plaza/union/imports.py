"""Excel imports of 工会: the payroll's monthly wages (the same HR file the Party dues import reads: 工号, 姓名,
工资基数; a 类别 column is ignored) and HR's list of care events (工号, 姓名, 事项, 日期, 说明).

Each row is checked and errors are listed by row and column; if any row is wrong nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from plaza.accounts.models import Person
from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock
from plaza.lib.excel import ExcelProblem, ExcelWriter, read_sheet
from plaza.orgs.imports import RowError, cell_date, cell_text
from plaza.orgs.permissions import Cap, Scope
from plaza.rules.dates import month_start

from . import services
from .models import BATCH_KINDS, CARE_KINDS, CaseOrigin, Kind, Wage, WageSource

MAX_ROWS = 100_000
WAGE_COLUMNS = {"工号": "employee_no", "姓名": "name", "工资基数": "wage"}
WAGE_ALIASES = {"月工资基数": "工资基数", "月工资": "工资基数", "基数": "工资基数", "岗位工资": "工资基数"}
EVENT_COLUMNS = {"工号": "employee_no", "姓名": "name", "事项": "kind", "日期": "day", "说明": "note"}
KIND_BY_LABEL = {
    # 节日慰问 is paid to every member at once (services.pay_festival), not imported person by person
    **{str(label): value for value, label in Kind.choices if value in CARE_KINDS and value not in BATCH_KINDS},
    "生日": Kind.BIRTHDAY,
    "结婚": Kind.MARRIAGE,
    "生育": Kind.CHILDBIRTH,
    "配偶生育": Kind.CHILDBIRTH_SPOUSE,
    "住院": Kind.HOSPITAL,
    "丧事": Kind.BEREAVEMENT,
    "直系亲属去世": Kind.BEREAVEMENT,
    "去世": Kind.DEATH,
    "退休": Kind.RETIREMENT,
    "长期患病": Kind.ILLNESS,
}


@dataclass
class Outcome:
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def wage_template() -> bytes:
    writer = ExcelWriter()
    sheet = writer.sheet("工资基数", header=WAGE_COLUMNS)
    sheet.append(["10000001", "赵群众", 6800])
    return writer.bytes()


def events_template() -> bytes:
    writer = ExcelWriter()
    sheet = writer.sheet("慰问事项", header=EVENT_COLUMNS)
    sheet.append(["10000001", "赵群众", "退休", "2026-12-31", "人力资源部退休名单"])
    return writer.bytes()


def _rows(
    upload: BinaryIO, columns: dict[str, str], aliases: dict[str, str], required: list[str]
) -> list[tuple[int, dict[str, Any]]]:
    rows = read_sheet(upload, max_rows=MAX_ROWS + 1)
    header = next(rows, (1, ()))[1]
    index: dict[str, int] = {}
    for position, cell in enumerate(header):
        label = cell_text(cell)
        label = aliases.get(label, label)
        if label in columns and columns[label] not in index:
            index[columns[label]] = position
    missing = [name for name in required if columns[name] not in index]
    if missing:
        raise ExcelProblem(_("表头缺少必填列：%(cols)s。请使用导入模板。") % {"cols": "、".join(missing)})
    result = []
    for number, values in rows:
        row = {key: (values[i] if i < len(values) else None) for key, i in index.items()}
        if any(v not in (None, "") for v in row.values()):
            result.append((number, row))
    return result


def _people(scope: Scope, numbers: list[str]) -> dict[str, Person]:
    return {p.employee_no: p for p in scope.people(Person.objects.filter(employee_no__in=numbers))}


def _wage(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, (int, float)):
        return Decimal(repr(value)).quantize(Decimal("0.01"))
    try:
        return Decimal(cell_text(value).replace(",", "")).quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise ValueError from exc


def import_wages(actor: Any, upload: BinaryIO, month: date) -> Outcome:
    """The payroll's wages for ``month`` for the union members in the importer's scope."""
    scope = Scope.of(actor, Cap.UNION)
    if scope.is_empty:
        raise PermissionDenied(_("您没有导入会费工资基数的权限。"))
    month = month_start(month)
    result = Outcome()
    try:
        rows = _rows(upload, WAGE_COLUMNS, WAGE_ALIASES, ["工号", "工资基数"])
    except ExcelProblem as exc:
        result.errors.append(RowError(1, "", str(exc)))
        return result
    result.rows = len(rows)
    numbers = [cell_text(row["employee_no"]) for _, row in rows]
    people = _people(scope, numbers)
    current: dict[int, Decimal] = {}
    for person_id, wage in (
        Wage.objects.filter(person__in=people.values(), effective_from__lte=month)
        .order_by("person_id", "effective_from", "id")
        .values_list("person_id", "wage")
    ):
        current[person_id] = wage
    seen: dict[str, int] = {}
    new: list[Wage] = []
    for (number, row), employee_no in zip(rows, numbers, strict=True):
        if not employee_no:
            result.errors.append(RowError(number, "工号", _("必填")))
            continue
        if employee_no in seen:
            result.errors.append(RowError(number, "工号", _("与第 %(n)s 行重复") % {"n": seen[employee_no]}))
            continue
        seen[employee_no] = number
        person = people.get(employee_no)
        if person is None:
            result.errors.append(RowError(number, "工号", _("在您的管理范围内没有这个工号")))
            continue
        name = cell_text(row.get("name"))
        if name and name != person.name:
            result.errors.append(RowError(number, "姓名", _("与工号不符：系统中为 %(name)s") % {"name": person.name}))
            continue
        try:
            wage = _wage(row["wage"])
            if not wage.is_finite() or wage < 0 or wage > Decimal("1000000"):
                raise ValueError
        except ValueError:
            result.errors.append(RowError(number, "工资基数", _("应为金额（元），如 6800 或 6800.50")))
            continue
        if current.get(person.pk) == wage:
            result.unchanged += 1
        else:
            new.append(
                Wage(person=person, wage=wage, effective_from=month, source=WageSource.PAYROLL, recorded_by=actor)
            )
    if result.errors:
        return result
    with transaction.atomic():
        Wage.objects.bulk_create(new, batch_size=5000)
        result.created = len(new)
        record(
            actor,
            actions.UNION_WAGES_IMPORT,
            object_type="union.wage",
            after={"month": month, "rows": result.rows, "created": result.created, "unchanged": result.unchanged},
        )
    return result


def import_events(actor: Any, upload: BinaryIO) -> Outcome:
    """HR's list of events (births, retirements, hospital stays …): a pending care case each, on the
    responsible officer's to-do list. Events already on record are counted as unchanged."""
    scope = Scope.of(actor, Cap.UNION)
    if scope.is_empty:
        raise PermissionDenied(_("您没有导入慰问事项的权限。"))
    result = Outcome()
    try:
        rows = _rows(
            upload, EVENT_COLUMNS, {"类别": "事项", "慰问类别": "事项", "事件日期": "日期"}, ["工号", "事项", "日期"]
        )
    except ExcelProblem as exc:
        result.errors.append(RowError(1, "", str(exc)))
        return result
    result.rows = len(rows)
    numbers = [cell_text(row["employee_no"]) for _, row in rows]
    people = _people(scope, numbers)
    events: list[tuple[Person, str, date, str]] = []
    today = clock.today()
    for (number, row), employee_no in zip(rows, numbers, strict=True):
        person = people.get(employee_no)
        if person is None:
            result.errors.append(RowError(number, "工号", _("在您的管理范围内没有这个工号")))
            continue
        kind = KIND_BY_LABEL.get(cell_text(row["kind"]))
        if kind is None:
            result.errors.append(RowError(number, "事项", _("应为：生育、结婚、住院、丧事、退休、长期患病等")))
            continue
        try:
            day = cell_date(row["day"])
        except ValueError:
            day = None
        if day is None or day.year < today.year - 2 or day.year > today.year + 1:
            result.errors.append(RowError(number, "日期", _("应为日期，如 2026-12-31")))
            continue
        if services.active_member(person) is None:
            result.errors.append(RowError(number, "工号", _("%(name)s 不是在册工会会员") % {"name": person.name}))
            continue
        events.append((person, kind, day, cell_text(row.get("note"))))
    if result.errors:
        return result
    with transaction.atomic():
        for person, kind, day, note in events:
            case = services.open_care_case(actor, person, kind, day, origin=CaseOrigin.IMPORT, note=note)
            if case is None:
                result.unchanged += 1
            else:
                result.created += 1
        record(
            actor,
            actions.UNION_CARE_IMPORT,
            object_type="union.carecase",
            after={"rows": result.rows, "created": result.created, "unchanged": result.unchanged},
        )
    return result
