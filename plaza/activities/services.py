"""Every write of 活动与共建: activities (organisers with ``Cap.ACTIVITIES`` over the organising organisation),
sign-up, the waiting list and cancelling (the person), check-in by the rotating QR code or by hand, points,
photos and the report afterwards, and the 共建 partners with their contacts and records. Each says in Chinese
why it refuses and records an audit entry.

Never more people than places: every sign-up, cancel and capacity change of an activity first locks the
activity's row (``select_for_update``), so they happen one after another; ``taken <= capacity`` is also a
constraint of the table. A cancelled place goes to the first person waiting (in the order they signed up),
who is told at once; the same happens when the organiser adds places.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock, dates
from plaza.lib.images import clean_picture
from plaza.notify import services as notify
from plaza.orgs.models import Membership, Organisation
from plaza.orgs.permissions import Cap, Scope
from plaza.points import services as points

from .models import (
    Activity,
    Kind,
    Partner,
    PartnerContact,
    PartnerRecord,
    Photo,
    RecordKind,
    Signup,
    SignupState,
    State,
)

#: The key under which activities earn points in the ledger (plaza.points.services.register_activity).
POINTS_ACTIVITY = "activities"
POINTS_DAILY_CAP = 50
MAX_POINTS = 50
MAX_CAPACITY = 10_000
MAX_PHOTOS = 12

#: The check-in code on the organiser's screen changes every QR_STEP_SECONDS; a scanned code is accepted for
#: QR_MAX_AGE_SECONDS (a screenshot sent away stops working within two minutes).
QR_STEP_SECONDS = 30
QR_MAX_AGE_SECONDS = 90
QR_SALT = "plaza.activities.check-in"
#: Check-in opens this long before the start and closes at the end.
CHECK_IN_OPENS_BEFORE = timedelta(hours=1)


def _when(moment: datetime) -> str:
    return dates.moment(moment)


def _url(activity: Activity) -> str:
    return reverse("activities:detail", args=[activity.pk])


# ------------------------------------------------------------------------------------------ who


def audience_paths(person: Any) -> list[str]:
    """The paths of every organisation a person belongs to and every one above them: an activity meant for any
    of these reaches the person. Public: the queries list activities by it."""
    if not getattr(person, "is_authenticated", False):
        return []
    paths: set[str] = set()
    for path in Membership.objects.current().filter(person=person).values_list("organisation__path", flat=True):
        paths.update(Organisation.paths_above(path))
    return sorted(paths)


def reaches(person: Any, activity: Activity) -> bool:
    """Whether the activity is meant for the person: a current membership in one of its audience's subtrees."""
    return activity.audience.filter(path__in=audience_paths(person)).exists()


def may_manage(person: Any, activity: Activity) -> bool:
    """Whether the person organises the activity (``Cap.ACTIVITIES`` over its organisation)."""
    return Scope.of(person, Cap.ACTIVITIES).covers(activity.organisation)


# ------------------------------------------------------------------------------------------ organisers


ACTIVITY_FIELDS = (
    "kind",
    "title",
    "description",
    "place",
    "starts_at",
    "ends_at",
    "signup_deadline",
    "capacity",
    "waiting_list",
    "points",
)


