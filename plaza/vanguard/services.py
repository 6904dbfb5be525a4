"""Every write of 支部先锋行动: starting a project (the secretary of a branch, ``Cap.VANGUARD``, alone or with
partner branches), its targets, members, milestones and risks, progress with photos, documents, closing with
results against the targets, the committee's review (``Cap.VANGUARD_REVIEW``) and the recognition that follows
(points through the ledger, honours in the studios' registry); and 党员先锋岗 / 责任区 with yearly reviews.

Each write is permission-checked here, says why it refuses in Chinese and is audited. What a page offers is
asked of the ``may_…`` predicates beside the service that would refuse.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock, dates
from plaza.lib.images import clean_picture
from plaza.localrules import services as localrules
from plaza.notify import services as notify
from plaza.notify.models import Task
from plaza.orgs.models import Level, Membership, Organisation, Position, Title, Tree
from plaza.orgs.permissions import Cap, Scope
from plaza.points import services as points
from plaza.rules import vanguard as rules
from plaza.studios import services as studios

from .models import (
    Document,
    Grade,
    Member,
    Milestone,
    Photo,
    Post,
    PostKind,
    PostRating,
    PostReview,
    Progress,
    Project,
    Risk,
    RiskLevel,
    Role,
    Status,
    Target,
)

MILESTONE_SOURCE = "vanguard.milestone"
REVIEW_SOURCE = "vanguard.review"
POST_REVIEW_SOURCE = "vanguard.post_review"
#: The points activity of the ledger (registered in apps.py) that project recognition is booked under.
POINTS_ACTIVITY = "vanguard"
MAX_PHOTOS = 6
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_POINTS = 200
BRANCH_LEVELS = (Level.BRANCH, Level.GENERAL_BRANCH)


# ------------------------------------------------------------------------------------------ who may do what


def _partner_ids(project: Project) -> list[int]:
    cache = project.__dict__.get("_vanguard_partners")
    if cache is None:
        cache = project.__dict__["_vanguard_partners"] = list(project.partners.all())
    return [p.pk for p in cache]


def owning_branches(project: Project) -> list[Organisation]:
    """The lead branch and every partner branch, the lead first."""
    _partner_ids(project)
    return [project.branch, *project.__dict__["_vanguard_partners"]]


def may_manage(person: Any, project: Project) -> bool:
    """The project's lead, or a holder of ``Cap.VANGUARD`` over one of its branches (its secretary)."""
    if not getattr(person, "is_authenticated", False):
        return False
    if project.lead_id == person.pk:
        return True
    scope = Scope.of(person, Cap.VANGUARD)
    return any(scope.covers(branch) for branch in owning_branches(project))


def is_member(person: Any, project: Project) -> bool:
    return bool(getattr(person, "is_authenticated", False)) and project.members.filter(person=person).exists()


def may_log_progress(person: Any, project: Project) -> bool:
    """Members and managers log progress while the project is under way."""
    return project.status == Status.ACTIVE and (is_member(person, project) or may_manage(person, project))


def may_edit(person: Any, project: Project) -> bool:
    """Targets, members, milestones and risks change while the project is under way, by its managers."""
    return project.status == Status.ACTIVE and may_manage(person, project)


def may_submit(person: Any, project: Project) -> bool:
    return project.status == Status.ACTIVE and may_manage(person, project)


def may_review(person: Any, project: Project) -> bool:
    """The committee's 组织部 reviews a submitted project (``Cap.VANGUARD_REVIEW`` over its lead branch)."""
    return project.status == Status.SUBMITTED and Scope.of(person, Cap.VANGUARD_REVIEW).covers(project.branch)


def may_complete(person: Any, milestone: Milestone) -> bool:
    project = milestone.project
    return (
        milestone.done_on is None
        and project.status == Status.ACTIVE
        and (milestone.owner_id == getattr(person, "pk", None) or may_manage(person, project))
    )


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _url(project: Project) -> str:
    return reverse("vanguard:project", args=[project.pk])


def _people_under(paths: Iterable[str]) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(organisation__path__startswith=path)
    return q


def belongs(person: Any, branches: Sequence[Organisation]) -> bool:
    """A current Party membership under one of the branches."""
    return (
        Membership.objects.current()
        .filter(_people_under(b.path for b in branches), person=person, tree=Tree.PARTY)
        .exists()
    )


# ------------------------------------------------------------------------------------------ projects


@dataclass(frozen=True)
class ProjectData:
    title: str
    kind: str
    theme: str
    goal: str
    starts_on: date
    ends_on: date


