"""Every write of 共青团: 推优 (and its confirmation as recruitment step 3), 团费 payments, the age-28 reminders.

推优 into Party recruitment: the League branch recommends a member (:func:`recommend`); the Party branch that
keeps the person's 入党培养档案 is told at once (a to-do for the officers who record step 3). When its branch
committee decides, :func:`confirm` records step 3 through ``recruitment.services.record_step`` with the
recommendation as its "共青团推优" and the League's date — nothing is typed twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from plaza.accounts.models import Person, PoliticalStatus
from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock, dates
from plaza.localrules import services as local_rules
from plaza.notify import services as notify
from plaza.orgs.models import Membership, Organisation, Position, Title, Tree
from plaza.orgs.permissions import Cap, Scope
from plaza.recruitment import queries as recruitment_queries
from plaza.recruitment import services as recruitment_services
from plaza.recruitment.models import Pipeline
from plaza.rules import league as rules
from plaza.rules.recruitment import Step

from .models import AgeReminder, DuesPayment, Recommendation, RecommendationStatus

#: The to-do sources this app's tasks are closed by.
RECOMMENDATION_TASK = "league.recommendation"
AGE_TASK = "league.age"
#: The recruitment step-3 route a League recommendation is recorded as (recruitment.models.RECOMMENDATIONS).
LEAGUE_ROUTE = "league"


def league_membership(person: Any) -> Membership | None:
    """The person's current League membership (团委, 团总支 or 团支部), or None."""
    return (
        Membership.objects.current()
        .filter(person_id=person.pk, tree=Tree.LEAGUE)
        .select_related("organisation")
        .first()
    )


def holds_league_post(person: Any, on: date | None = None) -> bool:
    """Whether the person holds a League post (团内职务) on ``on``: a position in the League tree."""
    return Position.objects.current(on).filter(person_id=person.pk, organisation__tree=Tree.LEAGUE).exists()


def league_secretaries(organisation: Organisation) -> list[Person]:
    """The nearest League secretaries for an organisation: its own, else the ones of the organisation above."""
    for path in reversed(Organisation.paths_above(organisation.path)):
        holders = Position.objects.current().filter(
            organisation__path=path, title=Title.LEAGUE_SECRETARY, person__is_active=True
        )
        people = [position.person for position in holders.select_related("person")]
        if people:
            return people
    return []


def dues_amount(organisation: Organisation, month: date) -> Decimal:
    """The monthly 团费 for a member of ``organisation`` (本单位规定 ``league.dues_monthly`` in force that month)."""
    return Decimal(str(local_rules.value(organisation, "league.dues_monthly", on=month)))


# ------------------------------------------------------------------------------------------------- 推优


def may_recommend(actor: Any, person: Any) -> bool:
    membership = league_membership(person)
    return membership is not None and Scope.of(actor, Cap.LEAGUE).covers(membership.organisation)


@transaction.atomic
def recommend(actor: Any, person: Person, *, on: date, reason: str, today: date | None = None) -> Recommendation:
    """推优: the League organisation recommends one of its members to the Party (rules.md §12)."""
    today = today or clock.today()
    membership = league_membership(person)
    if membership is None:
        raise ValidationError(_("%(name)s 不是共青团员，不能推优。") % {"name": person.name})
    Scope.of(actor, Cap.LEAGUE).require(organisation=membership.organisation)
    problems = []
    if person.political_status in PoliticalStatus.party_members():
        problems.append(_("%(name)s 已经是党员。") % {"name": person.name})
    if on > today:
        problems.append(_("推荐日期不能晚于今天（%(d)s）。") % {"d": dates.day(today)})
    if len(reason.strip()) < 4:
        problems.append(_("请填写推荐理由（团支部大会或支委会的推荐意见）。"))
    if Recommendation.objects.filter(person=person, status=RecommendationStatus.PENDING).exists():
        problems.append(_("%(name)s 已有一份待党支部确定的推优。") % {"name": person.name})
    if problems:
        raise ValidationError(problems)
    try:
        with transaction.atomic():
            recommendation = Recommendation.objects.create(
                person=person,
                organisation=membership.organisation,
                recommended_on=on,
                reason=reason.strip()[:2000],
                created_by=actor,
            )
    except IntegrityError as exc:  # the same recommendation sent twice at once
        raise ValidationError(_("%(name)s 已有一份待党支部确定的推优。") % {"name": person.name}) from exc
    record(actor, actions.LEAGUE_RECOMMEND, recommendation, after={"person": person.pk, "on": on})
    tell_party(recommendation)
    return recommendation


