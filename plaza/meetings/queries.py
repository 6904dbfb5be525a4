"""Reads for meeting pages and the compliance board; every function takes the viewer or works within
organisations the caller already scoped."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Case, Count, DateField, Q, QuerySet, When
from django.db.models.functions import Cast, Length, Substr, TruncMonth, TruncQuarter, TruncYear
from django.utils import timezone
from django.utils.translation import gettext as _

from plaza.lib import clock, dates
from plaza.orgs.models import Level, Organisation
from plaza.orgs.permissions import Cap, Scope
from plaza.rules import meetings as rules

from .models import Attachment, Attendance, AttendanceState, Kind, Meeting, Minutes, Series, Status
from .services import due_cells, token_names

#: The kinds a 党支部 must hold (《支部条例》); 党小组会 only when the branch has groups, and then every group.
BRANCH_KINDS: tuple[str, ...] = rules.KINDS
KEPT_LEVELS = (
    Level.COMMITTEE,
    Level.GENERAL_BRANCH,
    Level.BRANCH,
    Level.GROUP,
    Level.LEAGUE_COMMITTEE,
    Level.LEAGUE_GENERAL_BRANCH,
    Level.LEAGUE_BRANCH,
    Level.UNION,
    Level.SUB_UNION,
)
#: Above this many branches the board does not list their ids in the query (a long IN list costs more than
#: reading every meeting of the periods and keeping the wanted ones).
IN_LIST_LIMIT = 500


def visible_meetings(viewer: Any) -> QuerySet[Meeting]:
    """Meetings of the organisations whose meetings the viewer keeps."""
    return Meeting.objects.filter(Scope.of(viewer, Cap.MEETINGS).q("organisation__path")).select_related("organisation")


def meetings_of(person: Any) -> QuerySet[Attendance]:
    """The person's own attendance rows, newest meeting first."""
    return (
        Attendance.objects.filter(person=person)
        .select_related("meeting", "meeting__organisation")
        .order_by("-meeting__starts_at")
    )


def kept_organisations(viewer: Any) -> QuerySet[Organisation]:
    """Organisations whose meetings the viewer keeps: the Party's (committees, general branches, branches,
    groups), the League's (团委, 团总支, 团支部) and the union's (工会, 分工会) within their scope."""
    return Scope.of(viewer, Cap.MEETINGS).organisations().filter(level__in=KEPT_LEVELS).order_by("path")


@dataclass(frozen=True)
class Cell:
    kind: str
    first: date
    last: date
    state: str  # "held" | "missing" | "open" (current period, not held yet) | "future" | "none" (not required)
    planned: bool = False
    note: str = ""  # why a meeting that took place does not count (a 支部委员会 without its quorum)

    @property
    def name(self) -> str:
        """The kind's name in the reader's language (支部党员大会 …)."""
        return str(Kind(self.kind).label)

    @property
    def label(self) -> str:
        months = rules.PERIOD_MONTHS[self.kind]
        if months == 12:
            return f"{self.first.year}"
        if months == 3:
            return f"Q{(self.first.month - 1) // 3 + 1}"
        return f"{self.first.month}"


def _groups(branches: list[Organisation]) -> tuple[dict[int, set[int]], dict[int, int]]:
    """Per branch the ids of its Party groups, and per group its branch (one query)."""
    by_path = {b.path: b.pk for b in branches}
    steplen = Organisation.steplen
    groups: dict[int, set[int]] = defaultdict(set)
    group_branch: dict[int, int] = {}
    rows = Organisation.objects.filter(level=Level.GROUP, depth__in={b.depth + 1 for b in branches})
    if len(by_path) <= IN_LIST_LIMIT:
        rows = rows.annotate(parent_path=Substr("path", 1, Length("path") - steplen)).filter(
            parent_path__in=list(by_path)
        )
    for pk, path in rows.values_list("pk", "path"):
        branch_id = by_path.get(path[:-steplen])
        if branch_id is not None:
            groups[branch_id].add(pk)
            group_branch[pk] = branch_id
    return groups, group_branch


def _period_start(tz: Any) -> Case:
    """The first day of the required period a meeting falls in, computed by the database."""
    by_length: dict[int, list[str]] = defaultdict(list)
    for kind in BRANCH_KINDS:
        by_length[rules.PERIOD_MONTHS[kind]].append(kind)
    trunc = {1: TruncMonth, 3: TruncQuarter, 12: TruncYear}
    # Cast: PostgreSQL's DATE_TRUNC gives a timestamp even when a date is asked for.
    return Case(
        *(
            When(kind__in=kinds, then=Cast(trunc[months]("starts_at", tzinfo=tz), DateField()))
            for months, kinds in by_length.items()
        ),
        output_field=DateField(),
    )


