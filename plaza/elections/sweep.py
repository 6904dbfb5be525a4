"""The daily term pass: reminders 6 months and 2 months before a committee's term ends and on the day
(《任期意见》; ``plaza.rules.elections.term_reminders``), each scheduled once by its key."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from plaza.localrules import services as local_rules
from plaza.notify import services as notify
from plaza.orgs.models import Position
from plaza.orgs.permissions import TITLE_CAPS, Cap
from plaza.rules import elections as rules

from .models import Term
from .services import parent_of

OFFICER_TITLES = [title for title, caps in TITLE_CAPS.items() if Cap.ELECTIONS in caps]


def terms_sweep(today: date) -> dict[str, int]:
    """Schedule each open term's reminders; the 换届请示 reminder comes as many months before the end as the
    organisation's 本单位规定 ``elections.request_months_before`` says (read for all terms in one query). A
    reminder already scheduled keeps its day when the rule changes later (its key has no date of its own)."""
    tz = timezone.get_current_timezone()
    made = 0
    terms = list(Term.objects.filter(ended_on__isnull=True).select_related("organisation"))
    request_months = local_rules.values("elections.request_months_before", {t.organisation for t in terms})
    for term in terms:
        for reminder in rules.term_reminders(term.due_on, request_months=request_months[term.organisation_id]):
            if reminder.on < today and reminder.kind != "expiry":
                continue  # a reminder whose day has passed is not sent late, except the expiry itself
            orgs = [term.organisation]
            if reminder.kind == "six_months":  # the upper organisation reminds
                orgs.append(parent_of(term.organisation))
            people = [
                p.person
                for p in Position.objects.current(today)
                .filter(organisation__in=[o for o in orgs if o is not None], title__in=OFFICER_TITLES)
                .select_related("person")
            ]
            key = f"term:{term.pk}:{reminder.kind}:{term.due_on.isoformat()}"
            notify.schedule_reminder(
                subject_type="term",
                subject_id=str(term.pk),
                kind="term",
                dedupe_key=key,
                title=f"{term.organisation.name}：{reminder.message}",
                url="/elections/",
                due_at=datetime.combine(max(reminder.on, today), time(9), tz),
                deadline=term.due_on,
                recipients=people,
            )
            made += 1
    return {"reminders": made}
