"""Every write of 民主评议党员 (rulebook §5): campaigns, invitations, self-evaluations, the anonymous 测评 sheets,
the committee's proposed grades, the branch's decision, and the follow-up of a member graded 不合格.

Running a branch's evaluation is organisational life of the branch, so it takes ``Cap.MEETINGS`` over the
branch (held by its secretary, deputy secretary and organisation member, and by the committee's staff): the
same people who hold its 组织生活会, with which the evaluation is usually combined. Members act for themselves
(self-evaluation, their sheet) as participants of the campaign.

States: draft → open (self-evaluations and sheets) → closed (the tally is shown to the branch officers) →
decided (grades final, the campaign locked). Which grades are allowed and when a reason is needed comes from
:mod:`plaza.rules.evaluation`. The share of 优秀 is the organisation's 本单位规定 (:func:`excellent_share`).

Secrecy of the 测评 (see ``models`` and ``docs/secret-ballots.md``): a sheet writes one :class:`Sheet` row (who
handed one in, and the day) and what it says only *sealed* (:class:`SealedSheet`); when the 测评 closes all
sealed sheets are opened and their grades written together, shuffled, in one transaction, as :class:`Grade`
rows without grader or sheet. Handing in a sheet writes no audit entry (the sheet row is the record).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from fractions import Fraction
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from plaza.accounts.models import Person, PoliticalStatus
from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock, dates, sealing
from plaza.localrules import services as local_rules
from plaza.meetings.models import Kind as MeetingKind
from plaza.meetings.models import Meeting
from plaza.meetings.services import audience
from plaza.notify import services as notify
from plaza.orgs.models import Level, Organisation, Position, Title
from plaza.orgs.permissions import Cap, Scope
from plaza.rules import evaluation as rules

from .models import (
    Campaign,
    FollowUp,
    FollowUpStep,
    Grade,
    Group,
    Material,
    Participant,
    Role,
    SealedSheet,
    Sheet,
    State,
    StepKind,
)
from .queries import tally

SHEET_TASK = "evaluation-sheet"
FOLLOW_UP_TASK = "evaluation-followup"
MIN_SELF_EVALUATION = 20
#: Puts the grades of all sheets in random order before they are written (tests inject a seeded one).
_shuffle = random.SystemRandom().shuffle
#: A grade on a sealed sheet is its place in ``rules.GRADES`` (one digit: every sealed sheet the same length).
GRADE_CODES = list(rules.GRADES)


#: A campaign's arrangements can be changed until the 测评 closes.
EDITABLE_STATES = (State.DRAFT, State.OPEN)
#: The branch's report exists once the 测评 closed (proposals, then the decision).
REPORTED_STATES = (State.CLOSED, State.DECIDED)


def may_edit(campaign: Campaign) -> bool:
    """Whether the arrangements (dates, materials, meeting) can still be changed: before the 测评 closes."""
    return campaign.state in EDITABLE_STATES


def may_self_evaluate(campaign: Campaign, participant: Participant | None) -> bool:
    """Whether the participant writes a 个人自评 now: a Party member taking part (not an invited 群众代表) while
    the 测评 is open (``write_self_evaluation`` refuses the others with the reason)."""
    return participant is not None and participant.role != Role.INVITED and campaign.state == State.OPEN


def awaiting_decision(campaign: Campaign) -> bool:
    """Whether the branch decides the grades now: after the 测评 closed and before it decided."""
    return campaign.state == State.CLOSED


def report_ready(campaign: Campaign) -> bool:
    """Whether the branch's report (tallies and grades) can be shown: once the 测评 closed."""
    return campaign.state in REPORTED_STATES


def excellent_share(organisation: Organisation) -> Fraction:
    """The most 优秀 as a share of those graded in the organisation: its 本单位规定
    ``evaluation.excellent_share`` (:mod:`plaza.localrules`), one third by default (rules.md §5)."""
    return Fraction(local_rules.value(organisation, "evaluation.excellent_share"))


