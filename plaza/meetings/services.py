"""Every write about meetings: planning, recurring plans, sign-in, leave, attendance, make-up study, minutes,
resolutions. Each checks the actor's scope (``Cap.MEETINGS`` over the organisation), says why it refuses, and
records an audit entry. The required frequency of each kind and the branch vote come from
:mod:`plaza.rules.meetings`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from plaza.accounts.models import Person, PoliticalStatus
from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock, dates
from plaza.localrules import services as local_rules
from plaza.notify import services as notify
from plaza.orgs.models import Level, Membership, Organisation, Position, Tree
from plaza.orgs.permissions import TITLE_CAPS, Cap, Scope
from plaza.rules import meetings as rules
from plaza.rules.dates import add_months

from .models import (
    Attachment,
    Attendance,
    AttendanceState,
    Format,
    Kind,
    Meeting,
    Minutes,
    Resolution,
    Series,
    Status,
)

#: Sign-in opens this long before the start and closes at the end: a QR code photographed at the meeting
#: and sent to someone outside is useless once the meeting is over.
SIGN_IN_OPENS_BEFORE = timedelta(minutes=30)
#: The QR code on the screen changes every QR_STEP_SECONDS; a scanned code is accepted for QR_MAX_AGE_SECONDS.
QR_STEP_SECONDS = 30
QR_MAX_AGE_SECONDS = 90
MAX_MEETING = timedelta(days=3)
QR_SALT = "plaza.meetings.sign-in"

#: Kinds a committee's people (positions) attend rather than all the members under it.
OFFICER_KINDS = frozenset({Kind.COMMITTEE, Kind.CENTRE_GROUP, Kind.LEAGUE_COMMITTEE, Kind.UNION_COMMITTEE})
MOBILE_FORMATS = frozenset({Format.BUS, Format.WALKING})

#: The kinds each tree's organisations hold. The Party's are those of 《支部条例》 and the committee's study
#: group; the League's are its 团的组织生活 (团章; 团支部 "三会两制一课": 团员大会, 团支部委员会, 团课, with
#: 主题团日 and the yearly 组织生活会 with 民主评议团员); the union's are the 会员大会 (or 会员代表大会) and the
#: meetings of the union committee (《中国工会章程》). One kind never serves another tree.
KINDS_BY_TREE: dict[str, tuple[str, ...]] = {
    Tree.PARTY: (
        Kind.GENERAL_MEETING,
        Kind.COMMITTEE,
        Kind.GROUP,
        Kind.LECTURE,
        Kind.THEME_DAY,
        Kind.LIFE_MEETING,
        Kind.CENTRE_GROUP,
    ),
    Tree.LEAGUE: (Kind.LEAGUE_MEETING, Kind.LEAGUE_COMMITTEE, Kind.LEAGUE_LECTURE, Kind.LEAGUE_DAY, Kind.LEAGUE_LIFE),
    Tree.UNION: (Kind.UNION_MEETING, Kind.UNION_COMMITTEE),
}
#: What the planning form offers first, by tree.
DEFAULT_KIND: dict[str, str] = {
    Tree.PARTY: Kind.THEME_DAY,
    Tree.LEAGUE: Kind.LEAGUE_DAY,
    Tree.UNION: Kind.UNION_MEETING,
}


#: Kinds only some levels of organisation hold: a 党小组会 by a 党小组 (or its 党支部), 党委中心组学习 by a 党委. The
#: plan form offers only what the organisation may hold, and the same table refuses the rest (:func:`_check_plan`).
KIND_LEVELS: dict[str, tuple[str, ...]] = {
    Kind.GROUP: (Level.GROUP, Level.BRANCH),
    Kind.CENTRE_GROUP: (Level.COMMITTEE,),
}


def kinds_for(organisation: Organisation) -> list[tuple[str, str]]:
    """The kinds of meeting the organisation may hold, as (value, label) choices: by its tree and its level."""
    allowed = KINDS_BY_TREE.get(organisation.tree, ())
    return [
        (value, str(label))
        for value, label in Kind.choices
        if value in allowed and organisation.level in KIND_LEVELS.get(value, (organisation.level,))
    ]


def default_kind(organisation: Organisation) -> str:
    return DEFAULT_KIND.get(organisation.tree, Kind.THEME_DAY)


def audience(organisation: Organisation, kind: str) -> QuerySet[Person]:
    """Who is expected: the committee's members for a 委员会 meeting or 中心组学习, otherwise every member of
    the organisation's tree in its subtree: for a Party organisation the Party members (full and probationary)
    whose Party branch or group lies there; for a League organisation the League members (memberships in the
    League tree) there; for a union organisation its union members."""
    if kind in OFFICER_KINDS:
        holders = Position.objects.current().filter(organisation=organisation).values("person_id")
        return Person.objects.filter(pk__in=holders, is_active=True)
    tree = organisation.tree or Tree.PARTY
    members = (
        Membership.objects.current()
        .filter(tree=tree, organisation__path__startswith=organisation.path)
        .values("person_id")
    )
    people = Person.objects.filter(pk__in=members, is_active=True)
    if tree == Tree.PARTY:
        people = people.filter(political_status__in=PoliticalStatus.party_members())
    return people


def officers(organisation: Organisation) -> list[Person]:
    """Who plans and keeps the organisation's meetings: holders of a title with ``Cap.MEETINGS`` there."""

    titles = [title for title, caps in TITLE_CAPS.items() if Cap.MEETINGS in caps]
    holders = Position.objects.current().filter(organisation=organisation, title__in=titles).values("person_id")
    return list(Person.objects.filter(pk__in=holders, is_active=True))


