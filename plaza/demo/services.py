"""Writes the demo enterprise into the database, fast enough for 200,000 people.

Rows go in with ``bulk_create`` in batches, so the models' ``save()`` never runs: what ``save()`` would
have set — the organisation's ``tree``, the membership's ``tree``, the person's ``id_card_index`` — is
set here, and the treebeard paths, depths and child counts come ready-made from the plan. Every demo
person gets the same password hash, computed once (hashing 200,000 passwords would take hours).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import islice
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.urls import reverse

from plaza.accounts.models import Person, StatusChange
from plaza.accounts.models import PoliticalStatus as S
from plaza.audit import actions, chain
from plaza.audit.services import record
from plaza.lib import clock
from plaza.lib.crypto import blind_index
from plaza.notify import services as notify
from plaza.orgs.models import LEVEL_TREE, Level, Membership, Organisation, Position
from plaza.recruitment.models import Pipeline, StepRecord
from plaza.recruitment.services import refresh_tasks, remind_reports, report_months, report_period, submit_report
from plaza.rules.dates import add_months
from plaza.rules.recruitment import REVIEW_EVERY_MONTHS, Step

from .accounts import DEMO_PASSWORD
from .enterprise import Enterprise

BATCH_SIZE = 2000

T = TypeVar("T")


@dataclass(frozen=True)
class SeedCounts:
    organisations: int
    people: int
    memberships: int
    positions: int
    status_changes: int
    seconds: float


def _batches(items: Iterable[T], size: int = BATCH_SIZE) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def demo_data_exists() -> bool:
    """The demo is loaded once: any organisation means someone already set this installation up."""
    return Organisation.objects.exists()


def write_enterprise(plan: Enterprise, progress: Callable[[int, int, float], None] | None = None) -> SeedCounts:
    """Insert the planned enterprise in one transaction (all or nothing); ``progress(done, total, secs)``."""
    started = time.perf_counter()
    with transaction.atomic():
        organisations = [
            Organisation(
                name=row.name,
                code=row.code,
                level=row.level,
                tree=LEVEL_TREE[row.level],
                path=row.path,
                depth=row.depth,
                numchild=row.numchild,
                established_on=row.established_on,
            )
            for row in plan.organisations
        ]
        batch: list[Any]  # one name for the batches of each table below
        for batch in _batches(organisations):
            Organisation.objects.bulk_create(batch)
        org_ids = [org.pk for org in organisations]
        org_trees = [org.tree for org in organisations]

        password = make_password(DEMO_PASSWORD)
        person_ids: list[int] = []
        total = len(plan.people)
        for batch in _batches(plan.people):
            people = [
                Person(
                    employee_no=row.employee_no,
                    name=row.name,
                    gender=row.gender,
                    birth_date=row.birth_date,
                    ethnicity=row.ethnicity,
                    education=row.education,
                    department=row.department,
                    job_title=row.job_title,
                    phone=row.phone,
                    id_card=row.id_card,
                    id_card_index=blind_index(row.id_card) if row.id_card else "",
                    political_status=row.political_status,
                    is_staff=row.is_staff,
                    is_superuser=row.is_superuser,
                    password=password,
                )
                for row in batch
            ]
            Person.objects.bulk_create(people)
            person_ids.extend(person.pk for person in people)
            if progress:
                progress(len(person_ids), total, time.perf_counter() - started)

        memberships = 0
        for batch in _batches(
            Membership(person_id=person_ids[p], organisation_id=org_ids[o], tree=org_trees[o], since=since)
            for p, row in enumerate(plan.people)
            for o, since in row.memberships
        ):
            Membership.objects.bulk_create(batch)
            memberships += len(batch)

        changes = 0
        for batch in _batches(
            StatusChange(person_id=person_ids[p], from_status=old, to_status=new, effective_on=on, reason=why)
            for p, row in enumerate(plan.people)
            for old, new, on, why in row.changes
        ):
            chain.bulk_create(StatusChange, batch)  # chained like every status change (plaza.audit.chain)
            changes += len(batch)

        for batch in _batches(
            Position(
                person_id=person_ids[row.person],
                organisation_id=org_ids[row.organisation],
                title=row.title,
                since=row.since,
            )
            for row in plan.positions
        ):
            Position.objects.bulk_create(batch)

        # One entry, so that the audit log says where all these people came from.
        record(
            None,
            actions.DEMO_SEED,
            object_type="demo.enterprise",
            object_repr=plan.organisations[0].name,
            after={
                "organisations": len(organisations),
                "people": len(person_ids),
                "memberships": memberships,
                "positions": len(plan.positions),
                "status_changes": changes,
            },
        )

    if connection.vendor == "postgresql":
        # Fresh statistics, so the planner picks index scans on the new tables straight away.
        with connection.cursor() as cursor:
            for model in (Organisation, Person, Membership, Position, StatusChange):
                cursor.execute(f'ANALYZE "{model._meta.db_table}"')
    return SeedCounts(
        len(organisations), len(person_ids), memberships, len(plan.positions), changes, time.perf_counter() - started
    )


def seed_demo_inbox(today: date | None = None) -> int:
    """Give the demo accounts a believable inbox, through ``notify.notify`` as every notice is sent. To-dos and
    reminders are not written here: each comes from the procedure that closes it when its work is done (the
    recruitment triggers in :func:`seed_demo_recruitment`, the meetings planned in ``branch_life``, the daily
    passes), so nothing on a demo list waits for an event that cannot happen or names a meeting that is not
    there (issue 12 items 9, 10). Returns how many notices were sent."""

    people = {
        p.employee_no: p for p in Person.objects.filter(employee_no__in=["sj001", "dy001", "jj001", "yg001", "zzb001"])
    }
    if len(people) < 5:
        return 0
    sent = notify.notify(
        people.values(),
        kind="general",
        title="欢迎使用党群服务广场",
        body="让数据多跑路，员工少跑路：学习、党务、服务、互动，尽在掌上。",
    )
    sent += notify.notify(
        [people["dy001"]],
        kind="general",
        title="主题教育学习安排",
        body="党委中心组集体学习后，各支部本月开展“学思想、强党性、重实践、建新功”专题学习。",
        url=reverse("learning:index"),
    )
    return sent


def seed_demo_recruitment(today: date | None = None) -> int:
    """Put everyone on the way into the Party (申请人 to 预备党员) into a recruitment pipeline whose recorded steps
    follow their status history, so boards and timelines have a believable story. The to-do lists of the first
    demo branch (sj001's) are filled by the same triggers the live procedure uses."""

    today = today or clock.today()
    recorder = Person.objects.filter(is_superuser=True).order_by("pk").first()
    stages = [S.APPLICANT, S.ACTIVIST, S.CANDIDATE, S.PROBATIONARY]
    people = Person.objects.filter(political_status__in=stages).order_by("pk")
    history: dict[int, dict[str, date]] = {}
    for person_id, to_status, on in StatusChange.objects.filter(person__in=people).values_list(
        "person_id", "to_status", "effective_on"
    ):
        history.setdefault(person_id, {})[to_status] = on
    branch_of: dict[int, int | str] = {}  # a branch's id, or the path of a group's branch
    for person_id, org_id, level, path in Membership.objects.filter(
        person__in=people, tree="party", until__isnull=True
    ).values_list("person_id", "organisation_id", "organisation__level", "organisation__path"):
        branch_of[person_id] = org_id if level != Level.GROUP else path[: -Organisation.steplen]
    group_parents = {v for v in branch_of.values() if isinstance(v, str)}
    parent_ids = dict(Organisation.objects.filter(path__in=group_parents).values_list("path", "pk"))
    day = timedelta(days=1)
    pipelines, plans = [], []
    for person in people:
        dates = history.get(person.pk, {})
        if S.APPLICANT not in dates or person.pk not in branch_of:
            continue
        branch = branch_of[person.pk]
        branch_id = parent_ids[branch] if isinstance(branch, str) else branch
        d0, d1, d2, d3 = (dates.get(s) for s in stages)
        assert d0 is not None  # an applicant (checked above)
        steps = {1: d0, 2: d0 + 14 * day}
        if d1:
            # Step 6 recorded at the first half-yearly review (step 3 + 6 calendar months), as branches do; the
            # rulebook gives it no day of its own. The history puts step 7 a year or more after step 3.
            steps |= {3: d1, 4: d1 + 5 * day, 5: d1 + 5 * day, 6: add_months(d1, REVIEW_EVERY_MONTHS)}
        if d2:
            steps |= {
                7: d2,
                8: d2 + 7 * day,
                9: d2 + 7 * day,
                10: d2 + 20 * day,
                11: d2 + 40 * day,
                12: d2 + 60 * day,
                13: d2 + 70 * day,
                14: d2 + 80 * day,
            }
        if d3:
            steps |= {
                15: d3,
                16: d3 + 10 * day,
                17: d3 + 30 * day,
                18: d3 + 35 * day,
                19: d3 + 35 * day,
                20: d3 + 40 * day,
                21: d3 + 45 * day,
            }
        steps = {n: on for n, on in steps.items() if on <= today}
        pipelines.append(Pipeline(person=person, branch_id=branch_id, last_step=max(steps)))
        plans.append(steps)
    Pipeline.objects.bulk_create(pipelines, batch_size=BATCH_SIZE)
    records = [
        StepRecord(
            pipeline=pipeline,
            step=n,
            done_on=on,
            recorded_by=recorder,
            note="演示数据",
            **({"entitled": 30, "present": 26, "yes": 24} if n == 15 else {}),
            **({"hours": 24} if n == 11 else {}),
        )
        for pipeline, steps in zip(pipelines, plans, strict=True)
        for n, on in steps.items()
    ]
    StepRecord.objects.bulk_create(records, batch_size=BATCH_SIZE)
    _demo_thought_report(today)
    secretary = Person.objects.filter(employee_no="sj001").first()
    if secretary is not None:
        branch_ids = Position.objects.current().filter(person=secretary).values_list("organisation_id", flat=True)
        for pipeline in Pipeline.objects.filter(branch_id__in=list(branch_ids)).select_related("person", "branch"):
            refresh_tasks(pipeline, today=today)
            remind_reports(pipeline, today)  # this period's thought report, as the daily pass puts it
    return len(pipelines)


def _demo_thought_report(today: date) -> None:
    """jj001 handed in last period's thought report (through ``submit_report``, as on the phone), so the
    secretary has one to read; this period's is still to come, and handing it in clears jj001's to-do."""

    pipeline = (
        Pipeline.objects.filter(person__employee_no="jj001", status="active").select_related("person", "branch").first()
    )
    if pipeline is None:
        return
    earlier = report_period(today, report_months(pipeline.branch, on=today)).first - timedelta(days=1)
    applied = pipeline.steps.filter(step=Step.APPLICATION).values_list("done_on", flat=True).first()
    if applied is None or earlier < applied:
        return
    submit_report(
        pipeline.person,
        pipeline,
        title="学习党的二十届四中全会精神的体会",
        content="通过支部组织的集中学习和个人自学，我进一步认识到立足岗位、创新创效就是践行初心使命。"
        "今后我将在新能源车型上量中当好排头兵，主动向党员同志看齐，按时向党组织汇报思想。",
        today=earlier,
    )