def _check_activity(data: dict[str, Any]) -> None:
    problems = []
    if data.get("kind") not in Kind.values:
        problems.append(_("请选择活动类型。"))
    if not str(data.get("title", "")).strip():
        problems.append(_("请填写活动名称。"))
    if not str(data.get("place", "")).strip():
        problems.append(_("请填写活动地点。"))
    starts, ends, deadline = data.get("starts_at"), data.get("ends_at"), data.get("signup_deadline")
    if starts is None or ends is None or deadline is None:
        problems.append(_("请填写开始时间、结束时间和报名截止时间。"))
    else:
        if ends <= starts:
            problems.append(_("结束时间应晚于开始时间。"))
        if deadline > starts:
            problems.append(_("报名截止时间不能晚于活动开始时间。"))
    if not 1 <= int(data.get("capacity") or 0) <= MAX_CAPACITY:
        problems.append(_("名额应为 1 到 %(n)s 人。") % {"n": MAX_CAPACITY})
    if not 0 <= int(data.get("points") or 0) <= MAX_POINTS:
        problems.append(_("参加积分应为 0 到 %(n)s 分。") % {"n": MAX_POINTS})
    if data.get("kind") == Kind.JOINT and not data.get("partners"):
        problems.append(_("共建活动请至少选择一个共建单位。"))
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def create_activity(
    actor: Any,
    organisation: Organisation,
    *,
    audience: list[Organisation],
    partners: list[Partner] | None = None,
    now: datetime | None = None,
    **data: Any,
) -> Activity:
    """A new activity, open for sign-up at once. The audience defaults to the organising organisation."""
    Scope.of(actor, Cap.ACTIVITIES).require(organisation=organisation)
    now = now or clock.now()
    partners = list(partners or [])
    _check_activity({**data, "partners": partners})
    if data["starts_at"] <= now:
        raise ValidationError(_("活动开始时间已过，请填写以后的时间。"))
    fields = {key: data[key] for key in ACTIVITY_FIELDS if key in data}
    fields["title"], fields["place"] = fields["title"].strip(), fields["place"].strip()
    activity = Activity.objects.create(organisation=organisation, created_by=actor, **fields)
    activity.audience.set(audience or [organisation])
    activity.partners.set(partners)
    record(
        actor,
        actions.ACTIVITIES_CREATE,
        activity,
        after={
            **{key: fields.get(key) for key in ("kind", "title", "starts_at", "capacity")},
            "audience": [org.name for org in audience or [organisation]],
            "partners": [p.name for p in partners],
        },
    )
    return activity


