"""The yearly list of 职代会提案 as a PDF for the congress, with Chinese text from ReportLab's CID font
(STSong-Light), as in :mod:`plaza.dues.pdf`."""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .exports import proposal_row
from .models import Proposal

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
TITLE = ParagraphStyle("voice-title", fontName=FONT, fontSize=16, leading=22, spaceAfter=6, alignment=1)
BODY = ParagraphStyle("voice-body", fontName=FONT, fontSize=9, leading=12)
COLUMNS = ["编号", "职代会", "案由", "提案人", "附议人数", "状态", "承办部门", "答复期限", "答复日期", "评价"]


def _p(text: object) -> Paragraph:
    value = "—" if text in (None, "") else str(text)
    return Paragraph(value.replace("&", "&amp;").replace("<", "&lt;").replace("\n", "<br/>"), BODY)


def proposals_pdf(rows: Sequence[Proposal], year: int) -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=f"{year} 年职代会提案汇总",
        author="党群服务广场",
    )
    table_rows = [[_p(c) for c in COLUMNS]] + [[_p(v) for v in proposal_row(p)] for p in rows]
    widths = [14, 44, 70, 20, 16, 18, 36, 22, 22, 20]
    table = Table(table_rows, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#fdecec")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story = [
        Paragraph(f"{year} 年职工代表大会提案汇总", TITLE),
        _p(f"共 {len(rows)} 件（不含征集附议中的提案）"),
        Spacer(1, 4 * mm),
        table,
    ]
    document.build(story)
    return buffer.getvalue()
