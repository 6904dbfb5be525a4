"""学习 pages: the article list and reading page (with the 阅读豆 endpoint), required reading, the resource
library, search and study plans; and the staff pages (articles, completion with Excel export, resources, plans
and their progress). Thin: every write is a service call; every lookup stays inside what the viewer may see, and
in the office inside what they may manage (``queries.managed_*``): anything else is 404, as in other apps."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib.http import attachment
from plaza.lib.params import int_param
from plaza.lib.refusals import flash_outcome, refuse_on_form
from plaza.lib.refusals import messages_of as _errors
from plaza.orgs.permissions import Cap, Scope, can
from plaza.points import queries as points_queries
from plaza.points.services import reading_min_seconds

from . import exports, queries, services
from . import search as searching
from .forms import ArticleForm, PlanForm, PlanItemForm, ResourceForm
from .markup import render_body
from .models import Article

TAB = "learn"
FROM_ABOVE_SHOWN = 50


def _staff(request: HttpRequest) -> None:
    if not can(request.user, Cap.LEARNING):
        raise PermissionDenied


def _article_for(request: HttpRequest, article_id: int) -> Article:
    return get_object_or_404(queries.articles_for(request.user), pk=article_id)


def _choices(request: HttpRequest) -> dict[str, Any]:
    """What the staff forms offer: only organisations inside the staff member's scope, and whether "nobody
    chosen" (everyone) is theirs to pick."""
    return {
        "organisations": Scope.of(request.user, Cap.LEARNING).organisations().order_by("path"),
        "everyone": queries.enterprise_wide(request.user),
    }


def _withdraw_or_restore(request: HttpRequest, action: Any, found: Any) -> None:
    """Run a withdraw service (or its restore, when the form sends ``restore=1``) and flash what came of it: the
    service's refusal (e.g. already withdrawn) or what was done."""
    restore = request.POST.get("restore") == "1"
    flash_outcome(
        request,
        lambda: action(request.user, found, withdraw=not restore),
        _("已恢复“%(t)s”。") % {"t": found} if restore else _("已撤回“%(t)s”。") % {"t": found},
    )


# ------------------------------------------------------------------------------------------ reading


@login_required
def index(request: HttpRequest) -> HttpResponse:
    articles = queries.articles_for(request.user)
    category = int_param(request, "category")
    if category is not None:
        articles = articles.filter(category_id=category)
    page = Paginator(articles, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/index.html",
        {
            "page": page,
            "categories": queries.categories(),
            "category": category,
            "active_tab": TAB,
            "staff": can(request.user, Cap.LEARNING),
        },
    )


@login_required
def article(request: HttpRequest, article_id: int) -> HttpResponse:
    """The reading page: serving it starts a reading session on the server."""
    found = _article_for(request, article_id)
    session = services.start_reading(request.user, found)
    body = render_body(found.body, found.body_format)
    return render(
        request,
        "learning/article.html",
        {
            "article": found,
            "body": body,
            "session": session,
            "files": found.files.all(),
            "completed": found.completions.filter(person=request.user).first(),
            # once granted, the page neither counts down nor offers them again (they are once per article)
            "beans_granted": points_queries.reading_beans_granted(request.user, f"article:{found.pk}"),
            "min_seconds": reading_min_seconds(),  # the page counts it down; the server times it again
            "active_tab": TAB,
        },
    )


@login_required
@require_POST
def read(request: HttpRequest, article_id: int) -> HttpResponse:
    """The phone reports how far the reader got; answers what was granted or why not."""
    found = _article_for(request, article_id)
    try:
        outcome = services.finish_reading(
            request.user, found, request.POST.get("session"), request.POST.get("progress", "0")
        )
    except ValidationError as exc:
        outcome, error = None, "；".join(_errors(exc))
    else:
        error = ""
    if request.headers.get("HX-Request") or request.headers.get("X-Requested-With"):
        return render(
            request, "learning/_beans.html", {"outcome": outcome, "error": error}, status=400 if error else 200
        )
    if error:
        messages.error(request, error)
    elif outcome.granted:
        messages.success(request, outcome.message)
    else:
        messages.info(request, outcome.message)
    return redirect("learning:article", found.pk)