def _locked(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().select_related("organisation").get(pk=activity.pk)


def _managed(actor: Any, activity: Activity) -> Activity:
    activity = _locked(activity)
    Scope.of(actor, Cap.ACTIVITIES).require(organisation=activity.organisation)
    return activity


@transaction.atomic
def update_activity(
    actor: Any,
    activity: Activity,
    *,
    audience: list[Organisation],
    partners: list[Partner] | None = None,
    now: datetime | None = None,
    **data: Any,
) -> Activity:
    """Change an activity that has not ended. Fewer places than people already confirmed is refused; more
    places move the waiting list up."""
    now = now or clock.now()
    activity = _managed(actor, activity)
    if not may_edit(activity, now):
        raise ValidationError(_("活动已取消或已结束，不能修改（结束后可以填写小结、上传照片）。"))
    partners = list(partners or [])
    _check_activity({**data, "partners": partners})
    if int(data["capacity"]) < activity.taken:
        raise ValidationError(
            _("已有 %(n)s 人报名，名额不能少于 %(n)s 个。如需减少，请先联系报名人员取消。") % {"n": activity.taken}
        )
    before = {key: getattr(activity, key) for key in ACTIVITY_FIELDS}
    for key in ACTIVITY_FIELDS:
        if key in data:
            setattr(activity, key, data[key])
    activity.save()
    activity.audience.set(audience or [activity.organisation])
    activity.partners.set(partners)
    moved = _fill_from_waiting_list(activity, now)
    record(
        actor, actions.ACTIVITIES_UPDATE, activity, before=before, after={key: data.get(key) for key in ACTIVITY_FIELDS}
    )
    if data.get("starts_at") != before["starts_at"] or data.get("place") != before["place"]:
        people = [s.person for s in activity.signups.exclude(state=SignupState.CANCELLED).select_related("person")]
        notify.notify(
            [p for p in people if p.pk not in moved],
            kind="general",
            url=_url(activity),
            title=_("活动“%(title)s”有变动：%(when)s，%(place)s")
            % {"title": activity.title, "when": _when(activity.starts_at), "place": activity.place},
        )
        Signup.objects.filter(activity=activity).update(reminded_at=None)
    return activity


@transaction.atomic
def close_signup(actor: Any, activity: Activity, *, now: datetime | None = None) -> Activity:
    """Stop taking sign-ups (people signed up stay; the waiting list still moves up when someone cancels)."""
    now = now or clock.now()
    activity = _managed(actor, activity)
    if activity.state != State.OPEN:
        raise ValidationError(_("活动%(state)s，不能关闭报名。") % {"state": activity.get_state_display()})
    if activity.starts_at <= now:
        raise ValidationError(_("活动已开始，报名已自然结束。"))
    activity.state = State.CLOSED
    activity.save(update_fields=["state"])
    record(actor, actions.ACTIVITIES_CLOSE, activity, before={"state": State.OPEN}, after={"state": State.CLOSED})
    return activity


def status_label(activity: Activity, now: datetime) -> str:
    """What the activity's state reads as at ``now``: cancelled, over, under way, or its sign-up state."""
    if activity.state == State.CANCELLED:
        return str(activity.get_state_display())
    if activity.ends_at <= now:
        return _("已结束")
    if activity.starts_at <= now:
        return _("进行中")
    return str(activity.get_state_display())


def may_close(activity: Activity, now: datetime) -> bool:
    """Whether the organiser's page offers closing the sign-up: open and not started."""
    return activity.state == State.OPEN and activity.starts_at > now


def may_edit(activity: Activity, now: datetime) -> bool:
    """Whether the organiser's page offers changing the activity: not cancelled and not ended."""
    return activity.state != State.CANCELLED and activity.ends_at > now


def may_cancel_activity(activity: Activity, now: datetime) -> bool:
    """Whether the organiser's page offers cancelling the activity: not cancelled and not started."""
    return activity.state != State.CANCELLED and activity.starts_at > now


@transaction.atomic
def cancel_activity(actor: Any, activity: Activity, reason: str, *, now: datetime | None = None) -> Activity:
    """The organiser calls the activity off before it starts; everyone signed up or waiting is told why."""
    now = now or clock.now()
    activity = _managed(actor, activity)
    if not may_cancel_activity(activity, now):
        raise ValidationError(_("活动已取消或已开始，不能取消。"))
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError(_("请写明取消活动的原因。"))
    live = list(activity.signups.exclude(state=SignupState.CANCELLED).select_related("person"))
    Signup.objects.filter(pk__in=[s.pk for s in live]).update(state=SignupState.CANCELLED, cancelled_at=now)
    before = activity.state
    activity.state, activity.taken = State.CANCELLED, 0
    activity.save(update_fields=["state", "taken"])
    notify.notify(
        [s.person for s in live],
        kind="general",
        url=_url(activity),
        title=_("活动“%(title)s”（%(when)s）已取消：%(reason)s")
        % {"title": activity.title, "when": _when(activity.starts_at), "reason": reason[:100]},
    )
    record(
        actor,
        actions.ACTIVITIES_CANCEL,
        activity,
        before={"state": before},
        after={"state": State.CANCELLED, "signups": len(live)},
        reason=reason[:200],
    )
    return activity


# ------------------------------------------------------------------------------------------ sign-up


def _state_refusal(activity: Activity, now: datetime) -> str:
    if activity.state == State.CANCELLED:
        return _("活动已取消，不能报名。")
    if activity.starts_at <= now:
        return _("活动已于 %(when)s 开始，不能再报名。") % {"when": _when(activity.starts_at)}
    if activity.state == State.CLOSED:
        return _("组织者已关闭报名。")
    if activity.signup_deadline <= now:
        return _("报名已于 %(when)s 截止。") % {"when": _when(activity.signup_deadline)}
    return ""


def signup_refusal(person: Any, activity: Activity, now: datetime) -> str:
    """Why ``person`` may not sign up now (before counting places), or "". The page and the API show it."""
    refusal = _state_refusal(activity, now)
    if refusal:
        return refusal
    if not reaches(person, activity):
        return _("该活动不面向您所在的组织，不能报名。")
    return ""


def full_refusal(activity: Activity) -> str:
    """Why a full activity takes nobody more, or "" when it has places or a waiting list."""
    if activity.taken >= activity.capacity and not activity.waiting_list:
        return _("名额已满（共 %(n)s 个名额），本活动不设候补。") % {"n": activity.capacity}
    return ""


def live_signup(person: Any, activity: Activity) -> Signup | None:
    """The person's sign-up that counts (confirmed or waiting), or None."""
    if not getattr(person, "is_authenticated", False):
        return None
    return Signup.objects.filter(activity=activity, person=person).exclude(state=SignupState.CANCELLED).first()


def waiting_position(signup: Signup) -> int:
    """1 for the first person waiting."""
    return (
        Signup.objects.filter(activity_id=signup.activity_id, state=SignupState.WAITING)
        .filter(Q(created_at__lt=signup.created_at) | Q(created_at=signup.created_at, pk__lt=signup.pk))
        .count()
        + 1
    )


def _refuse_twice(person: Any, activity: Activity) -> None:
    existing = live_signup(person, activity)
    if existing is not None:
        if existing.state == SignupState.WAITING:
            raise ValidationError(_("您已在候补名单中（第 %(n)s 位）。") % {"n": waiting_position(existing)})
        raise ValidationError(_("您已报名此活动，无需重复报名。"))


@transaction.atomic
def sign_up(person: Any, activity: Activity, *, now: datetime | None = None) -> Signup:
    """Take a place, or the next place on the waiting list when the activity is full and has one."""
    now = now or clock.now()
    # Who may sign up and whether they already did is asked before the lock, so the lock is held briefly.
    refusal = signup_refusal(person, activity, now)
    if refusal:
        raise ValidationError(refusal)
    _refuse_twice(person, activity)
    activity = _locked(activity)  # sign-ups and cancels of one activity one after another
    refusal = _state_refusal(activity, now) or full_refusal(activity)
    if refusal:
        raise ValidationError(refusal)
    confirmed = bool(Activity.objects.filter(pk=activity.pk, taken__lt=F("capacity")).update(taken=F("taken") + 1))
    try:
        with transaction.atomic():
            signup = Signup.objects.create(
                activity=activity,
                person=person,
                state=SignupState.CONFIRMED if confirmed else SignupState.WAITING,
                created_at=now,
            )
    except IntegrityError as exc:  # the same person at the same moment (the lock makes this rare)
        raise ValidationError(_("您已报名此活动，无需重复报名。")) from exc
    record(person, actions.ACTIVITIES_SIGNUP, signup, after={"state": signup.state, "activity": activity.title})
    return signup


def may_cancel_signup(signup: Signup, now: datetime) -> bool:
    """Whether the person's page offers cancelling: a live sign-up of an activity that has not started."""
    return signup.state != SignupState.CANCELLED and signup.checked_in_at is None and signup.activity.starts_at > now


@transaction.atomic
def cancel_signup(person: Any, signup: Signup, *, now: datetime | None = None) -> Signup:
    """The person withdraws before the start. A confirmed place goes to the first person waiting, who is told."""
    now = now or clock.now()
    activity = _locked(signup.activity)
    signup = Signup.objects.select_for_update().get(pk=signup.pk)
    if signup.person_id != getattr(person, "pk", None):
        raise PermissionDenied(_("这不是您的报名。"))
    if signup.state == SignupState.CANCELLED:
        raise ValidationError(_("该报名已取消。"))
    if activity.starts_at <= now:
        raise ValidationError(_("活动已于 %(when)s 开始，不能取消报名。") % {"when": _when(activity.starts_at)})
    if signup.checked_in_at is not None:
        raise ValidationError(_("您已签到，不能取消报名。"))
    before = signup.state
    signup.state, signup.cancelled_at = SignupState.CANCELLED, now
    signup.save(update_fields=["state", "cancelled_at"])
    if before == SignupState.CONFIRMED:
        Activity.objects.filter(pk=activity.pk).update(taken=F("taken") - 1)
        activity.taken -= 1
        _fill_from_waiting_list(activity, now)
    record(person, actions.ACTIVITIES_SIGNUP_CANCEL, signup, before={"state": before}, after={"state": signup.state})
    return signup


def _fill_from_waiting_list(activity: Activity, now: datetime) -> set[int]:
    """Give the free places to the people waiting, first come first served, and tell them (the caller holds the
    activity's lock). Returns the ids of the people moved up."""
    if activity.state == State.CANCELLED or activity.starts_at <= now:
        return set()
    free = activity.capacity - activity.taken
    if free <= 0:
        return set()
    waiting = list(
        Signup.objects.select_for_update()
        .filter(activity=activity, state=SignupState.WAITING)
        .select_related("person")
        .order_by("created_at", "id")[:free]
    )
    if not waiting:
        return set()
    Signup.objects.filter(pk__in=[s.pk for s in waiting]).update(state=SignupState.CONFIRMED, promoted_at=now)
    Activity.objects.filter(pk=activity.pk).update(taken=F("taken") + len(waiting))
    activity.taken += len(waiting)
    notify.notify(
        [s.person for s in waiting],
        kind="general",
        url=_url(activity),
        title=_("候补成功：您已获得“%(title)s”（%(when)s，%(place)s）的名额。不能参加请及时取消。")
        % {"title": activity.title, "when": _when(activity.starts_at), "place": activity.place},
    )
    for s in waiting:
        record(None, actions.ACTIVITIES_SIGNUP, s, before={"state": SignupState.WAITING}, after={"state": "confirmed"})
    return {s.person_id for s in waiting}


# ------------------------------------------------------------------------------------------ reminders


def remind_due(now: datetime) -> int:
    """Tell everyone confirmed for an activity that starts later today or tomorrow (local dates), once: each
    sign-up is marked when reminded, so running this hourly, daily or twice changes nothing more. Returns how
    many people were reminded. Run by :mod:`plaza.activities.sweep`."""
    tomorrow_end = timezone.make_aware(
        datetime.combine(timezone.localdate(now) + timedelta(days=2), datetime.min.time())
    )
    due = (
        Signup.objects.filter(
            state=SignupState.CONFIRMED,
            reminded_at__isnull=True,
            activity__state__in=[State.OPEN, State.CLOSED],
            activity__starts_at__gt=now,
            activity__starts_at__lt=tomorrow_end,
        )
        .select_related("activity", "person")
        .order_by("activity_id", "id")
    )
    by_activity: dict[int, list[Signup]] = {}
    for signup in due:
        by_activity.setdefault(signup.activity_id, []).append(signup)
    told = 0
    for rows in by_activity.values():
        activity = rows[0].activity
        with transaction.atomic():
            # Only the rows this run marks are told: a second sweep at the same moment finds them marked.
            marked = list(
                Signup.objects.filter(pk__in=[s.pk for s in rows], reminded_at__isnull=True)
                .select_for_update()
                .values_list("pk", "person_id")
            )
            Signup.objects.filter(pk__in=[pk for pk, _p in marked]).update(reminded_at=now)
            people = [s.person for s in rows if s.person_id in {p for _pk, p in marked}]
            told += notify.notify(
                people,
                kind="reminder",
                url=_url(activity),
                title=_("活动提醒：%(title)s，%(when)s，%(place)s")
                % {
                    "title": activity.title,
                    "when": _when(activity.starts_at),
                    "place": activity.place,
                },
            )
    return told


# ------------------------------------------------------------------------------------------ check-in


def qr_token(activity: Activity, now: datetime | None = None) -> str:
    """The code on the organiser's screen right now; it changes every QR_STEP_SECONDS."""
    now = now or clock.now()
    step = int(now.timestamp()) // QR_STEP_SECONDS
    return signing.TimestampSigner(salt=QR_SALT).sign_object({"a": activity.pk, "s": step})


def token_names(activity: Activity, token: str) -> bool:
    """Whether ``token`` is a genuine code of this activity, however old."""
    try:
        return signing.TimestampSigner(salt=QR_SALT).unsign_object(token).get("a") == activity.pk
    except (signing.BadSignature, AttributeError, TypeError, ValueError):
        return False


def check_in_problem(activity: Activity, now: datetime) -> str:
    """Why nobody can check in now (cancelled, outside the window), or "". The QR screen shows it too."""
    if activity.state == State.CANCELLED:
        return _("活动已取消。")
    opens = activity.starts_at - CHECK_IN_OPENS_BEFORE
    if not opens <= now <= activity.ends_at:
        return _("签到时间为 %(opens)s 至 %(closes)s，现在不在签到时间内。") % {
            "opens": _when(opens),
            "closes": f"{timezone.localtime(activity.ends_at):%H:%M}",
        }
    return ""


def _present(signup: Signup, by: Any, now: datetime) -> bool:
    """Mark the sign-up checked in and give the activity's points, once (a conditional UPDATE and the ledger's
    idempotency key per person and activity)."""
    changed = Signup.objects.filter(pk=signup.pk, checked_in_at__isnull=True, state=SignupState.CONFIRMED).update(
        checked_in_at=now, checked_in_by=by
    )
    if not changed:
        return False
    activity = signup.activity
    if activity.points:
        grant = points.earn_for_activity(
            signup.person,
            POINTS_ACTIVITY,
            activity.points,
            source_id=activity.pk,
            key=points_key(signup.person_id, activity.pk),
            reason=_("参加活动：%(title)s") % {"title": activity.title},
        )
        if not grant.repeated:
            Signup.objects.filter(pk=signup.pk).update(points_given=grant.granted)
    record(by, actions.ACTIVITIES_CHECK_IN, signup, after={"checked_in_at": now, "activity": activity.title})
    return True


def points_key(person_id: int, activity_id: int) -> str:
    """The ledger's idempotency key: one award per person and activity, however often they check in."""
    return f"activities:{activity_id}:{person_id}"


@transaction.atomic
def check_in(person: Any, activity: Activity, token: str, *, now: datetime | None = None) -> tuple[Signup, bool]:
    """The person checks in by scanning the organiser's code; True the first time (twice counts once)."""
    now = now or clock.now()
    try:
        data = signing.TimestampSigner(salt=QR_SALT).unsign_object(token, max_age=QR_MAX_AGE_SECONDS)
    except signing.SignatureExpired as exc:
        raise ValidationError(_("二维码已过期，请扫描组织者手机上最新的二维码。")) from exc
    except (signing.BadSignature, TypeError, ValueError) as exc:
        raise ValidationError(_("二维码无效。")) from exc
    if not isinstance(data, dict) or data.get("a") != activity.pk:
        raise ValidationError(_("二维码不属于这个活动。"))
    activity = Activity.objects.get(pk=activity.pk)
    problem = check_in_problem(activity, now)
    if problem:
        raise ValidationError(problem)
    signup = live_signup(person, activity)
    if signup is None:
        raise ValidationError(_("您没有报名这个活动，不能签到。请联系组织者。"))
    if signup.state == SignupState.WAITING:
        raise ValidationError(_("您还在候补名单中，没有获得名额，不能签到。"))
    first = _present(signup, person, now)
    signup.refresh_from_db()
    return signup, first


def may_check_in_by_hand(activity: Activity, now: datetime) -> bool:
    """Whether the participant list offers checking people in by hand: from when check-in opens (the organiser
    may still record attendance after the end, e.g. when writing the report)."""
    return activity.state != State.CANCELLED and now >= activity.starts_at - CHECK_IN_OPENS_BEFORE


@transaction.atomic
def check_in_by_hand(actor: Any, signup: Signup, *, now: datetime | None = None) -> bool:
    """The organiser checks in someone without a phone; True the first time."""
    now = now or clock.now()
    _managed(actor, signup.activity)
    signup = Signup.objects.select_related("activity", "person").get(pk=signup.pk)
    if signup.state != SignupState.CONFIRMED:
        raise ValidationError(_("只有已获得名额的人员可以签到。"))
    if not may_check_in_by_hand(signup.activity, now):
        raise ValidationError(check_in_problem(signup.activity, now) or _("活动已取消。"))
    return _present(signup, actor, now)


# ------------------------------------------------------------------------------------------ afterwards


def may_report(activity: Activity, now: datetime) -> bool:
    """Whether the report and photos can be added: the activity has started and was not cancelled."""
    return activity.state != State.CANCELLED and activity.starts_at <= now


@transaction.atomic
def write_report(actor: Any, activity: Activity, text: str, *, now: datetime | None = None) -> Activity:
    now = now or clock.now()
    activity = _managed(actor, activity)
    if not may_report(activity, now):
        raise ValidationError(_("活动开始后才能填写小结。"))
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("请填写活动小结。"))
    if len(text) > 2000:
        raise ValidationError(_("活动小结不能超过 2000 字（现在 %(n)s 字）。") % {"n": len(text)})
    before = activity.report
    activity.report, activity.report_at = text, now
    activity.save(update_fields=["report", "report_at"])
    record(actor, actions.ACTIVITIES_REPORT, activity, before={"report": before}, after={"report": text})
    return activity