def _check_plan(
    organisation: Organisation,
    kind: str,
    topic: str,
    starts_at: datetime,
    ends_at: datetime,
    fmt: str,
    route: str,
    online_link: str,
) -> list[str]:
    problems = []
    if kind not in Kind.values:
        problems.append(_("请选择会议类型。"))
    elif kind not in KINDS_BY_TREE.get(organisation.tree, ()):
        offered = "、".join(label for _value, label in kinds_for(organisation))
        problems.append(
            _("%(org)s不能召开%(kind)s；本组织可召开的会议：%(offered)s。")
            % {"org": organisation.name, "kind": Kind(kind).label, "offered": offered or _("无")}
        )
    if fmt not in Format.values:
        problems.append(_("请选择会议形式。"))
    if not topic.strip():
        problems.append(_("请填写会议主题。"))
    if ends_at <= starts_at:
        problems.append(_("结束时间应晚于开始时间。"))
    elif ends_at - starts_at > MAX_MEETING:
        problems.append(_("一次会议不能超过三天。"))
    if kind == Kind.GROUP and organisation.level not in KIND_LEVELS[Kind.GROUP]:
        problems.append(_("党小组会由党小组（或党支部）召开。"))
    if kind == Kind.CENTRE_GROUP and organisation.level not in KIND_LEVELS[Kind.CENTRE_GROUP]:
        problems.append(_("党委中心组学习由党委组织。"))
    if fmt in MOBILE_FORMATS and not route.strip():
        problems.append(_("巴士党课、行走党课请填写路线和站点。"))
    if fmt == Format.ONLINE and not online_link.strip():
        problems.append(_("线上会议请填写会议链接。"))
    return problems


@transaction.atomic
def plan_meeting(
    actor: Any,
    organisation: Organisation,
    *,
    kind: str,
    topic: str,
    starts_at: datetime,
    ends_at: datetime,
    format: str = Format.ONSITE,
    place: str = "",
    route: str = "",
    online_link: str = "",  # noqa: A002
    guests: Sequence[Person] = (),
    series: Series | None = None,
) -> Meeting:
    """Plan a meeting: the expected people are listed at once, told at once, and reminded before it starts.

    A meeting planned for a time already past is a record of a meeting held (补录): nobody is told.
    """
    Scope.of(actor, Cap.MEETINGS).require(organisation=organisation)
    problems = _check_plan(organisation, kind, topic, starts_at, ends_at, format, route, online_link)
    if problems:
        raise ValidationError(problems)
    meeting = Meeting.objects.create(
        organisation=organisation,
        series=series,
        kind=kind,
        format=format,
        topic=topic.strip()[:120],
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip()[:120],
        route=route.strip(),
        online_link=online_link.strip(),
        planned_by=actor,
    )
    people = list(audience(organisation, kind))
    expected = {person.pk for person in people}
    extra = [guest for guest in guests if guest.pk not in expected]
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, person=person) for person in people]
        + [Attendance(meeting=meeting, person=guest, guest=True) for guest in extra],
        batch_size=2000,
    )
    record(
        actor,
        actions.MEETINGS_PLAN,
        meeting,
        after={
            "organisation": organisation.name,
            "kind": kind,
            "topic": meeting.topic,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "expected": len(people),
            "guests": [g.pk for g in extra],
        },
    )
    if starts_at > clock.now():
        _announce(meeting, people + extra)
    _counts_for_its_period(meeting)
    return meeting


def _counts_for_its_period(meeting: Meeting) -> None:
    """The meeting fills its kind's requirement for the period it falls in: the branch's "still missing"
    to-do for that period is done."""
    if meeting.kind in rules.KINDS:
        first = rules.period_of(meeting.kind, timezone.localtime(meeting.starts_at).date())[0]
        notify.complete_tasks_for("meetings-missing", compliance_key(meeting.organisation_id, meeting.kind, first))