def _held(
    branches: list[Organisation],
    periods: dict[str, list[tuple[date, date]]],
    now: datetime,
    groups: dict[int, set[int]],
    group_branch: dict[int, int],
) -> tuple[
    set[tuple[int, str, date]], set[tuple[int, str, date]], Counter[tuple[int, date]], dict[tuple[int, str, date], str]
]:
    """One grouped query over the meetings of ``periods``: the (branch, kind, period) held, those only planned,
    per (branch, month) how many of the branch's groups held a 党小组会, and why a period whose only meeting
    did not count is not held (a 支部委员会 without its quorum does not fulfil its month)."""
    tz = timezone.get_current_timezone()
    windows = Q(pk__in=[])
    for kind, spans in periods.items():
        if spans:
            windows |= Q(
                kind=kind,
                starts_at__gte=datetime.combine(spans[0][0], datetime.min.time(), tz),
                starts_at__lt=datetime.combine(spans[-1][1] + timedelta(days=1), datetime.min.time(), tz),
            )
    meetings = Meeting.objects.filter(windows).exclude(status=Status.CANCELLED)
    wanted = {b.pk for b in branches}
    if len(wanted) <= IN_LIST_LIMIT:  # a few branches: ask for theirs; thousands: read the periods, sort here
        meetings = meetings.filter(organisation_id__in=[*wanted, *group_branch])
    short = _committees_without_quorum(meetings, now)
    took_place = Q(starts_at__lte=now) & ~Q(pk__in=list(short))
    counts = {"held": Count("pk", filter=took_place), "later": Count("pk", filter=Q(starts_at__gt=now))}
    rows: Iterable[tuple[Any, ...]]
    if all(len(spans) == 1 for spans in periods.values()):
        # One period per kind (the committee's board of one month): the period is the kind's, so the database
        # need not compute it for every meeting — a third of the query's time across 5,000 branches.
        only = {kind: spans[0][0] for kind, spans in periods.items()}
        rows = (
            (org_id, kind, only[kind], was_held, later)
            for org_id, kind, was_held, later in meetings.values("organisation_id", "kind")
            .order_by()
            .annotate(**counts)
            .values_list("organisation_id", "kind", "held", "later")  # type: ignore[misc]  # the plugin misses **counts
        )
    else:
        rows = (
            meetings.annotate(first=_period_start(tz))
            .values("organisation_id", "kind", "first")
            .order_by()
            .annotate(**counts)
            .values_list("organisation_id", "kind", "first", "held", "later")
        )
    held: set[tuple[int, str, date]] = set()
    planned: set[tuple[int, str, date]] = set()
    groups_held: Counter[tuple[int, date]] = Counter()  # (branch, month) → how many of its groups met
    for org_id, kind, first, was_held, later in rows:
        if org_id in group_branch:
            if kind == Kind.GROUP and was_held:
                groups_held[group_branch[org_id], first] += 1  # one row per group and month
            continue
        if org_id not in wanted:
            continue
        if was_held:
            held.add((org_id, kind, first))
        if later:
            planned.add((org_id, kind, first))
    notes: dict[tuple[int, str, date], str] = {}
    for org_id, starts_at, members, present in short.values():
        first = rules.period_of(Kind.COMMITTEE, timezone.localtime(starts_at, tz).date())[0]
        notes[org_id, Kind.COMMITTEE, first] = _(
            "%(day)s 的支部委员会会议到会 %(present)s 人，不足委员 %(members)s 人的半数，不算召开（《支部条例》）"
        ) % {"day": dates.day(timezone.localtime(starts_at, tz).date()), "present": present, "members": members}
    return held, planned, groups_held, notes


def _committees_without_quorum(meetings: QuerySet[Meeting], now: datetime) -> dict[int, tuple[int, datetime, int, int]]:
    """The 支部委员会 meetings that are over without half of the committee present (``rules.committee_quorate``):
    meeting id → (organisation id, start, members expected, members signed in). One grouped query over those
    meetings' attendance (a committee meets once a month: one row per branch). A meeting with nobody expected
    cannot be judged and is not listed; one still running is judged when it ends."""
    rows = (
        Attendance.objects.filter(
            meeting__in=meetings.filter(kind=Kind.COMMITTEE, ends_at__lte=now).values("pk"), guest=False
        )
        .values("meeting_id", "meeting__organisation_id", "meeting__starts_at")
        .order_by()
        .annotate(members=Count("pk"), present=Count("pk", filter=Q(state=AttendanceState.PRESENT)))
        .values_list("meeting_id", "meeting__organisation_id", "meeting__starts_at", "members", "present")
    )
    return {
        meeting_id: (org_id, starts_at, members, present)
        for meeting_id, org_id, starts_at, members, present in rows
        if not rules.committee_quorate(members=members, present=present)
    }


