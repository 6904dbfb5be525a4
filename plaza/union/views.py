"""工会 pages: a member's own (membership and card, care applications, help) and the union committee's office
(roster, dues roll, care cases and payments, the 办法 settings, hardship files and help applications). Thin:
parse, call one query or service, render."""

from __future__ import annotations

import mimetypes
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock, qr
from plaza.lib.formpage import form_page
from plaza.lib.http import attachment
from plaza.lib.params import choice_param, int_param, month_param, text_param, year_param
from plaza.lib.refusals import flash_outcome, refuse_on_form
from plaza.orgs import queries as org_queries
from plaza.rules.dates import add_months, month_start

from . import exports, imports, queries, services
from .forms import (
    CareForm,
    DecisionForm,
    FestivalForm,
    FileForm,
    HelpForm,
    JoinForm,
    LeaveForm,
    ProvisionForm,
    ReviewForm,
    UploadForm,
    VerifyForm,
    WarmthForm,
)
from .models import BATCH_KINDS, Area, CaseStatus, FileStatus, HelpStatus, Kind, MemberStatus

PAGE = 30


def _page(request: HttpRequest, rows: object, size: int = PAGE) -> object:
    return Paginator(rows, size).get_page(request.GET.get("page"))


def _officer(request: HttpRequest) -> None:
    if not queries.is_officer(request.user):
        raise PermissionDenied


def _reader(request: HttpRequest) -> bool:
    """The rosters and boards: union officers, and 组织部 staff where the enterprise lets them read the union
    tree (``queries.reading``). Returns whether the viewer also acts (is a union officer)."""
    officer = queries.is_officer(request.user)
    if not officer and not queries.sees_union(request.user):
        raise PermissionDenied
    return officer


def _serve(field: FieldFile | None) -> FileResponse:
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except OSError as exc:
        raise Http404 from exc
    kind = mimetypes.guess_type(field.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=kind)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------------------------------------ members


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """工会会员: my membership (or the application form), the card, my dues this year."""
    person = request.user
    member = queries.membership_of(person)
    year = clock.today().year
    return render(
        request,
        "union/index.html",
        {
            "member": member,
            "may_apply": services.may_apply(person),
            "join_form": JoinForm(),
            "leave_form": LeaveForm(),
            "dues": queries.dues_of(person, year)[:12] if member else [],
            "year": year,
            "union_org": services.union_organisation_of(person),
            "active_tab": "me",
        },
    )


@login_required
@require_POST
def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST)
    statement = form.cleaned_data["statement"] if form.is_valid() else ""
    flash_outcome(
        request,
        lambda: services.apply_to_join(request.user, statement),
        _("入会申请已提交，分工会审批后会通知您。"),
    )
    return redirect("union:index")


@login_required
@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    member = queries.card_member(request.user)
    if member is None:
        raise Http404
    form = LeaveForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    flash_outcome(request, lambda: services.leave_union(request.user, member, reason=reason), _("已办理退会。"))
    return redirect("union:index")


@login_required
def card(request: HttpRequest) -> HttpResponse:
    member = queries.card_member(request.user)
    if member is None:  # linked from 党群小智 and 我的: say why there is no card, and where to join
        messages.info(request, _("您还不是工会会员，没有电子会员证：可以在这里申请入会。"))
        return redirect("union:index")
    return render(request, "union/card.html", {"member": member, "active_tab": "me"})


@login_required
def card_qr(request: HttpRequest) -> HttpResponse:
    member = queries.card_member(request.user)
    if member is None:
        raise Http404
    target = request.build_absolute_uri(reverse("union:office_card", args=[member.number]))
    return qr.svg_response(target, private=True)


@login_required
def care(request: HttpRequest) -> HttpResponse:
    """慰问申请: my applications and payments, the form (members only) and the 办法 in force."""
    person = request.user
    member = queries.card_member(person)
    provisions = queries.public_provisions(member.organisation if member else None, Area.CARE)
    kinds = [p.kind for p in provisions if p.kind in services.APPLICABLE_CARE_KINDS]
    context = {
        "member": member,
        "provisions": provisions,
        "cases": _page(request, queries.cases_of(person), 20),
        "payments": queries.payments_of(person)[:20],
        "active_tab": "services",
    }
    if member is None:
        return render(request, "union/care.html", context)
    return form_page(
        request,
        CareForm,
        "union/care.html",
        save=lambda f: services.apply_for_care(
            person,
            f.cleaned_data["kind"],
            f.cleaned_data["event_on"],
            note=f.cleaned_data["note"],
            photo=f.cleaned_data.get("photo"),
            document=f.cleaned_data.get("document"),
            children=f.cleaned_data.get("children") or 1,
            spouse_no=f.cleaned_data.get("spouse_no", ""),
            late_reason=f.cleaned_data.get("late_reason", ""),
        ),
        done=_("慰问申请已提交，分工会审核后会通知您。"),
        next_url=lambda case: reverse("union:care_case", args=[case.pk]),
        context=context,
        form_kwargs={"kinds": kinds},
    )


