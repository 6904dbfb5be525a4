"""The daily meetings pass: plan the recurring meetings a month ahead, close the attendance of meetings that
are over (absentees get their make-up study), and tell each branch, before a period ends, which required
meeting it has not held yet (《支部条例》). Idempotent: to-dos and meetings are keyed."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from plaza.lib import clock, dates
from plaza.notify.models import Task
from plaza.orgs.models import Level, Organisation, Position
from plaza.orgs.permissions import TITLE_CAPS, Cap
from plaza.rules import meetings as rules

from . import queries, services
from .models import Meeting, Series, Status

#: Warn this many days before the end of a period (plaza.rules.meetings.MISSING_WARNING_DAYS).
WARN_DAYS = rules.MISSING_WARNING_DAYS


def meetings_sweep(today: date) -> dict[str, int]:
    planned = sum(services.plan_series(series, today) for series in Series.objects.filter(active=True))
    closed = 0
    recent = Meeting.objects.filter(ends_at__lte=clock.now(), ends_at__gte=clock.now() - timedelta(days=14)).exclude(
        status=Status.CANCELLED
    )
    for meeting in recent:
        closed += services.close_attendance(meeting, today)
    return {"planned": planned, "makeup": closed, "missing": remind_missing(today)}


def remind_missing(today: date) -> int:
    """A to-do for the branch's officers when a period ends soon with a required meeting neither held nor
    planned; planning one closes it (``services.plan_meeting``)."""
    branches = list(Organisation.objects.filter(level=Level.BRANCH).only("pk", "path", "depth", "name"))
    board = queries.compliance_on(branches, today)
    titles = [title for title, caps in TITLE_CAPS.items() if Cap.MEETINGS in caps]
    officers: dict[int, list[int]] = defaultdict(list)
    for org_id, person_id in (
        Position.objects.current()
        .filter(organisation__level=Level.BRANCH, title__in=titles, person__is_active=True)
        .values_list("organisation_id", "person_id")
    ):
        officers[org_id].append(person_id)
    wanted = []
    for branch in branches:
        for kind, cell in zip(queries.BRANCH_KINDS, board[branch.pk], strict=True):
            warn_from = rules.missing_warning_from(kind, cell.last)
            if cell.state == "open" and not cell.planned and today >= warn_from:
                title = _("%(branch)s 本期%(kind)s尚未召开（%(last)s 前）") % {
                    "branch": branch.name,
                    "kind": rules.LABELS[kind],
                    "last": dates.day(cell.last),
                }
                if cell.note:  # held but not counted (a 支部委员会 without its quorum): say why
                    title = _("%(title)s：%(why)s") % {"title": title, "why": cell.note}
                key = services.compliance_key(branch.pk, kind, cell.first)
                wanted += [(person_id, key, title, cell.last) for person_id in officers.get(branch.pk, [])]
    existing = set(
        Task.objects.filter(source_type="meetings-missing", source_id__in={w[1] for w in wanted}).values_list(
            "assignee_id", "source_id"
        )
    )
    new = [
        Task(
            assignee_id=person_id,
            source_type="meetings-missing",
            source_id=key,
            title=title[:200],
            url=reverse("meetings:office"),
            due_on=due,
        )
        for person_id, key, title, due in wanted
        if (person_id, key) not in existing
    ]
    Task.objects.bulk_create(new, batch_size=5000)
    return len(new)
