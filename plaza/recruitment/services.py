"""Recording the 25 steps. Every write checks ``plaza.rules.recruitment`` first and says why it refuses.

Who records what: the person hands in the application (1) and the conversion application (22) — or an
officer does it for them; the upper committee (组织部 staff) does 备案, 预审, the talk, 审批 and archiving
(4, 8, 13, 16, 17, 18, 24, 25); the branch officers do the rest. Committee staff may record a step the rules
refuse, with a written reason: the override is kept on the record and in the audit log.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from plaza.accounts.models import Person, PoliticalStatus
from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock, dates, rulewords
from plaza.localrules import services as local_rules
from plaza.notify import services as notify
from plaza.notify.models import Task
from plaza.orgs import services as org_services
from plaza.orgs.models import Level, Membership, Organisation, Position, Title, Tree
from plaza.orgs.permissions import Cap, Scope
from plaza.orgs.queries import party_branch_of, visible_people
from plaza.rules import meetings, recruitment
from plaza.rules.dates import add_months
from plaza.rules.recruitment import Step

from . import labels
from .models import OUTCOMES, RECOMMENDATIONS, Pipeline, PipelineStatus, RecruitmentPlan, StepRecord, ThoughtReport

COMMITTEE_STEPS = frozenset(
    {
        Step.ACTIVIST_FILED,
        Step.CANDIDATE_FILED,
        Step.PRE_REVIEW,
        Step.APPROVAL_TALK,
        Step.ADMISSION_APPROVAL,
        Step.ADMISSION_FILED,
        Step.CONVERSION_APPROVAL,
        Step.ARCHIVE,
    }
)
SELF_STEPS = frozenset({Step.APPLICATION, Step.CONVERSION_REQUEST})
VOTE_STEPS = recruitment.BRANCH_MEETING_STEPS
REPEATED_AFTER_EXTENSION = frozenset({Step.CONVERSION_REQUEST, Step.CONVERSION_VOTE})
STATUS_AFTER: dict[int, PoliticalStatus] = {  # looked up with a step's number (Step is an IntEnum)
    Step.ACTIVIST: PoliticalStatus.ACTIVIST,
    Step.CANDIDATE: PoliticalStatus.CANDIDATE,
    Step.ADMISSION_APPROVAL: PoliticalStatus.PROBATIONARY,
}
#: Steps at which a 发展对象 leaving the unit within 3 months is warned about (《细则》第十九条).
LEAVING_WARNING_STEPS = frozenset({Step.CANDIDATE, Step.COMMITTEE_REVIEW, Step.ADMISSION_VOTE, Step.ADMISSION_APPROVAL})
MIN_TRAINING_HOURS = recruitment.TRAINING_MIN_HOURS  # kept for callers; the rule lives in plaza.rules


def done_dates(pipeline: Pipeline, records: Iterable[StepRecord] | None = None) -> dict[int, date]:
    """{step: date} as the rules see it: after an extension only the current round of steps 22–23 counts.

    ``records``: the pipeline's step records when already loaded (a board prefetches them), else one query.
    """
    rows = (
        ((r.step, r.round, r.done_on) for r in records)
        if records is not None
        else pipeline.steps.values_list("step", "round", "done_on")
    )
    done: dict[int, date] = {}
    for step, round_, on in rows:
        if step in REPEATED_AFTER_EXTENSION and round_ != pipeline.round:
            continue
        done[step] = on
    return done


def responsible_for(step: int) -> str:
    if step in COMMITTEE_STEPS:
        return "committee"
    if step in SELF_STEPS:
        return "person"
    return "branch"


def _require_recorder(actor: Any, pipeline: Pipeline, step: int) -> None:
    if step in COMMITTEE_STEPS:
        Scope.of(actor, Cap.RECRUIT_COMMITTEE).require(organisation=pipeline.branch)
    elif step in SELF_STEPS and getattr(actor, "pk", None) == pipeline.person_id:
        return
    else:
        Scope.of(actor, Cap.RECRUIT).require(organisation=pipeline.branch)


@transaction.atomic
def open_pipeline(
    actor: Any,
    person: Person,
    branch: Organisation,
    *,
    applied_on: date,
    note: str = "",
    today: date | None = None,
    document: Any = None,
) -> Pipeline:
    """Step 1: the application is handed in to a Party branch (by the person, or recorded by an officer)."""
    if branch.level not in (Level.BRANCH, Level.COMMITTEE, Level.GENERAL_BRANCH):
        raise ValidationError(_("入党申请应递交给党支部（或直属的党委、党总支）。"))
    if getattr(actor, "pk", None) != person.pk:
        Scope.of(actor, Cap.RECRUIT).require(organisation=branch)
    if person.political_status in PoliticalStatus.party_members():
        raise ValidationError(_("%(name)s 已经是党员。") % {"name": person.name})
    if Pipeline.objects.filter(person=person, status=PipelineStatus.ACTIVE).exists():
        raise ValidationError(_("%(name)s 已在发展程序中。") % {"name": person.name})
    try:
        with transaction.atomic():
            pipeline = Pipeline.objects.create(person=person, branch=branch)
    except IntegrityError as exc:  # the same application sent twice at once
        raise ValidationError(_("%(name)s 已在发展程序中。") % {"name": person.name}) from exc
    record(actor, actions.RECRUITMENT_OPEN, pipeline, after={"branch": branch.name, "applied_on": applied_on})
    record_step(actor, pipeline, 1, applied_on, note=note, today=today, document=document)
    return pipeline


#: Where an application may be handed in (open_pipeline checks the same levels).
APPLICATION_LEVELS = (Level.BRANCH, Level.GENERAL_BRANCH, Level.COMMITTEE)


def own_branch_for_application(person: Person) -> Organisation | None:
    """The Party branch a person already belongs to (an activist's, say): the branch of their Party group, or
    their branch itself. None for most applicants, who are in no Party organisation yet."""

    organisation = party_branch_of(person)
    if organisation is not None and organisation.level == Level.GROUP:
        return Organisation.objects.get_parent(organisation)
    return organisation


def branches_for_application() -> QuerySet[Organisation]:
    """The Party branches anyone may hand an application to (an employee outside the Party chooses one)."""
    return Organisation.objects.filter(tree=Tree.PARTY, level=Level.BRANCH, is_active=True).order_by("path")


def workplace_branch(person: Person) -> Organisation | None:
    """The Party branch of the applicant's workplace: the branch most Party members of their department
    (``Person.department``) belong to — their group's branch for those in a Party group. None when the
    department is unknown or has no Party members. Why the workplace: the application is handed in to the Party
    organisation where one works (《中国共产党发展党员工作细则》第五条, Plaza's reading; rules.md step 1)."""
    department = (person.department or "").strip()
    if not department:
        return None
    counts: dict[str, int] = {}  # branch path → Party members of the department in it
    memberships = (
        Membership.objects.current()
        .filter(tree=Tree.PARTY, person__department=department, person__is_active=True)
        .exclude(person=person)
        .values_list("organisation__path", "organisation__level")
    )
    for path, level in memberships:
        branch_path = path[: -Organisation.steplen] if level == Level.GROUP else path
        counts[branch_path] = counts.get(branch_path, 0) + 1
    for path in sorted(counts, key=lambda p: (-counts[p], p)):
        found = branches_for_application().filter(path=path).first()
        if found is not None:
            return found
    return None


def branch_for_application(person: Person) -> Organisation | None:
    """Where the person's application goes by default: their own Party branch, else their workplace's."""
    return own_branch_for_application(person) or workplace_branch(person)


@transaction.atomic
def apply(person: Person, branch: Organisation | None, *, letter: str = "", document: Any = None) -> Pipeline:
    """The person hands in their application (step 1) to ``branch`` themselves: to their own Party branch when
    they have one, otherwise to the branch they chose (by default their workplace's). The branch's secretary and
    organisation member get the to-do for the talk (step 2, within a month) and a message now."""
    own = own_branch_for_application(person)
    if own is not None and branch is not None and branch.pk != own.pk:
        raise ValidationError(_("您已编入%(branch)s，入党申请书应递交本支部。") % {"branch": own.name})
    branch = own or branch
    if branch is None:
        raise ValidationError(_("请选择要递交入党申请书的党支部。"))
    if branch.tree != Tree.PARTY or not branch.is_active:
        raise ValidationError(_("请选择一个有效的党支部。"))
    pipeline = open_pipeline(person, person, branch, applied_on=clock.today(), note=letter, document=document)
    officers = officers_for(pipeline, 2)
    notify.notify(
        officers,
        kind="recruitment",
        title=_("收到入党申请书：%(name)s（%(branch)s）") % {"name": person.name, "branch": branch.name},
        body=_("请在一个月内派人同入党申请人谈话。"),
        url=reverse("recruitment:detail", args=[pipeline.pk]),
    )
    return pipeline


def may_apply(person: Any) -> bool:
    return (
        getattr(person, "is_authenticated", False)
        and person.political_status not in PoliticalStatus.party_members()
        and not Pipeline.objects.filter(person=person, status=PipelineStatus.ACTIVE).exists()
    )


@transaction.atomic
def may_extend_approval(actor: Any, pipeline: Pipeline) -> bool:
    """Whether the page offers extending the approval period (step 17): committee staff over the branch, the
    approval next and not extended before (``extend_approval`` checks the dates and the reason)."""
    return (
        Scope.of(actor, Cap.RECRUIT_COMMITTEE).covers(pipeline.branch)
        and Step.ADMISSION_APPROVAL in next_steps(pipeline)
        and not pipeline.approval_extended_reason
    )


def may_set_leaving_date(actor: Any, pipeline: Pipeline) -> bool:
    """Whether the page offers recording the day a person leaves the unit: the branch, while the pipeline runs."""
    return pipeline.status == PipelineStatus.ACTIVE and Scope.of(actor, Cap.RECRUIT).covers(pipeline.branch)


def extend_approval(actor: Any, pipeline: Pipeline, reason: str) -> Pipeline:
    """Step 17 may take up to 6 months instead of 3, once, with a reason (《细则》)."""
    Scope.of(actor, Cap.RECRUIT_COMMITTEE).require(organisation=pipeline.branch)
    if pipeline.approval_extended_reason:
        raise ValidationError(_("审批期限只能延长一次。"))
    done = done_dates(pipeline)
    if Step.ADMISSION_VOTE not in done or Step.ADMISSION_APPROVAL in done:
        raise ValidationError(_("只有支部大会通过后、上级党委审批前可以延长审批期限。"))
    if len(reason.strip()) < 4:
        raise ValidationError(_("请写明延长审批期限的原因。"))
    pipeline.approval_extended_reason = reason.strip()[:255]
    pipeline.save(update_fields=["approval_extended_reason"])
    record(actor, actions.RECRUITMENT_EXTEND_APPROVAL, pipeline, reason=pipeline.approval_extended_reason)
    refresh_tasks(pipeline)
    return pipeline


@transaction.atomic
def set_leaving_date(actor: Any, pipeline: Pipeline, leaves_on: date | None) -> Pipeline:
    """The date a person is expected to leave the unit (调离、毕业), or None: the admission steps then warn."""
    Scope.of(actor, Cap.RECRUIT).require(organisation=pipeline.branch)
    pipeline = Pipeline.objects.select_for_update().get(pk=pipeline.pk)
    if pipeline.status != PipelineStatus.ACTIVE:
        raise ValidationError(_("该档案%(status)s，不能再修改。") % {"status": pipeline.get_status_display()})
    before = pipeline.leaves_on
    pipeline.leaves_on = leaves_on
    pipeline.save(update_fields=["leaves_on"])
    record(actor, actions.RECRUITMENT_LEAVING, pipeline, before={"leaves_on": before}, after={"leaves_on": leaves_on})
    return pipeline


def leaving_notice(pipeline: Pipeline, today: date) -> str:
    """The warning to show on a 发展对象's file when they leave within 3 months ("" otherwise)."""
    if (
        pipeline.status != PipelineStatus.ACTIVE
        or pipeline.leaves_on is None
        or pipeline.last_step >= Step.ADMISSION_APPROVAL
    ):
        return ""
    if pipeline.last_step < Step.ACTIVIST:
        return ""
    warning = recruitment.leaving_warning(today, pipeline.leaves_on)
    return labels.rule_message(warning.message) if warning else ""


@dataclass(frozen=True)
class Vote:
    """One applicant's vote at a branch general meeting (step 15 or 23)."""

    pipeline: Pipeline
    yes: int
    outcome: str = ""
    extension_months: int = 0
    note: str = ""


@transaction.atomic
def record_branch_meeting(
    actor: Any,
    branch: Organisation,
    step: int,
    on: date,
    *,
    entitled: int,
    present: int,
    votes: Sequence[Vote],
    note: str = "",
    document: Any = None,
    today: date | None = None,
) -> list[StepRecord]:
    """One 支部大会 that discusses several applicants: each is discussed and voted on separately, one at a time
    (《细则》: 支部大会讨论两个以上的人入党时，必须逐个讨论和表决), so each vote is its own step record with
    its own yes count, all sharing the meeting's date, head-counts, minutes and document.

    All or nothing: if any vote cannot be recorded, none is, and the ValidationError's ``message_dict`` says
    why per pipeline id — the secretary corrects or leaves that person out and sends the meeting again.
    """
    if step not in VOTE_STEPS:
        raise ValueError(f"step {step} is not a branch general meeting")
    Scope.of(actor, Cap.RECRUIT).require(organisation=branch)
    if not votes:
        raise ValidationError(_("请至少选择一名讨论对象。"))
    errors: dict[str, list[str]] = {}
    entries: list[StepRecord] = []
    stored_document: Any = document
    for order, vote in enumerate(votes, start=1):
        if vote.pipeline.branch_id != branch.pk:
            errors[str(vote.pipeline.pk)] = [_("%(name)s 不在本支部。") % {"name": vote.pipeline.person.name}]
            continue
        meeting = {"order": order, "of": len(votes), "minutes": note[:2000]}
        try:
            with transaction.atomic():
                entry = record_step(
                    actor,
                    vote.pipeline,
                    step,
                    on,
                    entitled=entitled,
                    present=present,
                    yes=vote.yes,
                    outcome=vote.outcome,
                    extension_months=vote.extension_months,
                    note=vote.note or note,
                    today=today,
                    document=stored_document,
                    details={"meeting": meeting},
                )
        except (ValidationError, PermissionDenied) as exc:
            errors[str(vote.pipeline.pk)] = list(getattr(exc, "messages", [str(exc)]))
            continue
        entries.append(entry)
        if entry.document:
            stored_document = entry.document.name  # one copy of the minutes, shared by every vote
    if errors:
        raise ValidationError(errors)
    record(
        actor,
        actions.RECRUITMENT_BRANCH_MEETING,
        branch,
        after={
            "step": step,
            "on": on,
            "entitled": entitled,
            "present": present,
            "votes": [{"pipeline": v.pipeline.pk, "yes": v.yes, "outcome": v.outcome} for v in votes],
        },
    )
    return entries


def waiting_for_meeting(branch: Organisation, step: int, *, today: date | None = None) -> list[Pipeline]:
    """The branch's people whose next step is this general meeting (15: admission, 23: conversion) and may be
    taken today: a probationary member whose probation has not ended is not offered for conversion (the vote
    would be refused until that day; like the to-do list, the board offers only what can be done)."""
    today = today or clock.today()
    pipelines = Pipeline.objects.filter(branch=branch, status=PipelineStatus.ACTIVE).select_related("person")
    wanted = Step.MEMBERSHIP_FORM if step == Step.ADMISSION_VOTE else Step.CONVERSION_REQUEST
    return [
        p
        for p in pipelines.filter(last_step__gte=wanted).order_by("person__employee_no")
        if step in ready_steps(p, done_dates(p), today)
    ]


@transaction.atomic
def record_step(
    actor: Any,
    pipeline: Pipeline,
    step: int,
    on: date,
    *,
    people: Sequence[Person] = (),
    note: str = "",
    entitled: int | None = None,
    present: int | None = None,
    yes: int | None = None,
    outcome: str = "",
    extension_months: int = 0,
    hours: int | None = None,
    days: int | None = None,
    override_reason: str = "",
    today: date | None = None,
    document: Any = None,
    details: Mapping[str, Any] | None = None,
) -> StepRecord:
    """Record ``step`` done on ``on``. ValidationError lists every reason it may not be recorded yet."""
    pipeline = Pipeline.objects.select_for_update().select_related("person", "branch").get(pk=pipeline.pk)
    recruitment.step(step)  # ValueError for an unknown step
    _require_recorder(actor, pipeline, step)
    if pipeline.status != PipelineStatus.ACTIVE:
        raise ValidationError(_("该档案%(status)s，不能再修改。") % {"status": pipeline.get_status_display()})
    today = today or clock.today()
    problems: list[str] = []
    if on > today:
        problems.append(_("日期不能晚于今天（%(d)s）。") % {"d": dates.day(today)})
    done = done_dates(pipeline)
    birth = birth_date_of(pipeline)
    violations = recruitment.check(
        step,
        on,
        done,
        birth,
        extended_months=pipeline.probation_extension_months,
        political_review_years=review_years(pipeline.branch, on=on),
    )
    blocking = [v for v in violations if v.code == "recorded"]  # recorded already: never overridable
    problems += [labels.rule_message(v.message) for v in blocking]
    rule_problems = [labels.rule_message(v.message) for v in violations if v not in blocking]
    problems += _step_data_problems(
        step, people, hours, days, entitled, present, yes, outcome, extension_months, pipeline
    )
    clean_details, detail_problems = _clean_details(step, on, done, details or {})
    if step == Step.TRAINING and days:
        clean_details["training_days"] = int(days)
    problems += detail_problems
    if problems:  # every reason at once: what is missing from the form and what the rules say
        raise ValidationError(problems + rule_problems)
    if rule_problems:
        if not override_reason.strip():
            raise ValidationError(rule_problems)
        if not Scope.of(actor, Cap.RECRUIT_COMMITTEE).covers(pipeline.branch):
            raise PermissionDenied(_("只有上级党委组织部门可以越过规则记录，并须写明理由。"))
    round_ = pipeline.round if step in REPEATED_AFTER_EXTENSION else 1
    leaving = recruitment.leaving_warning(on, pipeline.leaves_on) if step in LEAVING_WARNING_STEPS else None
    try:
        with transaction.atomic():
            entry = StepRecord.objects.create(
                pipeline=pipeline,
                step=step,
                round=round_,
                done_on=on,
                note=note,
                entitled=entitled,
                present=present,
                yes=yes,
                outcome=outcome,
                hours=hours,
                override_reason=override_reason.strip() if rule_problems else "",
                recorded_by=actor,
                document=document or "",
                details=clean_details,
                warnings=[leaving.message] if leaving else [],
            )
    except IntegrityError as exc:  # recorded at the same moment by someone else
        raise ValidationError(_("第%(n)s步已经记录。") % {"n": step}) from exc
    entry.people.set(people)
    if step > pipeline.last_step:
        pipeline.last_step = step
        pipeline.save(update_fields=["last_step"])
    after = {"step": step, "on": on, "round": round_, "people": [p.pk for p in people], "outcome": outcome}
    record(actor, actions.RECRUITMENT_STEP, pipeline, after=after)
    if rule_problems:
        record(
            actor,
            actions.RECRUITMENT_OVERRIDE,
            pipeline,
            after={"step": step, "rules": rule_problems},
            reason=override_reason.strip(),
        )
    _apply_consequences(actor, pipeline, step, on, outcome, extension_months)
    refresh_tasks(pipeline, today=today)
    return entry


def _clean_details(
    step: int, on: date, done: Mapping[int, date], details: Mapping[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """Step 3 keeps how the person was recommended and the branch committee's decision, as data.

    ``details`` for step 3: ``recommendation`` (a list of RECOMMENDATIONS keys), ``recommended_on`` (a date,
    between the application and the decision) and ``decision`` (the branch committee's opinion). The
    recommending party members, if named, are the step's ``people``. Other steps keep what they are given
    under ``meeting`` (the branch meeting's order of voting) only.
    """
    problems: list[str] = []
    if step != Step.ACTIVIST:
        meeting = details.get("meeting")
        return ({"meeting": dict(meeting)} if isinstance(meeting, Mapping) else {}), problems
    methods = [m for m in details.get("recommendation") or [] if m in RECOMMENDATIONS]
    if not methods:
        problems.append(_("请选择推荐方式：党员推荐或群团组织推优（工会、共青团）。"))
    recommended_on = details.get("recommended_on")
    if isinstance(recommended_on, str):
        try:
            recommended_on = date.fromisoformat(recommended_on)
        except ValueError:
            recommended_on = None
    if not isinstance(recommended_on, date):
        problems.append(_("请填写推荐日期。"))
    elif recommended_on > on or (Step.APPLICATION in done and recommended_on < done[Step.APPLICATION]):
        problems.append(
            _("推荐日期应在递交入党申请书之后、支部委员会研究确定之前（%(from)s 至 %(to)s）。")
            % {
                "from": dates.day(done[Step.APPLICATION]) if Step.APPLICATION in done else "—",
                "to": dates.day(on),
            }
        )
    decision = str(details.get("decision") or "").strip()
    if len(decision) < 4:
        problems.append(_("请填写支部委员会的研究意见。"))
    clean = {
        "recommendation": methods,
        "decision": decision[:1000],
        "recommended_on": recommended_on.isoformat() if isinstance(recommended_on, date) else None,
    }
    return clean, problems


def _step_data_problems(
    step: int,
    people: Sequence[Person],
    hours: int | None,
    days: int | None,
    entitled: int | None,
    present: int | None,
    yes: int | None,
    outcome: str,
    extension_months: int,
    pipeline: Pipeline,
) -> list[str]:
    problems: list[str] = []
    full = [p for p in people if p.political_status == PoliticalStatus.FULL_MEMBER]
    if step == Step.CONTACTS and not 1 <= len(people) <= 2:
        problems.append(_("培养联系人应为一至二名正式党员。"))
    if step == Step.SPONSORS and len(people) != 2:
        problems.append(_("入党介绍人应为两名正式党员。"))
    if step in (Step.CONTACTS, Step.SPONSORS) and len(full) != len(people):
        names = "、".join(p.name for p in people if p not in full)
        problems.append(_("%(names)s 不是正式党员，不能担任。") % {"names": names})
    if step == Step.ACTIVIST and any(p.political_status not in PoliticalStatus.party_members() for p in people):
        problems.append(_("推荐人应为党员。"))
    if step in (Step.CONTACTS, Step.SPONSORS) and any(p.pk == pipeline.person_id for p in people):
        problems.append(_("本人不能担任自己的培养联系人或入党介绍人。"))
    if step == Step.TRAINING and not recruitment.training_long_enough(hours=hours, days=days):
        problems.append(_("集中培训不少于三天或二十四个学时（《细则》）：请填写培训天数或学时。"))
    if step in VOTE_STEPS:
        if entitled is None or present is None or yes is None:
            problems.append(_("请填写应到会、实到会和赞成人数（含书面意见）。"))
        else:
            try:
                resolution = meetings.branch_resolution(entitled=entitled, present=present, yes=yes)
                recruitment.check_branch_vote(step, entitled=entitled, present=present, yes=yes)
            except ValueError:
                problems.append(_("人数不合理：实到会和赞成人数不能多于应到会人数。"))
            else:
                # Every step the branch meeting decides (admission, conversion, extension, cancellation) is
                # taken only on a resolution that passed: plaza.rules.recruitment.check_branch_vote.
                if not resolution.quorate:
                    problems.append(
                        _("到会有表决权的党员未超过半数，不能表决（%(rule)s）。")
                        % {"rule": rulewords.source(resolution.rule)}
                    )
                elif not resolution.passed:
                    problems.append(
                        _("赞成人数未超过应到会有表决权正式党员的半数，决议未通过，不能记录（%(rule)s）。")
                        % {"rule": rulewords.source(resolution.rule)}
                    )
    if step == Step.CONVERSION_VOTE:
        if outcome not in OUTCOMES:
            problems.append(_("请选择讨论结论：转为正式党员、延长预备期或取消预备党员资格。"))
        if outcome == "extend":
            if pipeline.probation_extension_months:
                problems.append(_("预备期只能延长一次（《细则》）。"))
            if not recruitment.EXTENSION_MIN_MONTHS <= extension_months <= recruitment.EXTENSION_MAX_MONTHS:
                problems.append(_("延长预备期不少于六个月，不超过一年。"))
    return problems


def _apply_consequences(
    actor: Any, pipeline: Pipeline, step: int, on: date, outcome: str, extension_months: int
) -> None:
    person = pipeline.person
    if step in (Step.CANDIDATE, Step.CONVERSION_REQUEST, Step.CONVERSION_VOTE):
        # What the dated reminders were waiting for has happened: reviews and the candidacy nudge end at
        # step 7, the conversion reminder at step 22, the "step 23 from the day probation ends" notice at step 23
        # (whatever its outcome: an extension's new round gets reminders of its own from refresh_tasks).
        # Pending ones are cancelled; sent ones stay as history.
        notify.cancel_reminders("recruitment", str(pipeline.pk))
    if step in STATUS_AFTER and person.political_status != STATUS_AFTER[step]:
        # probation counts from the branch meeting's admission (step 15)
        effective = done_dates(pipeline).get(Step.ADMISSION_VOTE, on) if step == Step.ADMISSION_APPROVAL else on
        org_services.record_status_change(
            actor, person, STATUS_AFTER[step], effective_on=effective, reason=recruitment.step(step).name
        )
    if step == Step.APPLICATION and person.political_status in (PoliticalStatus.MASSES, PoliticalStatus.LEAGUE_MEMBER):
        org_services.record_status_change(
            actor, person, PoliticalStatus.APPLICANT, effective_on=on, reason=Step.APPLICATION.label
        )
    if step == Step.CONVERSION_VOTE and outcome == "extend":
        pipeline.probation_extension_months = extension_months
        pipeline.round += 1
        pipeline.save(update_fields=["probation_extension_months", "round"])
    elif step == Step.CONVERSION_VOTE and outcome == "cancel":
        pipeline.status = PipelineStatus.CANCELLED
        pipeline.save(update_fields=["status"])
        org_services.record_status_change(
            actor, person, PoliticalStatus.MASSES, effective_on=on, reason=str(OUTCOMES["cancel"])
        )
    elif step == Step.CONVERSION_APPROVAL and person.political_status != PoliticalStatus.FULL_MEMBER:
        end = recruitment.probation_end(done_dates(pipeline), extended_months=pipeline.probation_extension_months)
        org_services.record_status_change(
            actor, person, PoliticalStatus.FULL_MEMBER, effective_on=end or on, reason=Step.CONVERSION_APPROVAL.label
        )
    elif step == Step.ARCHIVE:
        pipeline.status = PipelineStatus.ARCHIVED
        pipeline.archived_at = clock.now()
        pipeline.save(update_fields=["status", "archived_at"])


# ------------------------------------------------------------------------------------- triggers and to-dos


def officers_for(pipeline: Pipeline, step: int) -> list[Person]:
    """Who a step waits for: the person, the branch secretary and organisation member, or 组织部 staff."""
    kind = responsible_for(step)
    if kind == "person":
        return [pipeline.person]
    cache = _OFFICERS.get()
    if cache is not None and (pipeline.branch_id, kind) in cache:
        return cache[(pipeline.branch_id, kind)]
    found = _officers(pipeline, kind)
    if cache is not None:
        cache[(pipeline.branch_id, kind)] = found
    return found


#: During one run of the daily triggers, officers are looked up once per branch, not once per pipeline.
_OFFICERS: ContextVar[dict | None] = ContextVar("recruitment_officers", default=None)


def _officers(pipeline: Pipeline, kind: str) -> list[Person]:
    if kind == "branch":
        titles = [Title.SECRETARY, Title.ORGANISATION_MEMBER]
        positions = Position.objects.current().filter(organisation=pipeline.branch, title__in=titles)
    else:
        prefixes = Organisation.paths_above(pipeline.branch.path)
        positions = Position.objects.current().filter(organisation__path__in=prefixes, title=Title.ORG_DEPT_STAFF)
    return list(Person.objects.filter(pk__in=positions.values("person_id"), is_active=True))


def review_years(branch: Organisation, *, on: date | None = None) -> int:
    """How long a political review (step 10) stays valid for step 15: the branch's 本单位规定 in force on ``on``
    (the day of the branch meeting)."""
    return int(local_rules.value(branch, "recruitment.political_review_years", on=on))


def next_steps(pipeline: Pipeline) -> list[int]:
    """Steps whose prerequisites are all recorded and that are not recorded themselves (dates aside: see
    :func:`ready_steps` for what may be done today)."""
    done = done_dates(pipeline)
    return [s.number for s in recruitment.STEPS if s.number not in done and all(p in done for p in s.after)]


def birth_date_of(pipeline: Pipeline) -> date:
    """The birth date the rules check step 1 against (an unknown one never holds a step back)."""
    return pipeline.person.birth_date or date(1900, 1, 1)


def ready_steps(pipeline: Pipeline, done: Mapping[int, date], today: date) -> list[int]:
    """The next steps that may be recorded today (``plaza.rules.recruitment.ready_steps``): the only ones put on
    a to-do list. A step whose prerequisites are done but whose earliest day is still ahead (step 7 before a
    year of cultivation, step 23 before probation ends) would be a to-do
    nobody can close — the record page refuses it — so it waits (:func:`waiting_steps`)."""
    return recruitment.ready_steps(
        done, today, birth_date_of(pipeline), extended_months=pipeline.probation_extension_months
    )


def waiting_steps(pipeline: Pipeline, done: Mapping[int, date], today: date) -> dict[int, date]:
    """The next steps held back until a later day, with that day: announced by a dated reminder (近期提醒), put on
    the to-do list by the daily sweep (:func:`run_triggers`) on the day itself."""
    return recruitment.waiting_steps(
        done, today, birth_date_of(pipeline), extended_months=pipeline.probation_extension_months
    )


def task_key(pipeline: Pipeline, step: int) -> str:
    """The to-do source id of a step: steps 22–23 carry the round, so a repeated step is a new task."""
    return f"{pipeline.pk}:{step}:{pipeline.round if step in REPEATED_AFTER_EXTENSION else 1}"


def step_task_title(pipeline: Pipeline, step: int) -> str:
    return _("%(name)s：第%(n)s步「%(step)s」") % {
        "name": pipeline.person.name,
        "n": step,
        "step": recruitment.step(step).name,
    }


def overdue_task_title(pipeline: Pipeline, step: int) -> str:
    return _("逾期：%(name)s 第%(n)s步「%(step)s」（%(branch)s）") % {
        "name": pipeline.person.name,
        "n": step,
        "step": recruitment.step(step).name,
        "branch": pipeline.branch.name,
    }


def step_deadline(pipeline: Pipeline, step: int, done: dict[int, date]) -> date | None:
    return recruitment.latest(
        step,
        done,
        extended=bool(pipeline.approval_extended_reason),
        extended_months=pipeline.probation_extension_months,
    )


def refresh_tasks(pipeline: Pipeline, *, today: date | None = None) -> None:
    """Put each next step that may be done today on the to-do list of whoever it waits for; close the tasks of
    done steps.

    A next step whose earliest day is still ahead is not a to-do until that day (:func:`ready_steps`): a dated
    reminder says from when (:func:`dated_reminders`) and the daily sweep opens the to-do on the day. An open
    to-do for such a step (made before this rule, or before the dates it depends on were known) is withdrawn —
    deleted, not ticked off, since nobody did it.

    Also schedules the dated reminders the rules ask for (half-yearly reviews of activists, the conversion
    application a month before probation ends), each once, by a dedupe key.
    """
    today = today or clock.today()
    done = done_dates(pipeline)
    key = functools.partial(task_key, pipeline)
    closed = [key(step) for step in Step if step in done or pipeline.status != PipelineStatus.ACTIVE]
    Task.objects.filter(source_type="recruitment", source_id__in=closed, done_at__isnull=True).update(
        done_at=clock.now()
    )
    if pipeline.status != PipelineStatus.ACTIVE:
        return
    waiting = waiting_steps(pipeline, done, today)
    Task.objects.filter(
        source_type="recruitment", source_id__in=[key(step) for step in waiting], done_at__isnull=True
    ).delete()
    for step in ready_steps(pipeline, done, today):
        due, title = step_deadline(pipeline, step, done), step_task_title(pipeline, step)
        for person in officers_for(pipeline, step):
            notify.add_task(
                person,
                title,
                url=reverse("recruitment:detail", args=[pipeline.pk]),
                due_on=due,
                source_type="recruitment",
                source_id=key(step),
            )
    schedule_dated_reminders(pipeline, done, today)


def schedule_dated_reminders(pipeline: Pipeline, done: dict[int, date], today: date) -> None:
    branch_officers = [person.pk for person in officers_for(pipeline, Step.CULTIVATION)]
    for spec in dated_reminders(
        pipeline,
        done,
        today,
        branch_officers,
        responsible=lambda step: [person.pk for person in officers_for(pipeline, step)],
    ):
        notify.schedule_spec(spec)


def ready_on_title(pipeline: Pipeline, step: int, day: date) -> str:
    """The dated reminder of a next step held back until ``day``: it says from when the step can be done."""
    return _("%(name)s：第%(n)s步「%(step)s」%(day)s起可办理") % {
        "name": pipeline.person.name,
        "n": step,
        "step": recruitment.step(step).name,
        "day": dates.day(day),
    }


def dated_reminders(
    pipeline: Pipeline,
    done: dict[int, date],
    today: date,
    branch_officers: Sequence[int],
    *,
    responsible: Callable[[int], Sequence[int]] | None = None,
) -> list[notify.ReminderSpec]:
    """The dated reminders the rules ask for now: the half-yearly reviews of an activist (within the next
    six months), the nudge once candidacy becomes possible (a year after step 3), for a probationary
    member the conversion application a month before probation ends, and for every other next step whose
    earliest day is ahead (step 23 after the conversion application) a notice on that day that it can be
    done — the to-do list holds such a step back until then (:func:`ready_steps`), so this reminder is how
    the people it waits for learn from when. ``responsible(step)``: who does a step (ids; default the branch
    officers)."""
    tz = timezone.get_current_timezone()
    specs: list[notify.ReminderSpec] = []
    url = reverse("recruitment:detail", args=[pipeline.pk])
    if Step.ACTIVIST in done and Step.CANDIDATE not in done:
        for due in recruitment.review_reminders(done, add_months(today, 6)):
            if due >= today:
                specs.append(
                    notify.ReminderSpec(
                        subject_type="recruitment",
                        subject_id=str(pipeline.pk),
                        kind="reminder",
                        title=_("%(name)s：半年一次的培养考察") % {"name": pipeline.person.name},
                        url=url,
                        due_at=datetime.combine(due, time(9), tz),
                        deadline=due,
                        recipient_ids=tuple(branch_officers),
                        dedupe_key=f"recruitment:{pipeline.pk}:review:{due.isoformat()}",
                    )
                )
        # A nudge, not a demand: a year of cultivation is over, the branch may now consider candidacy (step 7).
        possible_on = add_months(done[Step.ACTIVIST], 12 * recruitment.CULTIVATION_YEARS)
        specs.append(
            notify.ReminderSpec(
                subject_type="recruitment",
                subject_id=str(pipeline.pk),
                kind="reminder",
                title=_("%(name)s 培养考察已满一年，可研究是否列为发展对象") % {"name": pipeline.person.name},
                url=url,
                due_at=datetime.combine(max(possible_on, today), time(9), tz),
                deadline=None,
                recipient_ids=tuple(branch_officers),
                dedupe_key=f"recruitment:{pipeline.pk}:candidacy",
            )
        )
    reminder_on = recruitment.conversion_reminder(done, extended_months=pipeline.probation_extension_months)
    if reminder_on and Step.CONVERSION_REQUEST not in done:
        specs.append(
            notify.ReminderSpec(
                subject_type="recruitment",
                subject_id=str(pipeline.pk),
                kind="reminder",
                title=_("预备期将满，请提出转正申请"),
                url=url,
                due_at=datetime.combine(max(reminder_on, today), time(9), tz),
                deadline=recruitment.probation_end(done, extended_months=pipeline.probation_extension_months),
                recipient_ids=(pipeline.person_id, *branch_officers),
                dedupe_key=f"recruitment:{pipeline.pk}:conversion:{pipeline.round}",
            )
        )
    # Every next step held back until a later day is announced for that day: steps 6 and 7 by the review and
    # candidacy reminders above (due on exactly that day), any other (step 23) by a notice of its own.
    announced = {(Step.CULTIVATION, spec.due_at.date()) for spec in specs if ":review:" in spec.dedupe_key}
    announced |= {(Step.CANDIDATE, spec.due_at.date()) for spec in specs if spec.dedupe_key.endswith(":candidacy")}
    for step, day in waiting_steps(pipeline, done, today).items():
        if (step, day) in announced:
            continue
        round_ = pipeline.round if step in REPEATED_AFTER_EXTENSION else 1
        specs.append(
            notify.ReminderSpec(
                subject_type="recruitment",
                subject_id=str(pipeline.pk),
                kind="reminder",
                title=ready_on_title(pipeline, step, day),
                url=url,
                due_at=datetime.combine(day, time(9), tz),
                deadline=step_deadline(pipeline, step, done),
                recipient_ids=tuple(responsible(step) if responsible else branch_officers),
                dedupe_key=f"recruitment:{pipeline.pk}:ready:{step}:{round_}:{day.isoformat()}",
            )
        )
    return specs


def people_from_numbers(actor: Any, numbers: Iterable[str]) -> list[Person]:
    """Resolve employee numbers typed by an officer, within what they may see; unknown ones are an error."""

    wanted = [n.strip() for n in numbers if n.strip()]
    found = {p.employee_no: p for p in visible_people(actor).filter(employee_no__in=wanted)}
    missing = [n for n in wanted if n not in found]
    if missing:
        raise ValidationError(_("在您的管理范围内找不到工号：%(n)s") % {"n": "、".join(missing)})
    return [found[n] for n in wanted]


def escalate_overdue(pipeline: Pipeline, today: date) -> list[int]:
    """Steps past their deadline go to the committee's to-do list too (once per step), with the deadline."""
    from .queries import overdue_steps  # reason: queries imports this module (done_dates)

    done = done_dates(pipeline)
    upcoming = ready_steps(pipeline, done, today)
    late = [n for n in overdue_steps(pipeline, done, today) if n in upcoming]
    for step in late:
        if responsible_for(step) == "committee":
            continue  # already on the committee's list
        due, title = step_deadline(pipeline, step, done), overdue_task_title(pipeline, step)
        for person in officers_for(pipeline, 17):  # the committee staff over this branch
            notify.add_task(
                person,
                title,
                url=reverse("recruitment:detail", args=[pipeline.pk]),
                due_on=due,
                source_type="recruitment",
                source_id=task_key(pipeline, step),
            )
    return late


def run_triggers(today: date | None = None) -> dict[str, int]:
    """The daily pass over every active pipeline: to-dos, dated reminders and escalations. Idempotent.

    Set-based (plaza/recruitment/sweep.py): the same outcome as calling ``refresh_tasks``, ``remind_reports``
    and ``escalate_overdue`` for each pipeline, in a handful of queries instead of dozens per pipeline.
    """
    from .sweep import sweep  # reason: the sweep is built on this module's functions

    return sweep(today or clock.today())


def run_triggers_one_by_one(today: date | None = None) -> dict[str, int]:
    """The per-pipeline pass: the reference the set-based sweep is tested against."""
    today = today or clock.today()
    counts = {"pipelines": 0, "overdue": 0}
    pipelines = Pipeline.objects.filter(status=PipelineStatus.ACTIVE).select_related("person", "branch")
    token = _OFFICERS.set({})
    try:
        for pipeline in pipelines.iterator(chunk_size=500):
            with transaction.atomic():
                refresh_tasks(pipeline, today=today)
                remind_reports(pipeline, today)
                counts["overdue"] += len(escalate_overdue(pipeline, today))
            counts["pipelines"] += 1
    finally:
        _OFFICERS.reset(token)
    return counts


REPORT_RULE = "recruitment.thought_report_months"


@dataclass(frozen=True)
class ReportPeriod:
    """The period a thought report (思想汇报) is due in: calendar periods of the branch's 本单位规定
    ``recruitment.thought_report_months`` (quarterly by default, rules.md §1), counted from January."""

    first: date
    last: date
    key: str  # in to-do source ids: "2026Q4" for quarters, "2026M07+2" for other lengths
    months: int

    @property
    def task_title(self) -> str:
        if self.months == 3:
            return _("提交本季度思想汇报")
        return _("提交本期思想汇报（%(first)s 至 %(last)s）") % {
            "first": dates.day(self.first),
            "last": dates.day(self.last),
        }


def report_interval_of(key: str) -> int:
    """The interval (months) a period key was made with: "2026Q4" → 3, "2026M07+2" → 2."""
    return 3 if "Q" in key else int(key.rsplit("+", 1)[1])


def close_superseded_report_tasks(months: Mapping[int, int]) -> int:
    """Thought-report to-dos made under another interval than the one now in force (``months``: pipeline id →
    interval) are closed: the duty is one — hand in a report for the current period — and the current period's
    to-do carries it. Those of the current interval stay until a report closes them (a missed period too).
    One pipeline: one query on its prefix; many (the sweep): one read of every open report to-do."""
    if not months:
        return 0
    tasks = Task.objects.filter(source_type="recruitment-report", done_at__isnull=True)
    if len(months) == 1:
        tasks = tasks.filter(source_id__startswith=f"{next(iter(months))}:")
    found = []
    for pk, source_id in tasks.values_list("pk", "source_id").iterator(chunk_size=20_000):
        pipeline_id, _sep, key = source_id.partition(":")
        if pipeline_id.isdigit() and int(pipeline_id) in months and report_interval_of(key) != months[int(pipeline_id)]:
            found.append(pk)
    return Task.objects.filter(pk__in=found).update(done_at=clock.now()) if found else 0


def report_period(day: date, months: int = recruitment.THOUGHT_REPORT_MONTHS) -> ReportPeriod:
    first = date(day.year, (day.month - 1) // months * months + 1, 1)
    last = add_months(first, months) - timedelta(days=1)
    key = f"{day.year}Q{(day.month - 1) // 3 + 1}" if months == 3 else f"{day.year}M{first.month:02d}+{months}"
    return ReportPeriod(first, last, key, months)


def report_months(branch: Organisation, *, on: date | None = None) -> int:
    """The branch's thought-report interval in force on ``on`` (default today)."""
    return int(local_rules.value(branch, REPORT_RULE, on=on))


@transaction.atomic
def submit_report(person: Person, pipeline: Pipeline, *, title: str, content: str, today: date | None = None) -> Any:
    """The person hands in a thought report; the branch officers get it on their to-do list to read."""

    if pipeline.person_id != person.pk:
        raise PermissionDenied(_("只能提交本人的思想汇报。"))
    if pipeline.status != PipelineStatus.ACTIVE:
        raise ValidationError(_("该档案%(status)s，不能再提交。") % {"status": pipeline.get_status_display()})
    if not title.strip() or len(content.strip()) < 20:
        raise ValidationError(_("请填写标题，内容不少于 20 个字。"))
    report = ThoughtReport.objects.create(
        pipeline=pipeline, submitted_on=today or clock.today(), title=title.strip()[:120], content=content.strip()
    )
    record(person, actions.RECRUITMENT_REPORT, pipeline, after={"title": report.title})
    # This period's to-do is done, and so is any earlier one still open: a late report is the one that was
    # missing, and a to-do that handing in a report cannot close would stay on the list for ever.
    Task.objects.filter(
        source_type="recruitment-report", source_id__startswith=f"{pipeline.pk}:", done_at__isnull=True
    ).update(done_at=clock.now())
    for officer in officers_for(pipeline, 6):
        title = _("阅读 %(name)s 的思想汇报：%(title)s") % {"name": person.name, "title": report.title}
        notify.add_task(
            officer,
            title,
            url=reverse("recruitment:detail", args=[pipeline.pk]),
            source_type="recruitment-read",
            source_id=str(report.pk),
        )
    return report


@transaction.atomic
def review_report(actor: Any, report: Any, *, comment: str) -> Any:
    Scope.of(actor, Cap.RECRUIT).require(organisation=report.pipeline.branch)
    report.comment, report.reviewed_by, report.reviewed_at = comment.strip(), actor, clock.now()
    report.save(update_fields=["comment", "reviewed_by", "reviewed_at"])
    notify.complete_tasks_for("recruitment-read", str(report.pk))
    record(actor, actions.RECRUITMENT_REPORT_REVIEW, report.pipeline, after={"report": report.pk})
    return report


def refresh_reports_under(organisation: Organisation, today: date) -> int:
    """After ``recruitment.thought_report_months`` changed for ``organisation``: each active pipeline in its
    subtree gets the current period's to-do under the new interval, and the old interval's to-do is closed."""
    pipelines = Pipeline.objects.filter(
        status=PipelineStatus.ACTIVE, branch__path__startswith=organisation.path
    ).select_related("person", "branch")
    count = 0
    for pipeline in pipelines:
        remind_reports(pipeline, today)
        count += 1
    return count


def remind_reports(pipeline: Pipeline, today: date) -> None:
    """Put "this period's thought report" on the person's to-do list until they hand it in."""
    if pipeline.status != PipelineStatus.ACTIVE or Step.ADMISSION_VOTE in done_dates(pipeline):
        return  # probationary members report through continuing education instead
    months = report_months(pipeline.branch, on=today)
    close_superseded_report_tasks({pipeline.pk: months})
    period = report_period(today, months)
    if pipeline.reports.filter(submitted_on__range=(period.first, period.last)).exists():
        return
    notify.add_task(
        pipeline.person,
        period.task_title,
        url=reverse("recruitment:report"),
        due_on=period.last,
        source_type="recruitment-report",
        source_id=f"{pipeline.pk}:{period.key}",
    )


@transaction.atomic
def set_plan(actor: Any, branch: Organisation, year: int, planned: int, note: str = "") -> Any:
    """The committee sets (or changes) a branch's plan for a year; every change is audited."""

    Scope.of(actor, Cap.RECRUIT_COMMITTEE).require(organisation=branch)
    if not 2000 <= year <= 2100 or not 0 <= planned <= 1000:
        raise ValidationError(_("年度或计划人数不合理。"))
    plan, created = RecruitmentPlan.objects.select_for_update().get_or_create(
        branch=branch, year=year, defaults={"planned": planned, "note": note}
    )
    before = None if created else {"planned": plan.planned, "note": plan.note}
    plan.planned, plan.note = planned, note
    plan.save()
    record(actor, actions.RECRUITMENT_PLAN, plan, before=before, after={"planned": planned, "note": note})
    return plan


# ------------------------------------------------------------------------------------------ reminders (issue 14)

#: Who looks after a person in the procedure: the 培养联系人 (step 5) and, from step 9, the 入党介绍人.
MENTOR_STEPS = (Step.CONTACTS, Step.SPONSORS)


def mentors_of(pipelines: Sequence[Pipeline]) -> dict[int, list[Person]]:
    """Each pipeline's 培养联系人 and 入党介绍人 still active, by pipeline id (one query)."""
    found: dict[int, list[Person]] = {p.pk: [] for p in pipelines}
    through = StepRecord.people.through
    rows = (
        through.objects.filter(
            steprecord__pipeline__in=[p.pk for p in pipelines],
            steprecord__step__in=MENTOR_STEPS,
            person__is_active=True,
        )
        .select_related("person", "steprecord")
        .order_by("steprecord__step", "person__employee_no")
    )
    for row in rows:
        people = found[row.steprecord.pipeline_id]
        if row.person not in people:
            people.append(row.person)
    return found


def mentor_refusals(actor: Any, rows: Sequence[Any], mentors: Mapping[int, Sequence[Person]]) -> dict[int, str]:
    """Why a row of the staff list (``queries.ListRow``: the pipeline and its next step) cannot have its mentors
    reminded, by pipeline id: outside the actor's keeping, no longer in the procedure, no step to come, or no
    培养联系人 / 入党介绍人 yet. The confirmation page and :func:`remind_mentors` both ask this."""
    scope = Scope.of(actor, Cap.RECRUIT)
    refusals: dict[int, str] = {}
    for row in rows:
        pipeline = row.pipeline
        if not scope.covers(pipeline.branch):
            refusals[pipeline.pk] = _("不在您管理的范围内。")
        elif pipeline.status != PipelineStatus.ACTIVE:
            refusals[pipeline.pk] = _("已不在发展程序中。")
        elif row.next_step is None:
            refusals[pipeline.pk] = _("没有待办理的步骤，无需提醒。")
        elif not mentors.get(pipeline.pk):
            refusals[pipeline.pk] = _("尚未确定培养联系人（第5步）或入党介绍人（第9步），无人可提醒。")
    return refusals


def remind_mentors(actor: Any, rows: Sequence[Any], today: date) -> tuple[list[Pipeline], dict[int, str]]:
    """The staff list's bulk action: each person's 培养联系人 and 入党介绍人 are told which step comes next and by
    when (the deadline of ``plaza.rules.recruitment.latest``), so they follow the person up. Each pipeline is
    audited; one refused (:func:`mentor_refusals`) tells nobody. Returns the pipelines whose mentors were told
    and the refusals by pipeline id."""
    mentors = mentors_of([row.pipeline for row in rows])
    refusals = mentor_refusals(actor, rows, mentors)
    done: list[Pipeline] = []
    with transaction.atomic():
        for row in rows:
            pipeline = row.pipeline
            if pipeline.pk in refusals:
                continue
            step = labels.step_name(row.next_step)
            if row.due is None:
                body = _("下一步：第%(n)s步「%(step)s」。") % {"n": row.next_step, "step": step}
            elif row.due < today:
                body = _("下一步：第%(n)s步「%(step)s」，已超过期限（%(due)s）。") % {
                    "n": row.next_step,
                    "step": step,
                    "due": dates.day(row.due),
                }
            else:
                body = _("下一步：第%(n)s步「%(step)s」，期限 %(due)s。") % {
                    "n": row.next_step,
                    "step": step,
                    "due": dates.day(row.due),
                }
            title = _("请关心 %(name)s 的入党培养（%(branch)s）") % {
                "name": pipeline.person.name,
                "branch": pipeline.branch.name,
            }
            people = mentors[pipeline.pk]
            notify.notify(people, kind="general", title=title, body=body)
            after = {"step": row.next_step, "due": row.due, "recipients": [p.pk for p in people]}
            record(actor, actions.RECRUITMENT_REMIND, pipeline, after=after)
            done.append(pipeline)
    return done, refusals