def _check_project(data: ProjectData) -> None:
    problems = []
    if len(data.title.strip()) < 4:
        problems.append(_("请填写项目名称（至少 4 个字）。"))
    if len(data.goal.strip()) < 10:
        problems.append(_("请写明项目目标（至少 10 个字）。"))
    if data.ends_on < data.starts_on:
        problems.append(_("计划完成日期不能早于开始日期。"))
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def start_project(
    actor: Any,
    branch: Organisation,
    data: ProjectData,
    *,
    lead: Any,
    partners: Sequence[Organisation] = (),
) -> Project:
    """A branch starts a project (its secretary: ``Cap.VANGUARD`` over the branch), optionally with partner
    branches; the lead must be a Party member of one of them and becomes the project's 负责人."""
    Scope.of(actor, Cap.VANGUARD).require(organisation=branch)
    _check_project(data)
    partners = [p for p in partners if p.pk != branch.pk]
    if any(o.level not in BRANCH_LEVELS for o in [branch, *partners]):
        raise ValidationError(_("先锋行动项目由党支部（或党总支）承担，请选择党支部。"))
    if not belongs(lead, [branch, *partners]):
        raise ValidationError(_("项目负责人须是本支部或合作支部的党员。"))
    project = Project.objects.create(
        branch=branch,
        lead=lead,
        created_by=actor,
        title=data.title.strip(),
        kind=data.kind,
        theme=data.theme,
        goal=data.goal.strip(),
        starts_on=data.starts_on,
        ends_on=data.ends_on,
    )
    project.partners.set(partners)
    Member.objects.create(project=project, person=lead, role=Role.LEAD, duty=_("项目总负责"))
    record(
        actor,
        actions.VANGUARD_PROJECT_CREATE,
        project,
        after={
            "title": project.title,
            "branch": branch.name,
            "partners": [p.name for p in partners],
            "lead": lead.name,
            "theme": project.get_theme_display(),
        },
    )
    if lead.pk != actor.pk:
        notify.notify(
            [lead],
            kind="vanguard",
            url=_url(project),
            title=_("您被确定为支部先锋行动项目“%(t)s”的负责人") % {"t": project.title},
        )
    return project


def _locked(project: Project) -> Project:
    return Project.objects.select_for_update().select_related("branch").get(pk=project.pk)


@transaction.atomic
def add_target(actor: Any, project: Project, *, name: str, unit: str, target_value: Decimal) -> Target:
    project = _locked(project)
    _require(may_edit(actor, project), _("只有项目负责人或支部书记可以在项目推进中修改指标。"))
    if not name.strip() or not unit.strip():
        raise ValidationError(_("请填写指标名称和单位。"))
    target = Target.objects.create(project=project, name=name.strip(), unit=unit.strip(), target_value=target_value)
    record(actor, actions.VANGUARD_TARGET_ADD, project, after={"target": name, "unit": unit, "value": target_value})
    return target


@transaction.atomic
def add_member(actor: Any, project: Project, person: Any, *, role: str, duty: str = "") -> Member:
    project = _locked(project)
    _require(may_edit(actor, project), _("只有项目负责人或支部书记可以添加成员。"))
    if role == Role.LEAD:
        raise ValidationError(_("项目只有一位负责人。"))
    try:
        with transaction.atomic():
            member = Member.objects.create(project=project, person=person, role=role, duty=duty.strip())
    except IntegrityError as exc:
        raise ValidationError(_("%(name)s 已是项目成员。") % {"name": person.name}) from exc
    record(
        actor, actions.VANGUARD_MEMBER_ADD, project, after={"person": person.name, "role": member.get_role_display()}
    )
    notify.notify(
        [person],
        kind="vanguard",
        url=_url(project),
        title=_("您已加入支部先锋行动项目“%(t)s”") % {"t": project.title},
    )
    return member


def _working_days(project: Project) -> bool:
    return bool(localrules.value(project.branch, "vanguard.working_days"))


