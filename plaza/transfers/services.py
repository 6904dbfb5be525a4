"""Every write about 组织关系转接: start, accept, decline and withdraw a transfer inside Plaza; issue an introduction
letter for a transfer out of Plaza and record its receipt; register a member coming in with a letter; record a
contact with a member.

Each function checks the actor's transfers scope (``Cap.TRANSFERS`` over the organisation concerned), refuses
with the reason in Chinese (``ValidationError``) and records the audit entry. Until the receiving organisation
accepts, nothing moves: the sending branch stays responsible (rules §7). The letter's validity comes from
:func:`plaza.rules.transfers.letter_valid_until` / :func:`~plaza.rules.transfers.letter_valid`.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plaza.accounts.models import Person, PoliticalStatus
from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock, dates
from plaza.localrules import services as local_rules
from plaza.notify import services as notify
from plaza.notify.models import Task
from plaza.orgs import services as org_services
from plaza.orgs.models import Level, Membership, Organisation, Position, Title, Tree
from plaza.orgs.permissions import Cap, Scope, forget_scopes
from plaza.orgs.signals import placement_changed
from plaza.recruitment.models import Pipeline, PipelineStatus
from plaza.recruitment.services import refresh_tasks
from plaza.rules import transfers as rules

from .models import OPEN_STATES, Contact, Initiator, Kind, State, Transfer
from .sweep import LOST_SOURCE

SOURCE_TYPE = "transfers"  # to-dos of the receiving branch, by transfer id
KIND = "transfers"  # notifications
LETTER_REMINDER = "transfers.letter"  # reminders before a letter expires, by transfer id
REMIND_BEFORE = timedelta(days=rules.LETTER_REMINDER_DAYS)
OFFICERS = (Title.SECRETARY, Title.DEPUTY_SECRETARY, Title.ORGANISATION_MEMBER)
OPEN_ERROR = gettext_lazy("该党员已有一项未办结的组织关系转接，请先办结或撤回后再发起。")


def letter_months(organisation: Organisation | None, *, on: date | None = None) -> int:
    """The validity in months of a letter the organisation issues or receives: its 本单位规定
    ``transfers.letter_valid_months`` in force on ``on`` (the letter's issue day; :mod:`plaza.localrules`; 3 by
    default, rules.md §7). A letter keeps the validity it was issued with (``letter_valid_until``), whatever
    the setting becomes later."""
    return int(local_rules.value(organisation, "transfers.letter_valid_months", on=on))


def letter_valid_on(transfer: Transfer, day: date) -> bool:
    """Whether the transfer's letter is valid on ``day``: from its issue to the end of the validity it was
    issued with."""
    if transfer.letter_issued_on is None or transfer.letter_valid_until is None:
        return False  # no letter issued (yet)
    return transfer.letter_issued_on <= day <= transfer.letter_valid_until


def issued_months(transfer: Transfer) -> int:
    """The validity the letter was issued with, in whole months (what the letter prints)."""
    issued, until = transfer.letter_issued_on, transfer.letter_valid_until
    assert issued is not None and until is not None, "asked only of an issued letter"
    return (until.year - issued.year) * 12 + until.month - issued.month


# ------------------------------------------------------------------------------------------------ helpers


def branch_of_org(organisation: Organisation) -> Organisation:
    """The branch a membership belongs to: a 党小组's parent branch, otherwise the organisation itself."""
    if organisation.level == Level.GROUP:
        return Organisation.objects.get(path=organisation.path[: -Organisation.steplen])
    return organisation


def current_party_membership(person: Person, *, lock: bool = False) -> Membership | None:
    qs = Membership.objects.filter(person=person, tree=Tree.PARTY, until__isnull=True).select_related("organisation")
    if lock:
        qs = qs.select_for_update(of=("self",))
    return qs.first()


def home_branch(person: Person) -> Organisation | None:
    membership = current_party_membership(person)
    return branch_of_org(membership.organisation) if membership else None


