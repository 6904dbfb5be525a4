"""The daily 支部先锋行动 pass: late milestones of projects under way are reported one level up when they
reach the days the organisation set (本单位规定 ``vanguard.escalate_secretary_days`` and
``vanguard.escalate_committee_days``, working days where ``vanguard.working_days`` is 1): first to the branch
secretaries, then to the committee's 组织部.

Idempotent: a milestone's ``escalation`` only rises (a conditional UPDATE), so running the pass twice on a
day, or a day missed and caught up, reports each level once. Takes the day explicitly."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from plaza.localrules import services as localrules
from plaza.notify import services as notify
from plaza.rules import vanguard as rules

from . import services
from .models import Milestone, Post, Status


def vanguard_sweep(today: date) -> dict[str, int]:
    late = (
        Milestone.objects.filter(done_on__isnull=True, due_on__lt=today, project__status=Status.ACTIVE)
        .exclude(escalation__gte=rules.Escalation.COMMITTEE)
        .select_related("project__branch", "project__lead", "owner")
        .order_by("project_id", "due_on")
    )
    settings_of: dict[int, tuple[bool, int, int]] = {}
    reported = {"secretary": 0, "committee": 0}
    for milestone in late:
        branch = milestone.project.branch
        if branch.pk not in settings_of:
            settings_of[branch.pk] = (
                bool(localrules.value(branch, "vanguard.working_days", on=today)),
                int(localrules.value(branch, "vanguard.escalate_secretary_days", on=today)),
                int(localrules.value(branch, "vanguard.escalate_committee_days", on=today)),
            )
        working, secretary_after, committee_after = settings_of[branch.pk]
        days = rules.days_late(milestone.due_on, today, working_days=working)
        level = rules.escalation_level(days, secretary_after=secretary_after, committee_after=committee_after)
        if level <= milestone.escalation:
            continue
        with transaction.atomic():
            raised = Milestone.objects.filter(pk=milestone.pk, escalation__lt=level, done_on__isnull=True).update(
                escalation=level, escalated_on=today
            )
            if not raised:
                continue
            # A milestone that skipped a level (the pass did not run for days) is reported to both, in order.
            for step in range(milestone.escalation + 1, level + 1):
                services.escalate(milestone, step, days, today=today)
                reported["committee" if step >= rules.Escalation.COMMITTEE else "secretary"] += 1
    reported["posts"] = remind_post_reviews(today)
    return reported


def remind_post_reviews(today: date) -> int:
    """In January the secretaries get a to-do for each 先锋岗 / 责任区 whose commitment of the past year is not
    reviewed yet; the review closes it (``services.review_post``). Keyed by post and year: idempotent."""
    if today.month != 1:
        return 0
    year = today.year - 1
    posts = (
        Post.objects.filter(active=True, since__year__lte=year)
        .exclude(reviews__year=year)
        .select_related("organisation", "holder")
    )
    made = 0
    for post in posts:
        for person in services.secretaries([post.organisation]):
            notify.add_task(
                person,
                _("年度评议：%(name)s（%(holder)s）%(y)s 年的承诺")
                % {"name": post.name, "holder": post.holder.name, "y": year},
                source_type=services.POST_REVIEW_SOURCE,
                source_id=f"{post.pk}:{year}",
                url=reverse("vanguard:post", args=[post.pk]),
                due_on=date(today.year, 1, 31),
            )
            made += 1
    return made