@login_required
def care_case(request: HttpRequest, case_id: int) -> HttpResponse:
    case = queries.own_case(request.user, case_id)
    if case is None:
        raise Http404
    return render(
        request, "union/care_case.html", {"case": case, "payment": case.payments.first(), "active_tab": "services"}
    )


@login_required
def case_photo(request: HttpRequest, case_id: int) -> HttpResponse:
    case = queries.case_file_for(request.user, case_id)
    if case is None:
        raise Http404
    return _serve(case.photo)


@login_required
def case_document(request: HttpRequest, case_id: int) -> HttpResponse:
    case = queries.case_file_for(request.user, case_id)
    if case is None:
        raise Http404
    return _serve(case.document)


@login_required
def help_index(request: HttpRequest) -> HttpResponse:
    """困难帮扶: the 办法, my applications and the application form."""
    person = request.user
    organisation = services.union_organisation_of(person)
    provisions = queries.public_provisions(organisation, Area.HELP)
    return form_page(
        request,
        HelpForm,
        "union/help.html",
        save=lambda f: services.apply_for_help(
            person,
            f.cleaned_data["kind"],
            f.cleaned_data["requested"],
            reason=f.cleaned_data["reason"],
            document=f.cleaned_data.get("document"),
            child_name=f.cleaned_data.get("child_name", ""),
            school_year=f.cleaned_data.get("school_year"),
        ),
        done=_("帮扶申请已提交，分工会将在 10 个工作日内走访核实。"),
        next_url=reverse("union:help"),
        context={
            "provisions": provisions,
            "applications": queries.own_help(person)[:20],
            "file": queries.own_file(person),
            "organisation": organisation,
            "active_tab": "services",
        },
        form_kwargs={"kinds": [p.kind for p in provisions]},
    )


@login_required
def help_document(request: HttpRequest, application_id: int) -> HttpResponse:
    application = queries.help_document_for(request.user, application_id)
    if application is None:
        raise Http404
    return _serve(application.document)


# ------------------------------------------------------------------------------------------ office


@login_required
def office(request: HttpRequest) -> HttpResponse:
    writes = _reader(request)
    return render(
        request,
        "union/office.html",
        {"counts": queries.counts(request.user), "writes": writes},
    )


@login_required
def office_members(request: HttpRequest) -> HttpResponse:
    _reader(request)
    status = choice_param(request, "status", MemberStatus.values)
    organisation = (
        queries.read_organisation_for(request.user, int_param(request, "org")) if request.GET.get("org") else None
    )
    text = text_param(request, "q")
    rows = queries.roster(request.user, status=status, organisation=organisation, text=text)
    if request.GET.get("export"):
        record(request.user, actions.UNION_EXPORT, object_type="union.member", after={"status": status, "q": text})
        return attachment(exports.roster(rows), f"工会会员名册-{clock.today():%Y%m%d}.xlsx")
    return render(
        request,
        "union/office_members.html",
        {
            "page": _page(request, rows),
            "status": status,
            "statuses": MemberStatus.choices,
            "org": organisation,
            "organisations": org_queries.labelled(queries.read_organisations(request.user)),
            "q": text,
        },
    )


@login_required
def office_member(request: HttpRequest, member_id: int) -> HttpResponse:
    member = queries.member_for(request.user, member_id)
    if member is None:
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action", "")
        note = request.POST.get("note", "")[:255]
        if action in ("approve", "reject"):
            flash_outcome(
                request,
                lambda: services.decide_membership(request.user, member, approve=action == "approve", note=note),
                _("已批准入会。") if action == "approve" else _("已退回入会申请。"),
            )
        elif action == "leave":
            flash_outcome(
                request,
                lambda: services.leave_union(request.user, member, reason=request.POST.get("reason", "")),
                _("已办理退会。"),
            )
        return redirect("union:office_member", member.pk)
    return render(
        request,
        "union/office_member.html",
        {
            "member": member,
            "moves": queries.moves_of(member),
            "form": DecisionForm(),
            "leave_form": LeaveForm(),
            "writes": services.may_manage(request.user, member.organisation),
        },
    )