def officers_of(organisation: Organisation) -> list[Person]:
    """The branch's secretary, deputy secretaries and organisation member; when it has none, 组织部 staff above."""
    found = Position.objects.current(clock.today()).filter(organisation=organisation, title__in=OFFICERS)
    people = list(Person.objects.filter(pk__in=found.values("person_id"), is_active=True).order_by("pk"))
    if people:
        return people
    prefixes = Organisation.paths_above(organisation.path)
    staff = Position.objects.current(clock.today()).filter(organisation__path__in=prefixes, title=Title.ORG_DEPT_STAFF)
    return list(Person.objects.filter(pk__in=staff.values("person_id"), is_active=True).order_by("pk"))


def _end_day(on: date, floor: date) -> date:
    """The ``until`` of something ending when the next starts on ``on``: that day itself (``until`` is the first
    day no longer held, ``orgs.models.held_on``), never before its own start."""
    return max(floor, on)


def _require_party_member(person: Person) -> Membership:
    if not person.is_party_member:
        raise ValidationError(_("%(name)s 不是党员（正式或预备），没有党组织关系可转接。") % {"name": person.name})
    membership = current_party_membership(person)
    if membership is None:
        raise ValidationError(_("%(name)s 目前没有登记所在党组织，无法转接。") % {"name": person.name})
    return membership


def _no_open_transfer(person: Person) -> None:
    if Transfer.objects.filter(person=person, state__in=OPEN_STATES).exists():
        raise ValidationError(OPEN_ERROR)


def _create(**fields: Any) -> Transfer:
    """Insert a transfer; the database refuses a second open one for the same person (concurrency-safe)."""
    try:
        with transaction.atomic():
            return Transfer.objects.create(**fields)
    except IntegrityError as exc:
        if Transfer.objects.filter(person=fields["person"], state__in=OPEN_STATES).exists():
            raise ValidationError(OPEN_ERROR) from exc
        raise


def _lock(transfer: Transfer) -> Transfer:
    return (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("person", "from_org", "to_org")
        .get(pk=transfer.pk)
    )


def _clean_text(value: str, minimum: int, message: str, limit: int = 255) -> str:
    text = (value or "").strip()
    if len(text) < minimum:
        raise ValidationError(message)
    return text[:limit]


def _url(transfer: Transfer) -> str:
    return reverse("transfers:detail", args=[transfer.pk])


def _move_out(actor: Any, transfer: Transfer, on: date, reason: str) -> dict[str, Any]:
    """End ``transfer.person``'s Party membership and their positions in the sending branch (and its groups)
    on ``on``. Returns what changed, for the audit entry."""
    person = transfer.person
    membership = current_party_membership(person, lock=True)
    changed: dict[str, Any] = {"membership": None, "positions": []}
    if membership is not None:
        membership.until = _end_day(on, membership.since)
        membership.save(update_fields=["until"])
        changed["membership"] = {"organisation": membership.organisation.name, "until": membership.until}
        record(
            actor,
            actions.TRANSFERS_MEMBERSHIP_END,
            person,
            before={"organisation": membership.organisation.name},
            after={"organisation": None, "until": membership.until},
            reason=reason,
        )
    source = transfer.from_org
    if source is not None:
        positions = Position.objects.current(on).filter(person=person, organisation__path__startswith=source.path)
        for position in positions.select_related("organisation").select_for_update(of=("self",)):
            before = position.until
            position.until = _end_day(on, position.since)
            position.save(update_fields=["until"])
            changed["positions"].append(f"{position.organisation.name} {position.get_title_display()}")
            record(
                actor,
                actions.ORGS_END_POSITION,
                position,
                before={"until": before},
                after={"until": position.until},
                reason=reason,
            )
        forget_scopes(person)
    placement_changed.send(sender=Membership, person=person)
    return changed


def _start_membership(actor: Any, person: Person, organisation: Organisation, since: date, reason: str) -> Membership:
    membership = Membership.objects.create(person=person, organisation=organisation, since=since)
    record(
        actor,
        actions.TRANSFERS_MEMBERSHIP_START,
        person,
        after={"organisation": organisation.name, "since": since},
        reason=reason,
    )
    placement_changed.send(sender=Membership, person=person)
    return membership


