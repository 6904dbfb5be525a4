"""Every write of 通星汇: products, campaigns and settings (staff with ``Cap.AMBASSADORS``), registering as an
ambassador, landing page visits, the SMS phone check, leads with attribution by :mod:`plaza.rules.referrals`,
dealers and their staff, lead stages (pages and the signed webhook), the outbox to dealer systems, points.

Refusals are ``ValidationError``/``PermissionDenied`` with a Chinese reason.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import httpx
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from plaza.accounts.models import Person
from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock, dates
from plaza.lib.crypto import blind_index, mask_phone
from plaza.lib.sections import forget_outsider, outsiders_changed
from plaza.notify import services as notify
from plaza.orgs.models import Membership, Organisation, Tree
from plaza.points import services as points
from plaza.points.models import Entry, Kind
from plaza.rules import referrals

from . import followups, limits, links, queries, sms, visits
from .models import (
    STAGE_FIELDS,
    STAGE_ORDER,
    Ambassador,
    Attribution,
    Campaign,
    Dealer,
    DealerStaff,
    Lead,
    Outbound,
    OutboxState,
    PhoneCheck,
    Product,
    Programme,
    Prospect,
    Route,
    Score,
    Stage,
    StageChange,
    WebhookSeen,
    group_keys,
    period_keys,
)

#: The points ledger's activity for 通星汇 (registered in AppConfig.ready with its daily cap).
ACTIVITY = "ambassadors"
ACTIVITY_LABEL = _lazy("通星汇推荐")
DAILY_CAP = 300
CODE_MINUTES = 5  # an SMS code is valid this long
CODE_ATTEMPTS = 5  # wrong tries before a code is spent
FLAG_HOURS = 72
WEBHOOK_WINDOW_SECONDS = 300  # a signed request older or newer than this is refused (replay window)
OUTBOX_MAX_ATTEMPTS = 8
REMINDER_KIND = "ambassadors.first_contact"


def landing_changed(*_args: Any) -> None:
    """Make every cached copy of the landing page, its choices and the programme's rules stale (a new landing
    version), now and once the transaction commits: a product, campaign, dealer, assignment rule, an
    ambassador's name or a 本单位规定 of the programme changed. Also the receiver of ``localrules.on_change``."""

    def bump() -> None:
        cache.set(queries.LANDING_VERSION_KEY, secrets.token_hex(4), None)

    bump()  # at once, for this transaction's own later reads
    transaction.on_commit(bump)  # and again once committed: a copy another request cached meanwhile is stale


def _require_staff(actor: Any) -> None:
    if not queries.may_manage(actor):
        raise PermissionDenied(_("只有组织部（党群工作部）通星汇管理人员可以执行此操作。"))


# ------------------------------------------------------------------------------------- products, campaigns


@transaction.atomic
def save_product(actor: Any, product: Product | None, data: dict[str, Any]) -> Product:
    """Create or change a product (pictures, selling points, prices) — marketing staff only."""
    _require_staff(actor)
    low, high = data.get("price_from"), data.get("price_to")
    if low is not None and high is not None and high < low:
        raise ValidationError(_("最高指导价不能低于最低指导价。"))
    product = product or Product(created_by=actor)
    for field in ("name", "brand", "tagline", "selling_points", "price_from", "price_to", "active", "order"):
        if field in data:
            setattr(product, field, data[field])
    if data.get("picture"):
        product.picture = data["picture"]
    product.save()
    landing_changed()
    record(actor, actions.AMBASSADORS_PRODUCT_SAVE, product, after={"name": product.name})
    return product


@transaction.atomic
def save_campaign(actor: Any, campaign: Campaign | None, data: dict[str, Any]) -> Campaign:
    _require_staff(actor)
    if data["ends_on"] < data["starts_on"]:
        raise ValidationError(_("结束日期不能早于开始日期。"))
    chosen = list(data.get("products") or [])
    if not chosen:
        raise ValidationError(_("请至少选择一个车型。"))
    campaign = campaign or Campaign(created_by=actor)
    for field in ("name", "summary", "starts_on", "ends_on", "active"):
        if field in data:
            setattr(campaign, field, data[field])
    campaign.save()
    campaign.products.set(chosen)
    landing_changed()
    record(actor, actions.AMBASSADORS_CAMPAIGN_SAVE, campaign, after={"name": campaign.name})
    return campaign


@transaction.atomic
def save_programme(actor: Any, data: dict[str, Any]) -> Programme:
    """The programme's settings. Changing the terms' text raises their version: ambassadors accept it again."""
    _require_staff(actor)
    if data.get("quiz_required") and queries.quiz_passed(actor, data.get("quiz_contest_id") or 0) is None:
        raise ValidationError(_("请填写一个存在的产品答题竞赛编号，才能要求分享前先通过产品答题。"))
    current = queries.programme()
    before = {field: getattr(current, field) for field in data}
    if current.pk and data.get("terms", current.terms) != current.terms:
        current.terms_version += 1
    for field, value in data.items():
        setattr(current, field, value)
    current.save()
    record(actor, actions.AMBASSADORS_PROGRAMME, current, before=before, after=data)
    return current


