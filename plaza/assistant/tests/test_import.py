"""Importing each file type into passages under their heading paths, and re-importing in place."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from plaza.assistant import importers, services
from plaza.assistant.models import Document, Passage
from plaza.audit.models import AuditEntry

MARKDOWN = """# 职工食堂管理规定

食堂由行政部管理。

## 一、开放时间

### 1. 工作日

午餐 11:00 至 13:00，晚餐 17:00 至 19:00。

## 二、就餐费用

每餐补贴 12 元，从饭卡中扣除。
"""


def _docx(paragraphs: list[tuple[str, str]]) -> bytes:
    import docx

    document = docx.Document()
    for style, text in paragraphs:
        document.add_paragraph(text, style=style)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf(lines: list[str], title: str = "") -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    if title:
        page.setTitle(title)
    page.setFont("STSong-Light", 12)
    y = 800
    for line in lines:
        page.drawString(50, y, line)
        y -= 20
    page.save()
    return buffer.getvalue()


def _passages(document: Document) -> list[tuple[str, str]]:
    return list(document.passages.values_list("heading", "text"))


def test_markdown_is_split_by_headings_with_paths_and_anchors(db):
    done = services.import_document(None, "canteen.md", MARKDOWN.encode())
    document = done.document
    assert done.created and document.title == "职工食堂管理规定" and document.kind == "md"
    assert _passages(document) == [
        ("", "食堂由行政部管理。"),
        ("一、开放时间 > 1. 工作日", "午餐 11:00 至 13:00，晚餐 17:00 至 19:00。"),
        ("二、就餐费用", "每餐补贴 12 元，从饭卡中扣除。"),
    ]
    second = document.passages.get(order=2)
    assert second.url == f"/assistant/documents/{document.pk}/#p2"
    assert AuditEntry.objects.filter(action="assistant.import").exists()


def test_plain_text_by_numbered_headings_and_else_by_paragraphs(db):
    numbered = "班车乘坐须知\n第一条 班车每天 7:30 从人民广场发车。\n第二条 乘车请出示工作证。\n".encode()
    done = services.import_document(None, "bus.txt", numbered)
    assert done.document.title == "班车乘坐须知"
    assert _passages(done.document) == [("第一条", "班车每天 7:30 从人民广场发车。"), ("第二条", "乘车请出示工作证。")]
    loose = "关于节约用电的倡议\n\n下班请随手关灯。\n\n空调温度不低于 26 度。".encode("gb18030")
    done = services.import_document(None, "power.txt", loose)
    assert _passages(done.document) == [("", "下班请随手关灯。"), ("", "空调温度不低于 26 度。")]


def test_docx_by_heading_styles(db):
    content = _docx(
        [
            ("Title", "职工书屋借阅办法"),
            ("Heading 1", "一、借阅"),
            ("Heading 2", "1. 期限"),
            ("Normal", "每次借阅不超过 30 天。"),
            ("Heading 1", "二、赔偿"),
            ("Normal", "图书遗失按原价赔偿。"),
        ]
    )
    done = services.import_document(None, "books.docx", content)
    assert done.document.title == "职工书屋借阅办法" and done.document.kind == "docx"
    assert _passages(done.document) == [
        ("一、借阅 > 1. 期限", "每次借阅不超过 30 天。"),
        ("二、赔偿", "图书遗失按原价赔偿。"),
    ]


def test_docx_without_heading_styles_falls_back_to_numbering(db):
    content = _docx(
        [
            ("Normal", "一、借阅期限"),
            ("Normal", "每次借阅不超过 30 天。"),
            ("Normal", "二、遗失赔偿"),
            ("Normal", "按原价赔偿。"),
        ]
    )
    done = services.import_document(None, "书屋.docx", content)
    assert done.document.title == "书屋"
    assert [h for h, _ in _passages(done.document)] == ["一、借阅期限", "二、遗失赔偿"]


def test_pdf_by_lines_that_look_like_headings(db):
    content = _pdf(
        [
            "职工食堂管理规定",
            "一、开放时间",
            "（一）工作日",
            "午餐 11:00 至 13:00。",
            "二、就餐费用",
            "每餐补贴 12 元，从饭卡中扣除。",
        ],
        title="职工食堂管理规定",
    )
    done = services.import_document(None, "canteen.pdf", content)
    assert done.document.kind == "pdf" and done.document.title == "职工食堂管理规定"
    assert _passages(done.document) == [
        ("一、开放时间 > （一）工作日", "午餐 11:00 至 13:00。"),
        ("二、就餐费用", "每餐补贴 12 元，从饭卡中扣除。"),
    ]


def test_reimport_updates_in_place_and_skips_unchanged(db):
    first = services.import_document(None, "canteen.md", MARKDOWN.encode(), source_path="/kb/canteen.md")
    ids = set(first.document.passages.values_list("id", flat=True))
    again = services.import_document(None, "canteen.md", MARKDOWN.encode(), source_path="/kb/canteen.md")
    assert again.skipped and set(again.document.passages.values_list("id", flat=True)) == ids
    changed = MARKDOWN.replace("12 元", "15 元")
    updated = services.import_document(None, "canteen.md", changed.encode(), source_path="/kb/canteen.md")
    assert not updated.created and not updated.skipped and updated.document.pk == first.document.pk
    assert Document.objects.count() == 1 and Passage.objects.count() == 3
    assert "15 元" in updated.document.passages.get(order=3).text
    assert not ids & set(updated.document.passages.values_list("id", flat=True))
    renamed = changed.replace("# 职工食堂管理规定", "# 职工食堂管理办法")  # same path, new title: still in place
    moved = services.import_document(None, "canteen.md", renamed.encode(), source_path="/kb/canteen.md")
    assert moved.document.pk == first.document.pk and moved.document.title == "职工食堂管理办法"


def test_import_refusals(db, world):
    with pytest.raises(ValidationError):
        services.import_document(None, "picture.png", b"...")
    with pytest.raises(ValidationError):
        services.import_document(None, "empty.md", b"# Title only\n")
    with pytest.raises(PermissionDenied):
        services.import_document(world.member_a, "canteen.md", MARKDOWN.encode())


def test_import_knowledge_command_takes_files_and_folders(db, tmp_path, capsys):
    (tmp_path / "sub").mkdir()
    (tmp_path / "canteen.md").write_text(MARKDOWN, encoding="utf-8")
    (tmp_path / "sub" / "bus.txt").write_text("班车乘坐须知\n一、发车\n每天 7:30 发车。\n", encoding="utf-8")
    (tmp_path / "sub" / "ignored.png").write_bytes(b"x")
    call_command("import_knowledge", str(tmp_path))
    assert set(Document.objects.values_list("title", flat=True)) == {"职工食堂管理规定", "班车乘坐须知"}
    call_command("import_knowledge", str(tmp_path / "canteen.md"))
    assert "skipped" in capsys.readouterr().out


def test_long_sections_are_cut_into_several_passages():
    text = "# 长文\n\n## 一、说明\n\n" + "\n\n".join("这是一段比较长的说明文字。" * 20 for _ in range(4))
    parsed = importers.parse("long.md", text.encode())
    assert len(parsed.sections) > 1 and all(s.heading == "一、说明" for s in parsed.sections)
    assert all(len(s.text) <= importers.MAX_PASSAGE for s in parsed.sections)