def _move_pipeline(actor: Any, person: Person, to_branch: Organisation) -> int | None:
    """An active recruitment pipeline (a probationary member's) follows the member to the receiving branch;
    the old branch's open to-dos for it close and the new branch's officers get them."""

    pipeline = (
        Pipeline.objects.select_for_update(of=("self",))
        .filter(person=person, status=PipelineStatus.ACTIVE)
        .select_related("branch")
        .first()
    )
    if pipeline is None or pipeline.branch_id == to_branch.pk:
        return None
    before = pipeline.branch.name
    pipeline.branch = to_branch
    pipeline.save(update_fields=["branch"])
    record(actor, actions.TRANSFERS_PIPELINE, pipeline, before={"branch": before}, after={"branch": to_branch.name})
    Task.objects.filter(
        source_type="recruitment", source_id__startswith=f"{pipeline.pk}:", done_at__isnull=True
    ).exclude(assignee=person).update(done_at=clock.now())
    refresh_tasks(pipeline)
    return pipeline.pk


def _tell(people: list[Person], title: str, transfer: Transfer, body: str = "") -> None:
    unique = list({p.pk: p for p in people}.values())  # each person once, in the order first named
    notify.notify(unique, kind=KIND, title=title, body=body, url=_url(transfer))


# ------------------------------------------------------------------------------------------------ inside


@transaction.atomic
def start_transfer(
    actor: Any, person: Person, to_org: Organisation, *, reason: str, today: date | None = None
) -> Transfer:
    """Start moving ``person`` to another branch in Plaza: by the member themself or by their branch.

    The receiving branch's officers get a to-do; nothing moves until they accept."""
    today = today or clock.today()
    membership = _require_party_member(person)
    from_org = branch_of_org(membership.organisation)
    if actor.pk == person.pk:
        initiator = Initiator.MEMBER
    else:
        Scope.of(actor, Cap.TRANSFERS).require(organisation=from_org)
        initiator = Initiator.BRANCH
    reason = _clean_text(reason, 2, _("请写明转接原因（如工作单位或经常居住地变化）。"))
    if to_org.tree != Tree.PARTY or to_org.level != Level.BRANCH or not to_org.is_active:
        raise ValidationError(_("接收方应为系统内有效的党支部。"))
    if to_org.pk == from_org.pk:
        raise ValidationError(_("接收党支部与目前所在党支部相同，无需转接。"))
    _no_open_transfer(person)
    transfer = _create(
        person=person,
        kind=Kind.INTERNAL,
        state=State.PENDING,
        from_org=from_org,
        to_org=to_org,
        reason=reason,
        initiator=initiator,
        started_by=actor,
        started_on=today,
    )
    record(
        actor,
        actions.TRANSFERS_START,
        transfer,
        after={"person": person.pk, "from": from_org.name, "to": to_org.name, "initiator": initiator},
        reason=reason,
    )
    title = _("组织关系转入待接收：%(name)s（%(from)s → %(to)s）") % {
        "name": person.name,
        "from": from_org.name,
        "to": to_org.name,
    }
    for officer in officers_of(to_org):
        notify.add_task(
            officer,
            title,
            url=_url(transfer),
            due_on=today + timedelta(days=rules.ACCEPT_TODO_DAYS),
            source_type=SOURCE_TYPE,
            source_id=str(transfer.pk),
        )
    if initiator == Initiator.MEMBER:
        _tell(
            officers_of(from_org),
            _("%(name)s 申请将组织关系转至 %(to)s") % {"name": person.name, "to": to_org.name},
            transfer,
            reason,
        )
    else:
        _tell([person], _("党支部已为您发起组织关系转接：转至 %(to)s") % {"to": to_org.name}, transfer, reason)
    return transfer


