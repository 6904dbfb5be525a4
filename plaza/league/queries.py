"""Reads of 共青团 shared by pages, the API and exports; always scoped to the viewer.

The League's rosters and boards are read with ``orgs.permissions.read_scope(viewer, Cap.LEAGUE)``: the League
secretaries' own subtrees, and — where the enterprise says so — the whole League tree for 党委组织部 staff
(read-only: every write asks ``Scope.of``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from plaza.lib import clock
from plaza.meetings import queries as meetings_queries
from plaza.meetings.models import Kind as MeetingKind
from plaza.orgs.models import Level, Membership, Organisation, Position, Tree
from plaza.orgs.permissions import Cap, Scope, read_scope
from plaza.orgs.queries import labelled
from plaza.recruitment import queries as recruitment_queries
from plaza.rules import league as rules
from plaza.rules import meetings as meeting_rules

from .models import DuesPayment, Recommendation, RecommendationStatus
from .services import dues_amount, holds_league_post, league_membership

#: How far ahead the roster's "near 28" filter looks.
NEAR_DAYS = 92


def sees_league(viewer: Any) -> bool:
    """Whether the viewer reads some League roster (a League secretary, or 组织部 staff where allowed)."""
    scope = read_scope(viewer, Cap.LEAGUE)
    return scope.everything or Organisation.objects.filter(tree=Tree.LEAGUE).filter(scope.q("path")).exists()


def organisations(viewer: Any) -> QuerySet[Organisation]:
    """The League organisations the viewer reads, in tree order."""
    return read_scope(viewer, Cap.LEAGUE).organisations(Organisation.objects.filter(tree=Tree.LEAGUE)).order_by("path")


def organisation_for(viewer: Any, org_id: int | None) -> Organisation | None:
    if org_id is None:
        return None
    return organisations(viewer).filter(pk=org_id).first()


def roster(
    viewer: Any,
    *,
    organisation: Organisation | None = None,
    search: str = "",
    near: bool = False,
    today: date | None = None,
) -> QuerySet[Membership]:
    """League members (current League memberships) the viewer may read, filtered: an organisation's subtree, a
    name or 工号, or those turning 28 within ``NEAR_DAYS`` days (or past it)."""
    today = today or clock.today()
    rows = (
        Membership.objects.current()
        .filter(tree=Tree.LEAGUE)
        .filter(read_scope(viewer, Cap.LEAGUE).q("organisation__path"))
    )
    if organisation is not None:
        rows = rows.filter(organisation__path__startswith=organisation.path)
    if search:
        rows = rows.filter(Q(person__name__icontains=search) | Q(person__employee_no__iexact=search))
    if near:
        limit = today + timedelta(days=NEAR_DAYS)
        rows = rows.filter(person__birth_date__lte=_years_before(limit, rules.LEAVING_AGE))
    return rows.select_related("person", "organisation").order_by("organisation__path", "person__employee_no")


def _years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier (29 February → 28 February)."""
    return (
        day.replace(year=day.year - years, day=28)
        if (day.month, day.day) == (2, 29)
        else day.replace(year=day.year - years)
    )


@dataclass(frozen=True)
class RosterRow:
    """A roster line: the membership, the age, the 28th birthday, whether it is near and whether a post keeps them."""

    membership: Membership
    age: int | None
    leaving_on: date | None
    near: bool
    has_post: bool


def roster_rows(memberships: list[Membership], today: date) -> list[RosterRow]:
    """Ages and 28th birthdays for one page of the roster (one query for the posts)."""
    people = [m.person_id for m in memberships]
    posts = set(
        Position.objects.current(today)
        .filter(person_id__in=people, organisation__tree=Tree.LEAGUE)
        .values_list("person_id", flat=True)
    )
    rows = []
    for membership in memberships:
        birth = membership.person.birth_date
        leaving = rules.leaving_date(birth) if birth else None
        rows.append(
            RosterRow(
                membership,
                rules.age_on(birth, today) if birth else None,
                leaving,
                bool(leaving and leaving <= today + timedelta(days=NEAR_DAYS)),
                membership.person_id in posts,
            )
        )
    return rows


@dataclass
class Board:
    organisations: int = 0
    members: int = 0
    near: int = 0
    pending_recommendations: int = 0
    paid_this_month: int = 0
    meeting_orgs: list[Organisation] = field(default_factory=list)


