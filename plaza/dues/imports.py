"""The monthly payroll import of dues bases (Excel: 工号, 姓名, 类别, 工资基数).

Every row is checked and errors are listed by row and column (an unknown 工号 or one outside the importer's
scope, a name that does not match, a category or base that is not valid, a 工号 twice). Rows of people who
are not Party members are skipped for the Party ledger and counted (HR's payroll lists every employee); their
wages are sent on (``signals.payroll_wages_imported``) so the union dues ledger reads the same import — staff
import once. If any row is wrong nothing is written. Otherwise only rows whose base or category differ from
the base in effect for the payroll month create a new ``DuesBase`` row (source "payroll"); the others are
counted as unchanged. Reads are done in bulk and writes with ``bulk_create``: 200,000 rows are one pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils.translation import gettext as _

from plaza.accounts.models import Person, PoliticalStatus
from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib.excel import ExcelProblem, ExcelWriter, read_sheet
from plaza.orgs.imports import RowError, cell_text
from plaza.orgs.permissions import Cap, Scope
from plaza.rules.dates import month_start

from .models import BaseSource, Category, DuesBase
from .services import base_problems
from .signals import payroll_wages_imported

MAX_ROWS = 300_000
COLUMNS = {"工号": "employee_no", "姓名": "name", "类别": "category", "工资基数": "base"}
ALIASES = {
    "员工编号": "工号",
    "职工号": "工号",
    "人员类别": "类别",
    "党费类别": "类别",
    "月工资基数": "工资基数",
    "党费基数": "工资基数",
    "基数": "工资基数",
}
CATEGORY_BY_LABEL = {
    **{value: value for value in Category.values},
    **{str(label): value for value, label in Category.choices},
    "在岗": Category.IN_SERVICE,
    "在职": Category.IN_SERVICE,
    "离退休": Category.RETIRED,
    "退休": Category.RETIRED,
    "离休": Category.RETIRED,
    "学生": Category.FLAT,
    "下岗": Category.FLAT,
    "失业": Category.FLAT,
    "低保": Category.FLAT,
    "农民": Category.FARMER,
}
SMALL_IMPORT = 2_000  # up to this many rows, look people and bases up by number; above, read the scope once


@dataclass
class BaseImport:
    month: date
    created: int = 0
    unchanged: int = 0
    changed: int = 0  # rows that differ (created when the file has no errors)
    skipped: int = 0  # rows of people who are not Party members: a payroll file lists every employee
    others: int = 0  # wages of those rows recorded by other ledgers (the union's), from the same file
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _FileProblem(Exception):
    pass


def template() -> bytes:
    writer = ExcelWriter()
    sheet = writer.sheet("党费基数", header=COLUMNS)
    sheet.append(["10000001", "刘昭涛", "在岗职工", 8000])
    return writer.bytes()


def _read(upload: BinaryIO) -> list[tuple[int, dict[str, Any]]]:
    """The rows of the file, bounded and streamed by :func:`plaza.lib.excel.read_sheet`."""
    try:
        rows = read_sheet(upload, max_rows=MAX_ROWS + 1)
        header = next(rows, (1, ()))[1]
        if not any(cell_text(cell) for cell in header):
            raise _FileProblem(_("工作表是空的：第 1 行应为表头。"))
        index: dict[str, int] = {}
        for position, cell in enumerate(header):
            label = cell_text(cell)
            label = ALIASES.get(label, label)
            if label in COLUMNS and COLUMNS[label] not in index:
                index[COLUMNS[label]] = position
        missing = [name for name, key in COLUMNS.items() if key not in index]
        if missing:
            raise _FileProblem(_("表头缺少必填列：%(cols)s。请使用导入模板。") % {"cols": "、".join(missing)})
        result = []
        width = max(index.values()) + 1
        for number, values in rows:
            values = tuple(values[:width]) + (None,) * (width - len(values))
            row = {key: values[i] for key, i in index.items()}
            if any(v not in (None, "") for v in row.values()):
                result.append((number, row))
    except ExcelProblem as exc:
        raise _FileProblem(str(exc)) from exc
    return result


def _base(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):  # Excel numbers arrive as floats: read them as they are displayed, to the fen
        return Decimal(repr(value)).quantize(Decimal("0.01")) if value == round(value, 2) else Decimal(repr(value))
    try:
        return Decimal(cell_text(value).replace(",", "").replace("，", ""))
    except InvalidOperation as exc:
        raise ValueError from exc


def _people(scope: Scope, numbers: list[str]) -> dict[str, tuple[int, str, str]]:
    people = scope.people(Person.objects.all())
    if len(numbers) <= SMALL_IMPORT:
        people = people.filter(employee_no__in=numbers)
    return {
        no: (pk, name, status)
        for no, pk, name, status in people.values_list("employee_no", "pk", "name", "political_status").iterator(
            chunk_size=20_000
        )
    }


def _current_bases(person_ids: list[int], month: date) -> dict[int, tuple[str, Decimal]]:
    """(category, base) in effect for ``month`` per person: the latest effective_from <= month, last recorded."""
    rows = DuesBase.objects.filter(effective_from__lte=month)
    if len(person_ids) <= SMALL_IMPORT:
        rows = rows.filter(person_id__in=person_ids)
    current: dict[int, tuple[str, Decimal]] = {}
    if connection.vendor == "postgresql":  # one row per person (DISTINCT ON)
        rows = rows.order_by("person_id", "-effective_from", "-id").distinct("person_id")
    else:
        rows = rows.order_by("person_id", "effective_from", "id")
    for person_id, category, base in rows.values_list("person_id", "category", "base").iterator(chunk_size=50_000):
        current[person_id] = (category, base)
    return current


def import_bases(actor: Any, upload: BinaryIO, month: date, *, confirm_large: bool = False) -> BaseImport:
    """Import a payroll file for ``month`` (its first day is the new bases' effective_from)."""
    scope = Scope.of(actor, Cap.DUES)
    if scope.is_empty:
        raise PermissionDenied(_("您没有登记党费基数的权限。"))
    month = month_start(month)
    result = BaseImport(month)
    try:
        rows = _read(upload)
    except _FileProblem as exc:
        result.errors.append(RowError(1, "", str(exc)))
        return result
    numbers = [cell_text(row["employee_no"]) for _, row in rows]
    people = _people(scope, numbers)
    current = _current_bases([people[n][0] for n in numbers if n in people], month)
    party = set(PoliticalStatus.party_members())
    seen: dict[str, int] = {}
    new: list[DuesBase] = []
    others: dict[int, Decimal] = {}
    errors = result.errors
    for (number, row), employee_no in zip(rows, numbers, strict=True):
        found = people.get(employee_no)
        if not employee_no:
            errors.append(RowError(number, "工号", _("必填")))
            continue
        if employee_no in seen:
            errors.append(RowError(number, "工号", _("与第 %(n)s 行重复") % {"n": seen[employee_no]}))
            continue
        seen[employee_no] = number
        if found is None:
            errors.append(RowError(number, "工号", _("在您的管理范围内没有这个工号")))
            continue
        person_id, name, status = found
        row_ok = True
        given_name = cell_text(row["name"])
        if given_name and given_name != name:
            errors.append(RowError(number, "姓名", _("与工号不符：系统中为 %(name)s") % {"name": name}))
            row_ok = False
        if status not in party:  # HR's payroll lists everyone; only Party members pay dues
            result.skipped += 1
            try:
                wage = _base(row["base"])
                if not wage.is_finite() or wage < 0:
                    raise ValueError
            except ValueError:
                errors.append(RowError(number, "工资基数", _("应为金额（元），如 8000 或 8000.50")))
                continue
            if row_ok:
                others[person_id] = wage
            continue
        category = CATEGORY_BY_LABEL.get(cell_text(row["category"]))
        if category is None:
            errors.append(RowError(number, "类别", _("应为：在岗职工、离退休人员、学生/下岗/低保 或 农民")))
            row_ok = False
        try:
            base = _base(row["base"])
            if not base.is_finite():
                raise ValueError
        except ValueError:
            errors.append(RowError(number, "工资基数", _("应为金额（元），如 8000 或 8000.50")))
            continue
        problems = base_problems(category or Category.IN_SERVICE, base, confirm_large=confirm_large)
        for problem in problems:
            errors.append(RowError(number, "工资基数", problem))
        if not row_ok or problems:
            continue
        if current.get(person_id) == (category, base):
            result.unchanged += 1
        else:
            result.changed += 1
            new.append(
                DuesBase(
                    person_id=person_id,
                    category=category,
                    base=base,
                    effective_from=month,
                    source=BaseSource.PAYROLL,
                    recorded_by=actor,
                )
            )
    if errors:
        return result
    with transaction.atomic():
        DuesBase.objects.bulk_create(new, batch_size=5_000)
        result.created = len(new)
        if others:
            answers = payroll_wages_imported.send(sender=BaseImport, actor=actor, month=month, wages=others)
            result.others = sum(n for _receiver, n in answers if isinstance(n, int))
        record(
            actor,
            actions.DUES_IMPORT,
            object_type="dues.duesbase",
            after={
                "month": month,
                "rows": len(rows),
                "created": result.created,
                "unchanged": result.unchanged,
                "skipped": result.skipped,
                "others": result.others,
            },
        )
    return result