def _board(
    branches: list[Organisation], periods: dict[str, list[tuple[date, date]]], now: datetime
) -> dict[int, dict[str, list[Cell]]]:
    today = timezone.localtime(now).date()
    groups, group_branch = _groups(branches)
    held, planned, groups_held, notes = _held(branches, periods, now, groups, group_branch)
    board: dict[int, dict[str, list[Cell]]] = {}
    for branch in branches:
        pk = branch.pk
        own = groups.get(pk, ())
        row: dict[str, list[Cell]] = {}
        for kind in BRANCH_KINDS:
            cells = []
            for first, last in periods[kind]:
                if kind == Kind.GROUP:
                    required = bool(own)
                    done = required and groups_held[pk, first] == len(own)
                else:
                    required, done = True, (pk, kind, first) in held
                if not required:
                    state = "none"
                elif done:
                    state = "held"
                elif last < today:
                    state = "missing"
                elif first <= today:
                    state = "open"
                else:
                    state = "future"
                note = notes.get((pk, kind, first), "") if state != "held" else ""
                cells.append(Cell(kind, first, last, state, (pk, kind, first) in planned, note))
            row[kind] = cells
        board[pk] = row
    return board


def compliance(
    branches: list[Organisation], year: int, *, now: datetime | None = None
) -> dict[int, dict[str, list[Cell]]]:
    """For each branch, for each required kind, the year's periods coloured: held (green), missing (red),
    the current period not yet held (yellow), future (grey). A branch's 党小组会 is held for a month when
    every one of its groups held one; a branch without groups owes none (state "none")."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    return _board(branches, {kind: rules.periods(kind, start, end) for kind in BRANCH_KINDS}, now or clock.now())


def compliance_on(branches: list[Organisation], day: date, *, now: datetime | None = None) -> dict[int, list[Cell]]:
    """Per branch, one cell per required kind: the period of that kind containing ``day`` (the committee's
    board across thousands of branches reads only those periods)."""
    periods = {kind: [rules.period_of(kind, day)] for kind in BRANCH_KINDS}
    board = _board(branches, periods, now or clock.now())
    return {pk: [row[kind][0] for kind in BRANCH_KINDS] for pk, row in board.items()}


#: The compliance board's filter bar (issue 14): branches with something not held (a period over, or the current
#: one with nothing planned: ``services.due_cells``), with a period over and not held, with every period held.
COMPLIANCE_STATES = ("gaps", "missing", "done")
#: The board's orders: the tree's, by name, by how many required meetings are not held (``?sort=``).
COMPLIANCE_ORDERS = {
    "path": lambda row: row[0].path,
    "name": lambda row: row[0].name,
    "gaps": lambda row: len(row[2]),
}


#: The states a chart of the compliance board counts, in its series' order (held, still open, over and not held).
COMPLIANCE_CHART_STATES = ("held", "open", "missing")


def compliance_chart(rows: list[tuple[Organisation, list[Cell]]]) -> dict[str, list[Any]]:
    """The board (the cells :func:`compliance_on` already read) as a chart: per required kind, how many branches
    held it in the period, have it still open, and let the period end without it. No categories when no branch
    has a required meeting in the period, so the page leaves the chart out."""
    counts = {kind: Counter[str]() for kind in BRANCH_KINDS}
    for _branch, cells in rows:
        for cell in cells:
            if cell.kind in counts:
                counts[cell.kind][cell.state] += 1
    drawn = any(counts[kind][state] for kind in BRANCH_KINDS for state in COMPLIANCE_CHART_STATES)
    chart: dict[str, list[Any]] = {"kinds": [str(Kind(kind).label) for kind in BRANCH_KINDS] if drawn else []}
    for state in COMPLIANCE_CHART_STATES:
        chart[state] = [counts[kind][state] for kind in BRANCH_KINDS]
    return chart


def compliance_scopes(viewer: Any) -> QuerySet[Organisation]:
    """The 党委 and 党总支 the viewer keeps the meetings of: the subtrees the committee's board can narrow to."""
    return (
        Scope.of(viewer, Cap.MEETINGS)
        .organisations()
        .filter(level__in=(Level.COMMITTEE, Level.GENERAL_BRANCH))
        .order_by("path")
        .only("pk", "name", "path", "depth")
    )


