"""Every write of 疗休养: quotas, routes and batches (union officers, ``Cap.UNION``), sign-up and withdrawal
(members), the allocation by lottery or priority, the waiting list moving up, and feedback.

Union membership: an approved union member (``union.queries.membership_of``, status 会员) whose union
organisation lies under the route's organisation. Years of service count from the person's earliest membership
in the enterprise's organisations (Plaza keeps no hire date; the demo enterprise starts each employee's union
group membership on the day they were hired).
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Min, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from plaza.accounts.models import Person
from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock, dates
from plaza.localrules import services as local_rules
from plaza.notify import services as notify
from plaza.orgs.models import Membership, Organisation, Tree
from plaza.orgs.permissions import Cap, Scope
from plaza.rules import retreats as rules
from plaza.union import queries as union_queries
from plaza.union.models import MemberStatus

from .models import Allocation, Batch, Feedback, Method, Quota, Route, SignUp, SignUpStatus

ACTIVE = (SignUpStatus.APPLIED, SignUpStatus.WON, SignUpStatus.WAITING)


def union_organisation(person: Any) -> Organisation | None:
    """The union organisation of the person's union membership (会员, approved), or None: asked of the union app
    (``union.queries.membership_of``), which keeps 入会申请, approval and moves with the job."""
    member = union_queries.membership_of(person)
    if member is None or member.status != MemberStatus.ACTIVE:
        return None
    return member.organisation


def service_start(person: Any) -> date | None:
    """The day the person's service began: their earliest membership in the enterprise's organisations."""
    return Membership.objects.filter(person_id=person.pk).aggregate(first=Min("since"))["first"]


def last_retreat_year(person: Any, before_year: int) -> int | None:
    """The year of the person's last 疗休养 (a place they kept) before ``before_year``, or None."""
    years = list(
        SignUp.objects.filter(
            person_id=person.pk, status=SignUpStatus.WON, batch__route__year__lt=before_year
        ).values_list("batch__route__year", flat=True)
    )
    return max(years) if years else None


def _require_union(organisation: Organisation) -> None:
    if organisation.tree != Tree.UNION:
        raise ValidationError(_("疗休养由工会组织安排。"))


# ------------------------------------------------------------------------------------- officers


@transaction.atomic
def set_quota(actor: Any, organisation: Organisation, year: int, places: int) -> Quota:
    """The union organisation's 疗休养 places for ``year``; never below the places its batches already hold."""
    _require_union(organisation)
    Scope.of(actor, Cap.UNION).require(organisation=organisation)
    planned = Batch.objects.filter(route__organisation=organisation, route__year=year).aggregate(n=Sum("places"))["n"]
    if planned and places < planned:
        raise ValidationError(_("各批次已安排 %(n)s 个名额，年度名额不能少于此数。") % {"n": planned})
    quota, _created = Quota.objects.update_or_create(
        organisation=organisation, year=year, defaults={"places": places, "set_by": actor}
    )
    record(actor, actions.RETREATS_QUOTA, quota, after={"year": year, "places": places})
    return quota


@transaction.atomic
def create_route(
    actor: Any, organisation: Organisation, *, year: int, name: str, destination: str, days: int, description: str = ""
) -> Route:
    _require_union(organisation)
    Scope.of(actor, Cap.UNION).require(organisation=organisation)
    if not name.strip() or not destination.strip():
        raise ValidationError(_("请填写线路名称和目的地。"))
    if not 1 <= days <= 30:
        raise ValidationError(_("疗休养天数应在 1 到 30 天之间。"))
    route = Route.objects.create(
        organisation=organisation,
        year=year,
        name=name.strip(),
        destination=destination.strip(),
        days=days,
        description=description.strip(),
        created_by=actor,
    )
    record(actor, actions.RETREATS_ROUTE, route, after={"year": year, "name": route.name})
    return route


