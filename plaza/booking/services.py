"""Every write about bookings: services and their schedules (staff with ``Cap.BOOKING`` over the service's
organisation), booking, cancelling and moving (the person), check-in, done and no-show (staff), ratings.
Each says why it refuses and records an audit entry.

The last place of a slot is never given twice: the place is taken with one conditional UPDATE
(``booked = booked + 1 WHERE booked < capacity``), which PostgreSQL re-checks after a concurrent update.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock, dates
from plaza.notify import services as notify
from plaza.orgs.models import Membership, Organisation, Tree
from plaza.orgs.permissions import Cap, Scope
from plaza.rules import workdays

from .models import Audience, Booking, ClosedDay, OpeningHours, Pause, Service, Slot, Status, Weekday

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out and typed by hand
CODE_LENGTH = 8
SUBJECT = "booking"


def no_show_limit() -> int:
    return getattr(settings, "PLAZA_BOOKING_NO_SHOW_LIMIT", 3)


def no_show_window_days() -> int:
    return getattr(settings, "PLAZA_BOOKING_NO_SHOW_WINDOW_DAYS", 90)


def pause_days() -> int:
    return getattr(settings, "PLAZA_BOOKING_PAUSE_DAYS", 30)


# ------------------------------------------------------------------------------------------ the calendar


@dataclass(frozen=True)
class Period:
    opens: time
    closes: time
    counters: int


def closure(service: Service, day: date) -> str:
    """Why the service is closed on ``day`` (a holiday, a staff closure, no hours that weekday), or ""."""
    name = workdays.holiday_name(day)
    if name:
        return _("%(day)s 是%(name)s假期，不办理。") % {"day": dates.day(day), "name": name}
    closed = ClosedDay.objects.filter(service=service, day=day).first()
    if closed is not None:
        return _("%(day)s 暂停办理：%(reason)s") % {"day": dates.day(day), "reason": closed.reason}
    if not periods(service, day):
        return _("%(day)s 不开放办理。") % {"day": dates.day(day)}
    return ""


def periods(service: Service, day: date) -> list[Period]:
    """The opening periods on ``day`` before holidays and closures (the national calendar: plaza.rules.workdays).
    An adjusted working day (调休上班) opens with the hours of a normal working day: the service's Monday hours,
    else its first working day's."""
    hours = [h for h in _hours(service)]
    weekday = day.weekday()
    adjusted = weekday >= Weekday.SATURDAY and workdays.is_working_day(day)  # 调休上班
    if adjusted and not any(h.weekday == weekday for h in hours):
        weekdays = sorted({h.weekday for h in hours if h.weekday < Weekday.SATURDAY})
        weekday = weekdays[0] if weekdays else weekday
    return [Period(h.opens, h.closes, h.counters) for h in hours if h.weekday == weekday]


def _hours(service: Service) -> list[OpeningHours]:
    cache = service.__dict__.setdefault("_booking_hours", None)
    if cache is None:
        cache = service.__dict__["_booking_hours"] = list(OpeningHours.objects.filter(service=service))
    return cache


def slot_times(service: Service, day: date) -> list[tuple[datetime, datetime, int]]:
    """(start, end, places) of every slot on ``day``; none when the service is closed."""
    if closure(service, day):
        return []
    length = timedelta(minutes=service.slot_minutes)
    found = []
    for period in periods(service, day):
        start = timezone.make_aware(datetime.combine(day, period.opens))
        end_of_period = timezone.make_aware(datetime.combine(day, period.closes))
        while start + length <= end_of_period:
            found.append((start, start + length, period.counters))
            start += length
    return found


# ------------------------------------------------------------------------------------------ who may book


def reaches(person: Any, service: Service) -> bool:
    """Whether the service is offered to the person: a current membership in the service's subtree."""
    return (
        Membership.objects.current()
        .filter(person=person, organisation__path__startswith=service.organisation.path)
        .exists()
    )


def audience_refusal(person: Any, service: Service) -> str:
    if service.audience == Audience.PARTY and not person.is_party_member:
        return _("该事项仅限党员预约。")
    if (
        service.audience == Audience.UNION
        and not Membership.objects.current().filter(person=person, tree=Tree.UNION).exists()
    ):
        return _("该事项仅限工会会员预约。")
    return ""


def active_pause(person: Any, today: date | None = None) -> Pause | None:
    today = today or clock.today()
    return Pause.objects.filter(person=person, starts_on__lte=today, ends_on__gt=today).order_by("-ends_on").first()


