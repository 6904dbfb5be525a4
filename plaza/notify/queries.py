"""Reads for the inbox and the to-do list."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Notification


def unread_count(person: Any) -> int:
    return Notification.objects.filter(recipient=person, read_at__isnull=True).count()


def inbox(person: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=person)


def open_todos(person: Any) -> QuerySet:
    """My to-do list: open tasks, soonest deadline first (no deadline last)."""
    from django.db.models import F

    from .models import Task

    return Task.objects.filter(assignee=person, done_at__isnull=True).order_by(
        F("due_on").asc(nulls_last=True), "id"
    )