# ---------------------------------------------------------------------------------------------- ambassadors


def _unit_of(person: Person) -> Organisation | None:
    """The person's lowest current organisation, Party tree first, then the union (班组 / branch)."""
    rows = list(
        Membership.objects.current()
        .filter(person=person, tree__in=[Tree.PARTY, Tree.UNION])
        .select_related("organisation")
        .order_by("-organisation__depth")
    )
    party = [m.organisation for m in rows if m.tree == Tree.PARTY]
    union = [m.organisation for m in rows if m.tree == Tree.UNION]
    found = party or union
    return found[0] if found else None


@transaction.atomic
def register(person: Any, *, accept_terms: bool, display_name: str = "") -> Ambassador:
    """Register the person as a brand ambassador; they must accept the programme's terms (again, when the
    terms changed since)."""
    if not getattr(person, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"))
    if queries.dealer_of(person) is not None:
        raise ValidationError(_("经销商销售顾问不能注册品牌大使。"))
    if not accept_terms:
        raise ValidationError(_("请阅读并同意《通星汇推荐规则》后再注册。"))
    display_name = (display_name or person.name).strip()[:32]
    if not display_name:
        raise ValidationError(_("请填写海报上的署名。"))
    version = queries.programme().terms_version
    ambassador, created = Ambassador.objects.get_or_create(
        person=person,
        defaults={"display_name": display_name, "unit": _unit_of(person), "terms_version": version},
    )
    if not created:
        ambassador.display_name, ambassador.terms_version, ambassador.active = display_name, version, True
        ambassador.accepted_at = clock.now()
        ambassador.save(update_fields=["display_name", "terms_version", "active", "accepted_at"])
        landing_changed()  # the name the landing page shows
    record(person, actions.AMBASSADORS_REGISTER, ambassador, after={"terms_version": version})
    return ambassador


def share_problem(ambassador: Ambassador | None) -> str:
    """Why the person may not share yet ("" when they may): not registered, terms changed, quiz not passed."""
    if ambassador is None:
        return _("请先注册成为品牌大使。")
    settings_row = queries.programme()
    if ambassador.terms_version < settings_row.terms_version:
        return _("《通星汇推荐规则》已更新，请重新阅读并同意后再分享。")
    if settings_row.quiz_required and not queries.quiz_passed(ambassador.person, settings_row.quiz_contest_id):
        return _("分享前须先通过产品知识答题。")
    return ""


def may_share(ambassador: Ambassador | None) -> bool:
    return not share_problem(ambassador)


def share_code(ambassador: Ambassador, product: Product, campaign: Campaign | None = None) -> str:
    """The personal share code for a product (and campaign): refused while the person may not share."""
    problem = share_problem(ambassador)
    if problem:
        raise ValidationError(problem)
    return links.encode(ambassador.pk, product.pk, campaign.pk if campaign else None)


@transaction.atomic
def set_executive(actor: Any, ambassador: Ambassador, executive: bool) -> Ambassador:
    _require_staff(actor)
    before = ambassador.executive
    ambassador.executive = executive
    ambassador.save(update_fields=["executive"])
    record(
        actor, actions.AMBASSADORS_EXECUTIVE, ambassador, before={"executive": before}, after={"executive": executive}
    )
    return ambassador


# ----------------------------------------------------------------------------------------- landing and leads


def record_visit(target: queries.Target | links.Link, visitor: str) -> bool:
    """Count a distinct visitor of a share link (a first-party cookie's random id); a repeat is ignored (the
    unique constraint). Takes the link a code names, so the landing page's cached path counts a visit without
    reading the ambassador or product. Written in batches by the embedded server, at once elsewhere
    (:mod:`plaza.ambassadors.visits`). False for what is no visitor id."""
    if not visitor or len(visitor) > 32:
        return False
    if isinstance(target, queries.Target):
        ids = (target.ambassador.pk, target.product.pk, target.campaign.pk if target.campaign else None)
    else:
        ids = (target.ambassador_id, target.product_id, target.campaign_id)
    visits.add(visits.Row(visitor, ids[0], ids[1], ids[2], clock.now()))
    return True


def phone_problem(raw: str) -> str:
    """Why a phone is not a mainland mobile number ("" when it is)."""
    phone = referrals.normalise_phone(raw or "")
    if len(phone) != 11 or not phone.startswith("1") or phone[1] not in "3456789":
        return _("请输入正确的 11 位手机号。")
    return ""


def _code_hash(phone_index: str, code: str) -> str:
    return hmac.new(phone_index.encode(), ("amb-code:" + code).encode(), hashlib.sha256).hexdigest()


def send_code(raw_phone: str, ip: str) -> None:
    """Send a 6-digit code by SMS to the prospect's own phone. Limits: one code a minute per phone, a few an
    hour per phone and per address (``limits``)."""
    problem = phone_problem(raw_phone)
    if problem:
        raise ValidationError(problem)
    phone = referrals.normalise_phone(raw_phone)
    index = blind_index(phone)
    if limits.exceeded("code_ip", ip) or limits.exceeded("code_phone", phone):
        raise ValidationError(_("获取验证码过于频繁，请一小时后再试。"))
    if limits.recently_sent(index):
        raise ValidationError(_("验证码已发送，请 %(s)s 秒后再获取。") % {"s": limits.RESEND_SECONDS})
    limits.hit("code_ip", ip)
    limits.hit("code_phone", phone)
    code = f"{secrets.randbelow(1_000_000):06d}"
    now = clock.now()
    PhoneCheck.objects.create(
        phone_index=index,
        code_hash=_code_hash(index, code),
        sent_at=now,
        expires_at=now + timedelta(minutes=CODE_MINUTES),
        ip_hash=limits.hashed(ip)[:64],
    )
    try:
        sms.sender().send(
            phone,
            _("您的验证码是 %(code)s，%(m)s 分钟内有效。如非本人操作请忽略。") % {"code": code, "m": CODE_MINUTES},
        )
    except Exception as exc:  # noqa: BLE001 - any provider failure reads the same to the prospect
        raise ValidationError(_("短信发送失败，请稍后再试。")) from exc


def check_code(phone_index: str, code: str, ip: str) -> PhoneCheck:
    """The latest unused code for the phone, if ``code`` matches it and it is neither expired nor spent; a wrong
    code counts an attempt (``CODE_ATTEMPTS`` spend it) and a failure for the address (the challenge)."""
    now = clock.now()
    check = PhoneCheck.objects.filter(phone_index=phone_index, used_at__isnull=True).order_by("-sent_at", "-pk").first()
    if check is None:
        raise ValidationError(_("请先获取短信验证码。"))
    if check.expires_at <= now:
        raise ValidationError(_("验证码已过期（%(m)s 分钟内有效），请重新获取。") % {"m": CODE_MINUTES})
    if check.attempts >= CODE_ATTEMPTS:
        raise ValidationError(_("验证码输错次数过多，请重新获取。"))
    if not hmac.compare_digest(check.code_hash, _code_hash(phone_index, (code or "").strip())):
        PhoneCheck.objects.filter(pk=check.pk).update(attempts=check.attempts + 1)
        limits.hit("fail_ip", ip)
        left = CODE_ATTEMPTS - check.attempts - 1
        raise ValidationError(_("验证码不正确，还可以再试 %(n)s 次。") % {"n": left})
    return check


def consent_text(dealer: Dealer) -> str:
    """The separate consent naming the dealer (PIPL art. 23), as the prospect reads and ticks it."""
    return _(
        "我同意将我的称呼、手机号、城市、意向车型和联系时间提供给%(dealer)s（%(city)s），由其联系我安排看车、试驾。"
    ) % {
        "dealer": dealer.name,
        "city": dealer.city,
    }


@dataclass(frozen=True)
class LeadForm:
    """What the prospect entered on the landing page."""

    name: str
    phone: str
    city: str
    product_id: int
    dealer_id: int | None
    call_time: str
    code: str
    consent_contact: bool
    consent_dealer_id: int | None


@dataclass
class _Row:
    id: int
    phone: str
    ambassador_phone: str
    at: datetime


_NEW_ID = 2**62  # the new lead sorts after every stored one at the same moment


def submit_lead(target: queries.Target, form: LeadForm, *, ip: str, visitor: str = "") -> Lead:
    """Take a prospect's lead: the phone checked by its SMS code, both consents given, attributed by
    :func:`plaza.rules.referrals.attribute` against every earlier lead for the phone (self-referral refused,
    duplicates merged), assigned to the dealer the consent named, the first contact due, the score counted and
    the outbox row written — in one transaction. Flagged when one address sent many leads in 72 h.

    What else a credited lead brings (the ambassador's points, the dealer staff's first-contact reminder) is
    done after the commit, off the prospect's request, by :func:`follow_up_leads` (the outbox row remembers it
    is pending, so nothing is lost if the process stops in between: the periodic pass does it)."""
    if limits.exceeded("submit_ip", ip):
        raise ValidationError(_("提交过于频繁，请稍后再试。"))
    name = (form.name or "").strip()
    if not name:
        raise ValidationError(_("请填写您的称呼。"))
    problem = phone_problem(form.phone)
    if problem:
        raise ValidationError(problem)
    if not form.consent_contact:
        raise ValidationError(_("请同意我们为购车咨询联系您。"))
    product = queries.landing_choices().product(form.product_id) or target.product
    dealer = queries.route(form.city, product, form.dealer_id)
    if dealer is None:
        raise ValidationError(_("该城市暂无合作经销商，请选择其他城市。"))
    if form.consent_dealer_id != dealer.pk:
        raise ValidationError(_("请单独同意将您的信息提供给%(dealer)s。") % {"dealer": dealer.name})
    phone = referrals.normalise_phone(form.phone)
    index = blind_index(phone)
    check = check_code(index, form.code, ip)  # outside the transaction: a wrong try stays counted
    limits.hit("submit_ip", ip)
    protect_days = queries.rule("referrals.protect_days")
    contact_hours = queries.rule("referrals.first_contact_hours")
    lead = _store_lead(
        target,
        form,
        product,
        dealer,
        phone,
        index,
        check,
        ip=ip,
        visitor=visitor,
        protect_days=protect_days,
        contact_hours=contact_hours,
    )
    return lead


@transaction.atomic
def _store_lead(
    target: queries.Target,
    form: LeadForm,
    product: Product,
    dealer: Dealer,
    phone: str,
    index: str,
    check: PhoneCheck,
    *,
    ip: str,
    visitor: str,
    protect_days: int,
    contact_hours: int,
) -> Lead:
    now = clock.now()
    # the code is spent and the phone verified at once; a refusal below rolls both back
    if not PhoneCheck.objects.filter(pk=check.pk, used_at__isnull=True).update(used_at=now, verified_at=now):
        raise ValidationError(_("该验证码已使用，请重新获取。"))  # two submissions with one code
    name = form.name.strip()
    Prospect.objects.bulk_create([Prospect(phone_index=index)], ignore_conflicts=True)
    prospect = Prospect.objects.select_for_update().get(phone_index=index)  # one phone's leads in order
    # The lead's time is read under the phone's lock: a submission that waited for it is later than the one that
    # held it, so attribution ("the earliest credited lead keeps the phone") sees them in the order they were
    # stored. Read before the lock, a waiting submission could count as the earlier one and be credited too.
    now = clock.now()
    earlier = [
        _Row(row_id, phone, "", at)  # a stored lead was never self-referral: it is refused, not stored
        for row_id, at in Lead.objects.filter(prospect=prospect).values_list("pk", "created_at")
    ]
    rows = [*earlier, _Row(_NEW_ID, phone, target.ambassador.person.phone or "", now)]
    outcome = referrals.attribute(rows, protect_days=protect_days)[_NEW_ID]
    if outcome.status == "self":
        raise ValidationError(_("品牌大使不能推荐自己：本人手机号留资不计入推荐（规则手册第10节）。"))
    ip_hash = limits.hashed(ip)[:64]
    recent = Lead.objects.filter(ip_hash=ip_hash, created_at__gte=now - timedelta(hours=FLAG_HOURS)).count()
    flagged = recent + 1 > limits.FLAG_LEADS_PER_ADDRESS
    credited = outcome.status == "credited"
    lead = Lead.objects.create(
        ref=secrets.token_hex(8),
        ambassador=target.ambassador,
        product=product,
        campaign=target.campaign,
        prospect=prospect,
        name=name[:32],
        phone=phone,
        phone_index=index,
        city=dealer.city,
        call_time=(form.call_time or "")[:32],
        dealer=dealer,
        consent_contact=True,
        consent_dealer=dealer,
        consent_text=consent_text(dealer),
        status=Attribution.CREDITED if credited else Attribution.DUPLICATE,
        credited_lead_id=None if credited or outcome.credited_lead is None else int(str(outcome.credited_lead)),
        visitor=(visitor or "")[:32],
        ip_hash=ip_hash,
        flagged=flagged,
        flag_reason=_("同一网络地址 72 小时内留资 %(n)s 条") % {"n": recent + 1} if flagged else "",
        created_at=now,
        contact_due_at=referrals.first_contact_due(now, contact_hours) if credited else None,
    )
    if credited:
        if not flagged:
            count_score(target.ambassador, timezone.localdate(now), leads=1)
        Outbound.objects.create(lead=lead, dealer=dealer, next_at=now)
        transaction.on_commit(lambda: followups.kick(follow_up_leads))
    return lead


def follow_up_leads(limit: int = 200) -> int:
    """The follow-ups of newly credited leads, after their submission committed: the ambassador's points for
    the lead (unless flagged) and the dealer staff's first-contact reminder. Each outbox row is claimed by a
    conditional update, so two workers (the background thread, the periodic pass) never do one twice, and the
    points are idempotent per lead and step anyway. Returns how many leads were followed up."""
    done = 0
    pending = list(
        Outbound.objects.filter(followed_up_at__isnull=True)
        .select_related("lead__ambassador__person", "lead__product", "lead__dealer")
        .order_by("pk")[:limit]
    )
    for row in pending:
        with transaction.atomic():
            if not Outbound.objects.filter(pk=row.pk, followed_up_at__isnull=True).update(followed_up_at=clock.now()):
                continue  # another worker took it
            lead = row.lead
            if lead.stage == Stage.NEW:
                _remind_first_contact(lead)
            _reward(lead, "lead")
        done += 1
    return done


def _remind_first_contact(lead: Lead) -> None:
    """A reminder to the dealer's staff when the first contact falls due (cancelled once contacted)."""
    staff = list(
        Person.objects.filter(dealer_staff__dealer=lead.dealer, dealer_staff__active=True, is_active=True).values_list(
            "pk", flat=True
        )
    )
    if lead.contact_due_at is None or not staff:
        return
    notify.schedule_new_reminders(
        [
            notify.ReminderSpec(
                subject_type="ambassadors.lead",
                subject_id=str(lead.pk),
                kind=REMINDER_KIND,
                title=_("新线索 %(name)s 待首次联系（%(due)s 前）")
                % {"name": lead.name, "due": dates.short_moment(lead.contact_due_at)},
                due_at=lead.contact_due_at,
                recipient_ids=tuple(staff),
                url=f"/ambassadors/dealer/leads/{lead.pk}/",
                dedupe_key=f"ambassadors.first_contact:{lead.pk}",
            )
        ]
    )


# -------------------------------------------------------------------------------------------------- points


def _month_start(today: date) -> datetime:
    return timezone.make_aware(datetime.combine(today.replace(day=1), datetime.min.time()))


def _reward(lead: Lead, what: str) -> int:
    """Points for a credited lead's step (``lead``, ``test_drive``, ``deal``), once per lead and step (the
    ledger's idempotency key), within the daily cap (the ledger's) and the programme's monthly cap."""
    if lead.status != Attribution.CREDITED or lead.flagged:
        return 0
    settings_row = queries.programme()
    amount = {"lead": settings_row.points_lead, "test_drive": settings_row.points_test_drive}.get(
        what, settings_row.points_deal
    )
    key = f"ambassadors:{lead.pk}:{what}"
    if amount <= 0 or Entry.objects.filter(idempotency_key=key).exists():
        return 0
    person = lead.ambassador.person
    month = (
        Entry.objects.filter(
            person=person, kind=Kind.EARN, source_type=ACTIVITY, created_at__gte=_month_start(clock.today())
        ).aggregate(s=Sum("amount"))["s"]
        or 0
    )
    amount = min(amount, max(settings_row.monthly_cap - month, 0))
    if amount <= 0:
        return 0
    labels = {"lead": _("有效留资"), "test_drive": _("客户试驾"), "deal": _("成交")}
    grant = points.earn_for_activity(
        person,
        ACTIVITY,
        amount,
        source_id=lead.pk,
        key=key,
        reason=_("通星汇%(what)s：%(product)s") % {"what": labels.get(what, what), "product": lead.product.name},
    )
    return grant.granted


# ------------------------------------------------------------------------------------------- dealers, stages


@transaction.atomic
def save_dealer(actor: Any, dealer: Dealer | None, data: dict[str, Any]) -> Dealer:
    _require_staff(actor)
    dealer = dealer or Dealer()
    for field in ("name", "code", "city", "address", "endpoint_url", "active"):
        if field in data:
            setattr(dealer, field, data[field])
    if data.get("webhook_secret"):
        dealer.webhook_secret = data["webhook_secret"]
    try:
        with transaction.atomic():
            dealer.save()
    except IntegrityError as exc:
        raise ValidationError(_("经销商名称或代码已存在。")) from exc
    landing_changed()
    record(actor, actions.AMBASSADORS_DEALER_SAVE, dealer, after={"name": dealer.name, "city": dealer.city})
    return dealer


@transaction.atomic
def add_dealer_staff(actor: Any, dealer: Dealer, person: Person, *, manager: bool = False) -> DealerStaff:
    """Give an (ordinary) login the dealer's lead list. Someone who is an ambassador cannot follow up leads."""
    _require_staff(actor)
    if Ambassador.objects.filter(person=person, active=True).exists():
        raise ValidationError(_("%(name)s 是品牌大使，不能同时担任经销商销售顾问。") % {"name": person.name})
    staff, _created = DealerStaff.objects.update_or_create(
        person=person, defaults={"dealer": dealer, "manager": manager, "active": True}
    )
    queries.forget_dealer(person)
    forget_outsider(person)
    transaction.on_commit(outsiders_changed)
    record(actor, actions.AMBASSADORS_DEALER_STAFF, staff, after={"dealer": dealer.name, "person": person.name})
    return staff


@transaction.atomic
def remove_dealer_staff(actor: Any, staff: DealerStaff) -> None:
    _require_staff(actor)
    staff.active = False
    staff.save(update_fields=["active"])
    queries.forget_dealer(staff.person)
    forget_outsider(staff.person)
    transaction.on_commit(outsiders_changed)
    record(actor, actions.AMBASSADORS_DEALER_STAFF, staff, after={"active": False})


@transaction.atomic
def save_route(actor: Any, *, city: str, product: Product | None, dealer: Dealer, priority: int = 10) -> Route:
    _require_staff(actor)
    city = (city or "").strip()
    if not city:
        raise ValidationError(_("请填写城市。"))
    if dealer.city != city:
        raise ValidationError(_("%(dealer)s 不在%(city)s。") % {"dealer": dealer.name, "city": city})
    found = Route.objects.create(city=city, product=product, dealer=dealer, priority=priority)
    landing_changed()
    record(actor, actions.AMBASSADORS_ROUTE_SAVE, found, after={"city": city, "dealer": dealer.name})
    return found


def next_stages(lead: Lead) -> list[str]:
    """The stages a lead may move to: any later forward stage, or lost (also a return within the freeze
    period after delivery); nothing once lost or once the deal is credited."""
    if lead.stage == Stage.LOST or lead.deal_credited_on is not None:
        return []
    if lead.stage == Stage.DELIVERED:
        return [Stage.LOST]
    position = STAGE_ORDER.index(Stage(lead.stage))
    return [*STAGE_ORDER[position + 1 :], Stage.LOST]


def may_move(actor: Any, lead: Lead) -> bool:
    dealer = queries.dealer_of(actor)
    return dealer is not None and dealer.pk == lead.dealer_id and bool(next_stages(lead))


def _move(lead: Lead, to: str, *, by: Any, reason: str, at: datetime, via_webhook: bool) -> Lead:
    if to not in next_stages(lead):
        raise ValidationError(
            _("线索当前为“%(now)s”，不能改为“%(to)s”。") % {"now": lead.get_stage_display(), "to": Stage(to).label}
            if to in Stage.values
            else _("未知的跟进阶段。")
        )
    reason = (reason or "").strip()[:120]
    if to == Stage.LOST and not reason:
        raise ValidationError(_("请写明战败（或退车）原因。"))
    before = lead.stage
    position = STAGE_ORDER.index(Stage(to)) if to != Stage.LOST else -1
    for stage in STAGE_ORDER[1 : position + 1]:  # a jump ahead fills the skipped steps' times
        field = STAGE_FIELDS[stage]
        if getattr(lead, field) is None:
            setattr(lead, field, at)
    if to == Stage.LOST:
        lead.lost_at, lead.lost_reason = at, reason
    lead.stage = to
    lead.save()
    StageChange.objects.create(
        lead=lead, from_stage=before, to_stage=to, at=at, by=by, via_webhook=via_webhook, reason=reason
    )
    notify.cancel_reminders("ambassadors.lead", str(lead.pk), REMINDER_KIND)
    notify.complete_tasks_for("ambassadors.lead", str(lead.pk))
    if lead.test_drive_at is not None and to != Stage.LOST:
        _reward(lead, "test_drive")
    return lead


@transaction.atomic
def move_stage(actor: Any, lead: Lead, to: str, reason: str = "") -> Lead:
    """A dealer's staff move one of their dealer's leads on (new → contacted → visited → test drive → order →
    delivered), or mark it lost with a reason; a delivered car returned within the freeze period is lost too."""
    if not may_move(actor, lead):
        raise PermissionDenied(_("只有该线索所属经销商的销售顾问可以更新跟进阶段。"))
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    before = lead.stage
    lead = _move(lead, to, by=actor, reason=reason, at=clock.now(), via_webhook=False)
    record(actor, actions.AMBASSADORS_LEAD_STAGE, lead, before={"stage": before}, after={"stage": to}, reason=reason)
    return lead


def full_phone(actor: Any, lead: Lead) -> str:
    """The full phone for the dealer's staff the lead is assigned to (the prospect consented to that dealer by
    name); every view is audited. Everyone else only ever sees it masked."""
    dealer = queries.dealer_of(actor)
    if dealer is None or dealer.pk != lead.dealer_id or lead.consent_dealer_id != dealer.pk:
        raise PermissionDenied(_("只有客户同意提供信息的经销商可以查看完整手机号。"))
    record(actor, actions.AMBASSADORS_LEAD_PHONE, lead, object_repr=f"{lead.name} {mask_phone(lead.phone)}")
    return lead.phone


# ---------------------------------------------------------------------------------------- webhook and outbox


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 (hex) over ``timestamp + "." + body`` with the dealer's secret: what both directions sign."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify_webhook(dealer: Dealer | None, timestamp: str, given: str, body: bytes) -> Dealer:
    """Check a stage update from a dealer system: a known dealer with a secret, a timestamp inside the replay
    window, the signature compared in constant time, and the same signature never accepted twice."""
    if dealer is None or not dealer.webhook_secret:
        raise PermissionDenied(_("未知的经销商。"))
    try:
        sent = int(timestamp)
    except (TypeError, ValueError):
        raise PermissionDenied(_("缺少时间戳。")) from None
    if abs(clock.now().timestamp() - sent) > WEBHOOK_WINDOW_SECONDS:
        raise PermissionDenied(_("请求已过期。"))
    expected = signature(dealer.webhook_secret, timestamp, body)
    if not hmac.compare_digest(expected, (given or "").strip().lower()):
        raise PermissionDenied(_("签名不正确。"))
    try:
        with transaction.atomic():
            WebhookSeen.objects.create(dealer=dealer, signature=expected)
    except IntegrityError:
        raise PermissionDenied(_("重复的请求。")) from None
    return dealer


@transaction.atomic
def apply_webhook(dealer: Dealer, payload: dict[str, Any]) -> Lead:
    """A verified stage update: ``{"ref": …, "stage": …, "reason": …}`` for one of the dealer's leads."""
    lead = Lead.objects.select_for_update().filter(ref=str(payload.get("ref", ""))[:16], dealer=dealer).first()
    if lead is None:
        raise ValidationError(_("没有这条线索。"))
    before = lead.stage
    to = str(payload.get("stage", ""))
    if to == lead.stage:
        return lead  # a repeated update of the same stage changes nothing
    lead = _move(lead, to, by=None, reason=str(payload.get("reason", "")), at=clock.now(), via_webhook=True)
    record(None, actions.AMBASSADORS_LEAD_STAGE, lead, before={"stage": before}, after={"stage": to})
    return lead


def outbound_payload(lead: Lead) -> dict[str, Any]:
    """What a dealer system receives for a new lead (the prospect named this dealer in their consent)."""
    return {
        "ref": lead.ref,
        "name": lead.name,
        "phone": lead.phone,
        "city": lead.city,
        "model": lead.product.name,
        "call_time": lead.call_time,
        "created_at": lead.created_at.isoformat(),
        "consent": lead.consent_text,
    }


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2**attempts, 360))