@transaction.atomic
def add_photo(actor: Any, activity: Activity, upload: Any, caption: str = "", *, now: datetime | None = None) -> Photo:
    """A photo of the activity: checked, resized and stripped of its metadata before it is kept."""
    now = now or clock.now()
    activity = _managed(actor, activity)
    if not may_report(activity, now):
        raise ValidationError(_("活动开始后才能上传照片。"))
    if activity.photos.count() >= MAX_PHOTOS:
        raise ValidationError(_("每个活动最多 %(n)s 张照片。") % {"n": MAX_PHOTOS})
    if upload is None:
        raise ValidationError(_("请选择照片。"))
    clean = clean_picture(upload, name_prefix=f"a{activity.pk}-")
    photo = Photo(activity=activity, caption=(caption or "").strip()[:120], uploaded_by=actor)
    photo.image.save(clean.name, clean, save=False)
    photo.save()
    record(actor, actions.ACTIVITIES_PHOTO, photo, after={"activity": activity.title, "caption": photo.caption})
    return photo


# ------------------------------------------------------------------------------------------ partners


PARTNER_FIELDS = ("name", "kind", "address", "since", "description", "active")


def _check_partner(data: dict[str, Any], partner: Partner | None) -> None:
    name = str(data.get("name", "")).strip()
    if not name:
        raise ValidationError(_("请填写单位名称。"))
    same = Partner.objects.filter(name=name)
    if partner is not None:
        same = same.exclude(pk=partner.pk)
    if same.exists():
        raise ValidationError(_("共建单位“%(name)s”已经登记过。") % {"name": name})


