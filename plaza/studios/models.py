"""Tables of 工匠工作室: 劳模 / 工匠创新工作室 with their members and achievements (patents, innovation projects,
technician grades, awards, each with an evidence file), 绝活 named after the employee who created them and who
has learned them, the honours registry of people and organisations, and 师带徒 pairs with their skills, monthly
check-ins and sign-offs (mentor first, then the studio leader)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class StudioKind(models.TextChoices):
    MODEL_WORKER = "model_worker", _("劳模创新工作室")
    CRAFTSMAN = "craftsman", _("工匠创新工作室")


class Studio(models.Model):
    """A 劳模 or 工匠创新工作室 hosted by an organisation (whose ``Cap.STUDIOS`` holders keep it)."""

    name = models.CharField(_("工作室名称"), max_length=80, unique=True)
    kind = models.CharField(_("类别"), max_length=16, choices=StudioKind.choices)
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="studios")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="studios_led")
    field = models.CharField(_("专业领域"), max_length=120)
    description = models.TextField(_("简介"), blank=True)
    founded_on = models.DateField(_("成立日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("工匠工作室")
        verbose_name_plural = _("工匠工作室")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StudioMember(models.Model):
    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="studio_memberships")
    role = models.CharField(_("角色"), max_length=40, default="", blank=True)
    joined_on = models.DateField(_("加入日期"))

    class Meta:
        verbose_name = _("工作室成员")
        verbose_name_plural = _("工作室成员")
        ordering = ["joined_on", "id"]
        constraints = [models.UniqueConstraint(fields=["studio", "person"], name="studios_one_membership")]

    def __str__(self) -> str:
        return f"{self.studio} · {self.person}"


class AchievementKind(models.TextChoices):
    PATENT = "patent", _("专利")
    PROJECT = "project", _("创新项目")
    GRADE = "grade", _("技能等级")
    AWARD = "award", _("荣誉奖项")


class PatentType(models.TextChoices):
    INVENTION = "invention", _("发明专利")
    UTILITY = "utility", _("实用新型专利")
    DESIGN = "design", _("外观设计专利")


class Achievement(models.Model):
    """One achievement of a studio: a patent (type, number, date), an innovation project, a technician grade a
    member gained, or an award. ``achieved_on`` decides the year it is counted in."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="achievements")
    kind = models.CharField(_("成果类别"), max_length=12, choices=AchievementKind.choices)
    title = models.CharField(_("名称"), max_length=160)
    achieved_on = models.DateField(_("日期"))
    patent_type = models.CharField(_("专利类型"), max_length=12, choices=PatentType.choices, blank=True)
    number = models.CharField(_("专利号/证书编号"), max_length=60, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evidence = models.FileField(_("证明材料"), upload_to="studios/evidence/", blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("工作室成果")
        verbose_name_plural = _("工作室成果")
        ordering = ["-achieved_on", "-id"]
        indexes = [models.Index(fields=["studio", "kind", "achieved_on"])]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="patent") | ~Q(patent_type=""), name="studios_patent_has_type"),
        ]

    def __str__(self) -> str:
        return self.title


class CraftKind(models.TextChoices):
    METHOD = "method", _("操作法")
    TOOL = "tool", _("工具")
    TECHNIQUE = "technique", _("技法")


class Craft(models.Model):
    """A 绝活: a method, tool or technique named after the employee who created it (e.g. 王伟拧紧法)."""

    name = models.CharField(_("绝活名称"), max_length=80, unique=True)
    kind = models.CharField(_("类别"), max_length=12, choices=CraftKind.choices)
    creator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="crafts_created")
    studio = models.ForeignKey(Studio, on_delete=models.SET_NULL, null=True, blank=True, related_name="crafts")
    description = models.TextField(_("内容说明"))
    used_in = models.CharField(_("应用场景"), max_length=200)
    video_url = models.URLField(_("视频链接"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("绝活")
        verbose_name_plural = _("绝活")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CraftPicture(models.Model):
    craft = models.ForeignKey(Craft, on_delete=models.CASCADE, related_name="pictures")
    image = models.FileField(upload_to="studios/crafts/")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.craft_id}-{self.pk}"


class CraftLearner(models.Model):
    """Someone who has learned a 绝活 (recorded by studio staff, or by a 师带徒 pair's result)."""

    craft = models.ForeignKey(Craft, on_delete=models.CASCADE, related_name="learners")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="crafts_learned")
    learned_on = models.DateField(_("学会日期"))

    class Meta:
        ordering = ["-learned_on", "id"]
        constraints = [models.UniqueConstraint(fields=["craft", "person"], name="studios_one_learner_row")]

    def __str__(self) -> str:
        return f"{self.craft_id}-{self.person_id}"