@transaction.atomic
def add_batch(
    actor: Any, route: Route, *, starts_on: date, ends_on: date, places: int, signup_closes_on: date
) -> Batch:
    """A dated departure of the route; its places come out of the organisation's yearly quota (row-locked, so
    two officers adding batches at once cannot exceed it)."""
    Scope.of(actor, Cap.UNION).require(organisation=route.organisation)
    problems = []
    if ends_on < starts_on:
        problems.append(_("返回日期不能早于出发日期。"))
    if signup_closes_on >= starts_on:
        problems.append(_("报名截止日期应早于出发日期。"))
    if starts_on.year != route.year:
        problems.append(_("出发日期应在线路的年度（%(y)s 年）内。") % {"y": route.year})
    if places < 1:
        problems.append(_("名额至少为 1。"))
    quota = Quota.objects.select_for_update().filter(organisation=route.organisation, year=route.year).first()
    if quota is None:
        problems.append(
            _("请先核定 %(org)s %(y)s 年度的疗休养名额。") % {"org": route.organisation.name, "y": route.year}
        )
    else:
        planned = (
            Batch.objects.filter(route__organisation=route.organisation, route__year=route.year).aggregate(
                n=Sum("places")
            )["n"]
            or 0
        )
        if planned + places > quota.places:
            problems.append(
                _("超出年度名额：%(y)s 年共 %(q)s 个，已安排 %(p)s 个，还可安排 %(left)s 个。")
                % {"y": route.year, "q": quota.places, "p": planned, "left": max(quota.places - planned, 0)}
            )
    if problems:
        raise ValidationError(problems)
    batch = Batch.objects.create(
        route=route, starts_on=starts_on, ends_on=ends_on, places=places, signup_closes_on=signup_closes_on
    )
    record(actor, actions.RETREATS_BATCH, batch, after={"starts_on": starts_on, "places": places})
    return batch


# ------------------------------------------------------------------------------------- members


def eligibility_problems(person: Any, batch: Batch, today: date | None = None) -> list[str]:
    """Why ``person`` may not sign up for ``batch`` now (empty: they may), each with its rule."""
    today = today or clock.today()
    route = batch.route
    problems: list[str] = []
    if batch.allocated_at is not None or today > batch.signup_closes_on:
        problems.append(_("报名已截止（%(d)s）。") % {"d": dates.day(batch.signup_closes_on)})
    organisation = union_organisation(person)
    if organisation is None or not organisation.path.startswith(route.organisation.path):
        problems.append(_("只有%(org)s的工会会员可以报名。") % {"org": route.organisation.name})
        return problems
    start = service_start(person) or today
    min_years = int(local_rules.value(route.organisation, "retreats.min_service_years", on=today))
    gap_years = int(local_rules.value(route.organisation, "retreats.gap_years", on=today))
    problems += [
        v.message
        for v in rules.eligibility_problems(
            service_years=rules.service_years(start, today),
            last_year=last_retreat_year(person, route.year),
            year=route.year,
            min_years=min_years,
            gap_years=gap_years,
        )
    ]
    other = (
        SignUp.objects.filter(person_id=person.pk, status__in=ACTIVE, batch__route__year=route.year)
        .exclude(batch=batch)
        .select_related("batch__route")
        .first()
    )
    if other is not None:
        problems.append(
            _("您已报名本年度的「%(route)s」（%(d)s），每人每年只能报名一个批次。")
            % {"route": other.batch.route.name, "d": dates.day(other.batch.starts_on)}
        )
    return problems


def may_sign_up(person: Any, batch: Batch, today: date | None = None) -> bool:
    return (
        not eligibility_problems(person, batch, today)
        and not SignUp.objects.filter(batch=batch, person_id=person.pk, status__in=ACTIVE).exists()
    )