def tell_party(recommendation: Recommendation) -> int:
    """Put the recommendation on the to-do list of the Party officers who record step 3 of the person's
    入党培养档案 (``recruitment.services.officers_for``). None while the person has no active pipeline: the
    recommendation then waits on the League's list until they apply. Returns how many were told."""
    pipeline = recruitment_queries.active_pipeline(recommendation.person)
    if pipeline is None:
        return 0
    officers = recruitment_services.officers_for(pipeline, Step.ACTIVIST)
    title = _("共青团推优：%(name)s（%(org)s），请支部委员会研究确定入党积极分子") % {
        "name": recommendation.person.name,
        "org": recommendation.organisation.name,
    }
    url = reverse("league:recommendation", args=[recommendation.pk])
    for officer in officers:
        notify.add_task(officer, title, source_type=RECOMMENDATION_TASK, source_id=str(recommendation.pk), url=url)
    return len(officers)


def pipeline_to_confirm(actor: Any, recommendation: Recommendation) -> Pipeline | None:
    """The person's active 入党培养档案 when ``actor`` may record its step 3 now from this recommendation."""
    if recommendation.status != RecommendationStatus.PENDING:
        return None
    pipeline = recruitment_queries.active_pipeline(recommendation.person)
    if pipeline is None or not Scope.of(actor, Cap.RECRUIT).covers(pipeline.branch):
        return None
    return pipeline if Step.ACTIVIST in recruitment_services.next_steps(pipeline) else None


def may_confirm(actor: Any, recommendation: Recommendation) -> bool:
    return pipeline_to_confirm(actor, recommendation) is not None


def may_withdraw(actor: Any, recommendation: Recommendation) -> bool:
    return recommendation.status == RecommendationStatus.PENDING and Scope.of(actor, Cap.LEAGUE).covers(
        recommendation.organisation
    )


@transaction.atomic
def confirm(actor: Any, recommendation: Recommendation, *, on: date, decision: str, today: date | None = None) -> Any:
    """The Party branch committee decides on the recommendation: step 3 (推荐和确定入党积极分子) is recorded in the
    person's 入党培养档案 with the route "共青团推优" and the League's date, through recruitment's own service
    (its rules and refusals apply). Returns the step record."""
    recommendation = (
        Recommendation.objects.select_for_update().select_related("person", "organisation").get(pk=recommendation.pk)
    )
    if recommendation.status != RecommendationStatus.PENDING:
        raise ValidationError(_("该推优%(status)s。") % {"status": recommendation.get_status_display()})
    pipeline = recruitment_queries.active_pipeline(recommendation.person)
    if pipeline is None:
        raise ValidationError(
            _("%(name)s 还没有入党培养档案：请先登记入党申请（第1步）和谈话（第2步）。")
            % {"name": recommendation.person.name}
        )
    Scope.of(actor, Cap.RECRUIT).require(organisation=pipeline.branch)
    entry = recruitment_services.record_step(
        actor,
        pipeline,
        Step.ACTIVIST,
        on,
        note=_("共青团推优（%(org)s）：%(reason)s")
        % {"org": recommendation.organisation.name, "reason": recommendation.reason},
        today=today,
        details={
            "recommendation": [LEAGUE_ROUTE],
            "recommended_on": recommendation.recommended_on,
            "decision": decision,
        },
    )
    recommendation.status = RecommendationStatus.CONFIRMED
    recommendation.step_record = entry
    recommendation.save(update_fields=["status", "step_record"])
    notify.complete_tasks_for(RECOMMENDATION_TASK, str(recommendation.pk))
    record(actor, actions.LEAGUE_RECOMMEND_CONFIRM, recommendation, after={"step_record": entry.pk, "on": on})
    return entry


@transaction.atomic
def withdraw(actor: Any, recommendation: Recommendation, *, reason: str) -> Recommendation:
    """The League organisation takes a pending recommendation back."""
    Scope.of(actor, Cap.LEAGUE).require(organisation=recommendation.organisation)
    if recommendation.status != RecommendationStatus.PENDING:
        raise ValidationError(_("只能撤回待党支部确定的推优。"))
    if not reason.strip():
        raise ValidationError(_("请填写撤回的理由。"))
    updated = Recommendation.objects.filter(pk=recommendation.pk, status=RecommendationStatus.PENDING).update(
        status=RecommendationStatus.WITHDRAWN
    )
    if not updated:
        raise ValidationError(_("只能撤回待党支部确定的推优。"))
    recommendation.status = RecommendationStatus.WITHDRAWN
    notify.complete_tasks_for(RECOMMENDATION_TASK, str(recommendation.pk))
    record(actor, actions.LEAGUE_RECOMMEND_WITHDRAW, recommendation, reason=reason.strip())
    return recommendation