class HonourKind(models.TextChoices):
    MODEL_WORKER = "model_worker", _("劳动模范")
    CRAFTSMAN = "craftsman", _("工匠")
    TECHNICIAN = "technician", _("技术能手")
    PIONEER = "pioneer", _("工人先锋号")
    PARTY_MEMBER = "party_member", _("优秀党员")
    VANGUARD = "vanguard", _("支部先锋行动")
    OTHER = "other", _("其他荣誉")


class HonourLevel(models.TextChoices):
    NATIONAL = "national", _("全国")
    PROVINCIAL = "provincial", _("省部级")
    CITY = "city", _("市级")
    COMPANY = "company", _("公司级")


class Honour(models.Model):
    """An honour of a person or of an organisation (exactly one of them). ``source`` names the record that gave
    it (``vanguard.project:12``), so a recognition recorded twice is one honour."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="honours"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="honours"
    )
    kind = models.CharField(_("荣誉类别"), max_length=16, choices=HonourKind.choices)
    level = models.CharField(_("级别"), max_length=12, choices=HonourLevel.choices)
    title = models.CharField(_("荣誉名称"), max_length=120)
    awarded_on = models.DateField(_("授予日期"))
    awarded_by = models.CharField(_("授予单位"), max_length=80, blank=True)
    source = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("荣誉")
        verbose_name_plural = _("荣誉")
        ordering = ["-awarded_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=True, organisation__isnull=False)
                | Q(person__isnull=False, organisation__isnull=True),
                name="studios_honour_person_or_org",
            ),
            models.UniqueConstraint(
                fields=["source", "person"],
                condition=~Q(source="") & Q(person__isnull=False),
                name="studios_one_honour_per_source_person",
            ),
            models.UniqueConstraint(
                fields=["source", "organisation"],
                condition=~Q(source="") & Q(organisation__isnull=False),
                name="studios_one_honour_per_source_org",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PairStatus(models.TextChoices):
    ACTIVE = "active", _("带教中")
    FINISHED = "finished", _("已出师")


class Pair(models.Model):
    """A 师带徒 pair: the agreement (skills to learn, period), the monthly check-ins and the result."""

    studio = models.ForeignKey(Studio, on_delete=models.PROTECT, related_name="pairs")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="apprentices")
    apprentice = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentors")
    starts_on = models.DateField(_("带教开始"))
    ends_on = models.DateField(_("带教结束"))
    goals = models.TextField(_("带教目标"), blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=PairStatus.choices, default=PairStatus.ACTIVE)
    grade_gained = models.CharField(_("取得的技能等级"), max_length=40, blank=True)
    crafts_learned = models.ManyToManyField(Craft, blank=True, related_name="pairs")
    result = models.TextField(_("带教成果"), blank=True)
    finished_on = models.DateField(_("出师日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("师带徒")
        verbose_name_plural = _("师带徒")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="studios_pair_period"),
            models.CheckConstraint(condition=~Q(mentor=F("apprentice")), name="studios_pair_two_people"),
            models.UniqueConstraint(
                fields=["studio", "mentor", "apprentice"],
                condition=Q(status="active"),
                name="studios_one_active_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.apprentice}"


class SkillState(models.TextChoices):
    LEARNING = "learning", _("学习中")
    MENTOR_SIGNED = "mentor_signed", _("师傅已签认")
    SIGNED = "signed", _("已签认")


class PairSkill(models.Model):
    """A skill of the agreement with its milestone date; signed by the mentor, then by the studio leader. A
    refusal sends it back to 学习中 with the reason shown."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(_("技能"), max_length=120)
    due_on = models.DateField(_("计划掌握日期"))
    state = models.CharField(_("状态"), max_length=16, choices=SkillState.choices, default=SkillState.LEARNING)
    mentor_signed_at = models.DateTimeField(null=True, blank=True)
    leader_signed_at = models.DateTimeField(null=True, blank=True)
    leader_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    refusal = models.CharField(_("退回原因"), max_length=300, blank=True)
    refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("带教技能")
        verbose_name_plural = _("带教技能")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.name


class CheckIn(models.Model):
    """A month's check-in written by the mentor or by the apprentice (one each per month)."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="check_ins")
    month = models.DateField(_("月份"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("交流记录"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("月度交流")
        verbose_name_plural = _("月度交流")
        ordering = ["-month", "id"]
        constraints = [
            models.UniqueConstraint(fields=["pair", "month", "author"], name="studios_one_check_in_a_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="studios_check_in_month_start"),
        ]

    def __str__(self) -> str:
        return f"{self.pair} {self.month:%Y-%m}"
