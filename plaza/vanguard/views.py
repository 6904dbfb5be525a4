"""支部先锋行动 pages: my projects, a project's page (targets, members, milestones, progress with photos,
documents, risks, results and review), the forms that write them, the board per branch and across the
committee with statistics and an Excel export; 党员先锋岗 and 责任区 with their commitments and yearly reviews."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock
from plaza.lib.formpage import form_page
from plaza.lib.http import attachment, private_picture
from plaza.lib.params import choice_param, text_param
from plaza.lib.refusals import flash_outcome
from plaza.lib.schemas import found_or_404
from plaza.orgs import queries as org_queries

from . import exports, queries, services
from .forms import (
    DocumentForm,
    MemberForm,
    MilestoneForm,
    PostForm,
    PostReviewForm,
    ProgressForm,
    ProjectForm,
    ResultsForm,
    ReviewForm,
    RiskForm,
    TargetForm,
)
from .models import Milestone, Post, Project, Status, Theme

FORM = "vanguard/form.html"


def _project(request: HttpRequest, project_id: int) -> Project:
    return found_or_404(queries.project_for(request.user, project_id))


def _form(request: HttpRequest, form_class, *, title: str, save, done, next_url, project=None, **kwargs):  # noqa: ANN001, ANN003, ANN202
    return form_page(
        request,
        form_class,
        FORM,
        save=save,
        done=done,
        next_url=next_url,
        context={"title": title, "project": project, "active_tab": "work"},
        form_kwargs=kwargs or None,
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    rows = queries.my_projects(request.user)
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "vanguard/index.html",
        {
            "page": page,
            "may_start": queries.branches_for(request.user).exists(),
            "active_tab": "work",
        },
    )


@login_required
def project(request: HttpRequest, project_id: int) -> HttpResponse:
    found = _project(request, project_id)
    user = request.user
    return render(
        request,
        "vanguard/project.html",
        {
            "project": found,
            "branches": services.owning_branches(found),
            "targets": found.targets.all(),
            "milestones": queries.milestone_rows(user, found),
            "progress": Paginator(queries.progress_of(found), 10).get_page(request.GET.get("page")),
            "documents": found.documents.select_related("uploaded_by"),
            "risks": found.risks.all(),
            "may_edit": services.may_edit(user, found),
            "may_log": services.may_log_progress(user, found),
            "may_submit": services.may_submit(user, found),
            "may_review": services.may_review(user, found),
            "active_tab": "work",
        },
    )


@login_required
def new_project(request: HttpRequest) -> HttpResponse:
    branches = queries.branches_for(request.user)
    if not branches.exists():
        raise PermissionDenied(_("只有支部书记可以发起先锋行动项目。"))

    def save(form: ProjectForm) -> Project:
        data = form.cleaned_data
        return services.start_project(
            request.user,
            data["branch"],
            services.ProjectData(
                data["title"], data["kind"], data["theme"], data["goal"], data["starts_on"], data["ends_on"]
            ),
            lead=data["lead"],
            partners=list(data["partners"]),
        )

    return _form(
        request,
        ProjectForm,
        title=_("发起先锋行动项目"),
        save=save,
        done=_("项目已发起，请添加指标、成员和节点。"),
        next_url=lambda p: reverse("vanguard:project", args=[p.pk]),
        branches=branches,
        partners=queries.partner_choices(request.user),
    )


def _back(project: Project) -> str:
    return reverse("vanguard:project", args=[project.pk])


@login_required
def add_target(request: HttpRequest, project_id: int) -> HttpResponse:
    found = _project(request, project_id)
    return _form(
        request,
        TargetForm,
        title=_("添加指标"),
        project=found,
        save=lambda f: services.add_target(request.user, found, **f.cleaned_data),
        done=_("指标已添加。"),
        next_url=_back(found),
    )


@login_required
def add_member(request: HttpRequest, project_id: int) -> HttpResponse:
    found = _project(request, project_id)
    return _form(
        request,
        MemberForm,
        title=_("添加成员"),
        project=found,
        save=lambda f: services.add_member(
            request.user, found, f.cleaned_data["person"], role=f.cleaned_data["role"], duty=f.cleaned_data["duty"]
        ),
        done=_("成员已添加。"),
        next_url=_back(found),
    )


@login_required
def add_milestone(request: HttpRequest, project_id: int) -> HttpResponse:
    found = _project(request, project_id)
    return _form(
        request,
        MilestoneForm,
        title=_("添加节点"),
        project=found,
        save=lambda f: services.add_milestone(request.user, found, **f.cleaned_data),
        done=_("节点已添加，负责人将收到待办和到期提醒。"),
        next_url=_back(found),
    )


@login_required
def add_risk(request: HttpRequest, project_id: int) -> HttpResponse:
    found = _project(request, project_id)
    return _form(
        request,
        RiskForm,
        title=_("登记风险"),
        project=found,
        save=lambda f: services.add_risk(request.user, found, **f.cleaned_data),
        done=_("风险已登记。"),
        next_url=_back(found),
    )


@login_required
def log_progress(request: HttpRequest, project_id: int) -> HttpResponse:
    found = _project(request, project_id)
    return _form(
        request,
        ProgressForm,
        title=_("记录进展"),
        project=found,
        save=lambda f: services.log_progress(
            request.user,
            found,
            text=f.cleaned_data["text"],
            photos=f.cleaned_data["photos"],
            milestone=f.cleaned_data["milestone"],
        ),
        done=_("进展已记录。"),
        next_url=_back(found),
        milestones=found.milestones.filter(done_on__isnull=True),
    )


@login_required
def add_document(request: HttpRequest, project_id: int) -> HttpResponse:
    found = _project(request, project_id)
    return _form(
        request,
        DocumentForm,
        title=_("上传文档"),
        project=found,
        save=lambda f: services.add_document(request.user, found, f.cleaned_data["file"]),
        done=_("文档已上传。"),
        next_url=_back(found),
    )


@login_required
def document(request: HttpRequest, project_id: int, document_id: int) -> HttpResponse:
    found = queries.document_for(_project(request, project_id), document_id)
    if found is None:
        raise Http404
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)


@login_required
def photo(request: HttpRequest, photo_id: int) -> HttpResponse:
    found = queries.photo_for(request.user, photo_id)
    if found is None:
        raise Http404
    return private_picture(found.image, max_age=86400)


@login_required
@require_POST
def complete_milestone(request: HttpRequest, project_id: int, milestone_id: int) -> HttpResponse:
    found = _project(request, project_id)
    milestone: Milestone | None = queries.milestone_for(found, milestone_id)
    if milestone is None:
        raise Http404
    flash_outcome(request, lambda: services.complete_milestone(request.user, milestone), _("节点已确认完成。"))
    return redirect(_back(found))


@login_required
@require_POST
def urge_milestone(request: HttpRequest, project_id: int, milestone_id: int) -> HttpResponse:
    found = _project(request, project_id)
    milestone: Milestone | None = queries.milestone_for(found, milestone_id)
    if milestone is None:
        raise Http404
    comment = text_param(request.POST, "comment", max_length=200)
    flash_outcome(
        request,
        lambda: services.urge(request.user, milestone, comment=comment),
        _("已督办：节点负责人和项目负责人已收到通知。"),
    )
    return redirect(_back(found))


@login_required
def submit(request: HttpRequest, project_id: int) -> HttpResponse:
    found = _project(request, project_id)
    return _form(
        request,
        ResultsForm,
        title=_("提交结项"),
        project=found,
        save=lambda f: services.submit_results(
            request.user,
            found,
            achieved=f.achieved(),
            result=f.cleaned_data["result"],
            savings=f.cleaned_data["savings"],
            value=f.cleaned_data["value"],
        ),
        done=_("结项材料已提交党委组织部评审。"),
        next_url=_back(found),
        targets=found.targets.all(),
    )


@login_required
def review(request: HttpRequest, project_id: int) -> HttpResponse:
    found = _project(request, project_id)
    return _form(
        request,
        ReviewForm,
        title=_("评审项目成果"),
        project=found,
        save=lambda f: services.review(
            request.user,
            found,
            grade=f.cleaned_data["grade"],
            comment=f.cleaned_data["comment"],
            points_each=f.cleaned_data["points"] or 0,
        ),
        done=_("评审已完成。"),
        next_url=_back(found),
    )


@login_required
def board(request: HttpRequest) -> HttpResponse:
    if not queries.managed_projects(request.user).exists() and not queries.branches_for(request.user).exists():
        raise PermissionDenied(_("只有支部书记和党委组织部可以查看先锋行动看板。"))
    status = choice_param(request, "status", Status.values)
    theme = choice_param(request, "theme", Theme.values)
    branches = queries.board_branches(request.user)
    branch_id = choice_param(request, "branch", [str(pk) for pk in branches.values_list("pk", flat=True)])
    branch = branches.filter(pk=int(branch_id)).first() if branch_id else None
    q = text_param(request, "q")
    found = queries.board(request.user, status=status, theme=theme, branch=branch, q=q)
    return render(
        request,
        "vanguard/board.html",
        {
            "board": found,
            "page": Paginator(found.rows, 20).get_page(request.GET.get("page")),
            "late": found.late[:30],
            "status": status,
            "theme": theme,
            "branches": org_queries.labelled(branches),
            "branch": branch,
            "q": q,
            "statuses": Status.choices,
            "themes": Theme.choices,
            "active_tab": "work",
        },
    )


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    if not queries.managed_projects(request.user).exists() and not queries.branches_for(request.user).exists():
        raise PermissionDenied(_("只有支部书记和党委组织部可以查看先锋行动统计。"))
    rows = queries.statistics(request.user)
    if request.GET.get("format") == "xlsx":
        record(request.user, actions.VANGUARD_STATS_EXPORT, object_type="vanguard.project")
        workbook = exports.statistics_workbook(rows, queries.managed_projects(request.user))
        return attachment(workbook, "先锋行动统计.xlsx")
    return render(
        request,
        "vanguard/stats.html",
        {"rows": rows, "chart": queries.theme_chart(rows), "active_tab": "work"},
    )


# ------------------------------------------------------------------------------------------ 先锋岗 / 责任区


@login_required
def posts(request: HttpRequest) -> HttpResponse:
    q = text_param(request, "q")
    rows = queries.posts(q=q)
    return render(
        request,
        "vanguard/posts.html",
        {
            "page": Paginator(rows, 20).get_page(request.GET.get("page")),
            "q": q,
            "may_add": queries.branches_for(request.user).exists(),
            "active_tab": "work",
        },
    )


@login_required
def post(request: HttpRequest, post_id: int) -> HttpResponse:
    found: Post | None = queries.post_for(request.user, post_id)
    if found is None:
        raise Http404
    may_review = services.may_review_post(request.user, found)
    if request.method == "POST" and may_review:
        return form_page(
            request,
            PostReviewForm,
            "vanguard/post.html",
            save=lambda f: services.review_post(request.user, found, **f.cleaned_data),
            done=_("年度评议已记录。"),
            next_url=reverse("vanguard:post", args=[found.pk]),
            context={"post": found, "may_review": True, "active_tab": "work"},
        )
    form = PostReviewForm(initial={"year": clock.today().year}) if may_review else None
    return render(
        request, "vanguard/post.html", {"post": found, "form": form, "may_review": may_review, "active_tab": "work"}
    )


@login_required
def new_post(request: HttpRequest) -> HttpResponse:
    branches = queries.branches_for(request.user)
    if not branches.exists():
        raise PermissionDenied(_("只有支部书记可以设立党员先锋岗和责任区。"))
    return _form(
        request,
        PostForm,
        title=_("设立党员先锋岗/责任区"),
        save=lambda f: services.save_post(request.user, **f.cleaned_data),
        done=_("已设立，承诺将向全体公示。"),
        next_url=lambda p: reverse("vanguard:post", args=[p.pk]),
        branches=branches,
    )
