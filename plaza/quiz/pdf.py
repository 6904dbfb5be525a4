"""Contest certificates (荣誉证书 / 合格证书) as PDF, with Chinese text from ReportLab's built-in CID font."""

from __future__ import annotations

import io

from django.utils import timezone
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from .queries import Ranked

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def certificate_pdf(row: Ranked) -> bytes:
    """One certificate: a winner's (第N名) or a pass (合格) for the player's best attempt."""
    contest = row.attempt.contest
    buffer = io.BytesIO()
    width, height = landscape(A4)
    page = canvas.Canvas(buffer, pagesize=(width, height))
    page.setTitle(f"{contest.title} 证书")
    page.setAuthor("党群服务广场")
    page.setStrokeColorRGB(0.78, 0.09, 0.11)
    page.setLineWidth(3)
    page.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    page.setFillColorRGB(0.78, 0.09, 0.11)
    page.setFont(FONT, 36)
    title = "荣誉证书" if row.winner else "合格证书"
    page.drawCentredString(width / 2, height - 50 * mm, title)
    page.setFillColorRGB(0, 0, 0)
    page.setFont(FONT, 18)
    page.drawCentredString(width / 2, height - 80 * mm, f"{row.person.name} 同志：")
    line = f"在「{contest.title}」中荣获第 {row.rank} 名，" if row.winner else f"在「{contest.title}」中成绩合格，"
    page.drawCentredString(width / 2, height - 100 * mm, line)
    page.drawCentredString(
        width / 2, height - 115 * mm, f"得分 {row.attempt.score}，答对 {row.attempt.right} 题。特发此证，以资鼓励。"
    )
    page.setFont(FONT, 14)
    closed = timezone.localtime(contest.closed_at or contest.closes_at)
    page.drawRightString(width - 40 * mm, 45 * mm, contest.organisation.name)
    page.drawRightString(width - 40 * mm, 35 * mm, f"{closed:%Y年%m月%d日}")
    page.showPage()
    page.save()
    return buffer.getvalue()
