"""民主评议党员 pages: my evaluations, the branches' campaigns, the sheet, the decision, reports and statistics."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock
from plaza.lib.http import attachment
from plaza.lib.params import year_param
from plaza.lib.refusals import flash_outcome, refuse_on_form
from plaza.lib.refusals import messages_of as _errors
from plaza.lib.schemas import found_or_404
from plaza.orgs import queries as org_queries
from plaza.orgs.permissions import Cap, can
from plaza.rules.evaluation import GRADES

from . import exports, queries, services
from .forms import CampaignForm, FollowUpStepForm, SelfEvaluationForm
from .models import Campaign, Participant


def _year(request: HttpRequest) -> int:
    return year_param(request, default=clock.today().year)


def _campaign_for(request: HttpRequest, campaign_id: int) -> tuple[Campaign, bool, Participant | None]:
    """The campaign, whether the viewer runs it, and the viewer's participation; 404 unless one of them."""
    return found_or_404(queries.campaign_for(request.user, campaign_id))


def _kept(request: HttpRequest, campaign_id: int) -> Campaign:
    campaign, keeps, _mine = _campaign_for(request, campaign_id)
    if not keeps:
        raise Http404
    return campaign


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.participations_of(request.user), 20).get_page(request.GET.get("page"))
    return render(
        request, "evaluation/mine.html", {"page": page, "keeps": can(request.user, Cap.MEETINGS), "active_tab": "work"}
    )


@login_required
def office(request: HttpRequest) -> HttpResponse:
    branches = queries.kept_branches(request.user)
    if not can(request.user, Cap.MEETINGS):
        raise PermissionDenied
    year = _year(request)
    q = request.GET.get("q", "").strip()[:40]
    if q:
        branches = branches.filter(name__contains=q)
    page = Paginator(branches, 30).get_page(request.GET.get("page"))
    campaigns = queries.campaigns_by_branch(list(page.object_list), year)
    rows = [(branch, campaigns.get(branch.pk)) for branch in page.object_list]
    follow_ups = queries.visible_follow_ups(request.user).filter(closed_on__isnull=True).order_by("opened_on")[:50]
    return render(
        request,
        "evaluation/office.html",
        {"page": page, "rows": rows, "year": year, "q": q, "follow_ups": follow_ups, "active_tab": "work"},
    )


