"""Every write about points: the ledger (earn, spend, refund, staff awards and adjustments, daily caps, 阅读豆,
year-end expiry) and the 积分超市 (items, stock, redeem, hand-over, cancel).

A change of points always adds one :class:`~plaza.points.models.Entry` and changes the person's
:class:`~plaza.points.models.Balance` in the same transaction, with the balance row locked
(``select_for_update``), so concurrent requests can neither lose an update nor overdraw. Locks are always taken
in the order order → item → balance, so two requests never wait for each other in a circle. Staff actions need
``Cap.POINTS`` and are audited; refusals say why in Chinese (``ValidationError``).
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, router, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from plaza.accounts.models import Person
from plaza.audit import actions, chain
from plaza.audit.services import record
from plaza.lib import clock, dates
from plaza.orgs.models import Membership
from plaza.orgs.permissions import Cap, Scope, can

from . import queries
from .models import RANKED_KINDS, Balance, Entry, Item, Kind, Order, OrderState, Total, period_keys

#: Pickup codes: no 0/O, 1/I/L, so a code read aloud or typed from a screen is not mistaken.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
ORDER_SOURCE = "points.order"
#: What the ledger's own sources read as; the activities of other apps read as their registered label.
SOURCE_LABELS = {
    "award": _lazy("奖励"),
    "adjust": _lazy("人工调整"),
    "expire": _lazy("年度清零"),
    ORDER_SOURCE: _lazy("积分兑换"),
}
MAX_AMOUNT = 100_000  # one award or adjustment; a typo of three zeros is refused


@dataclass(frozen=True)
class Activity:
    """Something in Plaza that earns points with a daily cap (阅读豆 for reading an article, …). Apps register
    the activities they implement in ``AppConfig.ready()``; only those exist, so the points page never shows a
    cap for something nothing can earn (issue 12 item 11: 视频学习 and 答题 had caps and no way to earn)."""

    key: str
    label: Any
    default_cap: int


_ACTIVITIES: dict[str, Activity] = {}


def source_label(source_type: str) -> str:
    """A ledger entry's source as people read it (issue 14: never "reading" or "award" on screen)."""
    if source_type in _ACTIVITIES:
        return str(_ACTIVITIES[source_type].label)
    if source_type in SOURCE_LABELS:
        return str(SOURCE_LABELS[source_type])
    return source_type or _("其他")


def register_activity(key: str, label: Any, *, default_cap: int) -> Activity:
    activity = Activity(key, label, default_cap)
    _ACTIVITIES[key] = activity
    return activity


def activities() -> list[Activity]:
    """The registered activities, in the order they were registered."""
    return list(_ACTIVITIES.values())


def daily_caps() -> dict[str, int]:
    """Points a person may earn per registered activity and day: the activity's default, or
    ``PLAZA_POINTS_DAILY_CAPS[key]`` (a key there that no app registered adds nothing)."""
    configured = getattr(settings, "PLAZA_POINTS_DAILY_CAPS", {}) or {}
    return {key: int(configured.get(key, activity.default_cap)) for key, activity in _ACTIVITIES.items()}


def reading_min_seconds() -> int:
    return int(getattr(settings, "PLAZA_POINTS_READING_MIN_SECONDS", 30))


def reading_beans_per_article() -> int:
    return int(getattr(settings, "PLAZA_POINTS_READING_BEANS", 1))


@dataclass(frozen=True)
class Grant:
    """What an earning request came to: the entry (new, or the earlier one for a repeated key), how many points
    this request added (0 when capped or repeated) and a sentence for the person."""

    entry: Entry | None
    granted: int
    message: str
    repeated: bool = False


# ------------------------------------------------------------------------------------------------- ledger


def balance_of(person: Any) -> int:
    return Balance.objects.filter(person=person).values_list("amount", flat=True).first() or 0


def _lock_balance(person: Person) -> Balance:
    """The person's balance row, created if missing and locked until the transaction ends.

    The chains' lock (:mod:`plaza.audit.chain`) comes first: the entry written under this balance needs it, and
    taking it only then would let a pass over many people (yearly expiry), holding the chain since its first
    person, and an award to a later person, holding that person's balance, wait for each other in a circle."""
    chain.lock(router.db_for_write(Entry))
    Balance.objects.bulk_create([Balance(person=person)], ignore_conflicts=True)
    return Balance.objects.select_for_update().get(person=person)


