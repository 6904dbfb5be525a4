from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from plaza.learning import queries as learning_queries
from plaza.lib import clock
from plaza.lib.sections import SECTIONS, functions_for, office_functions
from plaza.notify import queries as notify_queries
from plaza.orgs.queries import office_links

BANNER_SIZE = 3


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Home by role: everyone sees their to-dos, news and the four sections (their own functions); staff see
    their work first (to-do counts, their back-office functions, the back office one tap away)."""
    person = request.user
    today = clock.today()
    office = office_functions(person)
    office_entry = bool(office or office_links(request))
    return render(
        request,
        "core/home.html",
        {
            "todos": notify_queries.open_todos(person)[:5],
            "notifications": notify_queries.inbox(person)[:5],
            # the banner: pinned news with its cover (issue 14), three at most
            "banner": list(learning_queries.articles_for(person).filter(pinned=True)[:BANNER_SIZE]),
            "sections": [(key, label, functions_for(key, person, office=False)[:4]) for key, label in SECTIONS.items()],
            "staff": office_entry,
            "office_functions": office,
            "counts": notify_queries.todo_counts(person, today) if office_entry else None,
            "today": today,
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
            "functions": functions_for(section, request.user, office=False),
            "office_functions": functions_for(section, request.user, office=True),
            "active_tab": section,
        },
    )


@login_required
def office(request: HttpRequest) -> HttpResponse:
    """The back office landing page: what the viewer may manage."""
    links = office_links(request)
    functions = office_functions(request.user)
    if not links and not functions:
        raise Http404
    return render(request, "core/office.html", {"links": links, "functions": functions, "active_tab": "me"})


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    """设置: the interface language, message preferences, password and the developer's API tokens, kept here
    instead of on every employee's 我的."""
    return render(request, "core/settings.html", {"active_tab": "me"})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: a form sent from a stale page, said in the reader's language with the way back
    (Django's own page is English and technical). ``reason`` is Django's English diagnosis, for the log only."""
    return render(request, "csrf_failure.html", {"reason": reason}, status=403)


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})
