"""Every write to people and organisations: one function per intention, scoped and audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from plaza.accounts.models import PoliticalStatus, StatusChange
from plaza.audit.services import record, snapshot
from plaza.core import clock

from .models import ALLOWED_PARENTS, LEVEL_TREE, Membership, Organisation, Position
from .permissions import Cap, Scope, forget_scopes, require_may_grant
from .signals import placement_changed

#: Person fields that officers may edit (the rest belong to the account or to procedures).
EDITABLE_PERSON_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "education",
    "department",
    "job_title",
    "email",
    "phone",
    "id_card",
    "wecom_userid",
)


def _check_parent(level: str, parent: Organisation | None) -> None:
    allowed = ALLOWED_PARENTS[level]
    parent_level = parent.level if parent else None
    if parent_level not in allowed:
        raise ValidationError(
            _("「%(level)s」不能设在「%(parent)s」之下。")
            % {
                "level": Organisation(level=level).get_level_display(),
                "parent": parent.get_level_display() if parent else _("顶层"),
            }
        )


@transaction.atomic
def create_organisation(
    actor: Any,
    *,
    parent: Organisation | None,
    name: str,
    code: str,
    level: str,
    established_on: date | None = None,
    term_years: int | None = None,
) -> Organisation:
    if parent is None:
        if not getattr(actor, "is_superuser", False):
            raise ValidationError(_("只有系统管理员可以创建顶层组织。"))
    else:
        Scope.of(actor, Cap.MANAGE_ORGS).require(organisation=parent)
    _check_parent(level, parent)
    if Organisation.objects.filter(code=code).exists():
        raise ValidationError(_("组织编码 %(code)s 已存在。") % {"code": code})
    fields = {"name": name, "code": code, "level": level, "established_on": established_on, "term_years": term_years}
    if parent is None:
        org = Organisation.objects.add_root(fields)
    else:
        org = Organisation.objects.add_child(Organisation.objects.get(pk=parent.pk), fields)
    record(actor, "orgs.create", org, after=snapshot(org, ["name", "code", "level", "path"]))
    return org


@transaction.atomic
def update_organisation(actor: Any, org: Organisation, **changes: Any) -> Organisation:
    Scope.of(actor, Cap.MANAGE_ORGS).require(organisation=org)
    allowed = {"name", "established_on", "term_years", "is_active"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(_("不能修改这些字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    before = snapshot(org, sorted(allowed))
    for key, value in changes.items():
        setattr(org, key, value)
    org.save(update_fields=[*changes])
    record(actor, "orgs.update", org, before=before, after=snapshot(org, sorted(allowed)))
    return org


@transaction.atomic
def assign_membership(actor: Any, person: Any, organisation: Organisation, *, since: date) -> Membership:
    """Put ``person`` in ``organisation``; their previous membership in the same tree ends on ``since`` (the day
    the new one begins: ``until`` is the first day no longer held, see ``orgs.models.held_on``)."""
    scope = Scope.of(actor, Cap.CHANGE_PEOPLE)
    scope.require(organisation=organisation)
    tree = LEVEL_TREE[organisation.level]
    current = Membership.objects.select_for_update().filter(person=person, tree=tree, until__isnull=True).first()
    if current is not None:
        # Moving someone out of a subtree needs the right over where they are now, too.
        scope.require(organisation=current.organisation)
        if current.organisation_id == organisation.pk:
            return current
        if since <= current.since:
            raise ValidationError(_("新的组织关系起始日期必须晚于原组织关系起始日期 %(d)s。") % {"d": current.since})
        current.until = since
        current.save(update_fields=["until"])
    membership = Membership.objects.create(person=person, organisation=organisation, since=since)
    record(
        actor,
        "orgs.membership",
        person,
        before={"organisation": current.organisation.name if current else None},
        after={"organisation": organisation.name, "since": since},
    )
    placement_changed.send(sender=Membership, person=person)
    return membership


@transaction.atomic
def change_political_status(
    actor: Any, person: Any, to_status: str, *, effective_on: date, reason: str = ""
) -> StatusChange:
    """Record a dated change of 政治面貌 by an officer (a correction or a back-fill)."""
    Scope.of(actor, Cap.CHANGE_PEOPLE).require(person=person)
    return record_status_change(actor, person, to_status, effective_on=effective_on, reason=reason)


@transaction.atomic
def record_status_change(
    actor: Any, person: Any, to_status: str, *, effective_on: date, reason: str = ""
) -> StatusChange:
    """The status change itself, dated and audited. For procedures (recruitment, …) whose own service has
    already checked that ``actor`` may record the step that brings it about; officers use the function above."""
    if to_status not in PoliticalStatus.values:
        raise ValidationError(_("未知的政治面貌：%(s)s") % {"s": to_status})
    locked = type(person).objects.select_for_update().get(pk=person.pk)
    if locked.political_status == to_status:
        raise ValidationError(_("政治面貌已经是「%(s)s」。") % {"s": locked.get_political_status_display()})
    change = StatusChange.objects.create(
        person=locked,
        from_status=locked.political_status,
        to_status=to_status,
        effective_on=effective_on,
        reason=reason,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    before = {"political_status": locked.political_status}
    locked.political_status = to_status
    locked.save(update_fields=["political_status"])
    person.political_status = to_status
    record(
        actor,
        "people.status",
        locked,
        before=before,
        after={"political_status": to_status, "effective_on": effective_on},
        reason=reason,
    )
    placement_changed.send(sender=StatusChange, person=locked)  # a new Party member joins the meetings' lists
    return change


@transaction.atomic
def update_person(actor: Any, person: Any, *, reason: str = "", **changes: Any) -> Any:
    Scope.of(actor, Cap.CHANGE_PEOPLE).require(person=person)
    unknown = set(changes) - set(EDITABLE_PERSON_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改这些字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    locked = type(person).objects.select_for_update().get(pk=person.pk)
    before = snapshot(locked, sorted(changes))
    for key, value in changes.items():
        setattr(locked, key, value)
    locked.full_clean(exclude=["password"])
    locked.save()
    record(actor, "people.update", locked, before=before, after=snapshot(locked, sorted(changes)), reason=reason)
    return locked


@transaction.atomic
def appoint(
    actor: Any, person: Any, organisation: Organisation, title: str, *, since: date, until: date | None = None
) -> Position:
    """Give ``person`` a position, with its rights over the organisation's subtree. Who may grant what is
    ``permissions.require_may_grant``: never oneself, never above one's own scope or rights."""
    require_may_grant(actor, person, organisation, title)
    position = Position(person=person, organisation=organisation, title=title, since=since, until=until)
    position.full_clean()
    position.save()
    forget_scopes(person)
    record(
        actor,
        "orgs.appoint",
        position,
        after=snapshot(position, ["person_id", "organisation_id", "title", "since", "until"]),
    )
    placement_changed.send(sender=Position, person=person)
    return position


