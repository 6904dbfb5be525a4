"""E线声音 and 职代会提案 pages: filing and following one's own items, the public wall with 附议, the handlers'
queue and item page, the audited look at a submitter, reports with charts and Excel; congresses, proposals,
co-signing, the committee's decisions, answers and the yearly list (PDF, Excel)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from plaza.lib import clock
from plaza.lib.formpage import form_page
from plaza.lib.http import attachment, private_picture
from plaza.lib.params import choice_param, int_param, month_param, year_param
from plaza.lib.refusals import messages_of, refuse_on_form
from plaza.orgs import queries as org_queries
from plaza.orgs.permissions import Cap, Scope

from . import exports, pdf, queries, services
from .forms import CategoryForm, CongressForm, ItemForm, ProposalForm, RateForm, ReasonForm, TextForm
from .models import OPEN, Item, Proposal, State


def _require(request: HttpRequest, cap: Cap = Cap.VOICE) -> None:
    if Scope.of(request.user, cap).is_empty:
        raise PermissionDenied


def _found(value: Any) -> Any:
    if value is None:
        raise Http404
    return value


def _do(request: HttpRequest, call: Callable[[], Any], done: str) -> bool:
    try:
        call()
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(messages_of(exc)))
        return False
    messages.success(request, done)
    return True


# ------------------------------------------------------------------------------------------ the submitter


@login_required
def index(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.own_items(request.user), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "voice/index.html",
        {"page": page, "active_tab": "interact", "handles": not Scope.of(request.user, Cap.VOICE).is_empty},
    )


@login_required
def new(request: HttpRequest) -> HttpResponse:
    def save(form: ItemForm) -> Item:
        data = form.cleaned_data
        return services.file_item(
            request.user,
            kind=data["kind"],
            category=data["category"],
            text=data["text"],
            place=data["place"],
            anonymous=data["anonymous"],
            public=data["public"],
            photos=data["photos"] or [],
        )

    return form_page(
        request,
        ItemForm,
        "voice/new.html",
        save=save,
        done=_("已提交，我们会按时答复。"),
        next_url=lambda item: reverse("voice:mine", args=[item.pk]),
        form_kwargs={"categories": queries.categories()},
        context={"levels": services.promised_days(request.user, queries.categories())},
    )


@login_required
def mine(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _found(queries.own_item(request.user, item_id))
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "reply":
            text_form = TextForm(request.POST)
            if text_form.is_valid():
                _do(request, lambda: services.reply(request.user, item, text_form.cleaned_data["text"]), _("已回复。"))
            else:
                messages.error(request, _("请填写回复内容（不超过 2000 字）。"))
        elif action == "rate":
            rate_form = RateForm(request.POST)
            if rate_form.is_valid():
                data = rate_form.cleaned_data
                _do(
                    request,
                    lambda: services.rate(request.user, item, data["satisfied"] == "1", data["word"]),
                    _("谢谢您的评价。"),
                )
            else:
                messages.error(request, _("请选择满意或不满意。"))
        elif action == "reopen":
            _do(
                request,
                lambda: services.reopen(request.user, item, request.POST.get("reason", "")),
                _("已要求重新办理。"),
            )
        return redirect("voice:mine", item.pk)
    return render(
        request,
        "voice/mine.html",
        {
            "item": item,
            "events": queries.history(item),
            "thread": queries.thread(item),
            "photos": item.photos.all(),
            "may_reply": services.may_reply(request.user, item),
            "may_rate": services.may_rate(request.user, item),
            "may_reopen": services.may_reopen(request.user, item),
            "rate_form": RateForm(),
            "overdue": services.overdue(item),
            "due": services.current_due(item),
        },
    )


@login_required
def wall(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.public_items(request.user), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "voice/wall.html",
        {
            "page": page,
            "supported": queries.supported_ids(request.user, list(page.object_list)),
            "threshold": services.support_threshold(),
        },
    )


@login_required
def public(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _found(queries.public_item(request.user, item_id))
    if request.method == "POST":
        _do(request, lambda: services.support(request.user, item), _("已附议。"))
        return redirect("voice:public", item.pk)
    return render(
        request,
        "voice/public.html",
        {
            "item": item,
            "photos": item.photos.all(),
            "supported": bool(queries.supported_ids(request.user, [item])),
            "may_support": services.may_support(request.user, item),
        },
    )


@login_required
def photo(request: HttpRequest, photo_id: int) -> FileResponse:
    found = _found(queries.photo_for(request.user, photo_id))
    return private_picture(found.image, max_age=None)


# ------------------------------------------------------------------------------------------ handlers


@login_required
def office(request: HttpRequest) -> HttpResponse:
    _require(request)
    state = choice_param(request, "state", ["open", *State.values], "open")
    category_id = int_param(request, "category")
    search = request.GET.get("q", "").strip()[:50]
    rows = queries.queue(request.user, state=state, category_id=category_id, search=search)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    today = clock.today()
    lines = [(item, services.overdue(item, today), services.current_due(item)) for item in page.object_list]
    return render(
        request,
        "voice/office.html",
        {
            "page": page,
            "lines": lines,
            "state": state,
            "states": State.choices,
            "category_id": category_id,
            "categories": queries.all_categories(request.user),
            "q": search,
            "overdue": queries.overdue_count(request.user, today),
        },
    )


ACTIONS: dict[str, Callable[[Any, Item, Any], Any]] = {
    "accept": lambda user, item, post: services.accept(user, item, post.get("note", "")),
    "start": lambda user, item, post: services.start(user, item, post.get("note", "")),
    "ask": lambda user, item, post: services.ask(user, item, post.get("text", "")),
    "answer": lambda user, item, post: services.answer(user, item, post.get("text", ""), post.get("change_made", "")),
    "return": lambda user, item, post: services.return_item(user, item, post.get("reason", "")),
    "decline": lambda user, item, post: services.decline_forward(user, item, post.get("reason", "")),
    "faq": lambda user, item, post: services.make_faq(user, item),
}
DONE = {
    "accept": _("已受理。"),
    "start": _("已开始办理。"),
    "ask": _("问题已发给提交人。"),
    "answer": _("已答复。"),
    "return": _("已退回。"),
    "decline": _("已不接收，仍由原组织负责。"),
    "faq": _("已加入党群小智常见问题。"),
    "forward": _("已转交，对方接收前仍由本组织负责。"),
    "extend": _("已延期。"),
    "merge": _("已合并。"),
}


@login_required
def handle(request: HttpRequest, item_id: int) -> HttpResponse:
    _require(request)
    item = _found(queries.handled_item(request.user, item_id))
    if request.method == "POST":
        action = request.POST.get("action", "")
        post = request.POST
        if action in ACTIONS:
            _do(request, lambda: ACTIONS[action](request.user, item, post), str(DONE[action]))
        elif action == "forward":
            target = queries.forward_targets(request.user).filter(pk=int_param(post, "to") or 0).first()
            _do(
                request,
                lambda: services.forward(request.user, item, _found(target), post.get("reason", "")),
                str(DONE[action]),
            )
        elif action == "extend":
            _do(
                request,
                lambda: services.extend(request.user, item, int_param(post, "days") or 0, post.get("reason", "")),
                str(DONE[action]),
            )
        elif action == "merge":
            into = queries.handled_item(request.user, int_param(post, "into") or 0)
            _do(
                request,
                lambda: services.merge(request.user, item, _found(into), post.get("reason", "")),
                str(DONE[action]),
            )
        return redirect("voice:handle", item.pk)
    user = request.user
    return render(
        request,
        "voice/handle.html",
        {
            "item": item,
            "name": queries.shown_name(item),
            "events": queries.history(item),
            "thread": queries.thread(item),
            "photos": item.photos.all(),
            "overdue": services.overdue(item),
            "due": services.current_due(item),
            "may": {
                "accept": services.may_accept(user, item),
                "start": item.state == State.ACCEPTED and services.handles(user, item),
                "forward": services.may_forward(user, item),
                "decline": services.receives(user, item),
                "return": services.may_return(user, item),
                "ask": services.may_ask(user, item),
                "extend": services.may_extend(user, item),
                "answer": services.may_answer(user, item),
                "merge": item.state in OPEN and services.handles(user, item),
                "faq": services.may_make_faq(user, item),
                "identity": services.may_view_submitter(user, item),
            },
            "return_refusal": services.return_refusal(item) if services.handles(user, item) else "",
            "targets": org_queries.labelled(queries.forward_targets(user)),
            "merge_targets": queries.merge_targets(user, item),
            "extension_days": services.days(item.organisation, "extension_days"),
        },
    )


@login_required
def identity(request: HttpRequest, item_id: int) -> HttpResponse:
    _require(request, Cap.VOICE_IDENTITY)
    item = _found(queries.handled_item(request.user, item_id))
    form = ReasonForm(request.POST or None)
    person = None
    if request.method == "POST" and form.is_valid():
        try:
            person = services.view_submitter(request.user, item, form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as exc:
            refuse_on_form(form, exc)
    return render(request, "voice/identity.html", {"item": item, "form": form, "person": person})


@login_required
def raised(request: HttpRequest) -> HttpResponse:
    _require(request)
    page = Paginator(queries.raised(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "voice/raised.html", {"page": page, "threshold": services.support_threshold()})


def _report_input(request: HttpRequest) -> tuple[date, Any]:
    month = month_param(request, "month", clock.today().replace(day=1))
    org_id = int_param(request, "org")
    organisation = queries.report_organisations(request.user).filter(pk=org_id).first() if org_id else None
    return month, organisation


@login_required
def report(request: HttpRequest) -> HttpResponse:
    _require(request)
    month, organisation = _report_input(request)
    found = queries.report(request.user, month, organisation)
    if request.GET.get("format") == "xlsx":
        services.record_report_export(request.user, month, organisation)
        return attachment(exports.report_workbook(found), f"E线声音报表-{month:%Y-%m}.xlsx")
    chart = {
        "categories": [name for name, _n in found.by_category],
        "counts": [n for _name, n in found.by_category],
        "rates": [_("响应率"), _("解决率"), _("满意率")],
        "values": [
            round((rate or 0) * 100, 1)
            for rate in (found.response_rate, found.resolution_rate, found.satisfaction_rate)
        ],
    }
    return render(
        request,
        "voice/report.html",
        {
            "report": found,
            "month": month,
            "organisation": organisation,
            "organisations": org_queries.labelled(queries.report_organisations(request.user)[:200]),
            "chart": chart,
        },
    )


@login_required
def categories(request: HttpRequest) -> HttpResponse:
    _require(request)
    organisations = Scope.of(request.user, Cap.VOICE).organisations().filter(is_active=True).order_by("tree", "path")

    def save(form: CategoryForm) -> Any:
        return services.save_category(request.user, **form.cleaned_data)

    return form_page(
        request,
        CategoryForm,
        "voice/categories.html",
        save=save,
        done=_("已保存类别。"),
        next_url=reverse("voice:categories"),
        context={"rows": queries.all_categories(request.user)},
        form_kwargs={"organisations": organisations},
    )


@login_required
def edit_category(request: HttpRequest, category_id: int) -> HttpResponse:
    _require(request)
    found = _found(queries.managed_category(request.user, category_id))
    organisations = Scope.of(request.user, Cap.VOICE).organisations().filter(is_active=True).order_by("tree", "path")
    initial = {
        "name": found.name,
        "owner": found.owner,
        "via_branch": found.via_branch,
        "active": found.active,
        "order": found.order,
    }
    return form_page(
        request,
        CategoryForm,
        "form_page.html",
        save=lambda form: services.save_category(request.user, category=found, **form.cleaned_data),
        done=_("已保存类别。"),
        next_url=reverse("voice:categories"),
        context={"title": _("修改类别")},
        form_kwargs={"organisations": organisations, "initial": initial},
    )


# ------------------------------------------------------------------------------------------ 职代会提案


@login_required
def proposals(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "voice/proposals.html",
        {
            "open": queries.open_congresses(request.user),
            "congresses": queries.congresses_for(request.user)[:20],
            "own": queries.own_proposals(request.user)[:50],
            "runs": not Scope.of(request.user, Cap.VOICE).is_empty,
        },
    )


@login_required
def congress(request: HttpRequest, congress_id: int) -> HttpResponse:
    found = _found(queries.congress_for(request.user, congress_id))
    return render(
        request,
        "voice/congress.html",
        {
            "congress": found,
            "rows": queries.proposals_of(found),
            "may_propose": services.may_propose(request.user, found),
            "runs": services.runs_congress(request.user, found),
        },
    )


@login_required
def new_proposal(request: HttpRequest, congress_id: int) -> HttpResponse:
    found = _found(queries.congress_for(request.user, congress_id))
    return form_page(
        request,
        ProposalForm,
        "form_page.html",
        save=lambda form: services.file_proposal(request.user, found, **form.cleaned_data),
        done=_("提案已提出。请两位以上工会会员附议后，提交提案委员会。"),
        next_url=lambda proposal: reverse("voice:proposal", args=[proposal.pk]),
        context={"title": _("提出提案"), "org": found, "note": _("一事一案：一件提案只提一件事，写清理由和建议办法。")},
    )


PROPOSAL_ACTIONS: dict[str, Callable[[Any, Proposal, Any], Any]] = {
    "cosign": lambda user, p, post: services.cosign(user, p),
    "return": lambda user, p, post: services.return_proposal(user, p, post.get("reason", "")),
    "answer": lambda user, p, post: services.answer_proposal(user, p, post.get("text", "")),
    "rate": lambda user, p, post: services.rate_proposal(user, p, post.get("satisfied") == "1", post.get("word", "")),
}


@login_required
def proposal(request: HttpRequest, proposal_id: int) -> HttpResponse:
    found = _found(queries.proposal_for(request.user, proposal_id))
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in PROPOSAL_ACTIONS:
            _do(request, lambda: PROPOSAL_ACTIONS[action](request.user, found, request.POST), _("已保存。"))
        elif action == "accept":
            department = (
                queries.forward_targets(request.user).filter(pk=int_param(request.POST, "department") or 0).first()
            )
            _do(
                request,
                lambda: services.accept_proposal(request.user, found, _found(department), request.POST.get("note", "")),
                _("已立案。"),
            )
        return redirect("voice:proposal", found.pk)
    user = request.user
    return render(
        request,
        "voice/proposal.html",
        {
            "p": found,
            "cosigners": found.cosignatures.select_related("person"),
            "may_cosign": services.may_cosign(user, found),
            "may_decide": services.may_decide(user, found),
            "may_answer": services.may_answer_proposal(user, found),
            "may_rate": services.may_rate_proposal(user, found),
            "departments": org_queries.labelled(queries.forward_targets(user)),
            "rate_form": RateForm(),
        },
    )


@login_required
def congresses(request: HttpRequest) -> HttpResponse:
    _require(request)
    unions = Scope.of(request.user, Cap.VOICE).organisations().filter(tree="union", is_active=True)
    return form_page(
        request,
        CongressForm,
        "voice/congresses.html",
        save=lambda form: services.create_congress(
            request.user, form.cleaned_data.pop("organisation"), **form.cleaned_data
        ),
        done=_("已设立提案征集。"),
        next_url=lambda c: reverse("voice:congress", args=[c.pk]),
        context={"rows": queries.managed_congresses(request.user), "to_answer": queries.to_answer(request.user)},
        form_kwargs={"organisations": unions},
    )


@login_required
def yearly(request: HttpRequest) -> HttpResponse:
    _require(request)
    year = year_param(request, "year", clock.today().year)
    rows = list(queries.yearly(request.user, year))
    fmt = request.GET.get("format", "")
    if fmt in ("xlsx", "pdf"):
        services.record_yearly_export(request.user, year, fmt)
        if fmt == "xlsx":
            return attachment(exports.proposals_workbook(rows, year), f"职代会提案汇总-{year}.xlsx")
        return attachment(pdf.proposals_pdf(rows, year), f"职代会提案汇总-{year}.pdf")
    return render(request, "voice/yearly.html", {"rows": rows, "year": year})
