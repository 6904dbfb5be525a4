"""Reads for the dues pages, exports and the sweep: the month's roll, a member's months, statistics.

Every amount due comes from :func:`plaza.rules.dues.monthly_dues`; nothing is computed by hand here. Reads are
set-based: one query each for the members, their bases, reductions and payments, whatever the number of people.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from plaza.accounts.models import Person, PoliticalStatus
from plaza.localrules import services as local_rules
from plaza.orgs.models import Level, Membership, Organisation, Tree
from plaza.orgs.permissions import Cap, Scope
from plaza.rules import dues as rules
from plaza.rules.dates import add_months, month_end, month_start

from .models import Category, DuesBase, DuesPayment, DuesReduction, Kind

ZERO = Decimal("0.00")
BRANCH_LEVELS = (Level.BRANCH, Level.GENERAL_BRANCH, Level.COMMITTEE)


def parse_month(value: str | None, default: date) -> date:
    """'2025-03' (or '2025-3') as date(2025, 3, 1); ``default``'s month otherwise."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", (value or "").strip())
    if match and 2000 <= int(match[1]) <= 2100 and 1 <= int(match[2]) <= 12:
        return date(int(match[1]), int(match[2]), 1)
    return month_start(default)


def months_of_year(year: int, upto: date | None = None) -> list[date]:
    months = [date(year, m, 1) for m in range(1, 13)]
    return [m for m in months if upto is None or m <= month_start(upto)]


# ------------------------------------------------------------------------------------------------ people


def dues_organisations(viewer: Any) -> QuerySet[Organisation]:
    """Party organisations (branches, general branches, committees) the viewer keeps the dues of."""
    return Scope.of(viewer, Cap.DUES).organisations().filter(tree=Tree.PARTY, level__in=BRANCH_LEVELS).order_by("path")


def visible_members(viewer: Any) -> QuerySet[Person]:
    """Party members whose dues the viewer may keep (a current membership inside their dues scope)."""
    members = Person.objects.filter(political_status__in=PoliticalStatus.party_members())
    return Scope.of(viewer, Cap.DUES).people(members)


def members_of(organisation: Organisation, first: date, last: date | None = None) -> QuerySet[Person]:
    """Party members (full and probationary) with a Party membership in ``organisation``'s subtree at some time
    from ``first`` to ``last`` (inclusive; default: the end of ``first``'s month)."""
    last = last or month_end(first)
    inside = Membership.objects.filter(
        person=OuterRef("pk"),
        tree=Tree.PARTY,
        organisation__path__startswith=organisation.path,
        since__lte=last,
    ).filter(Q(until__isnull=True) | Q(until__gt=first))  # until: the day it ends
    return Person.objects.filter(Exists(inside), political_status__in=PoliticalStatus.party_members())


# ------------------------------------------------------------------------------------------- amounts due


FARMER_RULE = "dues.farmer_monthly"


def farmer_amounts(person_ids: Iterable[int], *, on: date | None = None) -> dict[int, Decimal]:
    """What each of these people pays a month as a farmer member: the 本单位规定 ``dues.farmer_monthly`` in force
    on ``on`` (default today; for a month's due, its first day) of their current Party organisation (0.20 to
    1.00 yuan, 《党费规定》), the default for someone without one; in two queries however many they are. Set on
    a 党小组, the value applies to the group's members (their organisation is the group): the nearest
    organisation's value wins, as for every 本单位规定."""
    person_ids = list(person_ids)
    rows = Membership.objects.current().filter(person__in=person_ids, tree=Tree.PARTY).select_related("organisation")
    organisation_of = {row.person_id: row.organisation for row in rows}
    amounts = cast(dict[int, Decimal], local_rules.values(FARMER_RULE, set(organisation_of.values()), on=on))
    fallback = cast(Decimal, local_rules.default(FARMER_RULE))  # a money rule: its values are Decimal
    return {pk: amounts[organisation_of[pk].pk] if pk in organisation_of else fallback for pk in person_ids}


def farmer_amount_of(person: Person, *, on: date | None = None) -> Decimal:
    """One person's farmer amount in force on ``on``: what the ledger charges them and what pages show them."""
    return farmer_amounts([person.pk], on=on)[person.pk]


