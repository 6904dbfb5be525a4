"""党员发展 pages: my progress, the branch board, a person's file with its timeline, recording a step."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from plaza.accounts.models import PoliticalStatus
from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock, listing
from plaza.lib.formpage import form_page
from plaza.lib.http import attachment
from plaza.lib.params import choice_param, int_list, int_param, year_param
from plaza.lib.refusals import refuse_on_form
from plaza.orgs import queries as org_queries
from plaza.orgs.permissions import Cap, Scope, can
from plaza.rules import recruitment
from plaza.rules.recruitment import Step

from . import exports, queries, services
from .forms import ApplicationForm, LeavingForm, MeetingForm, OpenForm, ReportForm, StepForm
from .imports import import_pipelines
from .pdf import recruitment_file


def _today():  # noqa: ANN202
    return clock.today()


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    pipeline = queries.latest_pipeline(request.user)
    if pipeline is None:
        raise Http404
    return render(
        request,
        "recruitment/detail.html",
        {
            "pipeline": pipeline,
            "timeline": queries.timeline(pipeline, _today()),
            "own": True,
            "active_tab": "work",
            "reports": pipeline.reports.all()[:20],
        },
    )


@login_required
def apply(request: HttpRequest) -> HttpResponse:
    """The person hands in their application to join the Party (step 1) from the phone: to their own branch
    when they are in one, otherwise to the branch they choose (their workplace's suggested). Every refusal is
    shown on the form, the letter kept."""
    if not services.may_apply(request.user):
        if request.user.political_status in PoliticalStatus.party_members():
            messages.info(request, _("您已经是党员，无需递交入党申请书。"))
        else:
            messages.info(request, _("您的入党申请已在发展程序中，请查看进度。"))
        if queries.has_pipeline(request.user):
            return redirect("recruitment:mine")
        return redirect("core:home")
    own = services.own_branch_for_application(request.user)
    posted = request.method == "POST"
    form = ApplicationForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        branches=None if own else services.branches_for_application(),
        suggested=None if own else services.workplace_branch(request.user),
    )
    if posted and form.is_valid():
        try:
            pipeline = services.apply(
                request.user,
                form.cleaned_data.get("branch"),
                letter=form.cleaned_data["letter"],
                document=form.cleaned_data["document"],
            )
        except (ValidationError, PermissionDenied) as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(
                request,
                _("入党申请书已递交%(branch)s，党组织将在一个月内派人与您谈话。") % {"branch": pipeline.branch.name},
            )
            return redirect("recruitment:mine")
    return render(
        request,
        "recruitment/form.html",
        {
            "form": form,
            "title": _("递交入党申请书"),
            "active_tab": "work",
            "note": _("您的申请将递交：%(branch)s") % {"branch": own.name}
            if own
            else _("您尚未编入党组织：请选择入党申请书递交的党支部，一般是您工作所在单位的党支部。"),
        },
    )


@login_required
@require_POST
def extend_approval(request: HttpRequest, pipeline_id: int) -> HttpResponse:
    pipeline = get_object_or_404(queries.visible_pipelines(request.user), pk=pipeline_id)
    try:
        services.extend_approval(request.user, pipeline, request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("审批期限已延长至支部大会通过后六个月。"))
    return redirect("recruitment:detail", pipeline.pk)


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """The person hands in a thought report (思想汇报)."""
    pipeline = queries.active_pipeline(request.user)
    if pipeline is None:
        raise Http404
    return form_page(
        request,
        ReportForm,
        "recruitment/form.html",
        save=lambda form: services.submit_report(request.user, pipeline, **form.cleaned_data),
        done=_("思想汇报已提交，党支部会及时阅读。"),
        next_url=reverse("recruitment:mine"),
        context={"title": _("提交思想汇报"), "active_tab": "work"},
    )


@login_required
@require_POST
def review(request: HttpRequest, report_id: int) -> HttpResponse:
    found = queries.visible_report(request.user, report_id)
    if found is None:
        raise Http404
    services.review_report(request.user, found, comment=request.POST.get("comment", "")[:2000])
    messages.success(request, _("已阅。"))
    return redirect("recruitment:detail", found.pipeline_id)


@login_required
def board(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Cap.RECRUIT):
        raise PermissionDenied
    branches = Scope.of(request.user, Cap.RECRUIT).organisations().filter(level="branch").order_by("path")
    branch_id = int_param(request, "branch")
    if branch_id and not branches.filter(pk=branch_id).exists():
        raise Http404
    q = request.GET.get("q", "").strip()[:32]
    overdue_only = request.GET.get("overdue") == "1"
    overview = None
    if (
        not (branch_id or q or overdue_only)
        and queries.visible_pipelines(request.user).filter(status="active").count() > queries.SUMMARY_ABOVE
    ):
        overview = queries.summary(request.user)
    columns = (
        []
        if overview is not None
        else queries.board(request.user, _today(), branch_id=branch_id, q=q, overdue_only=overdue_only)
    )
    meeting_branch = (
        branches.filter(pk=branch_id).first() if branch_id else (branches.first() if branches.count() == 1 else None)
    )
    meetings = []
    if meeting_branch is not None:
        for step, label in (
            (Step.ADMISSION_VOTE, _("支部大会：接收预备党员")),
            (Step.CONVERSION_VOTE, _("支部大会：讨论转正")),
        ):
            waiting = len(services.waiting_for_meeting(meeting_branch, step))
            if waiting:
                meetings.append((step, label, waiting))
    return render(
        request,
        "recruitment/board.html",
        {
            "columns": columns,
            "overview": overview,
            "meeting_branch": meeting_branch,
            "meetings": meetings,
            "stages": list(dict.fromkeys(s.stage for s in recruitment.STEPS)),
            "branches": branches[:500],
            "branch_id": branch_id,
            "q": q,
            "overdue_only": overdue_only,
            "can_plan": can(request.user, Cap.RECRUIT_COMMITTEE),
            "active_tab": "work",
        },
    )


#: The staff list (issue 14): its orders (?sort=; queries.list_rows sorts), its filters, its page length.
LIST_SORTS = listing.Sorts(
    ("due", gettext_lazy("期限"), ("due",)),
    ("name", gettext_lazy("姓名"), ("name",)),
    ("branch", gettext_lazy("党支部"), ("branch",)),
    ("stage", gettext_lazy("阶段"), ("stage",)),
    default="due",
)
LIST_DUE_LABELS = [("overdue", gettext_lazy("已逾期")), ("soon", gettext_lazy("30 天内到期"))]
LIST_PAGE = 50
#: The most people one bulk reminder takes (two pages' worth).
REMIND_MAX = 100


@login_required
def people(request: HttpRequest) -> HttpResponse:
    """党员发展名单: everyone in the procedure the viewer runs, as a table — narrowed to an organisation's
    subtree, a stage, a deadline, a name (htmx swaps only the table), sorted by the next deadline — and 提醒 for
    the ticked people's 培养联系人 and 入党介绍人: a POST shows who would be told what and why the others cannot
    be, the confirmed POST sends it."""
    if not can(request.user, Cap.RECRUIT):
        raise PermissionDenied
    today = _today()
    posted = request.method == "POST"
    source = request.POST if posted else request.GET
    scopes = queries.list_scopes(request.user)
    within_id = int_param(source, "org")
    within = scopes.filter(pk=within_id).first() if within_id else None
    confirming: dict[str, Any] | None = None
    if posted:
        picked, _more = queries.list_rows(request.user, today, ids=int_list(request.POST, "pick")[:REMIND_MAX])
        if not picked:
            messages.error(request, _("请先勾选要提醒的人员。"))
        elif request.POST.get("confirm") != "1":
            mentors = services.mentors_of([row.pipeline for row in picked])
            refusals = services.mentor_refusals(request.user, picked, mentors)
            confirming = {
                "ready": [(row, mentors[row.pipeline.pk]) for row in picked if row.pipeline.pk not in refusals],
                "refused": [(row, refusals[row.pipeline.pk]) for row in picked if row.pipeline.pk in refusals],
            }
        else:
            done, refused = services.remind_mentors(request.user, picked, today)
            if done:
                messages.success(request, _("已提醒 %(n)s 人的培养联系人和入党介绍人。") % {"n": len(done)})
            names = {row.pipeline.pk: row.pipeline.person.name for row in picked}
            for pk, why in refused.items():
                messages.error(request, _("%(name)s 未提醒：%(why)s") % {"name": names[pk], "why": why})
            return redirect(request.path + (f"?org={within.pk}" if within else ""))
    stage = int_param(request, "stage", None, minimum=0, maximum=len(recruitment.STAGES) - 1)
    due = choice_param(request, "due", queries.LIST_DUES)
    search = listing.search_text(request.GET)
    sort = LIST_SORTS.read(request.GET)
    rows, truncated = queries.list_rows(
        request.user, today, within=within, stage=stage, search=search, due=due, order=sort.value
    )
    context = {
        "page": Paginator(rows, LIST_PAGE).get_page(request.GET.get("page")),
        "truncated": truncated,
        "limit": queries.LIST_LIMIT,
        "today": today,
        "scopes": scopes[:500],
        "within": within,
        "stages": list(enumerate(recruitment.STAGES)),
        "stage": stage,
        "due": due,
        "dues": LIST_DUE_LABELS,
        "q": search,
        "sort": sort,
        "confirming": confirming,
        "bulk_actions": [("remind", _("提醒所选人员的培养联系人和入党介绍人"))],
        "active_tab": "work",
    }
    if request.htmx and not posted:
        return render(request, "recruitment/_list.html", context)
    return render(request, "recruitment/list.html", context)


@login_required
def overrides(request: HttpRequest) -> HttpResponse:
    """Every step recorded over a rule's refusal, newest first, within what the viewer may see."""

    if not can(request.user, Cap.RECRUIT):
        raise PermissionDenied
    page = Paginator(queries.overridden_steps(request.user), 30).get_page(request.GET.get("page"))
    corrections = org_queries.status_corrections(request.user)  # 政治面貌 corrected by committee staff, with reason
    return render(
        request, "recruitment/overrides.html", {"page": page, "corrections": corrections, "active_tab": "work"}
    )


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Cap.RECRUIT):
        raise PermissionDenied
    data = queries.statistics(request.user, _today())
    if request.GET.get("format") == "xlsx":
        record(request.user, actions.RECRUITMENT_STATS_EXPORT, object_type="recruitment.pipeline")
        return attachment(exports.statistics_workbook(data), f"党员发展统计-{_today():%Y%m%d}.xlsx")
    chart = {
        "stages": data["stages"],
        "totals": data["totals"],
        "years": data["years"],
        "admissions": data["admissions"],
        "conversions": data["conversions"],
    }
    return render(
        request,
        "recruitment/stats.html",
        {
            **data,
            "chart": chart,
            "active_tab": "work",
            "year_rows": list(zip(data["years"], data["plans"], data["admissions"], data["conversions"], strict=True)),
            "stage_days": list(zip(data["stages"], data["days_per_stage"], strict=True)),
        },
    )


