"""预约办理 pages: services and their free slots, my bookings with the check-in QR code, and the staff's office
(services, hours, closures, check-in by code, the day's queue, statistics with an Excel export)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock, dates, listing, qr
from plaza.lib.http import attachment
from plaza.lib.params import MAX_DATE, MIN_DATE, choice_param, date_param, int_list, int_param
from plaza.lib.refusals import messages_of as _errors
from plaza.lib.refusals import refuse_on_form
from plaza.lib.schemas import found_or_404
from plaza.orgs.permissions import Cap, Scope

from . import exports, queries, services
from .forms import ClosedDayForm, HoursForm, RangeForm, RatingForm, ServiceForm
from .models import Booking, Service, Status


def _day(request: HttpRequest, default: date) -> date:
    return date_param(request, "day", default)


def _starts_at(raw: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        return None
    if not MIN_DATE <= value.date() <= MAX_DATE:  # 0001-01-01 cannot even be moved to UTC
        return None
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _own_booking(request: HttpRequest, booking_id: int) -> Booking:
    return found_or_404(queries.own_booking(request.user, booking_id))


def _managed(request: HttpRequest, service_id: int) -> Service:
    return get_object_or_404(queries.managed_services(request.user), pk=service_id)


def _require_staff(request: HttpRequest) -> Scope:
    scope = Scope.of(request.user, Cap.BOOKING)
    if scope.is_empty:
        raise PermissionDenied
    return scope


# ------------------------------------------------------------------------------------------ people


@login_required
def index(request: HttpRequest) -> HttpResponse:
    rows = queries.bookings_of(request.user)
    now = clock.now()
    upcoming = list(
        rows.filter(
            slot__starts_at__gte=now - timedelta(hours=2), status__in=[Status.BOOKED, Status.CHECKED_IN]
        ).order_by("slot__starts_at")
    )
    # Every booking, the coming ones too: a booking just made is on the record at once (issue 12 item 6).
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    pause = services.active_pause(request.user)
    return render(
        request,
        "booking/index.html",
        {
            "services": queries.bookable_services(request.user),
            "upcoming": upcoming,
            "page": page,
            "pause": services.pause_refusal(pause) if pause else "",
            "active_tab": "services",
            "keeps": not Scope.of(request.user, Cap.BOOKING).is_empty,
        },
    )


@login_required
def service(request: HttpRequest, service_id: int) -> HttpResponse:
    """The service's checklist, a day picker and the day's free slots; a tap on a slot books it."""
    found = queries.visible_service(request.user, service_id)
    if found is None:
        raise Http404
    moving = None
    move = int_param(request, "move")
    if move is not None:
        moving = queries.booking_to_move(request.user, found, move)
    if request.method == "POST":
        starts_at = _starts_at(request.POST.get("starts_at", ""))
        try:
            if starts_at is None:
                raise ValidationError(_("请选择时段。"))
            booking = services.book(request.user, found, starts_at)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(_errors(exc)))
            return redirect(f"{reverse('booking:service', args=[found.pk])}?day={request.POST.get('day', '')}")
        messages.success(request, _("预约成功。请按时到场，出示签到码。"))
        return redirect("booking:detail", booking.pk)
    today = clock.today()
    day = _day(request, today)
    last = today + timedelta(days=found.book_ahead_days)
    refusal = ""
    if request.user.is_authenticated:
        if not services.reaches(request.user, found):
            refusal = _("该事项不面向您所在的组织。")
        refusal = refusal or services.audience_refusal(request.user, found)
        pause = services.active_pause(request.user)
        refusal = refusal or (services.pause_refusal(pause) if pause else "")
    closed = services.closure(found, day) if today <= day <= last else ""
    slots = queries.day_slots(found, day, request.user) if today <= day <= last else []
    return render(
        request,
        "booking/service.html",
        {
            "service": found,
            "day": day,
            "first": today,
            "last": last,
            "slots": slots,
            "closed": closed,
            "refusal": refusal,
            "moving": moving,
            "active_tab": "services",
            "out_of_range": not today <= day <= last,
            "days": [today + timedelta(days=n) for n in range(found.book_ahead_days + 1)],
            "hours": found.hours.all(),
        },
    )


@login_required
def detail(request: HttpRequest, booking_id: int) -> HttpResponse:
    """The confirmation: when and where, the checklist, the check-in code, cancel, move, rate."""
    booking = _own_booking(request, booking_id)
    now = clock.now()
    return render(
        request,
        "booking/detail.html",
        {
            "booking": booking,
            "active_tab": "services",
            "cancel_refusal": services.cancel_refusal(booking, now) if booking.status == Status.BOOKED else "",
            "can_change": booking.status == Status.BOOKED and not services.cancel_refusal(booking, now),
            "rating_form": RatingForm() if booking.status == Status.DONE and booking.rated_at is None else None,
            "cut_off": services.cancel_cut_off(booking.service, booking.slot.starts_at),
        },
    )


def _check_in_url(request: HttpRequest, booking: Booking) -> str:
    return request.build_absolute_uri(reverse("booking:check_in") + "?code=" + booking.code)


@login_required
def code_svg(request: HttpRequest, booking_id: int) -> HttpResponse:
    """The check-in QR code: staff scan it and land on the check-in page with the code filled in."""

    booking = _own_booking(request, booking_id)
    if booking.status != Status.BOOKED:
        raise Http404
    return qr.svg_response(_check_in_url(request, booking))


@login_required
@require_POST
def cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _own_booking(request, booking_id)
    try:
        services.cancel(request.user, booking)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(_errors(exc)))
    else:
        messages.success(request, _("预约已取消。"))
    return redirect("booking:detail", booking.pk)


@login_required
@require_POST
def move(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _own_booking(request, booking_id)
    starts_at = _starts_at(request.POST.get("starts_at", ""))
    try:
        if starts_at is None:
            raise ValidationError(_("请选择时段。"))
        moved = services.move(request.user, booking, starts_at)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(_errors(exc)))
        return redirect("booking:detail", booking.pk)
    when = dates.short_moment(moved.slot.starts_at)
    messages.success(request, _("已改约到 %(when)s。") % {"when": when})
    return redirect("booking:detail", moved.pk)


@login_required
@require_POST
def rate(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _own_booking(request, booking_id)
    form = RatingForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("请选择 1 到 5 分。"))
        services.rate(request.user, booking, form.cleaned_data["rating"], form.cleaned_data["comment"])
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(_errors(exc)))
    else:
        messages.success(request, _("感谢您的评价。"))
    return redirect("booking:detail", booking.pk)


# ------------------------------------------------------------------------------------------ staff


@login_required
def office(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    page = Paginator(queries.managed_services(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "booking/office.html", {"page": page, "active_tab": "services"})


@login_required
def new_service(request: HttpRequest) -> HttpResponse:
    scope = _require_staff(request)
    form = ServiceForm(request.POST or None, organisations=scope.organisations().order_by("path"))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation")
        try:
            created = services.create_service(request.user, organisation, **data)
        except (ValidationError, PermissionDenied) as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, _("办理事项已保存，请设置开放时间。"))
            return redirect("booking:hours", created.pk)
    return render(request, "booking/form.html", {"form": form, "title": _("新增办理事项"), "active_tab": "services"})


@login_required
def edit_service(request: HttpRequest, service_id: int) -> HttpResponse:
    found = _managed(request, service_id)
    initial = {key: getattr(found, key) for key in services.SERVICE_FIELDS}
    form = ServiceForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_service(request.user, found, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("booking:manage", found.pk)
    return render(request, "booking/form.html", {"form": form, "title": found.name, "active_tab": "services"})


@login_required
def manage(request: HttpRequest, service_id: int) -> HttpResponse:
    found = _managed(request, service_id)
    return render(
        request,
        "booking/manage.html",
        {
            "service": found,
            "hours": found.hours.all(),
            "active_tab": "services",
            "closed": queries.coming_closed_days(found)[:10],
        },
    )


@login_required
def hours(request: HttpRequest, service_id: int) -> HttpResponse:
    found = _managed(request, service_id)
    form = HoursForm(request.POST or None) if request.POST.get("action") != "remove" else HoursForm()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "remove":
                services.remove_hours(request.user, found, int_param(request.POST, "hours", 0))
                messages.success(request, _("已删除。"))
                return redirect("booking:hours", found.pk)
            if form.is_valid():
                services.add_hours(request.user, found, **form.cleaned_data)
                messages.success(request, _("开放时间已添加。"))
                return redirect("booking:hours", found.pk)
        except (ValidationError, PermissionDenied) as exc:
            refuse_on_form(form, exc)
    return render(
        request,
        "booking/hours.html",
        {"service": found, "form": form, "hours": queries.opening_hours(found), "active_tab": "services"},
    )


@login_required
def closed_days(request: HttpRequest, service_id: int) -> HttpResponse:
    found = _managed(request, service_id)
    form = ClosedDayForm(request.POST or None) if request.POST.get("action") != "remove" else ClosedDayForm()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "remove":
                services.remove_closed_day(request.user, found, int_param(request.POST, "closed", 0))
                messages.success(request, _("已恢复办理。"))
                return redirect("booking:closed_days", found.pk)
            if form.is_valid():
                count = services.add_closed_day(
                    request.user, found, form.cleaned_data["day"], form.cleaned_data["reason"]
                )
                messages.success(request, _("已设为暂停办理；已取消并通知 %(n)s 个预约。") % {"n": count})
                return redirect("booking:closed_days", found.pk)
        except (ValidationError, PermissionDenied) as exc:
            refuse_on_form(form, exc)
    page = Paginator(queries.coming_closed_days(found), 30).get_page(request.GET.get("page"))
    return render(
        request, "booking/closed_days.html", {"service": found, "form": form, "page": page, "active_tab": "services"}
    )


#: The queue's orders (?sort=, plaza.lib.listing), its page length and its bulk actions.
QUEUE_SORTS = listing.Sorts(
    ("time", gettext_lazy("时间"), ("slot__starts_at", "id")),
    ("name", gettext_lazy("姓名"), ("person__name", "slot__starts_at", "id")),
    ("status", gettext_lazy("状态"), ("status", "slot__starts_at", "id")),
    default="time",
)
QUEUE_PAGE = 50
QUEUE_BULK = [("done", gettext_lazy("办结所选预约")), ("no_show", gettext_lazy("所选预约记为未到"))]


@login_required
def queue(request: HttpRequest, service_id: int) -> HttpResponse:
    """The day's queue of one service: who is booked when, checked in, done or not come; a filter bar (status,
    name or number) and sortable columns (htmx swaps only the list), and 办结 / 未到 for the ticked rows: a POST
    shows which rows will be handled and why the others cannot be, the confirmed POST handles them."""
    found = _managed(request, service_id)
    posted = request.method == "POST"
    day = date_param(request.POST if posted else request, "day", clock.today())
    now = clock.now()
    confirming: dict[str, Any] | None = None
    if posted:
        action = choice_param(request.POST, "action", services.BULK_ACTIONS)
        picked = list(queries.queue(found, day, ids=int_list(request.POST, "pick")[: QUEUE_PAGE * 2]))
        if not action:
            messages.error(request, _("请选择批量操作。"))
        elif not picked:
            messages.error(request, _("请先勾选要处理的预约。"))
        elif request.POST.get("confirm") != "1":
            rows = [(b, services.bulk_refusal(action, b, now)) for b in picked]
            confirming = {
                "action": action,
                "label": dict(QUEUE_BULK)[action],
                "ready": [b for b, why in rows if not why],
                "refused": [(b, why) for b, why in rows if why],
            }
        else:
            done, refused, pauses = services.handle_many(request.user, picked, action, now=now)
            if done:
                text = _("已办结 %(n)s 个预约。") if action == "done" else _("已将 %(n)s 个预约记为未到。")
                messages.success(request, text % {"n": len(done)})
            for pause in pauses:
                messages.info(request, f"{pause.person.name}：{services.pause_refusal(pause)}")
            for label, why in refused.items():
                messages.error(request, _("%(row)s 未处理：%(why)s") % {"row": label, "why": why})
            return redirect(f"{request.path}?day={day.isoformat()}")
    status = choice_param(request, "status", queries.QUEUE_STATUSES)
    search = listing.search_text(request.GET)
    sort = QUEUE_SORTS.read(request.GET)
    counts = queries.queue_counts(queries.queue(found, day))
    listed = queries.queue(found, day, status=status, search=search, order=sort.order_by)
    page = Paginator(listed, QUEUE_PAGE).get_page(request.GET.get("page"))
    context = {
        "service": found,
        "day": day,
        "page": page,
        "counts": counts,
        "now": now,
        "status": status,
        "statuses": [(value, Status(value).label) for value in queries.QUEUE_STATUSES],
        "q": search,
        "sort": sort,
        "bulk_actions": QUEUE_BULK,
        "confirming": confirming,
        "active_tab": "services",
    }
    if request.htmx and not posted:
        return render(request, "booking/_queue_list.html", context)
    return render(request, "booking/queue.html", context)


@login_required
@require_POST
def handle(request: HttpRequest, booking_id: int, action: str) -> HttpResponse:
    """One row's button in the queue. With htmx only that row comes back, saying what happened or why not;
    without, the outcome is flashed and the queue shown again."""
    booking = queries.managed_booking(request.user, booking_id)
    if booking is None:
        raise Http404
    ok = True
    try:
        if action == "check-in":
            services.check_in(request.user, booking.code)
            done = _("已签到。")
        elif action == "done":
            services.mark_done(request.user, booking)
            done = _("已办结。")
        elif action == "no-show":
            pause = services.mark_no_show(request.user, booking)
            done = _("已记为未到。") + (services.pause_refusal(pause) if pause else "")
        else:
            raise Http404
    except (ValidationError, PermissionDenied) as exc:
        ok, done = False, "；".join(_errors(exc))
    if request.htmx:
        fresh = queries.managed_booking(request.user, booking_id)
        row = {"b": fresh, "now": clock.now(), "note": done, "ok": ok}
        return render(request, "booking/_queue_row.html", row)
    (messages.success if ok else messages.error)(request, done)
    day = timezone.localdate(booking.slot.starts_at)
    return redirect(f"{reverse('booking:queue', args=[booking.service_id])}?day={day.isoformat()}")


@login_required
def check_in(request: HttpRequest) -> HttpResponse:
    """Where a scanned QR code leads (``?code=``), or where staff type the code: shows the booking, then one
    tap checks the person in."""
    _require_staff(request)
    code = request.POST.get("code") or request.GET.get("code", "")
    booking = services.find_by_code(request.user, code) if code else None
    result, problem = "", ""
    if request.method == "POST":
        try:
            booking, first = services.check_in(request.user, code)
        except (ValidationError, PermissionDenied) as exc:
            problem = "；".join(_errors(exc))
        else:
            result = _("签到成功") if first else _("已签到，无需重复签到")
    elif code and booking is None:
        problem = services.code_refusal(request.user, code)
    return render(
        request,
        "booking/check_in.html",
        {
            "code": services.normalise_code(code),
            "booking": booking,
            "result": result,
            "problem": problem,
            "active_tab": "services",
        },
        status=400 if problem else 200,
    )


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    today = clock.today()
    form = RangeForm(request.GET or None, initial={"first": today.replace(day=1), "last": today})
    first, last = today.replace(day=1), today
    if request.GET and form.is_valid():
        first, last = form.cleaned_data["first"], form.cleaned_data["last"]
    rows = queries.statistics(queries.managed_services(request.user), first, last)
    if request.GET.get("format") == "xlsx":
        after = {"first": first, "last": last}
        record(request.user, actions.BOOKING_STATS_EXPORT, object_type="booking.service", after=after)
        return attachment(exports.statistics_workbook(rows, first, last), f"预约统计-{first:%Y%m%d}-{last:%Y%m%d}.xlsx")
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "booking/stats.html",
        {"form": form, "page": page, "first": first, "last": last, "active_tab": "services"},
    )