def compliance_branches(
    viewer: Any, *, within: Organisation | None = None, search: str = "", ids: Iterable[int] | None = None
) -> list[Organisation]:
    """The 党支部 whose meetings the viewer keeps, in the tree's order: under ``within`` when given, whose name
    contains ``search``, or only those of ``ids`` (the ticked rows of a bulk action)."""
    branches = Scope.of(viewer, Cap.MEETINGS).organisations().filter(level=Level.BRANCH)
    if within is not None:
        branches = branches.filter(path__startswith=within.path)
    if search:
        branches = branches.filter(name__contains=search)
    if ids is not None:
        branches = branches.filter(pk__in=list(ids))
    return list(branches.order_by("path").only("pk", "name", "path", "depth"))


def compliance_rows(
    rows: list[tuple[Organisation, list[Cell]]], *, state: str = "", order: str = "path"
) -> list[tuple[Organisation, list[Cell], list[Cell]]]:
    """The board's rows a filter bar asks for, each with the cells a reminder would be about
    (``services.due_cells``): ``state`` one of :data:`COMPLIANCE_STATES` ("" for all), in ``order`` (a key of
    :data:`COMPLIANCE_ORDERS`, "-" first for descending; ties in the tree's order)."""
    found = [(branch, cells, due_cells(cells)) for branch, cells in rows]
    if state == "gaps":
        found = [row for row in found if row[2]]
    elif state == "missing":
        found = [row for row in found if any(cell.state == "missing" for cell in row[1])]
    elif state == "done":
        found = [row for row in found if not row[2]]
    key = COMPLIANCE_ORDERS.get(order.lstrip("-"), COMPLIANCE_ORDERS["path"])
    ordered = sorted(found, key=lambda row: row[0].path)
    return sorted(ordered, key=key, reverse=order.startswith("-"))


def _year_attendance(organisation: Organisation, year: int) -> QuerySet[Attendance]:
    """Members' (not guests') attendance at the meetings of the organisation's subtree in ``year`` that are over."""
    tz = timezone.get_current_timezone()
    return Attendance.objects.filter(
        meeting__organisation__path__startswith=organisation.path,
        guest=False,
        meeting__starts_at__gte=datetime.combine(date(year, 1, 1), datetime.min.time(), tz),
        meeting__starts_at__lt=datetime.combine(date(year + 1, 1, 1), datetime.min.time(), tz),
        meeting__ends_at__lte=clock.now(),
    ).exclude(meeting__status=Status.CANCELLED)


def branch_rates(organisation: Organisation, year: int) -> list[dict]:
    """Per branch under the organisation: attendance expected and present at its (and its groups') meetings
    in ``year``, and the rate; branches without a finished meeting have no rate (None)."""
    branches = list(
        Organisation.objects.filter(path__startswith=organisation.path, level=Level.BRANCH)
        .order_by("path")
        .values_list("pk", "name", "path")
    )
    by_path = {path: {"pk": pk, "name": name, "expected": 0, "present": 0} for pk, name, path in branches}
    steplen = Organisation.steplen
    rows = (
        _year_attendance(organisation, year)
        .values("meeting__organisation__path")
        .annotate(expected=Count("pk"), present=Count("pk", filter=Q(state=AttendanceState.PRESENT)))
        .order_by()
    )
    for row in rows:
        path = row["meeting__organisation__path"]
        while path and path not in by_path:  # a group's meeting counts for its branch
            path = path[:-steplen]
        if path:
            by_path[path]["expected"] += row["expected"]
            by_path[path]["present"] += row["present"]
    return [row | {"rate": row["present"] / row["expected"] if row["expected"] else None} for row in by_path.values()]


def attendance_rates(organisation: Organisation, year: int) -> tuple[list[dict], float | None]:
    """Per person (members, not guests) over the year's meetings already over: expected, present, on leave,
    absent, made up, and the rate; and the organisation's rate (present ÷ expected)."""
    rows = (
        _year_attendance(organisation, year)
        .values("person_id", "person__name", "person__employee_no")
        .annotate(
            expected=Count("pk"),
            present=Count("pk", filter=Q(state=AttendanceState.PRESENT)),
            leave=Count("pk", filter=Q(state=AttendanceState.LEAVE)),
            absent=Count("pk", filter=Q(state__in=[AttendanceState.ABSENT, AttendanceState.EXPECTED])),
            made_up=Count("pk", filter=Q(makeup_done_on__isnull=False)),
        )
        .order_by("person__employee_no")
    )
    people = [row | {"rate": row["present"] / row["expected"]} for row in rows]
    expected = sum(row["expected"] for row in people)
    return people, (sum(row["present"] for row in people) / expected) if expected else None