def _existing(key: str | None) -> Entry | None:
    return Entry.objects.filter(idempotency_key=key).first() if key else None


@transaction.atomic
def _post(
    person: Person,
    kind: str,
    amount: int,
    *,
    reason: str,
    source_type: str = "",
    source_id: Any = "",
    key: str | None = None,
    created_by: Any = None,
    balance: Balance | None = None,
) -> tuple[Entry, bool]:
    """Add one entry and move the balance; returns (entry, whether it is new). A known key adds nothing."""
    if not isinstance(amount, int) or amount == 0:
        raise ValidationError(_("积分数量不能为零。"))
    balance = balance or _lock_balance(person)
    existing = _existing(key)
    if existing is not None:
        return existing, False
    if balance.amount + amount < 0:
        raise ValidationError(
            _("积分不足：需要 %(need)s，当前余额 %(have)s。") % {"need": -amount, "have": balance.amount}
        )
    try:
        with transaction.atomic():  # two requests with one key at once (another person's, or no lock held)
            entry = Entry.objects.create(
                person=person,
                kind=kind,
                amount=amount,
                reason=reason.strip()[:200],
                source_type=source_type,
                source_id=str(source_id)[:64],
                idempotency_key=key or None,
                created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
            )
    except IntegrityError:
        existing = _existing(key)
        if existing is None:
            raise
        return existing, False
    balance.amount += amount
    balance.save(update_fields=["amount", "updated_at"])
    if kind in RANKED_KINDS:
        add_to_totals(person.pk, entry.created_at, amount)
    return entry, True


def add_to_totals(person_id: int, moment: Any, amount: int) -> None:
    """Count a ranked entry in its week, month and all-time totals. Called under the person's balance lock, so
    two postings for one person never race for the same rows."""
    for period in period_keys(moment):
        if not Total.objects.filter(person_id=person_id, period=period).update(earned=F("earned") + amount):
            Total.objects.create(person_id=person_id, period=period, earned=amount)


def rebuild_totals() -> int:
    """Recompute every total from the ledger (after a bulk load or a repair); returns how many rows."""

    sums: dict[tuple[int, str], int] = defaultdict(int)
    rows = Entry.objects.filter(kind__in=RANKED_KINDS).values_list("person_id", "created_at", "amount")
    for person_id, moment, amount in rows.iterator(chunk_size=50_000):
        for period in period_keys(moment):
            sums[(person_id, period)] += amount
    with transaction.atomic():
        Total.objects.all().delete()
        Total.objects.bulk_create(
            [Total(person_id=p, period=k, earned=n) for (p, k), n in sums.items()], batch_size=10_000
        )
    return len(sums)


def earn(
    person: Person, amount: int, *, reason: str, source_type: str = "", source_id: Any = "", key: str | None = None
) -> Entry:
    """Credit points for something done. Idempotent: the same ``key`` returns the existing entry."""
    if amount <= 0:
        raise ValidationError(_("获得的积分必须大于零。"))
    return _post(person, Kind.EARN, amount, reason=reason, source_type=source_type, source_id=source_id, key=key)[0]


def spend(
    person: Person, amount: int, *, reason: str, source_type: str = "", source_id: Any = "", key: str | None = None
) -> Entry:
    """Debit points; refused (nothing changes) when the balance is not enough."""
    if amount <= 0:
        raise ValidationError(_("使用的积分必须大于零。"))
    return _post(person, Kind.SPEND, -amount, reason=reason, source_type=source_type, source_id=source_id, key=key)[0]


def refund(
    person: Person, amount: int, *, reason: str, source_type: str = "", source_id: Any = "", key: str | None = None
) -> Entry:
    """Give back points spent (a cancelled order)."""
    if amount <= 0:
        raise ValidationError(_("退还的积分必须大于零。"))
    return _post(person, Kind.REFUND, amount, reason=reason, source_type=source_type, source_id=source_id, key=key)[0]


def _staff_check(actor: Any, person: Person, amount: int, reason: str) -> str:
    Scope.of(actor, Cap.POINTS).require(person=person)
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError(_("请写明原因。"))
    if abs(amount) > MAX_AMOUNT:
        raise ValidationError(_("一次最多 %(n)s 积分。") % {"n": MAX_AMOUNT})
    return reason


