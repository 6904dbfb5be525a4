"""A person's recruitment file (入党材料档案) as one PDF, with Chinese text from ReportLab's built-in CID font
(STSong-Light): no font files are needed on the server."""

from __future__ import annotations

import io
from datetime import date

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .models import Pipeline
from .queries import timeline

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
TITLE = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=22, spaceAfter=6)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13)


def _p(text: str) -> Paragraph:
    return Paragraph(text.replace("&", "&amp;").replace("<", "&lt;").replace("\n", "<br/>"), BODY)


def recruitment_file(pipeline: Pipeline, today: date) -> bytes:
    person = pipeline.person
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"入党材料档案 {person.name}",
        author="党群服务广场",
    )
    story = [
        Paragraph(f"入党材料档案：{person.name}（{person.employee_no}）", TITLE),
        _p(
            f"所在党支部：{pipeline.branch.name} · 当前政治面貌：{person.get_political_status_display()} · "
            f"档案状态：{pipeline.get_status_display()} · 打印日期：{today.isoformat()}"
        ),
        Spacer(1, 6 * mm),
    ]
    rows = [[_p("步骤"), _p("阶段 / 名称"), _p("日期"), _p("记录"), _p("依据")]]
    for state in timeline(pipeline, today):
        record = state.record
        detail = ""
        if record is not None:
            parts = [record.note, *record.facts()]
            detail = "\n".join(p for p in parts if p)
        rows.append(
            [
                _p(str(state.step.number)),
                _p(f"{state.step.stage}\n{state.step.name}"),
                _p(record.done_on.isoformat() if record else state.label),
                _p(detail),
                _p(state.step.rule),
            ]
        )
    table = Table(rows, colWidths=[12 * mm, 52 * mm, 24 * mm, 62 * mm, 28 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#fdecec")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    document.build(story)
    return buffer.getvalue()