def _remind(milestone: Milestone, *, today: date) -> None:
    """The milestone's to-do for its owner and its reminder before the date (本单位规定: how many days)."""
    project = milestone.project
    days = int(localrules.value(project.branch, "vanguard.remind_days_before"))
    day = rules.remind_on(milestone.due_on, days, working_days=_working_days(project))
    notify.add_task(
        milestone.owner,
        _("先锋行动节点：%(m)s（%(p)s）") % {"m": milestone.title, "p": project.title},
        source_type=MILESTONE_SOURCE,
        source_id=str(milestone.pk),
        url=_url(project),
        due_on=milestone.due_on,
    )
    notify.schedule_reminder(
        subject_type=MILESTONE_SOURCE,
        subject_id=str(milestone.pk),
        kind="reminder",
        title=_("先锋行动节点“%(m)s”将于 %(d)s 到期（%(p)s）")
        % {"m": milestone.title, "d": dates.day(milestone.due_on), "p": project.title},
        due_at=timezone.make_aware(datetime.combine(max(day, today), time(9, 0))),
        deadline=milestone.due_on,
        recipients={milestone.owner, project.lead},
        url=_url(project),
        dedupe_key=f"vanguard:milestone:{milestone.pk}:due",
    )


@transaction.atomic
def add_milestone(
    actor: Any, project: Project, *, title: str, due_on: date, owner: Any, today: date | None = None
) -> Milestone:
    """A dated step: its owner gets a to-do and a reminder before the date."""
    today = today or clock.today()
    project = _locked(project)
    _require(may_edit(actor, project), _("只有项目负责人或支部书记可以添加节点。"))
    if len(title.strip()) < 2:
        raise ValidationError(_("请填写节点名称。"))
    if due_on < project.starts_on:
        raise ValidationError(_("节点日期不能早于项目开始日期（%(d)s）。") % {"d": dates.day(project.starts_on)})
    if not (project.members.filter(person=owner).exists() or owner.pk == project.lead_id):
        raise ValidationError(_("节点负责人须是项目成员，请先添加成员。"))
    milestone = Milestone.objects.create(project=project, title=title.strip(), due_on=due_on, owner=owner)
    _remind(milestone, today=today)
    record(actor, actions.VANGUARD_MILESTONE_ADD, project, after={"milestone": title, "due_on": due_on})
    return milestone


@transaction.atomic
def complete_milestone(actor: Any, milestone: Milestone, *, on: date | None = None) -> Milestone:
    on = on or clock.today()
    milestone = Milestone.objects.select_for_update().select_related("project__branch").get(pk=milestone.pk)
    _require(may_complete(actor, milestone), _("只有节点负责人、项目负责人或支部书记可以确认节点完成。"))
    milestone.done_on = on
    milestone.save(update_fields=["done_on"])
    notify.complete_tasks_for(MILESTONE_SOURCE, str(milestone.pk))
    notify.cancel_reminders(MILESTONE_SOURCE, str(milestone.pk))
    record(
        actor,
        actions.VANGUARD_MILESTONE_DONE,
        milestone.project,
        after={"milestone": milestone.title, "due_on": milestone.due_on, "done_on": on},
    )
    return milestone


@transaction.atomic
def add_risk(actor: Any, project: Project, *, description: str, level: str, mitigation: str = "") -> Risk:
    project = _locked(project)
    _require(may_edit(actor, project), _("只有项目负责人或支部书记可以登记风险。"))
    if len(description.strip()) < 4 or level not in RiskLevel.values:
        raise ValidationError(_("请写明风险并选择等级。"))
    risk = Risk.objects.create(project=project, description=description.strip(), level=level, mitigation=mitigation)
    record(actor, actions.VANGUARD_RISK, project, after={"risk": description, "level": risk.get_level_display()})
    return risk


@transaction.atomic
def log_progress(
    actor: Any,
    project: Project,
    *,
    text: str,
    photos: Sequence[IO[bytes] | bytes] = (),
    milestone: Milestone | None = None,
) -> Progress:
    """A member writes what moved, with up to six photos (checked, resized, stripped: plaza.lib.images)."""
    project = _locked(project)
    _require(may_log_progress(actor, project), _("只有项目成员可以在项目推进中记录进展。"))
    if len(text.strip()) < 4:
        raise ValidationError(_("请写明进展情况（至少 4 个字）。"))
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(_("一次最多上传 %(n)s 张照片。") % {"n": MAX_PHOTOS})
    if milestone is not None and milestone.project_id != project.pk:
        raise ValidationError(_("所选节点不属于该项目。"))
    cleaned = [clean_picture(photo, name_prefix=f"p{project.pk}-") for photo in photos]
    entry = Progress.objects.create(project=project, author=actor, text=text.strip(), milestone=milestone)
    for picture in cleaned:
        Photo.objects.create(progress=entry, image=picture)
    record(actor, actions.VANGUARD_PROGRESS, project, after={"text": text.strip()[:200], "photos": len(cleaned)})
    return entry


