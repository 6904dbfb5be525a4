"""Reads of 工会 shared by pages, the API and exports; every office read is scoped to the viewer's union
committees (``Scope.of(viewer, Cap.UNION)``) and returns None for "not there or not yours"."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from plaza.accounts.models import Person
from plaza.dues.queries import Ledger
from plaza.orgs.models import Organisation, Tree
from plaza.orgs.permissions import Cap, Scope, read_scope
from plaza.orgs.queries import totals_by_subtree
from plaza.rules import union as rules
from plaza.rules.dates import add_months, month_start

from .models import (
    BATCH_KINDS,
    CARE_KINDS,
    HELP_KINDS,
    Area,
    CareCase,
    CaseStatus,
    Cause,
    DuesPayment,
    FileStatus,
    HardshipFile,
    HelpApplication,
    HelpStatus,
    Kind,
    Member,
    MemberStatus,
    Payment,
    Provision,
    Wage,
)
from .services import REVIEW_AHEAD_DAYS, dues_base_share

ZERO = Decimal("0.00")
#: Party dues bases of these categories are monthly wages the union reads too (one payroll import).
WAGE_CATEGORIES = ("in_service",)


def scope(viewer: Any) -> Scope:
    """Where the viewer's union committees act (every write, and the pages with personal data)."""
    return Scope.of(viewer, Cap.UNION)


def reading(viewer: Any) -> Scope:
    """What the viewer reads on the rosters and boards: their committees' subtrees, and the whole union tree for
    党委组织部 staff where the enterprise says so (``orgs.permissions.read_scope``; read-only)."""
    return read_scope(viewer, Cap.UNION)


def sees_union(viewer: Any) -> bool:
    """Whether the viewer reads some union roster (an officer, or 组织部 staff where allowed)."""
    return read_organisations(viewer).exists()


def read_organisations(viewer: Any) -> QuerySet[Organisation]:
    """The union organisations the viewer reads, in tree order."""
    return reading(viewer).organisations(Organisation.objects.filter(tree=Tree.UNION, is_active=True)).order_by("path")


def read_organisation_for(viewer: Any, organisation_id: int | None) -> Organisation | None:
    if organisation_id is None:
        return read_organisations(viewer).first()
    return read_organisations(viewer).filter(pk=organisation_id).first()


def is_officer(viewer: Any) -> bool:
    """On a union committee: ``Cap.UNION`` over at least one union organisation (a Party committee's staff hold
    the capability over the Party tree only, unless the enterprise lets them see the union tree too)."""
    found = scope(viewer)
    return not found.is_empty and organisations(viewer).exists()


def organisations(viewer: Any) -> QuerySet[Organisation]:
    """The union organisations the viewer's committees cover, in tree order."""
    return scope(viewer).organisations(Organisation.objects.filter(tree=Tree.UNION, is_active=True)).order_by("path")


def organisation_for(viewer: Any, organisation_id: int | None) -> Organisation | None:
    if organisation_id is None:
        return organisations(viewer).first()
    return organisations(viewer).filter(pk=organisation_id).first()


# ------------------------------------------------------------------------------------------ membership


def membership_of(person: Any) -> Member | None:
    """The person's latest application or membership (open ones first)."""
    rows = Member.objects.filter(person=person).select_related("organisation", "decided_by")
    return (
        rows.filter(status__in=[MemberStatus.APPLIED, MemberStatus.ACTIVE]).first()
        or rows.order_by("-applied_on", "-id").first()
    )


def moves_of(member: Member) -> QuerySet:
    return member.moves.select_related("from_organisation", "to_organisation")


def roster(
    viewer: Any, *, status: str = "", organisation: Organisation | None = None, text: str = ""
) -> QuerySet[Member]:
    """Members and applications the viewer reads (``reading``), filtered."""
    rows = Member.objects.filter(reading(viewer).q("organisation__path")).select_related("person", "organisation")
    if status:
        rows = rows.filter(status=status)
    if organisation is not None:
        rows = rows.filter(organisation__path__startswith=organisation.path)
    if text:
        rows = rows.filter(Q(person__name__contains=text) | Q(person__employee_no=text) | Q(number=text))
    return rows.order_by("organisation__path", "status", "number", "id")


def person_in_scope(viewer: Any, employee_no: str) -> Person | None:
    """An employee in the union organisations the viewer's committees cover, by 工号."""
    return scope(viewer).people(Person.objects.filter(employee_no=employee_no)).first()


