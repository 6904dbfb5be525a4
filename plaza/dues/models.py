"""党费 records: each member's dues base with its history, the payments ledger and hardship reductions.

The amounts follow from :mod:`plaza.rules.dues`; these tables only keep what was declared and paid. All three
are append-only: a base is changed by a newer row, a payment is corrected by a new entry that references it
(``corrects``) with a negative or adjusting amount, never by editing or deleting a row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from plaza.lib import appendonly
from plaza.lib.appendonly import AppendOnlyError


class LedgerIsAppendOnly(AppendOnlyError):
    """Raised when code tries to change or delete a dues record: add a new one instead."""


class AppendOnly(appendonly.AppendOnly):
    append_only_error = LedgerIsAppendOnly
    append_only_messages = ("党费记录只能追加，不能修改。", "党费记录只能追加，不能删除。")

    class Meta:
        abstract = True


class Category(models.TextChoices):
    """The categories of :data:`plaza.rules.dues.CATEGORIES`."""

    IN_SERVICE = "in_service", _("在岗职工")
    RETIRED = "retired", _("离退休人员")
    FLAT = "flat", _("学生/下岗/低保")
    FARMER = "farmer", _("农民")


class BaseSource(models.TextChoices):
    PAYROLL = "payroll", _("工资表导入")
    BRANCH = "branch", _("党支部登记")


class DuesBase(AppendOnly):
    """月工资基数 from a month on. The base for a month is the row with the latest ``effective_from`` on or
    before it (the latest recorded among rows of the same month)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="dues_bases")
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    base = models.DecimalField(_("月工资基数（元）"), max_digits=12, decimal_places=2)
    effective_from = models.DateField(_("起始月份"), help_text=_("当月 1 日"))
    source = models.CharField(_("来源"), max_length=16, choices=BaseSource.choices, default=BaseSource.BRANCH)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("党费基数")
        verbose_name_plural = _("党费基数")
        ordering = ["person", "effective_from", "id"]
        indexes = [models.Index(fields=["person", "effective_from", "id"])]
        constraints = [models.CheckConstraint(condition=Q(base__gte=0), name="dues_base_not_negative")]

    def __str__(self) -> str:
        return f"{self.person} {self.effective_from:%Y-%m} {self.get_category_display()} {self.base}"


class Method(models.TextChoices):
    CASH = "cash", _("现金")
    TRANSFER = "transfer", _("转账")
    ONLINE = "online", _("线上支付")


class Kind(models.TextChoices):
    REGULAR = "regular", _("按月交纳")
    EXTRA = "extra", _("自愿多交")


class DuesPayment(AppendOnly):
    """One entry of the payments ledger. A regular payment covers one month; a correction (``corrects`` set)
    adjusts an earlier entry by ``amount`` (negative to take back)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="dues_payments")
    month = models.DateField(_("所属月份"), help_text=_("当月 1 日"))
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    method = models.CharField(_("方式"), max_length=16, choices=Method.choices, default=Method.CASH)
    reference = models.CharField(_("凭证号"), max_length=64, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.REGULAR)
    to_centre = models.BooleanField(
        _("全额上缴中央"),
        default=False,
        help_text="extra payments of 1000 yuan or more (plaza.rules.dues.goes_wholly_to_centre)",
    )
    paid_on = models.DateField(_("交纳日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("更正的记录"),
    )
    note = models.CharField(_("说明"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("党费交纳记录")
        verbose_name_plural = _("党费交纳记录")
        ordering = ["person", "month", "id"]
        indexes = [models.Index(fields=["month", "kind"])]
        constraints = [
            # One regular payment per person and month; later changes are corrections referencing it.
            models.UniqueConstraint(
                fields=["person", "month"],
                condition=Q(kind="regular", corrects__isnull=True),
                name="one_regular_dues_payment_per_month",
            ),
            # Only a correction may be negative or zero.
            models.CheckConstraint(
                condition=Q(amount__gt=0) | Q(corrects__isnull=False), name="dues_payment_positive_unless_correction"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.month:%Y-%m} {self.amount}"


class DuesReduction(AppendOnly):
    """减免: a hardship reduction or exemption for the months ``from_month`` to ``to_month`` (inclusive).

    Interpretation: the branch discusses it and the next-higher committee approves it (《党费规定》); the branch
    records it here with the approval (``approved_by`` names the approving committee and its document,
    ``approved_on`` the date). For those months the member's due on the roll is ``amount`` (a reduced monthly
    amount) or 0 when ``amount`` is empty (exempt). A month so reduced to 0 counts as settled for arrears.
    """

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="dues_reductions")
    from_month = models.DateField(_("起始月份"))
    to_month = models.DateField(_("截止月份"))
    amount = models.DecimalField(
        _("减免后每月应交（元）"), max_digits=10, decimal_places=2, null=True, blank=True, help_text=_("空白表示免交")
    )
    reason = models.CharField(_("原因"), max_length=255)
    approved_by = models.CharField(_("批准的党组织及文号"), max_length=128)
    approved_on = models.DateField(_("批准日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("党费减免")
        verbose_name_plural = _("党费减免")
        ordering = ["person", "from_month", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(to_month__gte=models.F("from_month")), name="dues_reduction_ordered"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="dues_reduction_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.from_month:%Y-%m}–{self.to_month:%Y-%m}"
