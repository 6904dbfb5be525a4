"""Every write to people and organisations: one function per intention, scoped and audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.utils.translation import gettext as _

from plaza.accounts.models import PoliticalStatus, StatusChange
from plaza.audit import actions, chain
from plaza.audit.services import record, snapshot
from plaza.lib import clock

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
    record(actor, actions.ORGS_CREATE, org, after=snapshot(org, ["name", "code", "level", "path"]))
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
    record(actor, actions.ORGS_UPDATE, org, before=before, after=snapshot(org, sorted(allowed)))
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
        actions.ORGS_MEMBERSHIP,
        person,
        before={"organisation": current.organisation.name if current else None},
        after={"organisation": organisation.name, "since": since},
    )
    placement_changed.send(sender=Membership, person=person)
    return membership


#: The statuses the Party's own procedures bring about: 党员发展 (入党申请人 … 预备党员, 转正 to 正式党员,
#: 取消预备党员资格) and 组织关系转接 (a member arriving with a letter). 《细则》 lays down each step; an
#: officer's form must not jump over them (issue 11, item 4: an activist made 正式党员 in one click).
PROCEDURE_STATUSES = frozenset(
    {
        PoliticalStatus.APPLICANT,
        PoliticalStatus.ACTIVIST,
        PoliticalStatus.CANDIDATE,
        PoliticalStatus.PROBATIONARY,
        PoliticalStatus.FULL_MEMBER,
    }
)
#: The audit action of a correction; the recruitment overrides page lists them beside steps recorded over a rule.
STATUS_CORRECTION = actions.PEOPLE_STATUS_CORRECTION


def is_procedure_change(from_status: str, to_status: str) -> bool:
    """Whether a change from ``from_status`` to ``to_status`` is one a procedure owns (into, out of or between the
    recruitment statuses); 群众 ↔ 共青团员 is an ordinary change of the person's record."""
    return from_status in PROCEDURE_STATUSES or to_status in PROCEDURE_STATUSES


@transaction.atomic
def change_political_status(
    actor: Any, person: Any, to_status: str, *, effective_on: date, reason: str = ""
) -> StatusChange:
    """Record a dated change of 政治面貌 from an officer's form or an import.

    群众 ↔ 共青团员 is an officer's change. Anything a procedure owns (``PROCEDURE_STATUSES``) happens through that
    procedure — 党员发展 records the steps and changes the status itself; a branch officer is refused and told
    where to go. Only committee staff (``Cap.RECRUIT_COMMITTEE`` over the person: the upper 党委's 组织部, who
    also override recruitment rules) may correct old data, with a written reason; the correction is audited as
    ``STATUS_CORRECTION`` and listed with the recruitment overrides."""
    Scope.of(actor, Cap.CHANGE_PEOPLE).require(person=person)
    current = type(person).objects.filter(pk=person.pk).values_list("political_status", flat=True).first()
    if (
        current is None
        or current == to_status  # refused below with "already", the plainer reason
        or to_status not in PoliticalStatus.values
        or not is_procedure_change(current, to_status)
    ):
        return record_status_change(actor, person, to_status, effective_on=effective_on, reason=reason)
    labels = dict(PoliticalStatus.choices)
    if not Scope.of(actor, Cap.RECRUIT_COMMITTEE).covers_person(person):
        raise PermissionDenied(
            _(
                "「%(from)s」改为「%(to)s」由党员发展程序记录，不能在这里直接变更：请在「党员发展」中为 %(name)s "
                "记录相应的步骤（例如确定入党积极分子、接收预备党员、预备党员转正），状态会随步骤自动变更。"
                "如确属历史数据有误，请由上级党委组织部门写明理由更正。"
            )
            % {"from": labels[current], "to": labels[to_status], "name": person.name}
        )
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationError(_("更正党员发展程序中的政治面貌须写明理由（至少 4 个字），理由记入审计日志。"))
    change = record_status_change(actor, person, to_status, effective_on=effective_on, reason=reason)
    record(
        actor,
        STATUS_CORRECTION,
        person,
        before={"political_status": current},
        after={"political_status": to_status, "effective_on": effective_on, "status_change": change.pk},
        reason=reason,
    )
    return change


@transaction.atomic
def record_status_change(
    actor: Any, person: Any, to_status: str, *, effective_on: date, reason: str = ""
) -> StatusChange:
    """The status change itself, dated and audited. For procedures (recruitment, …) whose own service has
    already checked that ``actor`` may record the step that brings it about; officers use the function above."""
    if to_status not in PoliticalStatus.values:
        raise ValidationError(_("未知的政治面貌：%(s)s") % {"s": to_status})
    # The chains' lock first (the change is chained, plaza.audit.chain), then the person: in the other order a
    # procedure that has already written an audit entry and now changes this person's status would wait in a
    # circle with another change of the same person.
    chain.lock(router.db_for_write(StatusChange))
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
        actions.PEOPLE_STATUS,
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
    record(actor, actions.PEOPLE_UPDATE, locked, before=before, after=snapshot(locked, sorted(changes)), reason=reason)
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
        actions.ORGS_APPOINT,
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
    record(
        actor, actions.ORGS_END_POSITION, position, before=before, after=snapshot(position, ["until"]), reason=reason
    )
    placement_changed.send(sender=Position, person=position.person)
    return position


def reveal_personal_data(actor: Any, person: Any, *, purpose: str = "", ip_address: str | None = None) -> dict:
    """The full ID-card and phone numbers, for roles that need them; every reveal is audited (PIPL)."""
    Scope.of(actor, Cap.VIEW_PERSONAL).require(person=person)
    record(
        actor,
        actions.PEOPLE_REVEAL,
        person,
        reason=purpose or _("查看完整个人信息"),
        ip_address=ip_address,
        after={"fields": ["id_card", "phone"], "at": clock.now()},
    )
    return {"id_card": person.id_card, "phone": person.phone}
