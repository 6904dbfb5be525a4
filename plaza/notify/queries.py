"""Reads for the inbox and the to-do list."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import F, QuerySet

from plaza.lib import clock

from .models import NOTICE, Delivery, DeliveryState, Notification, Task


def unread_count(person: Any) -> int:
    return Notification.objects.filter(recipient=person, read_at__isnull=True).count()


def inbox(person: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=person)


def open_todos(person: Any) -> QuerySet:
    """My to-do list: open tasks, soonest deadline first (no deadline last)."""

    return Task.objects.filter(assignee=person, done_at__isnull=True).order_by(F("due_on").asc(nulls_last=True), "id")


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
