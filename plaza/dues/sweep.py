"""The daily arrears pass (《党费规定》): warnings to the member at 3 and 5 consecutive unpaid months, a to-do for
the branch secretary at 6 — each once for a run of unpaid months. It never changes anyone's membership.

Who is liable: a Party member with a dues base on record, from the month of their first base (for a 预备党员,
not before the branch meeting admitted them: the status change to 预备党员). A month counts as paid when it has
a positive net regular payment, or nothing is due (exempt). Only the last seven months are read: a run longer
than six months no longer sends anything.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.db.models import Exists, Max, Min, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from plaza.accounts.models import Person, PoliticalStatus, StatusChange
from plaza.lib import clock
from plaza.notify import services as notify
from plaza.notify.models import Task
from plaza.orgs.models import Level, Membership, Organisation, Position, Title, Tree
from plaza.rules import dues as rules
from plaza.rules.dates import add_months, month_start

from .models import DuesBase
from .queries import Ledger

SOURCE_TYPE = "dues-arrears"
KIND = "dues_arrears"
OFFICERS = (Title.SECRETARY, Title.DEPUTY_SECRETARY, Title.ORGANISATION_MEMBER)


def _branch_officers() -> dict[int, list[int]]:
    """Per organisation id: the secretary, else a deputy secretary, else the organisation member."""
    found: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for title, org_id, person_id in (
        Position.objects.current()
        .filter(title__in=OFFICERS, person__is_active=True)
        .values_list("title", "organisation_id", "person_id")
    ):
        found[org_id][title].append(person_id)
    return {
        org: next((sorted(by_title[t]) for t in OFFICERS if by_title.get(t)), []) for org, by_title in found.items()
    }


def arrears_sweep(today: date) -> dict[str, int]:
    current = month_start(today)
    first = add_months(current, -(rules.ARREARS_FLAG + 1))
    last = add_months(current, -1)
    members = Person.objects.filter(is_active=True, political_status__in=PoliticalStatus.party_members()).filter(
        Exists(DuesBase.objects.filter(person=OuterRef("pk")))
    )
    ids = members.values("pk")
    liable = dict(
        DuesBase.objects.filter(person__in=ids)
        .values("person_id")
        .annotate(first=Min("effective_from"))
        .values_list("person_id", "first")
    )
    admitted = dict(
        StatusChange.objects.filter(person__in=ids, to_status=PoliticalStatus.PROBATIONARY)
        .values("person_id")
        .annotate(on=Max("effective_on"))
        .values_list("person_id", "on")
    )
    names = dict(members.values_list("pk", "name"))
    ledger = Ledger.read(ids, first, last)
    warnings: list[notify.ReminderSpec] = []
    flags: dict[int, tuple[str, int]] = {}  # person id -> (task source id, months)
    now = clock.now()
    counts = {"members": len(liable), "warnings": 0, "flags": 0}
    for person_id, first_base in liable.items():
        liable_from = max(first_base, admitted.get(person_id, first_base))
        start = max(first, month_start(liable_from))
        last_paid, month = None, last
        while month >= start:
            if ledger.settled(person_id, month):
                last_paid = month
                break
            month = add_months(month, -1)
        months = rules.consecutive_unpaid_months(last_paid, today, liable_from)
        notice = rules.arrears(months)
        if not notice.notify:
            continue
        run = f"{person_id}:{add_months(current, -months):%Y-%m}"  # the run of unpaid months, by its first month
        if notice.level == "warning":
            warnings.append(
                notify.ReminderSpec(
                    subject_type="dues.arrears",
                    subject_id=str(person_id),
                    kind=KIND,
                    title=_("党费提醒：您已连续 %(n)s 个月未交纳党费") % {"n": months},
                    body=notice.message,
                    due_at=now,
                    recipient_ids=(person_id,),
                    dedupe_key=f"{SOURCE_TYPE}:{run}:{months}",
                    url=reverse("dues:mine"),
                )
            )
        else:
            flags[person_id] = (run, months)
    with transaction.atomic():
        counts["warnings"] = notify.schedule_new_reminders(warnings)
        counts["flags"] = _flag(flags, names, today)
    return counts


def _flag(flags: dict[int, tuple[str, int]], names: dict[int, str], today: date) -> int:
    """One to-do per run of six unpaid months for the member's branch officer; never again once it existed
    (done or not)."""
    if not flags:
        return 0
    done_before = set(
        Task.objects.filter(source_type=SOURCE_TYPE, source_id__in=[r for r, _m in flags.values()]).values_list(
            "source_id", flat=True
        )
    )
    officers = _branch_officers()
    homes = dict(
        Membership.objects.current()
        .filter(person_id__in=list(flags), tree=Tree.PARTY)
        .values_list("person_id", "organisation_id")
    )
    organisations = {o.pk: o for o in Organisation.objects.filter(pk__in=set(homes.values()))}
    parents = {
        o.path: o.pk
        for o in Organisation.objects.filter(path__in={o.path[: -Organisation.steplen] for o in organisations.values()})
    }
    new = []
    for person_id, (run, months) in flags.items():
        home = organisations.get(homes.get(person_id, 0))
        if run in done_before or home is None:
            continue
        org_id = parents.get(home.path[: -Organisation.steplen]) if home.level == Level.GROUP else home.pk
        for assignee in officers.get(org_id or 0, []):
            new.append(
                Task(
                    assignee_id=assignee,
                    source_type=SOURCE_TYPE,
                    source_id=run,
                    due_on=today,
                    url=reverse("dues:person", args=[person_id]),
                    title=(
                        _("%(name)s 已连续 %(n)s 个月未交纳党费，请了解原因")
                        % {"name": names.get(person_id, ""), "n": months}
                    )[:200],
                )
            )
    Task.objects.bulk_create(new, batch_size=5_000)
    return len({t.source_id for t in new})
