"""Pages for people and organisations: thin, everything scoped through ``queries`` and ``services``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from plaza.accounts.models import PoliticalStatus

from . import queries, services
from .models import Organisation
from .permissions import Cap, Scope, can


def _require(request: HttpRequest, cap: Cap) -> None:
    if not can(request.user, cap):
        raise PermissionDenied


@login_required
def my_organisation(request: HttpRequest) -> HttpResponse:
    """我的组织: the person's branch, group, union and league, with their officers to contact."""
    memberships = queries.memberships_of(request.user)
    return render(request, "orgs/mine.html", {
        "items": [(m, queries.officers_of(m.organisation)) for m in memberships],
        "active_tab": "work",
    })


@login_required
def tree(request: HttpRequest, org_id: int | None = None) -> HttpResponse:
    _require(request, Cap.VIEW_PEOPLE)
    node = None
    if org_id is not None:
        node = get_object_or_404(queries.visible_organisations(request.user), pk=org_id)
    ancestors = []
    if node is not None:
        scope = Scope.of(request.user, Cap.VIEW_PEOPLE)
        ancestors = [a for a in Organisation.objects.get_ancestors(node) if scope.covers(a)]
    return render(request, "orgs/tree.html", {
        "node": node,
        "ancestors": ancestors,
        "children": queries.children_with_counts(request.user, node),
        "officers": queries.officers_of(node) if node else [],
        "member_count": queries.subtree_member_count(node) if node else None,
        "active_tab": "work",
    })


@login_required
def people(request: HttpRequest) -> HttpResponse:
    _require(request, Cap.VIEW_PEOPLE)
    org = None
    if request.GET.get("org", "").isdigit():
        org = get_object_or_404(queries.visible_organisations(request.user), pk=int(request.GET["org"]))
    q = request.GET.get("q", "")[:64]
    status = request.GET.get("status", "")
    status = status if status in PoliticalStatus.values else ""
    roster = queries.roster(request.user, organisation=org, q=q, status=status)
    page = Paginator(roster, 20).get_page(request.GET.get("page"))
    template = "orgs/_people_rows.html" if request.htmx else "orgs/people.html"
    return render(request, template, {
        "page": page, "org": org, "q": q, "status": status, "statuses": PoliticalStatus.choices,
        "can_export": can(request.user, Cap.EXPORT_PEOPLE),
        "active_tab": "work",
    })


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    _require(request, Cap.VIEW_PEOPLE)
    person = get_object_or_404(queries.visible_people(request.user), pk=person_id)
    return render(request, "orgs/person.html", {
        "person": person,
        "memberships": queries.memberships_of(person),
        "positions": queries.positions_of(person),
        "history": person.status_changes.all(),
        "can_reveal": Scope.of(request.user, Cap.VIEW_PERSONAL).covers_person(person),
        "active_tab": "work",
    })


@login_required
@require_POST
def reveal(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(queries.visible_people(request.user), pk=person_id)
    data = services.reveal_personal_data(
        request.user, person, purpose=request.POST.get("purpose", ""), ip_address=request.META.get("REMOTE_ADDR")
    )
    return render(request, "orgs/_revealed.html", {"data": data})


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    _require(request, Cap.VIEW_STATS)
    org = None
    if request.GET.get("org", "").isdigit():
        org = get_object_or_404(queries.visible_organisations(request.user), pk=int(request.GET["org"]))
    counts = queries.status_counts(request.user, org)
    return render(request, "orgs/stats.html", {
        "org": org, "counts": counts, "active_tab": "work",
        "chart_data": {"labels": [str(label) for _, label, _ in counts], "values": [n for *_, n in counts]},
    })