@transaction.atomic
def save_partner(actor: Any, partner: Partner | None, organisation: Organisation | None, **data: Any) -> Partner:
    """Register a partner (kept by ``organisation``) or change one the actor keeps."""
    scope = Scope.of(actor, Cap.ACTIVITIES)
    _check_partner(data, partner)
    fields = {key: data[key] for key in PARTNER_FIELDS if key in data}
    fields["name"] = fields["name"].strip()
    if partner is None:
        if organisation is None:
            raise ValidationError(_("请选择对接组织。"))
        scope.require(organisation=organisation)
        partner = Partner.objects.create(organisation=organisation, created_by=actor, **fields)
        record(actor, actions.ACTIVITIES_PARTNER_SAVE, partner, after=fields)
        return partner
    partner = Partner.objects.select_for_update().select_related("organisation").get(pk=partner.pk)
    scope.require(organisation=partner.organisation)
    before = {key: getattr(partner, key) for key in fields}
    for key, value in fields.items():
        setattr(partner, key, value)
    partner.save()
    record(actor, actions.ACTIVITIES_PARTNER_SAVE, partner, before=before, after=fields)
    return partner


def _kept_partner(actor: Any, partner: Partner) -> Partner:
    partner = Partner.objects.select_related("organisation").get(pk=partner.pk)
    Scope.of(actor, Cap.ACTIVITIES).require(organisation=partner.organisation)
    return partner


