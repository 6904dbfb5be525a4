"""The daily term pass: reminders 6 months before a committee's term ends, on the 换届请示 day its 本单位规定 sets
and on the day (《任期意见》; ``plaza.rules.elections.term_reminders``), each kept once by its key, and the
to-do "报送换届请示" for the organisation's officers until the request is in.

Where a term stands comes from ``queries.term_rows`` (``plaza.rules.elections.term_status``), as on the board,
so a 本单位规定 that moves the request date moves the colour, the legend, the reminder and the to-do together.
A change of the rule recomputes at once (``refresh_terms``, registered with ``localrules.services.on_change``):
a pending reminder takes its new date and text, and one whose new date has already passed becomes due at
once, marked late.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from plaza.lib import clock, dates
from plaza.notify import services as notify
from plaza.notify.models import Task
from plaza.orgs.models import Organisation, Position
from plaza.orgs.permissions import TITLE_CAPS, Cap
from plaza.rules import elections as rules

from . import labels
from .models import Term
from .queries import requested_terms, term_rows
from .services import parent_of

OFFICER_TITLES = [title for title, caps in TITLE_CAPS.items() if Cap.ELECTIONS in caps]
REQUEST_TASK = "elections-request"  # to-do source type; source id: the term's id


def request_task_title(term: Term, request_on: date, late: bool) -> str:
    title = _("报送换届请示：%(org)s（%(day)s 前）") % {"org": term.organisation.name, "day": dates.day(request_on)}
    return title + (_("（已逾期）") if late else "")


def _schedule(terms: Iterable[Term], today: date) -> int:
    tz = timezone.get_current_timezone()
    terms = list(terms)
    rows = term_rows(terms, today)
    requested_ids = requested_terms(terms)
    made = 0
    for term in terms:
        row = rows[term.organisation_id]
        status = row.status
        requested = term.pk in requested_ids
        officers = [
            p.person
            for p in Position.objects.current(today)
            .filter(organisation=term.organisation, title__in=OFFICER_TITLES)
            .select_related("person")
        ]
        for reminder in rules.term_reminders(term.due_on, request_months=row.request_months):
            key = f"term:{term.pk}:{reminder.kind}:{term.due_on.isoformat()}"
            late = reminder.on < today
            if reminder.kind == "request_due" and requested:
                notify.cancel_reminders("term", str(term.pk), kind="term-request_due")
                continue  # the request is in: nothing to remind
            if late and reminder.kind == "six_months":
                continue  # not sent late: the request reminder, due at once when late, says what matters now
            upper = parent_of(term.organisation) if reminder.kind == "six_months" else None
            people = list(officers)
            if upper is not None:  # the upper organisation reminds
                people += [
                    p.person
                    for p in Position.objects.current(today)
                    .filter(organisation=upper, title__in=OFFICER_TITLES)
                    .select_related("person")
                ]
            title = f"{term.organisation.name}：{labels.rule_message(reminder.message)}"
            if late and reminder.kind == "request_due":
                title = _("（已逾期）") + title
            notify.schedule_reminder(
                subject_type="term",
                subject_id=str(term.pk),
                kind=f"term-{reminder.kind}",
                dedupe_key=key,
                title=title,
                url=reverse("elections:index"),
                due_at=datetime.combine(max(reminder.on, today), time(9), tz),
                deadline=reminder.on if reminder.kind == "request_due" else term.due_on,
                recipients=people,
            )
            made += 1
        _request_task(term, status, officers, requested, today)
    return made


def _request_task(term: Term, status: rules.TermStatus, officers: list, requested: bool, today: date) -> None:
    """The officers' to-do "报送换届请示" from the six-month mark until the request is in (or the term is over)."""
    if requested or today < status.remind_on or status.state == "overdue":
        Task.objects.filter(source_type=REQUEST_TASK, source_id=str(term.pk), done_at__isnull=True).update(
            done_at=clock.now()
        )
        return
    title = request_task_title(term, status.request_on, status.state == "request_late")
    for person in officers:
        notify.add_task(
            person,
            title,
            url=reverse("elections:term_request", args=[term.organisation_id]),
            due_on=status.request_on,
            source_type=REQUEST_TASK,
            source_id=str(term.pk),
        )


def terms_sweep(today: date) -> dict[str, int]:
    """Schedule (or move) each open term's reminders and to-do under the 本单位规定 in force today."""
    terms = Term.objects.filter(ended_on__isnull=True).select_related("organisation")
    return {"reminders": _schedule(terms, today)}


def refresh_terms(organisation: Organisation, today: date) -> int:
    """After ``elections.request_months_before`` changed for ``organisation``: recompute the reminders and
    to-dos of the open terms in its subtree at once (not at the next daily pass)."""
    terms = Term.objects.filter(ended_on__isnull=True, organisation__path__startswith=organisation.path).select_related(
        "organisation"
    )
    return _schedule(terms, today)