def board(viewer: Any, today: date | None = None) -> Board:
    """The League back office's figures for the viewer's scope."""
    today = today or clock.today()
    scope = read_scope(viewer, Cap.LEAGUE)
    members = roster(viewer, today=today)
    return Board(
        organisations=organisations(viewer).count(),
        members=members.count(),
        near=roster(viewer, near=True, today=today).count(),
        pending_recommendations=Recommendation.objects.filter(
            scope.q("organisation__path"), status=RecommendationStatus.PENDING
        ).count(),
        paid_this_month=DuesPayment.objects.filter(
            scope.q("organisation__path"), month=today.replace(day=1), corrects__isnull=True
        ).count(),
        meeting_orgs=meeting_organisations(viewer),
    )


def meeting_organisations(viewer: Any) -> list[Organisation]:
    """League organisations whose 团组织生活 the viewer plans in the meetings app (``Cap.MEETINGS`` there)."""
    scope = Scope.of(viewer, Cap.MEETINGS)
    return labelled(Organisation.objects.filter(tree=Tree.LEAGUE).filter(scope.q("path")).order_by("path")[:20])


# -------------------------------------------------------------------------------------------- my League


@dataclass
class MyLeague:
    membership: Membership | None
    age: int | None = None
    leaving_on: date | None = None
    has_post: bool = False
    dues_amount: Decimal | None = None
    payments: list[DuesPayment] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)


def my_league(person: Any, today: date | None = None) -> MyLeague:
    """The person's own League membership, 28th birthday, 团费 and 推优."""
    today = today or clock.today()
    membership = league_membership(person)
    mine = MyLeague(membership)
    if membership is None:
        return mine
    birth = person.birth_date
    if birth:
        mine.age = rules.age_on(birth, today)
        mine.leaving_on = rules.leaving_date(birth)
    mine.has_post = holds_league_post(person, today)
    mine.dues_amount = dues_amount(membership.organisation, today.replace(day=1))
    mine.payments = list(DuesPayment.objects.filter(person=person).order_by("-month")[:12])
    mine.recommendations = list(Recommendation.objects.filter(person=person).select_related("organisation"))
    return mine


# ------------------------------------------------------------------------------------------------- 团费


@dataclass(frozen=True)
class DuesRow:
    membership: Membership
    amount: Decimal
    payment: DuesPayment | None


def dues_roll(viewer: Any, month: date, organisation: Organisation | None = None, search: str = "") -> list[DuesRow]:
    """The monthly 团费 roll: each League member in scope (of an organisation, by name or 工号 when given) with
    the amount due and the payment, if any."""
    members = list(roster(viewer, organisation=organisation, search=search))
    payments = {
        p.person_id: p
        for p in DuesPayment.objects.filter(
            person_id__in=[m.person_id for m in members], month=month, corrects__isnull=True
        )
    }
    amounts: dict[int, Decimal] = {}
    rows = []
    for membership in members:
        org = membership.organisation
        if org.pk not in amounts:
            amounts[org.pk] = dues_amount(org, month)
        payment = payments.get(membership.person_id)
        rows.append(DuesRow(membership, payment.amount if payment else amounts[org.pk], payment))
    return rows


def dues_member_for(viewer: Any, person_id: int) -> Any:
    """A League member whose 团费 the viewer may record (``Scope.of``: writes), or None."""
    scope = Scope.of(viewer, Cap.LEAGUE)
    found = (
        Membership.objects.current()
        .filter(tree=Tree.LEAGUE, person_id=person_id)
        .filter(scope.q("organisation__path"))
        .select_related("person")
        .first()
    )
    return found.person if found else None


# ------------------------------------------------------------------------------------------------- 推优


def recommendations(viewer: Any) -> QuerySet[Recommendation]:
    """推优 the viewer sees: the League's (in the League read scope) and the Party branch's (the person's active
    入党培养档案 is in a branch the viewer records steps for)."""
    league = read_scope(viewer, Cap.LEAGUE).q("organisation__path")
    pipelines = recruitment_queries.visible_pipelines(viewer).filter(status="active").values("person_id")
    return (
        Recommendation.objects.filter(league | Q(person_id__in=pipelines))
        .select_related("person", "organisation", "step_record")
        .order_by("-recommended_on", "-id")
    )


def recommendation_for(viewer: Any, recommendation_id: int) -> Recommendation | None:
    """One 推优 the viewer may see (see :func:`recommendations`), or the person's own; else None."""
    own = Recommendation.objects.filter(pk=recommendation_id, person_id=viewer.pk)
    return (
        recommendations(viewer).filter(pk=recommendation_id).first()
        or own.select_related("person", "organisation").first()
    )


