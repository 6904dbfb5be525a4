"""Reads for the booking pages: services a person may book, free slots of a day, the day's queue, statistics.
Every function takes the viewer or services the caller already found in scope."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from plaza.lib import clock
from plaza.orgs.models import Membership
from plaza.orgs.permissions import Cap, Scope

from . import services
from .models import Booking, ClosedDay, OpeningHours, Service, Slot, Status

MAX_STATS_DAYS = 366


def bookable_services(person: Any) -> QuerySet[Service]:
    """Open services offered to the person: their organisation's subtree holds one of the person's current
    memberships (the audience — Party or union members only — is checked when booking and shown)."""
    inside = Membership.objects.current().filter(
        person=person, organisation__path__startswith=OuterRef("organisation__path")
    )
    return Service.objects.filter(Exists(inside), active=True).select_related("organisation")


def visible_service(person: Any, service_id: int) -> Service | None:
    """A service the person may book or keeps; None otherwise (the page answers 404)."""
    inside = Membership.objects.current().filter(
        person=person, organisation__path__startswith=OuterRef("organisation__path")
    )
    kept = Scope.of(person, Cap.BOOKING).q("organisation__path")
    return (
        Service.objects.filter(Q(Exists(inside), active=True) | kept, pk=service_id)
        .select_related("organisation")
        .first()
    )


def managed_services(viewer: Any) -> QuerySet[Service]:
    return Service.objects.filter(Scope.of(viewer, Cap.BOOKING).q("organisation__path")).select_related("organisation")


def bookings_of(person: Any) -> QuerySet[Booking]:
    return Booking.objects.filter(person=person).select_related("slot", "service").order_by("-slot__starts_at", "-id")


@dataclass(frozen=True)
class FreeSlot:
    starts_at: datetime
    ends_at: datetime
    capacity: int
    booked: int
    mine: bool
    #: Booked now, it could no longer be cancelled or moved: the slot starts within the service's cancel window
    #: (``Service.cancel_hours``). The page says so before the person confirms, not after.
    binding: bool = False

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked, 0)

    @property
    def value(self) -> str:
        return timezone.localtime(self.starts_at).isoformat()


def day_slots(service: Service, day: date, person: Any = None, now: datetime | None = None) -> list[FreeSlot]:
    """The slots of ``day`` still ahead of ``now``, with places taken (no rows needed for slots nobody took)."""
    now = now or clock.now()
    times = services.slot_times(service, day)
    if not times:
        return []
    taken = {slot.starts_at: slot for slot in Slot.objects.filter(service=service, starts_at__date=day)}
    mine = set()
    if person is not None and getattr(person, "is_authenticated", False):
        mine = set(
            Booking.objects.filter(service=service, person=person, slot__starts_at__date=day)
            .exclude(status=Status.CANCELLED)
            .values_list("slot__starts_at", flat=True)
        )
    found = []
    for start, end, places in times:
        if start <= now:
            continue
        slot = taken.get(start)
        binding = now >= services.cancel_cut_off(service, start)
        found.append(
            FreeSlot(start, end, slot.capacity if slot else places, slot.booked if slot else 0, start in mine, binding)
        )
    return found


#: The queue's filter by status (issue 14): cancelled bookings are never in the queue.
QUEUE_STATUSES = (Status.BOOKED, Status.CHECKED_IN, Status.DONE, Status.NO_SHOW)


def queue(
    service: Service,
    day: date,
    *,
    status: str = "",
    search: str = "",
    order: Sequence[str] = ("slot__starts_at", "id"),
    ids: Iterable[int] | None = None,
) -> QuerySet[Booking]:
    """The day's bookings of a service in order of time, cancelled ones left out; of one status (one of
    :data:`QUEUE_STATUSES`), whose person's name or employee number contains ``search``, in ``order`` (a
    whitelisted ``plaza.lib.listing`` order), or only those of ``ids`` (the ticked rows of a bulk action) when
    given."""
    rows = Booking.objects.filter(service=service, slot__starts_at__date=day).exclude(status=Status.CANCELLED)
    if status in QUEUE_STATUSES:
        rows = rows.filter(status=status)
    if search:
        rows = rows.filter(Q(person__name__contains=search) | Q(person__employee_no__contains=search))
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.select_related("slot", "person").order_by(*order)


@dataclass(frozen=True)
class ServiceStats:
    service: Service
    bookings: int
    capacity: int
    no_shows: int
    done: int
    average_rating: float | None
    ratings: int

    @property
    def utilisation(self) -> float | None:
        return self.bookings / self.capacity if self.capacity else None


def capacity_between(service: Service, first: date, last: date) -> int:
    """Places offered from ``first`` to ``last``: from the slot rows where booked, from the hours elsewhere."""
    rows = dict(
        Slot.objects.filter(service=service, starts_at__date__gte=first, starts_at__date__lte=last).values_list(
            "starts_at", "capacity"
        )
    )
    total = 0
    day = first
    while day <= last:
        for start, _end, places in services.slot_times(service, day):
            total += rows.pop(start, places)
        day += timedelta(days=1)
    return total + sum(rows.values())  # slots booked before the hours changed


def statistics(services_qs: QuerySet[Service], first: date, last: date) -> list[ServiceStats]:
    """Per service, from ``first`` to ``last``: bookings (not cancelled), places offered, no-shows, done,
    the average rating."""
    last = min(last, first + timedelta(days=MAX_STATS_DAYS - 1))
    in_range = Q(bookings__slot__starts_at__date__gte=first, bookings__slot__starts_at__date__lte=last)
    rows = services_qs.annotate(
        n_bookings=Count("bookings", filter=in_range & ~Q(bookings__status=Status.CANCELLED)),
        n_no_shows=Count("bookings", filter=in_range & Q(bookings__status=Status.NO_SHOW)),
        n_done=Count("bookings", filter=in_range & Q(bookings__status=Status.DONE)),
        n_ratings=Count("bookings", filter=in_range & Q(bookings__rating__isnull=False)),
        avg_rating=Avg("bookings__rating", filter=in_range),
    ).order_by("name", "id")
    return [
        ServiceStats(
            service,
            service.n_bookings,
            capacity_between(service, first, last),
            service.n_no_shows,
            service.n_done,
            service.avg_rating,
            service.n_ratings,
        )
        for service in rows
    ]


def own_booking(person: Any, booking_id: int) -> Booking | None:
    """One of the person's own bookings with its slot and service, or None."""
    return Booking.objects.select_related("slot", "service__organisation").filter(pk=booking_id, person=person).first()