def _announce(meeting: Meeting, recipients: Iterable[Person]) -> None:
    recipients = list(recipients)
    local = timezone.localtime(meeting.starts_at)
    title = _("%(kind)s通知：%(topic)s，%(when)s，%(place)s") % {
        "kind": meeting.get_kind_display(),
        "topic": meeting.topic,
        "when": dates.moment(local),
        "place": meeting.place or meeting.get_format_display(),
    }
    notify.notify(recipients, kind="meeting", title=title, url=reverse("meetings:detail", args=[meeting.pk]))
    _remind(meeting, recipients)


def _remind(meeting: Meeting, recipients: Iterable[Person]) -> None:
    """The reminder before the meeting: a day before, or an hour before one planned at short notice. Its key is
    the meeting's, so planning again after a change moves the one reminder instead of adding a second."""
    local = timezone.localtime(meeting.starts_at)
    url = reverse("meetings:detail", args=[meeting.pk])
    before = timedelta(days=1) if meeting.starts_at - clock.now() > timedelta(days=1) else timedelta(hours=1)
    notify.schedule_reminder(
        subject_type="meeting",
        subject_id=str(meeting.pk),
        kind="meeting",
        title=_("即将开会：%(topic)s（%(when)s）") % {"topic": meeting.topic, "when": dates.short_moment(local)},
        url=url,
        due_at=max(meeting.starts_at - before, clock.now()),
        deadline=local.date(),
        recipients=list(recipients),
        dedupe_key=f"meeting:{meeting.pk}:start",
    )


def follow_member(person: Person) -> tuple[int, int]:
    """After the person's memberships or positions changed (``orgs.signals.placement_changed``): their places
    on the lists of meetings still to come follow them. They leave the lists they no longer belong on — only
    where they are still simply expected; a leave request or a guest invitation stays — and join the lists of
    upcoming meetings they now belong on, with the reminder. Meetings already held keep their record as it
    was. Idempotent; returns (left, joined)."""
    upcoming = Meeting.objects.filter(status=Status.PLANNED, starts_at__gt=clock.now()).select_related("organisation")
    belongs = {}

    def on_list(meeting: Meeting) -> bool:
        key = (meeting.organisation_id, meeting.kind)
        if key not in belongs:
            belongs[key] = audience(meeting.organisation, meeting.kind).filter(pk=person.pk).exists()
        return belongs[key]

    rows = Attendance.objects.filter(
        person=person, guest=False, state=AttendanceState.EXPECTED, meeting__in=upcoming
    ).select_related("meeting__organisation")
    leaving = [row for row in rows if not on_list(row.meeting)]
    Attendance.objects.filter(pk__in=[row.pk for row in leaving]).delete()
    paths = set(Membership.objects.current().filter(person=person).values_list("organisation__path", flat=True))
    paths |= set(Position.objects.current().filter(person=person).values_list("organisation__path", flat=True))
    above = {up for path in paths for up in Organisation.paths_above(path)}
    joining = [
        meeting
        for meeting in upcoming.filter(organisation__path__in=above).exclude(attendance__person=person)
        if on_list(meeting)
    ]
    Attendance.objects.bulk_create([Attendance(meeting=meeting, person=person) for meeting in joining])
    for meeting in [row.meeting for row in leaving] + joining:  # the one reminder follows its list
        _remind(meeting, Person.objects.filter(attendance__meeting=meeting))
    if joining:
        notify.notify(
            [person],
            kind="meeting",
            url=reverse("meetings:mine"),
            title=_("您已加入 %(n)s 次即将召开的会议，请查看组织生活") % {"n": len(joining)},
        )
    return len(leaving), len(joining)


def on_placement_changed(sender: Any, person: Person, **kwargs: Any) -> None:
    """Receiver of ``orgs.signals.placement_changed`` (connected in ``MeetingsConfig.ready``)."""
    follow_member(person)


#: What a change may touch. The kind stays: it decides who is expected and which requirement the meeting meets.
CHANGEABLE = ("topic", "starts_at", "ends_at", "format", "place", "route", "online_link")