@login_required
def article_file(request: HttpRequest, article_id: int, file_id: int) -> HttpResponse:
    found = _article_for(request, article_id)
    attached = get_object_or_404(found.files, pk=file_id)
    return FileResponse(attached.file.open("rb"), as_attachment=True, filename=attached.name)


@login_required
def required(request: HttpRequest) -> HttpResponse:
    return render(request, "learning/required.html", {"rows": queries.required_for(request.user), "active_tab": TAB})


@login_required
def search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    hits = searching.search(request.user, q) if q else []
    return render(request, "learning/search.html", {"q": q, "hits": hits, "active_tab": TAB})


# ------------------------------------------------------------------------------------------ resources


@login_required
def resources(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    found = queries.resources_for(request.user, q)
    category = int_param(request, "category")
    if category is not None:
        found = found.filter(category_id=category)
    page = Paginator(found, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/resources.html",
        {"page": page, "q": q, "categories": queries.categories(), "category": category, "active_tab": TAB},
    )


@login_required
def download(request: HttpRequest, resource_id: int) -> HttpResponse:
    found = get_object_or_404(queries.resources_for(request.user), pk=resource_id)
    services.download(request.user, found)
    name = found.file.name.rsplit("/", 1)[-1]
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=name)


# ------------------------------------------------------------------------------------------ plans


@login_required
def plans(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.plans_for(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "learning/plans.html", {"page": page, "active_tab": TAB})


@login_required
def plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    found = get_object_or_404(queries.plans_for(request.user), pk=plan_id)
    states = queries.plan_items_for(found, request.user)
    return render(
        request,
        "learning/plan.html",
        {"plan": found, "states": states, "done": sum(1 for s in states if s.done_on), "active_tab": TAB},
    )


@login_required
@require_POST
def tick(request: HttpRequest, plan_id: int, plan_item_id: int) -> HttpResponse:
    found = get_object_or_404(queries.plans_for(request.user), pk=plan_id)
    item = queries.plan_item(found, plan_item_id)
    if item is None:
        raise Http404
    try:
        services.tick_item(request.user, item)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(_errors(exc)))
    else:
        messages.success(request, _("已完成：%(t)s") % {"t": item.title})
    return redirect("learning:plan", found.pk)


# ------------------------------------------------------------------------------------------ staff


def _form_page(request: HttpRequest, form, title: str, **extra) -> HttpResponse:  # noqa: ANN001, ANN003
    return render(request, "learning/form.html", {"form": form, "title": title, "active_tab": TAB, **extra})


@login_required
def office(request: HttpRequest) -> HttpResponse:
    _staff(request)
    q = request.GET.get("q", "").strip()[:60]
    articles = queries.managed_articles(request.user)
    if q:
        articles = articles.filter(title__icontains=q)
    page = Paginator(articles, 30).get_page(request.GET.get("page"))
    from_above = (
        queries.followed_articles(request.user)
        .exclude(pk__in=queries.managed_articles(request.user).values("pk"))
        .order_by("-publish_at")[:FROM_ABOVE_SHOWN]
    )
    return render(request, "learning/office.html", {"page": page, "q": q, "from_above": from_above, "active_tab": TAB})


@login_required
@require_POST
def withdraw(request: HttpRequest, article_id: int) -> HttpResponse:
    """Withdraw an article from readers, or show it again."""
    _staff(request)
    found = get_object_or_404(queries.managed_articles(request.user), pk=article_id)
    _withdraw_or_restore(request, services.withdraw_article, found)
    return redirect("learning:office")


@login_required
def article_form(request: HttpRequest, article_id: int | None = None) -> HttpResponse:
    _staff(request)
    instance = get_object_or_404(queries.managed_articles(request.user), pk=article_id) if article_id else None
    form = ArticleForm(request.POST or None, request.FILES or None, instance=instance, **_choices(request))
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_article(request.user, instance, form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, _("文章“%(t)s”已保存。") % {"t": saved.title})
            return redirect("learning:office")
    return _form_page(
        request,
        form,
        _("编辑文章") if instance else _("发布文章"),
        multipart=True,
        rich=True,
        files=instance.files.all() if instance else [],
    )


