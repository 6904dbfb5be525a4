"""我的消息, 我的待办 and message preferences: a person's own things only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plaza.lib import clock
from plaza.lib.params import int_list

from . import queries, services
from .forms import PreferenceForm


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.inbox(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "notify/inbox.html", {"page": page, "active_tab": "interact"})


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    ids = int_list(request.POST, "id")
    services.mark_read(request.user, ids if ids else None)
    # A plain form post and a redirect: the inbox loads no htmx (17 KB on a weak signal, issue 21) for what
    # would only have refreshed the page anyway.
    return redirect("notify:inbox")


@login_required
def todos(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "notify/todos.html",
        {
            "todos": queries.open_todos(request.user),
            "reminders": queries.upcoming_reminders(request.user),
            "today": clock.today(),
            "active_tab": "work",
        },
    )


@login_required
@require_POST
def complete(request: HttpRequest, task_id: int) -> HttpResponse:
    if not services.complete_task(request.user, task_id):
        raise Http404
    messages.success(request, _("已完成。"))
    return redirect("notify:todos")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    current = services.preference_of(request.user)
    form = PreferenceForm(
        request.POST or None,
        initial={"email": current.email, "wecom": current.wecom, "muted_kinds": current.muted_kinds},
    )
    if request.method == "POST" and form.is_valid():
        services.set_preferences(request.user, **form.cleaned_data)
        messages.success(request, _("消息偏好已保存。"))
        return redirect("notify:preferences")
    return render(request, "notify/preferences.html", {"form": form, "active_tab": "me"})