def pause_refusal(pause: Pause) -> str:
    return _("您的预约已暂停：%(reason)s。%(day)s 起可重新预约。") % {
        "reason": pause.reason,
        "day": dates.day(pause.ends_on),
    }


# ------------------------------------------------------------------------------------------ staff: services


SERVICE_FIELDS = ("name", "place", "slot_minutes", "documents", "audience", "book_ahead_days", "cancel_hours", "active")


def _check_service(data: dict[str, Any]) -> None:
    problems = []
    if not str(data.get("name", "")).strip():
        problems.append(_("请填写办理事项。"))
    if not str(data.get("place", "")).strip():
        problems.append(_("请填写办理地点。"))
    if not 5 <= int(data.get("slot_minutes", 0)) <= 240:
        problems.append(_("每个时段应为 5 到 240 分钟。"))
    if not 1 <= int(data.get("book_ahead_days", 0)) <= 90:
        problems.append(_("可提前预约天数应为 1 到 90 天。"))
    if not 0 <= int(data.get("cancel_hours", -1)) <= 168:
        problems.append(_("取消截止应为开始前 0 到 168 小时。"))
    if data.get("audience") not in Audience.values:
        problems.append(_("请选择可预约人员。"))
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def create_service(actor: Any, organisation: Organisation, **data: Any) -> Service:
    Scope.of(actor, Cap.BOOKING).require(organisation=organisation)
    data = {key: data[key] for key in SERVICE_FIELDS if key in data}
    _check_service({"audience": Audience.EVERYONE, "cancel_hours": 2, **data})
    service = Service.objects.create(organisation=organisation, created_by=actor, **data)
    record(actor, actions.BOOKING_SERVICE_CREATE, service, after={"organisation": organisation.name, **data})
    return service


@transaction.atomic
def update_service(actor: Any, service: Service, **data: Any) -> Service:
    service = Service.objects.select_for_update().select_related("organisation").get(pk=service.pk)
    Scope.of(actor, Cap.BOOKING).require(organisation=service.organisation)
    before = {key: getattr(service, key) for key in SERVICE_FIELDS}
    after = {**before, **{key: data[key] for key in SERVICE_FIELDS if key in data}}
    _check_service(after)
    for key, value in after.items():
        setattr(service, key, value)
    service.save()
    record(actor, actions.BOOKING_SERVICE_UPDATE, service, before=before, after=after)
    return service


@transaction.atomic
def add_hours(
    actor: Any, service: Service, *, weekdays: Iterable[int], opens: time, closes: time, counters: int
) -> list[OpeningHours]:
    """Open the service on each of ``weekdays`` from ``opens`` to ``closes`` with ``counters`` places a slot."""
    Scope.of(actor, Cap.BOOKING).require(organisation=service.organisation)
    weekdays = sorted({int(w) for w in weekdays})
    problems = []
    if not weekdays or any(w not in Weekday.values for w in weekdays):
        problems.append(_("请选择星期。"))
    if closes <= opens:
        problems.append(_("结束时间应晚于开始时间。"))
    elif (datetime.combine(date.min, closes) - datetime.combine(date.min, opens)) < timedelta(
        minutes=service.slot_minutes
    ):
        problems.append(_("开放时间短于一个时段（%(n)s 分钟）。") % {"n": service.slot_minutes})
    if not 1 <= counters <= 50:
        problems.append(_("窗口数应为 1 到 50。"))
    overlapping = OpeningHours.objects.filter(service=service, weekday__in=weekdays, opens__lt=closes, closes__gt=opens)
    if overlapping.exists():
        problems.append(_("与已有的开放时间重叠：%(h)s") % {"h": "、".join(str(h) for h in overlapping)})
    if problems:
        raise ValidationError(problems)
    created = OpeningHours.objects.bulk_create(
        [OpeningHours(service=service, weekday=w, opens=opens, closes=closes, counters=counters) for w in weekdays]
    )
    record(
        actor,
        actions.BOOKING_HOURS_ADD,
        service,
        after={"weekdays": weekdays, "opens": opens.isoformat(), "closes": closes.isoformat(), "counters": counters},
    )
    return created


@transaction.atomic
def remove_hours(actor: Any, service: Service, hours_id: int) -> None:
    Scope.of(actor, Cap.BOOKING).require(organisation=service.organisation)
    hours = OpeningHours.objects.filter(service=service, pk=hours_id).first()
    if hours is None:
        raise ValidationError(_("找不到该开放时间。"))
    record(actor, actions.BOOKING_HOURS_REMOVE, service, before={"hours": str(hours), "counters": hours.counters})
    hours.delete()


