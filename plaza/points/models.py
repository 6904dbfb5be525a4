"""积分: one append-only ledger for 阅读豆 and every other point, each person's balance, and the 积分超市.

Every change of points is a new :class:`Entry`; a person's :class:`Balance` is the sum of their entries, kept
in the same transaction under a row lock (:mod:`plaza.points.services`), and can never go below zero. The mall's
:class:`Item` rows hold the stock; an :class:`Order` spends points and is handed over against a pickup code.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plaza.audit.chain import Chained
from plaza.lib.appendonly import AppendOnly, AppendOnlyError


class LedgerIsAppendOnly(AppendOnlyError):
    """Raised when code tries to change or delete a points entry: add a new one instead."""


class Kind(models.TextChoices):
    EARN = "earn", _("获得")
    SPEND = "spend", _("兑换")
    REFUND = "refund", _("退还")
    ADJUST = "adjust", _("调整")
    EXPIRE = "expire", _("过期")


#: Kinds that count towards the rankings (what was earned, not what was spent in the mall).
RANKED_KINDS = (Kind.EARN, Kind.ADJUST)


class Entry(AppendOnly, Chained):
    append_only_error = LedgerIsAppendOnly
    append_only_messages = ("积分记录只能追加，不能修改。", "积分记录只能追加，不能删除。")
    """One change of one person's points. Spending and expiry are negative, earning and refunds positive, an
    adjustment either. ``source_type``/``source_id`` name what caused it (``reading`` and an article, ``award``,
    ``points.order`` and the order); ``idempotency_key`` makes a retried request add nothing. Each entry is
    chained to the one before by a keyed hash (:mod:`plaza.audit.chain`), so a change made with a database
    client shows when the chain is verified."""

    CHAIN_NAME = "points"
    CHAIN_FIELDS = (
        "person",
        "kind",
        "amount",
        "reason",
        "source_type",
        "source_id",
        "idempotency_key",
        "created_by",
        "created_at",
    )

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="points_entries")
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    amount = models.IntegerField(_("积分"))
    reason = models.CharField(_("说明"), max_length=200)
    source_type = models.CharField(_("来源"), max_length=32, blank=True)
    source_id = models.CharField(_("来源编号"), max_length=64, blank=True)
    idempotency_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="staff for awards and adjustments; empty for the system",
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("积分记录")
        verbose_name_plural = _("积分记录")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["created_at"], name="points_entry_created"),  # rankings of a week or a month
            models.Index(fields=["person", "created_at"], name="points_entry_person_created"),  # history, caps
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["earn", "refund"], amount__gt=0)
                | Q(kind__in=["spend", "expire"], amount__lt=0)
                | (Q(kind="adjust") & ~Q(amount=0)),
                name="points_entry_sign_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()} {self.amount:+d}"

    @staticmethod
    def chain_cross_check(using: str = "default") -> list[str]:
        """Balances are changed in place, so they cannot be chained; each must equal its person's entries."""
        sums = (
            Entry.objects.using(using)
            .filter(person=OuterRef("person"))
            .order_by()
            .values("person")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        wrong = (
            Balance.objects.using(using)
            .annotate(ledger=Coalesce(Subquery(sums), 0))
            .exclude(amount=models.F("ledger"))
            .order_by("person_id")
            .values_list("person_id", "amount", "ledger")
        )
        return [
            str(_("人员编号 %(person)s 的积分余额 %(amount)s 与积分记录之和 %(ledger)s 不符。"))
            % {"person": person, "amount": amount, "ledger": ledger}
            for person, amount, ledger in wrong[:5]
        ]


class Balance(models.Model):
    """A person's points now: the sum of their entries, changed only together with a new entry."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="points_balance")
    amount = models.IntegerField(_("积分余额"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("积分余额")
        verbose_name_plural = _("积分余额")
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="points_balance_not_negative")]

    def __str__(self) -> str:
        return f"{self.person} {self.amount}"


class Item(models.Model):
    """A gift in the 积分超市. ``organisations`` empty: everyone may redeem it; otherwise only people with a
    current membership inside one of them."""

    name = models.CharField(_("名称"), max_length=80)
    description = models.TextField(_("介绍"), blank=True)
    picture = models.ImageField(_("图片"), upload_to="points/items/", blank=True)
    price = models.PositiveIntegerField(_("所需积分"))
    stock = models.PositiveIntegerField(_("库存"), default=0)
    per_person_limit = models.PositiveIntegerField(_("每人限兑"), default=0, help_text=_("0 表示不限"))
    available_from = models.DateTimeField(_("开始兑换"), null=True, blank=True)
    available_until = models.DateTimeField(_("结束兑换"), null=True, blank=True)
    organisations = models.ManyToManyField(
        "orgs.Organisation",
        blank=True,
        related_name="+",
        verbose_name=_("限定组织"),
        help_text=_("不选表示所有人可兑换"),
    )
    active = models.BooleanField(_("上架"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("积分商品")
        verbose_name_plural = _("积分商品")
        ordering = ["price", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="points_item_price_positive"),
            models.CheckConstraint(condition=Q(stock__gte=0), name="points_item_stock_not_negative"),
            models.CheckConstraint(
                condition=Q(available_from__isnull=True)
                | Q(available_until__isnull=True)
                | Q(available_until__gt=models.F("available_from")),
                name="points_item_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OrderState(models.TextChoices):
    PLACED = "placed", _("待领取")
    HANDED_OVER = "handed_over", _("已领取")
    CANCELLED = "cancelled", _("已取消")


class Order(models.Model):
    """One redemption: the points it cost, and the code shown (as a QR code) when the gift is picked up."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="orders")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="points_orders")
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    points = models.PositiveIntegerField(_("积分"))
    state = models.CharField(_("状态"), max_length=16, choices=OrderState.choices, default=OrderState.PLACED)
    pickup_code = models.CharField(_("领取码"), max_length=16, unique=True)
    placed_at = models.DateTimeField(_("兑换时间"), default=timezone.now)
    handed_over_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("兑换订单")
        verbose_name_plural = _("兑换订单")
        ordering = ["-placed_at", "-id"]
        indexes = [
            models.Index(fields=["person", "placed_at"], name="points_order_person_placed"),
            models.Index(fields=["state", "placed_at"], name="points_order_state_placed"),
            models.Index(fields=["item", "person", "state"], name="points_order_item_person"),  # per-person limit
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="points_order_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity}（{self.pickup_code}）"


def period_keys(moment: object) -> tuple[str, str, str]:
    """The ranking periods an entry made at ``moment`` counts for: its ISO week, its month, and all time."""
    local = timezone.localtime(moment)  # type: ignore[arg-type]
    year, week, _day = local.isocalendar()
    return f"{year}-W{week:02d}", f"{local:%Y-%m}", "all"


class Total(models.Model):
    """Points earned by a person in one ranking period ("2026-W48", "2026-11" or "all"), kept with every ranked
    entry (``services._post``) so a ranking of 200,000 people is an index scan, not a sum over the ledger."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=16)
    earned = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("积分统计")
        verbose_name_plural = _("积分统计")
        constraints = [models.UniqueConstraint(fields=["person", "period"], name="one_total_per_period")]
        indexes = [models.Index(fields=["period", "-earned", "person"], name="points_total_ranking")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.period} {self.earned}"
