"""Excel import of organisations and people: every row checked first, errors by row and column, all or nothing.

Nothing is written unless every row is valid. Writes go through ``plaza.orgs.services`` (scoped and audited),
plus one summary entry per import in the audit log.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from plaza.accounts.models import Education, Gender, Person, PoliticalStatus
from plaza.accounts.validators import id_card_problem, phone_problem
from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock
from plaza.lib.crypto import blind_index
from plaza.lib.excel import ExcelProblem, read_sheet
from plaza.lib.params import MAX_DATE, MIN_DATE, parse_int

from . import services
from .models import ALLOWED_PARENTS, Level, Membership, Organisation, Tree
from .permissions import Cap, Scope

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000


@dataclass(frozen=True)
class RowError:
    row: int  # as Excel shows it (the header is row 1)
    column: str
    message: str

    def __str__(self) -> str:
        return (
            f"第 {self.row} 行「{self.column}」：{self.message}" if self.column else f"第 {self.row} 行：{self.message}"
        )


@dataclass
class ImportResult:
    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class FileProblem(Exception):
    """The file as a whole cannot be read (not xlsx, too big, no header)."""


@dataclass(frozen=True)
class Column:
    name: str
    key: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()  # labels offered as a drop-down in the template
    example: str = ""


LEVEL_BY_LABEL = {str(label): value for value, label in Level.choices}
STATUS_BY_LABEL = {str(label): value for value, label in PoliticalStatus.choices}
EDUCATION_BY_LABEL = {str(label): value for value, label in Education.choices}
GENDER_BY_LABEL = {str(label): value for value, label in Gender.choices}

ORG_COLUMNS = (
    Column("组织编码", "code", True, ("编码", "组织代码"), example="P0101"),
    Column("组织名称", "name", True, ("名称",), example="装调车间党支部"),
    Column("组织类型", "level", True, ("类型", "层级"), tuple(LEVEL_BY_LABEL), "党支部"),
    Column("上级组织编码", "parent", False, ("上级编码", "上级组织"), example="P0100"),
    Column("成立日期", "established_on", False, (), example="2018-07-01"),
    Column("任期（年）", "term_years", False, ("任期", "任期(年)"), example="3"),
)
PEOPLE_COLUMNS = (
    Column("工号", "employee_no", True, ("员工编号", "职工号"), example="10000001"),
    Column("姓名", "name", True, (), example="刘昭涛"),
    Column("性别", "gender", False, (), tuple(GENDER_BY_LABEL), "男"),
    Column("出生日期", "birth_date", False, ("出生年月",), example="1988-05-01"),
    Column("民族", "ethnicity", False, (), example="汉族"),
    Column("学历", "education", False, (), tuple(EDUCATION_BY_LABEL), "本科"),
    Column("部门", "department", False, ("所在部门",), example="东岳动力总成"),
    Column("岗位", "job_title", False, ("职务", "岗位名称"), example="班组长"),
    Column("手机号", "phone", False, ("手机", "手机号码", "联系电话"), example="13812345678"),
    Column("身份证号", "id_card", False, ("身份证", "公民身份号码"), example="11010519880501001X"),
    Column("电子邮箱", "email", False, ("邮箱", "Email"), example="liu@example.com"),
    Column("政治面貌", "political_status", True, (), tuple(STATUS_BY_LABEL), "正式党员"),
    Column("党组织编码", "party_org", False, ("所在党组织编码",), example="P0101"),
    Column("工会组织编码", "union_org", False, (), example="U0001"),
    Column("团组织编码", "league_org", False, (), example=""),
    Column("加入日期", "since", False, ("编入日期",), example="2020-01-01"),
)
KINDS = {"organisations": ORG_COLUMNS, "people": PEOPLE_COLUMNS}
KIND_LABELS = {"organisations": gettext_lazy("组织"), "people": gettext_lazy("人员")}


# ---------------------------------------------------------------------------------------------- reading


def cell_text(value: Any) -> str:
    """A cell as trimmed text ("" when empty); a whole number Excel stored as 1234.0 reads as "1234".

    Public: every app's import reads employee numbers and codes this way (recruitment, dues)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def cell_date(value: Any) -> date | None:
    """Excel dates, or text like 2020-01-01, 2020/1/1, 2020.01.01, 20200101; ValueError outside 1900–2100.

    Public: every app's import reads dates this way (recruitment's past step dates)."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        if not MIN_DATE <= value <= MAX_DATE:
            raise ValueError
        return value
    text = cell_text(value)
    match = re.fullmatch(r"([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?", text) or re.fullmatch(
        r"([0-9]{4})([0-9]{2})([0-9]{2})", text
    )
    if not match:
        raise ValueError
    found = date(int(match[1]), int(match[2]), int(match[3]))
    if not MIN_DATE <= found <= MAX_DATE:  # 0001-01-01 is a typo, and later date arithmetic would overflow
        raise ValueError
    return found


def read_rows(upload: BinaryIO, columns: tuple[Column, ...]) -> list[tuple[int, dict[str, Any]]]:
    """(Excel row number, {key: cell value}) for every non-blank row. FileProblem for an unreadable file.

    The file is bounded and streamed by :func:`plaza.lib.excel.read_sheet` (size unpacked, rows, columns),
    within this import's own limits: MAX_BYTES and MAX_ROWS data rows."""
    try:
        rows = read_sheet(upload, max_rows=MAX_ROWS + 1, max_bytes=MAX_BYTES)
        header = next(rows, (1, ()))[1]
        if not any(cell_text(cell) for cell in header):
            raise FileProblem(_("工作表是空的：第 1 行应为表头。"))
        names = {}
        for index, cell in enumerate(header):
            label = cell_text(cell)
            for column in columns:
                if label == column.name or label in column.aliases:
                    names[index] = column.key
        missing = [c.name for c in columns if c.required and c.key not in names.values()]
        if missing:
            raise FileProblem(_("表头缺少必填列：%(cols)s。请使用导入模板。") % {"cols": "、".join(missing)})
        result = []
        for number, values in rows:
            row = {key: values[index] if index < len(values) else None for index, key in names.items()}
            if any(cell_text(v) for v in row.values()):
                result.append((number, row))
    except ExcelProblem as exc:
        raise FileProblem(str(exc)) from exc
    return result


