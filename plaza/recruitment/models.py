"""党员发展 records: one pipeline per person in the procedure, one row per recorded step.

The rules live in :mod:`plaza.rules.recruitment`; these tables only keep what happened (dates, people,
votes, documents, overrides) so the rules can be applied to it. Nothing is deleted: a cancelled or
archived pipeline stays, read-only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from plaza.lib import dates
from plaza.rules.recruitment import STAGES, stage_index

#: Step 23's three possible decisions (《细则》, rules.md §1).
OUTCOMES = {"convert": _("转为正式党员"), "extend": _("延长预备期"), "cancel": _("取消预备党员资格")}
#: Step 3: how an applicant came to be recommended (党员推荐、群团组织推优, 《细则》第九条).
RECOMMENDATIONS = {"members": _("党员推荐"), "union": _("工会推优"), "league": _("共青团推优")}


class PipelineStatus(models.TextChoices):
    ACTIVE = "active", _("进行中")
    CONVERTED = "converted", _("已转正")
    CANCELLED = "cancelled", _("已终止")
    ARCHIVED = "archived", _("已归档")


class Pipeline(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pipelines")
    branch = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="pipelines")
    status = models.CharField(_("状态"), max_length=16, choices=PipelineStatus.choices, default=PipelineStatus.ACTIVE)
    probation_extension_months = models.PositiveSmallIntegerField(_("延长预备期（月）"), default=0)
    approval_extended_reason = models.CharField(_("审批延长原因"), max_length=255, blank=True)
    round = models.PositiveSmallIntegerField(default=1, help_text="2 after 延长预备期: steps 22–23 come again")
    last_step = models.PositiveSmallIntegerField(
        _("已完成至第几步"), default=0, db_index=True, help_text="kept by services.record_step, for boards by stage"
    )
    leaves_on = models.DateField(
        _("预计调离日期"),
        null=True,
        blank=True,
        help_text="a 发展对象 leaving within 3 months is generally not admitted (a warning)",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("入党培养档案")
        verbose_name_plural = _("入党培养档案")
        constraints = [
            # A person cannot be in two pipelines at once (a cancelled one may be followed by a new application).
            models.UniqueConstraint(fields=["person"], condition=Q(status="active"), name="one_active_pipeline"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_status_display()}"

    @property
    def stage(self) -> str:
        """Where the person stands: the stage of the last recorded step (``plaza.rules.recruitment.stage_index``),
        the same on the board, the statistics, exports, the API and this person's own page."""

        return STAGES[stage_index(self.last_step)]


class StepRecord(models.Model):
    pipeline = models.ForeignKey(Pipeline, on_delete=models.PROTECT, related_name="steps")
    step = models.PositiveSmallIntegerField(_("步骤"))
    round = models.PositiveSmallIntegerField(default=1)
    done_on = models.DateField(_("日期"))
    note = models.TextField(_("记录"), blank=True)
    people = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("相关人员"))
    entitled = models.PositiveIntegerField(_("应到会有表决权党员"), null=True, blank=True)
    present = models.PositiveIntegerField(_("实到会"), null=True, blank=True)
    yes = models.PositiveIntegerField(_("赞成（含书面意见）"), null=True, blank=True)
    outcome = models.CharField(_("结论"), max_length=16, blank=True)
    hours = models.PositiveSmallIntegerField(_("培训学时"), null=True, blank=True)
    override_reason = models.TextField(_("越过规则的理由"), blank=True)
    details = models.JSONField(
        _("结构化记录"),
        default=dict,
        blank=True,
        help_text="step 3: how the person was recommended and the branch committee's decision",
    )
    warnings = models.JSONField(
        _("提示"), default=list, blank=True, help_text="rule warnings shown when the step was recorded (never refusals)"
    )
    document = models.FileField(_("材料"), upload_to="recruitment/%Y/%m/", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("步骤记录")
        verbose_name_plural = _("步骤记录")
        ordering = ["step", "round"]
        constraints = [
            models.UniqueConstraint(fields=["pipeline", "step", "round"], name="one_record_per_step_and_round"),
            models.CheckConstraint(condition=Q(step__gte=1, step__lte=25), name="step_between_1_and_25"),
        ]

    def __str__(self) -> str:
        return f"{self.pipeline.person} 第{self.step}步 {self.done_on}"

    @property
    def outcome_label(self) -> str:
        return str(OUTCOMES.get(self.outcome, self.outcome))

    @property
    def recommendation_labels(self) -> list[str]:
        return [str(RECOMMENDATIONS.get(key, key)) for key in self.details.get("recommendation", [])]

    def facts(self) -> list[str]:
        """What was recorded besides the date, one line each: for the timeline and the PDF file."""

        roles = {3: gettext("推荐人"), 5: gettext("培养联系人"), 9: gettext("入党介绍人")}
        lines: list[str] = []
        names = "、".join(person.name for person in self.people.all())
        if names:
            lines.append(f"{roles.get(self.step, gettext('相关人员'))}：{names}")
        if self.details.get("recommendation"):
            lines.append(
                f"{gettext('推荐方式')}：{'、'.join(self.recommendation_labels)}"
                + (f"（{dates.in_text(self.details['recommended_on'])}）" if self.details.get("recommended_on") else "")
            )
        if self.details.get("decision"):
            lines.append(f"{gettext('支部委员会研究意见')}：{self.details['decision']}")
        if self.entitled is not None:
            votes = gettext("应到 %(e)s · 实到 %(p)s · 赞成 %(y)s") % {
                "e": self.entitled,
                "p": self.present,
                "y": self.yes,
            }
            meeting = self.details.get("meeting")
            if meeting:
                votes += " · " + gettext("逐个表决第 %(o)s / %(n)s 人") % {"o": meeting["order"], "n": meeting["of"]}
            lines.append(votes)
        if self.details.get("training_days"):
            lines.append(gettext("培训 %(d)s 天") % {"d": self.details["training_days"]})
        if self.hours:
            lines.append(gettext("培训 %(h)s 学时") % {"h": self.hours})
        if self.outcome:
            lines.append(f"{gettext('结论')}：{self.outcome_label}")
        if self.override_reason:
            lines.append(f"{gettext('越过规则的理由')}：{self.override_reason}")
        lines.extend(self.warnings)
        return lines


class ThoughtReport(models.Model):
    """思想汇报: handed in by applicants, activists and candidates on a schedule (quarterly by default)."""

    pipeline = models.ForeignKey(Pipeline, on_delete=models.PROTECT, related_name="reports")
    submitted_on = models.DateField(_("提交日期"))
    title = models.CharField(_("标题"), max_length=120)
    content = models.TextField(_("内容"))
    comment = models.TextField(_("支部意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("思想汇报")
        verbose_name_plural = _("思想汇报")
        ordering = ["-submitted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.pipeline.person} {self.submitted_on} {self.title}"


class RecruitmentPlan(models.Model):
    """发展计划: how many people a branch plans to admit in a year, set by the committee."""

    branch = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="recruitment_plans")
    year = models.PositiveSmallIntegerField(_("年度"))
    planned = models.PositiveSmallIntegerField(_("计划发展人数"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("发展计划")
        verbose_name_plural = _("发展计划")
        constraints = [models.UniqueConstraint(fields=["branch", "year"], name="one_plan_per_branch_and_year")]

    def __str__(self) -> str:
        return f"{self.branch} {self.year}: {self.planned}"
