"""疗休养 pages: the member's routes, sign-up, result, leave note and feedback; the union office's quotas, routes,
batches, allocation (lottery with a recorded seed, or priority) and lists."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
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
from plaza.lib.params import year_param
from plaza.lib.refusals import flash_outcome
from plaza.lib.schemas import found_or_404

from . import exports, pdf, queries, services
from .forms import AllocateForm, BatchForm, FeedbackForm, QuotaForm, RouteForm
from .models import Batch, SignUp


def _member_batch(request: HttpRequest, batch_id: int) -> Batch:
    return found_or_404(queries.member_batch(request.user, batch_id))


def _own(request: HttpRequest, signup_id: int) -> SignUp:
    return found_or_404(queries.own_signup(request.user, signup_id))


def _office_batch(request: HttpRequest, batch_id: int) -> Batch:
    return found_or_404(queries.office_batch(request.user, batch_id))


# ------------------------------------------------------------------------------------------ members


@login_required
def index(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    signups = list(queries.my_signups(request.user)[:20])
    return render(
        request,
        "retreats/index.html",
        {
            "batches": queries.open_batches(request.user, today),
            "signups": [
                (
                    s,
                    services.may_withdraw(request.user, s, today),
                    services.may_print_leave_note(request.user, s),
                    services.may_give_feedback(request.user, s, today),
                    queries.batch_closed(s.batch, today),
                )
                for s in signups
            ],
            "member": services.union_organisation(request.user) is not None,
            "active_tab": "services",
        },
    )


@login_required
def batch(request: HttpRequest, batch_id: int) -> HttpResponse:
    found = _member_batch(request, batch_id)
    if request.method == "POST":
        flash_outcome(request, lambda: services.sign_up(request.user, found), _("已报名，分配结果将通知您。"))
        return redirect("retreats:index")
    return render(
        request,
        "retreats/batch.html",
        {
            "batch": found,
            "problems": services.eligibility_problems(request.user, found),
            "mine": queries.my_signups(request.user).filter(batch=found).first(),
            "may_sign_up": services.may_sign_up(request.user, found),
            "active_tab": "services",
        },
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, signup_id: int) -> HttpResponse:
    signup = _own(request, signup_id)
    flash_outcome(request, lambda: services.withdraw(request.user, signup), _("已退出报名。"))
    return redirect("retreats:index")


@login_required
def leave_note(request: HttpRequest, signup_id: int) -> HttpResponse:
    signup = queries.own_signup(request.user, signup_id)
    if signup is None or not services.may_print_leave_note(request.user, signup):
        raise Http404
    return attachment(pdf.leave_note(signup), f"疗休养请假单-{signup.person.name}.pdf")


@login_required
def feedback(request: HttpRequest, signup_id: int) -> HttpResponse:
    signup = _own(request, signup_id)
    return form_page(
        request,
        FeedbackForm,
        "form_page.html",
        save=lambda form: services.give_feedback(
            request.user, signup, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
        ),
        done=_("感谢您的反馈。"),
        next_url=reverse("retreats:index"),
        context={"title": _("疗休养反馈"), "note": signup.batch.route.name},
    )


# ------------------------------------------------------------------------------------------ office


def _require_officer(request: HttpRequest) -> None:
    if not queries.is_officer(request.user):
        raise PermissionDenied


@login_required
def office(request: HttpRequest) -> HttpResponse:
    _require_officer(request)
    year = year_param(request, "year", clock.today().year)
    return render(
        request,
        "retreats/office.html",
        {
            "year": year,
            "quotas": queries.quotas(request.user, year),
            "routes": queries.routes(request.user, year),
            "writes": queries.runs_retreats(request.user),
            "active_tab": "services",
        },
    )


@login_required
def quota(request: HttpRequest) -> HttpResponse:
    orgs = queries.union_organisations(request.user, writes=True)
    if not orgs.exists():
        raise PermissionDenied
    return form_page(
        request,
        QuotaForm,
        "form_page.html",
        save=lambda form: services.set_quota(
            request.user, form.cleaned_data["organisation"], form.cleaned_data["year"], form.cleaned_data["places"]
        ),
        done=_("已核定年度名额。"),
        next_url=reverse("retreats:office"),
        context={"title": _("核定疗休养名额")},
        form_kwargs={"organisations": orgs, "initial": {"year": clock.today().year}},
    )


@login_required
def new_route(request: HttpRequest) -> HttpResponse:
    orgs = queries.union_organisations(request.user, writes=True)
    if not orgs.exists():
        raise PermissionDenied
    return form_page(
        request,
        RouteForm,
        "form_page.html",
        save=lambda form: services.create_route(
            request.user,
            form.cleaned_data["organisation"],
            year=form.cleaned_data["year"],
            name=form.cleaned_data["name"],
            destination=form.cleaned_data["destination"],
            days=form.cleaned_data["days"],
            description=form.cleaned_data["description"],
        ),
        done=_("已新建线路，请添加出发批次。"),
        next_url=lambda route: reverse("retreats:new_batch", args=[route.pk]),
        context={"title": _("新建疗休养线路")},
        form_kwargs={"organisations": orgs, "initial": {"year": clock.today().year}},
    )


@login_required
def new_batch(request: HttpRequest, route_id: int) -> HttpResponse:
    route = queries.managed_route(request.user, route_id)
    if route is None:
        raise Http404
    return form_page(
        request,
        BatchForm,
        "form_page.html",
        save=lambda form: services.add_batch(request.user, route, **form.cleaned_data),
        done=_("已添加批次，会员可以报名了。"),
        next_url=reverse("retreats:office"),
        context={"title": _("添加出发批次"), "note": route.name, "org": route.organisation},
    )


@login_required
def manage(request: HttpRequest, batch_id: int) -> HttpResponse:
    found = _office_batch(request, batch_id)
    may_allocate = services.may_allocate(request.user, found)
    form = AllocateForm(request.POST or None) if may_allocate else None
    if form is not None and request.method == "POST" and form.is_valid():
        done = flash_outcome(
            request,
            lambda: services.allocate(
                request.user, found, method=form.cleaned_data["method"], seed=form.cleaned_data["seed"]
            ),
            _("已分配名额，入选和候补的会员都已收到通知。"),
        )
        if done is not None:
            return redirect("retreats:manage", found.pk)
    allocation = queries.allocation_of(found)
    return render(
        request,
        "retreats/manage.html",
        {
            "batch": found,
            "signups": queries.batch_signups(found),
            "closed": queries.batch_closed(found),
            "form": form,
            "allocation": allocation,
            "reproduced": services.reproduce(allocation) if allocation else None,
            "active_tab": "services",
        },
    )


@login_required
def export(request: HttpRequest, batch_id: int) -> HttpResponse:
    found = _office_batch(request, batch_id)
    signups = list(queries.batch_signups(found))
    record(request.user, actions.RETREATS_EXPORT, found, after={"rows": len(signups)})
    return attachment(exports.batch_workbook(found, signups), f"疗休养名单-{found.route.name}-{found.starts_on}.xlsx")
