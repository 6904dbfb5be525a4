"""API for 预约办理 as the people who book see it: the services they may book (with the documents to bring), a
day's free places, booking, their own bookings and cancelling — over the same queries and services as the pages.

A service is looked up as the service page does (:func:`plaza.booking.queries.visible_service`) and a booking
among the caller's own, so anything else is a 404. The booking service takes the place under the database's
``booked < capacity`` check, so the last place is never given twice; its refusals are 400s.
"""

from datetime import date, datetime, timedelta
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja import Status as Created
from ninja.pagination import paginate

from plaza.lib import clock
from plaza.lib.pagination import Pages
from plaza.lib.schemas import BodyIn, StrictDate, StrictDateTime, found_or_404, responses

from . import queries, services
from .models import Booking, Service, Status

router = Router(tags=["booking"])

#: Ids are positive 64-bit integers; anything else is a 422, never a 500.
Id = Annotated[int, Path(ge=1, le=2**62)]


class BookingServiceOut(Schema):
    id: int
    name: str
    organisation: str = Field(..., alias="organisation.name")
    place: str
    slot_minutes: int
    documents: list[str] = Field(..., alias="checklist", description="需携带的材料，每项一条")
    audience: str
    audience_label: str
    book_ahead_days: int
    cancel_hours: int

    @staticmethod
    def resolve_audience_label(obj: Service) -> str:
        return str(obj.get_audience_display())


class BookingSlotOut(Schema):
    starts_at: datetime = Field(..., description="预约时提交的时段开始时间")
    ends_at: datetime
    capacity: int
    booked: int
    free: int
    mine: bool


class BookingDayOut(Schema):
    day: date
    first: date = Field(..., description="最早可预约的日期（今天）")
    last: date = Field(..., description="最晚可预约的日期")
    closed: str = Field(..., description="当天暂停办理的原因；为空表示开放")
    refusal: str = Field(..., description="本人不能预约该事项的原因；为空表示可以预约")
    slots: list[BookingSlotOut] = Field(..., description="当天尚未开始的时段（日期超出可预约范围时为空）")


class BookingIn(BodyIn):
    # Optional so that a missing time gets the page's own refusal (a 400) after the service was found in scope.
    starts_at: StrictDateTime | None = Field(None, description="所选时段的开始时间（取自可预约时段列表）")


class BookingOut(Schema):
    id: int
    service_id: int
    service: str = Field(..., alias="service.name")
    place: str = Field(..., alias="service.place")
    documents: list[str] = Field(..., alias="service.checklist")
    starts_at: datetime = Field(..., alias="slot.starts_at")
    ends_at: datetime = Field(..., alias="slot.ends_at")
    status: str
    status_label: str
    code: str | None = Field(..., description="签到码：只有已预约（未签到）的预约才有")
    cancel_refusal: str = Field(..., description="不能取消的原因；为空表示可以取消")
    rating: int | None
    comment: str

    @staticmethod
    def resolve_status_label(obj: Booking) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_code(obj: Booking) -> str | None:
        return obj.code if obj.status == Status.BOOKED else None

    @staticmethod
    def resolve_cancel_refusal(obj: Booking) -> str:
        return services.cancel_refusal(obj, clock.now())


def _service(request: HttpRequest, service_id: int) -> Service:
    return found_or_404(queries.visible_service(request.user, service_id))


def _own_booking(request: HttpRequest, booking_id: int) -> Booking:
    return get_object_or_404(queries.bookings_of(request.user), pk=booking_id)


def _aware(value: datetime) -> datetime:
    """The time as the page reads it (a time without zone is local); a time no calendar holds is refused."""
    try:
        aware = value if timezone.is_aware(value) else timezone.make_aware(value)
        timezone.localtime(aware)
    except (OverflowError, ValueError) as exc:
        raise ValidationError(_("请选择时段。")) from exc
    return aware


@router.get("/services", response=responses(list[BookingServiceOut]), summary="我可以预约的事项")
@paginate(Pages, page_size=50)
def bookable(request: HttpRequest) -> QuerySet[Service]:
    return queries.bookable_services(request.user)


@router.get("/services/{service_id}/slots", response=responses(BookingDayOut), summary="某天的可预约时段")
def slots(
    request: HttpRequest,
    service_id: Id,
    day: StrictDate | None = Query(None, description="日期 YYYY-MM-DD，默认今天"),  # noqa: B008
) -> dict[str, Any]:
    found = _service(request, service_id)
    today = clock.today()
    day = day or today
    last = today + timedelta(days=found.book_ahead_days)
    refusal = "" if services.reaches(request.user, found) else _("该事项不面向您所在的组织。")
    refusal = refusal or services.audience_refusal(request.user, found)
    pause = services.active_pause(request.user)
    refusal = refusal or (services.pause_refusal(pause) if pause else "")
    in_range = today <= day <= last
    return {
        "day": day,
        "first": today,
        "last": last,
        "refusal": refusal,
        "closed": services.closure(found, day) if in_range else "",
        "slots": queries.day_slots(found, day, request.user) if in_range else [],
    }


@router.post("/services/{service_id}/book", response=responses(BookingOut, status=201), summary="预约")
def book(request: HttpRequest, service_id: Id, payload: BookingIn) -> Created[Booking]:
    found = _service(request, service_id)
    if payload.starts_at is None:
        raise ValidationError(_("请选择时段。"))
    return Created(201, services.book(request.user, found, _aware(payload.starts_at)))


@router.get("/mine", response=responses(list[BookingOut]), summary="我的预约")
@paginate(Pages, page_size=20)
def mine(request: HttpRequest) -> QuerySet[Booking]:
    return queries.bookings_of(request.user)


@router.post("/bookings/{booking_id}/cancel", response=responses(BookingOut), summary="取消预约")
def cancel(request: HttpRequest, booking_id: Id) -> Booking:
    return services.cancel(request.user, _own_booking(request, booking_id))
