"""API for a person's own inbox, to-do list and message preferences."""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from plaza.api.schemas import responses

from . import queries, services
from .forms import KINDS

router = Router(tags=["notifications"])
KIND_VALUES = [value for value, _label in KINDS]


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


class MarkReadIn(Schema):
    ids: list[int] = Field(default_factory=list, max_length=500, description="为空且 all=true 时全部标为已读")
    all: bool = False


class MarkedOut(Schema):
    marked: int


class TaskOut(Schema):
    id: int
    title: str
    url: str
    due_on: date | None
    created_at: datetime


class PreferenceIO(Schema):
    email: bool
    wecom: bool
    muted_kinds: list[str] = Field(default_factory=list, max_length=len(KIND_VALUES))


@router.get("/notifications", response=responses(list[NotificationOut]), summary="我的消息")
@paginate(PageNumberPagination, page_size=20)
def notifications(request: HttpRequest) -> object:
    return queries.inbox(request.user)


@router.get("/unread", response=responses(UnreadOut), summary="未读消息数")
def unread(request: HttpRequest) -> dict:
    return {"unread": queries.unread_count(request.user)}


@router.post("/notifications/read", response=responses(MarkedOut), summary="标为已读（只影响自己的消息）")
def mark_read(request: HttpRequest, payload: MarkReadIn) -> dict:
    if not payload.all and not payload.ids:
        raise HttpError(400, "请给出要标为已读的消息编号，或设置 all=true。")
    return {"marked": services.mark_read(request.user, None if payload.all else payload.ids)}


@router.get("/todos", response=responses(list[TaskOut]), summary="我的待办")
def todos(request: HttpRequest) -> object:
    return list(queries.open_todos(request.user)[:200])


@router.get("/preferences", response=responses(PreferenceIO), summary="我的消息偏好")
def get_preferences(request: HttpRequest) -> object:
    return services.preference_of(request.user)


@router.put("/preferences", response=responses(PreferenceIO), summary="修改消息偏好")
def put_preferences(request: HttpRequest, payload: PreferenceIO) -> object:
    unknown = set(payload.muted_kinds) - set(KIND_VALUES)
    if unknown:
        raise HttpError(400, f"未知的消息类别：{', '.join(sorted(unknown))}（可选：{', '.join(KIND_VALUES)}）")
    return services.set_preferences(request.user, email=payload.email, wecom=payload.wecom,
                                    muted_kinds=payload.muted_kinds)
