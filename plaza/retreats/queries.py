"""Reads of 疗休养 shared by pages, the API and exports; always scoped to the viewer.

Officers' lists are read with ``orgs.permissions.read_scope(viewer, Cap.UNION)`` (the union officers' subtrees
and, where the enterprise says so, the whole union tree for 党委组织部 staff, read-only); members see the
batches of the union organisations above their own membership.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from plaza.lib import clock
from plaza.orgs.models import Organisation, Tree
from plaza.orgs.permissions import Cap, Scope, read_scope

from .models import Batch, Quota, Route, SignUp, SignUpStatus
from .services import union_organisation


def _member_paths(person: Any) -> list[str]:
    organisation = union_organisation(person)
    return Organisation.paths_above(organisation.path) if organisation else []


def open_batches(person: Any, today: date | None = None) -> QuerySet[Batch]:
    """Batches the person may see and still sign up for: routes of their union organisation or one above it,
    sign-up not closed, not allocated."""
    today = today or clock.today()
    return (
        Batch.objects.filter(
            route__organisation__path__in=_member_paths(person),
            allocated_at__isnull=True,
            signup_closes_on__gte=today,
        )
        .select_related("route__organisation")
        .order_by("starts_on", "id")
    )


def member_batch(person: Any, batch_id: int) -> Batch | None:
    """A batch of the person's union organisations (open or not), or None."""
    return (
        Batch.objects.filter(pk=batch_id, route__organisation__path__in=_member_paths(person))
        .select_related("route__organisation")
        .first()
    )


def my_signups(person: Any) -> QuerySet[SignUp]:
    return (
        SignUp.objects.filter(person_id=person.pk)
        .select_related("batch__route__organisation")
        .order_by("-batch__starts_on", "-id")
    )


def own_signup(person: Any, signup_id: int) -> SignUp | None:
    return my_signups(person).filter(pk=signup_id).first()


def is_officer(viewer: Any) -> bool:
    """Whether the viewer reads some union organisation's 疗休养 (union officers; 组织部 staff where allowed)."""
    scope = read_scope(viewer, Cap.UNION)
    return scope.everything or Organisation.objects.filter(tree=Tree.UNION).filter(scope.q("path")).exists()


def runs_retreats(viewer: Any) -> bool:
    """Whether the viewer writes for some union organisation (``Scope.of``)."""
    scope = Scope.of(viewer, Cap.UNION)
    return scope.everything or Organisation.objects.filter(tree=Tree.UNION).filter(scope.q("path")).exists()


def union_organisations(viewer: Any, *, writes: bool = False) -> QuerySet[Organisation]:
    scope = Scope.of(viewer, Cap.UNION) if writes else read_scope(viewer, Cap.UNION)
    return scope.organisations(Organisation.objects.filter(tree=Tree.UNION, is_active=True)).order_by("path")


@dataclass(frozen=True)
class QuotaRow:
    organisation: Organisation
    quota: Quota | None
    planned: int


def quotas(viewer: Any, year: int) -> list[QuotaRow]:
    """Each union organisation in scope with a quota or routes this year: its quota and the places planned."""
    orgs = list(union_organisations(viewer)[:200])
    found = {q.organisation_id: q for q in Quota.objects.filter(organisation__in=orgs, year=year)}
    planned: dict[int, int] = {}
    for batch in Batch.objects.filter(route__organisation__in=orgs, route__year=year).select_related("route"):
        planned[batch.route.organisation_id] = planned.get(batch.route.organisation_id, 0) + batch.places
    return [QuotaRow(o, found.get(o.pk), planned.get(o.pk, 0)) for o in orgs if o.pk in found or o.pk in planned]


def routes(viewer: Any, year: int) -> QuerySet[Route]:
    return (
        Route.objects.filter(read_scope(viewer, Cap.UNION).q("organisation__path"), year=year)
        .select_related("organisation")
        .prefetch_related("batches")
        .order_by("organisation__path", "name")
    )


def managed_route(viewer: Any, route_id: int) -> Route | None:
    """A route the viewer writes for (adds batches to), or None."""
    return (
        Route.objects.filter(Scope.of(viewer, Cap.UNION).q("organisation__path"), pk=route_id)
        .select_related("organisation")
        .first()
    )


def office_batch(viewer: Any, batch_id: int) -> Batch | None:
    """A batch the viewer reads as an officer, or None."""
    return (
        Batch.objects.filter(read_scope(viewer, Cap.UNION).q("route__organisation__path"), pk=batch_id)
        .select_related("route__organisation")
        .first()
    )


def batch_closed(batch: Batch, today: date | None = None) -> bool:
    """The batch has set off: nobody can move up from the waiting list any more, so only its outcome counts."""
    return (today or clock.today()) >= batch.starts_on


def batch_signups(batch: Batch, today: date | None = None) -> QuerySet[SignUp]:
    """The batch's sign-ups: places first, then the waiting list in order, then the rest. Once the batch has set
    off (:func:`batch_closed`) only its outcome: the members who went."""
    rows = batch.signups.select_related("person").order_by("status", "waiting_rank", "created_at", "id")
    if batch_closed(batch, today):
        rows = rows.filter(status=SignUpStatus.WON)
    return rows


def allocation_of(batch: Batch) -> Any:
    return getattr(batch, "allocation", None) if batch.allocated_at else None