@transaction.atomic
def add_document(actor: Any, project: Project, upload: Any) -> Document:
    project = _locked(project)
    _require(may_log_progress(actor, project), _("只有项目成员可以在项目推进中上传文档。"))
    size = getattr(upload, "size", None) or 0
    if not size:
        raise ValidationError(_("请选择要上传的文件。"))
    if size > MAX_DOCUMENT_BYTES:
        raise ValidationError(_("文件太大，请上传不超过 20 MB 的文件。"))
    name = (getattr(upload, "name", "") or "document").rsplit("/", 1)[-1][:200]
    upload.seek(0)
    document = Document.objects.create(
        project=project, name=name, uploaded_by=actor, file=ContentFile(upload.read(), name=f"p{project.pk}.bin")
    )
    record(actor, actions.VANGUARD_DOCUMENT, project, after={"name": name, "size": size})
    return document


# ------------------------------------------------------------------------------------------ closing


@transaction.atomic
def submit_results(
    actor: Any,
    project: Project,
    *,
    achieved: Mapping[int, Decimal],
    result: str,
    savings: Decimal | None = None,
    value: str = "",
) -> Project:
    """The branch reports the results against every target and sends the project to the committee."""
    project = _locked(project)
    _require(may_submit(actor, project), _("只有项目负责人或支部书记可以提交结项。"))
    targets = list(project.targets.all())
    problems = []
    if not targets:
        problems.append(_("项目还没有可衡量的指标，请先添加指标。"))
    missing = [t.name for t in targets if achieved.get(t.pk) is None]
    if missing:
        problems.append(_("请填写以下指标的完成值：%(names)s") % {"names": "、".join(missing)})
    if len(result.strip()) < 10:
        problems.append(_("请写明项目成果（至少 10 个字）。"))
    if savings is not None and savings < 0:
        problems.append(_("创效金额不能为负数。"))
    open_milestones = [m.title for m in project.milestones.filter(done_on__isnull=True)]
    if open_milestones:
        problems.append(_("以下节点尚未完成：%(names)s") % {"names": "、".join(open_milestones)})
    if problems:
        raise ValidationError(problems)
    for target in targets:
        target.achieved_value = achieved[target.pk]
        target.save(update_fields=["achieved_value"])
    project.result, project.savings, project.value = result.strip(), savings, value.strip()
    project.status, project.submitted_at = Status.SUBMITTED, clock.now()
    project.save(update_fields=["result", "savings", "value", "status", "submitted_at"])
    reviewers = committee_staff(project.branch)
    for person in reviewers:
        notify.add_task(
            person,
            _("评审支部先锋行动项目：%(t)s") % {"t": project.title},
            source_type=REVIEW_SOURCE,
            source_id=str(project.pk),
            url=_url(project),
        )
    record(
        actor,
        actions.VANGUARD_SUBMIT,
        project,
        after={"targets": {t.name: t.achieved_value for t in targets}, "savings": savings},
    )
    return project


def committee_staff(branch: Organisation) -> list[Any]:
    """The 组织部 staff of the committee at the top of the branch's tree (who review and receive escalations)."""
    root = branch.path[: Organisation.steplen]
    ids = (
        Position.objects.current()
        .filter(organisation__path=root, title=Title.ORG_DEPT_STAFF)
        .values_list("person_id", flat=True)
    )
    return list(get_user_model().objects.filter(pk__in=list(ids), is_active=True))


def secretaries(branches: Sequence[Organisation]) -> list[Any]:
    ids = (
        Position.objects.current()
        .filter(organisation__in=list(branches), title__in=[Title.SECRETARY, Title.DEPUTY_SECRETARY])
        .values_list("person_id", flat=True)
    )
    return list(get_user_model().objects.filter(pk__in=list(ids), is_active=True))