@transaction.atomic
def change_meeting(
    actor: Any,
    meeting: Meeting,
    *,
    topic: str,
    starts_at: datetime,
    ends_at: datetime,
    format: str,
    place: str = "",
    route: str = "",
    online_link: str = "",
) -> Meeting:  # noqa: A002
    """Change a planned meeting before it starts: its topic, time, form or place. Everyone on its list is told
    what changed, and the reminder moves with the time. Refused once the meeting has started (what happened
    goes into the minutes), for a cancelled meeting, or when nothing changed."""
    meeting = Meeting.objects.select_for_update().select_related("organisation").get(pk=meeting.pk)
    Scope.of(actor, Cap.MEETINGS).require(organisation=meeting.organisation)
    if meeting.status == Status.CANCELLED:
        raise ValidationError(_("会议已经取消，不能修改。"))
    if meeting.starts_at <= clock.now():
        raise ValidationError(_("会议已经开始，不能修改；实际情况请写入会议记录。"))
    problems = _check_plan(meeting.organisation, meeting.kind, topic, starts_at, ends_at, format, route, online_link)
    if starts_at <= clock.now():
        problems.append(_("新的开始时间应晚于现在。"))
    if problems:
        raise ValidationError(problems)
    after = {
        "topic": topic.strip()[:120],
        "starts_at": starts_at,
        "ends_at": ends_at,
        "format": format,
        "place": place.strip()[:120],
        "route": route.strip(),
        "online_link": online_link.strip(),
    }
    before = {field: getattr(meeting, field) for field in CHANGEABLE}
    if all(before[field] == after[field] for field in CHANGEABLE):
        raise ValidationError(_("没有修改任何内容。"))
    for field, value in after.items():
        setattr(meeting, field, value)
    meeting.save(update_fields=list(CHANGEABLE))
    record(actor, actions.MEETINGS_CHANGE, meeting, before=before, after=after)
    people = list(Person.objects.filter(attendance__meeting=meeting))
    local = timezone.localtime(meeting.starts_at)
    title = _("会议变更：%(topic)s，改为 %(when)s，%(place)s") % {
        "topic": meeting.topic,
        "when": dates.moment(local),
        "place": meeting.place or meeting.get_format_display(),
    }
    notify.notify(people, kind="meeting", url=reverse("meetings:detail", args=[meeting.pk]), title=title)
    _remind(meeting, people)
    _counts_for_its_period(meeting)
    return meeting


@transaction.atomic
def cancel_meeting(actor: Any, meeting: Meeting, reason: str) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    Scope.of(actor, Cap.MEETINGS).require(organisation=meeting.organisation)
    if meeting.status == Status.CANCELLED:
        raise ValidationError(_("会议已经取消。"))
    if meeting.starts_at <= clock.now():
        raise ValidationError(_("会议已经开始，不能取消。"))
    if len(reason.strip()) < 2:
        raise ValidationError(_("请写明取消的原因。"))
    meeting.status, meeting.cancelled_reason = Status.CANCELLED, reason.strip()[:200]
    meeting.save(update_fields=["status", "cancelled_reason"])
    notify.cancel_reminders("meeting", str(meeting.pk))
    people = Person.objects.filter(attendance__meeting=meeting)
    notify.notify(
        people,
        kind="meeting",
        title=_("会议取消：%(topic)s（%(reason)s）") % {"topic": meeting.topic, "reason": meeting.cancelled_reason},
        url=reverse("meetings:detail", args=[meeting.pk]),
    )
    record(actor, actions.MEETINGS_CANCEL, meeting, reason=meeting.cancelled_reason)
    return meeting


# ------------------------------------------------------------------------------------------ recurring plans


def _series_dates(series: Series, today: date, months_ahead: int = 1) -> list[date]:
    first = today.replace(day=1)
    days = [add_months(first, n).replace(day=series.day_of_month) for n in range(months_ahead + 1)]
    return [day for day in days if day >= today]


@transaction.atomic
def create_series(
    actor: Any,
    organisation: Organisation,
    *,
    kind: str,
    topic: str,
    day_of_month: int,
    start_time: time,
    duration_minutes: int = 90,
    place: str = "",
    today: date | None = None,
) -> Series:
    """A fixed monthly meeting (e.g. 主题党日 on the 15th). This month's and next month's are planned at once;
    the daily job keeps one month ahead."""
    Scope.of(actor, Cap.MEETINGS).require(organisation=organisation)
    problems = []
    if not 1 <= day_of_month <= 28:
        problems.append(_("每月几号应为 1 到 28。"))
    if not 15 <= duration_minutes <= 8 * 60:
        problems.append(_("时长应为 15 分钟到 8 小时。"))
    problems += _check_plan(
        organisation, kind, topic, clock.now(), clock.now() + timedelta(minutes=1), Format.ONSITE, "", ""
    )
    if problems:
        raise ValidationError(problems)
    series = Series.objects.create(
        organisation=organisation,
        kind=kind,
        topic=topic.strip()[:120],
        day_of_month=day_of_month,
        start_time=start_time,
        duration_minutes=duration_minutes,
        place=place.strip()[:120],
        created_by=actor,
    )
    record(actor, actions.MEETINGS_SERIES, series, after={"kind": kind, "day": day_of_month, "time": start_time})
    plan_series(series, today or clock.today())
    return series


def plan_series(series: Series, today: date) -> int:
    """Plan the series' meetings from today to a month ahead that are not planned yet; returns how many."""
    if not series.active:
        return 0
    tz = timezone.get_current_timezone()
    made = 0
    for day in _series_dates(series, today):
        starts_at = datetime.combine(day, series.start_time, tz)
        if Meeting.objects.filter(series=series, starts_at=starts_at).exists():
            continue
        try:
            with transaction.atomic():
                plan_meeting(
                    series.created_by,
                    series.organisation,
                    kind=series.kind,
                    topic=series.topic,
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(minutes=series.duration_minutes),
                    place=series.place,
                    series=series,
                )
        except IntegrityError:  # planned at the same moment by another run
            continue
        except PermissionDenied:  # whoever set it up no longer keeps this organisation's meetings
            continue
        made += 1
    return made