def member_for(viewer: Any, member_id: int) -> Member | None:
    return (
        Member.objects.filter(reading(viewer).q("organisation__path"), pk=member_id)
        .select_related("person", "organisation", "decided_by")
        .first()
    )


def card_member(person: Any) -> Member | None:
    """The person's own active membership, for the card."""
    return (
        Member.objects.filter(person=person, status=MemberStatus.ACTIVE)
        .select_related("organisation", "person")
        .first()
    )


def member_by_number(viewer: Any, number: str) -> Member | None:
    """A card scanned by an officer: the member if in the viewer's scope."""
    return roster(viewer).filter(number=number).first()


def counts(viewer: Any) -> dict[str, int]:
    """What waits in the organisations the viewer reads: applications, care cases, help steps, reviews due."""
    s = reading(viewer)
    return {
        "applications": Member.objects.filter(s.q("organisation__path"), status=MemberStatus.APPLIED).count(),
        "cases": CareCase.objects.filter(s.q("organisation__path"), status=CaseStatus.PENDING).count(),
        "help": HelpApplication.objects.filter(
            s.q("organisation__path"), status__in=[HelpStatus.SUBMITTED, HelpStatus.VERIFIED]
        ).count(),
        "members": Member.objects.filter(s.q("organisation__path"), status=MemberStatus.ACTIVE).count(),
    }


# ------------------------------------------------------------------------------------------ dues


def wages_on(person_ids: list[int], month: date) -> dict[int, Decimal]:
    """Each person's monthly wage in force in ``month``: the later of the union's own payroll row and the Party
    dues base of an in-service Party member (plaza.dues reads the same payroll: one import feeds both)."""
    month = month_start(month)
    found: dict[int, tuple[date, Decimal]] = {}
    rows = (
        Wage.objects.filter(person_id__in=person_ids, effective_from__lte=month)
        .order_by("person_id", "effective_from", "id")
        .values_list("person_id", "effective_from", "wage")
    )
    for person_id, effective_from, wage in rows:
        found[person_id] = (effective_from, wage)
    ledger = Ledger.read(person_ids, month, month)
    for person_id in ledger.bases:
        base = ledger.base_on(person_id, month)
        if base is None or base[1] not in WAGE_CATEGORIES:
            continue
        mine = found.get(person_id)
        if mine is None or base[0] > mine[0]:
            found[person_id] = (base[0], base[2])
    return {person_id: wage for person_id, (_, wage) in found.items()}


@dataclass
class DuesLine:
    member: Member
    wage: Decimal | None
    due: Decimal | None
    paid: Decimal


@dataclass
class DuesRoll:
    organisation: Organisation
    month: date
    lines: list[DuesLine] = field(default_factory=list)

    @property
    def due(self) -> Decimal:
        return sum((line.due or ZERO for line in self.lines), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((line.paid for line in self.lines), ZERO)

    @property
    def unpaid_count(self) -> int:
        return sum(1 for line in self.lines if line.due and not line.paid)

    @property
    def missing_wage(self) -> int:
        return sum(1 for line in self.lines if line.wage is None)


def members_in_month(organisation: Organisation, month: date) -> QuerySet[Member]:
    """Members of the subtree who were members in ``month`` (joined by its end, not left before it)."""
    first = month_start(month)
    last = add_months(first, 1)
    return (
        Member.objects.filter(
            organisation__path__startswith=organisation.path,
            status__in=[MemberStatus.ACTIVE, MemberStatus.LEFT],
            joined_on__lt=last,
        )
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=first))
        .select_related("person", "organisation")
        .order_by("organisation__path", "number")
    )


def dues_roll(viewer: Any, organisation: Organisation, month: date) -> DuesRoll | None:
    """The month's union dues of the organisation's members: wage, 0.5 % of it (rules.union), paid."""
    if not reading(viewer).covers(organisation):
        return None
    month = month_start(month)
    members = list(members_in_month(organisation, month))
    wages = wages_on([m.person_id for m in members], month)
    share = dues_base_share(organisation)
    paid: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for member_id, amount in DuesPayment.objects.filter(member__in=[m.pk for m in members], month=month).values_list(
        "member_id", "amount"
    ):
        paid[member_id] += amount
    roll = DuesRoll(organisation, month)
    for member in members:
        wage = wages.get(member.person_id)
        due = rules.monthly_dues(wage, base_share=share) if wage is not None else None
        roll.lines.append(DuesLine(member, wage, due, paid[member.pk]))
    return roll