@login_required
def office_card(request: HttpRequest, number: str) -> HttpResponse:
    """A scanned membership card: the member's record for an officer over them."""
    _officer(request)
    member = queries.member_by_number(request.user, number[:32])
    if member is None:
        raise Http404
    return redirect("union:office_member", member.pk)


@login_required
def office_dues(request: HttpRequest) -> HttpResponse:
    _reader(request)
    today = clock.today()
    month = month_param(request, "month", month_start(today))
    organisation = queries.read_organisation_for(request.user, int_param(request, "org"))
    if organisation is None:
        raise Http404
    roll = queries.dues_roll(request.user, organisation, month)
    if roll is None:
        raise Http404
    if request.method == "POST":
        flash_outcome(
            request,
            lambda: services.record_dues(request.user, organisation, month, roll.lines, paid_on=today),
            lambda n: _("已登记 %(n)s 人的会费（工资代扣）。") % {"n": n},
        )
        return redirect(f"{reverse('union:office_dues')}?org={organisation.pk}&month={month:%Y-%m}")
    if request.GET.get("export"):
        record(request.user, actions.UNION_EXPORT, object_type="union.duespayment", after={"month": month})
        return attachment(exports.dues_roll(roll), f"会费-{organisation.name}-{month:%Y-%m}.xlsx")
    return render(
        request,
        "union/office_dues.html",
        {
            "roll": roll,
            "page": _page(request, roll.lines, 50),
            "org": organisation,
            "organisations": org_queries.labelled(queries.read_organisations(request.user)),
            "month": month,
            "previous": add_months(month, -1),
            "next": add_months(month, 1) if month < month_start(today) else None,
            "statistics": queries.dues_statistics(request.user, month),
            "writes": services.may_manage(request.user, organisation),
        },
    )


def _upload_page(request: HttpRequest, *, title: str, run, template_url: str, note: str) -> HttpResponse:  # noqa: ANN001
    outcome = None
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = run(form.cleaned_data["file"])
        except (ValidationError, PermissionDenied) as exc:
            refuse_on_form(form, exc)
        else:
            if outcome.ok:
                messages.success(
                    request,
                    _("导入完成：新增 %(c)s 条，未变 %(u)s 条。") % {"c": outcome.created, "u": outcome.unchanged},
                )
    return render(
        request,
        "union/office_import.html",
        {"form": form, "outcome": outcome, "title": title, "template_url": template_url, "note": note},
    )


@login_required
def office_wages_import(request: HttpRequest) -> HttpResponse:
    _officer(request)
    if request.GET.get("template"):
        return attachment(imports.wage_template(), "会费工资基数导入模板.xlsx")
    month = month_param(request, "month", month_start(clock.today()))
    return _upload_page(
        request,
        title=_("导入会费工资基数"),
        run=lambda f: imports.import_wages(request.user, f, month),
        template_url=f"{reverse('union:office_wages_import')}?template=1",
        note=_(
            "党费基数导入（党务—党费）已同时记入全体会员的工资：党员的党费基数和非党员会员的工资都会用于工会会费，"
            "通常不必再导入。这里用于党务部门范围以外的会员，或单独更正。"
        ),
    )


@login_required
def office_events_import(request: HttpRequest) -> HttpResponse:
    _officer(request)
    if request.GET.get("template"):
        return attachment(imports.events_template(), "慰问事项导入模板.xlsx")
    return _upload_page(
        request,
        title=_("导入慰问事项"),
        run=lambda f: imports.import_events(request.user, f),
        template_url=f"{reverse('union:office_events_import')}?template=1",
        note=_("人力资源部提供的生育、结婚、住院、退休等名单：每条生成一件待审核的慰问事项，并列入分工会主席的待办。"),
    )


@login_required
def office_care(request: HttpRequest) -> HttpResponse:
    _officer(request)
    status = choice_param(request, "status", CaseStatus.values)
    kind = choice_param(request, "kind", Kind.values)
    rows = queries.cases(request.user, status=status, kind=kind)
    return render(
        request,
        "union/office_care.html",
        {
            "page": _page(request, rows),
            "status": status,
            "kind": kind,
            "statuses": CaseStatus.choices,
            "kinds": Kind.choices,
        },
    )


