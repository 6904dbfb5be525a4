"""Reads for the points pages: a person's history, the rankings, the mall as one person sees it, the staff
report. Rankings read the per-period totals kept with every entry (``models.Total``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from plaza.core import clock
from plaza.orgs.models import Level, Membership, Organisation, Tree

from .models import RANKED_KINDS, Balance, Entry, Item, Kind, Order, OrderState, Total, period_keys

PERIODS = ("week", "month", "all")
RANKING_SIZE = 50


def history(person: Any) -> QuerySet[Entry]:
    return Entry.objects.filter(person=person).order_by("-created_at", "-id")


def period_start(period: str, now: datetime | None = None) -> datetime | None:
    """Monday 00:00 of this week, the 1st of this month, or None for all time (local time)."""
    today = timezone.localtime(now).date()
    if period == "week":
        first = today - timedelta(days=today.weekday())
    elif period == "month":
        first = today.replace(day=1)
    else:
        return None
    return timezone.make_aware(datetime.combine(first, time.min))


def branch_of(person: Any) -> Organisation | None:
    """The person's Party branch (a Party group's parent branch), or None for someone outside the Party tree."""
    membership = (
        Membership.objects.current().filter(person=person, tree=Tree.PARTY).select_related("organisation").first()
    )
    if membership is None:
        return None
    organisation = membership.organisation
    if organisation.level == Level.GROUP:
        return organisation.get_parent()
    return organisation


@dataclass(frozen=True)
class Row:
    rank: int
    person_id: int
    name: str
    employee_no: str
    total: int


def ranking(
    period: str, organisation: Organisation | None = None, *, limit: int = RANKING_SIZE, now: datetime | None = None
) -> list[Row]:
    """The people who earned most in this week, this month or all time, within the organisation's subtree
    (None: everyone). Reads the totals kept with every entry (``models.Total``): one index scan with a LIMIT.
    Spending in the mall does not lower anyone's rank."""
    week, month, all_time = period_keys(now or clock.now())
    key = {"week": week, "month": month}.get(period, all_time)
    totals = Total.objects.filter(period=key, earned__gt=0)
    if organisation is not None:
        members = Membership.objects.current().filter(organisation__path__startswith=organisation.path)
        totals = totals.filter(person__in=members.values("person_id"))
    rows = totals.order_by("-earned", "person_id").values_list(
        "person_id", "person__name", "person__employee_no", "earned"
    )[:limit]
    return [Row(i, person_id, name, number, earned) for i, (person_id, name, number, earned) in enumerate(rows, 1)]


def earned_in(person: Any, period: str) -> int:
    entries = Entry.objects.filter(person=person, kind__in=RANKED_KINDS)
    start = period_start(period)
    if start is not None:
        entries = entries.filter(created_at__gte=start)
    return entries.aggregate(s=Sum("amount"))["s"] or 0


def offered_items(person: Any, now: datetime | None = None) -> QuerySet[Item]:
    """Active items offered to the person: unrestricted, or restricted to an organisation they are inside."""
    now = now or clock.now()
    paths = list(Membership.objects.current().filter(person=person).values_list("organisation__path", flat=True))
    inside = Q(pk__in=[])
    for path in paths:  # an item's organisation is an ancestor of (or is) one of the person's organisations
        inside |= Q(organisations__path__in=Organisation.paths_above(path))
    restricted = Item.organisations.through.objects.filter(item_id=OuterRef("pk"))
    open_items = Item.objects.filter(~Exists(restricted))
    qs = Item.objects.filter(active=True).filter(
        Q(pk__in=open_items.values("pk")) | Q(pk__in=Item.objects.filter(inside).values("pk"))
    )
    return qs.filter(Q(available_until__isnull=True) | Q(available_until__gte=now)).order_by("price", "id")


def orders_of(person: Any) -> QuerySet[Order]:
    return Order.objects.filter(person=person).select_related("item").order_by("-placed_at", "-id")


def to_prepare() -> QuerySet[Order]:
    return Order.objects.filter(state=OrderState.PLACED).select_related("item", "person").order_by("placed_at", "id")


def to_prepare_by_item() -> list[dict[str, Any]]:
    return list(
        Order.objects.filter(state=OrderState.PLACED)
        .values("item_id", "item__name")
        .annotate(orders=Count("id"), pieces=Sum("quantity"))
        .order_by("-pieces")
    )


def report() -> dict[str, Any]:
    """Points issued (earned, awarded, positive adjustments), spent (net of refunds), expired, outstanding
    (the sum of balances), and the most redeemed items."""
    sums = dict(Entry.objects.values("kind").annotate(s=Sum("amount")).values_list("kind", "s"))
    positive_adjust = Entry.objects.filter(kind=Kind.ADJUST, amount__gt=0).aggregate(s=Sum("amount"))["s"] or 0
    negative_adjust = Entry.objects.filter(kind=Kind.ADJUST, amount__lt=0).aggregate(s=Sum("amount"))["s"] or 0
    popular = list(
        Order.objects.exclude(state=OrderState.CANCELLED)
        .values("item_id", "item__name")
        .annotate(pieces=Sum("quantity"), points=Sum("points"), people=Count("person", distinct=True))
        .order_by("-pieces")[:10]
    )
    return {
        "issued": (sums.get(Kind.EARN) or 0) + positive_adjust,
        "spent": -(sums.get(Kind.SPEND) or 0) - (sums.get(Kind.REFUND) or 0),
        "expired": -(sums.get(Kind.EXPIRE) or 0),
        "deducted": -negative_adjust,
        "outstanding": Balance.objects.aggregate(s=Sum("amount"))["s"] or 0,
        "holders": Balance.objects.filter(amount__gt=0).count(),
        "by_source": list(
            Entry.objects.filter(kind=Kind.EARN)
            .values("source_type")
            .annotate(s=Sum("amount"), n=Count("id"))
            .order_by("-s")
        ),
        "popular": popular,
        "orders": dict(Order.objects.values("state").annotate(n=Count("id")).values_list("state", "n")),
    }


# ------------------------------------------------------------------------------------------- yearly expiry


def year_end(year: int) -> datetime:
    return timezone.make_aware(datetime(year + 1, 1, 1))


def earned_since(moment: datetime) -> dict[int, int]:
    """Per person, the points credited from ``moment`` on: what a yearly expiry leaves them."""
    return dict(
        Entry.objects.filter(created_at__gte=moment, amount__gt=0)
        .values("person_id")
        .annotate(s=Sum("amount"))
        .values_list("person_id", "s")
    )


@dataclass(frozen=True)
class ExpiryPreview:
    year: int
    people: int  # who would lose points
    points: int  # how many in all
    done_people: int  # already expired for this year (the expiry is idempotent)


def expiry_preview(year: int) -> ExpiryPreview:
    """What 年度清零 of ``year`` would take now, without taking it (the staff page shows it before asking)."""
    later = earned_since(year_end(year))
    people = points = 0
    for person_id, amount in Balance.objects.filter(amount__gt=0).values_list("person_id", "amount").iterator():
        expiring = amount - later.get(person_id, 0)
        if expiring > 0:
            people, points = people + 1, points + expiring
    done = Entry.objects.filter(kind=Kind.EXPIRE, source_type="expire", source_id=str(year)).count()
    return ExpiryPreview(year, people, points, done)
