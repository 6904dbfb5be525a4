"""Reading and setting 本单位规定: the value of a local-practice rule for an organisation is the one set on it
or on the nearest organisation above it; without any, the rulebook's default (``plaza.rules.local``), which
a deployment may replace for everyone with the Django setting ``PLAZA_LOCAL_RULES`` ({key: "value"}).

Only staff holding ``Cap.MANAGE_ORGS`` over an organisation (组织部) set its rules, always with a note of the
decision behind the change, from a day on (today or later, never earlier); every change is audited and kept
as history. Procedures read the value in force on the day their matter concerns (``value(org, key, on=day)``)
and pass it to the pure rules, so a new value never rewrites the past (a month already due keeps its amount,
a letter already issued the validity it was issued with). A change recomputes at once the pending reminders
and to-dos the rule drives (``on_change``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock, dates
from plaza.orgs.models import Level, Organisation
from plaza.orgs.permissions import Cap, Scope
from plaza.rules.local import RULES, LocalRule, Value
from plaza.rules.sources import LOCAL

from .models import LocalRule as StoredRule


@dataclass(frozen=True)
class Effective:
    """A rule's value for one organisation on one day and where it comes from."""

    rule: LocalRule
    value: Value
    set_on: Organisation | None = None  # None: the default
    note: str = ""
    changed_at: datetime | None = None
    effective_from: date | None = None  # None: the default, in force always
    decided_by: str = ""

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


def _in_force(rows: Iterable[StoredRule]) -> dict[tuple[str, str], StoredRule]:
    """(organisation path, key) → the row in force: the latest effective one (rows already filtered to the day)."""
    found: dict[tuple[str, str], StoredRule] = {}
    for row in sorted(rows, key=lambda row: (row.effective_from, row.pk)):
        found[row.organisation.path, row.key] = row
    return found


def explain_all(organisation: Organisation | None, *, on: date | None = None) -> list[Effective]:
    """Every rule's value for the organisation (None: the defaults) in force on ``on`` (default today), in the
    order of ``RULES``; one query. On each organisation up the tree the latest decision effective on that day
    counts; a decision to have none of its own (cleared) passes the question to the organisation above."""
    on = on or clock.today()
    paths = _ancestor_paths(organisation.path) if organisation is not None else []
    rows = StoredRule.objects.filter(organisation__path__in=paths, effective_from__lte=on).select_related(
        "organisation", "changed_by"
    )
    in_force = _in_force(rows)
    found = []
    for key, rule in RULES.items():
        row = next(
            (in_force[path, key] for path in paths if (path, key) in in_force and in_force[path, key].value), None
        )
        if row is None:
            found.append(Effective(rule, default(key)))
        else:
            found.append(
                Effective(
                    rule,
                    rule.parse(row.value),
                    row.organisation,
                    row.note,
                    row.changed_at,
                    row.effective_from,
                    row.decided_by,
                )
            )
    return found


def explain(organisation: Organisation | None, key: str, *, on: date | None = None) -> Effective:
    _rule(key)
    return next(found for found in explain_all(organisation, on=on) if found.rule.key == key)


def value(organisation: Organisation | None, key: str, *, on: date | None = None) -> Value:
    """The rule's value for the organisation in force on ``on`` (default today): what procedures pass to
    ``plaza.rules``. A procedure passes the day its matter concerns — the month a due is for, the day a
    letter was issued, the day of a meeting or a vote — so a later decision never rewrites what was done."""
    return explain(organisation, key, on=on).value


def values(key: str, organisations: Iterable[Organisation], *, on: date | None = None) -> dict[int, Value]:
    """The rule's value for many organisations at once (daily sweeps), in force on ``on`` (default today):
    organisation id → value, one query."""
    rule = _rule(key)
    on = on or clock.today()
    organisations = list(organisations)
    paths = {path for org in organisations for path in _ancestor_paths(org.path)}
    rows = StoredRule.objects.filter(key=key, organisation__path__in=paths, effective_from__lte=on).select_related(
        "organisation"
    )
    stored = {path: row.value for (path, _key), row in _in_force(rows).items() if row.value}
    fallback = default(key)
    found: dict[int, Value] = {}
    for org in organisations:
        raw = next((stored[path] for path in _ancestor_paths(org.path) if path in stored), None)
        found[org.pk] = fallback if raw is None else rule.parse(raw)
    return found


HISTORY_SHOWN = 30


def upcoming(organisation: Organisation | None) -> list[dict[str, Any]]:
    """Decisions already taken that come into force later for the organisation (its own or inherited from
    above): the rule, the value from that day, the day and where it was set. People see what will change."""
    if organisation is None:
        return []
    today = clock.today()
    found = []
    rows = StoredRule.objects.filter(
        organisation__path__in=_ancestor_paths(organisation.path), effective_from__gt=today
    ).select_related("organisation")
    for row in rows.order_by("effective_from", "pk"):
        rule = RULES.get(row.key)
        if rule is None:
            continue
        will = explain(organisation, row.key, on=row.effective_from)
        if will.set_on != row.organisation and row.value:
            continue  # a nearer organisation's own value stays in force for this one
        found.append(
            {
                "rule": rule,
                "value": f"{will.shown} {rule.unit}".strip(),
                "effective_from": row.effective_from,
                "set_on": row.organisation,
                "note": row.note,
            }
        )
    return found


