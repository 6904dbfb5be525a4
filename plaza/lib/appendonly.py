"""Append-only tables: rows are added, never changed or deleted (a ledger is corrected by a new entry).

One base for every ledger Plaza keeps (党费, 工会账目, 积分, the audit log), so the refusal is written once. Each
table's app keeps its own exception class (callers and tests catch ``dues.models.LedgerIsAppendOnly`` and the
like) and its own wording; both are class attributes of the model::

    class LedgerIsAppendOnly(AppendOnlyError): ...

    class Payment(AppendOnly):
        append_only_error = LedgerIsAppendOnly
        append_only_messages = ("党费记录只能追加，不能修改。", "党费记录只能追加，不能删除。")

Only the ORM's own paths are closed (``save`` of a stored row, ``delete``, ``QuerySet.update``/``delete``);
a migration or raw SQL can still change rows, which is why the ledgers that matter are also chained
(:mod:`plaza.audit.chain`).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete a row of an append-only table: add a new row instead."""


def _refuse(model: type[models.Model], deleting: bool) -> AppendOnlyError:
    error: type[AppendOnlyError] = getattr(model, "append_only_error", AppendOnlyError)
    changing, removing = getattr(model, "append_only_messages", AppendOnly.append_only_messages)
    return error(removing if deleting else changing)


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses bulk changes and deletions with the model's own exception and words."""

    def update(self, **kwargs: Any) -> int:
        raise _refuse(self.model, deleting=False)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise _refuse(self.model, deleting=True)


class AppendOnly(models.Model):
    """An abstract model whose stored rows cannot be saved again or deleted through the ORM.

    Put it first among the bases (``class Entry(AppendOnly, Chained)``) so the refusal comes before any other
    ``save`` runs."""

    append_only_error: ClassVar[type[AppendOnlyError]] = AppendOnlyError
    #: (on change, on delete)
    append_only_messages: ClassVar[tuple[str, str]] = ("记录只能追加，不能修改。", "记录只能追加，不能删除。")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise _refuse(type(self), deleting=False)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise _refuse(type(self), deleting=True)
