"""Reads for the election pages, always within what the viewer may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from plaza.orgs.models import Level, Organisation, Tree
from plaza.orgs.permissions import Cap, Scope

from .models import Election, State, Term


def committees(viewer: Any) -> QuerySet[Organisation]:
    """Party committees, general branches and branches whose elections the viewer runs or oversees."""
    return (
        Scope.of(viewer, Cap.ELECTIONS)
        .organisations()
        .filter(tree=Tree.PARTY, level__in=[Level.COMMITTEE, Level.GENERAL_BRANCH, Level.BRANCH])
        .order_by("path")
    )


def visible_elections(viewer: Any) -> QuerySet[Election]:
    return Election.objects.filter(Scope.of(viewer, Cap.ELECTIONS).q("organisation__path")).select_related(
        "organisation"
    )


def awaiting_upper(viewer: Any) -> QuerySet[Election]:
    """Requests and result reports waiting for the viewer's committee (their parent lies in the scope)."""
    scope = Scope.of(viewer, Cap.ELECTIONS)
    found = visible_elections(viewer).filter(state__in=[State.REQUESTED, State.REPORTED])
    if scope.everything:
        return found
    return found.filter(~Q(organisation__path__in=scope.paths)).exclude(organisation__depth=1)


@dataclass(frozen=True)
class TermRow:
    organisation: Organisation
    term: Term | None
    days_left: int | None

    @property
    def state(self) -> str:
        if self.term is None:
            return "none"
        if self.days_left is not None and self.days_left < 0:
            return "overdue"
        return "soon" if self.days_left is not None and self.days_left <= 183 else "ok"


def term_board(viewer: Any, today: date) -> list[TermRow]:
    """Committees by time left in their term: overdue first, then the soonest; those without a term last."""
    orgs = list(committees(viewer)[:2000])
    terms = {t.organisation_id: t for t in Term.objects.filter(organisation__in=orgs, ended_on__isnull=True)}
    rows = [TermRow(o, terms.get(o.pk), (terms[o.pk].due_on - today).days if o.pk in terms else None) for o in orgs]
    return sorted(rows, key=lambda r: (r.days_left is None, r.days_left if r.days_left is not None else 0))