@login_required
def office_case(request: HttpRequest, case_id: int) -> HttpResponse:
    case = queries.case_for(request.user, case_id)
    if case is None:
        raise Http404
    if request.method == "POST":
        note = request.POST.get("note", "")[:255]
        if request.POST.get("action") == "pay":
            flash_outcome(
                request,
                lambda: services.pay_care(request.user, case, note=note),
                lambda p: _("已发放 %(amount)s 元（%(source)s）。") % {"amount": p.amount, "source": p.source},
            )
        else:
            flash_outcome(request, lambda: services.refuse_care(request.user, case, note=note), _("已退回。"))
        return redirect("union:office_case", case.pk)
    provision = services.provision_for(case.organisation, case.kind)
    return render(
        request,
        "union/office_case.html",
        {
            "case": case,
            "provision": provision,
            "problem": services.case_problem(case, provision)
            if provision and case.status == CaseStatus.PENDING
            else "",
            "amount": services.care_amount(provision, case.children) if provision else None,
            "payment": case.payments.first(),
            "form": DecisionForm(),
        },
    )


@login_required
def office_payments(request: HttpRequest) -> HttpResponse:
    _reader(request)
    month = month_param(request, "month", month_start(clock.today()))
    if request.GET.get("export"):
        record(request.user, actions.UNION_EXPORT, object_type="union.payment", after={"month": month})
        rows = queries.payments(request.user, first=month, last=_last_day(month))
        return attachment(exports.payments(rows), f"慰问帮扶发放-{month:%Y-%m}.xlsx")
    return render(
        request,
        "union/office_payments.html",
        {
            "report": queries.payments_report(request.user, month),
            "rows": queries.payments(request.user, first=month, last=_last_day(month))[:200],
            "month": month,
            "previous": add_months(month, -1),
            "next": add_months(month, 1),
        },
    )


def _last_day(month: date) -> date:
    return date.fromordinal(add_months(month, 1).toordinal() - 1)


@login_required
def office_provisions(request: HttpRequest) -> HttpResponse:
    _officer(request)
    organisations = queries.organisations(request.user)
    return form_page(
        request,
        ProvisionForm,
        "union/office_provisions.html",
        save=lambda f: services.set_provision(
            request.user,
            f.cleaned_data["organisation"],
            f.cleaned_data["kind"],
            amount=f.cleaned_data["amount"],
            goods=f.cleaned_data["goods"],
            per_year=f.cleaned_data["per_year"],
            apply_within_days=f.cleaned_data["apply_within_days"],
            member_months=f.cleaned_data["member_months"],
            extended_within_days=f.cleaned_data["extended_within_days"],
            extra_per_child=f.cleaned_data["extra_per_child"] or 0,
            measure=f.cleaned_data["measure"],
            article=f.cleaned_data["article"],
        ),
        done=_("已保存慰问帮扶标准。"),
        next_url=reverse("union:office_provisions"),
        context={"provisions": queries.provisions(request.user)},
        form_kwargs={"organisations": organisations},
    )


@login_required
def office_festivals(request: HttpRequest) -> HttpResponse:
    """节日慰问 to every member of an organisation, and 送温暖 to the families with a hardship file."""
    _officer(request)
    organisations = queries.organisations(request.user)
    festival = FestivalForm(prefix="f", organisations=organisations)
    warmth = WarmthForm(prefix="w", organisations=organisations)
    if request.method == "POST":
        if request.POST.get("action") == "warmth":
            warmth = WarmthForm(request.POST, prefix="w", organisations=organisations)
            if warmth.is_valid():
                try:
                    paid, skipped = services.send_warmth(request.user, warmth.cleaned_data["organisation"])
                except (ValidationError, PermissionDenied) as exc:
                    refuse_on_form(warmth, exc)
                else:
                    messages.success(
                        request,
                        _("送温暖已发放 %(paid)s 户；今年已发放过的 %(skipped)s 户未重复发放。")
                        % {"paid": paid, "skipped": skipped},
                    )
                    return redirect("union:office_festivals")
        else:
            festival = FestivalForm(request.POST, prefix="f", organisations=organisations)
            if festival.is_valid():
                data = festival.cleaned_data
                try:
                    paid, over = services.pay_festival(
                        request.user,
                        data["organisation"],
                        festival=data["festival"],
                        event_on=data["event_on"],
                        amount=data["amount"],
                        goods=data["goods"],
                    )
                except (ValidationError, PermissionDenied) as exc:
                    refuse_on_form(festival, exc)
                else:
                    messages.success(request, _("节日慰问已发放 %(n)s 人。") % {"n": paid})
                    if over:
                        messages.warning(
                            request,
                            _("%(n)s 人今年节日慰问将超过全年合计上限，未发放：%(names)s")
                            % {"n": len(over), "names": "、".join(over[:20])},
                        )
                    return redirect("union:office_festivals")
    return render(
        request,
        "union/office_festivals.html",
        {
            "festival_form": festival,
            "warmth_form": warmth,
            "provisions": [p for p in queries.provisions(request.user) if p.kind in BATCH_KINDS],
            "recent": queries.batch_payments(request.user),
        },
    )


