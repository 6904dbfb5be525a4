"""Reads of 活动与共建 shared by the pages, the API and the exports. Each takes the viewer and stays in scope: a
person sees the activities meant for them (their organisations or one above in the audience) and those they
signed up for; an organiser those of the organisations they keep. ``None`` means "not there or not yours"."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from plaza.lib import clock
from plaza.orgs.models import Membership, Organisation
from plaza.orgs.permissions import Cap, Scope

from . import services
from .models import Activity, Kind, Partner, PartnerContact, PartnerRecord, Photo, Signup, SignupState, State

MAX_STATS_DAYS = 366 * 2


def _meant_for(person: Any) -> Q:
    return Q(audience__path__in=services.audience_paths(person))


def open_to(person: Any, *, kind: str = "", now: datetime | None = None) -> QuerySet[Activity]:
    """Activities meant for the person that have not ended, soonest first (cancelled ones left out)."""
    now = now or clock.now()
    ids = Activity.objects.filter(_meant_for(person)).values("pk")
    rows = Activity.objects.filter(pk__in=ids, ends_at__gt=now).exclude(state=State.CANCELLED)
    if kind in Kind.values:
        rows = rows.filter(kind=kind)
    return rows.select_related("organisation").prefetch_related("partners").order_by("starts_at", "id")


def past_for(person: Any, *, now: datetime | None = None) -> QuerySet[Activity]:
    """Activities meant for the person that are over, latest first: their reports and photos."""
    now = now or clock.now()
    ids = Activity.objects.filter(_meant_for(person)).values("pk")
    return (
        Activity.objects.filter(pk__in=ids, ends_at__lte=now)
        .exclude(state=State.CANCELLED)
        .select_related("organisation")
        .order_by("-starts_at", "-id")
    )


def my_states(person: Any, activity_ids: list[int]) -> dict[int, str]:
    """The person's live sign-up state per activity among ``activity_ids``."""
    if not getattr(person, "is_authenticated", False):
        return {}
    return dict(
        Signup.objects.filter(person=person, activity_id__in=activity_ids)
        .exclude(state=SignupState.CANCELLED)
        .values_list("activity_id", "state")
    )


def activity_for(person: Any, activity_id: int) -> Activity | None:
    """An activity meant for the person, one they signed up for, or one they organise; otherwise None."""
    if not getattr(person, "is_authenticated", False):
        return None
    mine = Signup.objects.filter(person=person).values("activity_id")
    ids = Activity.objects.filter(
        _meant_for(person) | Q(pk__in=mine) | Scope.of(person, Cap.ACTIVITIES).q("organisation__path"),
        pk=activity_id,
    ).values("pk")
    return Activity.objects.filter(pk__in=ids).select_related("organisation").first()


def my_signups(person: Any) -> QuerySet[Signup]:
    """Every sign-up of the person (cancelled ones too), the latest activity first."""
    return (
        Signup.objects.filter(person=person)
        .select_related("activity__organisation")
        .order_by("-activity__starts_at", "-id")
    )


def own_signup(person: Any, signup_id: int) -> Signup | None:
    return Signup.objects.filter(pk=signup_id, person=person).select_related("activity").first()


def activity_by_code(person: Any, activity_id: int, token: str) -> Activity | None:
    """The activity a scanned code names (any signed-in person may open the check-in page with it); None for a
    wrong code, so without the code the page does not exist."""
    if not getattr(person, "is_authenticated", False):
        return None
    activity = Activity.objects.filter(pk=activity_id).first()
    if activity is None or not services.token_names(activity, token):
        return None
    return activity


