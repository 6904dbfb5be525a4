"""Reads for the election pages, always within what the viewer may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from plaza.localrules import services as local_rules
from plaza.orgs.models import Level, Organisation, Tree
from plaza.orgs.permissions import Cap, Scope
from plaza.rules import elections as rules
from plaza.rules.sources import RENQI

from .models import Ballot, Candidate, Election, Kind, State, Term


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


def request_in_progress(organisation: Organisation) -> Election | None:
    """The organisation's committee election whose 换届请示 is to be written or sent again (草拟 or 退回修改), the
    newest: where the to-do 「报送换届请示」 leads."""
    return (
        Election.objects.filter(
            organisation=organisation, parent__isnull=True, kind=Kind.COMMITTEE, state__in=(State.DRAFT, State.RETURNED)
        )
        .order_by("-pk")
        .first()
    )


def awaiting_upper(viewer: Any) -> QuerySet[Election]:
    """Requests and result reports waiting for the viewer's committee (their parent lies in the scope)."""
    scope = Scope.of(viewer, Cap.ELECTIONS)
    found = visible_elections(viewer).filter(state__in=[State.REQUESTED, State.REPORTED])
    if scope.everything:
        return found
    return found.filter(~Q(organisation__path__in=scope.paths)).exclude(organisation__depth=1)


REQUEST_RULE = "elections.request_months_before"
#: The states in which the 换届请示 is in (sent, decided, or the election is under way or over).
REQUESTED_STATES = (
    State.REQUESTED,
    State.RETURNED,
    State.APPROVED,
    State.OPEN,
    State.COUNTING,
    State.CLOSED,
    State.REPORTED,
    State.CONFIRMED,
)


@dataclass(frozen=True)
class TermRow:
    organisation: Organisation
    term: Term | None
    days_left: int | None
    status: rules.TermStatus | None = None  # None without a term
    request_months: int = rules.REQUEST_MONTHS_BEFORE
    requested: bool = False  # the 换届请示 is in

    @property
    def state(self) -> str:
        """ "none", "overdue" (red: 已届满), "request_late" (red: 换届请示逾期), "soon" (yellow), "ok":
        ``plaza.rules.elections.term_status`` with the organisation's 本单位规定."""
        return "none" if self.status is None else self.status.state

    @property
    def request_on(self) -> date | None:
        return self.status.request_on if self.status else None

    @property
    def request_days_late(self) -> int:
        return -self.status.request_days_left if self.status else 0


def requested_terms(terms: list[Term]) -> set[int]:
    """The terms whose 换届请示 is in: an election of the committee created after the term began whose request
    was sent (one query)."""
    if not terms:
        return set()
    found = set()
    started = {t.organisation_id: t for t in terms}
    for org_id, created in Election.objects.filter(
        organisation_id__in=started, kind="committee", parent__isnull=True, state__in=REQUESTED_STATES
    ).values_list("organisation_id", "created_at"):
        term = started[org_id]
        if timezone.localdate(created) >= term.started_on:  # the China day, not the UTC one
            found.add(term.pk)
    return found


def term_rows(terms: list[Term], today: date) -> dict[int, TermRow]:
    """organisation id → its row: where each term stands today under its organisation's 本单位规定 (the
    换届请示 months in force today), read for all in two queries. The board, the reminders and the to-do
    all use this, so a rule that moves the request date moves them together."""

    months = local_rules.values(REQUEST_RULE, {t.organisation for t in terms}, on=today)
    requested = requested_terms(terms)
    rows = {}
    for term in terms:
        status = rules.term_status(
            term.due_on,
            today,
            request_months=int(months[term.organisation_id]),
            requested=term.pk in requested,
        )
        rows[term.organisation_id] = TermRow(
            term.organisation, term, status.days_left, status, int(months[term.organisation_id]), term.pk in requested
        )
    return rows


def term_board(viewer: Any, today: date) -> list[TermRow]:
    """Committees by time left in their term: overdue first, then the soonest; those without a term last."""
    orgs = list(committees(viewer)[:2000])
    terms = list(Term.objects.filter(organisation__in=orgs, ended_on__isnull=True).select_related("organisation"))
    found = term_rows(terms, today)
    rows = [found.get(o.pk) or TermRow(o, None, None) for o in orgs]
    return sorted(rows, key=lambda r: (r.days_left is None, r.days_left if r.days_left is not None else 0))


#: The term board's filter by state (``TermRow.state``), as the filter bar offers them.
BOARD_STATES = ("overdue", "request_late", "soon", "ok", "none")


def filter_board(rows: list[TermRow], *, state: str = "", search: str = "", order: str = "due") -> list[TermRow]:
    """The term board's rows a filter bar asks for: ``state`` one of :data:`BOARD_STATES` ("" for all), ``search``
    part of the organisation's name, ``order`` "due" (overdue first, as :func:`term_board`), "name" or either
    with "-" for the other direction."""
    found = [r for r in rows if (not state or r.state == state) and (not search or search in r.organisation.name)]
    if order.lstrip("-") == "name":
        found = sorted(found, key=lambda r: r.organisation.name)
    return found[::-1] if order.startswith("-") else found


def board_legend(rows: list[TermRow]) -> str:
    """The legend under the board, from the rules and the 本单位规定 the rows follow (never a fixed figure)."""

    months = sorted({r.request_months for r in rows if r.term is not None}) or [rules.REQUEST_MONTHS_BEFORE]
    request = "、".join(str(m) for m in months)
    return _(
        "红色：已届满，或已过换届请示期限仍未报送；黄色：%(remind)s个月内届满（%(renqi)s：届满前%(remind)s个月提醒）；"
        "换届请示于届满前 %(request)s 个月报送（本单位规定）。"
    ) % {"remind": rules.REMIND_MONTHS_BEFORE, "renqi": RENQI, "request": request}


def my_elections(person: Any, limit: int = 30) -> QuerySet[Election]:
    """The elections the person votes in or counts as a teller, newest first."""
    return (
        Election.objects.filter(Q(electors__person=person) | Q(tellers=person))
        .distinct()
        .select_related("organisation")
        .order_by("-planned_on", "-id")[:limit]
    )


def election_to_vote(person: Any, election_id: int) -> Election | None:
    """The election if the person is on its list of electors, else None."""
    return Election.objects.filter(pk=election_id, electors__person=person).select_related("organisation").first()


def election_to_count(person: Any, election_id: int) -> Election | None:
    """The election if the person is one of its tellers, else None."""
    return Election.objects.filter(pk=election_id, tellers=person).first()


def election_of_voter_or_officer(viewer: Any, election_id: int) -> Election | None:
    """The election for an elector of it, or for an officer who sees it (:func:`visible_elections`)."""
    return (
        Election.objects.filter(pk=election_id, electors__person=viewer).first()
        or visible_elections(viewer).filter(pk=election_id).first()
    )


def receipt_codes(election: Election) -> list[str]:
    """The receipt codes of the phone ballots cast, published after closing so voters can check theirs."""
    return list(Ballot.objects.filter(election=election).values_list("receipt", flat=True))


def candidate_in(election_id: int, candidate_id: int) -> Candidate | None:
    """A candidate of that election (whether the viewer may act on the election is the service's check)."""
    return Candidate.objects.filter(pk=candidate_id, election_id=election_id).first()