@login_required
def plans(request: HttpRequest) -> HttpResponse:
    """发展计划: the committee sets each branch's yearly plan; the table shows plan against admissions."""

    scope = Scope.of(request.user, Cap.RECRUIT_COMMITTEE)
    if scope.is_empty:
        raise PermissionDenied
    year = year_param(request if request.GET.get("year") else request.POST, "year", _today().year)
    branches = scope.organisations().filter(level="branch").order_by("path")
    if request.method == "POST":
        branch = get_object_or_404(branches, pk=int_param(request.POST, "branch", 0))
        try:
            services.set_plan(
                request.user, branch, year, int(request.POST.get("planned", "")), request.POST.get("note", "")[:200]
            )
        except (ValueError, ValidationError):
            messages.error(request, _("计划人数应为 0 到 1000 的整数。"))
        else:
            saved = _("已保存 %(branch)s %(year)s 年的发展计划。") % {"branch": branch.name, "year": year}
            messages.success(request, saved)
        return redirect(f"{request.path}?year={year}")
    rows = queries.plan_rows(branches, year)
    return render(request, "recruitment/plans.html", {"rows": rows, "year": year, "active_tab": "work"})


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    """Import people already in the procedure with their past step dates (组织部)."""

    if not can(request.user, Cap.RECRUIT_COMMITTEE):
        raise PermissionDenied
    if request.GET.get("template"):
        return attachment(exports.import_template(), "发展档案导入模板.xlsx")
    result = None
    if request.method == "POST" and request.FILES.get("file"):
        result = import_pipelines(request.user, request.FILES["file"])
    return render(request, "recruitment/import.html", {"result": result, "active_tab": "work"})