def history(organisation: Organisation) -> list[dict[str, Any]]:
    """The organisation's own decisions, newest effective day first: value (or "恢复"), from when, decided by
    whom, the note, who entered it and when; future ones are marked ``upcoming``."""
    today = clock.today()
    rows = StoredRule.objects.filter(organisation=organisation).select_related("changed_by")
    found = []
    for row in rows.order_by("-effective_from", "-pk")[:HISTORY_SHOWN]:
        rule = RULES.get(row.key)
        if rule is None:
            continue
        before = explain(organisation, row.key, on=row.effective_from - timedelta(days=1))
        after = explain(organisation, row.key, on=row.effective_from) if not row.value else None
        found.append(
            {
                "rule": rule,
                "before": f"{before.shown} {rule.unit}".strip(),
                "after": f"{after.shown} {rule.unit}".strip()
                if after is not None
                else f"{row.value} {rule.unit}".strip(),
                "value": f"{row.value} {rule.unit}".strip() if row.value else "",
                "effective_from": row.effective_from,
                "decided_by": row.decided_by,
                "note": row.note,
                "by": row.changed_by.name,
                "at": row.changed_at,
                "upcoming": row.effective_from > today,
            }
        )
    return found


#: Called after a rule changes for an organisation: ``refresh(organisation, key, today)`` recomputes the pending
#: reminders and to-dos the rule drives in that organisation's subtree (registered by the apps that read it).
_REFRESHERS: dict[str, list[Callable[[Organisation, date], Any]]] = {}


def on_change(key: str, refresh: Callable[[Organisation, date], Any]) -> None:
    """Register what to recompute when ``key`` changes for an organisation (its subtree is affected)."""
    _rule(key)
    if refresh not in _REFRESHERS.setdefault(key, []):
        _REFRESHERS[key].append(refresh)


def _refresh(organisation: Organisation, key: str, today: date) -> None:
    for refresh in _REFRESHERS.get(key, []):
        refresh(organisation, today)


def _require(actor: Any, organisation: Organisation) -> None:
    Scope.of(actor, Cap.MANAGE_ORGS).require(organisation)


def _effective_day(effective_from: date | None, today: date, backdate: bool) -> date:
    day = effective_from or today
    if day < today and not backdate:
        raise ValidationError(
            _("生效日期不能早于今天（%(today)s）：已按原规定办理的事项不因新规定而改变。") % {"today": dates.day(today)}
        )
    return day


@transaction.atomic
def set_rule(
    actor: Any,
    organisation: Organisation,
    key: str,
    raw: str,
    note: str,
    *,
    effective_from: date | None = None,
    decided_by: str = "",
    today: date | None = None,
    backdate: bool = False,
) -> StoredRule:
    """Set the organisation's own value (for it and the organisations below that set none) from
    ``effective_from`` (default today) on; refused with the reason when the value is out of range, the note of
    the decision behind it is missing or the day is in the past. The days before keep the value they had.
    ``backdate`` lets code (the demo, an import of decisions older than Plaza) record a decision from a past
    day; people cannot. Pending reminders and to-dos the rule drives are recomputed at once."""
    _require(actor, organisation)
    rule = _rule(key)
    today = today or clock.today()
    if organisation.level == Level.GROUP:
        raise ValidationError(
            _("党小组不单独规定：本单位规定由党支部及以上党组织确定，党小组的党员按所在党支部的规定执行。")
        )
    try:
        parsed = rule.parse(raw)
    except ValueError as exc:
        raise ValidationError(_("%(label)s：%(reason)s。") % {"label": rule.label, "reason": exc}) from None
    note = " ".join((note or "").split())
    if not note:
        raise ValidationError(_("请写明依据或说明（例如党委会议决定的日期）。"))
    day = _effective_day(effective_from, today, backdate)
    before = explain(organisation, key, on=day)
    row, _created = StoredRule.objects.select_for_update().update_or_create(
        organisation=organisation,
        key=key,
        effective_from=day,
        defaults={
            "value": rule.store(parsed),
            "note": note[:200],
            "decided_by": " ".join((decided_by or "").split())[:100],
            "changed_by": actor,
        },
    )
    record(
        actor,
        actions.LOCALRULES_SET,
        organisation,
        before={key: before.shown, "source": _origin(before)},
        after={
            key: rule.show(parsed),
            "source": organisation.name,
            "effective_from": day.isoformat(),
            "decided_by": row.decided_by,
        },
        reason=note,
    )
    _refresh(organisation, key, today)
    return row


@transaction.atomic
def clear_rule(
    actor: Any,
    organisation: Organisation,
    key: str,
    *,
    effective_from: date | None = None,
    today: date | None = None,
    note: str = "",
) -> Effective:
    """From ``effective_from`` (default today) the organisation has no value of its own: it inherits again
    from above (or the default). Kept as a row of the history; the days before keep their value. Returns what
    applies from that day."""
    _require(actor, organisation)
    rule = _rule(key)
    today = today or clock.today()
    day = _effective_day(effective_from, today, False)
    own = (
        StoredRule.objects.select_for_update()
        .filter(organisation=organisation, key=key, effective_from__lte=day)
        .order_by("-effective_from", "-pk")
        .first()
    )
    if own is None or not own.value:
        raise ValidationError(_("本组织没有单独设置“%(label)s”，无需恢复。") % {"label": rule.label})
    shown = rule.show(rule.parse(own.value))
    StoredRule.objects.update_or_create(
        organisation=organisation,
        key=key,
        effective_from=day,
        defaults={"value": "", "note": (note or _("恢复为上级设置或默认值"))[:200], "changed_by": actor},
    )
    now = explain(organisation, key, on=day)
    record(
        actor,
        actions.LOCALRULES_CLEAR,
        organisation,
        before={key: shown},
        after={key: now.shown, "source": _origin(now), "effective_from": day.isoformat()},
    )
    _refresh(organisation, key, today)
    return now


def _origin(found: Effective) -> str:
    """Where a value came from, as the audit log shows it (来源): the organisation that set it, or the default."""
    return found.set_on.name if found.set_on is not None else _("默认值")
