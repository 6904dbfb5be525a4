"""组织关系转接 pages: my Party membership, the branches' transfers (out and in), a transfer with its actions, the
outside letter and its receipt, incoming registration, members out of contact, and letter verification.

Thin: transfers and people are looked up inside the viewer's scope (404 outside); every write goes through
:mod:`plaza.transfers.services`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from plaza.accounts.models import Person
from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock, listing
from plaza.lib.http import attachment
from plaza.lib.refusals import messages_of, refuse_on_form
from plaza.orgs.permissions import Cap, can
from plaza.orgs.queries import party_branch_of
from plaza.rules import transfers as rules

from . import queries, services
from .forms import ContactForm, DeclineForm, IncomingForm, LetterForm, ReceiptForm, StartForm, VerifyForm
from .models import Kind, State
from .pdf import letter

PAGE_SIZE = 30


def _require_transfers(request: HttpRequest) -> None:
    if not can(request.user, Cap.TRANSFERS):
        raise PermissionDenied


def _transfer(request: HttpRequest, transfer_id: int):  # noqa: ANN202
    return get_object_or_404(queries.visible_transfers(request.user), pk=transfer_id)


def _page(request: HttpRequest, items) -> object:  # noqa: ANN001
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _form_page(request: HttpRequest, form, title: str, note: str = "", confirm: str = "") -> HttpResponse:  # noqa: ANN001
    return render(
        request,
        "transfers/form.html",
        {"form": form, "title": title, "note": note, "confirm": confirm, "active_tab": "work"},
    )


# ---------------------------------------------------------------------------------------------- member


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    person = request.user
    if not person.is_party_member:
        raise Http404
    membership = services.current_party_membership(person)
    branch = services.branch_of_org(membership.organisation) if membership else None
    transfers = list(queries.my_transfers(person)[:20])
    open_transfer = next((t for t in transfers if t.is_open), None)
    branches = queries.receiving_branches().exclude(pk=branch.pk if branch else None)
    form = StartForm(request.POST or None, branches=branches, for_member=True)
    if request.method == "POST" and open_transfer is not None:  # a second tab, or a page left open: say so
        messages.error(request, _("您已有一项正在办理的组织关系转接，办结或撤回后才能再申请。"))
        return redirect("transfers:mine")
    if request.method == "POST" and form.is_valid():
        try:
            services.start_transfer(person, person, form.cleaned_data["to_org"], reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, _("已提交转接申请，等待接收党支部接收；在此之前原党支部仍负责管理。"))
            return redirect("transfers:mine")
    return render(
        request,
        "transfers/mine.html",
        {
            "membership": membership,
            "branch": branch,
            "transfers": transfers,
            "open_transfer": open_transfer,
            "form": form if membership and open_transfer is None else None,
            "active_tab": "work",
        },
    )


# ---------------------------------------------------------------------------------------------- branch


#: The orders the branch's transfer list offers (?sort=, plaza.lib.listing): newest first by default.
SORTS = listing.Sorts(
    ("started", gettext_lazy("发起日期"), ("started_on", "id")),
    ("name", gettext_lazy("姓名"), ("person__name", "id")),
    ("state", gettext_lazy("状态"), ("state", "started_on", "id")),
    default="-started",
)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _require_transfers(request)
    direction = request.GET.get("direction", "")
    direction = direction if direction in ("in", "out") else ""
    state = request.GET.get("state", "")
    search = listing.search_text(request.GET)
    sort = SORTS.read(request.GET)
    items = queries.branch_transfers(request.user, direction, state, search=search, order=sort.order_by)
    return render(
        request,
        "transfers/index.html",
        {
            "page": _page(request, items),
            "direction": direction,
            "state": state,
            "states": State.choices,
            "q": search,
            "sort": sort,
            "active_tab": "work",
        },
    )


@login_required
def detail(request: HttpRequest, transfer_id: int) -> HttpResponse:
    transfer = _transfer(request, transfer_id)
    return render(
        request,
        "transfers/detail.html",
        {
            "transfer": transfer,
            "open": transfer.is_open,
            "can_decide": services.may_decide(request.user, transfer),
            "can_withdraw": transfer.is_open and services.may_withdraw(request.user, transfer),
            "can_receipt": services.may_record_receipt(request.user, transfer),
            "show_letter": services.may_see_letter(request.user, transfer),
            "code": services.letter_code(transfer) if transfer.kind == Kind.OUTGOING else "",
            "decline_form": DeclineForm(),
            "receipt_form": ReceiptForm(),
            "active_tab": "work",
        },
    )


def _act(request: HttpRequest, transfer_id: int, action, success: str, **kwargs) -> HttpResponse:  # noqa: ANN001
    """A button on the transfer's page: a refusal by the rules is flashed; one the person was never offered
    (PermissionDenied, e.g. the member posting 接收) stays a 403."""
    transfer = _transfer(request, transfer_id)
    try:
        action(request.user, transfer, **kwargs)
    except ValidationError as exc:
        messages.error(request, "；".join(messages_of(exc)))
    else:
        messages.success(request, success)
    return redirect("transfers:detail", transfer.pk)


@login_required
@require_POST
def accept(request: HttpRequest, transfer_id: int) -> HttpResponse:
    return _act(request, transfer_id, services.accept, _("已接收，组织关系已转入本支部。"))


@login_required
@require_POST
def decline(request: HttpRequest, transfer_id: int) -> HttpResponse:
    form = DeclineForm(request.POST)
    reason = form.data.get("reason", "")
    return _act(request, transfer_id, services.decline, _("已拒绝接收，并通知党员和原党支部。"), reason=reason)


@login_required
@require_POST
def withdraw(request: HttpRequest, transfer_id: int) -> HttpResponse:
    return _act(request, transfer_id, services.withdraw, _("已撤回该转接。"))


@login_required
@require_POST
def receipt(request: HttpRequest, transfer_id: int) -> HttpResponse:
    form = ReceiptForm(request.POST)
    if not form.is_valid():
        _transfer(request, transfer_id)
        messages.error(request, _("请填写回执所载的接收日期。"))
        return redirect("transfers:detail", transfer_id)
    return _act(
        request,
        transfer_id,
        services.record_receipt,
        _("已登记回执，该党员的组织关系已转出。"),
        received_on=form.cleaned_data["received_on"],
        note=form.cleaned_data["note"],
    )


@login_required
def letter_pdf(request: HttpRequest, transfer_id: int) -> HttpResponse:

    transfer = _transfer(request, transfer_id)
    if transfer.kind != Kind.OUTGOING:
        raise Http404
    record(request.user, actions.TRANSFERS_LETTER_PDF, transfer, after={"letter_no": transfer.letter_no})
    return attachment(letter(transfer), f"组织关系介绍信-{transfer.letter_no}-{transfer.person.name}.pdf")


def _member_by_number(request: HttpRequest, number: str) -> Person | None:
    return queries.transfer_members(request.user).filter(employee_no=number.strip()).first()


@login_required
def start(request: HttpRequest) -> HttpResponse:
    _require_transfers(request)
    form = StartForm(
        request.POST or None,
        branches=queries.receiving_branches(),
        initial={"employee_no": request.GET.get("employee_no", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = _member_by_number(request, data["employee_no"])
        if member is None:
            form.add_error("employee_no", _("本支部没有这个工号的党员。"))
        else:
            try:
                transfer = services.start_transfer(request.user, member, data["to_org"], reason=data["reason"])
            except (ValidationError, PermissionDenied) as exc:
                refuse_on_form(form, exc)
            else:
                messages.success(request, _("已发起转接，等待 %(to)s 接收。") % {"to": transfer.to_org.name})
                return redirect("transfers:detail", transfer.pk)
    return _form_page(
        request,
        form,
        _("发起系统内转接"),
        _("接收党支部接收之前，原党支部仍负责该党员的管理（《教育管理条例》第二十五条）。"),
    )


@login_required
def issue_letter(request: HttpRequest) -> HttpResponse:
    _require_transfers(request)
    form = LetterForm(request.POST or None, initial={"employee_no": request.GET.get("employee_no", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = _member_by_number(request, data["employee_no"])
        if member is None:
            form.add_error("employee_no", _("本支部没有这个工号的党员。"))
        else:
            try:
                transfer = services.issue_letter(
                    request.user, member, to_name=data["to_name"], reason=data["reason"], issued_on=data["issued_on"]
                )
            except (ValidationError, PermissionDenied) as exc:
                refuse_on_form(form, exc)
            else:
                messages.success(request, _("已开具介绍信 %(no)s。") % {"no": transfer.letter_no})
                return redirect("transfers:detail", transfer.pk)
    return _form_page(
        request,
        form,
        _("开具介绍信（转出系统外）"),
        _("介绍信有效期按开具党支部的本单位规定（本支部为 %(m)s 个月）；收到回执后转接办结。")
        % {"m": services.letter_months(party_branch_of(request.user))},
        confirm=_("确定开具介绍信吗？开具后将生成唯一编号。"),
    )


@login_required
def incoming(request: HttpRequest) -> HttpResponse:
    _require_transfers(request)
    form = IncomingForm(request.POST or None, branches=queries.transfer_organisations(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = queries.incoming_person(data["employee_no"])
        if person is None:
            form.add_error("employee_no", _("没有这个工号的人员，请先由人事建立人员信息。"))
        else:
            try:
                transfer = services.register_incoming(
                    request.user,
                    person,
                    data["to_org"],
                    letter_no=data["letter_no"],
                    issuing_org=data["issuing_org"],
                    issued_on=data["issued_on"],
                    status=data["status"],
                )
            except (ValidationError, PermissionDenied) as exc:
                refuse_on_form(form, exc)
            else:
                messages.success(
                    request, _("已登记 %(name)s 转入 %(to)s。") % {"name": person.name, "to": transfer.to_org.name}
                )
                return redirect("transfers:detail", transfer.pk)
    return _form_page(
        request,
        form,
        _("登记转入（凭介绍信）"),
        _("过期的介绍信不予登记（有效期按接收党支部的本单位规定，本支部为 %(m)s 个月）。")
        % {"m": services.letter_months(party_branch_of(request.user))},
    )


@login_required
def lost(request: HttpRequest) -> HttpResponse:
    _require_transfers(request)
    today = clock.today()
    items = queries.lost_contact(request.user, today)
    return render(
        request,
        "transfers/lost.html",
        {
            "page": _page(request, items),
            "months": rules.OUT_OF_CONTACT_MONTHS,
            "form": ContactForm(),
            "active_tab": "work",
        },
    )


@login_required
@require_POST
def contact(request: HttpRequest, person_id: int) -> HttpResponse:
    member = get_object_or_404(queries.transfer_members(request.user), pk=person_id)
    form = ContactForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写联系日期。"))
        return redirect("transfers:lost")
    try:
        services.record_contact(request.user, member, on=form.cleaned_data["on"], note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, "；".join(messages_of(exc)))
    else:
        messages.success(request, _("已记录与 %(name)s 的联系。") % {"name": member.name})
    return redirect("transfers:lost")


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Number + check code → valid / expired / void / unknown. Details only when the code matches."""
    form = VerifyForm(request.GET or None)
    result = None
    if request.GET and form.is_valid():
        number = form.cleaned_data["number"].strip()
        code = form.cleaned_data["code"].strip().upper()
        transfer = queries.letter_lookup(number)
        if transfer is None or not constant_time_compare(services.letter_code(transfer), code):
            result = {"status": "unknown"}
        else:
            today = clock.today()
            if transfer.state == State.WITHDRAWN:
                status = "void"
            elif transfer.state == State.CLOSED:
                status = "closed"
            elif services.letter_valid_on(transfer, today):
                status = "valid"
            else:
                status = "expired"
            result = {"status": status, "transfer": transfer}
        record(
            request.user,
            actions.TRANSFERS_VERIFY,
            object_type="transfers.transfer",
            object_id=str(transfer.pk) if transfer else "",
            after={"number": number[:64], "result": result["status"]},
        )
    return render(request, "transfers/verify.html", {"form": form, "result": result, "active_tab": "work"})