@transaction.atomic
def add_closed_day(actor: Any, service: Service, day: date, reason: str, *, now: datetime | None = None) -> int:
    """Close the service on ``day``. Bookings already made for that day are cancelled and their people told;
    returns how many."""
    Scope.of(actor, Cap.BOOKING).require(organisation=service.organisation)
    now = now or clock.now()
    if day < timezone.localdate(now):
        raise ValidationError(_("不能设置过去的日期。"))
    if len(reason.strip()) < 2:
        raise ValidationError(_("请写明暂停办理的原因。"))
    if ClosedDay.objects.filter(service=service, day=day).exists():
        raise ValidationError(_("该日已设为暂停办理。"))
    closed = ClosedDay.objects.create(service=service, day=day, reason=reason.strip()[:120], created_by=actor)
    affected = list(
        Booking.objects.select_for_update()
        .filter(service=service, status=Status.BOOKED, slot__starts_at__date=day)
        .select_related("slot", "person")
    )
    for booking in affected:
        _release(booking, now)
        notify.notify(
            [booking.person],
            kind="reminder",
            url=reverse("booking:detail", args=[booking.pk]),
            title=_("您预约的%(service)s（%(when)s）因暂停办理已取消：%(reason)s，请改约其他时间。")
            % {"service": service.name, "when": _when(booking.slot), "reason": closed.reason},
        )
    record(
        actor,
        actions.BOOKING_CLOSED_DAY_ADD,
        service,
        after={"day": day, "reason": closed.reason, "cancelled": [b.pk for b in affected]},
    )
    return len(affected)


@transaction.atomic
def remove_closed_day(actor: Any, service: Service, closed_id: int) -> None:
    Scope.of(actor, Cap.BOOKING).require(organisation=service.organisation)
    closed = ClosedDay.objects.filter(service=service, pk=closed_id).first()
    if closed is None:
        raise ValidationError(_("找不到该暂停办理日。"))
    record(actor, actions.BOOKING_CLOSED_DAY_REMOVE, service, before={"day": closed.day, "reason": closed.reason})
    closed.delete()


# ------------------------------------------------------------------------------------------ booking


def _when(slot: Slot) -> str:
    return dates.moment(slot.starts_at)


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _n in range(CODE_LENGTH))


def booking_refusal(person: Any, service: Service, starts_at: datetime, now: datetime) -> str:
    """Why ``person`` may not book ``service`` at ``starts_at`` (before counting places), or ""."""
    if not service.active:
        return _("该事项暂未开放预约。")
    if not reaches(person, service):
        return _("该事项不面向您所在的组织。")
    refusal = audience_refusal(person, service)
    if refusal:
        return refusal
    pause = active_pause(person, timezone.localdate(now))
    if pause is not None:
        return pause_refusal(pause)
    if starts_at <= now:
        return _("该时段已过，请选择其他时段。")
    day = timezone.localdate(starts_at)
    if day > timezone.localdate(now) + timedelta(days=service.book_ahead_days):
        return _("最多可提前 %(n)s 天预约。") % {"n": service.book_ahead_days}
    closed = closure(service, day)
    if closed:
        return closed
    if not any(start == starts_at for start, _end, _places in slot_times(service, day)):
        return _("%(when)s 不在开放时间内，请选择列出的时段。") % {"when": dates.moment(starts_at)}
    return ""


@transaction.atomic
def book(
    actor: Any, service: Service, starts_at: datetime, *, now: datetime | None = None, moved_from: Booking | None = None
) -> Booking:
    """Take one place in the slot of ``service`` starting at ``starts_at``; confirm and schedule reminders."""
    now = now or clock.now()
    refusal = booking_refusal(actor, service, starts_at, now)
    if refusal:
        raise ValidationError(refusal)
    start, end, places = next(
        times for times in slot_times(service, timezone.localdate(starts_at)) if times[0] == starts_at
    )
    slot, _created = Slot.objects.get_or_create(
        service=service, starts_at=start, defaults={"ends_at": end, "capacity": places}
    )
    if Booking.objects.filter(slot=slot, person=actor).exclude(status=Status.CANCELLED).exists():
        raise ValidationError(_("您已预约了这个时段。"))
    if not Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1):
        raise ValidationError(_("该时段已约满，请选择其他时段。"))
    slot.refresh_from_db(fields=["booked"])
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                slot=slot, service=service, person=actor, code=_new_code(), moved_from=moved_from
            )
    except IntegrityError as exc:  # the same person booking the same slot twice at the same moment
        raise ValidationError(_("您已预约了这个时段。")) from exc
    _schedule_reminders(booking, now)
    record(
        actor,
        actions.BOOKING_BOOK,
        booking,
        after={
            "service": service.name,
            "starts_at": slot.starts_at,
            "moved_from": moved_from.pk if moved_from else None,
        },
    )
    return booking


