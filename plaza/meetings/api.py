"""API for 组织生活 as a member lives it: my meetings, one meeting, asking for leave and signing in by the QR
code. Thin: the same lookups as the pages (``views.mine``, ``queries.meeting_for``, ``views.sign_in``) and every
write through :mod:`plaza.meetings.services`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema

from plaza.lib import clock
from plaza.lib.schemas import BodyIn, found_or_404, responses

from . import queries, services
from .models import Attendance, AttendanceState, Meeting, Status

router = Router(tags=["meetings"])

#: Ids are positive 64-bit integers; anything else is a 422, never a 500.
Id = Annotated[int, Path(ge=1, le=2**62)]
#: A phone list stays short: the page shows upcoming meetings in full and the past ones 20 to a page.
UPCOMING_SHOWN = 50
RECENT_SHOWN = 20
MAKEUP_SHOWN = 50


class MyMeetingRowOut(Schema):
    """One meeting on my list, with my own attendance."""

    meeting_id: int
    kind: str
    kind_label: str
    topic: str
    organisation: str
    starts_at: datetime
    ends_at: datetime
    place: str
    format: str
    format_label: str
    status: str = Field(..., description="planned 已安排 · cancelled 已取消")
    status_label: str
    state: str = Field(..., description="我的参会情况：expected 应到 · present 已签到 · leave 请假 · absent 缺席")
    state_label: str
    makeup_due_on: date | None
    makeup_done_on: date | None


class MyMeetingsOut(Schema):
    upcoming: list[MyMeetingRowOut] = Field(..., description="即将召开（未取消），按开始时间先后")
    recent: list[MyMeetingRowOut] = Field(..., description="参加过的会议，最近的在前（最多 20 次）")
    makeup: list[MyMeetingRowOut] = Field(..., description="待补学")


class MyAttendanceOut(Schema):
    state: str
    state_label: str
    guest: bool
    signed_in_at: datetime | None
    leave_reason: str
    makeup_due_on: date | None
    makeup_done_on: date | None


class MeetingCountsOut(Schema):
    expected: int
    present: int
    leave: int
    absent: int


class MeetingDetailOut(Schema):
    id: int
    kind: str
    kind_label: str
    topic: str
    organisation_id: int
    organisation: str
    starts_at: datetime
    ends_at: datetime
    place: str
    format: str
    format_label: str
    route: str
    online_link: str
    status: str
    status_label: str
    cancelled_reason: str
    sign_in_opens: datetime
    sign_in_closes: datetime
    signing: bool = Field(..., description="现在是否在签到时间内")
    keeps: bool = Field(..., description="我是否负责这次会议（可查看参会统计）")
    mine: MyAttendanceOut | None = Field(None, description="我的参会情况；不在参会名单中时为空")
    counts: MeetingCountsOut | None = Field(None, description="参会统计（非列席人员），仅会议负责人可见")


class MeetingLeaveIn(BodyIn):
    reason: str = Field("", max_length=200, description="请假原因")


class MeetingSignInIn(BodyIn):
    token: str = Field("", max_length=500, description="会场屏幕二维码中的签到码（二维码链接中的 t 参数）")


class MeetingSignInOut(Schema):
    first: bool = Field(..., description="是否首次签到；重复签到只计一次")
    message: str
    attendance: MyAttendanceOut


def _row(attendance: Attendance) -> dict:
    meeting = attendance.meeting
    return {
        "meeting_id": meeting.pk,
        "kind": meeting.kind,
        "kind_label": str(meeting.get_kind_display()),
        "topic": meeting.topic,
        "organisation": meeting.organisation.name,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "format": meeting.format,
        "format_label": str(meeting.get_format_display()),
        "status": meeting.status,
        "status_label": str(meeting.get_status_display()),
        "state": attendance.state,
        "state_label": str(attendance.get_state_display()),
        "makeup_due_on": attendance.makeup_due_on,
        "makeup_done_on": attendance.makeup_done_on,
    }


def _attendance(attendance: Attendance) -> dict:
    return {
        "state": attendance.state,
        "state_label": str(attendance.get_state_display()),
        "guest": attendance.guest,
        "signed_in_at": attendance.signed_in_at,
        "leave_reason": attendance.leave_reason,
        "makeup_due_on": attendance.makeup_due_on,
        "makeup_done_on": attendance.makeup_done_on,
    }


@router.get("/mine", response=responses(MyMeetingsOut), summary="我的组织生活")
def mine(request: HttpRequest) -> dict:
    rows = queries.meetings_of(request.user)
    now = clock.now()
    upcoming = list(
        rows.filter(meeting__ends_at__gte=now)
        .exclude(meeting__status=Status.CANCELLED)
        .order_by("meeting__starts_at")[:UPCOMING_SHOWN]
    )
    recent = rows.filter(meeting__ends_at__lt=now)[:RECENT_SHOWN]
    makeup = rows.filter(makeup_due_on__isnull=False, makeup_done_on__isnull=True)[:MAKEUP_SHOWN]
    return {
        "upcoming": [_row(a) for a in upcoming],
        "recent": [_row(a) for a in recent],
        "makeup": [_row(a) for a in makeup],
    }


def _meeting_for(request: HttpRequest, meeting_id: int) -> tuple[Meeting, bool]:
    return found_or_404(queries.meeting_for(request.user, meeting_id))


@router.get("/{meeting_id}", response=responses(MeetingDetailOut), summary="会议详情")
def meeting(request: HttpRequest, meeting_id: Id) -> dict:
    found, keeps = _meeting_for(request, meeting_id)
    mine = queries.attendance_of(found, request.user)
    counts = None
    if keeps:
        counts = queries.attendance_counts(found)
        counts = {
            "expected": sum(counts.values()),
            "present": counts[AttendanceState.PRESENT],
            "leave": counts[AttendanceState.LEAVE],
            "absent": counts[AttendanceState.ABSENT],
        }
    opens, closes = services.sign_in_window(found)
    return {
        "id": found.pk,
        "kind": found.kind,
        "kind_label": str(found.get_kind_display()),
        "topic": found.topic,
        "organisation_id": found.organisation_id,
        "organisation": found.organisation.name,
        "starts_at": found.starts_at,
        "ends_at": found.ends_at,
        "place": found.place,
        "format": found.format,
        "format_label": str(found.get_format_display()),
        "route": found.route,
        "online_link": found.online_link,
        "status": found.status,
        "status_label": str(found.get_status_display()),
        "cancelled_reason": found.cancelled_reason,
        "sign_in_opens": opens,
        "sign_in_closes": closes,
        "signing": services.signing_open(found, clock.now()),
        "keeps": keeps,
        "mine": _attendance(mine) if mine else None,
        "counts": counts,
    }


@router.post("/{meeting_id}/leave", response=responses(MyAttendanceOut), summary="请假")
def leave(request: HttpRequest, meeting_id: Id, payload: MeetingLeaveIn) -> dict:
    found, _keeps = _meeting_for(request, meeting_id)
    return _attendance(services.request_leave(request.user, found, payload.reason))


@router.post("/{meeting_id}/sign-in", response=responses(MeetingSignInOut), summary="扫码签到（重复签到只计一次）")
def sign_in(request: HttpRequest, meeting_id: Id, payload: MeetingSignInIn) -> dict:
    found = queries.meeting_by_code(meeting_id, payload.token)
    if found is None:  # as on the QR page: without its code, no such meeting
        raise Http404
    attendance, first = services.sign_in(request.user, found, payload.token)
    return {
        "first": first,
        "message": _("签到成功") if first else _("您已签到，无需重复签到"),
        "attendance": _attendance(attendance),
    }