@transaction.atomic
def accept(actor: Any, transfer: Transfer, *, today: date | None = None) -> Transfer:
    """The receiving branch accepts: in one transaction the old Party membership ends and a new one starts in
    the receiving branch, positions in the old branch end, an active recruitment pipeline moves. The member's
    history (recruitment file, dues, meetings) is kept per person and so moves with them."""
    today = today or clock.today()
    locked = _lock(transfer)
    if locked.kind != Kind.INTERNAL:
        raise ValidationError(_("只有系统内的转接需要接收党支部接收。"))
    Scope.of(actor, Cap.TRANSFERS).require(organisation=locked.to_org)
    if locked.state != State.PENDING:
        raise ValidationError(_("该转接已办结（%(s)s），不能再接收。") % {"s": locked.get_state_display()})
    assert locked.to_org is not None and locked.from_org is not None, "an internal transfer is between our branches"
    person = locked.person
    reason = _("组织关系转入 %(to)s") % {"to": locked.to_org.name}
    changed = _move_out(actor, locked, today, reason)
    _start_membership(actor, person, locked.to_org, today, reason)
    pipeline = _move_pipeline(actor, person, locked.to_org)
    locked.state, locked.decided_by, locked.decided_on = State.ACCEPTED, actor, today
    locked.save(update_fields=["state", "decided_by", "decided_on"])
    record(
        actor,
        actions.TRANSFERS_ACCEPT,
        locked,
        before={"state": State.PENDING},
        after={"state": State.ACCEPTED, "ended": changed, "pipeline": pipeline, "on": today},
    )
    notify.complete_tasks_for(SOURCE_TYPE, str(locked.pk))
    title = _("组织关系转接已办结：%(name)s 已转入 %(to)s") % {"name": person.name, "to": locked.to_org.name}
    _tell([person, *officers_of(locked.from_org)], title, locked)
    transfer.state = locked.state
    return locked


@transaction.atomic
def decline(actor: Any, transfer: Transfer, *, reason: str, today: date | None = None) -> Transfer:
    """The receiving branch declines, with the reason; the member stays where they are."""
    today = today or clock.today()
    locked = _lock(transfer)
    if locked.kind != Kind.INTERNAL:
        raise ValidationError(_("只有系统内的转接可以由接收党支部拒绝。"))
    Scope.of(actor, Cap.TRANSFERS).require(organisation=locked.to_org)
    if locked.state != State.PENDING:
        raise ValidationError(_("该转接已办结（%(s)s），不能再拒绝。") % {"s": locked.get_state_display()})
    assert locked.to_org is not None and locked.from_org is not None, "an internal transfer is between our branches"
    reason = _clean_text(reason, 2, _("请写明不予接收的原因。"))
    locked.state, locked.decided_by, locked.decided_on, locked.decline_reason = State.DECLINED, actor, today, reason
    locked.save(update_fields=["state", "decided_by", "decided_on", "decline_reason"])
    record(
        actor,
        actions.TRANSFERS_DECLINE,
        locked,
        before={"state": State.PENDING},
        after={"state": State.DECLINED},
        reason=reason,
    )
    notify.complete_tasks_for(SOURCE_TYPE, str(locked.pk))
    title = _("%(to)s 未接收 %(name)s 的组织关系") % {"to": locked.to_org.name, "name": locked.person.name}
    _tell([locked.person, *officers_of(locked.from_org)], title, locked, reason)
    transfer.state = locked.state
    return locked


def may_withdraw(actor: Any, transfer: Transfer) -> bool:
    """Whoever started it: the member for their own request, the sending branch for one it started."""
    if transfer.initiator == Initiator.MEMBER:
        return actor.pk == transfer.person_id
    return transfer.from_org is not None and Scope.of(actor, Cap.TRANSFERS).covers(transfer.from_org)


def may_decide(actor: Any, transfer: Transfer) -> bool:
    """The receiving organisation's staff accept or decline a transfer between branches while it waits."""
    return (
        transfer.kind == Kind.INTERNAL
        and transfer.state == State.PENDING
        and transfer.to_org is not None
        and Scope.of(actor, Cap.TRANSFERS).covers(transfer.to_org)
    )


def may_record_receipt(actor: Any, transfer: Transfer) -> bool:
    """The sending organisation's staff record the receipt of a letter out while it is issued (``record_receipt``)."""
    return (
        transfer.kind == Kind.OUTGOING
        and transfer.state == State.ISSUED
        and transfer.from_org is not None
        and Scope.of(actor, Cap.TRANSFERS).covers(transfer.from_org)
    )


def may_see_letter(actor: Any, transfer: Transfer) -> bool:
    """A letter out (介绍信) is shown to the sending organisation's staff and to the member it is for."""
    if transfer.kind != Kind.OUTGOING:
        return False
    sending = transfer.from_org is not None and Scope.of(actor, Cap.TRANSFERS).covers(transfer.from_org)
    return sending or transfer.person_id == actor.pk