@login_required
def office_help(request: HttpRequest) -> HttpResponse:
    _officer(request)
    today = clock.today()
    status = choice_param(request, "status", HelpStatus.values)
    return render(
        request,
        "union/office_help.html",
        {
            "files": _page(request, queries.files(request.user)),
            "applications": queries.help_applications(request.user, status=status)[:50],
            "status": status,
            "statuses": HelpStatus.choices,
            "figures": queries.help_statistics(request.user, year_param(request, "year", today.year), today),
            "soon": today + timedelta(days=services.REVIEW_AHEAD_DAYS),
        },
    )


@login_required
def office_file_new(request: HttpRequest) -> HttpResponse:
    _officer(request)

    def save(form: FileForm) -> object:
        person = queries.person_in_scope(request.user, form.cleaned_data["employee_no"])
        if person is None:
            raise ValidationError(_("在您的管理范围内没有这个工号。"))
        return services.open_hardship_file(
            request.user,
            person,
            family_size=form.cleaned_data["family_size"],
            family_income=form.cleaned_data["family_income"],
            causes=form.cleaned_data["causes"],
            circumstances=form.cleaned_data["circumstances"],
            phone=form.cleaned_data["phone"],
        )

    return form_page(
        request,
        FileForm,
        "union/office_file_new.html",
        save=save,
        done=_("已建立困难档案。"),
        next_url=lambda file: reverse("union:office_file", args=[file.pk]),
    )


@login_required
def office_file(request: HttpRequest, file_id: int) -> HttpResponse:
    """The full hardship file (circumstances, phone): each view audited."""
    file = queries.file_for(request.user, file_id)
    if file is None:
        raise Http404
    if request.method == "POST":
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                services.review_hardship_file(
                    request.user,
                    file,
                    keep=form.cleaned_data["keep"],
                    family_size=form.cleaned_data["family_size"],
                    family_income=form.cleaned_data["family_income"],
                    note=form.cleaned_data["note"],
                )
            except (ValidationError, PermissionDenied) as exc:
                refuse_on_form(form, exc)
            else:
                messages.success(request, _("已记录复核。"))
                return redirect("union:office_file", file.pk)
    else:
        form = ReviewForm(initial={"keep": "1", "family_size": file.family_size, "family_income": file.family_income})
    services.view_hardship_file(request.user, file)
    return render(
        request,
        "union/office_file.html",
        {
            "file": file,
            "reviews": file.reviews.select_related("reviewed_by"),
            "applications": file.applications.all(),
            "form": form,
            "open": file.status == FileStatus.OPEN,
        },
    )


@login_required
def office_help_application(request: HttpRequest, application_id: int) -> HttpResponse:
    application = queries.help_application_for(request.user, application_id)
    if application is None:
        raise Http404
    if request.method == "POST":
        form = VerifyForm(request.POST)
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
        approve = request.POST.get("action") == "approve"
        note = data.get("note", "") or ""
        if application.status == HelpStatus.SUBMITTED:
            flash_outcome(
                request,
                lambda: services.verify_help(
                    request.user, application, approve=approve, amount=data.get("amount"), note=note
                ),
                _("已核实。") if approve else _("已退回。"),
            )
        else:
            flash_outcome(
                request,
                lambda: services.approve_help(request.user, application, approve=approve, note=note),
                _("已审批。"),
            )
        return redirect("union:office_help_application", application.pk)
    provision = services.provision_for(application.organisation, application.kind)
    return render(
        request,
        "union/office_help_application.html",
        {
            "application": application,
            "provision": provision,
            "may_verify": services.may_verify(request.user, application),
            "may_approve": services.may_approve(request.user, application),
            "form": VerifyForm(initial={"amount": application.proposed or application.requested}),
        },
    )
