"""The leave note (疗休养请假单) for the participant's manager, as a PDF in ReportLab's CID font (STSong-Light)."""

from __future__ import annotations

import io
from datetime import timedelta

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from plaza.lib import clock
from plaza.rules.workdays import working_days_between

from .models import SignUp

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
TITLE = ParagraphStyle("note-title", fontName=FONT, fontSize=18, leading=26, spaceAfter=8, alignment=1)
BODY = ParagraphStyle("note-body", fontName=FONT, fontSize=12, leading=22)
RIGHT = ParagraphStyle("note-right", fontName=FONT, fontSize=12, leading=22, alignment=2)


def _p(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(text.replace("&", "&amp;").replace("<", "&lt;").replace("\n", "<br/>"), style)


def _d(day) -> str:  # noqa: ANN001
    return f"{day.year} 年 {day.month} 月 {day.day} 日"


def leave_note(signup: SignUp) -> bytes:
    """A one-page 请假单: who, which route, the dates and the working days away, with lines for the manager."""
    person, batch = signup.person, signup.batch
    route = batch.route
    try:
        workdays = working_days_between(batch.starts_on - timedelta(days=1), batch.ends_on)
    except Exception:  # noqa: BLE001 - a year the national calendar does not cover yet: leave the count out
        workdays = None
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=25 * mm)
    lines = [
        _p("职工疗休养请假单", TITLE),
        _p(
            f"部门负责人：\n    本部门职工 {person.name}（工号 {person.employee_no}，{person.department}）"
            f"经{route.organisation.name}"
            f"安排，参加{route.year}年度职工疗休养「{route.name}」（{route.destination}），"
            f"时间为 {_d(batch.starts_on)} 至 {_d(batch.ends_on)}，共 {route.days} 天"
            + (f"（其中工作日 {workdays} 天）" if workdays is not None else "")
            + "，特此请假，请予批准。"
        ),
        Spacer(1, 10 * mm),
        _p("部门负责人意见：____________________"),
        Spacer(1, 6 * mm),
        _p("签字：__________　　日期：__________"),
        Spacer(1, 12 * mm),
        _p(f"{route.organisation.name}\n{_d(clock.today())}", RIGHT),
    ]
    doc.build(lines)
    return buffer.getvalue()