def _schedule_reminders(booking: Booking, now: datetime) -> None:
    slot, service = booking.slot, booking.service
    url = reverse("booking:detail", args=[booking.pk])
    for key, before, title in (
        ("day", timedelta(days=1), _("明天办理：%(service)s，%(when)s，%(place)s，请带好材料")),
        ("hour", timedelta(hours=1), _("1 小时后办理：%(service)s，%(when)s，%(place)s")),
    ):
        due = slot.starts_at - before
        if due <= now:
            continue
        notify.schedule_reminder(
            subject_type=SUBJECT,
            subject_id=str(booking.pk),
            kind="reminder",
            url=url,
            due_at=due,
            title=title % {"service": service.name, "when": _when(slot), "place": service.place},
            deadline=timezone.localdate(slot.starts_at),
            recipients=[booking.person],
            dedupe_key=f"booking:{booking.pk}:{key}",
        )


def _release(booking: Booking, now: datetime) -> None:
    """Cancel the booking, give its place back and cancel its reminders (the caller locked it)."""
    booking.status, booking.cancelled_at = Status.CANCELLED, now
    booking.save(update_fields=["status", "cancelled_at"])
    Slot.objects.filter(pk=booking.slot_id).update(booked=F("booked") - 1)
    notify.cancel_reminders(SUBJECT, str(booking.pk))


def _own(actor: Any, booking: Booking) -> Booking:
    booking = Booking.objects.select_for_update().select_related("slot", "service", "person").get(pk=booking.pk)
    if booking.person_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("这不是您的预约。"))
    return booking


def cancel_cut_off(service: Service, starts_at: datetime) -> datetime:
    """The last moment a booking of ``starts_at`` may be cancelled or moved: ``Service.cancel_hours`` before it."""
    return starts_at - timedelta(hours=service.cancel_hours)


def cancel_refusal(booking: Booking, now: datetime) -> str:
    if booking.status != Status.BOOKED:
        return _("该预约%(status)s，不能取消或改约。") % {"status": booking.get_status_display()}
    cut_off = cancel_cut_off(booking.service, booking.slot.starts_at)
    if now >= cut_off:
        return _("已过取消截止时间（开始前 %(n)s 小时，即 %(when)s），不能取消或改约。") % {
            "n": booking.service.cancel_hours,
            "when": dates.moment(cut_off),
        }
    return ""


@transaction.atomic
def cancel(actor: Any, booking: Booking, *, now: datetime | None = None) -> Booking:
    """The person cancels before the cut-off; the place is free again and the reminders are cancelled."""
    now = now or clock.now()
    booking = _own(actor, booking)
    refusal = cancel_refusal(booking, now)
    if refusal:
        raise ValidationError(refusal)
    _release(booking, now)
    record(actor, actions.BOOKING_CANCEL, booking, before={"status": Status.BOOKED}, after={"status": Status.CANCELLED})
    return booking


@transaction.atomic
def move(actor: Any, booking: Booking, starts_at: datetime, *, now: datetime | None = None) -> Booking:
    """Cancel and book another time of the same service, all or nothing: when the new time is refused, the
    old booking stands."""
    now = now or clock.now()
    booking = _own(actor, booking)
    if booking.slot.starts_at == starts_at:
        raise ValidationError(_("新时段与原预约相同。"))
    refusal = cancel_refusal(booking, now)
    if refusal:
        raise ValidationError(refusal)
    _release(booking, now)
    moved = book(actor, booking.service, starts_at, now=now, moved_from=booking)
    record(
        actor,
        actions.BOOKING_MOVE,
        booking,
        before={"starts_at": booking.slot.starts_at},
        after={"starts_at": moved.slot.starts_at, "booking": moved.pk},
    )
    return moved