def monthly_dues_of(person: Person, base: Decimal, category: str, *, month: date | None = None) -> Decimal:
    """One person's monthly dues for a base and category (farmers at their organisation's amount in force in
    ``month``, default this month)."""
    on = month_start(month) if month is not None else None
    farmer = farmer_amount_of(person, on=on) if category == "farmer" else rules.FARMER_DEFAULT
    return rules.monthly_dues(base, category, farmer_amount=farmer)


@dataclass
class Ledger:
    """Bases, reductions and regular payments of a set of people, read once; answers per person and month.
    Farmers' amounts are read for the people who have a farmer base (few), by :func:`farmer_amounts`, for each
    month as in force on its first day: a later decision never changes a month already due."""

    bases: dict[int, list[tuple[date, str, Decimal]]] = field(default_factory=dict)
    reductions: dict[int, list[DuesReduction]] = field(default_factory=dict)
    paid: dict[tuple[int, date], Decimal] = field(default_factory=dict)
    farmers: dict[tuple[int, date], Decimal] = field(default_factory=dict)  # (person, month) → amount

    @classmethod
    def read(cls, ids: QuerySet | Iterable[int], first: date, last: date) -> Ledger:
        """``ids``: person ids, as a list or as a one-column values() queryset (read as a subquery)."""
        ledger = cls(defaultdict(list), defaultdict(list), {})
        ids = ids if isinstance(ids, QuerySet) else list(ids)
        rows = (
            DuesBase.objects.filter(person__in=ids, effective_from__lte=last)
            .order_by("person_id", "effective_from", "id")
            .values_list("person_id", "effective_from", "category", "base")
        )
        farmers = set()
        for person_id, effective_from, category, base in rows.iterator(chunk_size=20_000):
            ledger.bases[person_id].append((effective_from, category, base))
            if category == "farmer":
                farmers.add(person_id)
        if farmers:
            month = month_start(first)
            while month <= last:
                for person_id, amount in farmer_amounts(farmers, on=month).items():
                    ledger.farmers[person_id, month] = amount
                month = add_months(month, 1)
        for reduction in DuesReduction.objects.filter(person__in=ids, from_month__lte=last, to_month__gte=first):
            ledger.reductions[reduction.person_id].append(reduction)
        paid = (
            DuesPayment.objects.filter(person__in=ids, kind=Kind.REGULAR, month__range=(first, last))
            .values("person_id", "month")
            .annotate(total=Sum("amount"))
            .values_list("person_id", "month", "total")
        )
        for person_id, month, total in paid.iterator(chunk_size=20_000):
            ledger.paid[(person_id, month)] = total
        return ledger

    def base_on(self, person_id: int, month: date) -> tuple[date, str, Decimal] | None:
        history = self.bases.get(person_id) or []
        index = bisect_right([h[0] for h in history], month)  # the latest effective_from <= month, last recorded
        return history[index - 1] if index else None

    def reduction_on(self, person_id: int, month: date) -> DuesReduction | None:
        found = [r for r in self.reductions.get(person_id, ()) if r.from_month <= month <= r.to_month]
        return found[-1] if found else None

    def due(self, person_id: int, month: date) -> Decimal | None:
        """The month's dues (after a reduction); None when no base is recorded for that month."""
        base = self.base_on(person_id, month)
        if base is None:
            return None
        reduction = self.reduction_on(person_id, month)
        # Every farmer's amount was read with the bases; for other categories the amount is not used.
        farmer = self.farmers.get((person_id, month_start(month)), rules.FARMER_DEFAULT)
        full = rules.monthly_dues(base[2], base[1], farmer_amount=farmer)
        if reduction is not None:
            return min(full, reduction.amount if reduction.amount is not None else ZERO)
        return full

    def paid_for(self, person_id: int, month: date) -> Decimal:
        return self.paid.get((person_id, month), ZERO)

    def settled(self, person_id: int, month: date) -> bool:
        """Paid (a positive net regular payment) or nothing due (exempt): what arrears count."""
        return self.paid_for(person_id, month) > 0 or self.due(person_id, month) == ZERO