@transaction.atomic
def end_position(actor: Any, position: Position, *, on: date, reason: str = "") -> Position:
    """End a position on ``on``: from that day the person no longer holds it nor its rights. Ending needs the
    same authority as granting (``require_may_grant``), so nobody removes a superior or a peer's leader."""
    require_may_grant(actor, position.person, position.organisation, position.title, ending=True)
    if on < position.since:
        raise ValidationError(_("免职日期不能早于任职日期 %(d)s。") % {"d": position.since})
    before = snapshot(position, ["until"])
    position.until = on
    position.save(update_fields=["until"])
    forget_scopes(position.person)
    record(actor, "orgs.end_position", position, before=before, after=snapshot(position, ["until"]), reason=reason)
    placement_changed.send(sender=Position, person=position.person)
    return position


def reveal_personal_data(actor: Any, person: Any, *, purpose: str = "", ip_address: str | None = None) -> dict:
    """The full ID-card and phone numbers, for roles that need them; every reveal is audited (PIPL)."""
    Scope.of(actor, Cap.VIEW_PERSONAL).require(person=person)
    record(
        actor,
        "people.reveal",
        person,
        reason=purpose or _("查看完整个人信息"),
        ip_address=ip_address,
        after={"fields": ["id_card", "phone"], "at": clock.now()},
    )
    return {"id_card": person.id_card, "phone": person.phone}
