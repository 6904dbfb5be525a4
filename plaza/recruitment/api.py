"""API for 党员发展: the person's own progress (我的入党进度) and thought reports, and a pipeline as its branch
sees it. Thin: the same lookups as the pages (``views.mine``, ``views.report``, ``views.detail``), the timeline
from :func:`queries.timeline`, and every write through :mod:`plaza.recruitment.services`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Path, Router, Schema, Status
from ninja.errors import HttpError

from plaza.lib import clock
from plaza.lib.schemas import BodyIn, responses

from . import queries, services
from .models import Pipeline, ThoughtReport

router = Router(tags=["recruitment"])

#: Ids are positive 64-bit integers; anything else is a 422, never a 500.
Id = Annotated[int, Path(ge=1, le=2**62)]

#: How the timeline page names each state and who acts (the same words as recruitment/detail.html).
STATE_LABELS = {
    "done": gettext_lazy("已完成"),
    "open": gettext_lazy("待办理"),
    "overdue": gettext_lazy("已逾期"),
    "waiting": gettext_lazy("未到时间"),
    "later": gettext_lazy("未开始"),
}
RESPONSIBLE_LABELS = {
    "committee": gettext_lazy("上级党委"),
    "person": gettext_lazy("本人"),
    "branch": gettext_lazy("党支部"),
}
#: As many reports as the page lists under the timeline.
REPORTS_SHOWN = 20


class RecruitmentStepOut(Schema):
    number: int
    name: str
    stage: str
    state: str = Field(..., description="done 已完成 · open 待办理 · overdue 已逾期 · waiting 未到时间 · later 未开始")
    state_label: str
    done_on: date | None = Field(None, description="记录的办理日期（已完成时）")
    earliest: date | None = Field(None, description="最早可办理日期")
    latest: date | None = Field(None, description="最迟办理日期")
    responsible: str = Field(..., description="committee 上级党委 · branch 党支部 · person 本人")
    responsible_label: str


class ThoughtReportOut(Schema):
    id: int
    title: str
    content: str
    submitted_on: date
    comment: str
    reviewed_at: datetime | None


class PipelineOut(Schema):
    id: int
    person_id: int
    person: str
    status: str
    status_label: str
    branch_id: int
    branch: str
    probation_extension_months: int
    stage: str = Field(..., description="所处阶段：最后记录的步骤所属阶段（与看板、统计一致）")
    overdue: list[int] = Field(..., description="已逾期的步骤（与看板、统计同一口径）")
    steps: list[RecruitmentStepOut]
    reports: list[ThoughtReportOut]


class ThoughtReportIn(BodyIn):
    title: str = Field(..., max_length=120, description="标题")
    content: str = Field(..., max_length=20000, description="内容，不少于 20 个字")


def _pipeline_out(pipeline: Pipeline) -> dict:
    """The pipeline with its 25-step timeline, as recruitment/detail.html shows it."""
    timeline = queries.timeline(pipeline, clock.today())
    steps = [
        {
            "number": s.step.number,
            "name": s.step.name,
            "stage": s.step.stage,
            "state": s.state,
            "state_label": str(STATE_LABELS[s.state]),
            "done_on": s.record.done_on if s.record else None,
            "earliest": s.earliest,
            "latest": s.latest,
            "responsible": s.responsible,
            "responsible_label": str(RESPONSIBLE_LABELS[s.responsible]),
        }
        for s in timeline
    ]
    return {
        "id": pipeline.pk,
        "person_id": pipeline.person_id,
        "person": pipeline.person.name,
        "status": pipeline.status,
        "status_label": str(pipeline.get_status_display()),
        "branch_id": pipeline.branch_id,
        "branch": pipeline.branch.name,
        "probation_extension_months": pipeline.probation_extension_months,
        "stage": pipeline.stage,
        "overdue": [s.step.number for s in timeline if s.state == "overdue"],
        "steps": steps,
        "reports": list(pipeline.reports.all()[:REPORTS_SHOWN]),
    }


@router.get("/mine", response=responses(PipelineOut), summary="我的入党进度")
def mine(request: HttpRequest) -> dict:
    pipeline = queries.latest_pipeline(request.user)
    if pipeline is None:
        raise HttpError(404, _("您还没有入党培养档案。"))
    return _pipeline_out(pipeline)


@router.get("/pipelines/{pipeline_id}", response=responses(PipelineOut), summary="入党培养档案（党支部、党委查看）")
def pipeline(request: HttpRequest, pipeline_id: Id) -> dict:
    return _pipeline_out(get_object_or_404(queries.visible_pipelines(request.user), pk=pipeline_id))


@router.post("/mine/reports", response=responses(ThoughtReportOut, 201), summary="提交思想汇报")
def submit_report(request: HttpRequest, payload: ThoughtReportIn) -> Status[ThoughtReport]:
    pipeline = queries.active_pipeline(request.user)
    if pipeline is None:
        raise HttpError(404, _("您没有进行中的入党培养档案，不能提交思想汇报。"))
    return Status(201, services.submit_report(request.user, pipeline, title=payload.title, content=payload.content))
