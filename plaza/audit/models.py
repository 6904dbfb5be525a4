"""The append-only audit log: who changed what, when, before and after, and why.

Rows are only ever inserted. ``save()`` refuses updates and ``delete()`` refuses removal in Python,
and database triggers (see migration 0002) refuse UPDATE and DELETE for any client, so nobody can
edit or delete the record through Plaza or around it with the ORM. Against someone who drops the triggers,
each entry is chained to the one before by a keyed hash (:mod:`plaza.audit.chain`): a change, a deletion or an
entry written around Plaza shows when the chain is verified.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plaza.lib.appendonly import AppendOnly, AppendOnlyError

from . import actions
from .chain import Chained


class AuditLogIsAppendOnly(AppendOnlyError):
    """Raised when code tries to change or delete an audit entry."""


class AuditEntry(AppendOnly, Chained):
    append_only_error = AuditLogIsAppendOnly
    append_only_messages = ("The audit log cannot be changed.", "The audit log cannot be deleted.")
    CHAIN_NAME = "audit"
    CHAIN_FIELDS = (
        "at",
        "actor",
        "actor_name",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "before",
        "after",
        "reason",
        "ip_address",
    )

    # A default rather than auto_now_add: the time is part of the chained content, so it is set before the hash.
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=64, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=255, blank=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    reason = models.TextField(_("原因"), blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    @property
    def action_label(self) -> str:
        """The action as people read it (``plaza.audit.actions``), not its code."""
        return actions.label(self.action)

    @property
    def changes(self) -> list[actions.Change]:
        """The changes field by field, 字段：旧值 → 新值 (``plaza.audit.actions.describe_changes``)."""
        return actions.describe_changes(self.object_type, self.before, self.after)