@transaction.atomic
def sign_up(person: Person, batch: Batch, *, today: date | None = None) -> SignUp:
    today = today or clock.today()
    problems = eligibility_problems(person, batch, today)
    if problems:
        raise ValidationError(problems)
    start = service_start(person) or today
    existing = SignUp.objects.filter(batch=batch, person=person).first()
    if existing is not None and existing.status in ACTIVE:
        raise ValidationError(_("您已报名这个批次。"))
    fields = {
        "service_years": rules.service_years(start, today),
        "last_year": last_retreat_year(person, batch.route.year),
    }
    if existing is not None:  # signed up again after withdrawing, before the allocation
        SignUp.objects.filter(pk=existing.pk).update(status=SignUpStatus.APPLIED, waiting_rank=None, **fields)
        existing.refresh_from_db()
        signup = existing
    else:
        try:
            with transaction.atomic():
                signup = SignUp.objects.create(batch=batch, person=person, **fields)
        except IntegrityError as exc:
            raise ValidationError(_("您已报名这个批次。")) from exc
    record(person, actions.RETREATS_SIGN_UP, signup, after={"batch": batch.pk})
    return signup


def may_withdraw(person: Any, signup: SignUp, today: date | None = None) -> bool:
    today = today or clock.today()
    return signup.person_id == person.pk and signup.status in ACTIVE and today < signup.batch.starts_on


@transaction.atomic
def withdraw(person: Any, signup: SignUp, *, today: date | None = None) -> SignUp:
    """The member withdraws before departure; a place they held goes to the first on the waiting list."""
    today = today or clock.today()
    if signup.person_id != person.pk:
        raise PermissionDenied(_("只能退出自己的报名。"))
    if not may_withdraw(person, signup, today):
        raise ValidationError(_("出发后或已退出的报名不能再退出。"))
    held = signup.status == SignUpStatus.WON
    updated = SignUp.objects.filter(pk=signup.pk, status__in=ACTIVE).update(
        status=SignUpStatus.WITHDRAWN, waiting_rank=None, decided_at=clock.now()
    )
    if not updated:
        raise ValidationError(_("出发后或已退出的报名不能再退出。"))
    if held:
        Batch.objects.filter(pk=signup.batch_id, taken__gt=0).update(taken=F("taken") - 1)
        promote(signup.batch)
    record(person, actions.RETREATS_WITHDRAW, signup, after={"held_place": held})
    signup.refresh_from_db()
    return signup


def promote(batch: Batch) -> list[SignUp]:
    """Give free places to the waiting list in its order: each place by a conditional UPDATE of ``taken``
    (``taken < places``), so concurrent withdrawals never over-fill the batch. The promoted are told."""
    promoted = []
    while True:
        nxt = (
            SignUp.objects.filter(batch=batch, status=SignUpStatus.WAITING)
            .order_by("waiting_rank", "id")
            .select_related("person")
            .first()
        )
        if nxt is None:
            break
        if not Batch.objects.filter(pk=batch.pk, taken__lt=F("places")).update(taken=F("taken") + 1):
            break
        if not SignUp.objects.filter(pk=nxt.pk, status=SignUpStatus.WAITING).update(
            status=SignUpStatus.WON, waiting_rank=None, decided_at=clock.now()
        ):
            Batch.objects.filter(pk=batch.pk).update(taken=F("taken") - 1)  # taken by someone else meanwhile
            continue
        promoted.append(nxt)
        notify.notify(
            [nxt.person],
            kind="retreats",
            url=reverse("retreats:index"),
            title=_("候补递补：您已入选疗休养「%(route)s」（%(d)s 出发）")
            % {"route": batch.route.name, "d": dates.day(batch.starts_on)},
        )
    return promoted


def may_allocate(actor: Any, batch: Batch) -> bool:
    return batch.allocated_at is None and Scope.of(actor, Cap.UNION).covers(batch.route.organisation)