def _begin(actor: Any, upload: BinaryIO, kind: str) -> tuple[ImportResult, list[tuple[int, dict]], Scope]:
    """Check the importer may import at all, then read the file; a file problem becomes the only error."""
    scope = Scope.of(actor, Cap.IMPORT)
    if scope.is_empty:
        raise PermissionDenied(_("您没有导入%(kind)s的权限。") % {"kind": KIND_LABELS[kind]})
    result = ImportResult(kind)
    try:
        return result, read_rows(upload, KINDS[kind]), scope
    except FileProblem as exc:
        result.errors.append(RowError(1, "", str(exc)))
        return result, [], scope


def _label(columns: tuple[Column, ...], key: str) -> str:
    return next(c.name for c in columns if c.key == key)


# ------------------------------------------------------------------------------------------ organisations


def import_organisations(actor: Any, upload: BinaryIO) -> ImportResult:
    result, rows, scope = _begin(actor, upload, "organisations")
    if not result.ok:
        return result
    col = lambda key: _label(ORG_COLUMNS, key)  # noqa: E731
    existing = {o.code: o for o in Organisation.objects.all().only("pk", "code", "level", "path", "name", "depth")}
    planned: dict[str, dict[str, Any]] = {}
    for number, row in rows:
        errors_before = len(result.errors)
        item: dict[str, Any] = {"row": number}
        for key in ("code", "name"):
            item[key] = cell_text(row.get(key))
            if not item[key]:
                result.errors.append(RowError(number, col(key), _("必填")))
        level_label = cell_text(row.get("level"))
        item["level"] = LEVEL_BY_LABEL.get(level_label)
        if not item["level"]:
            result.errors.append(
                RowError(number, col("level"), _("应为以下之一：%(c)s") % {"c": "、".join(LEVEL_BY_LABEL)})
            )
        item["parent"] = cell_text(row.get("parent"))
        try:
            item["established_on"] = cell_date(row.get("established_on"))
        except ValueError:
            result.errors.append(RowError(number, col("established_on"), _("日期格式应为 2020-01-01")))
        term = cell_text(row.get("term_years"))
        item["term_years"] = parse_int(term, minimum=1, maximum=10)  # "²" passes isdigit() and fails int()
        if term and item["term_years"] is None:
            result.errors.append(RowError(number, col("term_years"), _("应为 1 到 10 之间的整数")))
        if item["code"] in planned:
            result.errors.append(
                RowError(number, col("code"), _("与第 %(r)s 行重复") % {"r": planned[item["code"]]["row"]})
            )
        elif item["code"] in existing:
            result.errors.append(RowError(number, col("code"), _("组织编码已存在")))
        if len(result.errors) == errors_before:
            planned[item["code"]] = item
    # Parents may come later in the file: place every organisation once its parent is known.
    order: list[dict[str, Any]] = []
    placed: dict[str, str] = {}  # code -> level, for organisations in the file
    pending = dict(planned)
    while pending:
        progress = False
        for code, item in list(pending.items()):
            parent = item["parent"]
            if not parent or parent in existing or parent in placed:
                order.append(item)
                placed[code] = item["level"]
                del pending[code]
                progress = True
            elif parent not in planned:
                result.errors.append(
                    RowError(item["row"], col("parent"), _("上级组织编码 %(c)s 不存在") % {"c": parent})
                )
                del pending[code]
                progress = True
        if not progress:
            for item in pending.values():
                result.errors.append(RowError(item["row"], col("parent"), _("上级组织关系形成循环")))
            break
    for item in order:
        parent = item["parent"]
        parent_level = existing[parent].level if parent in existing else placed.get(parent)
        if parent_level not in ALLOWED_PARENTS[item["level"]]:
            result.errors.append(
                RowError(
                    item["row"],
                    col("level"),
                    _("「%(l)s」不能设在「%(p)s」之下")
                    % {
                        "l": Organisation(level=item["level"]).get_level_display(),
                        "p": Organisation(level=parent_level).get_level_display() if parent_level else _("顶层"),
                    },
                )
            )
        if parent in existing and not scope.covers(existing[parent]):
            result.errors.append(RowError(item["row"], col("parent"), _("上级组织不在您的管理范围内")))
        if not parent and not scope.everything:
            result.errors.append(RowError(item["row"], col("parent"), _("只有系统管理员可以导入顶层组织")))
    if result.errors:
        return result
    with transaction.atomic():
        created: dict[str, Organisation] = dict(existing)
        for item in order:
            parent = created.get(item["parent"]) if item["parent"] else None
            created[item["code"]] = services.create_organisation(
                actor,
                parent=parent,
                name=item["name"],
                code=item["code"],
                level=item["level"],
                established_on=item.get("established_on"),
                term_years=item["term_years"],
            )
            result.created += 1
        record(actor, actions.ORGS_IMPORT, object_type="orgs.organisation", after={"created": result.created})
    return result