@transaction.atomic
def award(actor: Any, person: Person, amount: int, reason: str) -> Entry:
    """Staff award points (先进表彰, 活动奖励, …): an ``earn`` entry by the actor, audited."""
    reason = _staff_check(actor, person, amount, reason)
    if amount <= 0:
        raise ValidationError(_("奖励的积分必须大于零。"))
    before = balance_of(person)
    entry, _new = _post(person, Kind.EARN, amount, reason=reason, source_type="award", created_by=actor)
    record(
        actor,
        actions.POINTS_AWARD,
        entry,
        before={"balance": before},
        after={"balance": before + amount},
        reason=reason,
    )
    return entry


@transaction.atomic
def adjust(actor: Any, person: Person, amount: int, reason: str) -> Entry:
    """Staff correct a balance up or down (never below zero), audited."""
    reason = _staff_check(actor, person, amount, reason)
    if amount == 0:
        raise ValidationError(_("调整的积分不能为零。"))
    before = balance_of(person)
    entry, _new = _post(person, Kind.ADJUST, amount, reason=reason, source_type="adjust", created_by=actor)
    record(
        actor,
        actions.POINTS_ADJUST,
        entry,
        before={"balance": before},
        after={"balance": before + amount},
        reason=reason,
    )
    return entry


def _today_start() -> datetime:
    return timezone.make_aware(datetime.combine(clock.today(), time.min))


@transaction.atomic
def earn_for_activity(
    person: Person, activity: str, amount: int, *, source_id: Any = "", key: str | None = None, reason: str = ""
) -> Grant:
    """Points for a learning activity (``reading``, ``video``, ``quiz``), at most the rest of today's cap for
    that activity. Idempotent by ``key``. The balance lock makes concurrent requests count against one cap."""
    caps = daily_caps()
    if activity not in caps:
        raise ValidationError(_("未知的积分活动：%(a)s") % {"a": activity})
    if amount <= 0:
        raise ValidationError(_("获得的积分必须大于零。"))
    balance = _lock_balance(person)
    existing = _existing(key)
    if existing is not None:
        return Grant(existing, 0, _("已经领取过，不重复计分。"), repeated=True)
    today = (
        Entry.objects.filter(
            person=person, kind=Kind.EARN, source_type=activity, created_at__gte=_today_start()
        ).aggregate(s=Sum("amount"))["s"]
        or 0
    )
    remaining = max(caps[activity] - today, 0)
    granted = min(amount, remaining)
    if granted <= 0:
        return Grant(None, 0, _("今日该项积分已达上限（%(cap)s 分），明天再来吧。") % {"cap": caps[activity]})
    entry, new = _post(
        person,
        Kind.EARN,
        granted,
        reason=reason or str(_ACTIVITIES[activity].label),
        source_type=activity,
        source_id=source_id,
        key=key,
        balance=balance,
    )
    if granted < amount:
        message = _("获得 %(n)s 积分，今日该项积分已达上限（%(cap)s 分）。") % {"n": granted, "cap": caps[activity]}
    else:
        message = _("获得 %(n)s 积分。") % {"n": granted}
    return Grant(entry, granted if new else 0, message, repeated=not new)


@dataclass(frozen=True)
class Earning:
    """One request of :func:`earn_for_activity_many`: ``amount`` points of ``activity`` for a person, earned at
    ``at`` (the moment the thing was done; the entry's time, and the day whose cap it counts against)."""

    person_id: int
    activity: str
    amount: int
    key: str
    at: datetime
    source_id: Any = ""
    reason: str = ""


def _day_bounds(moment: datetime) -> tuple[datetime, datetime]:
    day = timezone.localdate(moment)
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


