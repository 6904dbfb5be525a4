"""Reads for the timeline, the branch board and the committee's view."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

from django.db.models import Count, Q, QuerySet

from plaza.orgs.models import Organisation
from plaza.orgs.permissions import Cap, Scope
from plaza.rules import recruitment
from plaza.rules.recruitment import Step

from .models import Pipeline, PipelineStatus, RecruitmentPlan, StepRecord, ThoughtReport
from .services import SELF_STEPS, done_dates, responsible_for, step_deadline


def has_pipeline(person: Any) -> bool:
    return Pipeline.objects.filter(person=person).exists()


def visible_pipelines(viewer: Any) -> QuerySet[Pipeline]:
    """Pipelines of the branches the viewer may run (or oversee as committee staff)."""
    return Pipeline.objects.filter(Scope.of(viewer, Cap.RECRUIT).q("branch__path")).select_related("person", "branch")


@dataclass(frozen=True)
class StepState:
    step: recruitment.StepInfo
    record: StepRecord | None
    earliest: date | None
    latest: date | None
    state: str  # "done" | "open" | "overdue" (as overdue_steps) | "waiting" (prerequisites done, too early) | "later"
    responsible: str

    @property
    def label(self) -> str:
        return {"done": "已完成", "open": "待办理", "overdue": "已逾期", "waiting": "未到时间", "later": "未开始"}[
            self.state
        ]


def timeline(pipeline: Pipeline, today: date) -> list[StepState]:

    done = done_dates(pipeline)
    records = {(r.step, r.round): r for r in pipeline.steps.prefetch_related("people")}
    birth = pipeline.person.birth_date or date(1900, 1, 1)
    states = []
    for step in recruitment.STEPS:
        round_ = pipeline.round if step.number in (Step.CONVERSION_REQUEST, Step.CONVERSION_VOTE) else 1
        record = records.get((step.number, round_)) or records.get((step.number, 1))
        earliest = recruitment.earliest(step.number, done, birth, extended_months=pipeline.probation_extension_months)
        latest = recruitment.latest(
            step.number,
            done,
            extended=bool(pipeline.approval_extended_reason),
            extended_months=pipeline.probation_extension_months,
        )
        if step.number in done:
            state = "done"
        elif earliest is None:
            state = "later"
        elif earliest > today:
            state = "waiting"
        elif latest is not None and today > latest:
            state = "overdue"
        else:
            state = "open"
        states.append(
            StepState(
                step, record if step.number in done else None, earliest, latest, state, responsible_for(step.number)
            )
        )
    return states


BOARD_LIMIT = 2000  # a phone board beyond this is unreadable: narrow it by branch or name
SUMMARY_ABOVE = 300  # more active pipelines than this in view: show counts per branch and stage, not cards


def stage_index(pipeline_or_last_step: Pipeline | int) -> int:
    """Where a pipeline stands (0–4): the stage of its last recorded step (``plaza.rules.recruitment.stage_index``).
    Every page, export and the API place people by this, so the board, the statistics and a person's own page
    agree."""
    last = pipeline_or_last_step if isinstance(pipeline_or_last_step, int) else pipeline_or_last_step.last_step
    return recruitment.stage_index(last)


def stage_name(pipeline_or_last_step: Pipeline | int) -> str:
    """The stage's name, as ``Pipeline.stage`` gives it."""
    return recruitment.STAGES[stage_index(pipeline_or_last_step)]


def overdue_steps(pipeline: Pipeline, done: dict[int, date], today: date) -> list[int]:
    """The one definition of "overdue": the steps past their deadline and not done, with the pipeline's
    approval extension (step 17) and probation extension (steps 22–24) taken into account. The board, the
    statistics, the exports, the API, the to-do escalation and the daily sweep all count with this."""
    return [
        n
        for n in Step
        if recruitment.overdue(
            n,
            today,
            done,
            extended=bool(pipeline.approval_extended_reason),
            extended_months=pipeline.probation_extension_months,
        )
    ]


class BranchRef(NamedTuple):
    """Just what the overview shows of a branch: thousands of full model instances cost more than the query."""

    pk: int
    name: str
    path: str


