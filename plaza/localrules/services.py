"""Reading and setting 本单位规定: the value of a local-practice rule for an organisation is the one set on it
or on the nearest organisation above it; without any, the rulebook's default (``plaza.rules.local``), which
a deployment may replace for everyone with the Django setting ``PLAZA_LOCAL_RULES`` ({key: "value"}).

Only staff holding ``Cap.MANAGE_ORGS`` over an organisation (组织部) set its rules, always with a note of the
decision behind the change; every change is audited. Procedures read the values here and pass them to the
pure rules, so a value changed today applies from the next thing done (a letter already issued keeps the
validity it was issued with).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from plaza.audit.services import record
from plaza.orgs.models import Organisation
from plaza.orgs.permissions import Cap, Scope
from plaza.rules.local import RULES, LocalRule, Value
from plaza.rules.sources import LOCAL

from .models import LocalRule as StoredRule


@dataclass(frozen=True)
class Effective:
    """A rule's value for one organisation and where it comes from."""

    rule: LocalRule
    value: Value
    set_on: Organisation | None = None  # None: the default
    note: str = ""
    changed_at: datetime | None = None

    @property
    def shown(self) -> str:
        return self.rule.show(self.value)

    @property
    def is_default(self) -> bool:
        return self.set_on is None

    @property
    def left_to_organisations(self) -> bool:
        """The default is the rulebook's usual figure for a matter it leaves to each organisation (source
        :data:`~plaza.rules.sources.LOCAL`), rather than a figure from a named regulation."""
        return self.rule.source == LOCAL


def _rule(key: str) -> LocalRule:
    try:
        return RULES[key]
    except KeyError:
        raise ValueError(f"unknown local rule {key!r}; known: {', '.join(RULES)}") from None


def default(key: str) -> Value:
    """The value for everyone: ``PLAZA_LOCAL_RULES[key]`` when the deployment sets it, else the rulebook's."""
    rule = _rule(key)
    configured = getattr(settings, "PLAZA_LOCAL_RULES", {}).get(key)
    return rule.default if configured is None else rule.parse(str(configured))


def _ancestor_paths(path: str) -> list[str]:
    """The path itself and every path above it, the organisation's own first (the nearest setting wins)."""
    return Organisation.paths_above(path)[::-1]


def explain_all(organisation: Organisation | None) -> list[Effective]:
    """Every rule's value for the organisation (None: the defaults), in the order of ``RULES``; one query."""
    paths = _ancestor_paths(organisation.path) if organisation is not None else []
    nearest: dict[str, StoredRule] = {}
    rows = StoredRule.objects.filter(organisation__path__in=paths).select_related("organisation")
    for row in sorted(rows, key=lambda row: -len(row.organisation.path)):
        nearest.setdefault(row.key, row)
    found = []
    for key, rule in RULES.items():
        row = nearest.get(key)
        if row is None:
            found.append(Effective(rule, default(key)))
        else:
            found.append(Effective(rule, rule.parse(row.value), row.organisation, row.note, row.changed_at))
    return found


def explain(organisation: Organisation | None, key: str) -> Effective:
    _rule(key)
    return next(found for found in explain_all(organisation) if found.rule.key == key)


def value(organisation: Organisation | None, key: str) -> Value:
    """The rule's value for the organisation: what procedures pass to ``plaza.rules``."""
    return explain(organisation, key).value


def values(key: str, organisations: Iterable[Organisation]) -> dict[int, Value]:
    """The rule's value for many organisations at once (daily sweeps): organisation id → value, one query."""
    rule = _rule(key)
    organisations = list(organisations)
    paths = {path for org in organisations for path in _ancestor_paths(org.path)}
    stored = dict(
        StoredRule.objects.filter(key=key, organisation__path__in=paths).values_list("organisation__path", "value")
    )
    fallback = default(key)
    found: dict[int, Value] = {}
    for org in organisations:
        raw = next((stored[path] for path in _ancestor_paths(org.path) if path in stored), None)
        found[org.pk] = fallback if raw is None else rule.parse(raw)
    return found


def _require(actor: Any, organisation: Organisation) -> None:
    Scope.of(actor, Cap.MANAGE_ORGS).require(organisation)


@transaction.atomic
def set_rule(actor: Any, organisation: Organisation, key: str, raw: str, note: str) -> StoredRule:
    """Set the organisation's own value (for it and the organisations below that set none); refused with the
    reason when the value is out of range or the note of the decision behind it is missing."""
    _require(actor, organisation)
    rule = _rule(key)
    try:
        parsed = rule.parse(raw)
    except ValueError as exc:
        raise ValidationError(_("%(label)s：%(reason)s。") % {"label": rule.label, "reason": exc}) from None
    note = " ".join((note or "").split())
    if not note:
        raise ValidationError(_("请写明依据或说明（例如党委会议决定的日期）。"))
    before = explain(organisation, key)
    row, _created = StoredRule.objects.select_for_update().update_or_create(
        organisation=organisation,
        key=key,
        defaults={"value": rule.store(parsed), "note": note[:200], "changed_by": actor},
    )
    record(
        actor,
        "localrules.set",
        organisation,
        before={key: before.shown, "from": _origin(before)},
        after={key: rule.show(parsed)},
        reason=note,
    )
    return row


@transaction.atomic
def clear_rule(actor: Any, organisation: Organisation, key: str) -> Effective:
    """Drop the organisation's own value: it inherits again from above (or the default). Returns what now applies."""
    _require(actor, organisation)
    rule = _rule(key)
    row = StoredRule.objects.select_for_update().filter(organisation=organisation, key=key).first()
    if row is None:
        raise ValidationError(_("本组织没有单独设置“%(label)s”，无需恢复。") % {"label": rule.label})
    shown = rule.show(rule.parse(row.value))
    row.delete()
    now = explain(organisation, key)
    record(actor, "localrules.clear", organisation, before={key: shown}, after={key: now.shown, "from": _origin(now)})
    return now


def _origin(found: Effective) -> str:
    return found.set_on.name if found.set_on is not None else "default"
