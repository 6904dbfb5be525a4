"""Excel files in and out, safely: every import reads through :func:`read_sheet`, every export writes
through :class:`ExcelWriter`.

**Reading.** An .xlsx is a zip of XML. A 2 MB upload can unpack to gigabytes (a shared-strings table
repeated millions of times compresses a thousandfold), and openpyxl holds the whole shared-strings table in
memory. So before anything is parsed, :func:`check_package` reads only the zip's directory and refuses a
file whose members unpack beyond the limits in total, whose shared strings are too large, or whose members
compress implausibly well; then the sheet's declared size is checked, and the rows are *streamed*
(openpyxl's read-only mode) with the row and column limits enforced again as they come (a declared size can
lie). A sheet whose XML does not parse is the user's file, not our error: :class:`ExcelProblem` with the
reason, like every other refusal. The limits are stated once, in ``settings.PLAZA_EXCEL_LIMITS``
(documented in docs/production.md); an import may ask for less (the organisation import takes 20,000 rows).
XML entity bombs are refused by openpyxl itself because ``defusedxml`` is installed.

**Writing.** openpyxl writes any string that starts with ``=`` as a formula, and spreadsheet programs run
text starting with ``=``, ``+``, ``-``, ``@`` (and tab or carriage return, OWASP's list) as one when it is
edited or saved as CSV — a member named ``=cmd|' /C calc'!A0`` would run on the secretary's computer. The
writer turns every string into text: such a string gets a leading apostrophe (OWASP's advice, visible and
robust when the file is converted), and characters XML cannot hold are dropped instead of failing the export.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, BinaryIO

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from plaza.lib.http import XLSX, attachment

MB = 1024 * 1024
#: Members smaller than this unpack to too little to matter, whatever their compression ratio.
_RATIO_FLOOR = 1 * MB
#: Text a spreadsheet program may read as a formula or a command (OWASP, "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ExcelProblem(ValueError):
    """The uploaded file cannot be imported; ``str()`` is the reason, in Chinese, for the person."""


@dataclass(frozen=True)
class ExcelLimits:
    """What one upload may be: checked on the zip's directory and the sheet's size before parsing."""

    max_bytes: int  # the file as uploaded
    max_unpacked_bytes: int  # all members, unpacked
    max_shared_strings_bytes: int  # xl/sharedStrings.xml unpacked: openpyxl keeps it all in memory
    max_ratio: int  # unpacked / packed, per member of at least 1 MB unpacked
    max_members: int  # files inside the zip
    max_rows: int  # header included
    max_columns: int

    @classmethod
    def from_settings(cls, **narrower: int | None) -> ExcelLimits:
        """The project's limits, optionally narrowed for one import (never widened)."""
        limits = cls(**settings.PLAZA_EXCEL_LIMITS)
        return replace(
            limits,
            **{key: min(value, getattr(limits, key)) for key, value in narrower.items() if value is not None},
        )


def _size(count: int) -> str:
    """A limit as people say it: 64 MB, 512 KB, 100 字节."""
    if count >= MB:
        return f"{count / MB:.0f} MB"
    return f"{count // 1024} KB" if count >= 1024 else _("%(n)s 字节") % {"n": count}


def _unreadable() -> ExcelProblem:
    return ExcelProblem(_("无法读取该文件：请上传 Excel（.xlsx）文件，可先下载模板填写。"))


def _data(upload: BinaryIO | bytes, limits: ExcelLimits) -> bytes:
    data = upload if isinstance(upload, bytes) else upload.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise ExcelProblem(_("文件超过 %(size)s，请分批导入。") % {"size": _size(limits.max_bytes)})
    return data


