"""Tamper-evident hash chains over the append-only records: the audit log, the points ledger, status changes.

Database triggers and ``save()`` guards stop Plaza from changing these rows, but not someone with a database
client: triggers can be dropped. So each row also carries its place in a chain (``chain_seq`` = 1, 2, 3, …)
and a keyed hash (``chain_hash``) of its own content and the previous row's hash:

    chain_hash(n) = HMAC-SHA256(key, [chain name, n, chain_hash(n-1), the row's fields])

The key (``PLAZA_CHAIN_KEY``, else derived from ``SECRET_KEY``) is never in the database, so whoever edits,
deletes or inserts a row with SQL cannot compute a hash that fits: :func:`verify` walks the chain and names
the first row whose hash, place or presence is wrong (``manage.py verify_chains`` and the page
「链式校验」 in the audit office). What a chain cannot show on its own is the *end* cut off (the last rows
deleted): the head (length and last hash) is shown so staff can note it and compare later.

Appending takes one lock for all chains for the rest of the writer's transaction (PostgreSQL: a
transaction-level advisory lock; SQLite: every write transaction is already exclusive, ``BEGIN IMMEDIATE``),
so concurrent writers queue and the chain never forks; ``chain_seq`` is unique as a second guard. One lock
for all chains rather than one per chain, so two writers can never hold one chain each and wait for the other.
The price: a transaction holds the lock from its first chained row to its commit, so on PostgreSQL a long one
(an import that audits every row) makes other audited writes wait, not fail, until it commits. Services that
lock rows and then write chained rows take the lock before the rows (points balances, a person's status), so
nobody waits in a circle; a new service doing the same should too.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from django.apps import apps
from django.conf import settings
from django.db import connections, models, router, transaction
from django.utils.translation import gettext as _

#: The advisory lock id of the chains on PostgreSQL (any constant unique within the database).
ADVISORY_LOCK_ID = 0x504C415A41  # "PLAZA"


def key() -> bytes:
    configured = getattr(settings, "PLAZA_CHAIN_KEY", "")
    if configured:
        return configured.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"plaza.audit.chain", hashlib.sha256).digest()


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.isoformat(timespec="microseconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict | list | tuple | int | float | str | bool) or value is None:
        return value
    return str(value)


def content(instance: models.Model, fields: Sequence[str]) -> list[Any]:
    """The row's fields as they will read back from the database (the fields' own ``to_python``)."""
    values = []
    for name in fields:
        model_field = instance._meta.get_field(name)
        value = model_field.to_python(getattr(instance, model_field.attname))
        if isinstance(model_field, models.JSONField) and value is not None:
            value = json.loads(json.dumps(value))  # tuples become lists, keys strings: as stored
        values.append(_canonical(value))
    return values


def digest(chain: str, seq: int, previous: str, values: list[Any]) -> str:
    payload = json.dumps([chain, seq, previous, values], sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hmac.new(key(), payload.encode(), hashlib.sha256).hexdigest()


def lock(using: str) -> None:
    """Hold the chains' lock until the current transaction ends (call inside ``transaction.atomic``)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_ID])
    # SQLite: the write transaction (BEGIN IMMEDIATE, see settings) already excludes every other writer.


def head(model: type[models.Model], using: str) -> tuple[int, str]:
    last = (
        model._base_manager.using(using)
        .filter(chain_seq__isnull=False)
        .order_by("-chain_seq")
        .values_list("chain_seq", "chain_hash")
        .first()
    )
    return last if last is not None else (0, "")


def link(instances: Sequence[models.Model], using: str) -> None:
    """Give each new row its place and hash; call under :func:`lock`, right before inserting them."""
    if not instances:
        return
    model = type(instances[0])
    seq, previous = head(model, using)
    for instance in instances:
        seq += 1
        instance.chain_seq = seq
        instance.chain_hash = digest(model.CHAIN_NAME, seq, previous, content(instance, model.CHAIN_FIELDS))
        previous = instance.chain_hash


class Chained(models.Model):
    """An append-only table whose rows are chained. Subclasses name the chain and the fields it covers."""

    CHAIN_NAME: ClassVar[str]
    CHAIN_FIELDS: ClassVar[tuple[str, ...]]

    chain_seq = models.BigIntegerField(null=True, blank=True, unique=True, editable=False)
    chain_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or self.chain_seq is not None:
            super().save(*args, **kwargs)  # the subclass has refused a change already; nothing to chain
            return
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            lock(using)
            link([self], using)
            super().save(*args, **kwargs)


_C = TypeVar("_C", bound=Chained)


def bulk_create(model: type[_C], instances: list[_C], batch_size: int = 1000) -> list[_C]:
    """``bulk_create`` for chained rows (``save()`` is not called by Django's own bulk_create)."""
    using = router.db_for_write(model)
    with transaction.atomic(using=using):
        lock(using)
        link(instances, using)
        return model._base_manager.using(using).bulk_create(instances, batch_size=batch_size)


