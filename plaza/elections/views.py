"""换届选举 pages: the term board, an election's page through all its states, the phone ballot, the tellers'
count, the published receipts. Results are shown only once the vote is closed — to everyone alike."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from plaza.lib import clock, listing
from plaza.lib.http import attachment
from plaza.lib.params import int_list
from plaza.lib.refusals import flash_outcome, refuse_on_form
from plaza.localrules import services as local_rules
from plaza.orgs import queries as org_queries
from plaza.orgs.permissions import Cap, Scope, can
from plaza.rules import elections as rules

from . import pdf, queries, services
from .forms import CountForm, ElectionForm, ShiftForm, TermForm
from .models import NAME_MAX_LENGTH, RECEIPT_LENGTH, Election, State


def _election(request: HttpRequest, election_id: int) -> Election:
    return get_object_or_404(queries.visible_elections(request.user), pk=election_id)


def _act(request: HttpRequest, election_id: int, action: Callable[[Election], Any], done: str) -> HttpResponse:
    election = _election(request, election_id)
    flash_outcome(request, lambda: action(election), done)
    return redirect("elections:detail", election.pk)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Cap.ELECTIONS):
        raise PermissionDenied
    board = queries.term_board(request.user, clock.today())
    state = request.GET.get("state", "")
    state = state if state in queries.BOARD_STATES else ""
    search = listing.search_text(request.GET)
    sort = BOARD_SORTS.read(request.GET)
    shown = queries.filter_board(board, state=state, search=search, order=sort.value)
    # The term board pages too (issue 21: a 党委's board was 7,803 px of one page), under its own parameter so
    # that it and the elections list page apart; the legend is the whole board's.
    board_page = Paginator(shown, BOARD_PAGE).get_page(request.GET.get("terms"))
    page = Paginator(queries.visible_elections(request.user).filter(parent__isnull=True), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "elections/index.html",
        {
            "board_page": board_page,
            "legend": queries.board_legend(board),
            "state": state,
            "states": BOARD_STATE_LABELS,
            "q": search,
            "sort": sort,
            "page": page,
            "awaiting": queries.awaiting_upper(request.user)[:50],
            "active_tab": "work",
        },
    )


BOARD_PAGE = 50
#: The term board's orders (?sort=, plaza.lib.listing; queries.filter_board sorts the rows).
BOARD_SORTS = listing.Sorts(
    ("due", gettext_lazy("届满时间"), ("due",)), ("name", gettext_lazy("党组织名称"), ("name",)), default="due"
)
BOARD_STATE_LABELS = [
    ("overdue", gettext_lazy("已届满")),
    ("request_late", gettext_lazy("换届请示逾期")),
    ("soon", gettext_lazy("即将届满")),
    ("ok", gettext_lazy("任期内")),
    ("none", gettext_lazy("尚未登记任期")),
]


@login_required
def term_request(request: HttpRequest, org_id: int) -> HttpResponse:
    """Where the to-do 「报送换届请示」 leads: the organisation's election whose request is to be written (草拟, or
    退回修改), or, with none yet, the form that starts one (the request is written on the election's page)."""
    org = get_object_or_404(queries.committees(request.user), pk=org_id)
    election = queries.request_in_progress(org)
    if election is not None:
        return redirect(f"{reverse('elections:detail', args=[election.pk])}#request")
    messages.info(request, _("请先新建本次换届选举；建好后在选举页填写并报送换届请示。"))
    return redirect("elections:create", org.pk)


@login_required
def create(request: HttpRequest, org_id: int) -> HttpResponse:
    org = get_object_or_404(queries.committees(request.user), pk=org_id)
    form = ElectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            election = services.create_election(request.user, org, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            refuse_on_form(form, exc)
        else:
            return redirect("elections:detail", election.pk)
    return render(request, "form_page.html", {"form": form, "title": _("新建选举"), "org": org, "active_tab": "work"})


@login_required
def term(request: HttpRequest, org_id: int) -> HttpResponse:
    """The upper committee records a committee's term, or approves an earlier or later election."""
    org = get_object_or_404(queries.committees(request.user), pk=org_id)
    current = services.current_term(org)
    form = (ShiftForm if current and request.GET.get("shift") else TermForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if isinstance(form, ShiftForm):
                services.shift_term(request.user, current, **form.cleaned_data)
            else:
                services.set_term(
                    request.user, org, started_on=form.cleaned_data["started_on"], years=form.cleaned_data["years"]
                )
        except (ValidationError, PermissionDenied) as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("elections:index")
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "org": org,
            "active_tab": "work",
            "title": _("批准提前或推迟换届") if isinstance(form, ShiftForm) else _("登记任期"),
        },
    )


@login_required
def detail(request: HttpRequest, election_id: int) -> HttpResponse:
    election = _election(request, election_id)
    runs = Scope.of(request.user, Cap.ELECTIONS).covers(election.organisation)
    parent = services.parent_of(election.organisation)
    scope = Scope.of(request.user, Cap.ELECTIONS)
    upper = scope.everything or (parent is not None and scope.covers(parent))
    shown = services.results_shown(election)
    return render(
        request,
        "elections/detail.html",
        {
            "election": election,
            "runs": runs,
            "upper": upper,
            "candidates": services.ballot_candidates(election),
            "problem": services.candidate_problem(election) if election.state in services.EDITABLE else "",
            "eligible": services.eligible(election).order_by("employee_no")[:500]
            if election.state == State.APPROVED and not election.parent_id
            else [],
            "voted": election.voter_records.count(),
            "result": election.result if shown else None,
            "elected": services.elected(election) if shown else [],
            "rounds": election.rounds.all(),
            "write_ins": services.write_in_winners(election) if election.state == State.REPORTED else [],
            "counts": list(election.teller_counts.select_related("teller")) if election.state == State.COUNTING else [],
            "is_teller": election.tellers.filter(pk=request.user.pk).exists(),
            "active_tab": "work",
            "due": rules.result_report_due(
                services.vote_day(election),
                months=local_rules.value(
                    election.organisation, "elections.report_months_after", on=services.vote_day(election)
                ),
            ),
        },
    )


@login_required
@require_POST
def nominate(request: HttpRequest, election_id: int) -> HttpResponse:
    def add(election: Election) -> None:
        number = request.POST.get("employee_no", "").strip()
        person = org_queries.visible_people(request.user).filter(employee_no=number).first()
        if person is None:
            raise ValidationError(_("在您的管理范围内找不到工号：%(n)s") % {"n": number})
        services.nominate(request.user, election, person, note=request.POST.get("note", ""))

    return _act(request, election_id, add, _("已提名候选人。"))


@login_required
@require_POST
def withdraw(request: HttpRequest, election_id: int, candidate_id: int) -> HttpResponse:
    candidate = queries.candidate_in(election_id, candidate_id)
    if candidate is None:
        raise Http404
    return _act(
        request, election_id, lambda _e: services.withdraw_candidate(request.user, candidate), _("已撤销该候选人。")
    )


@login_required
@require_POST
def request_approval(request: HttpRequest, election_id: int) -> HttpResponse:
    return _act(
        request,
        election_id,
        lambda e: services.request_approval(request.user, e, text=request.POST.get("text", "")),
        _("换届请示已报上级党组织。"),
    )


@login_required
@require_POST
def decide(request: HttpRequest, election_id: int) -> HttpResponse:
    approve = request.POST.get("decision") == "approve"
    return _act(
        request,
        election_id,
        lambda e: services.decide_request(request.user, e, approve=approve, comment=request.POST.get("comment", "")),
        _("已批复同意。") if approve else _("已退回修改。"),
    )


@login_required
@require_POST
def open_voting(request: HttpRequest, election_id: int) -> HttpResponse:
    absent = {pk: request.POST.get(f"reason_{pk}", "") for pk in int_list(request.POST, "absent")}

    def start(election: Election) -> None:
        numbers = [n for n in re.split(r"[\s,，、]+", request.POST.get("tellers", "")) if n]
        tellers = list(org_queries.visible_people(request.user).filter(employee_no__in=numbers))
        services.open_voting(request.user, election, absent=absent, tellers=tellers)

    return _act(request, election_id, start, _("投票已开始。"))


@login_required
@require_POST
def close_voting(request: HttpRequest, election_id: int) -> HttpResponse:
    return _act(request, election_id, lambda e: services.close_voting(request.user, e), _("投票已结束。"))


@login_required
@require_POST
def report(request: HttpRequest, election_id: int) -> HttpResponse:
    return _act(request, election_id, lambda e: services.report_result(request.user, e), _("选举结果已报上级党组织。"))


@login_required
@require_POST
def confirm(request: HttpRequest, election_id: int) -> HttpResponse:
    """Approve the result; the form carries an employee number for each write-in winner (``write_in_<n>``)."""
    election = _election(request, election_id)
    names = services.write_in_winners(election)
    numbers = {name: request.POST.get(f"write_in_{index}", "") for index, name in enumerate(names)}
    return _act(
        request,
        election_id,
        lambda e: services.confirm_result(request.user, e, write_ins=numbers),
        _("已批准选举结果，新一届的职务和任期已生效。"),
    )


@login_required
def request_pdf(request: HttpRequest, election_id: int) -> HttpResponse:

    election = _election(request, election_id)
    return attachment(pdf.request_pdf(election), "换届请示.pdf")


@login_required
def ballots_pdf(request: HttpRequest, election_id: int) -> HttpResponse:
    election = _election(request, election_id)
    if not services.paper_ballots_printable(election):
        raise Http404
    return attachment(pdf.ballots_pdf(election, max(election.present or 0, election.electors.count(), 1)), "选票.pdf")


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The elections the person may vote in now, and those they voted in (receipts can be checked)."""
    elections = queries.my_elections(request.user)
    return render(request, "elections/mine.html", {"elections": elections, "active_tab": "work"})


@sensitive_variables()  # an error report must not show a ballot next to its voter
@sensitive_post_parameters()
@login_required
def vote(request: HttpRequest, election_id: int) -> HttpResponse:
    """The phone ballot. A refused ballot comes back as it was filled in, with the reason."""
    election = queries.election_to_vote(request.user, election_id)
    if election is None:
        raise Http404
    candidates = services.ballot_candidates(election)
    problem, receipt = services.voting_problem(election, request.user), None
    chosen = {c.pk: request.POST.get(f"c{c.pk}", "") for c in candidates} if request.method == "POST" else {}
    typed = request.POST.getlist("write_in") if request.method == "POST" else []
    if request.method == "POST" and not problem:
        ids = {"yes": [], "against": [], "abstain": []}
        for pk, choice in chosen.items():
            if choice in ids:
                ids[choice].append(pk)
        try:
            receipt = services.cast(
                request.user,
                election,
                code=request.POST.get("code", ""),
                yes=ids["yes"],
                against=ids["against"],
                abstain=ids["abstain"],
                write_ins=typed,
            )
        except ValidationError as exc:
            problem = "；".join(exc.messages)
    slots = min(election.seats, 3)
    return render(
        request,
        "elections/vote.html",
        {
            "election": election,
            "rows": [(c, chosen.get(c.pk, "")) for c in candidates],
            "problem": problem,
            "receipt": receipt,
            "code": request.POST.get("code") or request.GET.get("code", ""),
            "write_ins": list(enumerate((typed + [""] * slots)[:slots])) if receipt is None else [],
            "name_max": NAME_MAX_LENGTH,
            "active_tab": "work",
        },
        status=400 if problem else 200,
    )


@login_required
def count(request: HttpRequest, election_id: int) -> HttpResponse:
    election = queries.election_to_count(request.user, election_id)
    if election is None:
        raise Http404
    names = [c.person.name for c in services.ballot_candidates(election)]
    form = CountForm(request.POST or None, names=names)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.enter_count(
                request.user,
                election,
                returned=form.cleaned_data["returned"],
                invalid=form.cleaned_data["invalid"],
                votes=form.votes(),
            )
        except (ValidationError, PermissionDenied) as exc:
            refuse_on_form(form, exc)
        else:
            messages.info(
                request,
                {
                    "waiting": _("已录入，等待另一位计票人录入。"),
                    "disagree": _("两位计票人的录入不一致，结果暂不生效：请核对选票后重新录入。"),
                    "agreed": _("两位计票人的录入一致，计票结果已生效。"),
                }[outcome],
            )
            return redirect("elections:mine")  # a teller need not be an officer who sees the election's page
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": _("录入计票结果"),
            "org": election.organisation,
            "active_tab": "work",
            "note": _("两位计票人分别录入，一致后结果才生效。"),
        },
    )


@login_required
def receipts(request: HttpRequest, election_id: int) -> HttpResponse:
    """The published receipt codes: any voter can check their ballot was counted. Only after closing."""
    election = queries.election_of_voter_or_officer(request.user, election_id)
    if election is None:
        raise Http404
    if not services.receipts_published(election):
        raise Http404
    codes = queries.receipt_codes(election)
    q = re.sub(r"[\s-]+", "", request.GET.get("q", "")).upper()[:RECEIPT_LENGTH]
    return render(
        request,
        "elections/receipts.html",
        {
            "election": election,
            "codes": codes,
            "voted": election.voter_records.count(),
            "q": q,
            "found": q in codes if q else None,
            "active_tab": "work",
        },
    )
