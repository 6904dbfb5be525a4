"""活动与共建 Excel files: an activity's participant list, and the statistics per organisation and per partner.
Built here from the queries and written through :class:`plaza.lib.excel.ExcelWriter` (text stays text)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from plaza.lib.excel import ExcelWriter

from .models import Activity
from .queries import Figures, Participant

PARTICIPANT_HEADER = ["序号", "姓名", "工号", "所在组织", "状态", "报名时间", "候补转正时间", "签到时间", "所得积分"]
STATS_HEADER = ["名称", "活动次数", "名额", "报名人数", "参加人数（签到）", "志愿服务时长（小时）", "最近一次活动"]


def _local(moment):  # noqa: ANN001, ANN202
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def participants_workbook(activity: Activity, rows: list[Participant]) -> bytes:
    """The live sign-ups of one activity (:func:`plaza.activities.queries.participant_rows`)."""
    workbook = ExcelWriter()
    sheet = workbook.sheet("报名名单", PARTICIPANT_HEADER)
    for number, row in enumerate(rows, start=1):
        signup = row.signup
        sheet.append(
            [
                number,
                signup.person.name,
                signup.person.employee_no,
                row.organisation,
                signup.get_state_display(),
                _local(signup.created_at),
                _local(signup.promoted_at),
                _local(signup.checked_in_at),
                signup.points_given,
            ]
        )
    return workbook.bytes()


def _figures(sheet, rows: list[Figures]) -> None:  # noqa: ANN001
    for row in rows:
        sheet.append(
            [
                row.name,
                row.activities,
                row.capacity,
                row.confirmed,
                row.present,
                round(row.volunteer_hours, 1),
                row.last,
            ]
        )


def statistics_workbook(organisations: list[Figures], partners: list[Figures], first: date, last: date) -> bytes:
    """Two sheets: per organising organisation and per 共建 partner, from ``first`` to ``last``."""
    workbook = ExcelWriter()
    sheet = workbook.sheet("按组织", [f"统计期间：{first.isoformat()} 至 {last.isoformat()}"])
    sheet.append(STATS_HEADER)
    _figures(sheet, organisations)
    sheet = workbook.sheet("按共建单位", [f"统计期间：{first.isoformat()} 至 {last.isoformat()}"])
    sheet.append(STATS_HEADER)
    _figures(sheet, partners)
    return workbook.bytes()
