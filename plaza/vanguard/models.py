"""Tables of 支部先锋行动: projects owned by one branch or several together, their measurable targets, members,
milestones (with how far a late one has been reported), progress entries with photos, documents, risks, the
closing results and the committee's review; and 党员先锋岗 / 责任区 with their yearly reviews."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    BREAKTHROUGH = "breakthrough", _("攻关")
    INNOVATION = "innovation", _("创新")
    SERVICE = "service", _("服务")


class Theme(models.TextChoices):
    DIGITAL = "digital", _("数字化转型")
    CONNECTED = "connected", _("智能网联")
    ELECTRIC = "electric", _("电动化")
    QUALITY = "quality", _("质量提升")
    COST = "cost", _("降本增效")
    SAFETY = "safety", _("安全生产")
    OTHER = "other", _("其他")


class Status(models.TextChoices):
    ACTIVE = "active", _("推进中")
    SUBMITTED = "submitted", _("待评审")
    CLOSED = "closed", _("已结项")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    PASS = "pass", _("合格")
    RETURNED = "returned", _("退回完善")


class Project(models.Model):
    """A 支部先锋行动 project. ``branch`` leads it; ``partners`` are the other branches that run it together
    (each sees and works on it as its own)."""

    title = models.CharField(_("项目名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    theme = models.CharField(_("主题"), max_length=16, choices=Theme.choices)
    goal = models.TextField(_("项目目标"))
    branch = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="vanguard_projects")
    partners = models.ManyToManyField("orgs.Organisation", blank=True, related_name="vanguard_partnerships")
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="vanguard_led")
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("计划完成日期"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    result = models.TextField(_("项目成果"), blank=True)
    savings = models.DecimalField(_("创效（万元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    value = models.CharField(_("其他价值"), max_length=300, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    grade = models.CharField(_("评审等次"), max_length=12, choices=Grade.choices, blank=True)
    review = models.TextField(_("评审意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    points = models.PositiveIntegerField(_("每人奖励积分"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("先锋行动项目")
        verbose_name_plural = _("先锋行动项目")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["status", "theme"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="vanguard_project_period"),
        ]

    def __str__(self) -> str:
        return self.title


class Target(models.Model):
    """A measurable target: 一次交检合格率 ≥ 98.5 %, achieved 98.9 % at closing."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="targets")
    name = models.CharField(_("指标"), max_length=80)
    unit = models.CharField(_("单位"), max_length=20)
    target_value = models.DecimalField(_("目标值"), max_digits=14, decimal_places=2)
    achieved_value = models.DecimalField(_("完成值"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("项目指标")
        verbose_name_plural = _("项目指标")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    LEAD = "lead", _("负责人")
    CORE = "core", _("骨干")
    MEMBER = "member", _("成员")


class Member(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="vanguard_roles")
    role = models.CharField(_("角色"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    duty = models.CharField(_("分工"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("项目成员")
        verbose_name_plural = _("项目成员")
        ordering = ["role", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "person"], name="vanguard_one_member_row")]

    def __str__(self) -> str:
        return f"{self.project} · {self.person}"


class Milestone(models.Model):
    """A dated step of a project. ``escalation`` is how far a late one has been reported (0 nobody, 1 the
    branch secretary, 2 the committee): the daily sweep only ever raises it, so it reports each level once."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=120)
    due_on = models.DateField(_("计划日期"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    escalation = models.PositiveSmallIntegerField(_("逾期上报"), default=0)
    escalated_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["done_on", "due_on"])]
        constraints = [models.CheckConstraint(condition=Q(escalation__lte=2), name="vanguard_escalation_0_to_2")]

    def __str__(self) -> str:
        return self.title


class Progress(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="progress")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    milestone = models.ForeignKey(Milestone, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    text = models.TextField(_("进展情况"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("项目进展")
        verbose_name_plural = _("项目进展")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:40]


class Photo(models.Model):
    progress = models.ForeignKey(Progress, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="vanguard/photos/")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.progress_id}-{self.pk}"


class Document(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(_("文件名"), max_length=200)
    file = models.FileField(upload_to="vanguard/documents/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("项目文档")
        verbose_name_plural = _("项目文档")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class RiskLevel(models.TextChoices):
    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")


class Risk(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="risks")
    description = models.CharField(_("风险"), max_length=200)
    level = models.CharField(_("等级"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.MEDIUM)
    mitigation = models.CharField(_("应对措施"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("项目风险")
        verbose_name_plural = _("项目风险")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.description


class PostKind(models.TextChoices):
    POST = "post", _("党员先锋岗")
    AREA = "area", _("党员责任区")


class Post(models.Model):
    """A 党员先锋岗 or 党员责任区 held by a member, with the commitment (承诺) shown publicly."""

    kind = models.CharField(_("类别"), max_length=8, choices=PostKind.choices)
    name = models.CharField(_("名称"), max_length=80)
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="vanguard_posts")
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="vanguard_posts")
    scope = models.CharField(_("岗位/区域范围"), max_length=200)
    commitment = models.TextField(_("承诺"))
    since = models.DateField(_("设立日期"))
    active = models.BooleanField(_("在岗"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("党员先锋岗/责任区")
        verbose_name_plural = _("党员先锋岗/责任区")
        ordering = ["organisation__path", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class PostRating(models.TextChoices):
    KEPT = "kept", _("践诺良好")
    PARTLY = "partly", _("基本践诺")
    NOT_KEPT = "not_kept", _("未践诺")


class PostReview(models.Model):
    """The yearly review of a post's commitment by its branch."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reviews")
    year = models.PositiveSmallIntegerField(_("年度"))
    rating = models.CharField(_("评议结果"), max_length=12, choices=PostRating.choices)
    comment = models.CharField(_("评议意见"), max_length=300, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("先锋岗年度评议")
        verbose_name_plural = _("先锋岗年度评议")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["post", "year"], name="vanguard_one_review_a_year")]

    def __str__(self) -> str:
        return f"{self.post} {self.year}"
