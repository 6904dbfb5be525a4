"""The daily transfers pass: members out of contact 6 months or more (:func:`plaza.rules.transfers.
out_of_contact_notice`) go on their branch secretary's to-do list — once per person and run of no contact (a
recorded contact starts a new run) — and introduction letters that expired without a receipt go on the sending
branch's list, once per letter. Plaza only reminds: it never changes anyone's membership by itself.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from plaza.accounts.models import Person, PoliticalStatus
from plaza.lib import dates
from plaza.notify.models import Task
from plaza.orgs.models import Level, Membership, Organisation, Position, Title, Tree

from .models import Kind, State, Transfer
from .queries import out_of_contact

LOST_SOURCE = "transfers-lost-contact"
EXPIRED_SOURCE = "transfers-letter-expired"
OFFICERS = (Title.SECRETARY, Title.DEPUTY_SECRETARY, Title.ORGANISATION_MEMBER)


def _branch_officers(org_ids: set[int], today: date) -> dict[int, list[int]]:
    """Per branch id: the secretary, else a deputy secretary, else the organisation member."""
    found: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for title, org_id, person_id in (
        Position.objects.current(today)
        .filter(organisation_id__in=org_ids, title__in=OFFICERS, person__is_active=True)
        .values_list("title", "organisation_id", "person_id")
    ):
        found[org_id][title].append(person_id)
    return {
        org: next((sorted(by_title[t]) for t in OFFICERS if by_title.get(t)), []) for org, by_title in found.items()
    }


def _existing(source_type: str, ids: list[str]) -> set[str]:
    return set(Task.objects.filter(source_type=source_type, source_id__in=ids).values_list("source_id", flat=True))


def _lost(today: date) -> int:
    members = Person.objects.filter(political_status__in=PoliticalStatus.party_members())
    lost = out_of_contact(members, today)
    if not lost:
        return 0
    runs = {m.person.pk: f"{m.person.pk}:{m.last_contact.isoformat()}" for m in lost}
    done_before = _existing(LOST_SOURCE, list(runs.values()))
    homes = dict(
        Membership.objects.filter(person_id__in=list(runs), tree=Tree.PARTY, until__isnull=True).values_list(
            "person_id", "organisation_id"
        )
    )
    organisations = {o.pk: o for o in Organisation.objects.filter(pk__in=set(homes.values()))}
    parents = {
        o.path: o.pk
        for o in Organisation.objects.filter(path__in={o.path[: -Organisation.steplen] for o in organisations.values()})
    }
    branch_of: dict[int, int] = {}
    for person_id, org_id in homes.items():
        home = organisations[org_id]
        branch_id = parents.get(home.path[: -Organisation.steplen]) if home.level == Level.GROUP else home.pk
        if branch_id:
            branch_of[person_id] = branch_id
    officers = _branch_officers(set(branch_of.values()), today)
    new, flagged = [], set()
    for member in lost:
        run = runs[member.person.pk]
        if run in done_before:
            continue
        for assignee in officers.get(branch_of.get(member.person.pk, 0), []):
            flagged.add(run)
            new.append(
                Task(
                    assignee_id=assignee,
                    source_type=LOST_SOURCE,
                    source_id=run,
                    due_on=today,
                    url=reverse("transfers:lost"),
                    title=(
                        _("%(name)s 自 %(d)s 起与党组织失去联系已满6个月，请研究处理（系统仅作提醒）")
                        % {"name": member.person.name, "d": dates.day(member.last_contact)}
                    )[:200],
                )
            )
    Task.objects.bulk_create(new, batch_size=5_000)
    return len(flagged)


def _expired_letters(today: date) -> int:
    expired = list(
        Transfer.objects.filter(kind=Kind.OUTGOING, state=State.ISSUED, letter_valid_until__lt=today).select_related(
            "person"
        )
    )
    if not expired:
        return 0
    done_before = _existing(EXPIRED_SOURCE, [str(t.pk) for t in expired])
    officers = _branch_officers({t.from_org_id for t in expired}, today)
    new, flagged = [], set()
    for transfer in expired:
        if str(transfer.pk) in done_before:
            continue
        for assignee in officers.get(transfer.from_org_id, []):
            flagged.add(transfer.pk)
            new.append(
                Task(
                    assignee_id=assignee,
                    source_type=EXPIRED_SOURCE,
                    source_id=str(transfer.pk),
                    due_on=today,
                    url=reverse("transfers:detail", args=[transfer.pk]),
                    title=(
                        _("介绍信 %(no)s（%(name)s）已于 %(d)s 过期，未收到回执")
                        % {
                            "no": transfer.letter_no,
                            "name": transfer.person.name,
                            "d": transfer.letter_valid_until.isoformat(),
                        }
                    )[:200],
                )
            )
    Task.objects.bulk_create(new, batch_size=5_000)
    return len(flagged)


def transfers_sweep(today: date) -> dict[str, int]:
    with transaction.atomic():
        return {"lost_contact": _lost(today), "expired_letters": _expired_letters(today)}
