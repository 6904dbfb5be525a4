"""API for the inbox and the to-do list."""


from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from . import queries

router = Router(tags=["notifications"])


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


@router.get("/notifications", response=list[NotificationOut], summary="我的消息")
@paginate(PageNumberPagination, page_size=20)
def notifications(request: HttpRequest) -> object:
    return queries.inbox(request.user)


@router.get("/unread", response=UnreadOut, summary="未读消息数")
def unread(request: HttpRequest) -> dict:
    return {"unread": queries.unread_count(request.user)}