@transaction.atomic
def review(actor: Any, project: Project, *, grade: str, comment: str, points_each: int = 0) -> Project:
    """The committee reviews the results: 优秀 / 良好 / 合格 close the project and recognise its people and
    branches (points through the ledger, once per person by key; an honour in the registry); 退回完善 sends it
    back to the branch with the reason."""
    project = _locked(project)
    _require(
        Scope.of(actor, Cap.VANGUARD_REVIEW).covers(project.branch),
        _("只有党委组织部可以评审支部先锋行动项目。"),
    )
    if project.status != Status.SUBMITTED:
        raise ValidationError(_("该项目%(s)s，不在待评审状态。") % {"s": project.get_status_display()})
    if grade not in Grade.values:
        raise ValidationError(_("请选择评审等次。"))
    if len(comment.strip()) < 4:
        raise ValidationError(_("请写明评审意见（至少 4 个字）。"))
    if not 0 <= points_each <= MAX_POINTS:
        raise ValidationError(_("每人奖励积分应在 0 到 %(n)s 之间。") % {"n": MAX_POINTS})
    now = clock.now()
    project.grade, project.review, project.reviewed_by, project.reviewed_at = grade, comment.strip(), actor, now
    members = [m.person for m in project.members.select_related("person")]
    if grade == Grade.RETURNED:
        project.status, project.points = Status.ACTIVE, 0
        project.save(update_fields=["grade", "review", "reviewed_by", "reviewed_at", "status", "points"])
        notify.notify(
            [project.lead, *secretaries(owning_branches(project))],
            kind="vanguard",
            url=_url(project),
            title=_("先锋行动项目“%(t)s”结项被退回：%(c)s") % {"t": project.title, "c": comment.strip()},
        )
    else:
        project.status, project.points = Status.CLOSED, points_each
        project.save(update_fields=["grade", "review", "reviewed_by", "reviewed_at", "status", "points"])
        _recognise(project, members, points_each, on=timezone.localdate(now))
        notify.notify(
            members,
            kind="vanguard",
            url=_url(project),
            title=_("先锋行动项目“%(t)s”评审为%(g)s") % {"t": project.title, "g": project.get_grade_display()},
        )
    notify.complete_tasks_for(REVIEW_SOURCE, str(project.pk))
    record(
        actor,
        actions.VANGUARD_REVIEW,
        project,
        after={"grade": project.get_grade_display(), "points": points_each},
        reason=comment.strip(),
    )
    return project


def _recognise(project: Project, members: list[Any], points_each: int, *, on: date) -> None:
    grade = project.get_grade_display()
    reason = _("支部先锋行动项目“%(t)s”评审%(g)s") % {"t": project.title, "g": grade}
    if points_each:
        for person in members:
            points.earn(
                person,
                points_each,
                reason=reason,
                source_type=POINTS_ACTIVITY,
                source_id=project.pk,
                key=f"vanguard:project:{project.pk}:person:{person.pk}",
            )
    title = _("%(y)s年度支部先锋行动%(g)s项目：%(t)s") % {"y": on.year, "g": grade, "t": project.title}
    studios.recognise(
        title=title,
        people=members,
        organisations=owning_branches(project),
        awarded_on=on,
        source=f"vanguard.project:{project.pk}",
        awarded_by=project.branch.path[: Organisation.steplen],
    )


# ------------------------------------------------------------------------------------------ escalation


@dataclass(frozen=True)
class Escalated:
    milestone: Milestone
    level: int
    days_late: int


def escalate(milestone: Milestone, level: int, days_late: int, *, today: date) -> None:
    """Report a late milestone one level up (the daily sweep calls this only when the level rises)."""
    project = milestone.project
    branches = owning_branches(project)
    if level >= rules.Escalation.COMMITTEE:
        recipients = committee_staff(project.branch)
        to = _("党委组织部")
    else:
        recipients = secretaries(branches)
        to = _("支部书记")
    title = _("先锋行动节点逾期 %(n)s 天：%(m)s（%(p)s，计划 %(d)s）") % {
        "n": days_late,
        "m": milestone.title,
        "p": project.title,
        "d": dates.day(milestone.due_on),
    }
    notify.notify(recipients, kind="vanguard", url=_url(project), title=title)
    for person in recipients:
        notify.add_task(
            person,
            _("督办逾期节点：%(m)s（%(p)s）") % {"m": milestone.title, "p": project.title},
            source_type=MILESTONE_SOURCE,
            source_id=str(milestone.pk),
            url=_url(project),
            due_on=today,
        )
    record(
        None,
        actions.VANGUARD_MILESTONE_ESCALATE,
        project,
        after={"milestone": milestone.title, "days_late": days_late, "to": to},
    )


def may_urge(person: Any, milestone: Milestone, today: date | None = None) -> bool:
    """Whom a late milestone was reported to may press it (督办): a holder of ``Cap.VANGUARD`` over one of the
    project's branches (its secretaries) or the committee's reviewers (``Cap.VANGUARD_REVIEW``), while it is
    late and open in a project under way."""
    today = today or clock.today()
    project = milestone.project
    if not getattr(person, "is_authenticated", False):
        return False
    if milestone.done_on is not None or milestone.due_on >= today or project.status != Status.ACTIVE:
        return False
    if Scope.of(person, Cap.VANGUARD_REVIEW).covers(project.branch):
        return True
    scope = Scope.of(person, Cap.VANGUARD)
    return any(scope.covers(branch) for branch in owning_branches(project))