def _save_campaign(request: HttpRequest, form: CampaignForm, save: Callable[[dict], Campaign]) -> Campaign | None:
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save(form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        refuse_on_form(form, exc)
    return None


@login_required
def create(request: HttpRequest, org_id: int) -> HttpResponse:
    org = get_object_or_404(queries.kept_branches(request.user), pk=org_id)
    today = clock.today()
    form = CampaignForm(
        request.POST or None,
        request.FILES or None,
        organisation=org,
        initial={
            "year": today.year,
            "title": _("%(year)s 年度民主评议党员") % {"year": today.year},
            "starts_on": today,
        },
    )

    def save(data: dict) -> Campaign:
        return services.create_campaign(
            request.user,
            org,
            year=data["year"],
            title=data["title"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            materials=data["materials"],
            meeting=data["meeting"],
            invited=org_queries.people_by_numbers(request.user, data["invited"]),
            files=request.FILES.getlist("files"),
        )

    campaign = _save_campaign(request, form, save)
    if campaign is not None:
        messages.success(request, _("民主评议已建立。开始测评后，党员将收到通知。"))
        return redirect("evaluation:detail", campaign.pk)
    return render(
        request, "evaluation/form.html", {"form": form, "title": _("组织民主评议"), "org": org, "active_tab": "work"}
    )


@login_required
def edit(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _kept(request, campaign_id)
    if not services.may_edit(campaign):
        raise Http404
    form = CampaignForm(
        request.POST or None,
        request.FILES or None,
        organisation=campaign.organisation,
        editing=True,
        initial={**campaign.__dict__, "meeting": campaign.meeting_id},
    )

    def save(data: dict) -> Campaign:
        return services.update_campaign(
            request.user,
            campaign,
            title=data["title"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            materials=data["materials"],
            meeting=data["meeting"],
            files=request.FILES.getlist("files"),
        )

    if _save_campaign(request, form, save) is not None:
        messages.success(request, _("评议安排已保存。"))
        return redirect("evaluation:detail", campaign.pk)
    del form.fields["invited"]
    return render(
        request,
        "evaluation/form.html",
        {"form": form, "title": _("修改评议安排"), "org": campaign.organisation, "active_tab": "work"},
    )


@login_required
def detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign, keeps, mine = _campaign_for(request, campaign_id)
    handed_in = queries.has_handed_in(campaign, request.user)
    participants = queries.participants_with_sheets(campaign) if keeps else None
    return render(
        request,
        "evaluation/detail.html",
        {
            "campaign": campaign,
            "keeps": keeps,
            "mine": mine,
            "handed_in": handed_in,
            "active_tab": "work",
            "attachments": campaign.attachments.all(),
            "participants": participants,
            "progress": queries.progress(campaign) if keeps else None,
            "self_form": SelfEvaluationForm(initial={"text": mine.self_evaluation})
            if services.may_self_evaluate(campaign, mine)
            else None,
        },
    )


def _act(
    request: HttpRequest, campaign_id: int, action: Callable[[Campaign], Any], done: str, *, keepers_only: bool = True
) -> HttpResponse:
    campaign, keeps, _mine = _campaign_for(request, campaign_id)
    if keepers_only and not keeps:
        raise Http404
    flash_outcome(request, lambda: action(campaign), done)
    return redirect("evaluation:detail", campaign.pk)


@login_required
@require_POST
def invite(request: HttpRequest, campaign_id: int) -> HttpResponse:
    def run(campaign: Campaign) -> int:
        invited = org_queries.people_by_numbers(request.user, request.POST.get("numbers", ""))
        return services.invite(request.user, campaign, invited)

    return _act(request, campaign_id, run, _("已邀请群众代表参加测评。"))


@login_required
@require_POST
def open_campaign(request: HttpRequest, campaign_id: int) -> HttpResponse:
    return _act(
        request,
        campaign_id,
        lambda campaign: services.open_campaign(request.user, campaign),
        _("测评已开始，已通知参评人员。"),
    )


@login_required
@require_POST
def close_campaign(request: HttpRequest, campaign_id: int) -> HttpResponse:
    return _act(
        request,
        campaign_id,
        lambda campaign: services.close_campaign(request.user, campaign),
        _("测评已结束，可以查看测评汇总并评定等次。"),
    )


@login_required
@require_POST
def self_evaluation(request: HttpRequest, campaign_id: int) -> HttpResponse:
    return _act(
        request,
        campaign_id,
        lambda campaign: services.write_self_evaluation(request.user, campaign, request.POST.get("text", "")),
        _("个人自评已保存。"),
        keepers_only=False,
    )


@sensitive_post_parameters()  # an error report must not show a sheet next to its grader
@login_required
def sheet(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The 测评表: one grade for each graded member but oneself, handed in once, anonymously."""
    campaign, _keeps, mine = _campaign_for(request, campaign_id)
    if mine is None:
        raise Http404
    gradees = services.gradees_for(request.user, campaign)
    chosen: dict[int, str] = {}
    problems: list[str] = []
    if request.method == "POST":
        chosen = {p.person_id: request.POST.get(f"grade-{p.person_id}", "") for p in gradees}
        try:
            services.submit_sheet(request.user, campaign, {k: v for k, v in chosen.items() if v})
        except (ValidationError, PermissionDenied) as exc:
            problems = _errors(exc)
        else:
            messages.success(request, _("测评表已提交，谢谢。测评不记名，任何人都看不到您的评定。"))
            return redirect("evaluation:detail", campaign.pk)
    rows = [(p, chosen.get(p.person_id, "")) for p in gradees]
    return render(
        request,
        "evaluation/sheet.html",
        {
            "campaign": campaign,
            "rows": rows,
            "grades": list(GRADES.items()),
            "problems": problems,
            "handed_in": queries.has_handed_in(campaign, request.user),
            "active_tab": "work",
        },
        status=400 if problems else 200,
    )


@login_required
def decide(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The branch committee proposes, the branch decides: the tally beside each member, grade and reason."""
    campaign = _kept(request, campaign_id)
    if services.report_ready(campaign) and not services.awaiting_decision(campaign):  # decided already
        return redirect("evaluation:report", campaign.pk)
    if not services.awaiting_decision(campaign):
        raise Http404
    problems: list[str] = []
    rows = queries.branch_report(campaign)
    posted: dict[int, tuple[str, str]] = {}
    if request.method == "POST":
        posted = {
            r.participant.person_id: (
                request.POST.get(f"grade-{r.participant.person_id}", ""),
                request.POST.get(f"reason-{r.participant.person_id}", ""),
            )
            for r in rows
        }
        final = request.POST.get("action") == "decide"
        try:
            (services.decide if final else services.propose_grades)(request.user, campaign, posted)
        except (ValidationError, PermissionDenied) as exc:
            problems = _errors(exc)
        else:
            messages.success(request, _("评议结果已确定并锁定。") if final else _("建议等次已保存。"))
            return redirect("evaluation:report" if final else "evaluation:decide", campaign.pk)
    share = services.excellent_share(campaign.organisation)
    lines = []
    for row in rows:
        p = row.participant
        grade, reason = posted.get(p.person_id, (p.proposed_grade, p.reason))
        lines.append({"row": row, "grade": grade, "reason": reason})
    return render(
        request,
        "evaluation/decide.html",
        {
            "campaign": campaign,
            "lines": lines,
            "grades": list(GRADES.items()),
            "problems": problems,
            "limit": services.rules.max_excellent(len(rows), share=share),
            "share": share,
            "active_tab": "work",
        },
        status=400 if problems else 200,
    )


@login_required
def report(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The branch's report: each graded member's tally and grade (after the 测评 closed)."""
    campaign = _kept(request, campaign_id)
    if not services.report_ready(campaign):
        raise Http404
    rows = queries.branch_report(campaign)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluation/report.html",
        {
            "campaign": campaign,
            "page": page,
            "chart": queries.report_chart(campaign, rows),
            "labels": list(GRADES.values()),
            "progress": queries.progress(campaign),
            "active_tab": "work",
            "follow_ups": queries.follow_ups_of(campaign),
        },
    )


@login_required
def material(request: HttpRequest, material_id: int) -> HttpResponse:
    found = queries.material_for(request.user, material_id)
    if found is None:
        raise Http404
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)


@login_required
def follow_up(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    found = get_object_or_404(queries.visible_follow_ups(request.user), pk=follow_up_id)
    form = FollowUpStepForm(request.POST or None, initial={"done_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.add_follow_up_step(request.user, found, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, _("已记录。"))
            return redirect("evaluation:follow_up", found.pk)
    return render(
        request,
        "evaluation/follow_up.html",
        {
            "follow_up": found,
            "steps": found.steps.select_related("recorded_by"),
            "active_tab": "work",
            "form": form if found.closed_on is None else None,
        },
    )


@login_required
def committee(request: HttpRequest) -> HttpResponse:
    """The committee's report for a year: counts per grade per branch; branches not decided are flagged."""
    if not can(request.user, Cap.MEETINGS):
        raise PermissionDenied
    year = _year(request)
    rows, totals = queries.committee_report(request.user, year)
    if request.GET.get("format") == "xlsx":
        record(request.user, actions.EVALUATION_REPORT_EXPORT, object_type="evaluation.campaign", object_repr=str(year))
        content = exports.committee_workbook(rows, totals, queries.yearly_stats(request.user))
        return attachment(content, f"民主评议党员-{year}.xlsx")
    pending = sum(1 for row in rows if not row.decided)
    only_pending = request.GET.get("pending") == "1"
    shown = [row for row in rows if not row.decided] if only_pending else rows
    return render(
        request,
        "evaluation/committee.html",
        {
            "page": Paginator(shown, 50).get_page(request.GET.get("page")),
            "year": year,
            "labels": list(GRADES.values()),
            "totals": [totals[code] for code in GRADES],
            "chart": queries.committee_chart(totals),
            "graded": sum(totals.values()),
            "pending": pending,
            "branches": len(rows),
            "only_pending": only_pending,
            "active_tab": "work",
        },
    )


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Cap.MEETINGS):
        raise PermissionDenied
    return render(
        request,
        "evaluation/stats.html",
        {"rows": queries.yearly_stats(request.user), "labels": list(GRADES.values()), "active_tab": "work"},
    )