@transaction.atomic
def earn_for_activity_many(earnings: list[Earning]) -> list[Grant]:
    """:func:`earn_for_activity` for many requests at once, in about a dozen queries whatever their number
    (issue 15: 20,000 people's daily answers in ten minutes, each a ledger entry under the chains' one lock).

    The same rules, request by request in the order given: idempotent by ``key`` (a known key adds nothing), at
    most the rest of the cap of the activity on the day of ``at`` (what the person's entries of that activity
    dated that day already hold, and the earlier requests of the batch). The chains' lock is taken once, then the
    people's balance rows in id order (as :func:`_lock_balance`: chain before balances), so a batch and a single
    posting never wait for each other in a circle. Each entry is dated ``at``: when it was earned, so a request
    granted a moment after midnight still counts against the day it was earned on. Returns one Grant per
    request, in order."""
    if not earnings:
        return []
    caps = daily_caps()
    for earning in earnings:
        if earning.activity not in caps:
            raise ValidationError(_("未知的积分活动：%(a)s") % {"a": earning.activity})
        if earning.amount <= 0:
            raise ValidationError(_("获得的积分必须大于零。"))
    using = router.db_for_write(Entry)
    chain.lock(using)
    person_ids = sorted({e.person_id for e in earnings})
    Balance.objects.bulk_create([Balance(person_id=p) for p in person_ids], ignore_conflicts=True)
    locked = Balance.objects.select_for_update().filter(person_id__in=person_ids).order_by("person_id")
    balances = {b.person_id: b for b in locked}
    known = {e.idempotency_key: e for e in Entry.objects.filter(idempotency_key__in=[e.key for e in earnings])}
    used: dict[tuple[int, str, date], int] = defaultdict(int)
    windows = {(e.activity, timezone.localdate(e.at)): _day_bounds(e.at) for e in earnings}
    for (activity, day), (start, end) in windows.items():
        sums = (
            Entry.objects.filter(
                person_id__in=person_ids,
                kind=Kind.EARN,
                source_type=activity,
                created_at__gte=start,
                created_at__lt=end,
            )
            .values("person_id")
            .annotate(s=Sum("amount"))
            .values_list("person_id", "s")
        )
        for person_id, total in sums:
            used[(person_id, activity, day)] = total or 0
    grants: list[Grant] = []
    new: list[Entry] = []
    for earning in earnings:
        cap = caps[earning.activity]
        if earning.key in known:
            grants.append(Grant(known[earning.key], 0, _("已经领取过，不重复计分。"), repeated=True))
            continue
        slot = (earning.person_id, earning.activity, timezone.localdate(earning.at))
        granted = min(earning.amount, max(cap - used[slot], 0))
        if granted <= 0:
            grants.append(Grant(None, 0, _("今日该项积分已达上限（%(cap)s 分），明天再来吧。") % {"cap": cap}))
            continue
        entry = Entry(
            person_id=earning.person_id,
            kind=Kind.EARN,
            amount=granted,
            reason=(earning.reason or str(_ACTIVITIES[earning.activity].label)).strip()[:200],
            source_type=earning.activity,
            source_id=str(earning.source_id)[:64],
            idempotency_key=earning.key,
            created_at=earning.at,
        )
        known[earning.key] = entry
        new.append(entry)
        used[slot] += granted
        balances[earning.person_id].amount += granted
        if granted < earning.amount:
            message = _("获得 %(n)s 积分，今日该项积分已达上限（%(cap)s 分）。") % {"n": granted, "cap": cap}
        else:
            message = _("获得 %(n)s 积分。") % {"n": granted}
        grants.append(Grant(entry, granted, message))
    if new:
        chain.bulk_create(Entry, new)  # the lock is held already; the chain's head is read once for all
        now = clock.now()
        credited = {e.person_id for e in new}
        changed = [b for b in balances.values() if b.person_id in credited]
        for balance in changed:
            balance.updated_at = now
        Balance.objects.bulk_update(changed, ["amount", "updated_at"])
        _add_many_to_totals(new)
    return grants


def _add_many_to_totals(entries: list[Entry]) -> None:
    """:func:`add_to_totals` for many ranked entries at once (under their people's balance locks): one read of the
    rows concerned, one update of those found, one insert of the rest."""
    sums: dict[tuple[int, str], int] = defaultdict(int)
    for entry in entries:
        for period in period_keys(entry.created_at):
            sums[(entry.person_id, period)] += entry.amount
    people = {p for p, _period in sums}
    periods = {period for _p, period in sums}
    found = {
        (t.person_id, t.period): t
        for t in Total.objects.filter(person_id__in=people, period__in=periods)
        if (t.person_id, t.period) in sums
    }
    for slot, total in found.items():
        total.earned += sums[slot]
    if found:
        Total.objects.bulk_update(list(found.values()), ["earned"])
    missing = [Total(person_id=p, period=k, earned=n) for (p, k), n in sums.items() if (p, k) not in found]
    if missing:
        Total.objects.bulk_create(missing)


