from __future__ import annotations

from datetime import datetime, time

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from plaza.lib.params import parse_date
from plaza.orgs.permissions import Cap, can

from . import actions, chain, queries
from .visibility import visible_entries


@login_required
def entry_list(request: HttpRequest) -> HttpResponse:
    """The audit log for committee staff, filterable by who, what, object and date."""
    if not can(request.user, Cap.VIEW_AUDIT):
        raise PermissionDenied
    entries = visible_entries(request.user)  # about what and whom the viewer's scope covers (item 3)
    filters = {k: request.GET.get(k, "").strip() for k in ("actor", "action", "object", "start", "end")}
    if filters["actor"]:
        entries = entries.filter(actor_name__contains=filters["actor"])
    if filters["action"]:
        entries = entries.filter(action__startswith=filters["action"])
    if filters["object"]:
        entries = entries.filter(object_repr__contains=filters["object"])
    tz = timezone.get_current_timezone()
    if start := parse_date(filters["start"]):  # a real date in range, else no filter (never a 500)
        entries = entries.filter(at__gte=datetime.combine(start, time.min, tzinfo=tz))
    if end := parse_date(filters["end"]):
        entries = entries.filter(at__lte=datetime.combine(end, time.max, tzinfo=tz))
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    # every registered action by its label, and any older code still in the log by its code
    known = dict(actions.choices())
    logged = queries.logged_actions()
    action_choices = [*known.items(), *sorted((code, code) for code in set(logged) - known.keys())]
    return render(
        request,
        "audit/list.html",
        {
            "page": page,
            "filters": filters,
            "actions": action_choices,
            "active_tab": "me",
        },
    )


@login_required
def chain_check(request: HttpRequest) -> HttpResponse:
    """链式校验: walk the tamper-evident chains (audit log, points ledger, status changes) and name the first
    broken link. Verification reads every row, so it runs on a POST (the button), not on every visit."""
    if not (request.user.is_superuser or can(request.user, Cap.VIEW_AUDIT)):
        raise PermissionDenied
    results = chain.verify_all() if request.method == "POST" else None
    return render(request, "audit/chains.html", {"results": results, "active_tab": "me"})
