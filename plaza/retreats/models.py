"""Tables of 疗休养: the yearly quota of each union organisation, routes and their dated batches with places,
sign-ups (with the waiting list), the allocation (method, seed, candidates, result) and feedback."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Quota(models.Model):
    """How many 疗休养 places a union organisation has in a year (shared by its routes' batches)."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    places = models.PositiveIntegerField(_("名额"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("疗休养名额")
        verbose_name_plural = _("疗休养名额")
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="one_retreat_quota_a_year")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}: {self.places}"


class Route(models.Model):
    """A 疗休养 route of a union organisation for a year: where it goes and how long it lasts."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("线路名称"), max_length=80)
    destination = models.CharField(_("目的地"), max_length=80)
    description = models.TextField(_("行程安排"), blank=True)
    days = models.PositiveSmallIntegerField(_("天数"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("疗休养线路")
        verbose_name_plural = _("疗休养线路")
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class Method(models.TextChoices):
    LOTTERY = "lottery", _("抽签")
    PRIORITY = "priority", _("按优先规则")


class Batch(models.Model):
    """One departure of a route: its dates and places. ``taken`` counts the places given (changed only by
    conditional updates, so two withdrawals and promotions at once never give a place twice)."""

    route = models.ForeignKey(Route, on_delete=models.PROTECT, related_name="batches")
    starts_on = models.DateField(_("出发日期"))
    ends_on = models.DateField(_("返回日期"))
    places = models.PositiveIntegerField(_("名额"))
    taken = models.PositiveIntegerField(_("已入选"), default=0)
    signup_closes_on = models.DateField(_("报名截止日期"))
    allocated_at = models.DateTimeField(_("分配时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("疗休养批次")
        verbose_name_plural = _("疗休养批次")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(taken__lte=F("places")), name="retreat_batch_not_overfull"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="retreat_batch_dates_ordered"),
            models.CheckConstraint(
                condition=Q(signup_closes_on__lt=F("starts_on")), name="retreat_signup_closes_before_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.route.name} {self.starts_on}"


class SignUpStatus(models.TextChoices):
    APPLIED = "applied", _("已报名")
    WON = "won", _("已入选")
    WAITING = "waiting", _("候补")
    WITHDRAWN = "withdrawn", _("已退出")


class SignUp(models.Model):
    """A member's sign-up for a batch; after the allocation it is a place (WON) or on the waiting list."""

    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="signups")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=SignUpStatus.choices, default=SignUpStatus.APPLIED)
    waiting_rank = models.PositiveIntegerField(_("候补顺序"), null=True, blank=True)
    service_years = models.PositiveSmallIntegerField(_("工龄（年）"))
    last_year = models.PositiveSmallIntegerField(_("上次疗休养年度"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("疗休养报名")
        verbose_name_plural = _("疗休养报名")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["batch", "person"], name="one_signup_per_batch")]

    def __str__(self) -> str:
        return f"{self.person} · {self.batch} · {self.get_status_display()}"


class Allocation(models.Model):
    """How a batch's places were given: the method, the seed of a lottery and the candidates it was drawn from,
    so anyone can draw again and get the same result (``plaza.rules.retreats.draw``)."""

    batch = models.OneToOneField(Batch, on_delete=models.PROTECT, related_name="allocation")
    method = models.CharField(_("分配方式"), max_length=16, choices=Method.choices)
    seed = models.CharField(_("抽签种子"), max_length=64, blank=True)
    candidates = models.JSONField(_("候选人"), default=list)
    winners = models.JSONField(_("入选"), default=list)
    waiting = models.JSONField(_("候补"), default=list)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("疗休养分配")
        verbose_name_plural = _("疗休养分配")

    def __str__(self) -> str:
        return f"{self.batch} {self.get_method_display()}"


class Feedback(models.Model):
    """A participant's feedback after the trip (once)."""

    signup = models.OneToOneField(SignUp, on_delete=models.PROTECT, related_name="feedback")
    rating = models.PositiveSmallIntegerField(_("满意度"))
    comment = models.TextField(_("意见建议"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("疗休养反馈")
        verbose_name_plural = _("疗休养反馈")
        constraints = [models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="retreat_rating_1_5")]

    def __str__(self) -> str:
        return f"{self.signup} {self.rating}"