@transaction.atomic
def allocate(actor: Any, batch: Batch, *, method: str, seed: str = "", today: date | None = None) -> Allocation:
    """Give the batch's places among its sign-ups, by a lottery with a recorded seed (reproducible) or by the
    priority rules (``plaza.rules.retreats``); the rest form the waiting list in order. Once per batch."""
    batch = Batch.objects.select_for_update().select_related("route__organisation").get(pk=batch.pk)
    Scope.of(actor, Cap.UNION).require(organisation=batch.route.organisation)
    if batch.allocated_at is not None:
        raise ValidationError(_("这个批次已经分配过名额。"))
    if method not in Method.values:
        raise ValidationError(_("请选择分配方式：抽签或按优先规则。"))
    signups = list(SignUp.objects.filter(batch=batch, status=SignUpStatus.APPLIED).order_by("person_id"))
    by_person = {s.person_id: s for s in signups}
    ids = sorted(by_person)
    if method == Method.LOTTERY:
        seed = (seed or "").strip()[:64] or secrets.token_hex(8)
        winners, waiting = rules.draw(ids, seed, batch.places)
    else:
        seed = ""
        order = {s.pk: n for n, s in enumerate(sorted(signups, key=lambda s: (s.created_at, s.pk)))}
        winners, waiting = rules.rank_by_priority(
            [rules.Candidate(s.person_id, s.service_years, s.last_year, order[s.pk]) for s in signups], batch.places
        )
    now = clock.now()
    for person_id in winners:
        by_person[person_id].status, by_person[person_id].waiting_rank = SignUpStatus.WON, None
    for rank, person_id in enumerate(waiting, start=1):
        by_person[person_id].status, by_person[person_id].waiting_rank = SignUpStatus.WAITING, rank
    for signup in signups:
        signup.decided_at = now
    SignUp.objects.bulk_update(signups, ["status", "waiting_rank", "decided_at"])
    batch.taken, batch.allocated_at = len(winners), now
    batch.save(update_fields=["taken", "allocated_at"])
    allocation = Allocation.objects.create(
        batch=batch, method=method, seed=seed, candidates=ids, winners=winners, waiting=waiting, done_by=actor
    )
    record(actor, actions.RETREATS_ALLOCATE, allocation, after={"method": method, "seed": seed, "n": len(ids)})
    url = reverse("retreats:index")
    route = batch.route.name
    won = Person.objects.filter(pk__in=winners)
    notify.notify(won, kind="retreats", url=url, title=_("您已入选疗休养「%(route)s」") % {"route": route})
    notify.notify(
        Person.objects.filter(pk__in=waiting),
        kind="retreats",
        url=url,
        title=_("疗休养「%(route)s」名额已满，您在候补名单中") % {"route": route},
    )
    return allocation


def reproduce(allocation: Allocation) -> bool:
    """Whether drawing again from the recorded candidates and seed gives the recorded result (a lottery)."""
    if allocation.method != Method.LOTTERY:
        return True
    # the shuffle does not depend on the number of places, so splitting at the recorded count is the draw
    winners, waiting = rules.draw(allocation.candidates, allocation.seed, len(allocation.winners))
    return winners == allocation.winners and waiting == allocation.waiting


def may_give_feedback(person: Any, signup: SignUp, today: date | None = None) -> bool:
    today = today or clock.today()
    return (
        signup.person_id == person.pk
        and signup.status == SignUpStatus.WON
        and today >= signup.batch.ends_on
        and not Feedback.objects.filter(signup=signup).exists()
    )


@transaction.atomic
def give_feedback(
    person: Any, signup: SignUp, *, rating: int, comment: str = "", today: date | None = None
) -> Feedback:
    today = today or clock.today()
    if signup.person_id != person.pk:
        raise PermissionDenied(_("只能评价自己参加的疗休养。"))
    if signup.status != SignUpStatus.WON or today < signup.batch.ends_on:
        raise ValidationError(_("疗休养结束（%(d)s）后才能评价。") % {"d": dates.day(signup.batch.ends_on)})
    if not 1 <= rating <= 5:
        raise ValidationError(_("满意度请选 1 到 5 分。"))
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(signup=signup, rating=rating, comment=comment.strip()[:2000])
    except IntegrityError as exc:
        raise ValidationError(_("您已经评价过这次疗休养。")) from exc
    record(person, actions.RETREATS_FEEDBACK, feedback, after={"rating": rating})
    return feedback


def may_print_leave_note(viewer: Any, signup: SignUp) -> bool:
    """The leave note (请假单) for the manager: the participant's own, or the union officers'."""
    return signup.status == SignUpStatus.WON and (
        signup.person_id == viewer.pk or Scope.of(viewer, Cap.UNION).covers(signup.batch.route.organisation)
    )