@transaction.atomic
def withdraw(actor: Any, transfer: Transfer, *, today: date | None = None) -> Transfer:
    """Withdraw an open transfer (an issued letter is then void), by whoever started it."""
    today = today or clock.today()
    locked = _lock(transfer)
    if not may_withdraw(actor, locked):
        raise PermissionDenied(_("只有发起方可以撤回该转接。"))
    if locked.state not in OPEN_STATES:
        raise ValidationError(_("该转接已办结（%(s)s），不能撤回。") % {"s": locked.get_state_display()})
    before = locked.state
    locked.state, locked.decided_by, locked.decided_on = State.WITHDRAWN, actor, today
    locked.save(update_fields=["state", "decided_by", "decided_on"])
    record(actor, actions.TRANSFERS_WITHDRAW, locked, before={"state": before}, after={"state": State.WITHDRAWN})
    notify.complete_tasks_for(SOURCE_TYPE, str(locked.pk))
    notify.cancel_reminders(LETTER_REMINDER, str(locked.pk))
    # A member withdraws only a request of their own, which always leaves a branch of ours.
    others = [locked.person] if actor.pk != locked.person_id else officers_of(locked.from_org)  # type: ignore[arg-type]
    if locked.to_org is not None:
        others += officers_of(locked.to_org)
    _tell(
        [p for p in others if p.pk != actor.pk],
        _("%(name)s 的组织关系转接已撤回") % {"name": locked.person.name},
        locked,
    )
    transfer.state = locked.state
    return locked


# ------------------------------------------------------------------------------------- letters (outside)


def check_code(number: str, person_id: int, issued_on: date, valid_until: date) -> str:
    """A short keyed code printed on the letter: a forged or altered letter does not match it."""
    value = f"{number}|{person_id}|{issued_on.isoformat()}|{valid_until.isoformat()}"
    return (
        salted_hmac("plaza.transfers.letter", value, secret=settings.SECRET_KEY, algorithm="sha256")
        .hexdigest()[:10]
        .upper()
    )


def letter_code(transfer: Transfer) -> str:
    assert transfer.letter_issued_on is not None and transfer.letter_valid_until is not None, "an issued letter"
    return check_code(transfer.letter_no, transfer.person_id, transfer.letter_issued_on, transfer.letter_valid_until)


def _next_letter_no(year: int) -> str:
    prefix = f"{year}-"
    numbers = Transfer.objects.filter(kind=Kind.OUTGOING, letter_no__startswith=prefix).values_list(
        "letter_no", flat=True
    )
    last = max((int(n[len(prefix) :]) for n in numbers if n[len(prefix) :].isdigit()), default=0)
    return f"{prefix}{last + 1:06d}"


