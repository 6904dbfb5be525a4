"""The introduction letter (党员组织关系介绍信) as a PDF, with its tear-off receipt (回执), in ReportLab's built-in
CID font (STSong-Light), as in :mod:`plaza.dues.pdf`. The number and check code let the receiving organisation
verify it on the 核验介绍信 page."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer

from .models import Transfer
from .services import issued_months, letter_code

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
TITLE = ParagraphStyle("letter-title", fontName=FONT, fontSize=18, leading=26, spaceAfter=4, alignment=1)
SUB = ParagraphStyle("letter-sub", fontName=FONT, fontSize=10, leading=14, alignment=2)
BODY = ParagraphStyle("letter-body", fontName=FONT, fontSize=12, leading=22, firstLineIndent=24)
PLAIN = ParagraphStyle("letter-plain", fontName=FONT, fontSize=12, leading=22)
RIGHT = ParagraphStyle("letter-right", fontName=FONT, fontSize=12, leading=20, alignment=2)
SMALL = ParagraphStyle("letter-small", fontName=FONT, fontSize=9, leading=13)


def _p(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(text.replace("&", "&amp;").replace("<", "&lt;").replace("\n", "<br/>"), style)


def _d(day) -> str:  # noqa: ANN001
    return f"{day.year} 年 {day.month} 月 {day.day} 日"


def letter(transfer: Transfer) -> bytes:
    person = transfer.person
    status = dict(person._meta.get_field("political_status").choices).get(transfer.letter_status, "")
    code = letter_code(transfer)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=20 * mm,
        bottomMargin=18 * mm,
        title=f"党员组织关系介绍信 {transfer.letter_no}",
        author="党群服务广场",
    )
    story = [
        Paragraph("中国共产党党员组织关系介绍信", TITLE),
        _p(f"编号：{transfer.letter_no}　校验码：{code}", SUB),
        Spacer(1, 6 * mm),
        _p(f"{transfer.outside_org}：", PLAIN),
        _p(
            f"兹介绍 {person.name} 同志（{person.get_gender_display() or '—'}，{status}）的党员组织关系由"
            f" {transfer.from_org.name} 转到你处，请接洽。转接原因：{transfer.reason}。"
        ),
        _p(f"（有效期 {issued_months(transfer)} 个月，至 {_d(transfer.letter_valid_until)} 止）"),
        Spacer(1, 12 * mm),
        _p(f"{transfer.from_org.name}（盖章）\n{_d(transfer.letter_issued_on)}", RIGHT),
        Spacer(1, 10 * mm),
        HRFlowable(width="100%", dash=(3, 3)),
        Spacer(1, 6 * mm),
        Paragraph("回　执", TITLE),
        _p(f"编号：{transfer.letter_no}", SUB),
        _p(f"{transfer.from_org.name}：", PLAIN),
        _p(f"{person.name} 同志的党员组织关系已于______年____月____日转达我处，特此回复。"),
        Spacer(1, 12 * mm),
        _p("接收党组织（盖章）\n______年____月____日", RIGHT),
        Spacer(1, 8 * mm),
        _p(
            f"核验：登录党群服务广场「组织关系转接 · 核验介绍信」，输入编号 {transfer.letter_no} 和校验码 {code}。",
            SMALL,
        ),
    ]
    document.build(story)
    return buffer.getvalue()