def reading_beans(person: Person, article_key: str, *, seconds_on_page: int, progress: float) -> Grant:
    """阅读豆 for reading an article: once per article and person, only after reading long enough
    (``PLAZA_POINTS_READING_MIN_SECONDS``, default 30) and to the end (``progress`` ≥ 0.9), within the daily
    ``reading`` cap. The learning app's reading endpoint calls this."""
    article_key = (article_key or "").strip()
    if not article_key or len(article_key) > 100:
        raise ValidationError(_("文章标识无效。"))
    minimum = reading_min_seconds()
    if seconds_on_page < minimum:
        raise ValidationError(
            _("阅读时间不足 %(n)s 秒（还差 %(left)s 秒），读满后再领取阅读豆。")
            % {"n": minimum, "left": minimum - max(int(seconds_on_page), 0)}
        )
    if progress < 0.9:
        raise ValidationError(_("请读完全文（阅读进度达到 90%）后再领取阅读豆。"))
    grant = earn_for_activity(
        person,
        "reading",
        reading_beans_per_article(),
        source_id=article_key,
        key=queries.reading_key(article_key, person.pk),
        reason=_("阅读文章"),
    )
    if grant.repeated:
        return Grant(grant.entry, 0, _("这篇文章已经领过阅读豆。"), repeated=True)
    return grant


@transaction.atomic
def expire_year(actor: Any, year: int) -> int:
    """年度清零: points earned up to the end of ``year`` and not spent by now expire (oldest spent first, so a
    person keeps what they were credited after that year). Idempotent per person and year; returns how many
    people lost points."""
    if actor is not None and not can(actor, Cap.POINTS):  # None: the yearly job (PLAZA_POINTS_EXPIRE_YEARLY)
        raise PermissionDenied(_("您没有权限执行积分清零。"))
    if queries.year_end(year) > clock.now():
        raise ValidationError(_("%(y)s 年尚未结束，不能清零。") % {"y": year})
    later = queries.earned_since(queries.year_end(year))
    count = 0
    # staff expire the points of the people whose ledger they keep (queries.ledger_people); the job, everyone's
    for person_id in queries.expiring_balances(actor).values_list("person_id", flat=True).iterator():
        person = Person(pk=person_id)
        with transaction.atomic():
            balance = _lock_balance(person)
            expiring = balance.amount - later.get(person_id, 0)
            if expiring <= 0:
                continue
            _entry, new = _post(
                person,
                Kind.EXPIRE,
                -expiring,
                reason=_("%(y)s 年度积分清零") % {"y": year},
                source_type="expire",
                source_id=year,
                key=f"expire:{year}:{person_id}",
                created_by=actor,
                balance=balance,
            )
            count += int(new)
    if count:  # a run that took nothing (the daily job after the first day of January) leaves no trace
        record(
            actor,
            actions.POINTS_EXPIRE,
            None,
            object_type="points.year",
            object_id=str(year),
            after={"year": year, "people": count},
        )
    return count


def daily_pass(today: date) -> str:
    """The points' daily pass: in January, when the deployment wants it (``PLAZA_POINTS_EXPIRE_YEARLY``, off by
    default: 学习强国-style yearly expiry is a policy choice), last year's unspent points expire. Idempotent,
    so running every day of January takes them once and catches up after a missed day."""
    if not getattr(settings, "PLAZA_POINTS_EXPIRE_YEARLY", False) or today.month != 1:
        return "yearly expiry off" if today.month == 1 else "nothing to do"
    return f"{expire_year(None, today.year - 1)} people's {today.year - 1} points expired"


# ---------------------------------------------------------------------------------------------- the mall


def eligible(person: Any, item: Item) -> bool:
    """Whether the item is offered to the person (no organisations: everyone)."""
    paths = list(item.organisations.values_list("path", flat=True))
    if not paths:
        return True
    q = Q()
    for path in paths:
        q |= Q(organisation__path__startswith=path)
    return Membership.objects.current().filter(q, person=person).exists()


def _window_problem(item: Item, now: datetime) -> str:
    if not item.active:
        return _("该商品已下架。")
    if item.available_from and now < item.available_from:
        return _("该商品 %(t)s 起开放兑换。") % {"t": dates.moment(item.available_from)}
    if item.available_until and now > item.available_until:
        return _("该商品兑换已于 %(t)s 截止。") % {"t": dates.moment(item.available_until)}
    return ""


def redeemed_by(person: Any, item: Item) -> int:
    return (
        Order.objects.filter(item=item, person=person)
        .exclude(state=OrderState.CANCELLED)
        .aggregate(s=Sum("quantity"))["s"]
        or 0
    )


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        if not Order.objects.filter(pickup_code=code).exists():
            return code