# ------------------------------------------------------------------------------------------------ sign-in


def qr_token(meeting: Meeting, now: datetime | None = None) -> str:
    """The code shown on the meeting's screen right now; it changes every QR_STEP_SECONDS."""
    now = now or clock.now()
    step = int(now.timestamp()) // QR_STEP_SECONDS
    return signing.TimestampSigner(salt=QR_SALT).sign_object({"m": meeting.pk, "s": step})


def token_names(meeting: Meeting, token: str) -> bool:
    """Whether ``token`` is a genuine code of this meeting, however old (the sign-in page shows the meeting's
    topic only to someone who scanned its code)."""
    try:
        return signing.TimestampSigner(salt=QR_SALT).unsign_object(token).get("m") == meeting.pk
    except (signing.BadSignature, AttributeError):
        return False


def sign_in_window(meeting: Meeting) -> tuple[datetime, datetime]:
    """When sign-in is open: from ``SIGN_IN_OPENS_BEFORE`` before the start (people arrive early) to the end."""
    return meeting.starts_at - SIGN_IN_OPENS_BEFORE, meeting.ends_at


def signing_open(meeting: Meeting, now: datetime) -> bool:
    """Whether the meeting page offers signing in now: a planned meeting inside its sign-in window.

    The one place pages and the API ask, so the page's button and the API's ``signing`` never disagree."""
    opens, closes = sign_in_window(meeting)
    return meeting.status == Status.PLANNED and opens <= now <= closes


def may_cancel(meeting: Meeting, now: datetime) -> bool:
    """Whether the page offers cancelling: a planned meeting that has not started (``cancel_meeting`` refuses
    the others with the reason)."""
    return meeting.status == Status.PLANNED and meeting.starts_at > now


def minutes_open(meeting: Meeting, minutes: Minutes | None, now: datetime) -> bool:
    """Whether the minutes can be written or corrected now: the meeting has started and they are not locked by
    approval (``write_minutes`` refuses otherwise)."""
    return meeting.starts_at <= now and not (minutes is not None and minutes.locked)


def resolutions_open(meeting: Meeting, minutes: Minutes | None, now: datetime) -> bool:
    """Whether a resolution can be put to the vote: at a 党员大会 whose minutes are still open."""
    return meeting.kind == Kind.GENERAL_MEETING and minutes_open(meeting, minutes, now)


def sign_in_problem(meeting: Meeting, now: datetime) -> str:
    """Why nobody can sign in to ``meeting`` at ``now`` (cancelled, or outside the window), or "" when they can.

    Public because the QR screen shows the same reason instead of a code that would only be refused."""
    if meeting.status == Status.CANCELLED:
        return _("会议已取消。")
    opens, closes = sign_in_window(meeting)
    if not opens <= now <= closes:
        return _("签到时间为 %(opens)s 至 %(closes)s，现在不在签到时间内。") % {
            "opens": dates.moment(opens),
            "closes": f"{timezone.localtime(closes):%H:%M}",
        }
    return ""


def sign_in(person: Person, meeting: Meeting, token: str, *, now: datetime | None = None) -> tuple[Attendance, bool]:
    """The person signs in by the QR code. Signing in twice counts once: returns (attendance, first time).

    Refused when the code is not this meeting's or older than QR_MAX_AGE_SECONDS, outside the sign-in
    window, or when the person is neither expected nor a Party member of the organisation.
    """
    now = now or clock.now()
    try:
        data = signing.TimestampSigner(salt=QR_SALT).unsign_object(token, max_age=QR_MAX_AGE_SECONDS)
    except signing.SignatureExpired as exc:
        raise ValidationError(_("二维码已过期，请扫描会场屏幕上最新的二维码。")) from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("二维码无效。")) from exc
    if data.get("m") != meeting.pk:
        raise ValidationError(_("二维码不属于这次会议。"))
    meeting = Meeting.objects.select_related("organisation").get(pk=meeting.pk)  # cancelled or moved meanwhile?
    problem = sign_in_problem(meeting, now)
    if problem:
        raise ValidationError(problem)
    attendance = Attendance.objects.filter(meeting=meeting, person=person).first()
    if attendance is None:
        if not audience(meeting.organisation, Kind.THEME_DAY).filter(pk=person.pk).exists():
            raise ValidationError(_("您不在本次会议的参会名单中，请联系会议组织者。"))
        attendance, _created = Attendance.objects.get_or_create(meeting=meeting, person=person)
    return _mark_present(attendance, person, now)


