"""The question bank's Excel import: a template with drop-downs, every row checked before anything is saved
(errors by row and column, in Chinese), then all rows saved together or none."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from plaza.lib.excel import ExcelProblem, read_sheet
from plaza.orgs.models import Organisation
from plaza.orgs.permissions import Cap, Scope

from . import services
from .models import Difficulty, Kind, Question

COLUMNS = [
    "题型",
    "题干",
    "选项A",
    "选项B",
    "选项C",
    "选项D",
    "选项E",
    "选项F",
    "答案",
    "解析",
    "出处",
    "标签",
    "难度",
    "所属组织编码",
    "有效期至",
]
KINDS = {str(label): value for value, label in Kind.choices}
DIFFICULTIES = {str(label): value for value, label in Difficulty.choices}
TRUE_WORDS = {"正确", "对", "是", "√", "T", "TRUE"}
FALSE_WORDS = {"错误", "错", "否", "×", "F", "FALSE"}
FIELD_COLUMN = {
    "kind": "题型",
    "text": "题干",
    "options": "选项A",
    "answer": "答案",
    "difficulty": "难度",
    "tags": "标签",
    "organisation": "所属组织编码",
    "expires_on": "有效期至",
}
MAX_ROWS = 2001


def template() -> bytes:
    """The import template: the header, one example row, drop-downs for 题型 and 难度."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "题目"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(
        [
            "单选题",
            "别克E5的NEDC纯电续航里程最高约为多少公里？",
            "420",
            "545",
            "620",
            "720",
            "",
            "",
            "B",
            "别克E5长续航版NEDC续航545公里。",
            "别克E5产品手册",
            "E5、产品知识",
            "中等",
            "P0001",
            "",
        ]
    )
    kinds = DataValidation(type="list", formula1='"' + ",".join(KINDS) + '"', allow_blank=False)
    kinds.error = _("请从下拉列表中选择题型。")
    levels = DataValidation(type="list", formula1='"' + ",".join(DIFFICULTIES) + '"', allow_blank=True)
    levels.error = _("请从下拉列表中选择难度。")
    sheet.add_data_validation(kinds)
    sheet.add_data_validation(levels)
    kinds.add("A2:A2001")
    levels.add("M2:M2001")
    for column, width in zip("ABCDEFGHIJKLMNO", (8, 40, 14, 14, 14, 14, 10, 10, 8, 40, 20, 16, 8, 14, 12), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_answer(kind: str, raw: str, options: list[str]) -> list[Any] | None:
    """The answer as stored, from what a person types (letters, 正确/错误, texts split by |); None when it
    cannot be read. Shared by the import and the question form."""
    if kind in (Kind.SINGLE, Kind.MULTIPLE):
        letters = raw.upper().replace(",", "").replace("，", "").replace("、", "").replace(" ", "")
        if not letters or any(not "A" <= c <= "F" for c in letters):
            return None
        return sorted({ord(c) - 65 for c in letters})
    if kind == Kind.TRUE_FALSE:
        word = raw.upper()
        if word in TRUE_WORDS:
            return [0]
        if word in FALSE_WORDS:
            return [1]
        return None
    return [part.strip() for part in raw.replace("｜", "|").split("|") if part.strip()] or None


def _date(value: Any) -> date | None | str:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(_text(value).replace("/", "-"))
    except ValueError:
        return "bad"


@dataclass(frozen=True)
class Report:
    created: int
    errors: list[str]


def check(actor: Any, upload: BinaryIO | bytes) -> tuple[list[services.QuestionData], list[str]]:
    """Every row parsed and checked; (rows, errors by row and column). Nothing is saved."""
    scope = Scope.of(actor, Cap.QUIZ)
    orgs = {o.code: o for o in scope.organisations(Organisation.objects.all())}
    rows: list[services.QuestionData] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    try:
        for number, values in read_sheet(upload, max_rows=MAX_ROWS):
            cells = [_text(v) for v in values] + [""] * (len(COLUMNS) - len(values))
            if number == 1:
                if [c for c in cells[: len(COLUMNS)]] != COLUMNS:
                    return [], [_("表头与导入模板不一致，请下载最新模板填写。")]
                continue
            if not any(cells):
                continue
            problems: list[tuple[str, str]] = []
            kind = KINDS.get(cells[0], "")
            if not kind:
                problems.append(("题型", _("应为单选题、多选题、判断题或填空题")))
            options = [c for c in cells[2:8]]
            while options and not options[-1]:
                options.pop()
            if kind in (Kind.SINGLE, Kind.MULTIPLE) and "" in options:
                problems.append(("选项A", _("选项中间不能有空白")))
            answer = parse_answer(kind, cells[8], options) if kind else []
            if kind and answer is None:
                problems.append(("答案", _("无法识别答案（选择题填字母如 A 或 ABD；判断题填 正确/错误）")))
            difficulty = DIFFICULTIES.get(cells[12] or "中等")
            if difficulty is None:
                problems.append(("难度", _("应为容易、中等或较难")))
            org = orgs.get(cells[13])
            if org is None:
                problems.append(("所属组织编码", _("不是您可管理的组织编码")))
            expires = _date(values[14] if len(values) > 14 else None)
            if expires == "bad":
                problems.append(("有效期至", _("日期格式应为 2026-12-31")))
            if cells[1] in seen:
                problems.append(("题干", _("与第 %(n)s 行重复") % {"n": seen[cells[1]]}))
            seen.setdefault(cells[1], number)
            if not problems and org is not None and difficulty is not None and answer is not None:
                data = services.QuestionData(
                    kind=kind,
                    text=cells[1],
                    options=options,
                    answer=answer,
                    explanation=cells[9],
                    source=cells[10],
                    tags=[t for t in cells[11].replace("，", "、").replace(",", "、").split("、") if t.strip()],
                    difficulty=difficulty,
                    organisation=org,
                    expires_on=expires if isinstance(expires, date) else None,
                )
                problems += [(FIELD_COLUMN.get(f, f), why) for f, why in services.question_problems(data)]
                if not problems:
                    rows.append(data)
            errors += [
                _("第 %(row)s 行「%(col)s」：%(why)s") % {"row": number, "col": col, "why": why}
                for col, why in problems
            ]
    except ExcelProblem as exc:
        return [], [str(exc)]
    if not rows and not errors:
        errors.append(_("文件中没有题目。"))
    return rows, errors


def import_questions(actor: Any, upload: BinaryIO | bytes, filename: str = "") -> Report:
    """Check every row first; save all of them only when none has a problem."""
    if Scope.of(actor, Cap.QUIZ).is_empty:
        raise PermissionDenied(_("您没有维护题库的权限。"))
    rows, errors = check(actor, upload)
    if errors:
        return Report(0, errors)
    try:
        created: list[Question] = services.import_questions(actor, rows, filename=filename)
    except ValidationError as exc:
        return Report(0, list(exc.messages))
    return Report(len(created), [])
