"""Tables of 通星汇: products and campaigns, ambassadors, dealers and their staff, the routing of leads, landing
page visits, phone checks, leads with their stage history, the outbox to dealer systems and the webhook's seen
signatures.

Prospects' phones are encrypted (:class:`plaza.lib.crypto.EncryptedTextField`) with a keyed hash beside them
(``phone_index``) for matching; a phone is never stored in the clear, never put in a URL.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plaza.lib.crypto import EncryptedTextField, mask_phone
from plaza.orgs.models import Organisation


class Product(models.Model):
    """A car model marketing staff present: pictures, selling points (one a line) and the price range."""

    name = models.CharField(_("车型"), max_length=64, unique=True)
    brand = models.CharField(_("品牌"), max_length=32, blank=True)
    tagline = models.CharField(_("一句话介绍"), max_length=120, blank=True)
    selling_points = models.TextField(_("卖点（每行一条）"), blank=True)
    price_from = models.DecimalField(_("指导价起（万元）"), max_digits=7, decimal_places=2, null=True, blank=True)
    price_to = models.DecimalField(_("指导价至（万元）"), max_digits=7, decimal_places=2, null=True, blank=True)
    picture = models.ImageField(_("图片"), upload_to="ambassadors/products/", blank=True)
    active = models.BooleanField(_("在推广"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=10)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("车型")
        verbose_name_plural = _("车型")

    def __str__(self) -> str:
        return self.name

    @property
    def points(self) -> list[str]:
        return [line.strip(" -•·\t") for line in self.selling_points.splitlines() if line.strip(" -•·\t")]


class Campaign(models.Model):
    """A promotion over some products for a period (e.g. 锐歌上市推广月)."""

    name = models.CharField(_("活动名称"), max_length=80)
    products = models.ManyToManyField(Product, related_name="campaigns", verbose_name=_("车型"))
    summary = models.TextField(_("活动说明"), blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    active = models.BooleanField(_("进行中"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("推广活动")
        verbose_name_plural = _("推广活动")

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    """The programme's own settings (one row): the terms ambassadors accept, the product quiz, points."""

    terms = models.TextField(_("通星汇推荐规则"), blank=True)
    terms_version = models.PositiveIntegerField(_("规则版本"), default=1)
    quiz_required = models.BooleanField(_("分享前须通过产品答题"), default=False)
    quiz_contest_id = models.PositiveIntegerField(_("产品答题竞赛编号"), null=True, blank=True)
    points_lead = models.PositiveIntegerField(_("有效留资积分"), default=5)
    points_test_drive = models.PositiveIntegerField(_("试驾积分"), default=10)
    points_deal = models.PositiveIntegerField(_("成交积分"), default=100)
    monthly_cap = models.PositiveIntegerField(_("每月积分上限"), default=1000)

    class Meta:
        verbose_name = _("通星汇设置")
        verbose_name_plural = _("通星汇设置")

    def __str__(self) -> str:
        return str(_("通星汇设置"))


class Ambassador(models.Model):
    """An employee registered as a brand ambassador, having accepted the programme's terms."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ambassador")
    #: Where the ambassador ranks: their 班组/branch (their lowest current organisation at registration).
    unit = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    display_name = models.CharField(_("海报署名"), max_length=32)
    terms_version = models.PositiveIntegerField(default=1)
    accepted_at = models.DateTimeField(default=timezone.now)
    executive = models.BooleanField(_("领导人员（单独排名）"), default=False)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("品牌大使")
        verbose_name_plural = _("品牌大使")

    def __str__(self) -> str:
        return self.display_name


class Dealer(models.Model):
    """A dealership: its own organisation with sales staff accounts, and optionally its own CRM/DMS."""

    name = models.CharField(_("经销商名称"), max_length=80, unique=True)
    code = models.CharField(_("经销商代码"), max_length=16, unique=True)
    city = models.CharField(_("城市"), max_length=32, db_index=True)
    address = models.CharField(_("地址"), max_length=160, blank=True)
    endpoint_url = models.URLField(_("线索推送地址"), blank=True)
    webhook_secret = EncryptedTextField(_("签名密钥"), blank=True, default="")
    active = models.BooleanField(_("合作中"), default=True)

    class Meta:
        ordering = ["city", "name"]
        verbose_name = _("经销商")
        verbose_name_plural = _("经销商")

    def __str__(self) -> str:
        return self.name


class DealerStaff(models.Model):
    """A person (an ordinary login, no Party position) who follows up the leads of one dealer."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="dealer_staff")
    dealer = models.ForeignKey(Dealer, on_delete=models.PROTECT, related_name="staff")
    manager = models.BooleanField(_("店长"), default=False)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("经销商销售顾问")
        verbose_name_plural = _("经销商销售顾问")

    def __str__(self) -> str:
        return f"{self.dealer_id}:{self.person_id}"