def summary(viewer: Any) -> list[tuple[BranchRef, list[int]]]:
    """Active pipelines per branch and stage in one grouped query (the committee's overview)."""

    counts: dict[int, list[int]] = {}
    rows = (
        visible_pipelines(viewer)
        .filter(status=PipelineStatus.ACTIVE)
        .order_by()
        .values_list("branch_id", "last_step")
        .annotate(n=Count("pk"))
    )
    for branch_id, last_step, n in rows:
        counts.setdefault(branch_id, [0] * 5)[stage_index(last_step)] += n
    branches = [
        BranchRef(*row)
        for row in Organisation.objects.filter(pk__in=counts).order_by("path").values_list("pk", "name", "path")
    ]
    return [(branch, counts[branch.pk]) for branch in branches]


def stage_counts(viewer: Any, organisation: Any = None) -> list[tuple[str, int]]:
    """Active pipelines per stage (the board's columns, by ``stage_index``) in the viewer's scope, within
    ``organisation``'s subtree when given: what /orgs/stats/ shows beside the political statuses, counted as
    the board counts them. One grouped query."""

    pipelines = visible_pipelines(viewer).filter(status=PipelineStatus.ACTIVE)
    if organisation is not None:
        pipelines = pipelines.filter(branch__path__startswith=organisation.path)
    counts = [0] * len(recruitment.STAGES)
    for last_step, n in pipelines.order_by().values_list("last_step").annotate(n=Count("pk")):
        counts[stage_index(last_step)] += n
    return list(zip(recruitment.STAGES, counts, strict=True))


def board(
    viewer: Any, today: date, *, branch_id: int | None = None, q: str = "", overdue_only: bool = False
) -> list[tuple[str, list[dict]]]:
    """Active pipelines by stage (kanban columns), each with its next steps and whether one is overdue."""
    pipelines = visible_pipelines(viewer).filter(status=PipelineStatus.ACTIVE).prefetch_related("steps")
    if branch_id:
        pipelines = pipelines.filter(branch_id=branch_id)
    if q:
        pipelines = pipelines.filter(person__name__contains=q)
    stages: dict[str, list[dict]] = {}
    for stage in dict.fromkeys(s.stage for s in recruitment.STEPS):
        stages[stage] = []
    for pipeline in pipelines.order_by("branch__path", "person__employee_no")[:BOARD_LIMIT]:
        done = done_dates(pipeline, pipeline.steps.all())
        last = max(done) if done else 0
        stage = stage_name(pipeline)
        overdue = overdue_steps(pipeline, done, today)
        if overdue_only and not overdue:
            continue
        stages[stage].append({"pipeline": pipeline, "last": last, "overdue": overdue})
    return list(stages.items())


STAGE_ENTRY = recruitment.STAGE_ENTRY  # the first step of each of the five stages


@dataclass
class BranchRow:
    branch: Any
    per_stage: list[int]
    overdue: int


def statistics(viewer: Any, today: date) -> dict[str, Any]:
    """People per stage per branch, overdue steps, admissions and conversions per year, days spent per stage."""
    stages = list(dict.fromkeys(s.stage for s in recruitment.STEPS))
    rows: dict[int, BranchRow] = {}
    durations: dict[str, list[int]] = {stage: [] for stage in stages}
    admissions: dict[int, int] = {}
    conversions: dict[int, int] = {}
    pipelines = visible_pipelines(viewer).prefetch_related("steps")
    for pipeline in pipelines.iterator(chunk_size=500):
        done = done_dates(pipeline)
        if recruitment.ADMISSION_COUNTED_AT in done:
            year = done[recruitment.ADMISSION_COUNTED_AT].year
            admissions[year] = admissions.get(year, 0) + 1
        if recruitment.CONVERSION_COUNTED_AT in done:
            year = done[recruitment.CONVERSION_COUNTED_AT].year
            conversions[year] = conversions.get(year, 0) + 1
        entries = [done.get(n) for n in STAGE_ENTRY] + [done.get(Step.ARCHIVE)]
        for index, stage in enumerate(stages):
            start, end = entries[index], entries[index + 1]
            if start and end:
                durations[stage].append((end - start).days)
        if pipeline.status != PipelineStatus.ACTIVE:
            continue
        row = rows.setdefault(pipeline.branch_id, BranchRow(pipeline.branch, [0] * len(stages), 0))
        row.per_stage[stage_index(pipeline)] += 1
        row.overdue += len(overdue_steps(pipeline, done, today))

    plans: dict[int, int] = {}
    for year, planned in RecruitmentPlan.objects.filter(Scope.of(viewer, Cap.RECRUIT).q("branch__path")).values_list(
        "year", "planned"
    ):
        plans[year] = plans.get(year, 0) + planned
    years = sorted(set(admissions) | set(conversions) | set(plans))
    return {
        "stages": stages,
        "rows": sorted(rows.values(), key=lambda r: r.branch.path),
        "totals": [sum(r.per_stage[i] for r in rows.values()) for i in range(len(stages))],
        "overdue": sum(r.overdue for r in rows.values()),
        "years": years,
        "admissions": [admissions.get(y, 0) for y in years],
        "conversions": [conversions.get(y, 0) for y in years],
        "plans": [plans.get(y, 0) for y in years],
        "days_per_stage": [round(sum(d) / len(d)) if d else None for d in durations.values()],
    }


