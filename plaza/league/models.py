"""Tables of 共青团: 推优 recommendations, 团费 payments and the age-28 reminders already given.

League membership itself is an ``orgs.Membership`` in the League tree (团委 / 团总支 / 团支部) and a League post
an ``orgs.Position`` (团委（团支部）书记); nothing here copies them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RecommendationStatus(models.TextChoices):
    PENDING = "pending", _("待党支部确定")
    CONFIRMED = "confirmed", _("已确定为入党积极分子")
    WITHDRAWN = "withdrawn", _("已撤回")


class Recommendation(models.Model):
    """推优: a League branch recommends an outstanding member to the Party (rules.md §12). Once the Party branch
    committee confirms it, it is the "共青团推优" of recruitment step 3 (``step_record``)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("推荐的团组织")
    )
    recommended_on = models.DateField(_("推荐日期"))
    reason = models.TextField(_("推荐理由"))
    status = models.CharField(
        _("状态"), max_length=16, choices=RecommendationStatus.choices, default=RecommendationStatus.PENDING
    )
    step_record = models.ForeignKey(
        "recruitment.StepRecord", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("推优")
        verbose_name_plural = _("推优")
        ordering = ["-recommended_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(status="pending"), name="one_pending_recommendation")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_status_display()}"


class DuesPayment(models.Model):
    """One member's 团费 for one month. Append-only: a payment is never changed or deleted (a wrong one is set
    right by a correction row with a negative amount that names it)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("月份"), help_text="the first day of the month the dues are for")
    amount = models.DecimalField(_("金额"), max_digits=8, decimal_places=2)
    paid_on = models.DateField(_("交纳日期"))
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("团费")
        verbose_name_plural = _("团费")
        ordering = ["-month", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "month"], condition=Q(corrects__isnull=True), name="one_league_dues_per_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.month:%Y-%m} {self.amount}"


class AgeReminder(models.Model):
    """The age-28 reminder given for one member's 28th birthday: the daily sweep gives it once."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    leaving_on = models.DateField(_("年满二十八周岁日期"))
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("离团提醒")
        verbose_name_plural = _("离团提醒")
        constraints = [models.UniqueConstraint(fields=["person", "leaving_on"], name="one_age_reminder")]

    def __str__(self) -> str:
        return f"{self.person} {self.leaving_on}"
