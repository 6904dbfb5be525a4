"""Reads for the inbox and the to-do list."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from plaza.lib import clock

from .models import NOTICE, Delivery, DeliveryState, Notification, Task


def unread_count(person: Any) -> int:
    return Notification.objects.filter(recipient=person, read_at__isnull=True).count()


def inbox(person: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=person)


def open_todos(person: Any) -> QuerySet:
    """My to-do list: open tasks, soonest deadline first (no deadline last)."""

    return Task.objects.filter(assignee=person, done_at__isnull=True).order_by(F("due_on").asc(nulls_last=True), "id")


def todo_counts(person: Any, today: date, soon_days: int = 7) -> dict[str, int]:
    """How much of ``person``'s to-do list is open, overdue and due within ``soon_days``: the head of a staff
    member's home page (approvals waiting for them are on this list too: each one is a to-do). One query."""

    return Task.objects.filter(assignee=person, done_at__isnull=True).aggregate(
        open=Count("id"),
        overdue=Count("id", filter=Q(due_on__lt=today)),
        soon=Count("id", filter=Q(due_on__gte=today, due_on__lte=today + timedelta(days=soon_days))),
    )


def upcoming_reminders(person: Any) -> QuerySet:
    """Reminders addressed to ``person`` that are still to come or were sent in the last 30 days (notices sent
    at once are in the inbox, not here)."""

    since = clock.now() - timedelta(days=30)
    return (
        Delivery.objects.filter(recipient=person, reminder__cancelled_at__isnull=True)
        .exclude(state=DeliveryState.CANCELLED)
        .exclude(reminder__subject_type=NOTICE)
        .filter(reminder__due_at__gte=since)
        .select_related("reminder")
        .order_by("reminder__due_at")[:20]
    )
