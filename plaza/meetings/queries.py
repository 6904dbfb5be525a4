"""Reads for meeting pages and the compliance board; every function takes the viewer or works within
organisations the caller already scoped."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.utils import timezone

from plaza.orgs.models import Level, Organisation
from plaza.orgs.permissions import Cap, Scope
from plaza.rules import meetings as rules

from .models import Attendance, AttendanceState, Kind, Meeting, Status

#: The kinds a 党支部 must hold (《支部条例》); 党小组会 only when the branch has groups, and then every group.
BRANCH_KINDS: tuple[str, ...] = rules.KINDS


def visible_meetings(viewer: Any) -> QuerySet[Meeting]:
    """Meetings of the organisations whose meetings the viewer keeps."""
    return Meeting.objects.filter(Scope.of(viewer, Cap.MEETINGS).q("organisation__path")).select_related(
        "organisation")


def meetings_of(person: Any) -> QuerySet[Attendance]:
    """The person's own attendance rows, newest meeting first."""
    return Attendance.objects.filter(person=person).select_related("meeting", "meeting__organisation").order_by(
        "-meeting__starts_at")


def kept_organisations(viewer: Any) -> QuerySet[Organisation]:
    """Party organisations whose meetings the viewer keeps (committees, general branches, branches, groups)."""
    return Scope.of(viewer, Cap.MEETINGS).organisations().filter(
        level__in=[Level.COMMITTEE, Level.GENERAL_BRANCH, Level.BRANCH, Level.GROUP]).order_by("path")


@dataclass(frozen=True)
class Cell:
    kind: str
    first: date
    last: date
    state: str  # "held" | "missing" | "open" (current period, not held yet) | "future" | "none" (not required)
    planned: bool = False

    @property
    def label(self) -> str:
        months = rules.PERIOD_MONTHS[self.kind]
        if months == 12:
            return f"{self.first.year}"
        if months == 3:
            return f"Q{(self.first.month - 1) // 3 + 1}"
        return f"{self.first.month}"


def _held(branches: list[Organisation], start: date, end: date, now: datetime
          ) -> tuple[dict[tuple[int, str], set[date]], dict[tuple[int, str], set[date]], dict[int, set[int]],
                     dict[tuple[int, int], set[date]]]:
    """One query: per (branch, kind) the first days of the periods with a meeting held / still planned; per
    branch its groups; per (branch, group) the months with a 党小组会 held."""
    tz = timezone.get_current_timezone()
    by_path = {b.path: b.pk for b in branches}
    groups: dict[int, set[int]] = defaultdict(set)
    group_branch: dict[int, int] = {}
    steplen = Organisation.steplen
    group_rows = Organisation.objects.filter(level=Level.GROUP, depth__in={b.depth + 1 for b in branches}).annotate(
        parent_path=Substr("path", 1, Length("path") - steplen)).filter(parent_path__in=list(by_path))
    for pk, path in group_rows.values_list("pk", "path"):
        branch_id = by_path.get(path[:-steplen])
        if branch_id is not None:
            groups[branch_id].add(pk)
            group_branch[pk] = branch_id
    held: dict[tuple[int, str], set[date]] = defaultdict(set)
    planned: dict[tuple[int, str], set[date]] = defaultdict(set)
    group_held: dict[tuple[int, int], set[date]] = defaultdict(set)
    rows = Meeting.objects.filter(
        organisation_id__in=[*by_path.values(), *group_branch], kind__in=BRANCH_KINDS,
        starts_at__gte=datetime.combine(start, datetime.min.time(), tz),
        starts_at__lt=datetime.combine(end + timedelta(days=1), datetime.min.time(), tz),
    ).exclude(status=Status.CANCELLED).values_list("organisation_id", "kind", "starts_at")
    for org_id, kind, starts_at in rows:
        first = rules.period_of(kind, timezone.localtime(starts_at).date())[0]
        if org_id in group_branch:
            if kind == Kind.GROUP and starts_at <= now:
                group_held[(group_branch[org_id], org_id)].add(first)
            continue
        (held if starts_at <= now else planned)[(org_id, kind)].add(first)
    return held, planned, groups, group_held


def compliance(branches: list[Organisation], year: int, *, now: datetime | None = None
               ) -> dict[int, dict[str, list[Cell]]]:
    """For each branch, for each required kind, the year's periods coloured: held (green), missing (red),
    the current period not yet held (yellow), future (grey). A branch's 党小组会 is held for a month when
    every one of its groups held one; a branch without groups owes none."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    start, end = date(year, 1, 1), date(year, 12, 31)
    held, planned, groups, group_held = _held(branches, start, end, now)
    board: dict[int, dict[str, list[Cell]]] = {}
    for branch in branches:
        row: dict[str, list[Cell]] = {}
        for kind in BRANCH_KINDS:
            cells = []
            for first, last in rules.periods(kind, start, end):
                if kind == Kind.GROUP:
                    own = groups.get(branch.pk, set())
                    done = bool(own) and all(first in group_held.get((branch.pk, g), set()) for g in own)
                    required = bool(own)
                else:
                    done, required = first in held.get((branch.pk, kind), set()), True
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
                cells.append(Cell(kind, first, last, state, first in planned.get((branch.pk, kind), set())))
            row[kind] = cells
        board[branch.pk] = row
    return board


def cell_on(row: dict[str, list[Cell]], kind: str, day: date) -> Cell:
    """The cell of ``kind`` whose period contains ``day``."""
    first = rules.period_of(kind, day)[0]
    return next(cell for cell in row[kind] if cell.first == first)


def attendance_rates(organisation: Organisation, year: int) -> tuple[list[dict], float | None]:
    """Per person (members, not guests) over the year's meetings already over: expected, present, on leave,
    absent, made up, and the rate; and the organisation's rate (present ÷ expected)."""
    tz = timezone.get_current_timezone()
    rows = Attendance.objects.filter(
        meeting__organisation__path__startswith=organisation.path, guest=False,
        meeting__starts_at__gte=datetime.combine(date(year, 1, 1), datetime.min.time(), tz),
        meeting__starts_at__lt=datetime.combine(date(year + 1, 1, 1), datetime.min.time(), tz),
        meeting__ends_at__lte=timezone.now(),
    ).exclude(meeting__status=Status.CANCELLED).values("person_id", "person__name", "person__employee_no").annotate(
        expected=Count("pk"),
        present=Count("pk", filter=Q(state=AttendanceState.PRESENT)),
        leave=Count("pk", filter=Q(state=AttendanceState.LEAVE)),
        absent=Count("pk", filter=Q(state__in=[AttendanceState.ABSENT, AttendanceState.EXPECTED])),
        made_up=Count("pk", filter=Q(makeup_done_on__isnull=False)),
    ).order_by("person__employee_no")
    people = [row | {"rate": row["present"] / row["expected"]} for row in rows]
    expected = sum(row["expected"] for row in people)
    return people, (sum(row["present"] for row in people) / expected) if expected else None
