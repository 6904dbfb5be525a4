"""Reads of the audit log shared by pages (which entries a viewer may see is ``visibility.py``)."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import AuditEntry


def logged_actions() -> QuerySet[AuditEntry, str]:
    """Every action code present in the log, once each: the filter also offers codes no longer registered."""
    return AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