def meeting_for(viewer: Any, meeting_id: int) -> tuple[Meeting, bool] | None:
    """The meeting and whether the viewer keeps it (``Cap.MEETINGS`` over its organisation); None unless
    they keep it or are on its list — the one lookup the pages and the API share (they answer 404 for None;
    a query does not decide the HTTP answer)."""
    meeting = Meeting.objects.filter(pk=meeting_id).select_related("organisation").first()
    if meeting is None:
        return None
    keeps = Scope.of(viewer, Cap.MEETINGS).covers(meeting.organisation)
    if not keeps and not Attendance.objects.filter(meeting=meeting, person=viewer).exists():
        return None
    return meeting, keeps


def attendance_of(meeting: Meeting, person: Any) -> Attendance | None:
    """The person's own place on the meeting's list, if they have one."""
    return Attendance.objects.filter(meeting=meeting, person=person).first()


def minutes_of(meeting: Meeting) -> Minutes | None:
    """The meeting's minutes with who wrote and approved them, or None before any are written."""
    return Minutes.objects.filter(meeting=meeting).select_related("written_by", "approved_by").first()


def attendance_counts(meeting: Meeting) -> dict[str, int]:
    """How many of the expected (guests not counted) are in each attendance state; every state present."""
    counts = {state: 0 for state in AttendanceState.values}
    for state in meeting.attendance.filter(guest=False).values_list("state", flat=True):
        counts[state] += 1
    return counts


#: The organisation's meeting list filtered by where a meeting stands (issue 14): still to come, over, over with
#: no minutes written yet (the 会议记录 staff owe), cancelled.
MEETING_STATES = ("coming", "over", "no_minutes", "cancelled")


def organisation_meetings(
    organisation: Organisation,
    year: int,
    kind: str = "",
    *,
    state: str = "",
    search: str = "",
    order: Sequence[str] = ("-starts_at", "-id"),
    now: datetime | None = None,
    with_later_planned: bool = False,
) -> QuerySet[Meeting]:
    """The meetings of an organisation and its groups in ``year``, newest first; of one kind when given, in one
    of :data:`MEETING_STATES`, whose topic or place contains ``search``, in ``order`` (a whitelisted
    ``plaza.lib.listing`` order). ``with_later_planned`` adds the meetings already planned in later years: in
    the current year's list, a meeting planned on 31 December for 2 January must not vanish from sight.

    The caller has already found ``organisation`` among those the viewer keeps (:func:`kept_organisations`)."""
    in_year = Q(starts_at__year=year)
    if with_later_planned:
        in_year |= Q(starts_at__year__gt=year, status=Status.PLANNED)
    meetings = Meeting.objects.filter(in_year, organisation__path__startswith=organisation.path)
    if kind:
        meetings = meetings.filter(kind=kind)
    now = now or clock.now()
    if state == "cancelled":
        meetings = meetings.filter(status=Status.CANCELLED)
    elif state == "coming":
        meetings = meetings.filter(status=Status.PLANNED, ends_at__gte=now)
    elif state == "over":
        meetings = meetings.filter(status=Status.PLANNED, ends_at__lt=now)
    elif state == "no_minutes":
        meetings = meetings.filter(status=Status.PLANNED, starts_at__lte=now, minutes__isnull=True)
    if search:
        meetings = meetings.filter(Q(topic__contains=search) | Q(place__contains=search))
    return meetings.select_related("organisation", "minutes").order_by(*order)


def active_series(organisation: Organisation) -> QuerySet[Series]:
    """The organisation's recurring plans that still make meetings."""
    return Series.objects.filter(organisation=organisation, active=True)


def attachment_for(viewer: Any, attachment_id: int) -> Attachment | None:
    """A minutes attachment, only when the viewer may see its meeting (:func:`meeting_for`); otherwise None."""
    found = Attachment.objects.select_related("minutes__meeting").filter(pk=attachment_id).first()
    if found is None or meeting_for(viewer, found.minutes.meeting_id) is None:
        return None
    return found


def meeting_by_code(meeting_id: int, token: str) -> Meeting | None:
    """The meeting when ``token`` is one of its QR codes (however old: signing in checks the age), else None.

    Anyone signed in who scanned the code may open the sign-in page; without the code the meeting is not there,
    so its topic is not shown to someone guessing ids."""
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    return meeting if meeting is not None and token_names(meeting, token) else None
