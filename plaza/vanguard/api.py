"""The JSON API of 支部先锋行动, over the same services and queries as the pages: the projects the caller sees,
one project with its targets and milestones, and logging progress (text; photos through the page). A project
outside the caller's view is a 404; a refusal is a 400 with its reason."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Path, Router, Schema
from ninja import Status as Created
from ninja.pagination import paginate

from plaza.lib.pagination import Pages
from plaza.lib.schemas import BodyIn, found_or_404, responses

from . import queries, services
from .models import Milestone, Progress, Project, Target

router = Router(tags=["支部先锋行动"])

Id = Annotated[int, Path(ge=1, le=2**62)]


class VanguardProjectOut(Schema):
    id: int
    title: str
    kind: str
    theme: str
    theme_label: str
    status: str
    status_label: str
    branch: str
    lead: str
    starts_on: date
    ends_on: date

    @staticmethod
    def resolve_theme_label(obj: Project) -> str:
        return str(obj.get_theme_display())

    @staticmethod
    def resolve_status_label(obj: Project) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_branch(obj: Project) -> str:
        return obj.branch.name

    @staticmethod
    def resolve_lead(obj: Project) -> str:
        return obj.lead.name


class VanguardTargetOut(Schema):
    name: str
    unit: str
    target_value: Decimal
    achieved_value: Decimal | None


class VanguardMilestoneOut(Schema):
    id: int
    title: str
    due_on: date
    done_on: date | None
    escalation: int


class VanguardProjectDetailOut(VanguardProjectOut):
    goal: str
    partners: list[str]
    targets: list[VanguardTargetOut]
    milestones: list[VanguardMilestoneOut]

    @staticmethod
    def resolve_partners(obj: Project) -> list[str]:
        return [o.name for o in obj.partners.all()]

    @staticmethod
    def resolve_targets(obj: Project) -> list[Target]:
        return list(obj.targets.all())

    @staticmethod
    def resolve_milestones(obj: Project) -> list[Milestone]:
        return list(obj.milestones.all())


class VanguardProgressIn(BodyIn):
    text: str
    milestone_id: int | None = None


class VanguardProgressOut(Schema):
    id: int
    text: str
    author: str

    @staticmethod
    def resolve_author(obj: Progress) -> str:
        return obj.author.name


def _project(request: HttpRequest, project_id: int) -> Project:
    return found_or_404(queries.project_for(request.user, project_id))


@router.get("/projects", response=responses(list[VanguardProjectOut]), summary="我能看到的先锋行动项目")
@paginate(Pages, page_size=50)
def projects(request: HttpRequest) -> QuerySet[Project]:
    return queries.my_projects(request.user)


@router.get("/projects/{project_id}", response=responses(VanguardProjectDetailOut), summary="项目详情")
def project(request: HttpRequest, project_id: Id) -> Project:
    return _project(request, project_id)


@router.post(
    "/projects/{project_id}/progress", response=responses(VanguardProgressOut, status=201), summary="记录项目进展"
)
def log_progress(request: HttpRequest, project_id: Id, payload: VanguardProgressIn) -> Created[Progress]:
    found = _project(request, project_id)
    milestone = queries.milestone_for(found, payload.milestone_id) if payload.milestone_id else None
    if payload.milestone_id and milestone is None:
        raise Http404
    return Created(201, services.log_progress(request.user, found, text=payload.text, milestone=milestone))
