"""Writing to the audit log. Every service that changes data calls :func:`record` in its transaction."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import models

from plaza.lib.crypto import blind_index

from . import actions
from .models import AuditEntry

#: Fields whose values never enter the audit log in clear text.
SECRET_FIELDS = frozenset({"password", "id_card", "phone", "id_card_index", "digest"})


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def _secret_marker(value: Any) -> str:
    """A marker that shows *whether* a secret changed without revealing it (keyed, not reversible)."""
    if not value:
        return ""

    return "•••" + blind_index(str(value))[:6]


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The audit-safe state of ``obj``: secrets are replaced by a marker saying they changed or not."""
    names = list(fields) if fields is not None else [f.attname for f in obj._meta.concrete_fields]
    state: dict[str, Any] = {}
    for name in names:
        value = getattr(obj, name)
        state[name] = _secret_marker(value) if name in SECRET_FIELDS else _plain(value)
    return state


def record(
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    *,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str = "",
    ip_address: str | None = None,
) -> AuditEntry:
    """Append one entry. ``actor`` may be None for the system (scheduled jobs, imports by command).

    ``action`` is a constant of :mod:`plaza.audit.actions`; an unregistered one is refused under DEBUG and in
    the tests (``PLAZA_AUDIT_STRICT``) so it is caught before it reaches the log unlabelled."""
    if not actions.is_known(action) and (settings.DEBUG or getattr(settings, "PLAZA_AUDIT_STRICT", False)):
        raise ValueError(f"unregistered audit action {action!r}: add it to plaza/audit/actions.py with its label")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:255]
    if before is not None and after is not None:
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        before = {k: v for k, v in before.items() if k in changed}
        after = {k: v for k, v in after.items() if k in changed}
    person = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=person,
        actor_name=getattr(person, "name", "") or ("系统" if person is None else ""),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:255],
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
        reason=reason,
        ip_address=ip_address,
    )