@transaction.atomic
def rate(actor: Any, booking: Booking, rating: int, comment: str = "", *, now: datetime | None = None) -> Booking:
    booking = _own(actor, booking)
    if booking.status != Status.DONE:
        raise ValidationError(_("办结后才能评价。"))
    if booking.rated_at is not None:
        raise ValidationError(_("您已评价过。"))
    if rating not in range(1, 6):
        raise ValidationError(_("评分应为 1 到 5 分。"))
    booking.rating, booking.comment, booking.rated_at = rating, comment.strip()[:300], now or clock.now()
    booking.save(update_fields=["rating", "comment", "rated_at"])
    record(actor, actions.BOOKING_RATE, booking, after={"rating": rating, "comment": booking.comment})
    return booking


# ------------------------------------------------------------------------------------------ staff: the day


def normalise_code(code: str) -> str:
    """A code typed by hand or read from the QR code's URL."""
    code = code.strip().upper()
    if "CODE=" in code:
        code = code.split("CODE=", 1)[1].split("&", 1)[0]
    return "".join(ch for ch in code if ch.isalnum())[: CODE_LENGTH + 4]


def find_by_code(actor: Any, code: str) -> Booking | None:
    """The booking with this check-in code among the services the actor keeps (others are "not found")."""
    code = normalise_code(code)
    if not code:
        return None
    return (
        Booking.objects.filter(Scope.of(actor, Cap.BOOKING).q("service__organisation__path"), code=code)
        .select_related("slot", "service", "person")
        .first()
    )


def code_refusal(actor: Any, code: str) -> str:
    """Why :func:`find_by_code` found nothing: the code belongs to a service the actor does not keep (say
    whose, so they can send the person to the right counter), or no booking has it."""
    code = normalise_code(code)
    if not code or Scope.of(actor, Cap.BOOKING).is_empty:  # not booking staff anywhere: nothing to tell
        return _("签到码无效。")
    elsewhere = Booking.objects.filter(code=code).select_related("service__organisation").first()
    if elsewhere is not None:
        return _("该签到码属于“%(service)s”（%(org)s），不在您管理的事项范围内，请到该事项的窗口签到。") % {
            "service": elsewhere.service.name,
            "org": elsewhere.service.organisation.name,
        }
    return _("签到码无效。")


def _kept(actor: Any, booking: Booking) -> Booking:
    booking = (
        Booking.objects.select_for_update().select_related("slot", "service__organisation", "person").get(pk=booking.pk)
    )
    Scope.of(actor, Cap.BOOKING).require(organisation=booking.service.organisation)
    return booking


@transaction.atomic
def check_in(actor: Any, code: str, *, now: datetime | None = None) -> tuple[Booking, bool]:
    """Check the person in by the code on their phone; True when this was the first check-in."""
    now = now or clock.now()
    found = find_by_code(actor, code)
    if found is None:
        raise ValidationError(code_refusal(actor, code))
    booking = _kept(actor, found)
    if booking.status == Status.CHECKED_IN:
        return booking, False
    if booking.status != Status.BOOKED:
        raise ValidationError(_("该预约%(status)s，不能签到。") % {"status": booking.get_status_display()})
    day = timezone.localdate(booking.slot.starts_at)
    if day != timezone.localdate(now):
        raise ValidationError(_("该预约不是今天的（%(when)s）。") % {"when": _when(booking.slot)})
    booking.status, booking.checked_in_at, booking.handled_by = Status.CHECKED_IN, now, actor
    booking.save(update_fields=["status", "checked_in_at", "handled_by"])
    notify.cancel_reminders(SUBJECT, str(booking.pk))
    record(actor, actions.BOOKING_CHECK_IN, booking, after={"status": Status.CHECKED_IN})
    return booking, True


def done_refusal(booking: Booking, now: datetime) -> str:
    """Why the booking cannot be marked done now ("" when it can): what :func:`mark_done` refuses and the queue
    offers (its button, the bulk action's confirmation)."""
    if booking.status not in (Status.BOOKED, Status.CHECKED_IN):
        return _("该预约%(status)s，不能办结。") % {"status": booking.get_status_display()}
    if timezone.localdate(booking.slot.starts_at) > timezone.localdate(now):
        return _("预约时间还没到。")
    return ""


def no_show_refusal(booking: Booking, now: datetime) -> str:
    """Why the booking cannot be recorded as a no-show now ("" when it can), as :func:`mark_no_show` refuses."""
    if booking.status != Status.BOOKED:
        return _("该预约%(status)s，不能记为未到。") % {"status": booking.get_status_display()}
    if booking.slot.starts_at > now:
        return _("预约时段还没开始，不能记为未到。")
    return ""