@transaction.atomic
def urge(actor: Any, milestone: Milestone, *, comment: str, today: date | None = None) -> int:
    """督办: the secretary or the committee presses a late milestone — its owner and the project's lead are told
    what is asked of them, and the actor's own 督办 to-do (from the escalation) is done. The owner's to-do stays
    until the milestone is done. Returns how many people were told."""
    today = today or clock.today()
    milestone = Milestone.objects.select_related("project__branch", "project__lead", "owner").get(pk=milestone.pk)
    _require(
        may_urge(actor, milestone, today),
        _("只有支部书记或党委组织部可以督办逾期且未完成的节点。"),
    )
    if len(comment.strip()) < 4:
        raise ValidationError(_("请写明督办要求（至少 4 个字）。"))
    project = milestone.project
    recipients = {p for p in (milestone.owner, project.lead) if p.pk != actor.pk}
    told = notify.notify(
        recipients,
        kind="vanguard",
        url=_url(project),
        title=_("%(who)s督办逾期节点“%(m)s”（%(p)s）：%(c)s")
        % {"who": actor.name, "m": milestone.title, "p": project.title, "c": comment.strip()},
    )
    if actor.pk != milestone.owner_id:
        Task.objects.filter(
            assignee=actor, source_type=MILESTONE_SOURCE, source_id=str(milestone.pk), done_at__isnull=True
        ).update(done_at=clock.now())
    record(
        actor,
        actions.VANGUARD_MILESTONE_URGE,
        project,
        after={"milestone": milestone.title, "due_on": milestone.due_on},
        reason=comment.strip(),
    )
    return told


# ------------------------------------------------------------------------------------------ 先锋岗 / 责任区


@transaction.atomic
def save_post(
    actor: Any,
    organisation: Organisation,
    *,
    kind: str,
    name: str,
    holder: Any,
    scope: str,
    commitment: str,
    since: date,
) -> Post:
    Scope.of(actor, Cap.VANGUARD).require(organisation=organisation)
    if kind not in PostKind.values:
        raise ValidationError(_("请选择先锋岗或责任区。"))
    if len(name.strip()) < 2 or len(commitment.strip()) < 10:
        raise ValidationError(_("请填写名称和承诺（承诺至少 10 个字）。"))
    if not getattr(holder, "is_party_member", False):
        raise ValidationError(_("党员先锋岗和责任区由党员担任。"))
    if not belongs(holder, [organisation]):
        raise ValidationError(_("%(name)s 不是该组织的党员。") % {"name": holder.name})
    post = Post.objects.create(
        kind=kind,
        name=name.strip(),
        organisation=organisation,
        holder=holder,
        scope=scope.strip(),
        commitment=commitment.strip(),
        since=since,
    )
    record(actor, actions.VANGUARD_POST_SAVE, post, after={"name": post.name, "holder": holder.name})
    return post


def may_review_post(person: Any, post: Post) -> bool:
    return post.active and Scope.of(person, Cap.VANGUARD).covers(post.organisation)


@transaction.atomic
def review_post(actor: Any, post: Post, *, year: int, rating: str, comment: str = "") -> PostReview:
    """The branch's yearly review of a post's commitment: once a year, not for a year still to come."""
    _require(may_review_post(actor, post), _("只有该组织的书记可以评议先锋岗承诺。"))
    if rating not in PostRating.values:
        raise ValidationError(_("请选择评议结果。"))
    if not post.since.year <= year <= clock.today().year:
        raise ValidationError(
            _("只能评议 %(a)s 年至今年的承诺。") % {"a": post.since.year},
        )
    if rating == PostRating.NOT_KEPT and len(comment.strip()) < 4:
        raise ValidationError(_("评议为“未践诺”时请写明原因。"))
    try:
        with transaction.atomic():
            found = PostReview.objects.create(
                post=post, year=year, rating=rating, comment=comment.strip(), reviewer=actor
            )
    except IntegrityError as exc:
        raise ValidationError(_("%(y)s 年度已评议过。") % {"y": year}) from exc
    notify.complete_tasks_for(POST_REVIEW_SOURCE, f"{post.pk}:{year}")
    record(actor, actions.VANGUARD_POST_REVIEW, post, after={"year": year, "rating": found.get_rating_display()})
    return found
