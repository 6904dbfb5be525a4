from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from plaza.lib import clock
from plaza.lib.sections import SECTIONS, functions_for
from plaza.notify import queries as notify_queries
from plaza.orgs.permissions import Cap, can


@login_required
def home(request: HttpRequest) -> HttpResponse:
    person = request.user
    return render(
        request,
        "core/home.html",
        {
            "todos": notify_queries.open_todos(person)[:5],
            "notifications": notify_queries.inbox(person)[:5],
            "sections": [(key, label, functions_for(key, person)[:4]) for key, label in SECTIONS.items()],
            "today": clock.today(),
            "active_tab": "home",
        },
    )


@login_required
def section(request: HttpRequest, section: str) -> HttpResponse:
    if section not in SECTIONS:
        raise Http404
    return render(
        request,
        "core/section.html",
        {
            "section": section,
            "title": SECTIONS[section],
            "functions": functions_for(section, request.user),
            "active_tab": section,
        },
    )


def office_links(request: HttpRequest) -> list[tuple[str, str, str]]:
    """The back office's entries the viewer may open, each checked the way its page checks it: the Django
    admin only when it has something for them (``is_staff`` alone opens its "no permission" page)."""

    person = request.user
    links = []
    if can(person, Cap.VIEW_PEOPLE):
        links.append(("orgs:tree", _("组织架构"), _("浏览组织树与各级人数")))
        links.append(("orgs:people", _("人员花名册"), _("搜索、筛选、导出人员")))
    if can(person, Cap.IMPORT):
        links.append(("orgs:import", _("Excel 导入"), _("批量导入组织与人员，逐行校验")))
    if can(person, Cap.VIEW_AUDIT):
        links.append(("audit:list", _("审计日志"), _("谁在何时改了什么")))
    if person.is_active and person.is_staff and admin.site.get_app_list(request):
        links.append(("admin:index", _("系统管理"), _("账号、参数与基础数据")))
    return links


@login_required
def office(request: HttpRequest) -> HttpResponse:
    """The back office landing page: what the viewer may manage."""
    links = office_links(request)
    if not links:
        raise Http404
    return render(request, "core/office.html", {"links": links, "active_tab": "me"})


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})
