"""Reads for the transfers pages and the daily sweep. Every list takes the viewer and stays in their transfers
scope; a transfer is visible to its member and to the officers of either end."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import DateField, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, TruncDate

from plaza.accounts.models import Person, PoliticalStatus
from plaza.orgs.models import Level, Membership, Organisation, Tree
from plaza.orgs.permissions import Cap, Scope
from plaza.rules import transfers as rules
from plaza.rules.dates import add_months

from . import labels
from .models import Contact, Kind, State, Transfer

FLOOR = date(1900, 1, 1)


def transfer_organisations(viewer: Any) -> QuerySet[Organisation]:
    """Party branches the viewer handles transfers for."""
    return Scope.of(viewer, Cap.TRANSFERS).organisations().filter(tree=Tree.PARTY, level=Level.BRANCH).order_by("path")


def receiving_branches() -> QuerySet[Organisation]:
    """Every active Party branch in Plaza (a transfer may go to any of them)."""
    return Organisation.objects.filter(tree=Tree.PARTY, level=Level.BRANCH, is_active=True).order_by("path")


def visible_transfers(viewer: Any) -> QuerySet[Transfer]:
    """The viewer's own transfers and those of the branches in their transfers scope (either end)."""
    scope = Scope.of(viewer, Cap.TRANSFERS)
    q = Q(person_id=getattr(viewer, "pk", None))
    if not scope.is_empty:
        q |= scope.q("from_org__path") | scope.q("to_org__path")
    return Transfer.objects.filter(q).select_related("person", "from_org", "to_org", "started_by", "decided_by")


def branch_transfers(
    viewer: Any, direction: str = "", state: str = "", *, search: str = "", order: Sequence[str] = ()
) -> QuerySet[Transfer]:
    """Transfers of the viewer's branches: ``direction`` 'out' (from them), 'in' (to them) or both; ``search``
    a name, employee number or letter number (part of one); ``order`` fields for ``order_by`` (the view's
    whitelisted ``?sort=``, ``plaza.lib.listing``), newest first by default."""
    scope = Scope.of(viewer, Cap.TRANSFERS)
    if scope.is_empty:
        return Transfer.objects.none()
    if direction == "out":
        q = scope.q("from_org__path")
    elif direction == "in":
        q = scope.q("to_org__path")
    else:
        q = scope.q("from_org__path") | scope.q("to_org__path")
    qs = Transfer.objects.filter(q)
    if state == "open":
        qs = qs.filter(state__in=[State.PENDING, State.ISSUED])
    elif state in State.values:
        qs = qs.filter(state=state)
    if search:
        found = Q(person__name__icontains=search) | Q(person__employee_no__icontains=search)
        qs = qs.filter(found | Q(letter_no__icontains=search))
    return qs.select_related("person", "from_org", "to_org").order_by(*(order or ("-created_at", "-id")))


def my_transfers(person: Person) -> QuerySet[Transfer]:
    return Transfer.objects.filter(person=person).select_related("from_org", "to_org").order_by("-created_at", "-id")


def transfer_members(viewer: Any) -> QuerySet[Person]:
    """Party members with a current Party membership inside the viewer's transfers scope."""
    scope = Scope.of(viewer, Cap.TRANSFERS)
    inside = Membership.objects.filter(
        Q(person=OuterRef("pk")), Q(until__isnull=True), Q(tree=Tree.PARTY), scope.q("organisation__path")
    )
    return Person.objects.filter(Exists(inside), political_status__in=PoliticalStatus.party_members())


def with_last_contact(people: QuerySet[Person]) -> QuerySet[Person]:
    """Annotate ``last_contact``: the latest of a contact recorded by the branch, the member's last login, the
    start of their current Party membership (joining the branch is a contact) and the day their account was
    created — Plaza cannot say anyone was out of contact before it knew them, so a freshly imported enterprise
    does not flag every member who has not signed in yet."""
    contact = Contact.objects.filter(person=OuterRef("pk")).order_by("-last_contact_on").values("last_contact_on")[:1]
    since = Membership.objects.filter(person=OuterRef("pk"), tree=Tree.PARTY, until__isnull=True).values("since")[:1]
    floor = Value(FLOOR, output_field=DateField())
    return people.annotate(
        last_contact=Greatest(
            Coalesce(Subquery(contact, output_field=DateField()), floor),
            Coalesce(TruncDate("last_login"), floor),
            Coalesce(Subquery(since, output_field=DateField()), floor),
            Coalesce(TruncDate("date_joined"), floor),
            output_field=DateField(),
        )
    )


@dataclass
class LostMember:
    person: Person
    last_contact: date
    message: str


def out_of_contact(people: QuerySet[Person], today: date) -> list[LostMember]:
    """Members of ``people`` out of contact 6 months or more on ``today`` (:func:`rules.out_of_contact_notice`).
    The database narrows to a few days around the six-month line; the rule decides."""
    line = add_months(today, -rules.OUT_OF_CONTACT_MONTHS) + timedelta(days=4)
    found = []
    rows = with_last_contact(people.filter(is_active=True)).filter(last_contact__lte=line)  # type: ignore[misc]
    for person in rows.order_by("employee_no").iterator(chunk_size=2000):
        last = person.last_contact  # type: ignore[attr-defined]  # annotated by with_last_contact
        notice = rules.out_of_contact_notice(last, today)
        if notice is not None:
            found.append(LostMember(person, last, labels.rule_message(notice.message)))
    return found


def lost_contact(viewer: Any, today: date) -> list[LostMember]:
    return out_of_contact(transfer_members(viewer), today)


def letter_lookup(number: str) -> Transfer | None:
    return (
        Transfer.objects.filter(kind=Kind.OUTGOING, letter_no=number.strip())
        .select_related("person", "from_org")
        .first()
    )


def incoming_person(employee_no: str) -> Person | None:
    """The active person with this employee number, anywhere in the enterprise: a member coming in is not yet in
    the viewer's scope, so this lookup is not scoped (registering them is, in ``services.register_incoming``)."""
    return Person.objects.filter(employee_no=employee_no.strip(), is_active=True).first()