def push_outbox(
    now: datetime | None = None, *, post: Callable[..., Any] | None = None, limit: int = 200
) -> dict[str, int]:
    """Push due leads to their dealer's system (POST JSON, signed like the webhook), retrying with exponential
    backoff (2, 4, 8 … minutes, at most 6 hours) and giving up after ``OUTBOX_MAX_ATTEMPTS``. Dealers without a
    system (no address) are simply marked sent: their staff use the pages. Idempotent per row."""
    now = now or clock.now()
    post = post or httpx.post
    done = {"sent": 0, "retry": 0, "failed": 0}
    due = list(
        Outbound.objects.filter(state=OutboxState.PENDING, next_at__lte=now)
        .select_related("lead__product", "dealer")
        .order_by("next_at")[:limit]
    )
    for row in due:
        claimed = Outbound.objects.filter(pk=row.pk, state=OutboxState.PENDING, attempts=row.attempts).update(
            attempts=row.attempts + 1, next_at=now + _backoff(row.attempts + 1)
        )
        if not claimed:
            continue  # another worker took it
        row.attempts += 1
        if not row.dealer.endpoint_url:
            Outbound.objects.filter(pk=row.pk).update(state=OutboxState.SENT, sent_at=now)
            done["sent"] += 1
            continue
        body = json.dumps(outbound_payload(row.lead), ensure_ascii=False).encode()
        stamp = str(int(now.timestamp()))
        try:
            response = post(
                row.dealer.endpoint_url,
                content=body,
                headers={
                    "Content-Type": "application/json",
                    "X-Plaza-Timestamp": stamp,
                    "X-Plaza-Signature": signature(row.dealer.webhook_secret, stamp, body),
                },
                timeout=10,
            )
            response.raise_for_status()
        except Exception as exc:  # noqa: BLE001 - any failure is retried
            state = OutboxState.FAILED if row.attempts >= OUTBOX_MAX_ATTEMPTS else OutboxState.PENDING
            Outbound.objects.filter(pk=row.pk).update(state=state, last_error=str(exc)[:200])
            done["failed" if state == OutboxState.FAILED else "retry"] += 1
            continue
        Outbound.objects.filter(pk=row.pk).update(state=OutboxState.SENT, sent_at=now, last_error="")
        done["sent"] += 1
    return done