def managed_activities(
    viewer: Any, *, search: str = "", kind: str = "", when: str = "", now: datetime | None = None
) -> QuerySet[Activity]:
    """The activities of the organisations the viewer keeps; ``when`` is "coming" or "past"."""
    now = now or clock.now()
    rows = Activity.objects.filter(Scope.of(viewer, Cap.ACTIVITIES).q("organisation__path"))
    if search:
        rows = rows.filter(
            Q(title__icontains=search) | Q(place__icontains=search) | Q(partners__name__icontains=search)
        )
        rows = Activity.objects.filter(pk__in=rows.values("pk"))
    if kind in Kind.values:
        rows = rows.filter(kind=kind)
    if when == "coming":
        rows = rows.filter(ends_at__gt=now).order_by("starts_at", "id")
    elif when == "past":
        rows = rows.filter(ends_at__lte=now).order_by("-starts_at", "-id")
    else:
        rows = rows.order_by("-starts_at", "-id")
    return rows.select_related("organisation")


def managed_activity(viewer: Any, activity_id: int) -> Activity | None:
    return (
        Activity.objects.filter(Scope.of(viewer, Cap.ACTIVITIES).q("organisation__path"), pk=activity_id)
        .select_related("organisation")
        .first()
    )


def managed_signup(viewer: Any, signup_id: int) -> Signup | None:
    return (
        Signup.objects.filter(Scope.of(viewer, Cap.ACTIVITIES).q("activity__organisation__path"), pk=signup_id)
        .select_related("activity", "person")
        .first()
    )


def participants(activity: Activity) -> QuerySet[Signup]:
    """The live sign-ups: confirmed first (in the order they came), then the waiting list in its order."""
    return (
        activity.signups.exclude(state=SignupState.CANCELLED)
        .select_related("person")
        .order_by("state", "created_at", "id")  # "confirmed" < "waiting": confirmed first
    )


@dataclass(frozen=True)
class Participant:
    signup: Signup
    organisation: str


def participant_rows(activity: Activity) -> list[Participant]:
    """:func:`participants` with each person's organisations' names (for the list and its export)."""
    rows = list(participants(activity))
    names: dict[int, list[str]] = defaultdict(list)
    for person_id, name in (
        Membership.objects.current()
        .filter(person_id__in=[s.person_id for s in rows])
        .order_by("tree")
        .values_list("person_id", "organisation__name")
    ):
        names[person_id].append(name)
    return [Participant(s, "、".join(names.get(s.person_id, []))) for s in rows]


def counts(activity: Activity) -> dict[str, int]:
    """Confirmed, waiting and checked-in people of an activity."""
    found = activity.signups.aggregate(
        confirmed=Count("pk", filter=Q(state=SignupState.CONFIRMED)),
        waiting=Count("pk", filter=Q(state=SignupState.WAITING)),
        present=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )
    return {key: found[key] or 0 for key in ("confirmed", "waiting", "present")}


def photos(activity: Activity) -> QuerySet[Photo]:
    return activity.photos.all()