@transaction.atomic
def issue_letter(
    actor: Any, person: Person, *, to_name: str, reason: str, issued_on: date | None = None, today: date | None = None
) -> Transfer:
    """A transfer out of Plaza: the introduction letter with its number (year-sequence) and check code, valid
    :func:`letter_months` months. The member stays in the branch until the receipt comes back."""
    today = today or clock.today()
    issued_on = issued_on or today
    membership = _require_party_member(person)
    from_org = branch_of_org(membership.organisation)
    Scope.of(actor, Cap.TRANSFERS).require(organisation=from_org)
    to_name = _clean_text(to_name, 2, _("请填写接收党组织的名称。"), 128)
    reason = _clean_text(reason, 2, _("请写明转接原因（如工作单位或经常居住地变化）。"))
    if issued_on > today:
        raise ValidationError(_("开具日期不能晚于今天。"))
    months = letter_months(from_org, on=issued_on)
    if not rules.letter_valid(issued_on, today, months=months):
        raise ValidationError(_("开具日期过早：按此日期开具的介绍信今天已过期。"))
    _no_open_transfer(person)
    valid_until = rules.letter_valid_until(issued_on, months=months)
    transfer = None
    for _attempt in range(5):  # two letters numbered at the same moment: the second takes the next number
        number = _next_letter_no(issued_on.year)
        try:
            with transaction.atomic():
                transfer = Transfer.objects.create(
                    person=person,
                    kind=Kind.OUTGOING,
                    state=State.ISSUED,
                    from_org=from_org,
                    outside_org=to_name,
                    reason=reason,
                    initiator=Initiator.BRANCH,
                    started_by=actor,
                    started_on=today,
                    letter_no=number,
                    letter_issued_on=issued_on,
                    letter_valid_until=valid_until,
                    letter_status=person.political_status,
                )
            break
        except IntegrityError as exc:
            if Transfer.objects.filter(person=person, state__in=OPEN_STATES).exists():
                raise ValidationError(OPEN_ERROR) from exc
    if transfer is None:
        raise ValidationError(_("介绍信编号生成冲突，请重试。"))
    record(
        actor,
        actions.TRANSFERS_LETTER,
        transfer,
        after={
            "person": person.pk,
            "from": from_org.name,
            "to": to_name,
            "letter_no": number,
            "issued_on": issued_on,
            "valid_until": valid_until,
        },
        reason=reason,
    )
    remind_on = max(valid_until - REMIND_BEFORE, today)
    notify.schedule_reminder(
        subject_type=LETTER_REMINDER,
        subject_id=str(transfer.pk),
        kind=KIND,
        title=_("介绍信 %(no)s（%(name)s）将于 %(d)s 到期，尚未收到回执")
        % {"no": number, "name": person.name, "d": dates.day(valid_until)},
        body=_("请联系接收党组织 %(to)s 确认是否已接收并寄回回执。") % {"to": to_name},
        due_at=timezone.make_aware(datetime.combine(remind_on, time(9, 0))),
        recipients=officers_of(from_org),
        url=_url(transfer),
        deadline=valid_until,
        dedupe_key=f"{LETTER_REMINDER}:{transfer.pk}",
    )
    if actor.pk != person.pk:
        _tell(
            [person],
            _("党支部已为您开具组织关系介绍信 %(no)s，请在 %(d)s 前到 %(to)s 报到")
            % {"no": number, "d": dates.day(valid_until), "to": to_name},
            transfer,
        )
    return transfer


@transaction.atomic
def record_receipt(
    actor: Any, transfer: Transfer, *, received_on: date, note: str = "", today: date | None = None
) -> Transfer:
    """The receipt (回执) came back: the transfer closes and the member's Party membership ends (转出), with their
    positions in the branch."""
    today = today or clock.today()
    locked = _lock(transfer)
    if locked.kind != Kind.OUTGOING:
        raise ValidationError(_("只有转出系统外的介绍信需要登记回执。"))
    Scope.of(actor, Cap.TRANSFERS).require(organisation=locked.from_org)
    if locked.state != State.ISSUED:
        raise ValidationError(_("该转接已办结（%(s)s），不能再登记回执。") % {"s": locked.get_state_display()})
    if received_on > today:
        raise ValidationError(_("回执日期不能晚于今天。"))
    assert locked.letter_issued_on is not None and locked.letter_valid_until is not None, "an issued letter"
    if received_on < locked.letter_issued_on:
        raise ValidationError(_("回执日期不能早于介绍信开具日期 %(d)s。") % {"d": dates.day(locked.letter_issued_on)})
    if not letter_valid_on(locked, received_on):
        raise ValidationError(
            _("回执日期晚于介绍信有效期（至 %(d)s）：介绍信已过期，请撤回后重新开具。")
            % {"d": dates.day(locked.letter_valid_until)}
        )
    reason = _("转出")
    changed = _move_out(actor, locked, received_on, reason)
    locked.state, locked.decided_by, locked.decided_on = State.CLOSED, actor, today
    locked.receipt_on, locked.receipt_note = received_on, (note or "").strip()[:255]
    locked.save(update_fields=["state", "decided_by", "decided_on", "receipt_on", "receipt_note"])
    record(
        actor,
        actions.TRANSFERS_RECEIPT,
        locked,
        before={"state": State.ISSUED},
        after={"state": State.CLOSED, "receipt_on": received_on, "ended": changed},
        reason=reason,
    )
    notify.cancel_reminders(LETTER_REMINDER, str(locked.pk))
    notify.complete_tasks_for(SOURCE_TYPE, str(locked.pk))
    _tell([locked.person], _("已收到 %(to)s 的回执，您的组织关系已转出") % {"to": locked.outside_org}, locked)
    transfer.state = locked.state
    return locked