def dues_of(person: Any, year: int) -> QuerySet[DuesPayment]:
    """A member's own union dues entries in a year."""
    return DuesPayment.objects.filter(member__person=person, month__year=year).order_by("-month", "-id")


@dataclass
class OrgFigures:
    organisation: Organisation
    count: int = 0
    amount: Decimal = ZERO
    extra: dict[str, Any] = field(default_factory=dict)


def _by_child(viewer: Any, rows: QuerySet, value: str, top: Organisation | None) -> list[OrgFigures]:
    """Figures summed per organisation one level under ``top`` (or per root the viewer reads)."""
    orgs = list(read_organisations(viewer))
    if top is None and orgs:
        top = orgs[0]
    if top is None:
        return []
    children = [o for o in orgs if o.depth == top.depth + 1 and o.path.startswith(top.path)] or [top]
    totals = totals_by_subtree(rows, children, n=Count("id"), s=Sum(value))
    result = []
    for child in children:
        found = totals.get(child.path, {})
        result.append(OrgFigures(child, found.get("n", 0), found.get("s") or ZERO))
    return result


def dues_statistics(viewer: Any, month: date) -> list[OrgFigures]:
    """Dues paid per organisation for a month, in the viewer's scope."""
    rows = DuesPayment.objects.filter(reading(viewer).q("organisation__path"), month=month_start(month))
    return _by_child(viewer, rows, "amount", None)


# ------------------------------------------------------------------------------------------ care and help


def provisions(viewer: Any, organisation: Organisation | None = None) -> QuerySet[Provision]:
    rows = Provision.objects.filter(scope(viewer).q("organisation__path")).select_related("organisation")
    if organisation is not None:
        rows = rows.filter(organisation=organisation)
    return rows.order_by("organisation__path", "kind")


def provision_for(viewer: Any, provision_id: int) -> Provision | None:
    return provisions(viewer).filter(pk=provision_id).first()


def public_provisions(organisation: Organisation | None, area: str) -> list[Provision]:
    """The 办法 in force for a member of ``organisation`` (nearest setting per kind), for the member's pages."""
    if organisation is None:
        return []
    paths = Organisation.paths_above(organisation.path)
    found: dict[str, Provision] = {}
    rows = (
        Provision.objects.filter(organisation__path__in=paths, active=True)
        .select_related("organisation")
        .order_by("organisation__path")
    )
    for row in rows:
        found[row.kind] = row  # deeper settings come later and win
    kinds = CARE_KINDS if area == Area.CARE else HELP_KINDS
    return [found[k] for k in kinds if k in found]


def cases_of(person: Any) -> QuerySet[CareCase]:
    return CareCase.objects.filter(person=person).order_by("-created_at", "-id")


def own_case(person: Any, case_id: int) -> CareCase | None:
    return CareCase.objects.filter(person=person, pk=case_id).first()


def payments_of(person: Any) -> QuerySet[Payment]:
    return Payment.objects.filter(person=person).order_by("-paid_on", "-id")


def cases(
    viewer: Any, *, status: str = "", kind: str = "", organisation: Organisation | None = None
) -> QuerySet[CareCase]:
    rows = CareCase.objects.filter(scope(viewer).q("organisation__path")).select_related("person", "organisation")
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    if organisation is not None:
        rows = rows.filter(organisation__path__startswith=organisation.path)
    return rows.order_by("status", "-created_at", "-id")


def case_for(viewer: Any, case_id: int) -> CareCase | None:
    return cases(viewer).filter(pk=case_id).first()


def case_file_for(viewer: Any, case_id: int) -> CareCase | None:
    """A case whose proof the viewer may open: their own, or one in their union scope."""
    return CareCase.objects.filter(Q(person=viewer) | scope(viewer).q("organisation__path"), pk=case_id).first()


def payments(viewer: Any, *, first: date, last: date, area: str = "") -> QuerySet[Payment]:
    rows = Payment.objects.filter(scope(viewer).q("organisation__path"), paid_on__range=(first, last)).select_related(
        "person", "organisation"
    )
    if area:
        rows = rows.filter(area=area)
    return rows.order_by("-paid_on", "-id")


