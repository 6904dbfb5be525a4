"""The annual dues certificate (党费交纳证明) of a member as a PDF, with Chinese text from ReportLab's built-in CID
font (STSong-Light), as in :mod:`plaza.recruitment.pdf`."""

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

from plaza.accounts.models import Person
from plaza.orgs.queries import party_branch_of

from .models import DuesPayment, Kind
from .queries import ZERO, months_of_year, person_months

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
TITLE = ParagraphStyle("dues-title", fontName=FONT, fontSize=16, leading=22, spaceAfter=6, alignment=1)
BODY = ParagraphStyle("dues-body", fontName=FONT, fontSize=10, leading=14)
STATUS = {"paid": "已交", "partial": "部分交纳", "unpaid": "未交", "exempt": "减免", "no_base": "未登记基数"}


def _p(text: str) -> Paragraph:
    return Paragraph(text.replace("&", "&amp;").replace("<", "&lt;").replace("\n", "<br/>"), BODY)


def certificate(person: Person, year: int, today: date) -> bytes:
    """Every month of ``year`` (up to today's month in the current year): base, category, due, paid; the
    voluntary extra payments; the totals."""
    months = months_of_year(year, today if year == today.year else None)
    lines = person_months(person, months)
    branch = party_branch_of(person)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"党费交纳证明 {person.name} {year}",
        author="党群服务广场",
    )
    story = [
        Paragraph(f"{year} 年度党费交纳证明", TITLE),
        _p(f"姓名：{person.name}　工号：{person.employee_no}　政治面貌：{person.get_political_status_display()}"),
        _p(f"所在党组织：{branch.name if branch else '—'}　打印日期：{today.isoformat()}"),
        Spacer(1, 5 * mm),
    ]
    rows = [[_p("月份"), _p("类别"), _p("基数（元）"), _p("应交（元）"), _p("实交（元）"), _p("状态")]]
    for ln in lines:
        rows.append(
            [
                _p(f"{ln.month:%Y-%m}"),
                _p(ln.category_label or "—"),
                _p(str(ln.base) if ln.base is not None else "—"),
                _p(str(ln.due) if ln.due is not None else "—"),
                _p(str(ln.paid)),
                _p(STATUS[ln.status]),
            ]
        )
    due = sum((ln.due or ZERO for ln in lines), ZERO)
    paid = sum((ln.paid for ln in lines), ZERO)
    rows.append([_p("合计"), _p(""), _p(""), _p(str(due)), _p(str(paid)), _p("")])
    table = Table(rows, colWidths=[22 * mm, 34 * mm, 30 * mm, 28 * mm, 28 * mm, 30 * mm], repeatRows=1)
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
    extras = DuesPayment.objects.filter(person=person, kind=Kind.EXTRA, month__year=year).order_by("paid_on", "id")
    extra_total = sum((p.amount for p in extras), ZERO)
    if extra_total:
        story += [Spacer(1, 4 * mm), _p(f"自愿多交党费：{extra_total} 元（其中一次 1000 元以上的全额上缴中央）。")]
    story += [
        Spacer(1, 8 * mm),
        _p("特此证明。"),
        Spacer(1, 12 * mm),
        _p(f"{branch.name if branch else ''}（盖章）\n{today.year} 年 {today.month} 月 {today.day} 日"),
    ]
    document.build(story)
    return buffer.getvalue()