@transaction.atomic
def redeem(person: Person, item: Item, quantity: int = 1, *, now: datetime | None = None) -> Order:
    """Redeem ``quantity`` of an item: stock down, points spent, an order with a pickup code — all or nothing.

    The item row is locked first, then the balance, so the last pieces go to exactly as many people as there
    are pieces. Refused when outside the window, not offered to the person, out of stock, over the per-person
    limit or without enough points.
    """
    now = now or clock.now()
    if not getattr(person, "is_authenticated", False) or not person.is_active:
        raise PermissionDenied(_("请先登录。"))
    if not isinstance(quantity, int) or not 1 <= quantity <= 99:
        raise ValidationError(_("兑换数量应在 1 到 99 之间。"))
    item = Item.objects.select_for_update().get(pk=item.pk)
    problem = _window_problem(item, now)
    if problem:
        raise ValidationError(problem)
    if not eligible(person, item):
        raise ValidationError(_("该商品仅限指定组织的人员兑换。"))
    if item.stock < quantity:
        raise ValidationError(_("库存不足：剩余 %(n)s 件。") % {"n": item.stock} if item.stock else _("已兑完。"))
    if item.per_person_limit:
        already = redeemed_by(person, item)
        if already + quantity > item.per_person_limit:
            raise ValidationError(
                _("每人限兑 %(limit)s 件，您已兑换 %(n)s 件。") % {"limit": item.per_person_limit, "n": already}
            )
    cost = item.price * quantity
    balance = _lock_balance(person)
    if balance.amount < cost:
        raise ValidationError(
            _("积分不足：需要 %(need)s，当前余额 %(have)s。") % {"need": cost, "have": balance.amount}
        )
    Item.objects.filter(pk=item.pk).update(stock=F("stock") - quantity)
    order = Order.objects.create(
        item=item, person=person, quantity=quantity, points=cost, placed_at=now, pickup_code=_new_code()
    )
    _post(
        person,
        Kind.SPEND,
        -cost,
        reason=_("兑换：%(item)s × %(n)s") % {"item": item.name, "n": quantity},
        source_type=ORDER_SOURCE,
        source_id=order.pk,
        key=f"order:{order.pk}",
        balance=balance,
    )
    return order


@transaction.atomic
def hand_over(actor: Any, code: str) -> Order:
    """Staff hand the gift over against the pickup code (scanned from the person's QR code), audited."""
    if not can(actor, Cap.POINTS):
        raise PermissionDenied(_("您没有权限发放积分商品。"))
    code = (code or "").strip().upper()
    order = Order.objects.select_for_update().select_related("item", "person").filter(pickup_code=code).first()
    if order is None:
        raise ValidationError(_("领取码无效。"))
    if not queries.managed_orders(actor).filter(pk=order.pk).exists():
        raise ValidationError(
            _("该订单的商品「%(item)s」不由您管理，请由负责该商品的组织部门发放。") % {"item": order.item.name}
        )
    if order.state == OrderState.HANDED_OVER:
        at = order.handed_over_at
        raise ValidationError(_("该订单已于 %(t)s 领取。") % {"t": dates.moment(at) if at else "—"})
    if order.state == OrderState.CANCELLED:
        raise ValidationError(_("该订单已取消。"))
    order.state, order.handed_over_at, order.handed_over_by = OrderState.HANDED_OVER, clock.now(), actor
    order.save(update_fields=["state", "handed_over_at", "handed_over_by"])
    record(
        actor,
        actions.POINTS_HAND_OVER,
        order,
        before={"state": OrderState.PLACED},
        after={"state": OrderState.HANDED_OVER, "person": order.person_id, "item": order.item.name},
    )
    return order