@transaction.atomic
def add_contact(actor: Any, partner: Partner, *, name: str, role: str = "", phone: str = "") -> PartnerContact:
    partner = _kept_partner(actor, partner)
    name, phone = (name or "").strip(), "".join(ch for ch in (phone or "") if ch.isdigit() or ch in "+-")
    if not name:
        raise ValidationError(_("请填写联系人姓名。"))
    if phone and not 7 <= len(phone) <= 20:
        raise ValidationError(_("联系电话应为 7 到 20 位数字。"))
    contact = PartnerContact.objects.create(
        partner=partner, name=name[:40], role=(role or "").strip()[:60], phone=phone
    )
    record(actor, actions.ACTIVITIES_PARTNER_CONTACT, contact, after={"name": contact.name, "role": contact.role})
    return contact


@transaction.atomic
def remove_contact(actor: Any, contact: PartnerContact) -> None:
    _kept_partner(actor, contact.partner)
    record(actor, actions.ACTIVITIES_PARTNER_CONTACT, contact, before={"name": contact.name}, after={"name": ""})
    contact.delete()


def reveal_phone(actor: Any, contact: PartnerContact) -> str:
    """The contact's full phone number for someone who keeps the partner; every view is audited."""
    _kept_partner(actor, contact.partner)
    record(actor, actions.ACTIVITIES_PARTNER_PHONE, contact, after={"partner": contact.partner.name})
    return contact.phone