def _mark_present(attendance: Attendance, by: Person, now: datetime) -> tuple[Attendance, bool]:
    # One conditional UPDATE: of two sign-ins at the same moment exactly one changes the row.
    changed = (
        Attendance.objects.filter(pk=attendance.pk)
        .exclude(state=AttendanceState.PRESENT)
        .update(state=AttendanceState.PRESENT, signed_in_at=now, signed_in_by=by, makeup_due_on=None)
    )
    attendance.refresh_from_db()
    if changed:
        notify.complete_tasks_for("meetings-makeup", str(attendance.pk))
    return attendance, bool(changed)


@transaction.atomic
def set_attendance(
    actor: Any,
    meeting: Meeting,
    person_ids: Iterable[int],
    state: str,
    *,
    reason: str = "",
    now: datetime | None = None,
) -> int:
    """The secretary marks people present (signed in by hand), on leave or absent; not once minutes are locked."""
    Scope.of(actor, Cap.MEETINGS).require(organisation=meeting.organisation)
    now = now or clock.now()
    if state not in AttendanceState.values or state == AttendanceState.EXPECTED:
        raise ValidationError(_("请选择签到、请假或缺席。"))
    if _is_locked(meeting):
        raise ValidationError(_("会议记录已审定，参会情况不能再修改。"))
    if state == AttendanceState.PRESENT and now < sign_in_window(meeting)[0]:
        raise ValidationError(_("会议尚未开始，不能代为签到。"))
    rows = list(Attendance.objects.select_for_update().filter(meeting=meeting, pk__in=list(person_ids)))
    for attendance in rows:
        if state == AttendanceState.PRESENT:
            _mark_present(attendance, actor, now)
            continue
        attendance.state = state
        if state == AttendanceState.LEAVE:
            attendance.leave_reason = (reason.strip() or attendance.leave_reason or _("由支部登记"))[:200]
        attendance.signed_in_at = None
        attendance.save(update_fields=["state", "leave_reason", "signed_in_at"])
    record(actor, actions.MEETINGS_ATTENDANCE, meeting, after={"state": state, "attendance": [a.pk for a in rows]})
    return len(rows)


@transaction.atomic
def request_leave(person: Person, meeting: Meeting, reason: str, *, now: datetime | None = None) -> Attendance:
    """请假: before the meeting ends, with a reason; the branch sees it on the attendance list."""
    now = now or clock.now()
    attendance = Attendance.objects.select_for_update().filter(meeting=meeting, person=person).first()
    if attendance is None:
        raise ValidationError(_("您不在本次会议的参会名单中。"))
    if meeting.status == Status.CANCELLED or now > meeting.ends_at:
        raise ValidationError(_("会议已结束或已取消，不能请假。"))
    if attendance.state == AttendanceState.PRESENT:
        raise ValidationError(_("您已签到，不能再请假。"))
    if len(reason.strip()) < 2:
        raise ValidationError(_("请写明请假原因。"))
    attendance.state, attendance.leave_reason = AttendanceState.LEAVE, reason.strip()[:200]
    attendance.save(update_fields=["state", "leave_reason"])
    record(person, actions.MEETINGS_LEAVE, meeting, reason=attendance.leave_reason)
    for officer in officers(meeting.organisation):
        notify.notify(
            [officer],
            kind="meeting",
            url=reverse("meetings:detail", args=[meeting.pk]),
            title=_("%(name)s 请假：%(topic)s（%(reason)s）")
            % {"name": person.name, "topic": meeting.topic, "reason": attendance.leave_reason},
        )
    return attendance


def close_attendance(meeting: Meeting, today: date) -> int:
    """After the meeting: whoever neither signed in nor asked for leave was absent; the absent and those on
    leave make up the study (补学) on their to-do list, within the days the meeting's organisation gives
    (本单位规定 ``meetings.makeup_days``, 30 by default). Idempotent; returns how many."""
    if meeting.status == Status.CANCELLED or meeting.ends_at > clock.now():
        return 0
    Attendance.objects.filter(meeting=meeting, state=AttendanceState.EXPECTED, guest=False).update(
        state=AttendanceState.ABSENT
    )
    pending = list(
        Attendance.objects.filter(
            meeting=meeting,
            guest=False,
            makeup_due_on__isnull=True,
            makeup_done_on__isnull=True,
            state__in=[AttendanceState.ABSENT, AttendanceState.LEAVE],
        ).select_related("person")
    )
    if not pending:
        return 0
    ended_on = timezone.localtime(meeting.ends_at).date()  # the rule in force on the meeting's day counts
    days = local_rules.value(meeting.organisation, "meetings.makeup_days", on=ended_on)
    due = ended_on + timedelta(days=int(days))  # a whole number of days (plaza.rules.local)
    count = 0
    for attendance in pending:
        attendance.makeup_due_on = due
        attendance.save(update_fields=["makeup_due_on"])
        notify.add_task(
            attendance.person,
            _("补学：%(topic)s") % {"topic": meeting.topic},
            url=reverse("meetings:detail", args=[meeting.pk]),
            due_on=due,
            source_type="meetings-makeup",
            source_id=str(attendance.pk),
        )
        count += 1
    return count