def check_package(data: bytes, limits: ExcelLimits, *, shared_strings: str = "xl/sharedStrings.xml") -> set[str]:
    """Refuse a zip (xlsx, docx) that would unpack beyond the limits, reading only its directory; the names
    of its members otherwise.

    The directory's sizes are what the members claim; Python's zipfile stops reading a member at its
    declared size, so a member that lies cannot unpack to more than it says.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise _unreadable() from exc
    if len(members) > limits.max_members:
        raise ExcelProblem(_("文件内部结构异常（包含 %(n)s 个部件），无法导入。") % {"n": len(members)})
    total = sum(member.file_size for member in members)
    if total > limits.max_unpacked_bytes:
        raise ExcelProblem(
            _("文件解压后超过 %(size)s，无法导入：请删除无关的工作表、格式和空白行，或分批导入。")
            % {"size": _size(limits.max_unpacked_bytes)}
        )
    for member in members:
        if member.filename == shared_strings and member.file_size > limits.max_shared_strings_bytes:
            raise ExcelProblem(
                _("文件中的文字内容解压后超过 %(size)s，无法导入，请分批导入。")
                % {"size": _size(limits.max_shared_strings_bytes)}
            )
        if member.file_size >= _RATIO_FLOOR and member.file_size > limits.max_ratio * max(member.compress_size, 1):
            raise ExcelProblem(
                _("文件的压缩比异常（解压后是原来的 %(ratio)s 倍以上），可能是恶意构造的文件，已拒绝导入。")
                % {"ratio": limits.max_ratio}
            )
    return {member.filename for member in members}


def read_sheet(
    upload: BinaryIO | bytes, *, max_rows: int | None = None, max_bytes: int | None = None
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(Excel row number, cell values) of the first worksheet, row 1 (the header) first, streamed.

    Raises :class:`ExcelProblem` — at the first ``next()`` for the file as a whole, later for a row beyond
    the limits or XML that does not parse. Callers catch it once around their whole loop.
    """
    limits = ExcelLimits.from_settings(max_rows=max_rows, max_bytes=max_bytes)
    data = _data(upload, limits)
    names = check_package(data, limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl, zipfile and the XML parsers raise many kinds
        raise (_sheet_unreadable() if "xl/workbook.xml" in names else _unreadable()) from exc
    try:
        if not workbook.worksheets:
            raise ExcelProblem(_("文件中没有工作表。"))
        sheet = workbook.worksheets[0]
        try:
            declared_rows, declared_columns = sheet.max_row, sheet.max_column
        except Exception as exc:  # noqa: BLE001 - a damaged <dimension>
            raise _sheet_unreadable() from exc
        if (declared_rows or 0) > limits.max_rows:
            raise _too_many_rows(limits)
        if (declared_columns or 0) > limits.max_columns:
            raise _too_many_columns(limits)
        # Rows come as wide as the declared size (bounded above) or, undeclared, as their last cell: a row
        # reaching beyond the limit is refused below as soon as it comes, so no wide row is built twice.
        rows = sheet.iter_rows(values_only=True)
        number = 0
        while True:
            try:
                values = next(rows, None)
            except Exception as exc:  # noqa: BLE001 - XML that does not parse, a cell openpyxl cannot read
                raise _sheet_unreadable(number + 1) from exc
            if values is None:
                return
            number += 1
            if number > limits.max_rows:
                raise _too_many_rows(limits)
            if len(values) > limits.max_columns and any(v not in (None, "") for v in values[limits.max_columns :]):
                raise _too_many_columns(limits)
            values = list(values[: limits.max_columns])
            while values and values[-1] is None:  # openpyxl pads each row to the sheet's width
                values.pop()
            yield number, tuple(values)
    finally:
        workbook.close()


def _sheet_unreadable(row: int | None = None) -> ExcelProblem:
    if row is None:
        return ExcelProblem(_("工作表内容已损坏，无法读取。请用 Excel 重新保存后再上传。"))
    return ExcelProblem(
        _("工作表第 %(row)s 行附近的内容已损坏，无法读取。请用 Excel 重新保存后再上传。") % {"row": row}
    )


def _too_many_rows(limits: ExcelLimits) -> ExcelProblem:
    return ExcelProblem(_("一次最多导入 %(n)s 行，请分批导入。") % {"n": limits.max_rows - 1})


def _too_many_columns(limits: ExcelLimits) -> ExcelProblem:
    return ExcelProblem(_("工作表超过 %(n)s 列，请只保留导入模板中的列。") % {"n": limits.max_columns})


# ------------------------------------------------------------------------------------------------ writing


def as_text(value: Any) -> Any:
    """A cell value as written: strings never become formulas, other values (numbers, dates) stay; a time with a
    zone (every stored time is one, in UTC) becomes China's local time without it: Excel has no time zones
    (openpyxl refuses one), and 09:30 must read as the 09:30 the person saw on the page, not 01:30."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


class ExcelWriter:
    """An export being written: ``writer.sheet("名称").append([...])``, then ``writer.response(filename)``.

    Streams rows (openpyxl's write-only mode), so a 200,000-row roster does not sit in memory as cells.
    """

    def __init__(self) -> None:
        self.workbook = Workbook(write_only=True)

    def sheet(self, title: str, header: Iterable[Any] | None = None) -> _Sheet:
        sheet = _Sheet(self.workbook.create_sheet(as_text(title)[:31]))
        if header is not None:
            sheet.append(header)
        return sheet

    def save(self, target: BinaryIO) -> None:
        self.workbook.save(target)

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.save(buffer)
        return buffer.getvalue()

    def response(self, filename: str) -> HttpResponse:
        return xlsx_response(self.bytes(), filename)


class _Sheet:
    def __init__(self, sheet: Any) -> None:
        self._sheet = sheet

    def append(self, values: Iterable[Any]) -> None:
        self._sheet.append([as_text(value) for value in values])


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    """The workbook as a download named ``filename`` (Chinese names kept, RFC 6266)."""
    return attachment(data, filename, XLSX)


__all__ = [
    "XLSX",
    "ExcelLimits",
    "ExcelProblem",
    "ExcelWriter",
    "as_text",
    "check_package",
    "read_sheet",
    "xlsx_response",
]