@transaction.atomic
def cancel(actor: Any, order: Order, reason: str = "") -> Order:
    """Cancel an order not yet handed over, by the person or by staff: points and stock come back."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    staff = queries.managed_orders(actor).filter(pk=order.pk).exists()  # staff of this item, not any staff
    if order.person_id != getattr(actor, "pk", None) and not staff:
        raise PermissionDenied(_("只能取消本人的订单。"))
    if order.state == OrderState.HANDED_OVER:
        raise ValidationError(_("已领取的订单不能取消。"))
    if order.state == OrderState.CANCELLED:
        raise ValidationError(_("订单已取消。"))
    item = Item.objects.select_for_update().get(pk=order.item_id)
    balance = _lock_balance(order.person)
    Item.objects.filter(pk=item.pk).update(stock=F("stock") + order.quantity)
    _post(
        order.person,
        Kind.REFUND,
        order.points,
        reason=_("取消兑换：%(item)s") % {"item": item.name},
        source_type=ORDER_SOURCE,
        source_id=order.pk,
        key=f"refund:{order.pk}",
        balance=balance,
    )
    order.state, order.cancelled_at, order.cancelled_by = OrderState.CANCELLED, clock.now(), actor
    order.save(update_fields=["state", "cancelled_at", "cancelled_by"])
    record(
        actor,
        actions.POINTS_CANCEL,
        order,
        before={"state": OrderState.PLACED},
        after={"state": OrderState.CANCELLED, "points": order.points},
        reason=reason.strip(),
    )
    return order


ITEM_FIELDS = (
    "name",
    "description",
    "price",
    "stock",
    "per_person_limit",
    "available_from",
    "available_until",
    "active",
)


def _require_item_scope(actor: Any, organisations: Any, item: Item | None) -> None:
    """An item is kept by the staff of the organisations it is offered to (``queries.managed_items``): an
    existing item must be one of the actor's, and the organisations chosen must lie inside their scope; only
    the whole mall's staff (the enterprise 党委's 组织部) offer an item to everyone."""
    if item is not None and not queries.managed_items(actor).filter(pk=item.pk).exists():
        raise PermissionDenied(_("该商品不由您管理。"))
    if organisations is None:
        return
    scope = Scope.of(actor, Cap.POINTS)
    outside = [org.name for org in organisations if not scope.covers(org)]
    if outside:
        raise ValidationError(_("不在您管理范围内的组织：%(orgs)s") % {"orgs": "、".join(outside)})
    if not organisations and not queries.runs_whole_mall(actor):
        raise ValidationError(_("只有企业党委组织部门可以上架所有人可兑换的商品，请选择限定组织。"))


@transaction.atomic
def save_item(actor: Any, item: Item | None, data: dict[str, Any]) -> Item:
    """Create or change a mall item (the form's cleaned data), audited."""
    if not can(actor, Cap.POINTS):
        raise PermissionDenied(_("您没有权限管理积分超市。"))
    if not (data.get("name") or "").strip():
        raise ValidationError(_("请填写商品名称。"))
    if (data.get("price") or 0) <= 0:
        raise ValidationError(_("所需积分必须大于零。"))
    start, end = data.get("available_from"), data.get("available_until")
    if start and end and end <= start:
        raise ValidationError(_("结束兑换时间应晚于开始时间。"))
    _require_item_scope(actor, data.get("organisations"), item)
    created = item is None
    if item is None:
        item = Item()
        before = None
    else:
        item = Item.objects.select_for_update().get(pk=item.pk)
        before = {name: getattr(item, name) for name in ITEM_FIELDS}
    for name in ITEM_FIELDS:
        if name in data:
            setattr(item, name, data[name])
    item.name = item.name.strip()[:80]
    if data.get("picture"):
        item.picture = data["picture"]
    elif data.get("picture") is False:  # "clear" ticked on the form
        item.picture = None
    item.save()
    if "organisations" in data:
        item.organisations.set(data["organisations"])
    record(
        actor,
        actions.POINTS_ITEM_CREATE if created else actions.POINTS_ITEM_CHANGE,
        item,
        before=before,
        after={name: getattr(item, name) for name in ITEM_FIELDS},
    )
    return item


@transaction.atomic
def restock(actor: Any, item: Item, delta: int, reason: str = "") -> Item:
    """Add (or, for a count that was wrong, remove) stock; never below zero; audited."""
    if not can(actor, Cap.POINTS):
        raise PermissionDenied(_("您没有权限管理积分超市。"))
    _require_item_scope(actor, None, item)
    item = Item.objects.select_for_update().get(pk=item.pk)
    if delta == 0:
        raise ValidationError(_("数量不能为零。"))
    if item.stock + delta < 0:
        raise ValidationError(_("库存不能少于零：当前库存 %(n)s。") % {"n": item.stock})
    before = item.stock
    item.stock += delta
    item.save(update_fields=["stock"])
    record(
        actor, actions.POINTS_STOCK, item, before={"stock": before}, after={"stock": item.stock}, reason=reason.strip()
    )
    return item
