"""Reads of E线声音 and 职代会提案 shared by pages, API and exports; each takes the viewer and stays in scope
(a function returns None for "not there or not yours").

What a handler reads never carries an anonymous submitter: the handler's querysets do not select the
submitter, and the templates show :func:`shown_name`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast

from django.db.models import Q, QuerySet

from plaza.lib import clock
from plaza.orgs.models import Membership, Organisation, Tree
from plaza.orgs.permissions import Cap, Scope

from .models import (
    OPEN,
    WAITING,
    WORKING,
    Category,
    Congress,
    Event,
    Item,
    Message,
    Photo,
    Proposal,
    ProposalState,
    State,
    Support,
)


def shown_name(item: Item) -> str:
    """The name a handler reads: the submitter's only when the item is not anonymous."""
    return "" if item.anonymous else item.submitter.name


def categories() -> QuerySet[Category]:
    return Category.objects.filter(active=True).select_related("owner")


def all_categories(viewer: Any) -> QuerySet[Category]:
    return Category.objects.filter(Scope.of(viewer, Cap.VOICE).q("owner__path")).select_related("owner")


def managed_category(viewer: Any, category_id: int) -> Category | None:
    return all_categories(viewer).filter(pk=category_id).first()


def category(category_id: int) -> Category | None:
    return categories().filter(pk=category_id).first()


# ------------------------------------------------------------------------------------------ the submitter


def own_items(person: Any) -> QuerySet[Item]:
    return Item.objects.filter(submitter=person).select_related("category", "organisation")


def own_item(person: Any, item_id: int) -> Item | None:
    return own_items(person).filter(pk=item_id).first()


def recent_filing_times(person: Any, n: int) -> list[datetime]:
    """When the person's latest ``n`` items were filed, newest first (for the rate limit)."""
    if n <= 0:
        return []
    qs = Item.objects.filter(submitter=person).order_by("-created_at", "-id")
    return list(qs.values_list("created_at", flat=True)[:n])


def history(item: Item) -> QuerySet[Event]:
    return Event.objects.filter(item=item)


def thread(item: Item) -> QuerySet[Message]:
    return Message.objects.filter(item=item)


# ------------------------------------------------------------------------------------------ handlers


def _handled_q(viewer: Any) -> Q:
    scope = Scope.of(viewer, Cap.VOICE)
    return scope.q("organisation__path") | scope.q("forwarded_to__path")


def queue(viewer: Any, *, state: str = "", category_id: int | None = None, search: str = "") -> QuerySet[Item]:
    """The items the viewer's organisations handle or were sent: open ones first, the nearest deadline first."""
    rows = Item.objects.filter(_handled_q(viewer)).select_related(
        "category", "organisation", "forwarded_to", "submitter"
    )
    if state == "open":
        rows = rows.filter(state__in=OPEN)
    elif state in State.values:
        rows = rows.filter(state=state)
    if category_id:
        rows = rows.filter(category_id=category_id)
    if search:
        rows = rows.filter(Q(text__icontains=search) | Q(place__icontains=search))
    return rows.order_by("answered_on", "acknowledge_due", "-id")


def handled_item(viewer: Any, item_id: int) -> Item | None:
    return (
        Item.objects.filter(_handled_q(viewer), pk=item_id)
        .select_related("category", "organisation", "forwarded_to", "merged_into", "submitter")
        .first()
    )


def merge_targets(viewer: Any, item: Item) -> QuerySet[Item]:
    return (
        Item.objects.filter(Scope.of(viewer, Cap.VOICE).q("organisation__path"))
        .exclude(pk=item.pk)
        .exclude(state__in=[State.MERGED, State.RETURNED])
        .order_by("-id")[:50]
    )


def forward_targets(viewer: Any) -> QuerySet[Organisation]:
    """Organisations an item may be forwarded to: every active one of the enterprise."""
    return Organisation.objects.filter(is_active=True).order_by("tree", "path")


def overdue_count(viewer: Any, today: date | None = None) -> int:
    today = today or clock.today()
    rows = Item.objects.filter(_handled_q(viewer))
    return rows.filter(
        Q(state__in=WAITING, acknowledge_due__lt=today) | Q(state__in=WORKING, answer_due__lt=today)
    ).count()


def raised(viewer: Any) -> QuerySet[Item]:
    """The committee's list: items whose 附议 passed the threshold, in the viewer's scope."""
    return (
        Item.objects.filter(_handled_q(viewer), raised_on__isnull=False)
        .select_related("category", "organisation")
        .order_by("-supports", "-id")
    )


# ------------------------------------------------------------------------------------------ public wall


def public_items(viewer: Any) -> QuerySet[Item]:
    """Public items with their answers, for everyone signed in to read and support (no names)."""
    return (
        Item.objects.filter(public=True)
        .exclude(state__in=[State.MERGED, State.RETURNED])
        .select_related("category", "organisation")
        .order_by("-supports", "-id")
    )


def public_item(viewer: Any, item_id: int) -> Item | None:
    return public_items(viewer).filter(pk=item_id).first()


def supported_ids(viewer: Any, items: list[Item]) -> set[int]:
    return set(Support.objects.filter(person=viewer, item__in=items).values_list("item_id", flat=True))


def photo_for(viewer: Any, photo_id: int) -> Any:
    """A photo of an item the viewer filed, handles, or can read on the public wall; None otherwise."""
    visible = Q(item__submitter=viewer) | Q(item__public=True) | _prefixed(_handled_q(viewer), "item__")
    return Photo.objects.filter(visible, pk=photo_id).first()