@transaction.atomic
def add_record(
    actor: Any, partner: Partner, *, kind: str, happened_on: Any, title: str, text: str = ""
) -> PartnerRecord:
    partner = _kept_partner(actor, partner)
    if kind not in RecordKind.values:
        raise ValidationError(_("请选择记录类型。"))
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("请填写事项。"))
    if happened_on is None:
        raise ValidationError(_("请填写日期。"))
    entry = PartnerRecord.objects.create(
        partner=partner,
        kind=kind,
        happened_on=happened_on,
        title=title[:120],
        text=(text or "").strip()[:2000],
        created_by=actor,
    )
    record(actor, actions.ACTIVITIES_PARTNER_RECORD, entry, after={"kind": kind, "title": entry.title})
    return entry


def partner_choices(actor: Any) -> QuerySet[Partner]:
    """The partners an organiser may name on an activity: every active one (a joint event may be held with a
    partner another organisation keeps)."""
    return Partner.objects.filter(active=True)


# ------------------------------------------------------------------------------------------ exports


def record_participants_export(person: Any, activity: Activity, rows: int) -> None:
    """An activity's sign-up list downloaded as Excel: audited (views never write)."""
    record(person, actions.ACTIVITIES_EXPORT, activity, after={"rows": rows})


def record_statistics_export(person: Any, first: date, last: date) -> None:
    """The statistics per organisation and partner downloaded as Excel: audited."""
    record(person, actions.ACTIVITIES_EXPORT, object_type="activities.activity", after={"first": first, "last": last})
