"""The daily pass of E线声音 and 职代会提案 (run by ``plaza.core.scheduler`` and Celery beat with an explicit
date): reminders before each deadline, escalation to the level above when one has passed, answered items closed
once the reopening window ended, reminders of proposals due and escalation of proposals answered late.
Idempotent: each item remembers which deadline it was reminded of and escalated for (a proposal, the day it was
escalated), so a second run on the same day does nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q

from . import services
from .models import WAITING, WORKING, Item, Proposal, ProposalState, State


@dataclass
class SweepResult:
    reminded: int = 0
    escalated: int = 0
    closed: int = 0
    proposals_reminded: int = 0
    proposals_escalated: int = 0


def voice_sweep(today: date) -> SweepResult:
    result = SweepResult()
    horizon = services.rules.deadline(today, 1)
    candidates = Item.objects.filter(
        Q(state__in=WAITING, acknowledge_due__lte=horizon) | Q(state__in=WORKING, answer_due__lte=horizon)
    ).select_related("organisation")
    for item in candidates.order_by("id"):
        with transaction.atomic():
            done = services.remind_and_escalate(item, today)
        result.reminded += done == "remind"
        result.escalated += done == "escalate"
    for item in Item.objects.filter(state=State.ANSWERED, answered_on__lt=today).select_related("organisation"):
        with transaction.atomic():
            result.closed += services.close_unrated(item, today)
    due = Proposal.objects.filter(state=ProposalState.ACCEPTED, answer_due__gte=today, answer_due__lte=horizon)
    for proposal in due.select_related("department"):
        result.proposals_reminded += services.remind_proposal(proposal, today)
    late = Proposal.objects.filter(state=ProposalState.ACCEPTED, answer_due__lt=today, escalated_on__isnull=True)
    for proposal in late.select_related("department", "congress__organisation").order_by("id"):
        with transaction.atomic():
            result.proposals_escalated += services.escalate_proposal(proposal, today)
    services.complete_proposal_tasks(Proposal.objects.filter(state=ProposalState.ANSWERED, answered_on=today))
    return result