@dataclass
class Batch:
    kind: str
    label: str
    event_on: date
    goods: str
    count: int
    total: Decimal


def batch_payments(viewer: Any, limit: int = 12) -> list[Batch]:
    """The latest 节日慰问 and 送温暖 rounds in the viewer's scope: one row per kind, day and goods."""
    rows = (
        Payment.objects.filter(scope(viewer).q("organisation__path"), kind__in=BATCH_KINDS)
        .values("kind", "event_on", "goods")
        .annotate(count=Count("id"), total=Sum("amount"))
        .order_by("-event_on", "kind")[:limit]
    )
    return [
        Batch(r["kind"], str(Kind(r["kind"]).label), r["event_on"], r["goods"], r["count"], r["total"]) for r in rows
    ]


@dataclass
class MonthReport:
    month: date
    rows: list[OrgFigures]
    kinds: list[tuple[str, int, Decimal]]
    total: Decimal
    count: int


def payments_report(viewer: Any, month: date, organisation: Organisation | None = None) -> MonthReport:
    """Care and help paid in a month, per organisation (one level under ``organisation``) and per kind."""
    first = month_start(month)
    last = add_months(first, 1)
    rows = Payment.objects.filter(reading(viewer).q("organisation__path"), paid_on__gte=first, paid_on__lt=last)
    if organisation is not None:
        rows = rows.filter(organisation__path__startswith=organisation.path)
    per_org = _by_child(viewer, rows, "amount", organisation)
    labels = dict(Kind.choices)
    kinds = [
        (str(labels.get(k, k)), n, s or ZERO)
        for k, n, s in rows.values("kind").annotate(n=Count("id"), s=Sum("amount")).values_list("kind", "n", "s")
    ]
    agg = rows.aggregate(n=Count("id"), s=Sum("amount"))
    return MonthReport(first, per_org, kinds, agg["s"] or ZERO, agg["n"] or 0)


def files(viewer: Any, *, status: str = FileStatus.OPEN, due_by: date | None = None) -> QuerySet[HardshipFile]:
    rows = HardshipFile.objects.filter(scope(viewer).q("organisation__path")).select_related("person", "organisation")
    if status:
        rows = rows.filter(status=status)
    if due_by is not None:
        rows = rows.filter(next_review_on__lte=due_by)
    return rows.order_by("next_review_on", "id")


def file_for(viewer: Any, file_id: int) -> HardshipFile | None:
    return files(viewer, status="").filter(pk=file_id).first()


def help_applications(viewer: Any, *, status: str = "") -> QuerySet[HelpApplication]:
    rows = HelpApplication.objects.filter(scope(viewer).q("organisation__path")).select_related(
        "person", "organisation"
    )
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("status", "-submitted_on", "-id")


def help_application_for(viewer: Any, application_id: int) -> HelpApplication | None:
    return help_applications(viewer).filter(pk=application_id).first()


def help_document_for(viewer: Any, application_id: int) -> HelpApplication | None:
    return HelpApplication.objects.filter(
        Q(person=viewer) | scope(viewer).q("organisation__path"), pk=application_id
    ).first()


def own_help(person: Any) -> QuerySet[HelpApplication]:
    return HelpApplication.objects.filter(person=person).order_by("-submitted_on", "-id")


def own_file(person: Any) -> HardshipFile | None:
    return HardshipFile.objects.filter(person=person, status=FileStatus.OPEN).first()


@dataclass
class HelpFigures:
    open_files: int
    due_reviews: int
    by_cause: list[tuple[str, int]]
    paid: list[OrgFigures]


def help_statistics(viewer: Any, year: int, today: date) -> HelpFigures:
    open_rows = files(viewer)
    causes: dict[str, int] = defaultdict(int)
    for value in open_rows.values_list("causes", flat=True):
        for cause in value.split(","):
            causes[cause] += 1
    labels = dict(Cause.choices)
    paid_rows = Payment.objects.filter(scope(viewer).q("organisation__path"), area=Area.HELP, paid_on__year=year)
    return HelpFigures(
        open_rows.count(),
        open_rows.filter(next_review_on__lte=today + timedelta(days=REVIEW_AHEAD_DAYS)).count(),
        [(str(labels.get(k, k)), n) for k, n in sorted(causes.items(), key=lambda kv: -kv[1])],
        _by_child(viewer, paid_rows, "amount", None),
    )