@dataclass
class Line:
    person: Person
    month: date
    category: str
    base: Decimal | None
    due: Decimal | None
    paid: Decimal
    reduced: bool

    @property
    def unpaid(self) -> Decimal:
        return max(ZERO, (self.due or ZERO) - self.paid)

    @property
    def status(self) -> str:
        """'no_base', 'exempt', 'paid', 'partial' or 'unpaid'."""
        if self.due is None:
            return "no_base"
        if self.due == ZERO:
            return "exempt"
        if self.paid >= self.due:
            return "paid"
        return "partial" if self.paid > 0 else "unpaid"

    @property
    def category_label(self) -> str:

        return str(dict(Category.choices).get(self.category, ""))


def line(ledger: Ledger, person: Person, month: date) -> Line:
    base = ledger.base_on(person.pk, month)
    return Line(
        person,
        month,
        base[1] if base else "",
        base[2] if base else None,
        ledger.due(person.pk, month),
        ledger.paid_for(person.pk, month),
        ledger.reduction_on(person.pk, month) is not None,
    )


@dataclass
class Roll:
    organisation: Organisation
    month: date
    lines: list[Line]

    @property
    def due(self) -> Decimal:
        return sum((ln.due or ZERO for ln in self.lines), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((ln.paid for ln in self.lines), ZERO)

    @property
    def unpaid(self) -> Decimal:
        return sum((ln.unpaid for ln in self.lines), ZERO)

    @property
    def rate(self) -> Decimal | None:
        return collection_rate(self.due, sum((min(ln.paid, ln.due or ZERO) for ln in self.lines), ZERO))


def collection_rate(due: Decimal, paid: Decimal) -> Decimal | None:
    """Paid as a percentage of due (one decimal); None when nothing is due."""
    if due <= 0:
        return None
    return (Decimal(100) * paid / due).quantize(Decimal("0.1"))


def roll(viewer: Any, organisation: Organisation, month: date) -> Roll:
    """应缴 / 实缴 / 未缴 of every Party member of ``organisation`` (its whole subtree) for ``month``."""
    Scope.of(viewer, Cap.DUES).require(organisation=organisation)
    month = month_start(month)
    people = list(members_of(organisation, month).order_by("employee_no"))
    ledger = Ledger.read([p.pk for p in people], month, month)
    return Roll(organisation, month, [line(ledger, p, month) for p in people])


#: The roll's filters by a line's status (``Line.status``), as the filter bar offers them.
ROLL_STATUSES = ("unpaid", "partial", "paid", "no_base", "exempt")
#: The roll's orders (``plaza.lib.listing``): the key of a line for each.
ROLL_ORDERS = {
    "no": lambda ln: ln.person.employee_no,
    "name": lambda ln: ln.person.name,
    "due": lambda ln: ln.due or ZERO,
    "unpaid": lambda ln: ln.unpaid,
    "status": lambda ln: ln.status,
}


def roll_lines(lines: list[Line], *, status: str = "", search: str = "", order: str = "no") -> list[Line]:
    """The roll's lines a filter bar asks for: ``status`` one of :data:`ROLL_STATUSES` ("" for all), ``search``
    part of a name or employee number, ``order`` a key of :data:`ROLL_ORDERS` ("-" first for descending); the
    totals stay those of the whole roll."""
    found = [ln for ln in lines if not status or ln.status == status]
    if search:
        found = [ln for ln in found if search in ln.person.name or search in ln.person.employee_no]
    key = ROLL_ORDERS.get(order.lstrip("-"), ROLL_ORDERS["no"])
    return sorted(found, key=lambda ln: (key(ln), ln.person.employee_no), reverse=order.startswith("-"))


def person_months(person: Person, months: list[date]) -> list[Line]:
    """One line per month for ``person`` (no permission check: the caller has found the person in scope)."""
    if not months:
        return []
    ledger = Ledger.read([person.pk], min(months), max(months))
    return [line(ledger, person, m) for m in months]


def window(today: date) -> list[date]:
    """The months a payment made today may cover (6 back, 3 ahead), as on the member's page."""
    first, last = rules.payment_months_allowed(today)
    months, month = [], first
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def payments_of(person: Person, year: int | None = None) -> QuerySet[DuesPayment]:
    qs = DuesPayment.objects.filter(person=person).select_related("recorded_by", "corrects")
    if year is not None:
        qs = qs.filter(month__year=year)
    return qs.order_by("-month", "-id")


# ------------------------------------------------------------------------------------------- statistics


@dataclass
class BranchFigures:
    organisation: Organisation
    members: int = 0
    due_month: Decimal = ZERO
    paid_month: Decimal = ZERO
    due_year: Decimal = ZERO
    paid_year: Decimal = ZERO
    extra_year: Decimal = ZERO
    unpaid_members: int = 0

    @property
    def rate_month(self) -> Decimal | None:
        return collection_rate(self.due_month, self.paid_month)

    @property
    def rate_year(self) -> Decimal | None:
        return collection_rate(self.due_year, self.paid_year)


def statistics(viewer: Any, month: date) -> tuple[list[BranchFigures], BranchFigures]:
    """Per branch in the viewer's dues scope: members, due and paid (capped at due) for ``month`` and for its
    year up to ``month``, the collection rates and voluntary extra payments; and the totals."""
    organisations = list(dues_organisations(viewer))
    branches = {o.path: o for o in organisations if o.level == Level.BRANCH}
    month = month_start(month)
    first = date(month.year, 1, 1)
    figures = {path: BranchFigures(o) for path, o in branches.items()}
    total = BranchFigures(Organisation(name="合计"))
    if not branches:
        return [], total
    # The scope's few subtree prefixes, not one per branch: members outside every branch are dropped below.
    scope_q = Scope.of(viewer, Cap.DUES).q("organisation__path")
    rows = (
        Membership.objects.filter(scope_q, tree=Tree.PARTY, since__lte=month_end(month))
        .filter(Q(until__isnull=True) | Q(until__gt=first))  # until: the day it ends
        .filter(person__political_status__in=PoliticalStatus.party_members())
        .values_list("person_id", "organisation__path")
    )
    branch_of: dict[int, str] = {}
    for person_id, path in rows.iterator(chunk_size=20_000):
        for cut in range(len(path), 0, -Organisation.steplen):
            if path[:cut] in branches:
                branch_of[person_id] = path[:cut]
                break
    ids = rows.values("person_id")
    ledger = Ledger.read(ids, first, month)
    months = months_of_year(month.year, month)
    for person_id, path in branch_of.items():
        row = figures[path]
        row.members += 1
        for m in months:
            due = ledger.due(person_id, m)
            if due is None:
                continue
            paid = min(ledger.paid_for(person_id, m), due)
            row.due_year += due
            row.paid_year += paid
            if m == month:
                row.due_month += due
                row.paid_month += paid
                row.unpaid_members += paid < due
    extras = DuesPayment.objects.filter(kind=Kind.EXTRA, month__range=(first, month), person_id__in=ids)
    for person_id, amount in extras.values_list("person_id", "amount"):
        if person_id in branch_of:
            figures[branch_of[person_id]].extra_year += amount
    result = [figures[path] for path in sorted(figures)]
    for row in result:
        for name in ("members", "due_month", "paid_month", "due_year", "paid_year", "extra_year", "unpaid_members"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return result, total


def bases_of(person: Person) -> QuerySet[DuesBase]:
    """The person's dues bases, newest first, with who recorded each."""
    return DuesBase.objects.filter(person=person).select_related("recorded_by").order_by("-effective_from", "-id")


def reductions_of(person: Person) -> QuerySet[DuesReduction]:
    """The person's reductions (减免), newest first."""
    return DuesReduction.objects.filter(person=person).order_by("-from_month")


def correctable_payments(person: Person) -> QuerySet[DuesPayment]:
    """The person's payments that are not themselves corrections, newest first: the ones a correction may follow."""
    return DuesPayment.objects.filter(person=person, corrects__isnull=True).order_by("-month", "-id")


def ledger_of_year(viewer: Any, month: date) -> QuerySet[DuesPayment]:
    """Every payment of people in the viewer's dues scope from January of ``month``'s year up to ``month``."""
    people = Scope.of(viewer, Cap.DUES).people().values("pk")
    return (
        DuesPayment.objects.filter(person__in=people, month__year=month.year, month__lte=month)
        .select_related("person", "recorded_by")
        .order_by("month", "person__employee_no", "id")
    )
