"""组织生活: meetings (三会一课, 主题党日, 组织生活会, 党委中心组学习), their attendance, minutes and resolutions.

What the rules require (how often each kind must be held, how a branch meeting decides) lives in
:mod:`plaza.rules.meetings`; these tables keep what was planned and what happened.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """The kinds of :data:`plaza.rules.meetings.KINDS`, and the committee's study group (no minimum); then the
    League's 团的组织生活 (:data:`plaza.rules.meetings.LEAGUE_KINDS`) and the union's meetings. Which kinds an
    organisation may hold depends on its tree: ``services.kinds_for``."""

    GENERAL_MEETING = "general_meeting", _("支部党员大会")
    COMMITTEE = "committee", _("支部委员会")
    GROUP = "group", _("党小组会")
    LECTURE = "lecture", _("党课")
    THEME_DAY = "theme_day", _("主题党日")
    LIFE_MEETING = "life_meeting", _("组织生活会")
    CENTRE_GROUP = "centre_group", _("党委中心组学习")
    # 共青团 (《中国共产主义青年团章程》; 团支部 "三会两制一课")
    LEAGUE_MEETING = "league_meeting", _("团员大会")
    LEAGUE_COMMITTEE = "league_committee", _("团委（团支部）委员会")
    LEAGUE_LECTURE = "league_lecture", _("团课")
    LEAGUE_DAY = "league_day", _("主题团日")
    LEAGUE_LIFE = "league_life", _("组织生活会（民主评议团员）")
    # 工会 (《中国工会章程》)
    UNION_MEETING = "union_meeting", _("会员大会")
    UNION_COMMITTEE = "union_committee", _("工会委员会会议")


class Format(models.TextChoices):
    ONSITE = "onsite", _("现场")
    ONLINE = "online", _("线上")
    BUS = "bus", _("巴士党课")  # mobile lessons: a place and a route
    WALKING = "walking", _("行走党课")


class Status(models.TextChoices):
    PLANNED = "planned", _("已安排")
    CANCELLED = "cancelled", _("已取消")


class Series(models.Model):
    """A recurring plan: e.g. the branch's 主题党日 on the 15th of every month at 14:30."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="meeting_series")
    kind = models.CharField(_("会议类型"), max_length=20, choices=Kind.choices)
    topic = models.CharField(_("主题"), max_length=120)
    day_of_month = models.PositiveSmallIntegerField(_("每月几号"), help_text=_("1–28"))
    start_time = models.TimeField(_("开始时间"))
    duration_minutes = models.PositiveSmallIntegerField(_("时长（分钟）"), default=90)
    place = models.CharField(_("地点"), max_length=120, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("固定会议计划")
        verbose_name_plural = _("固定会议计划")
        constraints = [
            models.CheckConstraint(condition=Q(day_of_month__gte=1, day_of_month__lte=28), name="series_day_1_to_28")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.get_kind_display()} 每月{self.day_of_month}日"


class Meeting(models.Model):
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="meetings")
    series = models.ForeignKey(Series, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings")
    kind = models.CharField(_("会议类型"), max_length=20, choices=Kind.choices)
    format = models.CharField(_("形式"), max_length=16, choices=Format.choices, default=Format.ONSITE)
    topic = models.CharField(_("主题"), max_length=120)
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=120, blank=True)
    route = models.TextField(_("路线"), blank=True, help_text=_("巴士党课、行走党课的线路和站点"))
    online_link = models.URLField(_("线上会议链接"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    cancelled_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "starts_at"]),
            models.Index(fields=["kind", "starts_at"]),  # the compliance board reads one period per kind
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"),
            # A recurring plan makes at most one meeting a day (the daily job may run twice).
            models.UniqueConstraint(
                fields=["series", "starts_at"],
                condition=Q(series__isnull=False),
                name="one_meeting_per_series_and_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.topic}"


class AttendanceState(models.TextChoices):
    EXPECTED = "expected", _("应到")
    PRESENT = "present", _("已签到")
    LEAVE = "leave", _("请假")
    ABSENT = "absent", _("缺席")


class Attendance(models.Model):
    """One person expected at one meeting, and what became of it (signed in, on leave, absent, made up)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attendance")
    guest = models.BooleanField(_("列席"), default=False)
    state = models.CharField(
        _("状态"), max_length=16, choices=AttendanceState.choices, default=AttendanceState.EXPECTED
    )
    signed_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    signed_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="the person themselves (QR) or an officer",
    )
    leave_reason = models.CharField(_("请假原因"), max_length=200, blank=True)
    makeup_due_on = models.DateField(_("补学期限"), null=True, blank=True)
    makeup_done_on = models.DateField(_("补学日期"), null=True, blank=True)
    makeup_note = models.TextField(_("补学心得"), blank=True)

    class Meta:
        verbose_name = _("参会记录")
        verbose_name_plural = _("参会记录")
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="one_attendance_per_person")]
        indexes = [models.Index(fields=["person", "state"])]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.person} · {self.get_state_display()}"


class Minutes(models.Model):
    """会议记录: written after the meeting, locked once approved."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    topics = models.TextField(_("议题"))
    speakers = models.CharField(_("发言人"), max_length=500, blank=True)
    content = models.TextField(_("会议内容"))
    decisions = models.TextField(_("会议决定"), blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("审定时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("会议记录")
        verbose_name_plural = _("会议记录")

    def __str__(self) -> str:
        return f"{self.meeting} 会议记录"

    @property
    def locked(self) -> bool:
        return self.approved_at is not None


class Attachment(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("附件"), upload_to="meetings/%Y/%m/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("会议附件")
        verbose_name_plural = _("会议附件")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]


class Resolution(models.Model):
    """A matter put to the vote at a 支部党员大会, decided by :func:`plaza.rules.meetings.branch_resolution`."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="resolutions")
    title = models.CharField(_("表决事项"), max_length=200)
    entitled = models.PositiveIntegerField(_("应到会有表决权党员"))
    present = models.PositiveIntegerField(_("实到会"))
    yes = models.PositiveIntegerField(_("赞成（含书面意见）"))
    passed = models.BooleanField(_("通过"))
    rule = models.CharField(_("依据"), max_length=120)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("会议表决")
        verbose_name_plural = _("会议表决")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return self.title
