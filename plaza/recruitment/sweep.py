"""The daily recruitment pass, set-based: read everything once, decide in Python with ``plaza.rules``,
write only the differences. Same outcome as refreshing each pipeline one by one (a test compares them).

Per run: one query each for the active pipelines, their steps, the officers, the open recruitment to-dos,
this quarter's thought reports and the reminders already scheduled; then bulk writes.

A next step becomes a to-do on the day it may be done (``services.ready_steps``): this daily pass is what puts
step 7 on the list the day a year of cultivation is over, step 23 the day probation ends, and so on; until then
the step's dated reminder (近期提醒) says from when.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable
from datetime import date

from django.db import transaction
from django.urls import reverse

from plaza.accounts.models import Person
from plaza.lib import clock
from plaza.localrules import services as local_rules
from plaza.notify import services as notify
from plaza.notify.models import Task
from plaza.orgs.models import Organisation, Position, Title
from plaza.rules.recruitment import Step

from . import services
from .models import Pipeline, PipelineStatus, StepRecord, ThoughtReport

Key = tuple[int, str, str]  # (assignee id, source type, source id)


def _done_by_pipeline(pipelines: dict[int, Pipeline]) -> dict[int, dict[int, date]]:
    done: dict[int, dict[int, date]] = defaultdict(dict)
    rows = StepRecord.objects.filter(pipeline__status=PipelineStatus.ACTIVE).values_list(
        "pipeline_id", "step", "round", "done_on"
    )
    for pipeline_id, step, round_, on in rows.iterator(chunk_size=20_000):
        pipeline = pipelines.get(pipeline_id)
        if pipeline is None or (step in services.REPEATED_AFTER_EXTENSION and round_ != pipeline.round):
            continue
        done[pipeline_id][step] = on
    return done


def _officers() -> tuple[dict[int, list[int]], list[tuple[str, int]]]:
    """Branch officers by organisation id, and (path, person id) of every 组织部 staff position."""
    branch: dict[int, list[int]] = defaultdict(list)
    staff: list[tuple[str, int]] = []
    active = set(Person.objects.filter(is_active=True).values_list("pk", flat=True))
    rows = (
        Position.objects.current()
        .filter(title__in=[Title.SECRETARY, Title.ORGANISATION_MEMBER, Title.ORG_DEPT_STAFF])
        .values_list("title", "organisation_id", "organisation__path", "person_id")
    )
    for title, org_id, path, person_id in rows:
        if person_id not in active:
            continue
        if title == Title.ORG_DEPT_STAFF:
            staff.append((path, person_id))
        else:
            branch[org_id].append(person_id)
    return branch, staff


def sweep(today: date) -> dict[str, int]:
    pipelines = {
        p.pk: p for p in Pipeline.objects.filter(status=PipelineStatus.ACTIVE).select_related("person", "branch")
    }
    done_by = _done_by_pipeline(pipelines)
    branch_officers, staff_positions = _officers()
    committee_cache: dict[int, list[int]] = {}

    def committee_for(branch: Organisation) -> list[int]:
        if branch.pk not in committee_cache:
            committee_cache[branch.pk] = sorted({pid for path, pid in staff_positions if branch.path.startswith(path)})
        return committee_cache[branch.pk]

    def responsible(pipeline: Pipeline, step: int) -> list[int]:
        kind = services.responsible_for(step)
        if kind == "person":
            return [pipeline.person_id]
        if kind == "committee":
            return committee_for(pipeline.branch)
        return sorted(set(branch_officers.get(pipeline.branch_id, [])))

    # Each branch's thought-report period (本单位规定; quarterly by default): the reports of the longest
    # period running today are read once, then matched to each pipeline's own period.
    months = local_rules.values(services.REPORT_RULE, {p.branch for p in pipelines.values()}, on=today)
    periods = {n: services.report_period(today, n) for n in set(months.values()) or {3}}
    submitted: dict[int, list[date]] = defaultdict(list)
    for pipeline_id, on in ThoughtReport.objects.filter(
        submitted_on__range=(min(p.first for p in periods.values()), max(p.last for p in periods.values()))
    ).values_list("pipeline_id", "submitted_on"):
        submitted[pipeline_id].append(on)

    wanted: dict[Key, tuple[str, str, date | None]] = {}
    withheld: set[str] = set()  # to-do source ids of next steps whose day has not come
    reminders: list[tuple[Pipeline, dict[int, date]]] = []
    overdue_count = 0
    for pipeline in pipelines.values():
        done = done_by.get(pipeline.pk, {})
        waiting = services.waiting_steps(pipeline, done, today)
        withheld.update(services.task_key(pipeline, step) for step in waiting)
        url = reverse("recruitment:detail", args=[pipeline.pk])
        for step in services.ready_steps(pipeline, done, today):
            due = services.step_deadline(pipeline, step, done)
            title = services.step_task_title(pipeline, step)
            key = services.task_key(pipeline, step)
            for assignee in responsible(pipeline, step):
                wanted[(assignee, "recruitment", key)] = (title, url, due)
            if services.responsible_for(step) != "committee" and due is not None and today > due:
                overdue_count += 1
                for assignee in committee_for(pipeline.branch):
                    wanted.setdefault(
                        (assignee, "recruitment", key), (services.overdue_task_title(pipeline, step), url, due)
                    )
        period = periods[months[pipeline.branch_id]]
        if Step.ADMISSION_VOTE not in done and not any(
            period.first <= on <= period.last for on in submitted[pipeline.pk]
        ):
            wanted[(pipeline.person_id, "recruitment-report", f"{pipeline.pk}:{period.key}")] = (
                period.task_title,
                reverse("recruitment:report"),
                period.last,
            )
        cultivating = Step.ACTIVIST in done and Step.CANDIDATE not in done
        on_probation = Step.ADMISSION_VOTE in done and Step.CONVERSION_REQUEST not in done
        if cultivating or on_probation or waiting:
            reminders.append((pipeline, done))

    with transaction.atomic():
        # a changed interval: the old interval's to-do gives way to the current period's (one duty, one to-do)
        services.close_superseded_report_tasks(
            {pk: months[p.branch_id] for pk, p in pipelines.items() if Step.ADMISSION_VOTE not in done_by.get(pk, {})}
        )
        _write_tasks(wanted, pipelines, withheld)
        _schedule_missing_reminders(reminders, today, branch_officers, responsible)
    return {"pipelines": len(pipelines), "overdue": overdue_count}


def _write_tasks(
    wanted: dict[Key, tuple[str, str, date | None]], pipelines: dict[int, Pipeline], withheld: set[str]
) -> None:
    """Open the wanted to-dos, update changed ones, close those of done steps and withdraw (delete) those of
    steps held back until a later day (``withheld``: nobody did them, so they are not ticked off)."""
    existing: dict[Key, Task] = {}
    open_tasks = Task.objects.filter(source_type="recruitment", done_at__isnull=True).only(
        "pk", "assignee_id", "source_type", "source_id", "title", "url", "due_on"
    )
    for task in open_tasks.iterator(chunk_size=20_000):
        existing[(task.assignee_id, task.source_type, task.source_id)] = task
    report_keys = [k[2] for k in wanted if k[1] == "recruitment-report"]
    for task in Task.objects.filter(
        source_type="recruitment-report", source_id__in=report_keys, done_at__isnull=True
    ).only("pk", "assignee_id", "source_type", "source_id"):
        existing[(task.assignee_id, task.source_type, task.source_id)] = task
    now = clock.now()
    # A recruitment to-do of an active pipeline that is no longer wanted belongs to a step now done: close it;
    # or to a step whose day has not come (a to-do made before that was known): withdraw it.
    stale = [
        task
        for key, task in existing.items()
        if key[1] == "recruitment" and key not in wanted and int(key[2].split(":")[0]) in pipelines
    ]
    Task.objects.filter(pk__in=[task.pk for task in stale if task.source_id in withheld]).delete()
    Task.objects.filter(pk__in=[task.pk for task in stale if task.source_id not in withheld]).update(done_at=now)
    changed, new = [], []
    for key, (title, url, due) in wanted.items():
        task = existing.get(key)
        if task is None:
            new.append(
                Task(assignee_id=key[0], source_type=key[1], source_id=key[2], title=title[:200], url=url, due_on=due)
            )
        elif key[1] == "recruitment" and (task.title, task.due_on) != (title[:200], due):
            task.title, task.due_on = title[:200], due
            changed.append(task)
    Task.objects.bulk_create(new, batch_size=5000)
    Task.objects.bulk_update(changed, ["title", "due_on"], batch_size=5000)


def _schedule_missing_reminders(
    candidates: list[tuple[Pipeline, dict[int, date]]],
    today: date,
    branch_officers: dict[int, list[int]],
    responsible: Callable[[Pipeline, int], list[int]],
) -> None:
    """Dated reminders are created once by their dedupe key, in bulk; those already scheduled cost nothing."""
    specs = [
        spec
        for pipeline, done in candidates
        for spec in services.dated_reminders(
            pipeline,
            done,
            today,
            sorted(set(branch_officers.get(pipeline.branch_id, []))),
            responsible=functools.partial(responsible, pipeline),
        )
    ]
    notify.schedule_new_reminders(specs)