# ----------------------------------------------------------------------------------------------- rankings


def _keys_of(ambassador: Ambassador) -> dict[str, str]:
    unit, org, top = group_keys(ambassador.unit.path if ambassador.unit_id and ambassador.unit else "")
    return {"unit_key": unit, "org_key": org, "top_key": top}


def count_score(ambassador: Ambassador, day: date, *, leads: int = 0, deals: int = 0) -> None:
    """Add a credited lead or deal to the ambassador's month, year and all-time scores (the rankings): one
    UPDATE of the three rows, and the missing ones created (with the ambassador's grouping keys)."""
    periods = period_keys(day)
    rows = Score.objects.filter(ambassador_id=ambassador.pk, period__in=periods)
    if rows.update(leads=F("leads") + leads, deals=F("deals") + deals) == len(periods):
        return
    have = set(rows.values_list("period", flat=True))
    keys = _keys_of(ambassador)
    for period in periods:
        if period in have:
            continue
        try:
            with transaction.atomic():
                Score.objects.create(ambassador_id=ambassador.pk, period=period, leads=leads, deals=deals, **keys)
        except IntegrityError:  # another request created it first
            rows.filter(period=period).update(leads=F("leads") + leads, deals=F("deals") + deals)


def rebuild_scores() -> int:
    """Recompute every score from the leads (after a bulk load, the demo, or a repair); returns how many rows."""
    sums: dict[tuple[int, str], list[int]] = {}
    counted = Lead.objects.filter(status=Attribution.CREDITED, flagged=False)
    for ambassador_id, created_at in counted.values_list("ambassador_id", "created_at").iterator(chunk_size=20_000):
        for period in period_keys(timezone.localdate(created_at)):
            sums.setdefault((ambassador_id, period), [0, 0])[0] += 1
    deals = counted.filter(deal_credited_on__isnull=False).values_list("ambassador_id", "deal_credited_on")
    for ambassador_id, day in deals.iterator(chunk_size=20_000):
        for period in period_keys(day):
            sums.setdefault((ambassador_id, period), [0, 0])[1] += 1
    paths = dict(Ambassador.objects.filter(unit__isnull=False).values_list("pk", "unit__path"))
    with transaction.atomic():
        Score.objects.all().delete()
        Score.objects.bulk_create(
            [
                Score(
                    ambassador_id=a,
                    period=p,
                    leads=n[0],
                    deals=n[1],
                    **dict(zip(("unit_key", "org_key", "top_key"), group_keys(paths.get(a)), strict=True)),
                )
                for (a, p), n in sums.items()
            ],
            batch_size=10_000,
        )
    return len(sums)