def booking_to_move(person: Any, service: Service, booking_id: int) -> Booking | None:
    """The person's own booking of ``service`` still to come (being moved to another slot), or None."""
    return (
        Booking.objects.filter(pk=booking_id, person=person, service=service, status=Status.BOOKED)
        .select_related("slot")
        .first()
    )


def managed_booking(viewer: Any, booking_id: int) -> Booking | None:
    """A booking of a service the viewer handles (``Cap.BOOKING`` over its organisation), or None."""
    return (
        Booking.objects.filter(Scope.of(viewer, Cap.BOOKING).q("service__organisation__path"))
        .select_related("slot", "person")
        .filter(pk=booking_id)
        .first()
    )


def coming_closed_days(service: Service) -> QuerySet[ClosedDay]:
    """The days from today on when the service is closed (暂停办理)."""
    return ClosedDay.objects.filter(service=service, day__gte=clock.today())


def opening_hours(service: Service) -> QuerySet[OpeningHours]:
    """The service's weekly opening hours."""
    return OpeningHours.objects.filter(service=service)


def queue_counts(rows: QuerySet[Booking]) -> dict[str, int]:
    """How many of the day's bookings (:func:`queue`) are in each state; every state present."""
    counts = {state: 0 for state in Status.values}
    for state in rows.values_list("status", flat=True):
        counts[state] += 1
    return counts