@login_required
def completion(request: HttpRequest, article_id: int) -> HttpResponse:
    _staff(request)
    # One's own articles (withdrawn ones too), or a 必学 set from above that reaches one's people.
    found = queries.managed_articles(request.user).filter(pk=article_id).first() or get_object_or_404(
        queries.followed_articles(request.user), pk=article_id
    )
    branches, people = queries.completion(found, request.user)
    if request.GET.get("format") == "xlsx":
        record(request.user, actions.LEARNING_COMPLETION_EXPORT, found, after={"people": len(people)})
        return attachment(exports.completion_workbook(branches, people), f"必学完成情况-{found.title[:30]}.xlsx")
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    done = sum(1 for p in people if p.done_on)
    return render(
        request,
        "learning/completion.html",
        {"article": found, "branches": branches, "page": page, "done": done, "total": len(people), "active_tab": TAB},
    )


@login_required
def office_resources(request: HttpRequest) -> HttpResponse:
    _staff(request)
    page = Paginator(queries.managed_resources(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "learning/office_resources.html", {"page": page, "active_tab": TAB})


@login_required
@require_POST
def withdraw_resource(request: HttpRequest, resource_id: int) -> HttpResponse:
    """Take a resource out of the library, or put it back."""
    _staff(request)
    found = get_object_or_404(queries.managed_resources(request.user), pk=resource_id)
    _withdraw_or_restore(request, services.withdraw_resource, found)
    return redirect("learning:office_resources")


@login_required
def resource_form(request: HttpRequest, resource_id: int | None = None) -> HttpResponse:
    _staff(request)
    instance = get_object_or_404(queries.managed_resources(request.user), pk=resource_id) if resource_id else None
    form = ResourceForm(request.POST or None, request.FILES or None, instance=instance, **_choices(request))
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "file": request.FILES.get("file")}
        try:
            saved = services.save_resource(request.user, instance, data)
        except (ValidationError, PermissionDenied) as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, _("资料“%(t)s”已保存。") % {"t": saved.title})
            return redirect("learning:office_resources")
    return _form_page(request, form, _("编辑资料") if instance else _("上传资料"), multipart=True)


@login_required
def office_plans(request: HttpRequest) -> HttpResponse:
    _staff(request)
    page = Paginator(queries.managed_plans(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "learning/office_plans.html", {"page": page, "active_tab": TAB})


@login_required
@require_POST
def withdraw_plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Take a study plan away from its members, or give it back."""
    _staff(request)
    found = get_object_or_404(queries.managed_plans(request.user), pk=plan_id)
    _withdraw_or_restore(request, services.withdraw_plan, found)
    if request.POST.get("next") == "progress":  # the button on the plan's own page brings the staff back there
        return redirect("learning:plan_progress", found.pk)
    return redirect("learning:office_plans")


@login_required
def plan_form(request: HttpRequest, plan_id: int | None = None) -> HttpResponse:
    _staff(request)
    instance = get_object_or_404(queries.managed_plans(request.user), pk=plan_id) if plan_id else None
    form = PlanForm(request.POST or None, instance=instance, **_choices(request))
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_plan(request.user, instance, form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, _("学习计划“%(t)s”已保存。") % {"t": saved.title})
            return redirect("learning:plan_progress", saved.pk)
    return _form_page(request, form, _("编辑学习计划") if instance else _("新建学习计划"))


@login_required
def item_form(request: HttpRequest, plan_id: int) -> HttpResponse:
    _staff(request)
    found = get_object_or_404(queries.managed_plans(request.user), pk=plan_id)
    form = PlanItemForm(request.POST or None, initial={"due_on": found.ends_on})
    if request.method == "POST" and form.is_valid():
        try:
            services.add_item(request.user, found, form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, _("已添加学习内容。"))
            return redirect("learning:plan_progress", found.pk)
    return _form_page(request, form, _("添加学习内容：%(t)s") % {"t": found.title})


@login_required
def plan_progress(request: HttpRequest, plan_id: int) -> HttpResponse:
    _staff(request)
    found = get_object_or_404(queries.managed_plans(request.user), pk=plan_id)
    branches, people, total = queries.plan_progress(found, request.user)
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/plan_progress.html",
        {
            "plan": found,
            "items": found.items.select_related("article", "resource"),
            "branches": branches,
            "page": page,
            "total": total,
            "active_tab": TAB,
        },
    )