def follow_unit(person: Person) -> Ambassador | None:
    """After the person's placement changed: the ambassador's 班组/branch is their lowest current organisation
    again, and their score rows carry the new grouping keys, so the grouped rankings count them where they
    are now (as the rankings always have: by the ambassador's current unit). Idempotent."""
    ambassador = Ambassador.objects.filter(person=person).select_related("unit").first()
    if ambassador is None:
        return None
    unit = _unit_of(person)
    if unit is not None and unit.pk != ambassador.unit_id:
        ambassador.unit = unit
        ambassador.save(update_fields=["unit"])
    keys = _keys_of(ambassador)
    Score.objects.filter(ambassador=ambassador).exclude(**keys).update(**keys)
    return ambassador


def on_placement_changed(sender: Any, person: Person, **kwargs: Any) -> None:
    """Receiver of ``plaza.orgs.signals.placement_changed`` (connected in ``AmbassadorsConfig.ready``)."""
    follow_unit(person)


# ------------------------------------------------------------------------------------------------ the sweep


def credit_deals(today: date) -> int:
    """Credit every delivered car whose freeze period is over (not returned): the deal counts for the
    ambassador from ``today`` and earns the deal's points once. Idempotent."""
    freeze = queries.rule("referrals.freeze_days")
    credited = 0
    candidates = Lead.objects.filter(
        status=Attribution.CREDITED, stage=Stage.DELIVERED, deal_credited_on__isnull=True
    ).select_related("ambassador__person", "ambassador__unit", "product")
    for lead in candidates.iterator(chunk_size=500):
        if lead.delivered_at is None or referrals.deal_credit_day(lead.delivered_at, freeze) > today:
            continue
        with transaction.atomic():
            if not Lead.objects.filter(pk=lead.pk, stage=Stage.DELIVERED, deal_credited_on__isnull=True).update(
                deal_credited_on=today
            ):
                continue
            lead.deal_credited_on = today
            if not lead.flagged:
                count_score(lead.ambassador, today, deals=1)
            _reward(lead, "deal")
        credited += 1
    return credited