@dataclass
class Result:
    """The outcome of walking one chain."""

    chain: str
    label: str
    checked: int = 0
    head_seq: int = 0
    head_hash: str = ""
    broken_seq: int | None = None
    broken_id: Any = None
    problem: str = ""
    extra: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.broken_seq is None and not self.problem


def verify(model: type[Chained], label: str = "", *, using: str = "default", chunk: int = 2000) -> Result:
    """Walk the chain from its first row; stop at the first broken link and say what is wrong with it."""
    result = Result(model.CHAIN_NAME, label or str(model._meta.verbose_name))
    manager = model._base_manager.using(using)
    unchained = manager.filter(chain_seq__isnull=True).order_by("pk").values_list("pk", flat=True).first()
    expected, previous = 1, ""
    rows = (
        manager.filter(chain_seq__isnull=False)
        .order_by("chain_seq")
        .only("pk", "chain_seq", "chain_hash", *model.CHAIN_FIELDS)
    )
    for row in rows.iterator(chunk_size=chunk):
        if row.chain_seq != expected:
            result.broken_seq, result.broken_id = expected, row.pk
            result.problem = _("第 %(seq)d 条缺失（在编号 %(id)s 之前）：记录被删除。") % {
                "seq": expected,
                "id": row.pk,
            }
            break
        if not hmac.compare_digest(
            row.chain_hash, digest(model.CHAIN_NAME, expected, previous, content(row, model.CHAIN_FIELDS))
        ):
            result.broken_seq, result.broken_id = expected, row.pk
            result.problem = _("第 %(seq)d 条（编号 %(id)s）与其校验值不符：记录被改动。") % {
                "seq": expected,
                "id": row.pk,
            }
            break
        result.checked += 1
        previous = row.chain_hash
        result.head_seq, result.head_hash = expected, previous
        expected += 1
    if result.ok and unchained is not None:
        result.broken_id = unchained
        result.problem = _("编号 %(id)s 不在链中：记录绕过系统写入。") % {"id": unchained}
    return result


def backfill(model: type[models.Model], name: str, fields: Iterable[str], using: str) -> int:
    """Chain the rows written before the chain existed, in id order (used by the migrations that add it)."""
    fields = tuple(fields)
    seq, previous = 0, ""
    batch: list[models.Model] = []
    for row in model._base_manager.using(using).order_by("pk").iterator(chunk_size=2000):
        seq += 1
        row.chain_seq = seq
        row.chain_hash = digest(name, seq, previous, content(row, fields))
        previous = row.chain_hash
        batch.append(row)
        if len(batch) >= 2000:
            model._base_manager.using(using).bulk_update(batch, ["chain_seq", "chain_hash"])
            batch = []
    if batch:
        model._base_manager.using(using).bulk_update(batch, ["chain_seq", "chain_hash"])
    return seq


def chained_models() -> list[type[Chained]]:

    return [model for model in apps.get_models() if issubclass(model, Chained)]


#: Checks of records that cannot be chained row by row (a secret ballot must not carry a place in a sequence:
#: its place would order it), registered by their apps in ``AppConfig.ready()``: label -> check(using) -> problems.
SEAL_CHECKS: dict[str, Callable[[str], list[str]]] = {}


def register_seal_check(label: str, check: Callable[[str], list[str]]) -> None:
    """Have :func:`verify_all` run ``check`` too (it returns the problems it found, in the reader's language)."""
    SEAL_CHECKS[label] = check


def seal(kind: str, rows: Iterable[Any]) -> str:
    """A keyed hash of a set of records whatever their order (each row's canonical form, sorted): stored in a
    chained audit entry when the set is written, it makes a later change to any row evident without giving the
    rows an order or a place."""
    canonical = sorted(json.dumps(_canonical(row), ensure_ascii=False, sort_keys=True) for row in rows)
    return hmac.new(key(), json.dumps([kind, canonical], ensure_ascii=False).encode(), hashlib.sha256).hexdigest()


def verify_all(using: str = "default") -> list[Result]:
    """Every chain, then each chained model's own cross-check (``chain_cross_check``, e.g. points balances),
    then the registered seals (ballot boxes)."""
    results = []
    for model in chained_models():
        result = verify(model, using=using)
        cross_check = getattr(model, "chain_cross_check", None)
        if cross_check is not None:
            result.extra = list(cross_check(using))
        results.append(result)
    for label, check in SEAL_CHECKS.items():
        problems = check(using)
        result = Result(f"seal:{label}", label)
        if problems:
            result.problem = problems[0]
            result.extra = problems[1:]
        results.append(result)
    return results