@transaction.atomic
def register_incoming(
    actor: Any,
    person: Person,
    to_org: Organisation,
    *,
    letter_no: str,
    issuing_org: str,
    issued_on: date,
    status: str,
    reason: str = "",
    today: date | None = None,
) -> Transfer:
    """A member coming from outside Plaza with an introduction letter: refused without the letter's number or when
    the letter has expired; otherwise their Party membership starts in ``to_org`` today and their political status
    is set as stated on the letter."""
    today = today or clock.today()
    Scope.of(actor, Cap.TRANSFERS).require(organisation=to_org)
    if to_org.tree != Tree.PARTY or to_org.level not in (Level.BRANCH, Level.GROUP) or not to_org.is_active:
        raise ValidationError(_("接收方应为系统内有效的党支部或党小组。"))
    letter_no = _clean_text(letter_no, 1, _("请填写介绍信编号：没有介绍信编号的转入不予登记。"), 64)
    issuing_org = _clean_text(issuing_org, 2, _("请填写开具介绍信的党组织。"), 128)
    if status not in PoliticalStatus.party_members():
        raise ValidationError(_("介绍信所载政治面貌应为正式党员或预备党员。"))
    if issued_on > today:
        raise ValidationError(_("介绍信开具日期不能晚于今天。"))
    months = letter_months(to_org, on=issued_on)
    if not rules.letter_valid(issued_on, today, months=months):
        expired = rules.letter_valid_until(issued_on, months=months)
        raise ValidationError(
            _("介绍信已过期：开具于 %(i)s，有效期 %(m)s 个月，已于 %(e)s 到期，不予登记。请本人回原党组织重新开具。")
            % {"i": dates.day(issued_on), "m": months, "e": dates.day(expired)}
        )
    current = current_party_membership(person, lock=True)
    if current is not None:
        raise ValidationError(
            _("%(name)s 已在 %(org)s，系统内的调动请使用组织关系转接。")
            % {"name": person.name, "org": current.organisation.name}
        )
    _no_open_transfer(person)
    reason = (reason or "").strip()[:255] or _("从系统外转入")
    transfer = _create(
        person=person,
        kind=Kind.INCOMING,
        state=State.REGISTERED,
        to_org=to_org,
        outside_org=issuing_org,
        reason=reason,
        initiator=Initiator.BRANCH,
        started_by=actor,
        started_on=today,
        decided_by=actor,
        decided_on=today,
        letter_no=letter_no,
        letter_issued_on=issued_on,
        letter_valid_until=rules.letter_valid_until(issued_on, months=months),
        letter_status=status,
    )
    _start_membership(actor, person, to_org, today, _("凭介绍信 %(no)s 转入") % {"no": letter_no})
    if person.political_status != status:
        org_services.record_status_change(
            actor,
            person,
            status,
            effective_on=today,
            reason=_("凭介绍信 %(no)s 转入（%(org)s）") % {"no": letter_no, "org": issuing_org},
        )
    record(
        actor,
        actions.TRANSFERS_INCOMING,
        transfer,
        after={
            "person": person.pk,
            "to": to_org.name,
            "letter_no": letter_no,
            "issuing_org": issuing_org,
            "issued_on": issued_on,
            "letter_status": status,  # the transfer's field: read as its choice (正式党员), not as the code
        },
    )
    _tell([person], _("您的组织关系已转入 %(to)s") % {"to": to_org.name}, transfer)
    return transfer


# ------------------------------------------------------------------------------------------- contacts


@transaction.atomic
def record_contact(actor: Any, person: Person, *, on: date, note: str = "", today: date | None = None) -> Contact:
    """The branch was in touch with ``person`` on ``on``: the out-of-contact count starts again."""
    today = today or clock.today()
    Scope.of(actor, Cap.TRANSFERS).require(person=person)
    if on > today:
        raise ValidationError(_("联系日期不能晚于今天。"))
    contact = Contact.objects.create(
        person=person, last_contact_on=on, note=(note or "").strip()[:255], recorded_by=actor
    )
    record(actor, actions.TRANSFERS_CONTACT, person, after={"last_contact_on": on}, reason=contact.note)

    Task.objects.filter(source_type=LOST_SOURCE, source_id__startswith=f"{person.pk}:", done_at__isnull=True).update(
        done_at=clock.now()
    )
    return contact