#: The queue's bulk actions (issue 14): 办结 and 记为未到, each booking handled as its row's own button would.
BULK_ACTIONS = ("done", "no_show")


def bulk_refusal(action: str, booking: Booking, now: datetime) -> str:
    """Why ``action`` (one of :data:`BULK_ACTIONS`) would refuse this booking now; "" when it would not."""
    return done_refusal(booking, now) if action == "done" else no_show_refusal(booking, now)


def handle_many(
    actor: Any, bookings: Iterable[Booking], action: str, *, now: datetime | None = None
) -> tuple[list[Booking], dict[str, str], list[Pause]]:
    """The queue's bulk action: each booking marked done (``action == "done"``) or not come (``"no_show"``) as
    :func:`mark_done` / :func:`mark_no_show` would, each in a transaction of its own and audited one by one.
    Returns the bookings handled, why the others were not (by "time name"), and the booking pauses it started."""
    if action not in BULK_ACTIONS:
        raise ValidationError(_("未知的批量操作。"))
    now = now or clock.now()
    done: list[Booking] = []
    refused: dict[str, str] = {}
    pauses: list[Pause] = []
    for booking in bookings:
        try:
            if action == "done":
                mark_done(actor, booking, now=now)
            else:
                pause = mark_no_show(actor, booking, now=now)
                if pause is not None:
                    pauses.append(pause)
        except (ValidationError, PermissionDenied) as exc:
            label = f"{dates.short_moment(booking.slot.starts_at)} {booking.person.name}"
            refused[label] = "；".join(getattr(exc, "messages", [str(exc)]))
        else:
            done.append(booking)
    return done, refused, pauses


@transaction.atomic
def mark_done(actor: Any, booking: Booking, *, now: datetime | None = None) -> Booking:
    now = now or clock.now()
    booking = _kept(actor, booking)
    refusal = done_refusal(booking, now)
    if refusal:
        raise ValidationError(refusal)
    before = booking.status
    booking.status, booking.finished_at, booking.handled_by = Status.DONE, now, actor
    booking.checked_in_at = booking.checked_in_at or now
    booking.save(update_fields=["status", "finished_at", "handled_by", "checked_in_at"])
    notify.cancel_reminders(SUBJECT, str(booking.pk))
    notify.notify(
        [booking.person],
        kind="general",
        url=reverse("booking:detail", args=[booking.pk]),
        title=_("%(service)s已办结，欢迎评价本次服务。") % {"service": booking.service.name},
    )
    record(actor, actions.BOOKING_DONE, booking, before={"status": before}, after={"status": Status.DONE})
    return booking


@transaction.atomic
def mark_no_show(actor: Any, booking: Booking, *, now: datetime | None = None) -> Pause | None:
    """The person did not come. After ``no_show_limit()`` no-shows within ``no_show_window_days()`` (counted
    since the last pause began) their booking is paused for ``pause_days()``; returns the new pause."""
    now = now or clock.now()
    booking = _kept(actor, booking)
    refusal = no_show_refusal(booking, now)
    if refusal:
        raise ValidationError(refusal)
    booking.status, booking.handled_by = Status.NO_SHOW, actor
    booking.save(update_fields=["status", "handled_by"])
    notify.cancel_reminders(SUBJECT, str(booking.pk))
    record(actor, actions.BOOKING_NO_SHOW, booking, before={"status": Status.BOOKED}, after={"status": Status.NO_SHOW})
    today = timezone.localdate(now)
    since = now - timedelta(days=no_show_window_days())
    last = Pause.objects.filter(person=booking.person).order_by("-starts_on").first()
    if last is not None:  # the no-shows that led to a pause do not count again
        since = max(since, timezone.make_aware(datetime.combine(last.starts_on + timedelta(days=1), time())))
    count = Booking.objects.filter(person=booking.person, status=Status.NO_SHOW, slot__starts_at__gt=since).count()
    if count < no_show_limit() or active_pause(booking.person, today) is not None:
        return None
    pause = Pause.objects.create(
        person=booking.person,
        starts_on=today,
        ends_on=today + timedelta(days=pause_days()),
        reason=_("%(days)s 天内 %(n)s 次预约未到") % {"days": no_show_window_days(), "n": count},
    )
    notify.notify([booking.person], kind="general", url=reverse("booking:index"), title=pause_refusal(pause))
    record(
        None,
        actions.BOOKING_PAUSE,
        pause,
        after={"person": booking.person.pk, "ends_on": pause.ends_on, "reason": pause.reason},
    )
    return pause
