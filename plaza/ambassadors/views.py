"""通星汇 pages: the ambassador's own page (register, products, share link and poster, their leads masked), the
public landing page (no login), the dealer staff's leads, the rankings, and the office of staff with
``Cap.AMBASSADORS`` (products, campaigns, dealers and routing, settings, leads, the funnel, Excel)."""

from __future__ import annotations

import json
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib.formpage import form_page
from plaza.lib.http import attachment
from plaza.lib.params import choice_param, int_param, text_param
from plaza.lib.refusals import messages_of, refuse_on_form

from . import exports, limits, links, poster, queries, services
from .forms import (
    CampaignForm,
    DealerForm,
    LeadForm,
    ProductForm,
    ProgrammeForm,
    RegisterForm,
    RouteForm,
    StaffForm,
    StageForm,
)
from .models import Stage

VISITOR_COOKIE = "amb_v"
LEVEL_LABELS = {
    "person": _lazy("个人"),
    "unit": _lazy("班组/支部"),
    "organisation": _lazy("单位"),
    "enterprise": _lazy("企业"),
}
PERIOD_LABELS = {"month": _lazy("本月"), "year": _lazy("本年"), "all": _lazy("累计")}
DIMENSION_LABELS = {
    "campaign": _lazy("推广活动"),
    "product": _lazy("车型"),
    "organisation": _lazy("单位"),
    "ambassador": _lazy("品牌大使"),
}


def _staff(request: HttpRequest) -> None:
    if not queries.may_manage(request.user):
        raise PermissionDenied


def _ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


# ------------------------------------------------------------------------------------------- ambassadors


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Register (accepting the terms), or the ambassador's products, figures and latest leads."""
    ambassador = queries.ambassador_of(request.user)
    programme = queries.programme()
    if ambassador is None or ambassador.terms_version < programme.terms_version:
        return form_page(
            request,
            RegisterForm,
            "ambassadors/register.html",
            save=lambda form: services.register(request.user, **form.cleaned_data),
            done=_("注册成功，欢迎成为通星汇品牌大使！"),
            next_url=reverse("ambassadors:index"),
            context={"programme": programme, "again": ambassador is not None},
            form_kwargs={"initial": {"display_name": getattr(request.user, "name", "")}},
        )
    leads = queries.my_leads(request.user)[:5]
    return render(
        request,
        "ambassadors/index.html",
        {
            "ambassador": ambassador,
            "summary": queries.summary_of(ambassador),
            "rank": queries.rank_of(ambassador, "year"),
            "problem": services.share_problem(ambassador),
            "products": queries.products(),
            "leads": leads,
        },
    )


@login_required
def product(request: HttpRequest, product_id: int) -> HttpResponse:
    """A product as the ambassador learns and shares it: selling points, the share link and the poster."""
    found = queries.product(product_id)
    if found is None:
        raise Http404
    ambassador = queries.ambassador_of(request.user)
    campaigns = list(queries.campaigns_of(found))
    campaign_id = int_param(request, "campaign")
    campaign = next((c for c in campaigns if c.pk == campaign_id), campaigns[0] if campaigns else None)
    share_url, problem = "", services.share_problem(ambassador)
    if ambassador is not None and not problem:
        code = services.share_code(ambassador, found, campaign)
        share_url = request.build_absolute_uri(reverse("ambassadors:landing", args=[code]))
    return render(
        request,
        "ambassadors/product.html",
        {
            "product": found,
            "campaigns": campaigns,
            "campaign": campaign,
            "share_url": share_url,
            "problem": problem,
        },
    )