def _prefixed(q: Q, prefix: str) -> Q:
    """The same filter on a related item's fields."""
    copy = Q()
    copy.connector, copy.negated = q.connector, q.negated
    for child in q.children:
        if isinstance(child, Q):
            copy.children.append(_prefixed(child, prefix))
        else:
            key, value = cast(tuple[str, Any], child)
            copy.children.append((f"{prefix}{key}", value))
    return copy


# ------------------------------------------------------------------------------------------ reports


@dataclass
class Report:
    month: date
    organisation: Organisation | None
    total: int = 0
    by_category: list[tuple[str, int]] = field(default_factory=list)
    accepted: int = 0
    accepted_in_time: int = 0
    answered: int = 0
    answered_in_time: int = 0
    rated: int = 0
    satisfied: int = 0
    overdue: list[Item] = field(default_factory=list)
    changes: list[Item] = field(default_factory=list)

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return round(part / whole, 4) if whole else None

    @property
    def response_rate(self) -> float | None:
        """响应率: accepted within the acknowledge deadline, of those accepted."""
        return self._rate(self.accepted_in_time, self.accepted)

    @property
    def resolution_rate(self) -> float | None:
        """解决率: answered within the answer deadline, of those answered."""
        return self._rate(self.answered_in_time, self.answered)

    @property
    def satisfaction_rate(self) -> float | None:
        """满意率: satisfied, of those rated."""
        return self._rate(self.satisfied, self.rated)


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last


def report_organisations(viewer: Any) -> QuerySet[Organisation]:
    return Scope.of(viewer, Cap.VOICE).organisations().filter(is_active=True).order_by("tree", "path")


def report(viewer: Any, month: date, organisation: Organisation | None = None, today: date | None = None) -> Report:
    """Items filed in ``month`` handled inside the viewer's scope (and inside ``organisation``'s subtree)."""
    today = today or clock.today()
    first, last = month_bounds(month)
    rows = Item.objects.filter(Scope.of(viewer, Cap.VOICE).q("organisation__path")).filter(
        received_on__gte=first, received_on__lte=last
    )
    rows = rows.filter(created_at__date__gte=first - timedelta(days=31))
    if organisation is not None:
        rows = rows.filter(organisation__path__startswith=organisation.path)
    found = Report(first, organisation)
    counts: dict[str, int] = {}
    for item in rows.select_related("category", "organisation").order_by("id"):
        found.total += 1
        counts[item.category.name] = counts.get(item.category.name, 0) + 1
        if item.accepted_in_time is not None:
            found.accepted += 1
            found.accepted_in_time += int(item.accepted_in_time)
        if item.answered_in_time is not None:
            found.answered += 1
            found.answered_in_time += int(item.answered_in_time)
        if item.satisfied is not None:
            found.rated += 1
            found.satisfied += int(item.satisfied)
        late = (item.state in WAITING and item.acknowledge_due < today) or (
            item.state in WORKING and item.answer_due is not None and item.answer_due < today
        )
        if late:
            found.overdue.append(item)
        if item.change_made:
            found.changes.append(item)
    found.by_category = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return found


# ------------------------------------------------------------------------------------------ 职代会提案


def _union_paths(person: Any) -> list[str]:
    return list(
        Membership.objects.current().filter(person=person, tree=Tree.UNION).values_list("organisation__path", flat=True)
    )


def congresses_for(person: Any) -> QuerySet[Congress]:
    """Congresses of the unions the person belongs to (their union or one above it), and those they run."""
    above = {up for path in _union_paths(person) for up in Organisation.paths_above(path)}
    return Congress.objects.filter(
        Q(organisation__path__in=above) | Scope.of(person, Cap.VOICE).q("organisation__path")
    ).select_related("organisation")


def congress_for(person: Any, congress_id: int) -> Congress | None:
    return congresses_for(person).filter(pk=congress_id).first()


def open_congresses(person: Any, today: date | None = None) -> QuerySet[Congress]:
    today = today or clock.today()
    return congresses_for(person).filter(opens_on__lte=today, closes_on__gte=today)


def proposals_of(congress: Congress) -> QuerySet[Proposal]:
    return Proposal.objects.filter(congress=congress).select_related("proposer", "department").order_by("id")


def proposal_for(person: Any, proposal_id: int) -> Proposal | None:
    """A proposal of a congress the person belongs to or runs, or one their organisation answers."""
    found = (
        Proposal.objects.filter(pk=proposal_id)
        .select_related("congress__organisation", "proposer", "department")
        .first()
    )
    if found is None:
        return None
    if congresses_for(person).filter(pk=found.congress_id).exists():
        return found
    if found.department is not None and Scope.of(person, Cap.VOICE).covers(found.department):
        return found
    return None


def own_proposals(person: Any) -> QuerySet[Proposal]:
    return Proposal.objects.filter(proposer=person).select_related("congress").order_by("-id")


def managed_congresses(viewer: Any) -> QuerySet[Congress]:
    return Congress.objects.filter(Scope.of(viewer, Cap.VOICE).q("organisation__path")).select_related("organisation")


def to_answer(viewer: Any) -> QuerySet[Proposal]:
    """Accepted proposals whose department is in the viewer's scope."""
    return (
        Proposal.objects.filter(Scope.of(viewer, Cap.VOICE).q("department__path"), state=ProposalState.ACCEPTED)
        .select_related("congress", "department")
        .order_by("answer_due")
    )


def yearly(viewer: Any, year: int) -> QuerySet[Proposal]:
    """The year's proposals of the congresses the viewer runs, in congress order."""
    return (
        Proposal.objects.filter(
            Scope.of(viewer, Cap.VOICE).q("congress__organisation__path"), congress__meets_on__year=year
        )
        .exclude(state=ProposalState.COLLECTING)
        .select_related("congress", "proposer", "department")
        .order_by("congress__meets_on", "id")
    )