# ------------------------------------------------------------------------------------------------ people


PERSON_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "education",
    "department",
    "job_title",
    "phone",
    "id_card",
    "email",
)
TREE_KEYS = {"party_org": Tree.PARTY, "union_org": Tree.UNION, "league_org": Tree.LEAGUE}


def import_people(actor: Any, upload: BinaryIO) -> ImportResult:
    """Create people, or update those whose 工号 exists and who are in the importer's scope."""
    result, rows, scope = _begin(actor, upload, "people")
    if not result.ok:
        return result
    col = lambda key: _label(PEOPLE_COLUMNS, key)  # noqa: E731
    numbers = [cell_text(row.get("employee_no")) for _, row in rows]
    existing = {p.employee_no: p for p in Person.objects.filter(employee_no__in=numbers)}
    in_scope = set(
        scope.people(Person.objects.filter(employee_no__in=list(existing))).values_list("employee_no", flat=True)
    )
    codes = {cell_text(row.get(k)) for _, row in rows for k in TREE_KEYS} - {""}
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
    id_indexes = {
        blind_index(cell_text(row.get("id_card")).upper()) for _, row in rows if cell_text(row.get("id_card"))
    }
    id_owners = dict(Person.objects.filter(id_card_index__in=id_indexes).values_list("id_card_index", "employee_no"))
    seen_numbers: dict[str, int] = {}
    seen_ids: dict[str, int] = {}
    plans = []
    for number, row in rows:
        item: dict[str, Any] = {"row": number}
        errors = []

        def err(key: str, message: str, errors: list = errors, number: int = number) -> None:
            errors.append(RowError(number, col(key), message))

        item["employee_no"] = cell_text(row.get("employee_no"))
        item["name"] = cell_text(row.get("name"))
        for key in ("employee_no", "name"):
            if not item[key]:
                err(key, _("必填"))
        if item["employee_no"] in seen_numbers:
            err("employee_no", _("与第 %(r)s 行重复") % {"r": seen_numbers[item["employee_no"]]})
        seen_numbers.setdefault(item["employee_no"], number)
        if item["employee_no"] in existing and item["employee_no"] not in in_scope:
            err("employee_no", _("该工号已存在且不在您的管理范围内"))
        for key, table in (("gender", GENDER_BY_LABEL), ("education", EDUCATION_BY_LABEL)):
            label = cell_text(row.get(key))
            item[key] = table.get(label, "")
            if label and not item[key]:
                err(key, _("应为以下之一：%(c)s") % {"c": "、".join(table)})
        status_label = cell_text(row.get("political_status"))
        item["political_status"] = STATUS_BY_LABEL.get(status_label)
        if not item["political_status"]:
            err("political_status", _("应为以下之一：%(c)s") % {"c": "、".join(STATUS_BY_LABEL)})
        for key in ("birth_date", "since"):
            try:
                item[key] = cell_date(row.get(key))
            except ValueError:
                err(key, _("日期格式应为 2020-01-01"))
        item["ethnicity"] = cell_text(row.get("ethnicity")) or "汉族"
        item["department"], item["job_title"] = cell_text(row.get("department")), cell_text(row.get("job_title"))
        item["email"] = cell_text(row.get("email"))
        if item["email"] and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", item["email"]):
            err("email", _("电子邮箱格式不正确"))
        item["phone"] = cell_text(row.get("phone"))
        if item["phone"] and (problem := phone_problem(item["phone"])):
            err("phone", problem)
        item["id_card"] = cell_text(row.get("id_card")).upper()
        if item["id_card"]:
            if problem := id_card_problem(item["id_card"]):
                err("id_card", problem)
            else:
                index = blind_index(item["id_card"])
                owner = id_owners.get(index)
                if index in seen_ids:
                    err("id_card", _("与第 %(r)s 行的身份证号重复") % {"r": seen_ids[index]})
                elif owner and owner != item["employee_no"]:
                    err("id_card", _("该身份证号已属于另一名人员"))
                seen_ids.setdefault(index, number)
                born = item["id_card"][6:14]
                if item.get("birth_date") and born != item["birth_date"].strftime("%Y%m%d"):
                    err("birth_date", _("与身份证号中的出生日期不一致"))
        item["orgs"] = {}
        for key, tree in TREE_KEYS.items():
            code = cell_text(row.get(key))
            if not code:
                continue
            org = orgs.get(code)
            if org is None:
                err(key, _("组织编码 %(c)s 不存在") % {"c": code})
            elif org.tree != tree:
                err(key, _("%(c)s 不是%(t)s组织") % {"c": code, "t": Tree(tree).label})
            elif not scope.covers(org):
                err(key, _("该组织不在您的管理范围内"))
            else:
                item["orgs"][tree] = org
        if not item["orgs"] and item["employee_no"] not in existing:
            err("party_org", _("新人员至少要填写一个所在组织（党组织、工会或团组织编码）"))
        result.errors.extend(errors)
        plans.append(item)
    if result.errors:
        return result
    with transaction.atomic():
        for item in plans:
            _apply_person(actor, item, existing.get(item["employee_no"]), result)
        record(
            actor,
            actions.PEOPLE_IMPORT,
            object_type="accounts.person",
            after={"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
        )
    return result


def _apply_person(actor: Any, item: dict[str, Any], person: Person | None, result: ImportResult) -> None:
    since = item.get("since") or clock.today()
    fields = {key: item[key] for key in PERSON_FIELDS if key in item}
    if person is None:
        person = Person(employee_no=item["employee_no"], political_status=item["political_status"], **fields)
        person.set_unusable_password()
        person.save()
        record(actor, actions.PEOPLE_CREATE, person, after={"employee_no": person.employee_no, "name": person.name})
        for org in item["orgs"].values():
            Membership.objects.create(person=person, organisation=org, since=since)
        result.created += 1
        return
    changed = False
    updates = {k: v for k, v in fields.items() if v not in ("", None) and getattr(person, k) != v}
    if updates:
        services.update_person(actor, person, reason=_("Excel 导入"), **updates)
        changed = True
    if item["political_status"] != person.political_status:
        services.change_political_status(
            actor, person, item["political_status"], effective_on=since, reason=_("Excel 导入")
        )
        changed = True
    for org in item["orgs"].values():
        current = Membership.objects.filter(person=person, tree=org.tree, until__isnull=True).first()
        if current is None or current.organisation_id != org.pk:
            try:
                services.assign_membership(actor, person, org, since=since)
            except ValidationError as exc:
                raise ValidationError(f"{person.employee_no}: {'；'.join(exc.messages)}") from exc
            changed = True
    if changed:
        result.updated += 1
    else:
        result.unchanged += 1


# ------------------------------------------------------------------------------------------------ templates


def template_workbook(kind: str) -> bytes:
    """An empty import sheet with the header, one example row, drop-down lists and a 说明 sheet."""
    columns = KINDS[kind]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(KIND_LABELS[kind])
    for index, column in enumerate(columns, start=1):
        sheet.cell(row=1, column=index).value = column.name
        sheet.cell(row=2, column=index).value = column.example
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(12, len(column.name) * 3)
        if column.choices:
            validation = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True)
            validation.error = _("请从下拉列表中选择")
            sheet.add_data_validation(validation)
            letter = sheet.cell(row=1, column=index).column_letter
            validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    notes = workbook.create_sheet(_("说明"))
    notes.append([_("列"), _("必填"), _("说明")])
    for column in columns:
        hint = (
            "、".join(column.choices)
            if column.choices
            else (_("日期，例如 2020-01-01") if "日期" in column.name else "")
        )
        notes.append([column.name, _("是") if column.required else "", hint])
    notes.append([])
    notes.append(
        [_("第 2 行是示例，导入前请删除或覆盖。所有行校验通过后才会一次性写入；有任何错误时不会导入任何数据。")]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
