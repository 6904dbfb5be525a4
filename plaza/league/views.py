"""共青团 pages: my League membership, and for League secretaries (and 组织部 staff, read-only, where the enterprise
says so) the board, the roster with filters and export, the 团费 roll and 推优 into Party recruitment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock
from plaza.lib.formpage import form_page
from plaza.lib.http import attachment
from plaza.lib.params import choice_param, int_param, month_param, text_param, year_param
from plaza.lib.refusals import flash_outcome, refuse_on_form
from plaza.lib.schemas import found_or_404
from plaza.orgs import queries as org_queries

from . import exports, queries, services
from .forms import ConfirmForm, RecommendForm, WithdrawForm

PAGE_SIZE = 30


def _require_reader(request: HttpRequest) -> None:
    if not queries.sees_league(request.user):
        raise PermissionDenied


@login_required
def index(request: HttpRequest) -> HttpResponse:
    mine = queries.my_league(request.user)
    return render(request, "league/mine.html", {"mine": mine, "active_tab": "services"})


@login_required
def office(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    return render(
        request,
        "league/office.html",
        {"board": queries.board(request.user), "writes": services.may_run_league(request.user), "active_tab": "work"},
    )


def _roster_filters(request: HttpRequest) -> dict:
    org = queries.organisation_for(request.user, int_param(request, "org"))
    return {
        "org": org,
        "q": text_param(request, "q"),
        "near": choice_param(request, "near", ["1"]) == "1",
    }


@login_required
def roster(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    filters = _roster_filters(request)
    rows = queries.roster(request.user, organisation=filters["org"], search=filters["q"], near=filters["near"])
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "league/roster.html",
        {
            **filters,
            "page": page,
            "rows": queries.roster_rows(list(page.object_list), clock.today()),
            "organisations": org_queries.labelled(queries.organisations(request.user)[:200]),
            "active_tab": "work",
        },
    )


@login_required
def roster_export(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    filters = _roster_filters(request)
    members = list(queries.roster(request.user, organisation=filters["org"], search=filters["q"], near=filters["near"]))
    content = exports.roster_workbook(queries.roster_rows(members, clock.today()))
    record(request.user, actions.LEAGUE_EXPORT, object_type="league.roster", after={"rows": len(members)})
    return attachment(content, f"团员名册-{clock.today():%Y%m%d}.xlsx")


@login_required
def dues(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    today = clock.today()
    month = month_param(request, "month", today.replace(day=1))
    if request.method == "POST":
        person = queries.dues_member_for(request.user, int_param(request.POST, "person") or 0)
        if person is None:
            raise Http404
        flash_outcome(
            request,
            lambda: services.record_dues(request.user, person, month),
            _("已登记 %(name)s 的团费。") % {"name": person.name},
        )
        return redirect(request.get_full_path())  # the month, search and page the form was sent from
    org = queries.organisation_for(request.user, int_param(request, "org"))
    search = text_param(request, "q")
    rows = queries.dues_roll(request.user, month, org, search=search)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "league/dues.html",
        {
            "page": page,
            "month": month,
            "org": org,
            "q": search,
            "organisations": org_queries.labelled(queries.organisations(request.user)),
            "paid": sum(1 for row in rows if row.payment),
            "total": len(rows),
            "writes": services.may_run_league(request.user),
            "active_tab": "work",
        },
    )


@login_required
def compliance(request: HttpRequest) -> HttpResponse:
    """团组织生活 compliance: each 团支部's missing 三会两制一课 periods of a year, worst first, with Excel."""
    _require_reader(request)
    today = clock.today()
    year = year_param(request, "year", today.year)
    org = queries.organisation_for(request.user, int_param(request, "org"))
    rows = queries.compliance(request.user, year, organisation=org, today=today)
    if request.GET.get("export"):
        record(request.user, actions.LEAGUE_COMPLIANCE_EXPORT, object_type="league.compliance", after={"year": year})
        return attachment(exports.compliance_workbook(rows, year), f"团组织生活落实情况-{year}.xlsx")
    return render(
        request,
        "league/compliance.html",
        {
            "rows": rows,
            "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
            "year": year,
            "years": list(range(today.year, today.year - 4, -1)),
            "org": org,
            "organisations": org_queries.labelled(queries.organisations(request.user)),
            "lacking": sum(1 for r in rows if r.gaps),
            "chart": queries.compliance_chart(rows),
            "active_tab": "work",
        },
    )


@login_required
def recommendations(request: HttpRequest) -> HttpResponse:
    rows = queries.recommendations(request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "league/recommendations.html",
        {"page": page, "writes": services.may_run_league(request.user), "active_tab": "work"},
    )


@login_required
def recommend(request: HttpRequest) -> HttpResponse:
    if not services.may_run_league(request.user):
        raise PermissionDenied

    def save(form: RecommendForm) -> object:
        person = queries.recommendable_member(request.user, form.cleaned_data["employee_no"])
        if person is None:
            raise PermissionDenied(_("在您负责的团组织中没有这个工号的团员。"))
        return services.recommend(
            request.user, person, on=form.cleaned_data["recommended_on"], reason=form.cleaned_data["reason"]
        )

    return form_page(
        request,
        RecommendForm,
        "form_page.html",
        save=save,
        done=_("已推优，已告知其所在党支部。"),
        next_url=lambda rec: reverse("league:recommendation", args=[rec.pk]),
        context={"title": _("推优入党"), "note": _("团支部推荐优秀团员作为入党积极分子人选（共青团推优）。")},
    )


def _recommendation(request: HttpRequest, recommendation_id: int):  # noqa: ANN202
    return found_or_404(queries.recommendation_for(request.user, recommendation_id))


@login_required
def recommendation(request: HttpRequest, recommendation_id: int) -> HttpResponse:
    rec = _recommendation(request, recommendation_id)
    confirm_form = ConfirmForm(request.POST or None) if services.may_confirm(request.user, rec) else None
    if confirm_form is not None and request.method == "POST" and confirm_form.is_valid():
        try:
            services.confirm(
                request.user,
                rec,
                on=confirm_form.cleaned_data["done_on"],
                decision=confirm_form.cleaned_data["decision"],
            )
        except (ValidationError, PermissionDenied) as exc:
            refuse_on_form(confirm_form, exc)
        else:
            messages.success(request, _("已记录第3步：确定为入党积极分子（共青团推优）。"))
            return redirect("league:recommendation", rec.pk)
    return render(
        request,
        "league/recommendation.html",
        {
            "rec": rec,
            "pipeline": queries.pipeline_of(rec),
            "confirm_form": confirm_form,
            "withdraw_form": WithdrawForm() if services.may_withdraw(request.user, rec) else None,
            "active_tab": "work",
        },
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, recommendation_id: int) -> HttpResponse:
    rec = _recommendation(request, recommendation_id)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    flash_outcome(request, lambda: services.withdraw(request.user, rec, reason=reason), _("已撤回推优。"))
    return redirect("league:recommendation", rec.pk)