def latest_pipeline(person: Any) -> Pipeline | None:
    """The person's own newest pipeline (a second one exists only after leaving the procedure once)."""
    return Pipeline.objects.filter(person=person).select_related("person", "branch").order_by("-created_at").first()


def active_pipeline(person: Any) -> Pipeline | None:
    """The person's own pipeline in progress, the one thought reports are handed in to."""
    return Pipeline.objects.filter(person=person, status=PipelineStatus.ACTIVE).first()


def visible_report(viewer: Any, report_id: int) -> ThoughtReport | None:
    """A thought report of a pipeline the viewer may see (:func:`visible_pipelines`), or None."""
    return ThoughtReport.objects.filter(pk=report_id, pipeline__in=visible_pipelines(viewer)).first()


def overridden_steps(viewer: Any) -> QuerySet[StepRecord]:
    """Every step recorded over a rule's refusal within what the viewer may see, newest first."""
    return (
        StepRecord.objects.filter(pipeline__in=visible_pipelines(viewer))
        .exclude(override_reason="")
        .select_related("pipeline__person", "pipeline__branch", "recorded_by")
        .order_by("-recorded_at", "-pk")
    )


def plan_rows(
    branches: QuerySet[Organisation], year: int, limit: int = 500
) -> list[tuple[Organisation, int | None, int]]:
    """Each branch with its 发展计划 for ``year`` (None when unset) and how many it admitted that year.

    An admission counts on the day of :data:`plaza.rules.recruitment.ADMISSION_COUNTED_AT`, as the statistics do.
    ``branches`` are the ones the viewer may plan for (the caller's scope)."""
    planned = dict(RecruitmentPlan.objects.filter(year=year, branch__in=branches).values_list("branch_id", "planned"))
    admitted: dict[int, int] = {}
    for branch_id in StepRecord.objects.filter(
        step=recruitment.ADMISSION_COUNTED_AT, done_on__year=year, pipeline__branch__in=branches
    ).values_list("pipeline__branch_id", flat=True):
        admitted[branch_id] = admitted.get(branch_id, 0) + 1
    return [(b, planned.get(b.pk), admitted.get(b.pk, 0)) for b in branches[:limit]]


def step_record_for(viewer: Any, record_id: int) -> StepRecord | None:
    """A recorded step the viewer may open: in a pipeline they may see, or in their own."""
    return (
        StepRecord.objects.filter(pk=record_id, pipeline__in=visible_pipelines(viewer)).first()
        or StepRecord.objects.filter(pk=record_id, pipeline__person=viewer).first()
    )


def pipeline_for(viewer: Any, pipeline_id: int) -> Pipeline | None:
    """A pipeline the viewer may see: one of :func:`visible_pipelines`, or their own."""
    own = Pipeline.objects.filter(pk=pipeline_id, person=viewer).select_related("person", "branch")
    return visible_pipelines(viewer).filter(pk=pipeline_id).first() or own.first()


def pipeline_to_record(viewer: Any, pipeline_id: int, step: int) -> Pipeline | None:
    """The pipeline the viewer may record ``step`` in: one they may see, or their own for the steps a person
    records themselves (``services.SELF_STEPS``: the application and the conversion request); else None."""
    pipeline = Pipeline.objects.filter(pk=pipeline_id).select_related("person", "branch").first()
    if pipeline is None:
        return None
    own = pipeline.person_id == viewer.pk and step in SELF_STEPS
    if own or visible_pipelines(viewer).filter(pk=pipeline_id).exists():
        return pipeline
    return None


