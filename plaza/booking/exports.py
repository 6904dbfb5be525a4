"""预约办理 Excel files: the statistics of a period.

Built here, not in views, so the page only asks for the bytes and hands them to ``plaza.lib.http.attachment``;
written through :class:`plaza.lib.excel.ExcelWriter` (text stays text, never a formula)."""

from __future__ import annotations

from datetime import date

from plaza.lib.excel import ExcelWriter

from .queries import ServiceStats

HEADER = [
    "办理事项",
    "承办组织",
    "起始日期",
    "截止日期",
    "预约人次",
    "名额",
    "使用率",
    "办结",
    "未到",
    "评价人数",
    "平均评分",
]


def statistics_workbook(rows: list[ServiceStats], first: date, last: date) -> bytes:
    """One row per service over ``first``–``last`` (:func:`plaza.booking.queries.statistics`)."""
    workbook = ExcelWriter()
    sheet = workbook.sheet("预约统计", HEADER)
    for row in rows:
        sheet.append(
            [
                row.service.name,
                row.service.organisation.name,
                first,
                last,
                row.bookings,
                row.capacity,
                round(row.utilisation, 4) if row.utilisation is not None else None,
                row.done,
                row.no_shows,
                row.ratings,
                round(row.average_rating, 2) if row.average_rating is not None else None,
            ]
        )
    return workbook.bytes()
