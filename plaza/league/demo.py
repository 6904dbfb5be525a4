"""Demo data of 共青团 (called by ``seed_demo`` after the enterprise, its branches and recruitment).

The story: the young workers of 东岳动力总成 who build the 奥特能 electric drives are League members. Three of the
装调车间团支部's members turn 28 within three months (the 团总支书记 has the 离团 reminder for the first one on
the to-do list); the League recommends two outstanding young workers to the Party ("向高处攀、和强者比、与能者赛"):
one the 装调车间党支部 has already confirmed as 入党积极分子 (recruitment step 3, 共青团推优), one waiting for
its branch committee; last month's 团费 is in, this month's partly.
"""

from __future__ import annotations

import contextlib
import random
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError

from plaza.accounts.models import Person
from plaza.lib import clock
from plaza.orgs.models import Membership, Position, Title, Tree
from plaza.recruitment import services as recruitment_services
from plaza.recruitment.models import Pipeline, PipelineStatus
from plaza.rules import league as rules

from . import services
from .models import DuesPayment, Recommendation

REASONS = [
    "该同志在奥特能电驱系统装调中攻坚克难，“向高处攀、和强者比、与能者赛”，经团支部大会民主推荐，推荐为入党积极分子人选。",
    "该同志积极参加新能源车型投产保障和青年突击队，群众基础好，经团支部委员会推荐，推荐为入党积极分子人选。",
]


def _birth_for(leaving_on: date) -> date:
    """A birth date whose 28th birthday is ``leaving_on``."""
    return leaving_on.replace(year=leaving_on.year - rules.LEAVING_AGE, day=min(leaving_on.day, 28))


def seed_demo_league(*, seed: int) -> None:
    """Writes this app's demo records (idempotent enough: skipped when 推优 already exist)."""
    if Recommendation.objects.exists():
        return
    rng = random.Random(seed + 18)
    today = clock.today()
    memberships = list(
        Membership.objects.current().filter(tree=Tree.LEAGUE).select_related("organisation").order_by("person_id")
    )
    if not memberships:
        return
    _near_28(memberships, today)
    _recommendations(today)
    _dues(memberships, today, rng)


def _near_28(memberships: list[Membership], today: date) -> None:
    """The members who turn 28 in the coming months are found as they are (their birth dates agree with their ID
    cards): the daily pass puts the reminders on their League secretaries' lists."""
    services.remind_turning_28(today)


def _actor_for(person: Person) -> Person | None:
    membership = services.league_membership(person)
    if membership is None:
        return None
    secretaries = services.league_secretaries(membership.organisation)
    return secretaries[0] if secretaries else None


def _recommendations(today: date) -> None:
    """A League member already at step 2 elsewhere is recommended and confirmed (step 3, 共青团推优); a young
    worker of the 装调车间团支部 applies to sj001's 装调车间党支部, has the talk, and the League's 推优 waits on
    sj001's to-do list for the branch committee."""
    league_people = Membership.objects.current().filter(tree=Tree.LEAGUE).values("person_id")
    pipelines = list(
        Pipeline.objects.filter(status=PipelineStatus.ACTIVE, last_step=2, person_id__in=league_people)
        .select_related("person", "branch")
        .order_by("id")
    )
    for pipeline in pipelines[:3]:
        if _recommend(pipeline, today, REASONS[0], confirm=True):
            break
    pipeline = _apply_in_assembly(today)
    if pipeline is not None:
        _recommend(pipeline, today, REASONS[1], confirm=False)


def _recommend(pipeline: Pipeline, today: date, reason: str, *, confirm: bool) -> bool:
    actor = _actor_for(pipeline.person)
    talk = pipeline.steps.filter(step=2).values_list("done_on", flat=True).first()
    if actor is None or talk is None:
        return False
    recommended_on = min(today, talk + timedelta(days=20))
    try:
        rec = services.recommend(actor, pipeline.person, on=recommended_on, reason=reason, today=today)
    except (ValidationError, PermissionDenied):  # a demo person the rules refuse is simply left out
        return False
    officer = next(iter(_recruiters(pipeline)), None)
    if confirm and officer is not None:
        with contextlib.suppress(ValidationError, PermissionDenied):  # left pending if the rules refuse
            services.confirm(
                officer,
                rec,
                on=min(today, recommended_on + timedelta(days=7)),
                decision="经支部委员会研究，同意确定为入党积极分子。",
                today=today,
            )
    return True


def _apply_in_assembly(today: date) -> Pipeline | None:
    """A League member of the 装调车间团支部 (not in the procedure) applies to sj001's branch: steps 1 and 2."""
    sj001 = Person.objects.filter(employee_no="sj001").first()
    branch = (
        Position.objects.current().filter(person=sj001, title=Title.SECRETARY).select_related("organisation").first()
    )
    league_branch = Membership.objects.current().filter(
        tree=Tree.LEAGUE, organisation__name__startswith="装调车间", organisation__level="league_branch"
    )
    busy = Pipeline.objects.values("person_id")
    candidate = (
        Person.objects.filter(pk__in=league_branch.values("person_id"), is_active=True)
        .exclude(pk__in=busy)
        .exclude(political_status__in=["probationary", "full_member"])
        .exclude(pk__in=Position.objects.current().values("person_id"))
        .order_by("pk")
        .first()
    )
    if sj001 is None or branch is None or candidate is None:
        return None
    try:
        pipeline = recruitment_services.open_pipeline(
            sj001, candidate, branch.organisation, applied_on=today - timedelta(days=75), today=today
        )
        recruitment_services.record_step(sj001, pipeline, 2, today - timedelta(days=55), today=today)
    except (ValidationError, PermissionDenied):
        return None
    return pipeline


def _recruiters(pipeline: Pipeline) -> list[Person]:
    return recruitment_services.officers_for(pipeline, 3)


def _dues(memberships: list[Membership], today: date, rng: random.Random) -> None:
    """Last month's 团费 paid by everyone, this month's by about seven in ten (recorded by their secretaries)."""
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    recorder = (
        Position.objects.current()
        .filter(title=Title.LEAGUE_SECRETARY, organisation__depth=1)
        .values_list("person_id", flat=True)
        .first()
    )
    if recorder is None:
        return
    amounts: dict[int, object] = {}
    rows = []
    for membership in memberships:
        org = membership.organisation
        if org.pk not in amounts:
            amounts[org.pk] = services.dues_amount(org, last_month)
        for month, share in ((last_month, 1.0), (this_month, 0.7)):
            if rng.random() < share:
                rows.append(
                    DuesPayment(
                        person_id=membership.person_id,
                        organisation=org,
                        month=month,
                        amount=amounts[org.pk],
                        paid_on=min(today, month + timedelta(days=rng.randint(3, 20))),
                        recorded_by_id=recorder,
                    )
                )
    DuesPayment.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
