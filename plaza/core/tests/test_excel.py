"""Hostile Excel files (issue 11, items 5 and 6): bombs are refused before parsing, with the reason; exports
write user text as text, never as a formula."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import UTC, date, datetime

import openpyxl
import pytest
from openpyxl import Workbook, load_workbook

from plaza.lib import excel
from plaza.lib.excel import ExcelProblem, ExcelWriter, as_text, read_sheet


def _xlsx(*rows: list) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _replace(data: bytes, **members: bytes) -> bytes:
    """The same xlsx with some members (``xl/worksheets/sheet1.xml`` as ``xl__worksheets__sheet1_xml``)
    replaced or added, deflated as Excel does."""
    wanted = {name.replace("__", "/").replace("_xml", ".xml"): content for name, content in members.items()}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, wanted.pop(info.filename, None) or source.read(info.filename))
        for name, content in wanted.items():
            target.writestr(name, content)
    return out.getvalue()


SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _shared_strings_bomb() -> bytes:
    """The attack as reported: a tiny file whose shared-strings table holds millions of strings."""
    base = _xlsx(["工号", "姓名", "类别", "工资基数"], ["A0002", "张建国", "在岗职工", 8000])
    count = 2_500_000
    strings = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
        % (count, count)
        + b"<si><t>x</t></si>" * count
        + b"</sst>"
    )
    return _replace(base, xl__sharedStrings_xml=strings)


def test_shared_strings_bomb_is_refused_before_anything_is_parsed(monkeypatch):
    bomb = _shared_strings_bomb()
    assert len(bomb) < 2 * 1024 * 1024  # small on the wire, 42 MB of shared strings unpacked

    def never(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("the workbook must not be parsed")

    monkeypatch.setattr(excel, "load_workbook", never)
    started = time.perf_counter()
    with pytest.raises(ExcelProblem, match="文字内容解压后超过 32 MB"):
        next(read_sheet(bomb))
    assert time.perf_counter() - started < 2


def test_a_member_that_compresses_a_thousandfold_is_refused():
    row = b'<row><c t="inlineStr"><is><t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></is></c></row>'
    sheet = SHEET_HEAD + b"<sheetData>" + row * 100_000 + b"</sheetData></worksheet>"
    bomb = _replace(_xlsx(["工号"]), xl__worksheets__sheet1_xml=sheet)
    with pytest.raises(ExcelProblem, match="压缩比异常"):
        next(read_sheet(bomb))


def test_total_unpacked_size_is_bounded(settings):
    settings.PLAZA_EXCEL_LIMITS = {**settings.PLAZA_EXCEL_LIMITS, "max_unpacked_bytes": 4096}
    with pytest.raises(ExcelProblem, match="解压后超过 4 KB"):
        next(read_sheet(_xlsx(["工号"], *[[f"{n:08d}"] for n in range(500)])))


def test_declared_size_beyond_the_rows_or_columns_is_refused_before_streaming():
    huge = SHEET_HEAD + b'<dimension ref="A1:D1048576"/><sheetData></sheetData></worksheet>'
    with pytest.raises(ExcelProblem, match="一次最多导入 300000 行"):
        next(read_sheet(_replace(_xlsx(["工号"]), xl__worksheets__sheet1_xml=huge)))
    wide = SHEET_HEAD + b'<dimension ref="A1:XFD2"/><sheetData></sheetData></worksheet>'
    with pytest.raises(ExcelProblem, match="超过 100 列"):
        next(read_sheet(_replace(_xlsx(["工号"]), xl__worksheets__sheet1_xml=wide)))


def test_rows_and_columns_are_counted_while_streaming_when_the_size_is_not_declared():
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (n, n, n) for n in range(1, 30))
    sheet = SHEET_HEAD + b"<sheetData>" + rows + b"</sheetData></worksheet>"
    data = _replace(_xlsx(["工号"]), xl__worksheets__sheet1_xml=sheet)
    with pytest.raises(ExcelProblem, match="一次最多导入 10 行"):
        list(read_sheet(data, max_rows=11))
    far = SHEET_HEAD + b'<sheetData><row r="1"><c r="ZZ1"><v>1</v></c></row></sheetData></worksheet>'
    with pytest.raises(ExcelProblem, match="超过 100 列"):
        list(read_sheet(_replace(_xlsx(["工号"]), xl__worksheets__sheet1_xml=far)))


def test_a_worksheet_whose_xml_does_not_parse_is_a_reason_not_a_crash():
    broken = SHEET_HEAD + b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c'
    with pytest.raises(ExcelProblem, match="已损坏"):
        list(read_sheet(_replace(_xlsx(["工号"]), xl__worksheets__sheet1_xml=broken)))


def test_an_entity_bomb_is_refused():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    with pytest.raises(ExcelProblem):
        list(read_sheet(_replace(_xlsx(["工号"]), xl__worksheets__sheet1_xml=laughs)))


def test_not_a_zip_and_an_empty_zip_are_reasons():
    with pytest.raises(ExcelProblem, match="请上传 Excel"):
        next(read_sheet(b"PK\x03\x04 not really"))
    with pytest.raises(ExcelProblem, match="请上传 Excel"):
        next(read_sheet(b"name,number\n"))


def test_an_ordinary_file_streams_its_rows():
    rows = list(read_sheet(_xlsx(["工号", "姓名"], ["A0002", "张建国"], [None, None], ["A0003", "陈晓"])))
    assert rows == [(1, ("工号", "姓名")), (2, ("A0002", "张建国")), (3, ()), (4, ("A0003", "陈晓"))]


@pytest.mark.django_db
def test_the_dues_import_page_answers_the_bomb_with_the_reason(world, login):
    client = login(world.staff)
    upload = io.BytesIO(_shared_strings_bomb())
    upload.name = "工资表.xlsx"
    response = client.post("/dues/import/", {"month": "2026-01", "file": upload})
    assert response.status_code == 200
    assert "文字内容解压后超过 32 MB" in response.content.decode()
    broken = _replace(
        _xlsx(["工号", "姓名", "类别", "工资基数"]), xl__worksheets__sheet1_xml=SHEET_HEAD + b"<sheetData><row"
    )
    upload = io.BytesIO(broken)
    upload.name = "工资表.xlsx"
    response = client.post("/dues/import/", {"month": "2026-01", "file": upload})
    assert response.status_code == 200
    assert "已损坏" in response.content.decode()


# ------------------------------------------------------------------------------------------------ writing

HOSTILE = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1", '=HYPERLINK("http://x")']


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_a_spreadsheet_would_run_is_written_as_text(text):
    writer = ExcelWriter()
    writer.sheet("名单", header=["姓名"]).append([text])
    cell = load_workbook(io.BytesIO(writer.bytes())).active["A2"]
    assert cell.data_type == "s"
    assert cell.value == "'" + text
    assert not str(cell.value).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_numbers_dates_and_plain_text_stay_as_they_are():
    from datetime import date

    assert as_text(-5) == -5
    assert as_text(date(2026, 1, 1)) == date(2026, 1, 1)
    assert as_text("张建国") == "张建国"
    assert as_text("a\x01b") == "ab"  # a control character would make openpyxl fail the whole export


@pytest.mark.django_db
def test_the_roster_export_writes_a_formula_name_as_text(world, login):
    from plaza.testing.factories import PersonFactory, join

    evil = PersonFactory(employee_no="A0099", name="=cmd|' /C calc'!A0")
    join(evil, world.branch_a)
    response = login(world.staff).get("/orgs/export/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))
    values = [cell.value for row in sheet.active.iter_rows() for cell in row]
    assert "'=cmd|' /C calc'!A0" in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    assert all(cell.data_type != "f" for row in sheet.active.iter_rows() for cell in row)


def test_openpyxl_would_have_written_a_formula():
    """The cause, kept visible: without the writer, openpyxl makes '=…' a formula."""
    workbook = Workbook()
    workbook.active.append(["=cmd|' /C calc'!A0"])
    assert workbook.active["A1"].data_type == "f"
    assert openpyxl.__version__


@pytest.mark.django_db
def test_a_word_bomb_for_the_assistant_is_refused_with_the_reason(world):
    """A .docx is a zip of XML too: the knowledge-base import checks it against the same limits, unparsed."""
    import docx
    from django.core.exceptions import ValidationError

    from plaza.assistant.services import import_document

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    body = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        + b"<w:p><w:r><w:t>aaaaaaaaaaaaaaaaaaaaaaaa</w:t></w:r></w:p>" * 200_000
        + b"</w:body></w:document>"
    )
    bomb = _replace(buffer.getvalue(), word__document_xml=body)
    with pytest.raises(ValidationError, match="压缩比异常"):
        import_document(None, "制度汇编.docx", bomb)


def test_a_stored_time_is_written_as_the_local_time_the_page_shows():
    """Stored times are aware (UTC); Excel has none and openpyxl refuses them: the export writes China's local
    time, 09:30 for 01:30 UTC, and a date or a naive time as it is."""
    writer = ExcelWriter()
    writer.sheet("签到").append([datetime(2026, 12, 7, 1, 30, tzinfo=UTC), date(2026, 12, 7), datetime(2026, 1, 2, 3)])
    row = next(load_workbook(io.BytesIO(writer.bytes())).active.iter_rows(values_only=True))
    assert row == (datetime(2026, 12, 7, 9, 30), datetime(2026, 12, 7, 0, 0), datetime(2026, 1, 2, 3))
    assert as_text(datetime(2026, 12, 7, 16, 30, tzinfo=UTC)) == datetime(2026, 12, 8, 0, 30)
