"""Reads for the points pages: a person's history, the rankings, the mall as one person sees it, the staff
report. Rankings read the per-period totals kept with every entry (``models.Total``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from plaza.lib import clock, memo
from plaza.orgs.models import Level, Membership, Organisation, Tree
from plaza.orgs.permissions import Cap, Scope

from .models import RANKED_KINDS, Balance, Entry, Item, Kind, Order, OrderState, Total, period_keys

PERIODS = ("week", "month", "all")
RANKING_SIZE = 50


def reading_key(article_key: str, person_id: int) -> str:
    """The ledger's idempotency key of the 阅读豆 for one article and person: once per article (rulebook section 9)."""
    return f"reading:{article_key}:{person_id}"


def reading_beans_granted(person: Any, article_key: str) -> bool:
    """Whether the person already has this article's 阅读豆 (the reading page then stops offering them)."""
    return Entry.objects.filter(idempotency_key=reading_key(article_key, person.pk)).exists()


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
        return Organisation.objects.get_parent(organisation)
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


# ------------------------------------------------------------------------------------------- the staff's scope
#
# The mall and the ledger are kept by 组织部 staff (``Cap.POINTS``), each for their own organisations (issue 11,
# item 3): a subsidiary 党委's staff run the items restricted to their organisations, hand over and cancel those
# items' orders, and report on and expire the points of their people; the enterprise 党委's staff — a top-level
# Party committee — and administrators also run the items offered to everyone and see every ledger.


def runs_whole_mall(viewer: Any) -> bool:
    """An administrator, or ``Cap.POINTS`` over a top-level Party organisation (the enterprise 党委's 组织部):
    the only ones who may keep items offered to everyone (no organisations), which reach far beyond any
    subsidiary. Cached on the viewer for the request."""
    if not getattr(viewer, "is_authenticated", False):
        return False

    def work_out() -> bool:
        scope = Scope.of(viewer, Cap.POINTS)
        return scope.everything or (
            bool(scope.paths) and Organisation.objects.filter(depth=1, tree=Tree.PARTY, path__in=scope.paths).exists()
        )

    return memo.remembered(viewer, "points_whole_mall", work_out)


def managed_items(viewer: Any) -> QuerySet[Item]:
    """The items the viewer keeps: every item for the whole mall's staff; otherwise the items restricted to
    organisations, all of them inside the viewer's scope (an item also offered elsewhere belongs to whoever
    covers all of it)."""
    scope = Scope.of(viewer, Cap.POINTS)
    if scope.is_empty:
        return Item.objects.none()
    if runs_whole_mall(viewer):
        return Item.objects.all()
    through = Item.organisations.through.objects.filter(item_id=OuterRef("pk"))
    return Item.objects.filter(Exists(through), ~Exists(through.exclude(scope.q("organisation__path"))))


def managed_orders(viewer: Any) -> QuerySet[Order]:
    """Orders of the items the viewer keeps: theirs to prepare, hand over or cancel."""
    return Order.objects.filter(item__in=managed_items(viewer))


def ledger_people(viewer: Any) -> QuerySet[Any] | None:
    """Whose points the viewer reports on and expires: None for everyone (the whole mall's staff, or the
    system's yearly job when ``viewer`` is None), else the people inside their ``Cap.POINTS`` scope."""
    if viewer is None or runs_whole_mall(viewer):
        return None
    return Scope.of(viewer, Cap.POINTS).people().values("pk")


def to_prepare(viewer: Any) -> QuerySet[Order]:
    return (
        managed_orders(viewer)
        .filter(state=OrderState.PLACED)
        .select_related("item", "person")
        .order_by("placed_at", "id")
    )


def to_prepare_by_item(viewer: Any) -> list[dict[str, Any]]:
    return list(
        managed_orders(viewer)
        .filter(state=OrderState.PLACED)
        .values("item_id", "item__name")
        .annotate(orders=Count("id"), pieces=Sum("quantity"))
        .order_by("-pieces")
    )


def report(viewer: Any) -> dict[str, Any]:
    """Points issued (earned, awarded, positive adjustments), spent (net of refunds), expired, outstanding
    (the sum of balances) of the people the viewer keeps the ledger of, and the most redeemed of their items."""
    people = ledger_people(viewer)
    entries, balances = Entry.objects.all(), Balance.objects.all()
    if people is not None:
        entries, balances = entries.filter(person__in=people), balances.filter(person__in=people)
    orders = managed_orders(viewer)
    sums = dict(entries.values("kind").annotate(s=Sum("amount")).values_list("kind", "s"))
    positive_adjust = entries.filter(kind=Kind.ADJUST, amount__gt=0).aggregate(s=Sum("amount"))["s"] or 0
    negative_adjust = entries.filter(kind=Kind.ADJUST, amount__lt=0).aggregate(s=Sum("amount"))["s"] or 0
    popular = list(
        orders.exclude(state=OrderState.CANCELLED)
        .values("item_id", "item__name")
        .annotate(pieces=Sum("quantity"), points=Sum("points"), people=Count("person", distinct=True))
        .order_by("-pieces")[:10]
    )
    return {
        "issued": (sums.get(Kind.EARN) or 0) + positive_adjust,
        "spent": -(sums.get(Kind.SPEND) or 0) - (sums.get(Kind.REFUND) or 0),
        "expired": -(sums.get(Kind.EXPIRE) or 0),
        "deducted": -negative_adjust,
        "outstanding": balances.aggregate(s=Sum("amount"))["s"] or 0,
        "holders": balances.filter(amount__gt=0).count(),
        "by_source": list(
            entries.filter(kind=Kind.EARN).values("source_type").annotate(s=Sum("amount"), n=Count("id")).order_by("-s")
        ),
        "popular": popular,
        "orders": dict(orders.values("state").annotate(n=Count("id")).values_list("state", "n")),
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


def expiring_balances(viewer: Any) -> QuerySet[Balance]:
    """The positive balances a yearly expiry by ``viewer`` (None: the system) would look at."""
    people = ledger_people(viewer)
    balances = Balance.objects.filter(amount__gt=0)
    return balances if people is None else balances.filter(person__in=people)


def expiry_preview(year: int, viewer: Any = None) -> ExpiryPreview:
    """What 年度清零 of ``year`` by ``viewer`` (None: the system) would take now, without taking it (the staff
    page shows it before asking), among the people whose ledger they keep."""
    later = earned_since(year_end(year))
    people = points = 0
    for person_id, amount in expiring_balances(viewer).values_list("person_id", "amount").iterator():
        expiring = amount - later.get(person_id, 0)
        if expiring > 0:
            people, points = people + 1, points + expiring
    done = Entry.objects.filter(kind=Kind.EXPIRE, source_type="expire", source_id=str(year))
    ledger = ledger_people(viewer)
    if ledger is not None:
        done = done.filter(person__in=ledger)
    return ExpiryPreview(year, people, points, done.count())


def order_for(viewer: Any, order_id: int) -> tuple[Order, bool] | None:
    """An order and whether the viewer runs the mall it belongs to; None unless it is theirs or they run it."""
    order = Order.objects.select_related("item", "person").filter(pk=order_id).first()
    staff = order is not None and managed_orders(viewer).filter(pk=order.pk).exists()
    if order is None or (order.person_id != viewer.pk and not staff):
        return None
    return order, staff
