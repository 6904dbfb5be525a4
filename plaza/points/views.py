"""积分 and 积分超市 pages: my points, rankings, the mall, my orders with the pickup QR code, and the staff
pages (award/adjust, items, stock, orders to prepare, hand-over by code, report, yearly expiry). Thin: every
write is a service call."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plaza.lib import clock
from plaza.lib.params import int_param
from plaza.lib.refusals import flash_outcome, refuse_on_form
from plaza.lib.refusals import messages_of as _errors
from plaza.lib.schemas import found_or_404
from plaza.orgs.permissions import Cap, Scope, can

from . import queries, services
from .forms import AwardForm, HandOverForm, ItemForm, StockForm
from .models import Item, Order, OrderState

TAB = "learn"


def _staff(request: HttpRequest) -> None:
    if not can(request.user, Cap.POINTS):
        raise PermissionDenied


def _qr_svg(request: HttpRequest, order: Order) -> str:

    url = request.build_absolute_uri(reverse("points:hand_over") + "?code=" + order.pickup_code)
    return segno.make(url, error="m").svg_inline(scale=6, border=2)


# ------------------------------------------------------------------------------------------ my points


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.history(request.user), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "points/mine.html",
        {
            "balance": services.balance_of(request.user),
            "page": page,
            "active_tab": TAB,
            "week": queries.earned_in(request.user, "week"),
            "caps": [(a.label, services.daily_caps()[a.key]) for a in services.activities()],  # only what exists
            "staff": can(request.user, Cap.POINTS),
        },
    )


@login_required
def rankings(request: HttpRequest) -> HttpResponse:
    period = request.GET.get("period", "week")
    period = period if period in queries.PERIODS else "week"
    branch = queries.branch_of(request.user)
    scope = "branch" if request.GET.get("scope") == "branch" and branch is not None else "all"
    rows = queries.ranking(period, branch if scope == "branch" else None)
    return render(
        request,
        "points/rankings.html",
        {
            "rows": rows,
            "period": period,
            "scope": scope,
            "branch": branch,
            "active_tab": TAB,
            "periods": [("week", _("本周")), ("month", _("本月")), ("all", _("总榜"))],
            "mine": queries.earned_in(request.user, period),
        },
    )


# ------------------------------------------------------------------------------------------ the mall


def _offered(request: HttpRequest, item_id: int) -> Item:
    return get_object_or_404(queries.offered_items(request.user), pk=item_id)


@login_required
def mall(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.offered_items(request.user), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "points/mall.html",
        {
            "page": page,
            "balance": services.balance_of(request.user),
            "active_tab": TAB,
            "staff": can(request.user, Cap.POINTS),
        },
    )


@login_required
def item(request: HttpRequest, item_id: int) -> HttpResponse:
    found = _offered(request, item_id)
    return render(
        request,
        "points/item.html",
        {
            "item": found,
            "balance": services.balance_of(request.user),
            "active_tab": TAB,
            "mine": services.redeemed_by(request.user, found),
        },
    )


@login_required
@require_POST
def redeem(request: HttpRequest, item_id: int) -> HttpResponse:
    found = _offered(request, item_id)
    quantity = int_param(request.POST, "quantity", 0, minimum=0, maximum=10_000) if "quantity" in request.POST else 1
    try:
        order = services.redeem(request.user, found, quantity)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(_errors(exc)))
        return redirect("points:item", found.pk)
    messages.success(request, _("兑换成功，请凭领取码领取。"))
    return redirect("points:order", order.pk)


@login_required
def my_orders(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.orders_of(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "points/orders.html", {"page": page, "active_tab": TAB})


def _order_for(request: HttpRequest, order_id: int) -> tuple[Order, bool]:
    """The order and whether the viewer is staff; 404 unless it is theirs or they run the mall."""
    return found_or_404(queries.order_for(request.user, order_id))


@login_required
def order(request: HttpRequest, order_id: int) -> HttpResponse:
    found, staff = _order_for(request, order_id)
    own = found.person_id == request.user.pk
    return render(
        request,
        "points/order.html",
        {
            "order": found,
            "staff": staff,
            "own": own,
            "active_tab": TAB,
            "svg": _qr_svg(request, found) if own and found.state == OrderState.PLACED else "",
        },
    )


@login_required
@require_POST
def cancel(request: HttpRequest, order_id: int) -> HttpResponse:
    found, _staff_view = _order_for(request, order_id)
    try:
        services.cancel(request.user, found, request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(_errors(exc)))
    else:
        messages.success(request, _("订单已取消，积分已退还。"))
    return redirect("points:order", found.pk)


# ------------------------------------------------------------------------------------------ staff


@login_required
def office(request: HttpRequest) -> HttpResponse:
    _staff(request)
    return render(
        request,
        "points/office.html",
        {
            "by_item": queries.to_prepare_by_item(request.user),
            "report": queries.report(request.user),
            "active_tab": TAB,
        },
    )


@login_required
def award(request: HttpRequest) -> HttpResponse:
    _staff(request)
    form = AwardForm(request.POST or None, initial={"employee_no": request.GET.get("no", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = Scope.of(request.user, Cap.POINTS).people().filter(employee_no=data["employee_no"].strip()).first()
        if person is None:
            form.add_error("employee_no", _("在您的管理范围内找不到该工号。"))
        else:
            action = services.award if data["kind"] == "award" else services.adjust
            try:
                entry = action(request.user, person, data["amount"], data["reason"])
            except (ValidationError, PermissionDenied) as exc:
                refuse_on_form(form, exc)
            else:
                messages.success(
                    request,
                    _("已为 %(name)s 记 %(n)s 积分，余额 %(b)s。")
                    % {"name": person.name, "n": f"{entry.amount:+d}", "b": services.balance_of(person)},
                )
                return redirect("points:award")
    return render(
        request,
        "points/form.html",
        {
            "form": form,
            "title": _("奖励或调整积分"),
            "active_tab": TAB,
            "note": _("奖励和调整都会记入积分明细和审计日志，请写明原因。"),
        },
    )


@login_required
def items(request: HttpRequest) -> HttpResponse:
    _staff(request)
    items = queries.managed_items(request.user).order_by("-active", "name", "id")
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    return render(request, "points/items.html", {"page": page, "active_tab": TAB, "stock_form": StockForm()})


@login_required
def item_form(request: HttpRequest, item_id: int | None = None) -> HttpResponse:
    _staff(request)
    instance = get_object_or_404(queries.managed_items(request.user), pk=item_id) if item_id else None
    form = ItemForm(request.POST or None, request.FILES or None, instance=instance, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_item(request.user, instance, form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, _("商品“%(name)s”已保存。") % {"name": saved.name})
            return redirect("points:items")
    return render(
        request,
        "points/form.html",
        {"form": form, "title": _("编辑商品") if instance else _("新增商品"), "active_tab": TAB, "multipart": True},
    )


@login_required
@require_POST
def stock(request: HttpRequest, item_id: int) -> HttpResponse:
    _staff(request)
    found = get_object_or_404(queries.managed_items(request.user), pk=item_id)
    form = StockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写库存变化数量。"))
        return redirect("points:items")
    try:
        services.restock(request.user, found, form.cleaned_data["delta"], form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(_errors(exc)))
    else:
        messages.success(request, _("“%(name)s”库存已更新。") % {"name": found.name})
    return redirect("points:items")


@login_required
def prepare(request: HttpRequest) -> HttpResponse:
    _staff(request)
    page = Paginator(queries.to_prepare(request.user), 30).get_page(request.GET.get("page"))
    by_item = queries.to_prepare_by_item(request.user)
    return render(request, "points/prepare.html", {"page": page, "by_item": by_item, "active_tab": TAB})


@login_required
def hand_over(request: HttpRequest) -> HttpResponse:
    """Where the pickup QR code leads: staff see the order and hand it over with one tap."""
    _staff(request)
    code = (request.POST.get("code") or request.GET.get("code") or "").strip().upper()[:16]
    form = HandOverForm(request.POST or None, initial={"code": code})
    mine = queries.managed_orders(request.user).select_related("item", "person")
    found = mine.filter(pickup_code=code).first() if code else None  # another mall's order: the service says why
    if request.method == "POST" and form.is_valid():
        try:
            found = services.hand_over(request.user, code)
        except (ValidationError, PermissionDenied) as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(
                request,
                _("已发放：%(item)s × %(n)s，领取人 %(name)s。")
                % {"item": found.item.name, "n": found.quantity, "name": found.person.name},
            )
            return redirect("points:hand_over")
    return render(
        request,
        "points/hand_over.html",
        {"form": form, "order": found, "code": code, "active_tab": TAB},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def report(request: HttpRequest) -> HttpResponse:
    _staff(request)
    return render(request, "points/report.html", {"report": queries.report(request.user), "active_tab": TAB})


EXPIRY_YEARS = 5


@login_required
def expire(request: HttpRequest) -> HttpResponse:
    """年度清零: what expiring a past year would take (people, points), then the expiry itself, confirmed."""
    _staff(request)
    last = clock.today().year - 1
    years = list(range(last, last - EXPIRY_YEARS, -1))
    year = int_param(request.POST if request.POST.get("year") else request, "year", last)
    year = year if year in years else last
    if request.method == "POST":
        flash_outcome(
            request,
            lambda: services.expire_year(request.user, year),
            lambda n: _("已将 %(n)s 人 %(y)s 年度未使用的积分清零。") % {"n": n, "y": year},
        )
        return redirect(f"{reverse('points:expire')}?year={year}")
    return render(
        request,
        "points/expire.html",
        {
            "preview": queries.expiry_preview(year, request.user),
            "years": years,
            "automatic": getattr(settings, "PLAZA_POINTS_EXPIRE_YEARLY", False),
            "active_tab": TAB,
        },
    )
