"""活动与共建 pages: the activities meant for me with sign-up, the waiting list and my sign-ups, check-in by the
organiser's rotating QR code; the organiser's office (activities, participant lists and their export, the QR
screen, the report and photos), the 共建 partners, and the statistics with an Excel export and a chart."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plaza.lib import clock
from plaza.lib.formpage import form_page
from plaza.lib.http import attachment, private_picture
from plaza.lib.params import choice_param, text_param
from plaza.lib.refusals import flash_outcome, messages_of, refuse_on_form
from plaza.lib.schemas import found_or_404
from plaza.orgs.permissions import Cap, Scope

from . import exports, queries, services
from .forms import ActivityForm, CancelForm, ContactForm, PartnerForm, PhotoForm, RangeForm, RecordForm, ReportForm
from .models import Activity, Kind, Partner, SignupState

TAB = "interact"


def _visible(request: HttpRequest, activity_id: int) -> Activity:
    return found_or_404(queries.activity_for(request.user, activity_id))


def _managed(request: HttpRequest, activity_id: int) -> Activity:
    return found_or_404(queries.managed_activity(request.user, activity_id))


def _require_organiser(request: HttpRequest) -> Scope:
    scope = Scope.of(request.user, Cap.ACTIVITIES)
    if scope.is_empty:
        raise PermissionDenied
    return scope


def _partner(request: HttpRequest, partner_id: int) -> Partner:
    return found_or_404(queries.partner_for(request.user, partner_id))


# ------------------------------------------------------------------------------------------ people


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Activities meant for me that have not ended, with my sign-up state; filter by kind."""
    kind = choice_param(request, "kind", Kind.values)
    page = Paginator(queries.open_to(request.user, kind=kind), 20).get_page(request.GET.get("page"))
    states = queries.my_states(request.user, [a.pk for a in page.object_list])
    return render(
        request,
        "activities/index.html",
        {
            "page": page,
            "rows": [(a, states.get(a.pk, "")) for a in page.object_list],
            "kind": kind,
            "kinds": Kind.choices,
            "organiser": not Scope.of(request.user, Cap.ACTIVITIES).is_empty,
            "past": queries.past_for(request.user)[:5],
            "active_tab": TAB,
        },
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.my_signups(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "activities/mine.html", {"page": page, "active_tab": TAB})


@login_required
def detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _visible(request, activity_id)
    now = clock.now()
    signup = services.live_signup(request.user, activity)
    refusal = "" if signup else services.signup_refusal(request.user, activity, now) or services.full_refusal(activity)
    return render(
        request,
        "activities/detail.html",
        {
            "activity": activity,
            "signup": signup,
            "position": services.waiting_position(signup) if signup and signup.state == SignupState.WAITING else 0,
            "may_cancel": bool(signup) and services.may_cancel_signup(signup, now),  # type: ignore[arg-type]
            "refusal": refusal,
            "counts": queries.counts(activity),
            "status": services.status_label(activity, now),
            "partners": activity.partners.all(),
            "photos": queries.photos(activity),
            "manages": services.may_manage(request.user, activity),
            "active_tab": TAB,
        },
    )


@login_required
@require_POST
def sign_up(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _visible(request, activity_id)
    try:
        signup = services.sign_up(request.user, activity)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(messages_of(exc)))
    else:
        if signup.state == SignupState.CONFIRMED:
            messages.success(request, _("报名成功。活动前一天会提醒您，到场后扫码签到。"))
        else:
            messages.warning(
                request,
                _("名额已满，您已进入候补名单（第 %(n)s 位）。有人取消时按顺序自动递补，并通知您。")
                % {"n": services.waiting_position(signup)},
            )
    return redirect("activities:detail", activity.pk)


@login_required
@require_POST
def cancel(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _visible(request, activity_id)
    signup = services.live_signup(request.user, activity)
    if signup is None:
        raise Http404
    flash_outcome(request, lambda: services.cancel_signup(request.user, signup), _("已取消报名。"))
    return redirect("activities:detail", activity.pk)


@login_required
def check_in(request: HttpRequest, activity_id: int) -> HttpResponse:
    """Where the organiser's QR code leads: the activity, then one tap checks in."""
    token = request.POST.get("t") or request.GET.get("t", "")
    activity = queries.activity_by_code(request.user, activity_id, token)
    if activity is None:  # without this activity's code, the page does not exist
        raise Http404
    result, problem = "", ""
    if request.method == "POST":
        try:
            signup, first = services.check_in(request.user, activity, token)
        except ValidationError as exc:
            problem = "；".join(exc.messages)
        else:
            result = _("签到成功") if first else _("您已签到，无需重复签到")
            if first and signup.points_given:
                result += _("，获得 %(n)s 积分") % {"n": signup.points_given}
    return render(
        request,
        "activities/check_in.html",
        {"activity": activity, "token": token, "result": result, "problem": problem, "active_tab": TAB},
        status=400 if problem else 200,
    )


@login_required
def photo(request: HttpRequest, photo_id: int) -> HttpResponse:
    """A photo of an activity the viewer may see (photos are not public media)."""
    found = queries.photo_for(request.user, photo_id)
    if found is None:
        raise Http404
    return private_picture(found.image)


# ------------------------------------------------------------------------------------------ organisers


@login_required
def office(request: HttpRequest) -> HttpResponse:
    _require_organiser(request)
    search = text_param(request, "q")
    kind = choice_param(request, "kind", Kind.values)
    when = choice_param(request, "when", ["coming", "past"])
    rows = queries.managed_activities(request.user, search=search, kind=kind, when=when)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/office.html",
        {"page": page, "q": search, "kind": kind, "when": when, "kinds": Kind.choices, "active_tab": TAB},
    )


def _activity_kwargs(request: HttpRequest, *, editing: bool = False) -> dict:
    return {
        "organisations": queries.organising_choices(request.user),
        "audience": queries.audience_choices(request.user),
        "partners": services.partner_choices(request.user),
        "editing": editing,
    }


@login_required
def new(request: HttpRequest) -> HttpResponse:
    _require_organiser(request)

    def save(form: ActivityForm) -> Activity:
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation")
        audience, partners = list(data.pop("audience")), list(data.pop("partners"))
        return services.create_activity(request.user, organisation, audience=audience, partners=partners, **data)

    return form_page(
        request,
        ActivityForm,
        "activities/form.html",
        save=save,
        done=_("活动已发布，面向组织的成员现在可以报名。"),
        next_url=lambda a: reverse("activities:manage", args=[a.pk]),
        context={"title": _("发布活动"), "active_tab": TAB},
        form_kwargs=_activity_kwargs(request),
    )


@login_required
def edit(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _managed(request, activity_id)

    def save(form: ActivityForm) -> Activity:
        data = dict(form.cleaned_data)
        audience, partners = list(data.pop("audience")), list(data.pop("partners"))
        return services.update_activity(request.user, activity, audience=audience, partners=partners, **data)

    kwargs = _activity_kwargs(request, editing=True)
    if request.method != "POST":
        kwargs["initial"] = {
            **{key: getattr(activity, key) for key in services.ACTIVITY_FIELDS},
            "audience": list(activity.audience.all()),
            "partners": list(activity.partners.all()),
        }
    return form_page(
        request,
        ActivityForm,
        "activities/form.html",
        save=save,
        done=_("已保存。"),
        next_url=reverse("activities:manage", args=[activity.pk]),
        context={"title": activity.title, "active_tab": TAB},
        form_kwargs=kwargs,
    )


@login_required
def manage(request: HttpRequest, activity_id: int) -> HttpResponse:
    """The organiser's page of one activity: the participant list, check-in by hand, the QR screen, closing or
    cancelling, and afterwards the report and photos."""
    activity = _managed(request, activity_id)
    now = clock.now()
    page = Paginator(queries.participant_rows(activity), 50).get_page(request.GET.get("page"))
    reporting = services.may_report(activity, now)
    return render(
        request,
        "activities/manage.html",
        {
            "activity": activity,
            "page": page,
            "counts": queries.counts(activity),
            "status": services.status_label(activity, now),
            "partners": activity.partners.all(),
            "audience": activity.audience.all(),
            "photos": queries.photos(activity),
            "may_cancel": services.may_cancel_activity(activity, now),
            "may_close": services.may_close(activity, now),
            "may_edit": services.may_edit(activity, now),
            "check_in_problem": services.check_in_problem(activity, now),
            "by_hand": services.may_check_in_by_hand(activity, now),
            "report_form": ReportForm(initial={"report": activity.report}) if reporting else None,
            "photo_form": PhotoForm() if reporting else None,
            "cancel_form": CancelForm(),
            "active_tab": TAB,
        },
    )


@login_required
@require_POST
def close(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _managed(request, activity_id)
    flash_outcome(request, lambda: services.close_signup(request.user, activity), _("已关闭报名。"))
    return redirect("activities:manage", activity.pk)


@login_required
@require_POST
def cancel_activity(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _managed(request, activity_id)
    reason = request.POST.get("reason", "")
    flash_outcome(
        request,
        lambda: services.cancel_activity(request.user, activity, reason),
        _("活动已取消，已通知报名人员。"),
    )
    return redirect("activities:manage", activity.pk)


@login_required
@require_POST
def hand_check_in(request: HttpRequest, signup_id: int) -> HttpResponse:
    signup = queries.managed_signup(request.user, signup_id)
    if signup is None:
        raise Http404
    flash_outcome(
        request,
        lambda: services.check_in_by_hand(request.user, signup),
        lambda first: _("%(name)s 已签到。") % {"name": signup.person.name} if first else _("已签到，无需重复签到。"),
    )
    return redirect("activities:manage", signup.activity_id)


@login_required
@require_POST
def report(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _managed(request, activity_id)
    flash_outcome(
        request,
        lambda: services.write_report(request.user, activity, request.POST.get("report", "")),
        _("小结已保存。"),
    )
    return redirect("activities:manage", activity.pk)


@login_required
@require_POST
def add_photo(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _managed(request, activity_id)
    flash_outcome(
        request,
        lambda: services.add_photo(request.user, activity, request.FILES.get("image"), request.POST.get("caption", "")),
        _("照片已上传。"),
    )
    return redirect("activities:manage", activity.pk)


@login_required
def export(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _managed(request, activity_id)
    rows = queries.participant_rows(activity)
    services.record_participants_export(request.user, activity, len(rows))
    day = f"{timezone.localtime(activity.starts_at):%Y%m%d}"  # the China day it is held on
    return attachment(exports.participants_workbook(activity, rows), f"报名名单-{activity.title}-{day}.xlsx")


@login_required
def qr(request: HttpRequest, activity_id: int) -> HttpResponse:
    """The check-in screen on the organiser's phone: a QR code that changes every half minute."""
    activity = _managed(request, activity_id)
    return render(request, "activities/qr.html", {"activity": activity, "active_tab": TAB})


@login_required
def qr_code(request: HttpRequest, activity_id: int) -> HttpResponse:
    """The htmx fragment of the check-in screen: the current code and how many have checked in."""
    activity = _managed(request, activity_id)
    problem = services.check_in_problem(activity, clock.now())
    url = request.build_absolute_uri(
        reverse("activities:check_in", args=[activity.pk]) + "?t=" + services.qr_token(activity)
    )
    svg = "" if problem else segno.make(url, error="m").svg_inline(scale=6, border=2)
    return render(
        request,
        "activities/_qr_code.html",
        {"activity": activity, "svg": svg, "problem": problem, "url": url, "counts": queries.counts(activity)},
    )


# ------------------------------------------------------------------------------------------ partners


@login_required
def partners(request: HttpRequest) -> HttpResponse:
    _require_organiser(request)
    search = text_param(request, "q")
    page = Paginator(queries.partners_for(request.user, search=search), 30).get_page(request.GET.get("page"))
    return render(request, "activities/partners.html", {"page": page, "q": search, "active_tab": TAB})


@login_required
def new_partner(request: HttpRequest) -> HttpResponse:
    _require_organiser(request)

    def save(form: PartnerForm) -> Partner:
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation")
        return services.save_partner(request.user, None, organisation, **data)

    return form_page(
        request,
        PartnerForm,
        "activities/form.html",
        save=save,
        done=_("共建单位已登记。"),
        next_url=lambda p: reverse("activities:partner", args=[p.pk]),
        context={"title": _("登记共建单位"), "active_tab": TAB},
        form_kwargs={"organisations": queries.organising_choices(request.user)},
    )


@login_required
def edit_partner(request: HttpRequest, partner_id: int) -> HttpResponse:
    found = _partner(request, partner_id)
    if not queries.keeps_partner(request.user, found):
        raise Http404
    kwargs: dict = {"editing": True}
    if request.method != "POST":
        kwargs["initial"] = {key: getattr(found, key) for key in services.PARTNER_FIELDS}
    return form_page(
        request,
        PartnerForm,
        "activities/form.html",
        save=lambda form: services.save_partner(request.user, found, None, **form.cleaned_data),
        done=_("已保存。"),
        next_url=reverse("activities:partner", args=[found.pk]),
        context={"title": found.name, "active_tab": TAB},
        form_kwargs=kwargs,
    )


@login_required
def partner(request: HttpRequest, partner_id: int) -> HttpResponse:
    """A partner's record: contacts (phones masked), the activities held with them, agreements and notes."""
    found = _partner(request, partner_id)
    keeps = queries.keeps_partner(request.user, found)
    contact_form, record_form = ContactForm(), RecordForm()
    if request.method == "POST" and keeps:
        action = request.POST.get("action")
        form = ContactForm(request.POST) if action == "contact" else RecordForm(request.POST)
        if form.is_valid():
            try:
                if action == "contact":
                    services.add_contact(request.user, found, **form.cleaned_data)
                else:
                    services.add_record(request.user, found, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                refuse_on_form(form, exc)
            else:
                messages.success(request, _("已添加。"))
                return redirect("activities:partner", found.pk)
        if action == "contact":
            contact_form = form  # type: ignore[assignment]
        else:
            record_form = form  # type: ignore[assignment]
    return render(
        request,
        "activities/partner.html",
        {
            "partner": found,
            "keeps": keeps,
            "contacts": queries.partner_contacts(found),
            "records": queries.partner_records(found),
            "activities": queries.partner_activities(found)[:50],
            "contact_form": contact_form if keeps else None,
            "record_form": record_form if keeps else None,
            "revealed": request.session.pop("activities_revealed", None),
            "active_tab": TAB,
        },
    )


@login_required
@require_POST
def reveal_phone(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = queries.contact_of(request.user, contact_id)
    if contact is None:
        raise Http404
    phone = services.reveal_phone(request.user, contact)
    request.session["activities_revealed"] = {"id": contact.pk, "phone": phone}
    return redirect("activities:partner", contact.partner_id)


@login_required
@require_POST
def remove_contact(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = queries.contact_of(request.user, contact_id)
    if contact is None:
        raise Http404
    partner_id = contact.partner_id
    flash_outcome(request, lambda: services.remove_contact(request.user, contact), _("已删除联系人。"))
    return redirect("activities:partner", partner_id)


# ------------------------------------------------------------------------------------------ statistics


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    _require_organiser(request)
    today = clock.today()
    first, last = today.replace(month=1, day=1), today.replace(month=12, day=31)
    form = RangeForm(request.GET or None, initial={"first": first, "last": last})
    if request.GET and form.is_valid():
        first, last = form.cleaned_data["first"], form.cleaned_data["last"]
    organisations = queries.by_organisation(request.user, first, last)
    partner_rows = queries.by_partner(request.user, first, last)
    if request.GET.get("format") == "xlsx":
        services.record_statistics_export(request.user, first, last)
        return attachment(
            exports.statistics_workbook(organisations, partner_rows, first, last),
            f"活动统计-{first:%Y%m%d}-{last:%Y%m%d}.xlsx",
        )
    chart = {
        "organisations": [row.name for row in organisations],
        "activities": [row.activities for row in organisations],
        "present": [row.present for row in organisations],
        "partners": [row.name for row in partner_rows],
        "partner_activities": [row.activities for row in partner_rows],
        "partner_present": [row.present for row in partner_rows],
    }
    return render(
        request,
        "activities/stats.html",
        {
            "form": form,
            "first": first,
            "last": last,
            "organisations": organisations,
            "partner_rows": partner_rows,
            "total": queries.totals(organisations),
            "chart": chart,
            "active_tab": TAB,
        },
    )
