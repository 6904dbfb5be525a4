"""API for a person's own inbox, to-do list and message preferences."""

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from pydantic import StrictBool

from plaza.lib.pagination import Pages
from plaza.lib.schemas import BodyId, BodyIn, responses

from . import queries, services
from .forms import KINDS

router = Router(tags=["notifications"])
KIND_VALUES = [value for value, _label in KINDS]
MessageKind = Literal["reminder", "general"]  # the kinds of forms.KINDS (checked by a test)


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None


class UnreadOut(Schema):
    unread: int


class MarkReadIn(BodyIn):
    ids: list[BodyId] = Field(..., min_length=1, max_length=500, description="要标为已读的消息编号")


class MarkedOut(Schema):
    marked: int


class TaskOut(Schema):
    id: int
    title: str
    url: str
    due_on: date | None
    created_at: datetime


class PreferenceIO(Schema):
    email: StrictBool
    wecom: StrictBool
    muted_kinds: list[MessageKind] = Field(default_factory=list, max_length=len(KIND_VALUES))


@router.get("/notifications", response=responses(list[NotificationOut]), summary="我的消息")
@paginate(Pages, page_size=20)
def notifications(request: HttpRequest) -> object:
    return queries.inbox(request.user)


@router.get("/unread", response=responses(UnreadOut), summary="未读消息数")
def unread(request: HttpRequest) -> dict:
    return {"unread": queries.unread_count(request.user)}


@router.post("/notifications/read", response=responses(MarkedOut), summary="标为已读（只影响自己的消息）")
def mark_read(request: HttpRequest, payload: MarkReadIn) -> dict:
    return {"marked": services.mark_read(request.user, payload.ids)}


@router.post("/notifications/read-all", response=responses(MarkedOut), summary="全部标为已读")
def mark_all_read(request: HttpRequest) -> dict:
    return {"marked": services.mark_read(request.user, None)}


@router.get("/todos", response=responses(list[TaskOut]), summary="我的待办")
def todos(request: HttpRequest) -> object:
    return list(queries.open_todos(request.user)[:200])


@router.get("/preferences", response=responses(PreferenceIO), summary="我的消息偏好")
def get_preferences(request: HttpRequest) -> object:
    return services.preference_of(request.user)


@router.put("/preferences", response=responses(PreferenceIO), summary="修改消息偏好")
def put_preferences(request: HttpRequest, payload: PreferenceIO) -> object:
    return services.set_preferences(
        request.user, email=payload.email, wecom=payload.wecom, muted_kinds=payload.muted_kinds
    )
