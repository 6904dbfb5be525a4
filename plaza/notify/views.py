from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import queries


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.inbox(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "notify/inbox.html", {"page": page, "active_tab": "me"})


@login_required
def todos(request: HttpRequest) -> HttpResponse:
    return render(request, "notify/todos.html", {"todos": queries.open_todos(request.user), "active_tab": "work"})