class Route(models.Model):
    """An assignment rule: leads from ``city`` for ``product`` (any product when empty) go to ``dealer``; the
    lowest ``priority`` wins, a rule for the product before one for any product."""

    city = models.CharField(_("城市"), max_length=32, db_index=True)
    product = models.ForeignKey(Product, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    dealer = models.ForeignKey(Dealer, on_delete=models.CASCADE, related_name="routes")
    priority = models.PositiveSmallIntegerField(_("优先级"), default=10)

    class Meta:
        ordering = ["city", "priority", "pk"]

    def __str__(self) -> str:
        return f"{self.city} → {self.dealer_id}"


class Visit(models.Model):
    """A distinct visitor (first-party cookie) of one share link: the denominator of 留资率."""

    visitor = models.CharField(max_length=32)
    ambassador = models.ForeignKey(Ambassador, on_delete=models.CASCADE, related_name="visits")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visitor", "ambassador", "product"], name="amb_visit_once_per_link")
        ]

    def __str__(self) -> str:
        return f"visit {self.pk}"


class PhoneCheck(models.Model):
    """An SMS code sent to a phone: the code is kept only as a keyed hash; expires, bounded attempts."""

    phone_index = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"check {self.pk}"


class Prospect(models.Model):
    """One phone number: the row two submissions for the same phone lock, so attribution sees them in order."""

    phone_index = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"prospect {self.pk}"


class Stage(models.TextChoices):
    NEW = "new", _("新线索")
    CONTACTED = "contacted", _("已联系")
    VISITED = "visited", _("已到店")
    TEST_DRIVE = "test_drive", _("已试驾")
    ORDERED = "ordered", _("已订车")
    DELIVERED = "delivered", _("已交车")
    LOST = "lost", _("已战败")


#: The forward stages in order (lost is a way out from any of them but delivered-and-credited).
STAGE_ORDER = [Stage.NEW, Stage.CONTACTED, Stage.VISITED, Stage.TEST_DRIVE, Stage.ORDERED, Stage.DELIVERED]
#: The timestamp column each forward stage sets the first time it is reached.
STAGE_FIELDS = {
    Stage.CONTACTED: "contacted_at",
    Stage.VISITED: "visited_at",
    Stage.TEST_DRIVE: "test_drive_at",
    Stage.ORDERED: "ordered_at",
    Stage.DELIVERED: "delivered_at",
}


class Attribution(models.TextChoices):
    CREDITED = "credited", _("有效线索")
    DUPLICATE = "duplicate", _("重复线索")