def _require(actor: Any, campaign: Campaign) -> None:
    Scope.of(actor, Cap.MEETINGS).require(organisation=campaign.organisation)


def _locked_campaign(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().select_related("organisation").get(pk=campaign.pk)


def _url(campaign: Campaign) -> str:
    return reverse("evaluation:detail", args=[campaign.pk])


def sheet_key(campaign: Campaign, person: Person) -> str:
    return f"{campaign.pk}:{person.pk}"


def branch_members(organisation: Organisation) -> list[Person]:
    """The branch's Party members (full and probationary, in the branch or its groups), as the meetings find
    them for a 组织生活会."""
    return list(audience(organisation, MeetingKind.LIFE_MEETING).order_by("employee_no"))


def secretaries(organisation: Organisation) -> list[Person]:
    holders = Position.objects.current().filter(organisation=organisation, title=Title.SECRETARY).values("person_id")
    return list(Person.objects.filter(pk__in=holders, is_active=True))


# ------------------------------------------------------------------------------------------------ campaigns


def _check_campaign(
    organisation: Organisation, *, year: int, title: str, starts_on: date, ends_on: date, meeting: Meeting | None
) -> list[str]:
    problems = []
    if organisation.level != Level.BRANCH:
        problems.append(_("民主评议党员由党支部组织。"))
    if not 2000 <= year <= 2100:
        problems.append(_("请填写正确的年度。"))
    if not title.strip():
        problems.append(_("请填写名称。"))
    if ends_on < starts_on:
        problems.append(_("测评截止日期不能早于开始日期。"))
    if meeting is not None and (meeting.organisation_id != organisation.pk or meeting.kind != MeetingKind.LIFE_MEETING):
        problems.append(_("只能结合本支部的组织生活会进行。"))
    return problems


@transaction.atomic
def create_campaign(
    actor: Any,
    organisation: Organisation,
    *,
    year: int,
    title: str,
    starts_on: date,
    ends_on: date,
    materials: str = "",
    meeting: Meeting | None = None,
    invited: Sequence[Person] = (),
    files: Sequence[Any] = (),
) -> Campaign:
    """Plan the year's evaluation of a branch (draft); the members are listed when it opens."""
    Scope.of(actor, Cap.MEETINGS).require(organisation=organisation)
    problems = _check_campaign(
        organisation, year=year, title=title, starts_on=starts_on, ends_on=ends_on, meeting=meeting
    )
    if problems:
        raise ValidationError(problems)
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(
                organisation=organisation,
                year=year,
                title=title.strip()[:120],
                starts_on=starts_on,
                ends_on=ends_on,
                materials=materials.strip(),
                meeting=meeting,
                created_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError(_("本支部 %(year)s 年度的民主评议已经建立。") % {"year": year}) from exc
    for upload in files:
        Material.objects.create(campaign=campaign, file=upload, uploaded_by=actor)
    record(
        actor,
        actions.EVALUATION_CREATE,
        campaign,
        after={
            "organisation": organisation.name,
            "year": year,
            "title": campaign.title,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "meeting": meeting,
            "attachments": len(files),
        },
    )
    if invited:
        invite(actor, campaign, invited)
    return campaign


@transaction.atomic
def update_campaign(
    actor: Any,
    campaign: Campaign,
    *,
    title: str,
    starts_on: date,
    ends_on: date,
    materials: str = "",
    meeting: Meeting | None = None,
    files: Sequence[Any] = (),
) -> Campaign:
    """Correct the dates, materials or meeting until the tally is out (draft or open)."""
    campaign = _locked_campaign(campaign)
    _require(actor, campaign)
    if campaign.state not in (State.DRAFT, State.OPEN):
        raise ValidationError(_("测评已结束，不能再修改评议安排。"))
    problems = _check_campaign(
        campaign.organisation, year=campaign.year, title=title, starts_on=starts_on, ends_on=ends_on, meeting=meeting
    )
    if problems:
        raise ValidationError(problems)
    fields = ["title", "starts_on", "ends_on", "materials", "meeting_id"]
    before = {name: getattr(campaign, name) for name in fields}
    campaign.title, campaign.starts_on, campaign.ends_on = title.strip()[:120], starts_on, ends_on
    campaign.materials, campaign.meeting = materials.strip(), meeting
    campaign.save(update_fields=["title", "starts_on", "ends_on", "materials", "meeting"])
    for upload in files:
        Material.objects.create(campaign=campaign, file=upload, uploaded_by=actor)
    record(
        actor,
        actions.EVALUATION_UPDATE,
        campaign,
        before=before,
        after={**{name: getattr(campaign, name) for name in fields}, "attachments": len(files)},
    )
    return campaign


@transaction.atomic
def invite(actor: Any, campaign: Campaign, people: Iterable[Person]) -> int:
    """Invite 群众 (not Party members) to the 测评: they grade the members but are not graded. Returns how many
    were added (those already invited are skipped)."""
    campaign = _locked_campaign(campaign)
    _require(actor, campaign)
    if campaign.state not in (State.DRAFT, State.OPEN):
        raise ValidationError(_("测评已结束，不能再邀请。"))
    people = list(people)
    members = [p.name for p in people if p.political_status in PoliticalStatus.party_members()]
    if members:
        raise ValidationError(
            _("党员在所在支部参加评议，不能作为群众代表邀请：%(names)s") % {"names": "、".join(members)}
        )
    present = set(Participant.objects.filter(campaign=campaign).values_list("person_id", flat=True))
    new = [p for p in dict.fromkeys(people) if p.pk not in present]
    Participant.objects.bulk_create([Participant(campaign=campaign, person=p, role=Role.INVITED) for p in new])
    if new:
        record(actor, actions.EVALUATION_INVITE, campaign, after={"invited": [p.pk for p in new]})
        if campaign.state == State.OPEN:
            _announce(campaign, new)
    return len(new)


@transaction.atomic
def open_campaign(actor: Any, campaign: Campaign) -> Campaign:
    """Open the 测评: the branch's Party members are listed as they are today (full members are graded,
    预备党员 take part), and everyone taking part gets a to-do for their self-evaluation and sheet."""
    campaign = _locked_campaign(campaign)
    _require(actor, campaign)
    if campaign.state != State.DRAFT:
        raise ValidationError(_("评议已经开始。"))
    members = branch_members(campaign.organisation)
    if not any(p.political_status == PoliticalStatus.FULL_MEMBER for p in members):
        raise ValidationError(_("本支部没有正式党员，无需评议。"))
    if campaign.ends_on < clock.today():
        raise ValidationError(_("测评截止日期已过，请先修改日期。"))
    invited = {p.person_id: p for p in Participant.objects.filter(campaign=campaign)}
    rows = [
        Participant(
            campaign=campaign,
            person=p,
            role=Role.MEMBER if p.political_status == PoliticalStatus.FULL_MEMBER else Role.PROBATIONARY,
        )
        for p in members
        if p.pk not in invited
    ]
    Participant.objects.bulk_create(rows)
    campaign.state, campaign.seal_key = State.OPEN, sealing.new_key()
    campaign.save(update_fields=["state", "seal_key"])
    record(
        actor,
        actions.EVALUATION_OPEN,
        campaign,
        before={"state": State.DRAFT},
        after={
            "state": State.OPEN,
            "members": [r.person_id for r in rows if r.role == Role.MEMBER],
            "probationary": [r.person_id for r in rows if r.role == Role.PROBATIONARY],
        },
    )
    people = list(Person.objects.filter(evaluation_participations__campaign=campaign))
    _announce(campaign, people)
    return campaign


def _announce(campaign: Campaign, people: Iterable[Person]) -> None:
    people = list(people)
    title = _("%(title)s开始：请学习材料，%(date)s 前提交测评表") % {
        "title": campaign.title,
        "date": dates.month_day(campaign.ends_on),
    }
    notify.notify(people, kind="evaluation", url=_url(campaign), title=title)
    for person in people:
        notify.add_task(
            person,
            _("民主评议：提交测评表（%(title)s）") % {"title": campaign.title},
            url=_url(campaign),
            due_on=campaign.ends_on,
            source_type=SHEET_TASK,
            source_id=sheet_key(campaign, person),
        )


@transaction.atomic
def close_campaign(actor: Any, campaign: Campaign) -> Campaign:
    """End the 测评: no more sheets; the tally is shown to the branch officers."""
    campaign = _locked_campaign(campaign)
    _require(actor, campaign)
    if campaign.state != State.OPEN:
        raise ValidationError(_("只有测评中的评议可以结束测评。"))
    _open_sealed_sheets(campaign)
    campaign.state = State.CLOSED
    campaign.save(update_fields=["state", "seal_key"])
    for person_id in Participant.objects.filter(campaign=campaign).values_list("person_id", flat=True):
        notify.complete_tasks_for(SHEET_TASK, f"{campaign.pk}:{person_id}")
    record(
        actor,
        actions.EVALUATION_CLOSE,
        campaign,
        before={"state": State.OPEN},
        after={"state": State.CLOSED, "sheets": Sheet.objects.filter(campaign=campaign).count()},
    )
    return campaign


# ------------------------------------------------------------------------------------- the members' part


def _participant(person: Person, campaign: Campaign) -> Participant:
    found = Participant.objects.filter(campaign=campaign, person=person).first()
    if found is None:
        raise PermissionDenied(_("您不在本次民主评议的参评名单中。"))
    return found


@transaction.atomic
def write_self_evaluation(person: Person, campaign: Campaign, text: str) -> Participant:
    """个人自评: a Party member's own account of the year, while the 测评 is open (may be rewritten till then)."""
    campaign = Campaign.objects.get(pk=campaign.pk)
    participant = _participant(person, campaign)
    if participant.role == Role.INVITED:
        raise ValidationError(_("群众代表只参加测评，无需个人自评。"))
    if campaign.state != State.OPEN:
        raise ValidationError(_("评议不在进行中，不能填写个人自评。"))
    if len(text.strip()) < MIN_SELF_EVALUATION:
        raise ValidationError(_("个人自评不少于 %(n)s 个字。") % {"n": MIN_SELF_EVALUATION})
    before = {"self_evaluation": participant.self_evaluation}
    participant.self_evaluation, participant.self_evaluated_on = text.strip(), clock.today()
    participant.save(update_fields=["self_evaluation", "self_evaluated_on"])
    record(
        person,
        actions.EVALUATION_SELF_EVALUATION,
        campaign,
        before=before,
        after={"self_evaluation": participant.self_evaluation},
    )
    return participant


def gradees_for(person: Person, campaign: Campaign) -> list[Participant]:
    """Whom the person grades: every full member taking part except themself, by employee number."""
    return list(
        Participant.objects.filter(campaign=campaign, role=Role.MEMBER)
        .exclude(person=person)
        .select_related("person")
        .order_by("person__employee_no")
    )


def _sealing_context(campaign: Campaign) -> str:
    return f"evaluation.sheet:{campaign.pk}"


def sealed_size(campaign: Campaign) -> int:
    """The length every sealed sheet of ``campaign`` is padded to: a grade for every graded member."""
    graded = Participant.objects.filter(campaign=campaign, role=Role.MEMBER).values_list("person_id", flat=True)
    widest = {"o": 1, "g": dict.fromkeys(map(str, graded), 9)}
    return -(-(len(json.dumps(widest, separators=(",", ":"))) + 16) // 16) * 16


@sensitive_variables()  # an error report must not show a sheet next to its grader
@transaction.atomic
def submit_sheet(person: Person, campaign: Campaign, grades: Mapping[int, str]) -> Sheet:
    """Hand in one 测评表: a grade for every graded member but oneself. Counted once per person, however often
    it is sent; refused once the 测评 is over. What it says is stored sealed, apart from the grader, until the
    测评 closes (:func:`close_campaign`)."""
    campaign = _locked_campaign(campaign)  # a sheet and the closing of the 测评 do not cross
    participant = _participant(person, campaign)
    if campaign.state != State.OPEN:
        raise ValidationError(
            _("测评已结束，不能再提交测评表。") if campaign.state != State.DRAFT else _("测评尚未开始。")
        )
    if clock.today() > campaign.ends_on:
        raise ValidationError(_("测评已于 %(date)s 截止。") % {"date": dates.day(campaign.ends_on)})
    if Sheet.objects.filter(campaign=campaign, grader=person).exists():
        raise ValidationError(_("您已提交过测评表"))
    grades = {int(k): v for k, v in grades.items()}
    if person.pk in grades:
        raise ValidationError(_("不能给自己评定等次。"))
    gradees = gradees_for(person, campaign)
    wanted = {p.person_id for p in gradees}
    missing = [p.person.name for p in gradees if grades.get(p.person_id) not in rules.GRADES]
    if set(grades) - wanted:
        raise ValidationError(_("测评表中有不参加评定的人员。"))
    if missing:
        raise ValidationError(_("请为每位参评党员选择等次，尚未选择：%(names)s") % {"names": "、".join(missing)})
    try:
        with transaction.atomic():
            sheet = Sheet.objects.create(campaign=campaign, grader=person, submitted_on=clock.today())
    except IntegrityError as exc:  # the same sheet sent twice at the same moment
        raise ValidationError(_("您已提交过测评表")) from exc
    content = {
        "o": 1 if participant.role == Role.INVITED else 0,
        "g": {str(pk): GRADE_CODES.index(grade) for pk, grade in grades.items()},
    }
    try:
        sealed = sealing.seal(
            campaign.seal_key, content, size=sealed_size(campaign), context=_sealing_context(campaign)
        )
    except (sealing.SealBroken, ImproperlyConfigured) as exc:  # no key: the database was changed behind our back
        raise ValidationError(_("测评表暂时无法密封保存，没有提交：请联系评议工作人员。")) from exc
    SealedSheet.objects.create(campaign=campaign, sealed=sealed)
    notify.complete_tasks_for(SHEET_TASK, sheet_key(campaign, person))
    return sheet


@sensitive_variables()
def _open_sealed_sheets(campaign: Campaign) -> None:
    """Open every sealed sheet of the campaign and write all their grades together as ``Grade`` rows, in one
    batch in an order that depends on nothing but chance (one transaction: every row the same ``xmin``; the
    rowid/``ctid`` order neither follows the sheets nor the order of handing in); then delete the sealed sheets
    and forget the key. Refused, changing nothing, when the sheets do not add up or cannot be opened."""
    sealed = list(SealedSheet.objects.filter(campaign=campaign).values_list("sealed", flat=True))
    handed_in = Sheet.objects.filter(campaign=campaign).count()
    legacy = Grade.objects.filter(campaign=campaign).exists()  # written before sheets were sealed
    if len(sealed) != handed_in and not legacy:
        raise ValidationError(
            _("密封的测评表（%(s)s 份）与提交记录（%(n)s 份）不一致，数据可能被改动：请联系系统管理员。")
            % {"s": len(sealed), "n": handed_in}
        )
    graded = set(Participant.objects.filter(campaign=campaign, role=Role.MEMBER).values_list("person_id", flat=True))
    rows = []
    try:
        for token in sealed:
            content = sealing.unseal(campaign.seal_key, token, context=_sealing_context(campaign))
            group = Group.OTHER if content["o"] else Group.MEMBER
            for pk, code in content["g"].items():
                if int(pk) not in graded:
                    raise sealing.SealBroken("a grade for someone not graded")
                rows.append(Grade(campaign=campaign, gradee_id=int(pk), grade=GRADE_CODES[code], group=group))
    except (sealing.SealBroken, ImproperlyConfigured, KeyError, TypeError, ValueError, IndexError) as exc:
        raise ValidationError(_("密封的测评表无法打开（密钥缺失或测评表被改动）：请联系系统管理员。")) from exc
    rows.sort(key=lambda g: (g.gradee_id, g.group, g.grade))  # by content: the sheets and their order are gone
    _shuffle(rows)  # and then by chance
    Grade.objects.bulk_create(rows, batch_size=2000)
    SealedSheet.objects.filter(campaign=campaign).delete()
    campaign.seal_key = ""


# --------------------------------------------------------------------------------- proposal and decision


def _tallies(campaign: Campaign) -> dict[int, dict[str, int]]:

    return {pk: t.total for pk, t in tally(campaign).items()}


def _check_proposals(
    campaign: Campaign, graded: list[Participant], proposals: Mapping[int, tuple[str, str]]
) -> list[str]:
    problems = []
    tallies = _tallies(campaign)
    for participant in graded:
        grade, reason = proposals.get(participant.person_id, ("", ""))
        if grade not in rules.GRADES:
            problems.append(_("请为 %(name)s 选择等次。") % {"name": participant.person.name})
        elif rules.needs_reason(grade, tallies.get(participant.person_id, {})) and not reason.strip():
            problems.append(
                _("%(name)s 的等次与民主测评多数意见不一致，请填写理由。") % {"name": participant.person.name}
            )
    chosen = [proposals.get(p.person_id, ("", ""))[0] for p in graded]
    if all(grade in rules.GRADES for grade in chosen):
        problems += [v.message for v in rules.check_grades(chosen, share=excellent_share(campaign.organisation))]
    return problems


def _audited_grades(graded: list[Participant], *, proposed: bool) -> list[dict[str, str]]:
    """The grades as the audit log keeps them: one record per member, by name, the grade as its code (the log
    reads it by its label, ``plaza.audit.actions.FIELD_CHOICES``), not a dict keyed by person id that the log
    could only show as numbers."""
    return [
        {"person": p.person.name, "grade": p.proposed_grade, "reason": p.reason}
        if proposed
        else {"person": p.person.name, "grade": p.grade}
        for p in graded
    ]


def _graded(campaign: Campaign) -> list[Participant]:
    return list(
        Participant.objects.filter(campaign=campaign, role=Role.MEMBER)
        .select_related("person")
        .order_by("person__employee_no")
    )


@transaction.atomic
def propose_grades(actor: Any, campaign: Campaign, proposals: Mapping[int, tuple[str, str]]) -> int:
    """The branch committee proposes a grade (and, where needed, a reason) for every graded member, after the
    测评 closed: ``proposals`` maps person id → (grade, reason)."""
    campaign = _locked_campaign(campaign)
    _require(actor, campaign)
    if campaign.state != State.CLOSED:
        raise ValidationError(
            _("测评结束后、评定之前才能提出建议等次。")
            if campaign.state != State.DECIDED
            else _("评议结果已确定，不能再修改。")
        )
    graded = _graded(campaign)
    proposals = {int(k): (v[0], v[1]) for k, v in proposals.items()}
    if set(proposals) - {p.person_id for p in graded}:
        raise ValidationError(_("只能为参加评定的正式党员提出等次。"))
    problems = _check_proposals(campaign, graded, proposals)
    if problems:
        raise ValidationError(problems)
    before = _audited_grades(graded, proposed=True)
    for participant in graded:
        participant.proposed_grade, reason = proposals[participant.person_id]
        participant.reason = reason.strip()
    Participant.objects.bulk_update(graded, ["proposed_grade", "reason"])
    record(
        actor,
        actions.EVALUATION_PROPOSE,
        campaign,
        before={"proposals": before},
        after={"proposals": _audited_grades(graded, proposed=True)},
    )
    return len(graded)


@transaction.atomic
def decide(actor: Any, campaign: Campaign, proposals: Mapping[int, tuple[str, str]] | None = None) -> Campaign:
    """The branch decides the grades (as proposed, after ``proposals`` if given): they become final and the
    campaign is locked. Each member graded 不合格 gets a follow-up, on the branch secretary's to-do list."""
    if proposals is not None:
        propose_grades(actor, campaign, proposals)
    campaign = _locked_campaign(campaign)
    _require(actor, campaign)
    if campaign.state != State.CLOSED:
        raise ValidationError(
            _("评议结果已确定，不能再修改。") if campaign.state == State.DECIDED else _("测评结束后才能评定等次。")
        )
    graded = _graded(campaign)
    problems = _check_proposals(campaign, graded, {p.person_id: (p.proposed_grade, p.reason) for p in graded})
    if problems:
        raise ValidationError(problems)
    today = clock.today()
    for participant in graded:
        participant.grade = participant.proposed_grade
    Participant.objects.bulk_update(graded, ["grade"])
    campaign.state, campaign.decided_by, campaign.decided_on = State.DECIDED, actor, today
    campaign.save(update_fields=["state", "decided_by", "decided_on"])
    record(
        actor,
        actions.EVALUATION_DECIDE,
        campaign,
        before={"state": State.CLOSED},
        after={"state": State.DECIDED, "grades": _audited_grades(graded, proposed=False)},
    )
    assignees = secretaries(campaign.organisation) or [actor]
    for participant in graded:
        if participant.grade != "unqualified":
            continue
        follow_up = FollowUp.objects.create(campaign=campaign, person=participant.person, opened_on=today)
        for assignee in assignees:
            notify.add_task(
                assignee,
                _("不合格党员教育帮助和处置：%(name)s") % {"name": participant.person.name},
                url=reverse("evaluation:follow_up", args=[follow_up.pk]),
                source_type=FOLLOW_UP_TASK,
                source_id=str(follow_up.pk),
            )
        record(actor, actions.EVALUATION_FOLLOW_UP, follow_up, after={"person": participant.person_id})
    people = list(
        Person.objects.filter(evaluation_participations__campaign=campaign, evaluation_participations__role=Role.MEMBER)
    )
    notify.notify(
        people,
        kind="evaluation",
        url=_url(campaign),
        title=_("%(title)s结果已确定，请查看本人评定等次。") % {"title": campaign.title},
    )
    return campaign


# ------------------------------------------------------------------------------------------- follow-up


@transaction.atomic
def add_follow_up_step(
    actor: Any, follow_up: FollowUp, *, kind: str, done_on: date, note: str, outcome: str = ""
) -> FollowUpStep:
    """Record 教育帮助 (one or more talks) and then the 处置 with its outcome, which closes the follow-up."""
    follow_up = FollowUp.objects.select_for_update().select_related("campaign__organisation").get(pk=follow_up.pk)
    _require(actor, follow_up.campaign)
    if follow_up.closed_on is not None:
        raise ValidationError(_("已经处置完毕。"))
    if kind not in StepKind.values:
        raise ValidationError(_("请选择教育帮助或处置。"))
    if done_on > clock.today() or done_on < follow_up.opened_on:
        raise ValidationError(_("日期应在评定之后、今天之前。"))
    if len(note.strip()) < 5:
        raise ValidationError(_("请写明情况，不少于 5 个字。"))
    if kind == StepKind.DISPOSAL:
        if not follow_up.steps.filter(kind=StepKind.EDUCATION).exists():
            raise ValidationError(_("请先进行教育帮助，再作处置。"))
        if not outcome.strip():
            raise ValidationError(_("请填写处置结果。"))
    step = FollowUpStep.objects.create(
        follow_up=follow_up,
        kind=kind,
        done_on=done_on,
        note=note.strip(),
        outcome=outcome.strip() if kind == StepKind.DISPOSAL else "",
        recorded_by=actor,
    )
    if kind == StepKind.DISPOSAL:
        follow_up.closed_on = done_on
        follow_up.save(update_fields=["closed_on"])
        notify.complete_tasks_for(FOLLOW_UP_TASK, str(follow_up.pk))
    record(
        actor,
        actions.EVALUATION_FOLLOW_UP_STEP,
        follow_up,
        after={"kind": kind, "done_on": done_on, "note": step.note, "outcome": step.outcome},
    )
    return step
