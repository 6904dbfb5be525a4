"""Printable papers of an election: the request (换届请示) with its approval, and the paper ballots."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from plaza.rules.sources import XUANJU

from .models import Election
from .services import ballot_candidates

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
TITLE = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=22, spaceAfter=8, alignment=1)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=17)
SMALL = ParagraphStyle("small", fontName=FONT, fontSize=9, leading=13)


def _p(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(text.replace("&", "&amp;").replace("<", "&lt;").replace("\n", "<br/>"), style)


def request_pdf(election: Election) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title="换届请示",
    )
    names = "、".join(c.person.name for c in ballot_candidates(election))
    story = [
        _p(f"关于{election.organisation.name}换届选举的请示", TITLE),
        _p(election.request_text),
        Spacer(1, 4 * mm),
        _p(
            f"应选{election.get_kind_display()} {election.seats} 名，候选人 {election.candidates.count()} 名"
            f"（按姓氏笔画为序）：{names}。拟于 {election.planned_on:%Y年%m月%d日} 召开党员大会进行选举。"
        ),
        Spacer(1, 8 * mm),
        _p(f"{election.organisation.name}　{election.requested_on or ''}"),
    ]
    if election.decided_on:
        verdict = "退回修改" if election.state == "returned" else "同意"
        story += [
            Spacer(1, 10 * mm),
            _p("上级党组织批复", TITLE),
            _p(f"{verdict}。{election.decision_comment}"),
            _p(f"{election.decided_by.name if election.decided_by else ''}　{election.decided_on}"),
        ]
    doc.build(story)
    return buffer.getvalue()


def ballots_pdf(election: Election, copies: int) -> bytes:
    """One ballot per page (A5), candidates in 姓氏笔画 order, boxes for 赞成 / 不赞成 / 弃权, and lines for
    另选他人; the rules printed on it."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A5,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title="选票",
    )
    rows = [[_p("候选人"), _p("赞成"), _p("不赞成"), _p("弃权")]]
    rows += [[_p(c.person.name), "", "", ""] for c in ballot_candidates(election)]
    rows += [[_p("另选他人：________"), "", "", ""] for _ in range(min(election.seats, 3))]
    story = []
    for index in range(copies):
        table = Table(rows, colWidths=[52 * mm, 22 * mm, 22 * mm, 22 * mm])
        table.setStyle(
            TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
        )
        story += [
            _p(f"{election.organisation.name}{election.get_kind_display()}选举选票", TITLE),
            _p(
                f"应选 {election.seats} 名。在赞成、不赞成或弃权栏内画“○”；"
                f"赞成（含另选他人）的人数多于应选人数的选票无效（{XUANJU}）。",
                SMALL,
            ),
            Spacer(1, 4 * mm),
            table,
        ]
        if index < copies - 1:
            story.append(PageBreak())
    doc.build(story)
    return buffer.getvalue()