# ------------------------------------------------------------------------------------------------- 团费


@transaction.atomic
def record_dues(
    actor: Any, person: Person, month: date, *, paid_on: date | None = None, today: date | None = None
) -> DuesPayment:
    """One member's 团费 for ``month`` paid (the amount is the 本单位规定 in force that month). Append-only."""
    today = today or clock.today()
    month = month.replace(day=1)
    paid_on = paid_on or today
    membership = league_membership(person)
    if membership is None:
        raise ValidationError(_("%(name)s 不是共青团员。") % {"name": person.name})
    Scope.of(actor, Cap.LEAGUE).require(organisation=membership.organisation)
    if month > today.replace(day=1):
        raise ValidationError(_("不能登记以后月份的团费。"))
    if paid_on > today:
        raise ValidationError(_("交纳日期不能晚于今天（%(d)s）。") % {"d": dates.day(today)})
    amount = dues_amount(membership.organisation, month)
    try:
        with transaction.atomic():
            payment = DuesPayment.objects.create(
                person=person,
                organisation=membership.organisation,
                month=month,
                amount=amount,
                paid_on=paid_on,
                recorded_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("%(name)s %(month)s 的团费已经登记。") % {"name": person.name, "month": dates.month(month)}
        ) from exc
    record(actor, actions.LEAGUE_DUES_PAID, payment, after={"month": month, "amount": str(amount)})
    return payment


# ------------------------------------------------------------------------------------------- age 28


@dataclass(frozen=True)
class AgeReminderResult:
    reminded: int
    skipped_post: int


def remind_turning_28(today: date) -> AgeReminderResult:
    """The daily pass: every League member whose 28th birthday is within a month (``rules.reminder_date`` ≤
    ``today`` < ``rules.leaving_date``) and who holds no League post gets one to-do on the nearest League
    secretary (《团章》第一条). Idempotent: each birthday is reminded once (``AgeReminder``)."""
    # A coarse window on the birth date (one indexed range), then the rules decide exactly.
    anchor = date(today.year - rules.LEAVING_AGE, today.month, 1)
    low, high = anchor - timedelta(days=40), anchor + timedelta(days=70)
    memberships = (
        Membership.objects.current()
        .filter(tree=Tree.LEAGUE, person__is_active=True, person__birth_date__range=(low, high))
        .select_related("person", "organisation")
    )
    done = set(AgeReminder.objects.filter(leaving_on__gt=today).values_list("person_id", "leaving_on"))
    posts = set(
        Position.objects.current(today).filter(organisation__tree=Tree.LEAGUE).values_list("person_id", flat=True)
    )
    reminded = skipped = 0
    for membership in memberships:
        person = membership.person
        birth = person.birth_date
        assert birth is not None
        leaving = rules.leaving_date(birth)
        if not rules.reminder_date(birth) <= today < leaving or (person.pk, leaving) in done:
            continue
        if rules.may_stay(holds_league_post=person.pk in posts):
            skipped += 1
            continue
        with transaction.atomic():
            _reminder, created = AgeReminder.objects.get_or_create(
                person=person, leaving_on=leaving, defaults={"organisation": membership.organisation}
            )
            if not created:
                continue
            title = _("%(name)s（%(org)s）将于 %(day)s 年满二十八周岁，无团内职务，请办理离团手续（%(rule)s）") % {
                "name": person.name,
                "org": membership.organisation.name,
                "day": dates.day(leaving),
                "rule": rules.SOURCE,
            }
            url = reverse("league:roster") + f"?org={membership.organisation_id}&near=1"
            for secretary in league_secretaries(membership.organisation):
                notify.add_task(
                    secretary, title, source_type=AGE_TASK, source_id=f"{person.pk}:{leaving}", url=url, due_on=leaving
                )
        reminded += 1
    return AgeReminderResult(reminded, skipped)


def may_run_league(actor: Any) -> bool:
    """Whether the actor runs (writes for) some League organisation: a League secretary or an administrator.
    组织部 staff hold ``Cap.LEAGUE`` over the Party tree only, so they read the League (``read_scope``) but
    do not run it."""
    scope = Scope.of(actor, Cap.LEAGUE)
    return scope.everything or Organisation.objects.filter(tree=Tree.LEAGUE).filter(scope.q("path")).exists()