@transaction.atomic
def complete_makeup(person: Person, attendance: Attendance, note: str, *, today: date | None = None) -> Attendance:
    """The person made up the study: what they studied and learnt, in their words."""
    attendance = Attendance.objects.select_for_update().select_related("meeting").get(pk=attendance.pk)
    if attendance.person_id != person.pk:
        raise PermissionDenied(_("只能登记本人的补学。"))
    if attendance.makeup_due_on is None:
        raise ValidationError(_("这次会议您无需补学。"))
    if attendance.makeup_done_on is not None:
        raise ValidationError(_("已经登记过补学。"))
    if len(note.strip()) < 20:
        raise ValidationError(_("请写下补学的内容和体会，不少于 20 个字。"))
    attendance.makeup_done_on, attendance.makeup_note = today or clock.today(), note.strip()
    attendance.save(update_fields=["makeup_done_on", "makeup_note"])
    notify.complete_tasks_for("meetings-makeup", str(attendance.pk))
    record(person, actions.MEETINGS_MAKEUP, attendance.meeting, after={"attendance": attendance.pk})
    return attendance


# ------------------------------------------------------------------------------------ minutes and votes


def _is_locked(meeting: Meeting) -> bool:
    return Minutes.objects.filter(meeting=meeting, approved_at__isnull=False).exists()


@transaction.atomic
def write_minutes(
    actor: Any,
    meeting: Meeting,
    *,
    topics: str,
    content: str,
    speakers: str = "",
    decisions: str = "",
    files: Sequence[Any] = (),
) -> Minutes:
    """Write or correct the minutes, with photos or attachments; refused once approved (locked)."""
    Scope.of(actor, Cap.MEETINGS).require(organisation=meeting.organisation)
    if meeting.status == Status.CANCELLED:
        raise ValidationError(_("会议已取消。"))
    if meeting.starts_at > clock.now():
        raise ValidationError(_("会议尚未开始，不能填写会议记录。"))
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is not None and minutes.locked:
        raise ValidationError(_("会议记录已审定锁定，不能再修改。"))
    if not topics.strip() or len(content.strip()) < 10:
        raise ValidationError(_("请填写议题，会议内容不少于 10 个字。"))
    before = (
        None
        if minutes is None
        else {"topics": minutes.topics, "content": minutes.content, "decisions": minutes.decisions}
    )
    if minutes is None:
        minutes = Minutes(meeting=meeting, written_by=actor)
    minutes.topics, minutes.content = topics.strip(), content.strip()
    minutes.speakers, minutes.decisions = speakers.strip()[:500], decisions.strip()
    minutes.save()
    for upload in files:
        Attachment.objects.create(minutes=minutes, file=upload, uploaded_by=actor)
    record(
        actor,
        actions.MEETINGS_MINUTES,
        meeting,
        before=before,
        after={
            "topics": minutes.topics,
            "content": minutes.content,
            "decisions": minutes.decisions,
            "attachments": len(files),
        },
    )
    return minutes


@transaction.atomic
def approve_minutes(actor: Any, meeting: Meeting, *, today: date | None = None) -> Minutes:
    """审定: the minutes are locked; attendance is closed (absentees get their make-up study)."""
    Scope.of(actor, Cap.MEETINGS).require(organisation=meeting.organisation)
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is None:
        raise ValidationError(_("还没有会议记录。"))
    if minutes.locked:
        raise ValidationError(_("会议记录已经审定。"))
    if meeting.ends_at > clock.now():
        raise ValidationError(_("会议结束后才能审定会议记录。"))
    minutes.approved_by, minutes.approved_at = actor, clock.now()
    minutes.save(update_fields=["approved_by", "approved_at"])
    close_attendance(meeting, today or clock.today())
    record(actor, actions.MEETINGS_APPROVE_MINUTES, meeting)
    return minutes


@transaction.atomic
def add_resolution(actor: Any, meeting: Meeting, *, title: str, entitled: int, present: int, yes: int) -> Resolution:
    """A matter voted at a 支部党员大会: passed when more than half of the full members entitled to vote say yes,
    with more than half present (:func:`plaza.rules.meetings.branch_resolution`)."""
    Scope.of(actor, Cap.MEETINGS).require(organisation=meeting.organisation)
    if meeting.kind != Kind.GENERAL_MEETING:
        raise ValidationError(_("只有支部党员大会进行表决。"))
    if _is_locked(meeting):
        raise ValidationError(_("会议记录已审定锁定，不能再修改。"))
    if not title.strip():
        raise ValidationError(_("请填写表决事项。"))
    try:
        outcome = rules.branch_resolution(entitled=entitled, present=present, yes=yes)
    except ValueError as exc:
        raise ValidationError(_("人数不合理：实到会和赞成人数不能多于应到会人数。")) from exc
    resolution = Resolution.objects.create(
        meeting=meeting,
        title=title.strip()[:200],
        entitled=entitled,
        present=present,
        yes=yes,
        passed=outcome.quorate and outcome.passed,
        rule=outcome.rule,
        recorded_by=actor,
    )
    record(
        actor,
        actions.MEETINGS_RESOLUTION,
        meeting,
        after={
            "title": resolution.title,
            "entitled": entitled,
            "present": present,
            "yes": yes,
            "passed": resolution.passed,
            "quorate": outcome.quorate,
        },
    )
    return resolution


