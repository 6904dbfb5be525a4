"""预约办理: services people book a time for (组织关系转接, 党员身份证明, 工会会员服务 …), their opening hours
and counters, the slots taken, the bookings and what became of them (checked in, done, no-show, rated).

Free slots are computed from the opening hours, the public holidays of :mod:`plaza.booking.holidays` and
the staff's :class:`ClosedDay` rows; a :class:`Slot` row exists only once someone books it and counts the
places taken, so the last place can never be given twice (``booked < capacity`` in the database).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("所有人")
    PARTY = "party", _("仅党员")
    UNION = "union", _("仅工会会员")


class Service(models.Model):
    """A matter handled by appointment, offered by an organisation to the people in its subtree."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="booking_services")
    name = models.CharField(_("办理事项"), max_length=80)
    place = models.CharField(_("办理地点"), max_length=120)
    slot_minutes = models.PositiveSmallIntegerField(_("每个时段（分钟）"), default=30)
    documents = models.TextField(_("需携带的材料"), blank=True, help_text=_("每行一项，预约前后都会显示"))
    audience = models.CharField(_("可预约人员"), max_length=16, choices=Audience.choices, default=Audience.EVERYONE)
    book_ahead_days = models.PositiveSmallIntegerField(_("可提前预约天数"), default=14)
    cancel_hours = models.PositiveSmallIntegerField(_("取消截止（开始前几小时）"), default=2)
    active = models.BooleanField(_("开放预约"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("预约事项")
        verbose_name_plural = _("预约事项")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(slot_minutes__gte=5, slot_minutes__lte=240), name="slot_5_to_240_min"),
            models.CheckConstraint(
                condition=Q(book_ahead_days__gte=1, book_ahead_days__lte=90), name="book_ahead_1_to_90_days"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def checklist(self) -> list[str]:
        return [line.strip(" -•·\t") for line in self.documents.splitlines() if line.strip(" -•·\t")]


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("星期一")
    TUESDAY = 1, _("星期二")
    WEDNESDAY = 2, _("星期三")
    THURSDAY = 3, _("星期四")
    FRIDAY = 4, _("星期五")
    SATURDAY = 5, _("星期六")
    SUNDAY = 6, _("星期日")


class OpeningHours(models.Model):
    """One opening period of a weekday (09:00–11:30); the gap to the next period is the break.
    ``counters`` people are served at once, so each slot of the period has that many places."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("星期"), choices=Weekday.choices)
    opens = models.TimeField(_("开始"))
    closes = models.TimeField(_("结束"))
    counters = models.PositiveSmallIntegerField(_("窗口数（每时段名额）"), default=1)

    class Meta:
        verbose_name = _("开放时间")
        verbose_name_plural = _("开放时间")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="hours_close_after_open"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="hours_weekday_0_to_6"),
            models.CheckConstraint(condition=Q(counters__gte=1), name="hours_at_least_one_counter"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class ClosedDay(models.Model):
    """An extra closure decided by staff (training, renovation), besides the public holidays."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="closed_days")
    day = models.DateField(_("日期"))
    reason = models.CharField(_("原因"), max_length=120)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("暂停办理日")
        verbose_name_plural = _("暂停办理日")
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["service", "day"], name="one_closure_per_service_day")]

    def __str__(self) -> str:
        return f"{self.service} {self.day}"


class Slot(models.Model):
    """A time of a service that someone booked: ``booked`` of ``capacity`` places are taken."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="slots")
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveSmallIntegerField(_("名额"))
    booked = models.PositiveSmallIntegerField(_("已约"), default=0)

    class Meta:
        verbose_name = _("时段")
        verbose_name_plural = _("时段")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["service", "starts_at"], name="one_slot_per_service_and_time"),
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="slot_not_overbooked"),
        ]

    def __str__(self) -> str:
        return f"{self.service} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def free(self) -> int:
        return self.capacity - self.booked


class Status(models.TextChoices):
    BOOKED = "booked", _("已预约")
    CHECKED_IN = "checked_in", _("已签到")
    DONE = "done", _("已办结")
    NO_SHOW = "no_show", _("未到")
    CANCELLED = "cancelled", _("已取消")


#: States that hold a place in the slot.
HOLDING = (Status.BOOKED, Status.CHECKED_IN, Status.DONE, Status.NO_SHOW)


class Booking(models.Model):
    """One person's appointment. ``code`` is the check-in code shown as a QR code."""

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="bookings")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings")
    code = models.CharField(_("签到码"), max_length=12, unique=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.BOOKED)
    moved_from = models.OneToOneField("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="moved_to")
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    finished_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("评分"), null=True, blank=True)
    comment = models.CharField(_("评价"), max_length=300, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        ordering = ["-slot__starts_at", "-id"]
        indexes = [models.Index(fields=["person", "status"]), models.Index(fields=["service", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "person"], condition=~Q(status="cancelled"), name="one_booking_per_person_and_slot"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="booking_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} · {self.person} · {timezone.localtime(self.slot.starts_at):%Y-%m-%d %H:%M}"


class Pause(models.Model):
    """Booking paused for a person after too many no-shows: from ``starts_on`` until the day before ``ends_on``."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="booking_pauses")
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("恢复预约日期"))
    reason = models.CharField(_("原因"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("暂停预约")
        verbose_name_plural = _("暂停预约")
        ordering = ["-ends_on"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="pause_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.person} {self.starts_on}–{self.ends_on}"
