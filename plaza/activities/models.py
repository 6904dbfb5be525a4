"""Tables of 活动与共建: partner organisations (共建单位) with their contacts and the record of joint work,
activities organised by an organisation for an audience of organisations, sign-ups (confirmed or waiting),
photos.

``Activity.taken`` counts the confirmed places; the database refuses ``taken > capacity`` and a second live
sign-up of one person to one activity, so neither a rush nor a double tap can give more places than there are.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plaza.lib.crypto import EncryptedTextField, mask_phone


class Partner(models.Model):
    """A 共建单位: an enterprise, a community or a school the Party committee works with (工商银行, 小邻通 …).
    Kept by an organisation (``Cap.ACTIVITIES`` over it edits the record)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="activity_partners", verbose_name=_("对接组织")
    )
    name = models.CharField(_("单位名称"), max_length=80, unique=True)
    kind = models.CharField(_("单位类型"), max_length=40, blank=True, help_text=_("如：金融机构、企业、社区、学校"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    since = models.DateField(_("共建起始日期"), null=True, blank=True)
    description = models.TextField(_("共建内容"), blank=True, max_length=2000)
    active = models.BooleanField(_("共建中"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("共建单位")
        verbose_name_plural = _("共建单位")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class PartnerContact(models.Model):
    """A person to call at a partner. The phone is personal information: encrypted, masked in lists."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("联系人"), max_length=40)
    role = models.CharField(_("职务"), max_length=60, blank=True)
    phone = EncryptedTextField(_("联系电话"), blank=True, default="")

    class Meta:
        verbose_name = _("共建联系人")
        verbose_name_plural = _("共建联系人")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class RecordKind(models.TextChoices):
    AGREEMENT = "agreement", _("共建协议")
    MEETING = "meeting", _("联席会议")
    NOTE = "note", _("工作记录")


class PartnerRecord(models.Model):
    """One entry of the history of joint work besides the activities: an agreement signed, a meeting, a note."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="records")
    kind = models.CharField(_("类型"), max_length=16, choices=RecordKind.choices, default=RecordKind.NOTE)
    happened_on = models.DateField(_("日期"))
    title = models.CharField(_("事项"), max_length=120)
    text = models.TextField(_("内容"), blank=True, max_length=2000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("共建记录")
        verbose_name_plural = _("共建记录")
        ordering = ["-happened_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Kind(models.TextChoices):
    VOLUNTEER = "volunteer", _("志愿服务")
    THEME_DAY = "theme_day", _("主题党日")
    UNION = "union", _("工会活动")
    JOINT = "joint", _("共建活动")


class State(models.TextChoices):
    OPEN = "open", _("报名中")
    CLOSED = "closed", _("报名已关闭")
    CANCELLED = "cancelled", _("已取消")


class Activity(models.Model):
    """An activity people sign up for. ``audience``: the organisations whose members (their subtrees) may."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="activities", verbose_name=_("主办组织")
    )
    kind = models.CharField(_("活动类型"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("活动名称"), max_length=80)
    description = models.TextField(_("活动内容"), blank=True, max_length=4000)
    place = models.CharField(_("地点"), max_length=120)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    signup_deadline = models.DateTimeField(_("报名截止"))
    capacity = models.PositiveIntegerField(_("名额"))
    waiting_list = models.BooleanField(_("名额满后可候补"), default=True)
    points = models.PositiveSmallIntegerField(_("参加积分"), default=0)
    audience = models.ManyToManyField("orgs.Organisation", related_name="+", verbose_name=_("面向组织"))
    partners = models.ManyToManyField(Partner, related_name="activities", blank=True, verbose_name=_("共建单位"))
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.OPEN)
    taken = models.PositiveIntegerField(_("已报名"), default=0)
    report = models.TextField(_("活动小结"), blank=True, max_length=2000)
    report_at = models.DateTimeField(_("小结时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(taken__lte=F("capacity")), name="activity_not_overbooked"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="activity_at_least_one_place"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="activity_ends_after_start"),
            models.CheckConstraint(
                condition=Q(signup_deadline__lte=F("starts_at")), name="activity_deadline_before_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {timezone.localtime(self.starts_at):%Y-%m-%d}"

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)

    @property
    def hours(self) -> float:
        return round((self.ends_at - self.starts_at).total_seconds() / 3600, 1)


class SignupState(models.TextChoices):
    CONFIRMED = "confirmed", _("已报名")
    WAITING = "waiting", _("候补中")
    CANCELLED = "cancelled", _("已取消")


class Signup(models.Model):
    """One person's sign-up. Waiting sign-ups move up in the order they came (``created_at``, then ``id``)."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="signups")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="activity_signups")
    state = models.CharField(_("状态"), max_length=16, choices=SignupState.choices)
    created_at = models.DateTimeField(_("报名时间"))
    promoted_at = models.DateTimeField(_("候补转正时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    points_given = models.PositiveSmallIntegerField(_("所得积分"), default=0)

    class Meta:
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["activity", "state", "created_at"]), models.Index(fields=["person", "state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person"], condition=~Q(state="cancelled"), name="one_live_signup_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity.title} · {self.person}"


class Photo(models.Model):
    """A picture of the activity, cleaned by ``plaza.lib.images.clean_picture`` (no metadata, resized). Served
    only through the activity's own permission-checked view."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("照片"), upload_to="activities/%Y/%m/")
    caption = models.CharField(_("说明"), max_length=120, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.caption or self.image.name
