"""Printable minutes (会议记录) with Chinese text from ReportLab's built-in CID font: no font files needed."""

from __future__ import annotations

import io

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from .models import AttendanceState, Meeting

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
TITLE = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=22, spaceAfter=6)
HEAD = ParagraphStyle("head", fontName=FONT, fontSize=11, leading=16, spaceBefore=6)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=15)


def _p(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(text.replace("&", "&amp;").replace("<", "&lt;").replace("\n", "<br/>"), style)


def minutes_pdf(meeting: Meeting) -> bytes:
    minutes = meeting.minutes
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"会议记录 {meeting.topic}",
        author="党群服务广场",
    )
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    rows = list(meeting.attendance.filter(guest=False).select_related("person").order_by("person__employee_no"))
    names = {state: "、".join(a.person.name for a in rows if a.state == state) or "—" for state in AttendanceState}
    story = [
        _p(f"{meeting.organisation.name}{meeting.get_kind_display()}会议记录", TITLE),
        _p(f"主题：{meeting.topic}"),
        _p(f"时间：{start:%Y-%m-%d %H:%M}–{end:%H:%M}　地点：{meeting.place or meeting.get_format_display()}"),
        _p(f"应到 {len(rows)} 人，实到 {sum(a.state == AttendanceState.PRESENT for a in rows)} 人"),
        _p(f"出席：{names[AttendanceState.PRESENT]}"),
        _p(f"请假：{names[AttendanceState.LEAVE]}　缺席：{names[AttendanceState.ABSENT]}"),
        Spacer(1, 4 * mm),
        _p("议题", HEAD),
        _p(minutes.topics),
        _p("发言人", HEAD),
        _p(minutes.speakers or "—"),
        _p("会议内容", HEAD),
        _p(minutes.content),
        _p("会议决定", HEAD),
        _p(minutes.decisions or "—"),
    ]
    for resolution in meeting.resolutions.all():
        story.append(
            _p(
                f"表决：{resolution.title}：应到 {resolution.entitled}，实到 {resolution.present}，"
                f"赞成 {resolution.yes}，{'通过' if resolution.passed else '未通过'}（{resolution.rule}）"
            )
        )
    if minutes.approved_at:
        story += [
            Spacer(1, 6 * mm),
            _p(
                f"记录人：{minutes.written_by.name}　审定：{minutes.approved_by.name} "
                f"{timezone.localtime(minutes.approved_at):%Y-%m-%d}"
            ),
        ]
    document.build(story)
    return buffer.getvalue()