def recommendable_member(viewer: Any, employee_no: str) -> Any:
    """A League member in the viewer's write scope with this 工号 (for a 推优), or None."""
    scope = Scope.of(viewer, Cap.LEAGUE)
    found = (
        Membership.objects.current()
        .filter(tree=Tree.LEAGUE, person__employee_no=employee_no.strip())
        .filter(scope.q("organisation__path"))
        .select_related("person")
        .first()
    )
    return found.person if found else None


def pipeline_of(recommendation: Recommendation) -> Any:
    """The person's active 入党培养档案 (for the recommendation page), or None."""
    return recruitment_queries.active_pipeline(recommendation.person)


# ------------------------------------------------------------------------------------------- compliance


@dataclass
class Gap:
    kind: str
    label: str
    first: date
    last: date


@dataclass
class BranchCompliance:
    branch: Organisation
    held: int
    gaps: list[Gap]

    @property
    def by_kind(self) -> list[tuple[str, list[str]]]:
        """The gaps grouped by kind, each period named shortly (1月, 第2季度, 2026年), for the page."""
        grouped: dict[str, list[str]] = {}
        for gap in self.gaps:
            grouped.setdefault(gap.label, []).append(period_name(gap.kind, gap.first))
        return list(grouped.items())


def period_name(kind: str, first: date) -> str:
    """A required period named as people say it: a month, a quarter or the year."""
    months = meeting_rules.LEAGUE_PERIOD_MONTHS[kind]
    if months == 1:
        return f"{first.month}月"
    if months == 3:
        return f"第{(first.month - 1) // 3 + 1}季度"
    return f"{first.year}年"


def _roots(orgs: list[Organisation]) -> list[Organisation]:
    """The organisations of ``orgs`` (in path order) with no ancestor among them."""
    roots: list[Organisation] = []
    for org in orgs:
        if not roots or not org.path.startswith(roots[-1].path):
            roots.append(org)
    return roots


def compliance(
    viewer: Any, year: int, *, organisation: Organisation | None = None, today: date | None = None
) -> list[BranchCompliance]:
    """For each 团支部 the viewer reads: the League meetings it held in ``year`` and every required period of
    团支部 "三会两制一课" that is over and had none (``rules.meetings.league_missing``), worst first."""
    today = today or clock.today()
    start = date(year, 1, 1)
    end = min(date(year, 12, 31), today - timedelta(days=1))
    orgs = list(organisations(viewer))
    if organisation is not None:
        orgs = [o for o in orgs if o.path.startswith(organisation.path)]
    branches = [o for o in orgs if o.level == Level.LEAGUE_BRANCH]
    if not branches or end < start:
        return [BranchCompliance(b, 0, []) for b in branches]
    wanted = {b.pk for b in branches}
    now = clock.now()
    held: dict[int, list[tuple[str, date]]] = {pk: [] for pk in wanted}
    for root in _roots(orgs):
        for meeting in meetings_queries.organisation_meetings(root, year):
            if meeting.organisation_id in wanted and meeting.status != "cancelled" and meeting.starts_at <= now:
                held[meeting.organisation_id].append((meeting.kind, timezone.localtime(meeting.starts_at).date()))
    rows = []
    for branch in branches:
        gaps = [
            Gap(kind, meeting_rules.LEAGUE_LABELS[kind], first, last)
            for kind, first, last in meeting_rules.league_missing(held[branch.pk], start, end)
        ]
        rows.append(BranchCompliance(branch, len(held[branch.pk]), gaps))
    rows.sort(key=lambda r: (-len(r.gaps), r.branch.path))
    return rows


def compliance_chart(rows: list[BranchCompliance]) -> dict[str, list[Any]]:
    """The compliance rows (:func:`compliance`, already read) as a chart: per kind of 三会两制一课, how many
    团支部 lack a period of it and how many periods are missing in all. No categories when nothing is missing,
    so the page leaves the chart out."""
    branches = dict.fromkeys(meeting_rules.LEAGUE_KINDS, 0)
    periods = dict.fromkeys(meeting_rules.LEAGUE_KINDS, 0)
    for row in rows:
        kinds = [gap.kind for gap in row.gaps if gap.kind in periods]
        for kind in kinds:
            periods[kind] += 1
        for kind in set(kinds):
            branches[kind] += 1
    drawn = any(periods.values())
    return {
        "kinds": [str(MeetingKind(kind).label) for kind in meeting_rules.LEAGUE_KINDS] if drawn else [],
        "branches": [branches[kind] for kind in meeting_rules.LEAGUE_KINDS],
        "periods": [periods[kind] for kind in meeting_rules.LEAGUE_KINDS],
    }