# ------------------------------------------------------------------------------------------ the staff list (issue 14)

#: The most pipelines the list reads at once: beyond, it asks to narrow by organisation, stage or name.
LIST_LIMIT = 2000
#: The list's filter by deadline: a step past its deadline, or the next deadline within :data:`SOON_DAYS`.
LIST_DUES = ("overdue", "soon")
SOON_DAYS = 30


@dataclass(frozen=True)
class ListRow:
    """One person in the procedure as the staff list shows them: the stage, the next step that falls due first
    (its deadline; None where the rules set none) and the steps past their deadline."""

    pipeline: Pipeline
    stage: int
    next_step: int | None
    due: date | None
    overdue: list[int]

    @property
    def next_name(self) -> str:
        return recruitment.step(self.next_step).name if self.next_step else ""


LIST_ORDERS = {
    "due": lambda row: (row.due is None, row.due or date.max),
    "name": lambda row: row.pipeline.person.name,
    "branch": lambda row: row.pipeline.branch.path,
    "stage": lambda row: row.stage,
}


def list_scopes(viewer: Any) -> QuerySet[Organisation]:
    """The organisations the list can narrow to: the 党委, 党总支 and 党支部 whose recruitment the viewer runs."""
    return (
        Scope.of(viewer, Cap.RECRUIT)
        .organisations()
        .filter(level__in=("committee", "general_branch", "branch"))
        .order_by("path")
        .only("pk", "name", "path", "level")
    )


def list_rows(
    viewer: Any,
    today: date,
    *,
    within: Organisation | None = None,
    stage: int | None = None,
    search: str = "",
    due: str = "",
    order: str = "due",
    ids: Iterable[int] | None = None,
) -> tuple[list[ListRow], bool]:
    """The active pipelines the viewer may see, as rows of the staff list: in ``within``'s subtree, at ``stage``
    (an index into ``recruitment.STAGES``, placed by :func:`stage_index`), whose person's name or number or whose
    branch's name contains ``search``, past a deadline or due soon (``due``, one of :data:`LIST_DUES`), or only
    those of ``ids``; in ``order`` (a key of :data:`LIST_ORDERS`, "-" first for descending). Two queries (the
    pipelines, their steps), however many rows. True as well when more than :data:`LIST_LIMIT` matched and only
    the first were read."""
    pipelines = visible_pipelines(viewer).filter(status=PipelineStatus.ACTIVE)
    if within is not None:
        pipelines = pipelines.filter(branch__path__startswith=within.path)
    if stage is not None:
        pipelines = pipelines.filter(
            last_step__in=[n for n in range(len(recruitment.STEPS) + 1) if stage_index(n) == stage]
        )
    if search:
        pipelines = pipelines.filter(
            Q(person__name__contains=search)
            | Q(person__employee_no__contains=search)
            | Q(branch__name__contains=search)
        )
    if ids is not None:
        pipelines = pipelines.filter(pk__in=list(ids))
    found = list(pipelines.prefetch_related("steps").order_by("branch__path", "person__employee_no")[: LIST_LIMIT + 1])
    truncated = len(found) > LIST_LIMIT
    rows = []
    for pipeline in found[:LIST_LIMIT]:
        done = done_dates(pipeline, pipeline.steps.all())
        upcoming = [s.number for s in recruitment.STEPS if s.number not in done and all(p in done for p in s.after)]
        deadlines = {n: step_deadline(pipeline, n, done) for n in upcoming}
        dated = sorted((d, n) for n, d in deadlines.items() if d is not None)
        next_step = dated[0][1] if dated else (upcoming[0] if upcoming else None)
        row = ListRow(
            pipeline,
            stage_index(pipeline),
            next_step,
            dated[0][0] if dated else None,
            overdue_steps(pipeline, done, today),
        )
        if due == "overdue" and not row.overdue:
            continue
        if due == "soon" and not (row.due is not None and row.due <= today + timedelta(days=SOON_DAYS)):
            continue
        rows.append(row)
    key = LIST_ORDERS.get(order.lstrip("-"), LIST_ORDERS["due"])
    rows.sort(key=lambda row: (row.pipeline.branch.path, row.pipeline.person.employee_no))
    rows.sort(key=key, reverse=order.startswith("-"))
    return rows, truncated