@login_required
def detail(request: HttpRequest, pipeline_id: int) -> HttpResponse:
    pipeline = get_object_or_404(queries.visible_pipelines(request.user), pk=pipeline_id)
    return render(
        request,
        "recruitment/detail.html",
        {
            "pipeline": pipeline,
            "timeline": queries.timeline(pipeline, _today()),
            "next_steps": services.next_steps(pipeline),
            "active_tab": "work",
            "reports": pipeline.reports.all()[:20],
            "can_extend_approval": services.may_extend_approval(request.user, pipeline),
            "leaving_notice": services.leaving_notice(pipeline, _today()),
            "leaving_form": LeavingForm(initial={"leaves_on": pipeline.leaves_on})
            if services.may_set_leaving_date(request.user, pipeline)
            else None,
        },
    )


@login_required
@require_POST
def set_leaving(request: HttpRequest, pipeline_id: int) -> HttpResponse:
    pipeline = get_object_or_404(queries.visible_pipelines(request.user), pk=pipeline_id)
    form = LeavingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("日期格式不正确。"))
    else:
        try:
            services.set_leaving_date(request.user, pipeline, form.cleaned_data["leaves_on"])
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("已保存预计调离日期。"))
    return redirect("recruitment:detail", pipeline.pk)


@login_required
def meeting(request: HttpRequest, branch_id: int, step: int) -> HttpResponse:
    """支部大会 for several applicants at once, voted one at a time (step 15: admission, 23: conversion)."""
    if step not in services.VOTE_STEPS:
        raise Http404
    branch = get_object_or_404(Scope.of(request.user, Cap.RECRUIT).organisations(), pk=branch_id)
    waiting = services.waiting_for_meeting(branch, step)
    posted = request.method == "POST"
    form = MeetingForm(
        request.POST if posted else None, request.FILES if posted else None, step=step, pipelines=waiting
    )
    row_errors: dict[int, list[str]] = {}
    if posted and form.is_valid():
        data = form.cleaned_data
        votes = [
            services.Vote(
                p,
                yes=data[f"yes_{p.pk}"],
                outcome=data.get(f"outcome_{p.pk}") or "",
                extension_months=data.get(f"extension_{p.pk}") or 0,
            )
            for p in data["chosen"]
        ]
        try:
            entries = services.record_branch_meeting(
                request.user,
                branch,
                step,
                data["done_on"],
                entitled=data["entitled"],
                present=data["present"],
                votes=votes,
                note=data["note"],
                document=data.get("document"),
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                row_errors = {int(pk): msgs for pk, msgs in exc.message_dict.items()}
                form.add_error(
                    None,
                    _("有 %(n)s 人未能记录，全部未保存；请按各人下方的原因修改或取消勾选后再提交。")
                    % {"n": len(row_errors)},
                )
            else:
                refuse_on_form(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("您没有权限。"))
        else:
            messages.success(request, _("已逐个记录 %(n)s 人的支部大会表决。") % {"n": len(entries)})
            return redirect(f"{reverse('recruitment:board')}?branch={branch.pk}")
    rows = form.rows()
    for row in rows:
        row["errors"] = row_errors.get(row["pipeline"].pk, [])
    return render(
        request,
        "recruitment/meeting.html",
        {
            "form": form,
            "rows": rows,
            "branch": branch,
            "step": recruitment.step(step),
            "active_tab": "work",
            "title": _("支部大会：接收预备党员") if step == Step.ADMISSION_VOTE else _("支部大会：讨论预备党员转正"),
        },
    )


@login_required
def document(request: HttpRequest, record_id: int) -> HttpResponse:
    """A step's document, for the branch, the committee and the person; downloads are audited."""

    found = queries.step_record_for(request.user, record_id)
    if found is None or not found.document:
        raise Http404
    record(request.user, actions.RECRUITMENT_DOCUMENT, found.pipeline, after={"step": found.step})
    return FileResponse(found.document.open("rb"), as_attachment=True, filename=found.document.name.rsplit("/", 1)[-1])


@login_required
def file_pdf(request: HttpRequest, pipeline_id: int) -> HttpResponse:
    """入党材料档案 as a PDF, for the branch, the committee and the person themselves; every download audited."""

    pipeline = queries.pipeline_for(request.user, pipeline_id)
    if pipeline is None:
        raise Http404
    record(request.user, actions.RECRUITMENT_FILE_PDF, pipeline)
    return attachment(recruitment_file(pipeline, _today()), f"入党材料档案-{pipeline.person.name}.pdf")


@login_required
def open_pipeline(request: HttpRequest) -> HttpResponse:
    scope = Scope.of(request.user, Cap.RECRUIT)
    if scope.is_empty:
        raise PermissionDenied
    form = OpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = org_queries.visible_people(request.user).filter(employee_no=form.cleaned_data["employee_no"]).first()
        branch = org_queries.party_branch_of(person) if person else None
        if person is None or branch is None:
            form.add_error("employee_no", _("在您的管理范围内没有这个工号，或此人尚未编入党组织。"))
        else:
            try:
                pipeline = services.open_pipeline(
                    request.user,
                    person,
                    branch,
                    applied_on=form.cleaned_data["applied_on"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                refuse_on_form(form, exc)
            else:
                messages.success(request, _("已建立 %(name)s 的入党培养档案。") % {"name": person.name})
                return redirect("recruitment:detail", pipeline.pk)
    return render(request, "recruitment/form.html", {"form": form, "title": _("登记入党申请"), "active_tab": "work"})


@login_required
def record_step(request: HttpRequest, pipeline_id: int, step: int) -> HttpResponse:
    if not min(Step) <= step <= max(Step):
        raise Http404
    pipeline = queries.pipeline_to_record(request.user, pipeline_id, step)
    if pipeline is None:
        raise Http404
    own = pipeline.person_id == request.user.pk and step in services.SELF_STEPS  # back to "my progress" after
    can_override = Scope.of(request.user, Cap.RECRUIT_COMMITTEE).covers(pipeline.branch)
    form = StepForm(request.POST or None, request.FILES or None, step=step, can_override=can_override)
    meta = recruitment.step(step)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            people = services.people_from_numbers(request.user, re.split(r"[\s,，、]+", data.get("people", "")))
            entry = services.record_step(
                request.user,
                pipeline,
                step,
                data["done_on"],
                people=people,
                note=data["note"],
                entitled=data.get("entitled"),
                present=data.get("present"),
                yes=data.get("yes"),
                outcome=data.get("outcome", ""),
                extension_months=data.get("extension_months") or 0,
                hours=data.get("hours"),
                days=data.get("days"),
                override_reason=data.get("override_reason", ""),
                document=data.get("document"),
                details=_step_details(step, data),
            )
        except (ValidationError, PermissionDenied) as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                form.add_error(None, message)
        else:
            messages.success(request, _("已记录第%(n)s步「%(name)s」。") % {"n": step, "name": meta.name})
            for warning in entry.warnings:
                messages.warning(request, warning)
            return redirect("recruitment:mine") if own else redirect("recruitment:detail", pipeline.pk)
    return render(
        request,
        "recruitment/form.html",
        {
            "form": form,
            "title": _("第%(n)s步：%(name)s") % {"n": step, "name": meta.name},
            "step": meta,
            "pipeline": pipeline,
            "active_tab": "work",
        },
    )


def _step_details(step: int, data: dict) -> dict:
    if step != Step.ACTIVIST:
        return {}
    return {
        "recommendation": data.get("recommendation") or [],
        "recommended_on": data.get("recommended_on"),
        "decision": data.get("decision", ""),
    }