def compliance_key(organisation_id: int, kind: str, period_first: date) -> str:
    return f"{organisation_id}:{kind}:{period_first.isoformat()}"


# ------------------------------------------------------------------------------------------ reminders (issue 14)

#: Who is reminded of a branch's meetings: the officers who plan them (as the daily sweep's to-dos go to).
REMINDED_TITLES = tuple(title for title, caps in TITLE_CAPS.items() if Cap.MEETINGS in caps)


def due_cells(cells: Iterable[Any]) -> list[Any]:
    """The compliance board's cells (``queries.Cell``) a reminder is about: a required period over and not held
    (《支部条例》's minimum missed), or the current one not held and with nothing planned yet."""
    return [c for c in cells if c.state == "missing" or (c.state == "open" and not c.planned)]


def _officers_by_branch(branches: Sequence[Organisation]) -> dict[int, list[Person]]:
    """Each branch's current secretary, deputy and organisation member, active accounts only (one query)."""
    found: dict[int, list[Person]] = {b.pk: [] for b in branches}
    positions = (
        Position.objects.current()
        .filter(organisation__in=[b.pk for b in branches], title__in=REMINDED_TITLES, person__is_active=True)
        .select_related("person")
        .order_by("organisation_id", "person__employee_no")
    )
    for position in positions:
        if position.person not in found[position.organisation_id]:
            found[position.organisation_id].append(position.person)
    return found


def reminder_refusals(actor: Any, rows: Sequence[tuple[Organisation, Sequence[Any]]]) -> dict[int, str]:
    """Why a branch of the board (``(branch, cells)`` from ``queries.compliance_on``) cannot be reminded, by its
    id: not in the actor's keeping, nothing due (every required period held or planned), or nobody to tell.
    The branches not named may be reminded; the confirmation page and :func:`remind_branches` both ask this."""
    scope = Scope.of(actor, Cap.MEETINGS)
    officers = _officers_by_branch([branch for branch, _cells in rows])
    refusals: dict[int, str] = {}
    for branch, cells in rows:
        if not scope.covers(branch):
            refusals[branch.pk] = _("不在您管理的范围内。")
        elif not due_cells(cells):
            refusals[branch.pk] = _("本期应召开的组织生活都已召开或已安排，无需提醒。")
        elif not officers[branch.pk]:
            refusals[branch.pk] = _("该党支部没有在任的书记、副书记或组织委员，无人可提醒。")
    return refusals


def _reminder_body(cells: Sequence[Any]) -> str:
    lines = []
    for cell in cells:
        span = _("%(first)s至%(last)s") % {"first": dates.day(cell.first), "last": dates.day(cell.last)}
        state = _("期满未召开") if cell.state == "missing" else _("本期尚未召开，也未安排")
        why = f"（{cell.note}）" if cell.note else ""
        lines.append(f"{Kind(cell.kind).label}（{span}）：{state}{why}")
    return "\n".join(lines)


def remind_branches(
    actor: Any, rows: Sequence[tuple[Organisation, Sequence[Any]]], month: date
) -> tuple[list[Organisation], dict[int, str]]:
    """The compliance board's bulk action: each branch's officers are told which required meetings of
    ``month``'s periods are missing or not yet planned (《支部条例》's minimum: ``plaza.rules.meetings``), with a
    link to the branch's meetings. Each branch is audited; a branch refused (:func:`reminder_refusals`) is told
    nothing. Returns the branches reminded and the refusals by branch id."""
    refusals = reminder_refusals(actor, rows)
    wanted = [(branch, cells) for branch, cells in rows if branch.pk not in refusals]
    officers = _officers_by_branch([branch for branch, _cells in wanted])
    done: list[Organisation] = []
    with transaction.atomic():
        for branch, cells in wanted:
            due = due_cells(cells)
            title = _("组织生活提醒：%(branch)s %(month)s 还有 %(n)s 项组织生活未落实") % {
                "branch": branch.name,
                "month": dates.month(month),
                "n": len(due),
            }
            sent = notify.notify(
                officers[branch.pk],
                kind="meeting",
                title=title,
                body=_reminder_body(due),
                url=reverse("meetings:organisation", args=[branch.pk]),
            )
            after = {"month": f"{month:%Y-%m}", "kinds": [c.kind for c in due], "recipients": sent}
            record(actor, actions.MEETINGS_REMIND, branch, after=after)
            done.append(branch)
    return done, refusals