def photo_for(viewer: Any, photo_id: int) -> Photo | None:
    """A photo of an activity the viewer may see (:func:`activity_for`), or None."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None or activity_for(viewer, photo.activity_id) is None:
        return None
    return photo


# ------------------------------------------------------------------------------------------ partners


def partners_for(viewer: Any, *, search: str = "") -> QuerySet[Partner]:
    """Every partner for an organiser (the committee's partners are shared); nobody else sees them."""
    if Scope.of(viewer, Cap.ACTIVITIES).is_empty:
        return Partner.objects.none()
    rows = Partner.objects.all()
    if search:
        rows = rows.filter(Q(name__icontains=search) | Q(kind__icontains=search))
    return (
        rows.select_related("organisation")
        .annotate(n_activities=Count("activities", filter=~Q(activities__state=State.CANCELLED), distinct=True))
        .order_by("name", "id")
    )


def partner_for(viewer: Any, partner_id: int) -> Partner | None:
    return partners_for(viewer).filter(pk=partner_id).first()


def keeps_partner(viewer: Any, partner: Partner) -> bool:
    return Scope.of(viewer, Cap.ACTIVITIES).covers(partner.organisation)


def partner_activities(partner: Partner) -> QuerySet[Activity]:
    return partner.activities.exclude(state=State.CANCELLED).select_related("organisation").order_by("-starts_at")


def partner_records(partner: Partner) -> QuerySet[PartnerRecord]:
    return partner.records.all()


def partner_contacts(partner: Partner) -> QuerySet[PartnerContact]:
    return partner.contacts.all()


def contact_of(viewer: Any, contact_id: int) -> PartnerContact | None:
    contact = PartnerContact.objects.filter(pk=contact_id).select_related("partner__organisation").first()
    if contact is None or not keeps_partner(viewer, contact.partner):
        return None
    return contact


# ------------------------------------------------------------------------------------------ statistics


@dataclass
class Figures:
    """Counts of a group of activities: how many, places, people confirmed, people present, volunteer hours."""

    name: str
    activities: int = 0
    capacity: int = 0
    confirmed: int = 0
    present: int = 0
    volunteer_hours: float = 0.0
    last: date | None = None
    kinds: dict[str, int] = field(default_factory=dict)


def _in_range(viewer: Any, first: date, last: date) -> QuerySet[Activity]:
    last = min(last, first + timedelta(days=MAX_STATS_DAYS))
    start = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), datetime.min.time()))
    return (
        Activity.objects.filter(Scope.of(viewer, Cap.ACTIVITIES).q("organisation__path"))
        .filter(starts_at__gte=start, starts_at__lt=end)
        .exclude(state=State.CANCELLED)
        .annotate(
            n_confirmed=Count("signups", filter=Q(signups__state=SignupState.CONFIRMED), distinct=True),
            n_present=Count("signups", filter=Q(signups__checked_in_at__isnull=False), distinct=True),
        )
    )


def _add(figures: Figures, activity: Activity) -> None:
    figures.activities += 1
    figures.capacity += activity.capacity
    figures.confirmed += activity.n_confirmed  # type: ignore[attr-defined]
    figures.present += activity.n_present  # type: ignore[attr-defined]
    if activity.kind == Kind.VOLUNTEER:
        figures.volunteer_hours += activity.hours * activity.n_present  # type: ignore[attr-defined]
    day = timezone.localdate(activity.starts_at)
    figures.last = max(figures.last, day) if figures.last else day
    label = str(Kind(activity.kind).label)
    figures.kinds[label] = figures.kinds.get(label, 0) + 1


def by_organisation(viewer: Any, first: date, last: date) -> list[Figures]:
    """Per organising organisation, the activities that started from ``first`` to ``last``."""
    rows: dict[int, Figures] = {}
    for activity in _in_range(viewer, first, last).select_related("organisation").order_by("organisation__path"):
        _add(rows.setdefault(activity.organisation_id, Figures(activity.organisation.name)), activity)
    return list(rows.values())


def by_partner(viewer: Any, first: date, last: date) -> list[Figures]:
    """Per partner, the joint activities (of the organisations the viewer keeps) from ``first`` to ``last``."""
    rows: dict[int, Figures] = {}
    activities = _in_range(viewer, first, last).filter(partners__isnull=False).distinct()
    for activity in activities.prefetch_related("partners").order_by("starts_at"):
        for partner in activity.partners.all():
            _add(rows.setdefault(partner.pk, Figures(partner.name)), activity)
    return sorted(rows.values(), key=lambda f: (-f.activities, f.name))


def totals(rows: list[Figures]) -> Figures:
    found = Figures("")
    for row in rows:
        found.activities += row.activities
        found.capacity += row.capacity
        found.confirmed += row.confirmed
        found.present += row.present
        found.volunteer_hours += row.volunteer_hours
    return found


def organising_choices(viewer: Any) -> QuerySet[Organisation]:
    """The organisations the viewer may organise activities for."""
    return Scope.of(viewer, Cap.ACTIVITIES).organisations().order_by("path")


def audience_choices(viewer: Any) -> QuerySet[Organisation]:
    """The organisations an activity may be meant for: the viewer's own and every top-level organisation (the
    union and the League included, so a committee's event can invite every employee)."""
    return Organisation.objects.filter(
        Scope.of(viewer, Cap.ACTIVITIES).q("path") | Q(depth=1), is_active=True
    ).order_by("tree", "path")
