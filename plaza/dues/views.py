"""党费 pages: my dues, the branch's monthly roll, a member's dues with the payment actions, bases, the payroll
import and statistics. Thin: people and organisations are looked up inside the viewer's dues scope (404 outside),
every write goes through :mod:`plaza.dues.services`."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plaza.accounts.models import Person
from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock, dates, listing
from plaza.lib.http import attachment
from plaza.lib.params import year_param
from plaza.lib.refusals import refuse_on_form
from plaza.orgs.permissions import Cap, can
from plaza.orgs.queries import party_branch_of
from plaza.rules import dues as rules
from plaza.rules.dates import add_months

from . import exports, queries, services
from .forms import BaseForm, CorrectForm, ExtraForm, ImportForm, PayForm, ReductionForm
from .imports import import_bases, template
from .models import Method
from .pdf import certificate as make_certificate


def _year(request: HttpRequest) -> int:
    return year_param(request, default=clock.today().year)


def _member(request: HttpRequest, person_id: int) -> Person:
    return get_object_or_404(queries.visible_members(request.user), pk=person_id)


# ---------------------------------------------------------------------------------------------- member


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    person = request.user
    if not person.is_party_member:
        raise Http404
    today, year = clock.today(), _year(request)
    lines = queries.person_months(person, queries.months_of_year(year))
    return render(
        request,
        "dues/mine.html",
        {
            "lines": lines,
            "year": year,
            "years": range(today.year, today.year - 6, -1),
            "today": today,
            "payments": queries.payments_of(person, year),
            "branch": party_branch_of(person),
            "active_tab": "work",
            "current": date(today.year, today.month, 1),
        },
    )


@login_required
def my_certificate(request: HttpRequest) -> HttpResponse:
    if not request.user.is_party_member:
        raise Http404
    return _certificate(request, request.user)


def _certificate(request: HttpRequest, person: Person) -> HttpResponse:

    year = _year(request)
    record(request.user, actions.DUES_CERTIFICATE, person, after={"year": year})
    content = make_certificate(person, year, clock.today())
    return attachment(content, f"党费交纳证明-{person.name}-{year}.pdf")


# ---------------------------------------------------------------------------------------------- branch


def _require_dues(request: HttpRequest) -> None:
    if not can(request.user, Cap.DUES):
        raise PermissionDenied


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _require_dues(request)
    organisations = list(queries.dues_organisations(request.user))
    branches = [o for o in organisations if o.level == "branch"]
    if len(branches) == 1:  # one branch (perhaps with its groups): its roll covers them all
        return redirect("dues:roll", branches[0].pk)
    # 50 organisations a page (issue 21: a 党委's 68 organisations were 5,265 px of one page); the count: all.
    page = Paginator(organisations, INDEX_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "dues/index.html",
        {"organisations": organisations, "page": page, "active_tab": "work"},
    )


INDEX_PAGE = 50


@login_required
def roll(request: HttpRequest, org_id: int) -> HttpResponse:
    """The month's roll with a filter bar (status, name or number), sortable columns and the bulk action
    登记已交 for the ticked unpaid members: a POST shows who and how much to confirm, the confirmed POST records."""
    organisation = get_object_or_404(queries.dues_organisations(request.user), pk=org_id)
    today = clock.today()
    month = queries.parse_month(request.POST.get("month") or request.GET.get("month"), today)
    data = queries.roll(request.user, organisation, month)
    first, last = rules.payment_months_allowed(today)
    payable = first <= month <= last
    confirming: list[queries.Line] = []
    if request.method == "POST":
        by_id = {ln.person.pk: ln for ln in data.lines if ln.status == "unpaid"}
        picked = [by_id[pk] for pk in _picked(request) if pk in by_id]
        if not payable:
            messages.error(request, _("该月不在可交纳期限内（补交最多 6 个月，预交最多一个季度）。"))
        elif not picked:
            messages.error(request, _("请先勾选要登记的未缴党员。"))
        elif request.POST.get("confirm") != "1":
            confirming = picked
        else:
            done, refused = services.mark_paid_many(request.user, [ln.person for ln in picked], month, today=today)
            if done:
                messages.success(request, _("已登记 %(n)s 名党员本月党费已交。") % {"n": len(done)})
            for name, reasons in refused.items():
                messages.error(request, _("%(name)s 未登记：%(why)s") % {"name": name, "why": "；".join(reasons)})
            return redirect(f"{request.path}?month={month:%Y-%m}")
    status = request.GET.get("status", "")
    status = status if status in queries.ROLL_STATUSES else ""
    search = listing.search_text(request.GET)
    sort = ROLL_SORTS.read(request.GET)
    lines = queries.roll_lines(data.lines, status=status, search=search, order=sort.value)
    # 50 members a page (issue 21: a long list is metres of scrolling and a tab stop a row); totals: the whole roll.
    page = Paginator(lines, ROLL_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "dues/roll.html",
        {
            "roll": data,
            "page": page,
            "month": month,
            "prev": _shift(month, -1),
            "next": _shift(month, 1),
            "payable": payable,
            "status": status,
            "statuses": ROLL_STATUS_LABELS,
            "q": search,
            "sort": sort,
            "confirming": confirming,
            "confirming_total": sum((ln.unpaid for ln in confirming), queries.ZERO),
            "bulk_actions": [("paid", _("登记所选党员本月已交"))],
            "active_tab": "work",
        },
    )


ROLL_PAGE = 50
#: The roll's orders (?sort=, plaza.lib.listing; the lines are sorted by queries.roll_lines).
ROLL_SORTS = listing.Sorts(
    ("no", gettext_lazy("工号"), ("no",)),
    ("name", gettext_lazy("姓名"), ("name",)),
    ("due", gettext_lazy("应缴"), ("due",)),
    ("unpaid", gettext_lazy("未缴"), ("unpaid",)),
    default="no",
)
ROLL_STATUS_LABELS = [
    ("unpaid", gettext_lazy("未缴")),
    ("partial", gettext_lazy("部分交纳")),
    ("paid", gettext_lazy("已交")),
    ("no_base", gettext_lazy("未登记基数")),
    ("exempt", gettext_lazy("减免")),
]


def _picked(request: HttpRequest) -> list[int]:
    """The ticked rows' person ids (at most a page's worth; anything not a number is left out)."""
    return [int(v) for v in request.POST.getlist("pick")[: ROLL_PAGE * 2] if v.isdigit() and len(v) < 12]


def _shift(month: date, delta: int) -> str:
    return f"{add_months(month, delta):%Y-%m}"


@login_required
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    """A member's dues: the months a payment may cover today, with the pay action (confirmed first), the
    ledger, bases and reductions."""
    member = _member(request, person_id)
    today = clock.today()
    months = queries.window(today)
    lines = queries.person_months(member, months)
    posted = request.method == "POST"
    initial = {"months": [request.GET["month"]]} if request.GET.get("month") else None
    form = PayForm(request.POST if posted else None, months=months, initial=initial)
    confirm = None
    if posted and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("confirm") != "1":
            chosen = [ln for ln in lines if ln.month in data["months"]]
            confirm = {
                "lines": chosen,
                "total": sum((ln.due or 0 for ln in chosen), queries.ZERO),
                "method": dict(Method.choices)[data["method"]],
            }
        else:
            try:
                created = services.mark_paid(
                    request.user,
                    member,
                    data["months"],
                    method=data["method"],
                    reference=data["reference"],
                    paid_on=data["paid_on"],
                    today=today,
                )
            except ValidationError as exc:
                refuse_on_form(form, exc)
            else:
                messages.success(
                    request,
                    _("已登记 %(name)s %(n)s 个月的党费，共 %(t)s 元。")
                    % {"name": member.name, "n": len(created), "t": sum((p.amount for p in created), queries.ZERO)},
                )
                return redirect("dues:person", member.pk)
    first, last = rules.payment_months_allowed(today)
    return render(
        request,
        "dues/person.html",
        {
            "member": member,
            "lines": lines,
            "form": form,
            "confirm": confirm,
            "branch": party_branch_of(member),
            "payments": queries.payments_of(member)[:60],
            "window": (first, last),
            "bases": queries.bases_of(member)[:24],
            "reductions": queries.reductions_of(member),
            "year": today.year,
            "active_tab": "work",
        },
    )


def _form_page(request: HttpRequest, member: Person, form, title: str, note: str = "") -> HttpResponse:  # noqa: ANN001
    return render(
        request, "dues/form.html", {"form": form, "title": title, "member": member, "note": note, "active_tab": "work"}
    )


@login_required
def base(request: HttpRequest, person_id: int) -> HttpResponse:
    member = _member(request, person_id)
    form = BaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.set_base(
                request.user,
                member,
                category=data["category"],
                base=data["base"],
                effective_from=data["effective_from"],
                confirm_large=data["confirm_large"],
            )
        except ValidationError as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(
                request,
                _("已登记 %(name)s 自 %(m)s 起的党费基数，每月应交 %(d)s 元。")
                % {
                    "name": member.name,
                    "m": dates.month(entry.effective_from),
                    "d": queries.monthly_dues_of(member, entry.base, entry.category, month=entry.effective_from),
                },
            )
            return redirect("dues:person", member.pk)
    return _form_page(
        request,
        member,
        form,
        _("登记党费基数"),
        _("基数为每月工资收入中相对固定的、经常性的部分（税后）（《党费规定》）。"),
    )


@login_required
def extra(request: HttpRequest, person_id: int) -> HttpResponse:
    member = _member(request, person_id)
    form = ExtraForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.record_extra(
                request.user,
                member,
                data["amount"],
                method=data["method"],
                reference=data["reference"],
                paid_on=data["paid_on"],
                note=data["note"],
            )
        except ValidationError as exc:
            refuse_on_form(form, exc)
        else:
            text = _("已登记自愿多交党费 %(a)s 元。") % {"a": entry.amount}
            if entry.to_centre:
                text += _("该笔 1000 元以上，全额上缴中央。")
            messages.success(request, text)
            return redirect("dues:person", member.pk)
    return _form_page(request, member, form, _("自愿多交党费"))


@login_required
def reduction(request: HttpRequest, person_id: int) -> HttpResponse:
    member = _member(request, person_id)
    form = ReductionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_reduction(
                request.user,
                member,
                from_month=data["from_month"],
                to_month=data["to_month"],
                amount=data["amount"],
                reason=data["reason"],
                approved_by=data["approved_by"],
                approved_on=data["approved_on"],
            )
        except ValidationError as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, _("已登记减免。"))
            return redirect("dues:person", member.pk)
    return _form_page(
        request,
        member,
        form,
        _("登记党费减免"),
        _("生活困难的党员减免党费，须经党支部研究、上级党委批准（《党费规定》）。"),
    )


@login_required
def correct(request: HttpRequest, person_id: int) -> HttpResponse:
    member = _member(request, person_id)
    payments = list(queries.correctable_payments(member)[:60])
    form = CorrectForm(request.POST or None, payments=payments)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        original = next(p for p in payments if p.pk == data["payment"])
        try:
            services.correct_payment(request.user, original, data["amount"], note=data["note"])
        except ValidationError as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, _("已追加更正记录，原记录保留。"))
            return redirect("dues:person", member.pk)
    return _form_page(
        request,
        member,
        form,
        _("更正交纳记录"),
        _("交纳记录不能修改或删除：更正以一条新的记录追加，注明调整金额和原因。"),
    )


@login_required
def certificate(request: HttpRequest, person_id: int) -> HttpResponse:
    return _certificate(request, _member(request, person_id))


@login_required
def import_page(request: HttpRequest) -> HttpResponse:

    _require_dues(request)
    if request.GET.get("template"):
        return attachment(template(), "党费基数导入模板.xlsx")
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = import_bases(request.user, data["file"], data["month"], confirm_large=data["confirm_large"])
    return render(request, "dues/import.html", {"form": form, "result": result, "active_tab": "work"})


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    _require_dues(request)
    month = queries.parse_month(request.GET.get("month"), clock.today())
    rows, total = queries.statistics(request.user, month)
    if request.GET.get("format") == "xlsx":
        record(request.user, actions.DUES_EXPORT, object_type="dues.duespayment", after={"month": month})
        content = exports.statistics_workbook(request.user, month, rows, total)
        return attachment(content, f"党费收缴-{month:%Y-%m}.xlsx")
    return render(request, "dues/stats.html", {"rows": rows, "total": total, "month": month, "active_tab": "work"})