@login_required
def poster_image(request: HttpRequest, product_id: int) -> HttpResponse:
    """The ambassador's poster PNG for a product (and campaign), drawn once per content and cached."""
    found = queries.product(product_id)
    ambassador = queries.ambassador_of(request.user)
    if found is None or ambassador is None or not services.may_share(ambassador):
        raise Http404
    campaign = queries.campaigns_of(found).filter(pk=int_param(request, "campaign") or 0).first()
    code = services.share_code(ambassador, found, campaign)
    url = request.build_absolute_uri(reverse("ambassadors:landing", args=[code]))
    data = poster.poster_png(
        url=url,
        display_name=ambassador.display_name,
        product_name=found.name,
        tagline=found.tagline,
        points=found.points,
        picture=found.picture.path if found.picture else "",
        campaign=campaign.name if campaign else "",
    )
    response = HttpResponse(data, content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="poster-{found.pk}.png"'
    return response


@login_required
def my_leads(request: HttpRequest) -> HttpResponse:
    """The ambassador's leads and their progress; phones masked (138****8000), never in full."""
    page = Paginator(queries.my_leads(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "ambassadors/my_leads.html", {"page": page})


@login_required
def rankings(request: HttpRequest) -> HttpResponse:
    level = choice_param(request, "level", queries.LEVELS, "person")
    period = choice_param(request, "period", queries.PERIODS, "month")
    rows = queries.ranking(level=level, period=period, limit=50)
    executives = (
        queries.ranking(level="person", period=period, executives=True, limit=20)
        if level == "person" and queries.executives_apart()
        else []
    )
    chart = {
        "names": [r.name for r in rows[:10]],
        "deals": [r.deals for r in rows[:10]],
        "leads": [r.leads for r in rows[:10]],
    }
    return render(
        request,
        "ambassadors/rankings.html",
        {
            "rows": rows,
            "executives": executives,
            "level": level,
            "period": period,
            "levels": LEVEL_LABELS,
            "periods": PERIOD_LABELS,
            "chart": chart,
            "me": queries.ambassador_of(request.user),
        },
    )


# ------------------------------------------------------------------------------------------- the landing page


def _lead_form(request: HttpRequest, target: queries.Target, data: object = None) -> LeadForm:
    choices = queries.landing_choices()
    return LeadForm(
        data,
        cities=choices.cities,
        products=choices.products,
        dealers=choices.dealers,
        initial={"product": target.product.pk},
    )


#: Stands for the CSRF token in a cached copy of the landing page; each visitor's own token replaces it.
_TOKEN_MARK = "@@plaza-landing-csrf@@"


def first_visit(request: HttpRequest) -> bool:
    """A visitor with neither a session nor messages waiting: what every prospect opening a link is, and who
    is served the cached copy (a signed-in person, e.g. an ambassador checking their own link, is rendered)."""
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES


def _visitor(request: HttpRequest) -> str:
    visitor = request.COOKIES.get(VISITOR_COOKIE, "")
    return visitor if len(visitor) == 32 and visitor.isalnum() else secrets.token_hex(16)


def _count_visit(visitor: str, code: str, link: links.Link) -> None:
    if limits.hit_once(f"visit:{visitor}:{code}"):  # a returning visitor costs no query
        services.record_visit(link, visitor)


def _with_visitor(request: HttpRequest, response: HttpResponse, visitor: str) -> HttpResponse:
    if request.COOKIES.get(VISITOR_COOKIE) != visitor:  # a new visitor (a returning one keeps their cookie)
        response.set_cookie(VISITOR_COOKIE, visitor, max_age=365 * 86400, httponly=True, samesite="Lax")
    return response


def cached_copy(request: HttpRequest, code: str) -> dict[str, object] | None:
    """The landing page's cached copy for a share code in the request's language: ``{"html", "link"}``, ``{}`` for
    a code known to name nothing, None when no copy is cached (nothing is rendered or read here: the server's
    fast path, ``plaza.core.fastpath``, asks this in its event loop and leaves a cold copy to the view)."""
    return cache.get(queries.landing_page_key(code, request.LANGUAGE_CODE))


def answer_from_copy(request: HttpRequest, code: str, cached: dict[str, object]) -> HttpResponse:
    """The page from its cached copy: the visitor's own CSRF token put in, a new visitor counted once (queued in
    the embedded server) and given the visitor cookie. Shared by the view and the server's fast path."""
    if not cached:
        raise Http404
    visitor = _visitor(request)
    link = cached["link"]
    assert isinstance(link, links.Link)
    _count_visit(visitor, code, link)
    html = str(cached["html"]).replace(_TOKEN_MARK, get_token(request))
    return _with_visitor(request, HttpResponse(html), visitor)


def _cached_landing(request: HttpRequest, code: str) -> HttpResponse:
    """The landing page as most prospects get it: the copy rendered once per share code (and language) under the
    landing version, with the visitor's own CSRF token put in. No query on a warm cache but one INSERT for a
    new visitor (queued in the embedded server); no session; no template work. Staff changing a product,
    campaign, dealer or the ambassador's name make every copy stale (``services.landing_changed``). With the
    copy warm, the server answers before Django's stack (``plaza.core.fastpath``); this view makes the copy."""
    cached = cached_copy(request, code)
    if cached is None:
        key = queries.landing_page_key(code, request.LANGUAGE_CODE)
        target = queries.link_target(code)
        if target is None:
            cache.set(key, {}, 60)  # a code naming nothing (any more) is not looked up again for a minute
            raise Http404
        form = _lead_form(request, target)
        context = {"target": target, "product": target.product, "step": 1, "form": form, "csrf_token": _TOKEN_MARK}
        link = links.Link(target.ambassador.pk, target.product.pk, target.campaign.pk if target.campaign else None)
        cached = {"html": render_to_string("ambassadors/landing.html", context, request), "link": link}
        cache.set(key, cached, queries.LANDING_SECONDS)
    return answer_from_copy(request, code, cached)


def landing(request: HttpRequest, code: str) -> HttpResponse:
    """The public page a share link or poster opens: the product and the form (no login, no tracking script;
    a first-party cookie counts distinct visitors for 留资率). Step one sends the SMS code and names the dealer,
    step two takes the code and the two separate consents."""
    if links.decode(code) is None:
        raise Http404
    if request.method == "GET" and not request.GET and first_visit(request):
        return _cached_landing(request, code)
    target = queries.link_target(code)
    if target is None:
        raise Http404
    visitor = _visitor(request)
    context: dict[str, object] = {"target": target, "product": target.product, "step": 1}
    if request.GET.get("sent") == "1":
        context["done"] = True
        form = _lead_form(request, target)
    elif request.method == "POST":
        form = _lead_form(request, target, request.POST)
        context.update(_landing_post(request, target, form, visitor))
        if context.get("redirect"):
            return redirect(f"{reverse('ambassadors:landing', args=[code])}?sent=1")
    else:
        form = _lead_form(request, target)
        link = links.Link(target.ambassador.pk, target.product.pk, target.campaign.pk if target.campaign else None)
        _count_visit(visitor, code, link)
    if context.get("step") == 2 and limits.needs_challenge(_ip(request)):
        context["challenge_question"], context["challenge_token"] = limits.new_challenge()
    context["form"] = form
    return _with_visitor(request, render(request, "ambassadors/landing.html", context), visitor)


def _landing_post(request: HttpRequest, target: queries.Target, form: LeadForm, visitor: str) -> dict[str, object]:
    submit = request.POST.get("action") == "submit"
    if not form.is_valid():
        return {"step": 2 if submit else 1}
    data = form.cleaned_data
    ip = _ip(request)

    def step2() -> dict[str, object]:
        dealer = queries.route(data["city"], queries.landing_choices().product(data["product"]), data.get("dealer"))
        return {"step": 2, "dealer": dealer, "consent_text": services.consent_text(dealer) if dealer else ""}

    try:
        if not submit:
            found = step2()
            if found["dealer"] is None:
                raise ValidationError(_("该城市暂无合作经销商，请选择其他城市。"))
            services.send_code(data["phone"], ip)
            messages.info(request, _("验证码已发送到您的手机，%(m)s 分钟内有效。") % {"m": services.CODE_MINUTES})
            return found
        if limits.needs_challenge(ip) and not limits.challenge_passed(
            data.get("challenge_token", ""), data.get("challenge", "")
        ):
            raise ValidationError(_("请正确回答下方的计算题。"))
        services.submit_lead(
            target,
            services.LeadForm(
                name=data["name"],
                phone=data["phone"],
                city=data["city"],
                product_id=data["product"],
                dealer_id=data.get("dealer"),
                call_time=data.get("call_time", ""),
                code=data.get("code", ""),
                consent_contact=bool(data.get("consent_contact")),
                consent_dealer_id=data.get("consent_dealer"),
            ),
            ip=ip,
            visitor=visitor,
        )
    except (ValidationError, PermissionDenied) as exc:
        refuse_on_form(form, exc)
        # a refused submission stays on step two; a refused code request stays where it was asked from (step one
        # has no code field: no code was sent, so no code box and no consents to tick yet)
        return step2() if submit or "code" in request.POST else {"step": 1}
    return {"redirect": True}


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, dealer_code: str) -> HttpResponse:
    """Stage updates from a dealer's system: HMAC-SHA256 over timestamp + "." + body (headers
    ``X-Plaza-Timestamp``, ``X-Plaza-Signature``), inside the replay window, each signature once."""
    dealer = queries.dealers().filter(code=dealer_code[:16]).first()
    try:
        services.verify_webhook(
            dealer,
            request.headers.get("X-Plaza-Timestamp", ""),
            request.headers.get("X-Plaza-Signature", ""),
            request.body,
        )
    except PermissionDenied as exc:
        return JsonResponse({"error": str(exc) or _("签名不正确。")}, status=403)
    try:
        payload = json.loads(request.body or b"{}")
        if not isinstance(payload, dict):
            raise ValueError
        lead = services.apply_webhook(dealer, payload)  # type: ignore[arg-type]
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": _("请求内容不是有效的 JSON。")}, status=400)
    except ValidationError as exc:
        return JsonResponse({"error": "；".join(messages_of(exc))}, status=400)
    return JsonResponse({"ref": lead.ref, "stage": lead.stage})


# ---------------------------------------------------------------------------------------------- dealer staff


@login_required
def dealer_home(request: HttpRequest) -> HttpResponse:
    dealer = queries.dealer_of(request.user)
    if dealer is None:
        raise PermissionDenied
    stage = choice_param(request, "stage", Stage.values, "")
    page = Paginator(queries.dealer_leads(request.user, stage), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "ambassadors/dealer.html",
        {
            "dealer": dealer,
            "page": page,
            "stage": stage,
            "stages": Stage.choices,
            "overdue": queries.overdue_first_contact(request.user).count(),
        },
    )


@login_required
def dealer_lead(request: HttpRequest, lead_id: int) -> HttpResponse:
    """One of the dealer's leads: move its stage; the full phone on request (audited)."""
    lead = queries.dealer_lead(request.user, lead_id)
    if lead is None:
        raise Http404
    allowed = services.next_stages(lead)
    form = StageForm(allowed=allowed)
    phone = ""
    if request.method == "POST" and request.POST.get("action") == "phone":
        phone = services.full_phone(request.user, lead)
    elif request.method == "POST":
        form = StageForm(request.POST, allowed=allowed)
        if form.is_valid():
            try:
                services.move_stage(request.user, lead, form.cleaned_data["stage"], form.cleaned_data["reason"])
            except (ValidationError, PermissionDenied) as exc:
                refuse_on_form(form, exc)
            else:
                messages.success(request, _("跟进阶段已更新。"))
                return redirect("ambassadors:dealer_lead", lead_id=lead.pk)
    return render(
        request,
        "ambassadors/dealer_lead.html",
        {"lead": lead, "form": form, "allowed": allowed, "phone": phone, "changes": lead.changes.all()},
    )


# ---------------------------------------------------------------------------------------------------- office


@login_required
def office(request: HttpRequest) -> HttpResponse:
    _staff(request)
    return render(
        request,
        "ambassadors/office.html",
        {
            "products": queries.managed_products(request.user),
            "campaigns": queries.managed_campaigns(request.user),
            "dealers": queries.managed_dealers(request.user),
            "flagged": queries.staff_leads(request.user, flagged=True).count(),
        },
    )


@login_required
def product_edit(request: HttpRequest, product_id: int | None = None) -> HttpResponse:
    _staff(request)
    found = queries.managed_product(request.user, product_id) if product_id else None
    if product_id and found is None:
        raise Http404
    initial = (
        {
            f: getattr(found, f)
            for f in ("name", "brand", "tagline", "selling_points", "price_from", "price_to", "order", "active")
        }
        if found
        else {}
    )
    return form_page(
        request,
        ProductForm,
        "ambassadors/form.html",
        save=lambda form: services.save_product(request.user, found, form.cleaned_data),
        done=_("车型已保存。"),
        next_url=reverse("ambassadors:office"),
        context={"title": found.name if found else _("新增车型"), "multipart": True},
        form_kwargs={"initial": initial},
    )


@login_required
def campaign_edit(request: HttpRequest, campaign_id: int | None = None) -> HttpResponse:
    _staff(request)
    found = queries.managed_campaign(request.user, campaign_id) if campaign_id else None
    if campaign_id and found is None:
        raise Http404
    initial = (
        {
            "name": found.name,
            "summary": found.summary,
            "starts_on": found.starts_on,
            "ends_on": found.ends_on,
            "active": found.active,
            "products": list(found.products.all()),
        }
        if found
        else {}
    )
    return form_page(
        request,
        CampaignForm,
        "ambassadors/form.html",
        save=lambda form: services.save_campaign(request.user, found, form.cleaned_data),
        done=_("推广活动已保存。"),
        next_url=reverse("ambassadors:office"),
        context={"title": found.name if found else _("新增推广活动")},
        form_kwargs={"initial": initial},
    )


@login_required
def programme_edit(request: HttpRequest) -> HttpResponse:
    _staff(request)
    current = queries.programme()
    fields = (
        "terms",
        "points_lead",
        "points_test_drive",
        "points_deal",
        "monthly_cap",
        "quiz_required",
        "quiz_contest_id",
    )
    return form_page(
        request,
        ProgrammeForm,
        "ambassadors/form.html",
        save=lambda form: services.save_programme(request.user, form.cleaned_data),
        done=_("通星汇设置已保存。"),
        next_url=reverse("ambassadors:office"),
        context={
            "title": _("通星汇设置"),
            "note": _("保护期、首次联系时限和成交冻结期是本单位规定，在“本单位规定”中设置。"),
        },
        form_kwargs={"initial": {f: getattr(current, f) for f in fields}},
    )


@login_required
def dealer_edit(request: HttpRequest, dealer_id: int | None = None) -> HttpResponse:
    _staff(request)
    found = queries.managed_dealer(request.user, dealer_id) if dealer_id else None
    if dealer_id and found is None:
        raise Http404
    initial = (
        {f: getattr(found, f) for f in ("name", "code", "city", "address", "endpoint_url", "active")} if found else {}
    )
    return form_page(
        request,
        DealerForm,
        "ambassadors/form.html",
        save=lambda form: services.save_dealer(request.user, found, form.cleaned_data),
        done=_("经销商已保存。"),
        next_url=lambda dealer: reverse("ambassadors:dealer_detail", args=[dealer.pk]),
        context={"title": found.name if found else _("新增经销商")},
        form_kwargs={"initial": initial},
    )


@login_required
def dealer_detail(request: HttpRequest, dealer_id: int) -> HttpResponse:
    """A dealer's sales staff (add by employee number, remove) and its assignment rules."""
    _staff(request)
    dealer = queries.managed_dealer(request.user, dealer_id)
    if dealer is None:
        raise Http404
    staff_form = StaffForm()
    route_form = RouteForm(initial={"city": dealer.city, "dealer": dealer})
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "staff":
                staff_form = StaffForm(request.POST)
                if staff_form.is_valid():
                    person = queries.person_by_employee_no(staff_form.cleaned_data["employee_no"])
                    if person is None:
                        raise ValidationError(_("没有这个工号的账号，请先在人员管理中建立账号。"))
                    services.add_dealer_staff(request.user, dealer, person, manager=staff_form.cleaned_data["manager"])
                    messages.success(request, _("销售顾问已添加。"))
                    return redirect("ambassadors:dealer_detail", dealer_id=dealer.pk)
            elif action == "remove":
                staff = dealer.staff.filter(pk=int_param(request.POST, "staff") or 0).first()
                if staff is not None:
                    services.remove_dealer_staff(request.user, staff)
                return redirect("ambassadors:dealer_detail", dealer_id=dealer.pk)
            elif action == "route":
                route_form = RouteForm(request.POST)
                if route_form.is_valid():
                    services.save_route(request.user, **route_form.cleaned_data)
                    messages.success(request, _("分配规则已添加。"))
                    return redirect("ambassadors:dealer_detail", dealer_id=dealer.pk)
        except (ValidationError, PermissionDenied) as exc:
            refuse_on_form(route_form if action == "route" else staff_form, exc)
    return render(
        request,
        "ambassadors/dealer_detail.html",
        {
            "dealer": dealer,
            "staff": dealer.staff.filter(active=True).select_related("person"),
            "routes": queries.routes(request.user).filter(dealer=dealer),
            "staff_form": staff_form,
            "route_form": route_form,
        },
    )


@login_required
def staff_leads(request: HttpRequest) -> HttpResponse:
    """Every lead of the ambassadors in scope, phones masked; filters and an Excel export."""
    _staff(request)
    stage = choice_param(request, "stage", Stage.values, "")
    flagged = request.GET.get("flagged") == "1"
    search = text_param(request, "q")
    leads = queries.staff_leads(request.user, stage=stage, flagged=flagged, search=search)
    if request.GET.get("format") == "xlsx":
        record(request.user, actions.AMBASSADORS_EXPORT, object_type="ambassadors.lead", object_repr=_("线索"))
        return attachment(exports.leads_workbook(leads), _("通星汇线索.xlsx"))
    page = Paginator(leads, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "ambassadors/staff_leads.html",
        {"page": page, "stage": stage, "stages": Stage.choices, "flagged": flagged, "q": search},
    )


@login_required
def funnel(request: HttpRequest) -> HttpResponse:
    _staff(request)
    dimension = choice_param(request, "by", queries.DIMENSIONS, "product")
    rows = queries.funnel(request.user, dimension)
    if request.GET.get("format") == "xlsx":
        record(request.user, actions.AMBASSADORS_EXPORT, object_type="ambassadors.funnel", object_repr=_("转化漏斗"))
        return attachment(exports.funnel_workbook(rows, str(DIMENSION_LABELS[dimension])), _("通星汇转化漏斗.xlsx"))
    total = {
        key: sum(getattr(r, key) for r in rows)
        for key in ("visitors", "leads", "credited", "contacted", "visited", "test_drives", "orders", "deliveries")
    }
    chart = {
        "steps": [_("访客"), _("留资"), _("有效"), _("已联系"), _("到店"), _("试驾"), _("订车"), _("交车")],
        "values": list(total.values()),
    }
    return render(
        request,
        "ambassadors/funnel.html",
        {
            "rows": rows,
            "by": dimension,
            "dimensions": DIMENSION_LABELS,
            "dimension_label": DIMENSION_LABELS[dimension],
            "chart": chart,
            "total": total,
        },
    )


@login_required
def ambassadors(request: HttpRequest) -> HttpResponse:
    """The ambassadors in scope; staff mark executives, who rank apart (setting PLAZA_AMBASSADORS_EXECUTIVES_APART)."""
    _staff(request)
    if request.method == "POST":
        found = queries.managed_ambassador(request.user, int_param(request.POST, "ambassador") or 0)
        if found is None:
            raise Http404
        services.set_executive(request.user, found, request.POST.get("executive") == "1")
        messages.success(request, _("已更新。"))
        return redirect(request.get_full_path())
    search = text_param(request, "q")
    page = Paginator(queries.managed_ambassadors(request.user, search), 20).get_page(request.GET.get("page"))
    return render(request, "ambassadors/ambassadors.html", {"page": page, "q": search})