class Lead(models.Model):
    """A prospect's own phone left on an ambassador's landing page, with both consents (PIPL art. 13, 23)."""

    ref = models.CharField(max_length=16, unique=True)  # the reference a dealer system knows it by
    ambassador = models.ForeignKey(Ambassador, on_delete=models.PROTECT, related_name="leads")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="leads")
    campaign = models.ForeignKey(Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="leads")
    prospect = models.ForeignKey(Prospect, on_delete=models.PROTECT, related_name="leads")
    name = models.CharField(_("称呼"), max_length=32)
    phone = EncryptedTextField(_("手机号"))
    phone_index = models.CharField(max_length=64, db_index=True)
    city = models.CharField(_("城市"), max_length=32)
    call_time = models.CharField(_("方便联系的时间"), max_length=32, blank=True)
    dealer = models.ForeignKey(Dealer, on_delete=models.PROTECT, related_name="leads")
    consent_contact = models.BooleanField(default=False)
    #: The dealer the prospect's separate consent named (PIPL art. 23); the lead is only ever passed to it.
    consent_dealer = models.ForeignKey(Dealer, on_delete=models.PROTECT, related_name="+")
    consent_text = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Attribution.choices, db_index=True)
    credited_lead = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    visitor = models.CharField(max_length=32, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    flagged = models.BooleanField(default=False)
    flag_reason = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.NEW, db_index=True)
    contact_due_at = models.DateTimeField(null=True, blank=True)
    contacted_at = models.DateTimeField(null=True, blank=True)
    visited_at = models.DateTimeField(null=True, blank=True)
    test_drive_at = models.DateTimeField(null=True, blank=True)
    ordered_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    lost_at = models.DateTimeField(null=True, blank=True)
    lost_reason = models.CharField(_("战败原因"), max_length=120, blank=True)
    #: The day the deal was credited to the ambassador, once the freeze period passed without a return.
    deal_credited_on = models.DateField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["dealer", "stage"], name="amb_lead_dealer_stage"),
            models.Index(fields=["ambassador", "status", "created_at"], name="amb_lead_amb_status"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.masked_phone}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class StageChange(models.Model):
    """One move of a lead, by a dealer's staff on the page or by the dealer's system through the webhook."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="changes")
    from_stage = models.CharField(max_length=16, choices=Stage.choices)
    to_stage = models.CharField(max_length=16, choices=Stage.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    via_webhook = models.BooleanField(default=False)
    reason = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_stage} → {self.to_stage}"


class OutboxState(models.TextChoices):
    PENDING = "pending", _("待推送")
    SENT = "sent", _("已推送")
    FAILED = "failed", _("推送失败")


class Outbound(models.Model):
    """A new lead waiting to be pushed to its dealer's system: retried with backoff until sent or given up."""

    lead = models.OneToOneField(Lead, on_delete=models.CASCADE, related_name="outbound")
    dealer = models.ForeignKey(Dealer, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=8, choices=OutboxState.choices, default=OutboxState.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_error = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    #: When the lead's follow-ups (the points for a credited lead, the dealer staff's first-contact reminder) were
    #: done: after the submission's commit, off the prospect's request (``services.follow_up_leads``).
    followed_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["id"], name="amb_outbound_follow_up", condition=models.Q(followed_up_at__isnull=True))
        ]

    def __str__(self) -> str:
        return f"outbound {self.lead_id}"


class WebhookSeen(models.Model):
    """A signature already accepted, so the same signed request replayed within the window is refused."""

    dealer = models.ForeignKey(Dealer, on_delete=models.CASCADE, related_name="+")
    signature = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dealer", "signature"], name="amb_webhook_seen_once")]

    def __str__(self) -> str:
        return self.signature[:12]


def period_keys(day: object) -> tuple[str, str, str]:
    """The ranking periods a day counts in: its month ("2026-12"), its year ("2026") and all time ("all")."""
    return (f"{day:%Y-%m}", f"{day:%Y}", "all")


def group_keys(unit_path: str | None) -> tuple[str, str, str]:
    """The grouping keys a score row carries for the grouped rankings: the ambassador's 班组/branch (its whole
    path), the organisation under the enterprise (its first two steps) and the enterprise (the first step)."""
    path = unit_path or ""
    step = Organisation.steplen
    return path, path[: step * 2], path[:step]


class Score(models.Model):
    """An ambassador's credited leads and credited deals in one period (month, year, all time): what the
    rankings read, kept up to date by the services (a lead by the day it came, a deal by the day it was
    credited) so a ranking over 24,000 ambassadors reads one indexed slice instead of counting every lead.

    The row carries the ambassador's grouping keys (``unit_key``, ``org_key``, ``top_key``: see
    :func:`group_keys`), rewritten when the ambassador's unit changes, so a grouped ranking is one aggregate over
    the period's rows with an index, no join."""

    ambassador = models.ForeignKey(Ambassador, on_delete=models.CASCADE, related_name="scores")
    period = models.CharField(max_length=8)
    leads = models.PositiveIntegerField(default=0)
    deals = models.PositiveIntegerField(default=0)
    unit_key = models.CharField(max_length=255, blank=True, default="")
    org_key = models.CharField(max_length=255, blank=True, default="")
    top_key = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ambassador", "period"], name="amb_score_once_per_period")]
        indexes = [
            models.Index(fields=["period", "-deals", "-leads"], name="amb_score_rank"),
            models.Index(fields=["period", "unit_key", "leads", "deals"], name="amb_score_unit"),
            models.Index(fields=["period", "org_key", "leads", "deals"], name="amb_score_org"),
            models.Index(fields=["period", "top_key", "leads", "deals"], name="amb_score_top"),
        ]

    def __str__(self) -> str:
        return f"{self.ambassador_id} {self.period}"
