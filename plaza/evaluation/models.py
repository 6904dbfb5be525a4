"""民主评议党员 (rulebook §5): one campaign per branch and year, who takes part, self-evaluations, the anonymous
民主测评 and the grades the branch decides, and the follow-up of a member graded 不合格.

The 测评 is a secret ballot, kept secret against the database itself (issue 11; ``docs/secret-ballots.md``), the
same way as the phone ballots of :mod:`plaza.elections.models`:

* :class:`Sheet` records only *that* someone handed in a sheet, and the day (one per person, so a sheet counts
  once). Handing in writes no audit entry: the sheet row is that record, and an entry would put the grader's
  exact time in the log.
* While the 测评 is open, what a sheet says exists only as a :class:`SealedSheet`: encrypted under the campaign's
  own key (wrapped with ``PLAZA_FIELD_KEYS``, which the database never holds), every one of the campaign the same
  length, with a random key, no time and no grader.
* When the 测评 closes, in one transaction, every sealed sheet is opened and *all* their grades, from every
  sheet together, are sorted by content, shuffled and written as :class:`Grade` rows with random keys: every
  grade row has the same ``xmin`` (PostgreSQL), and neither their rowid/``ctid`` nor anything else tells which
  grades came from one sheet, let alone whose. The sealed sheets are deleted and the key erased.

The tally is therefore unknown even to the database until the 测评 closes. The grade codes and what they allow
come from :mod:`plaza.rules.evaluation`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from plaza.rules.evaluation import GRADES

GRADE_CHOICES = [(code, _(label)) for code, label in GRADES.items()]


class State(models.TextChoices):
    DRAFT = "draft", _("准备中")
    OPEN = "open", _("测评中")
    CLOSED = "closed", _("测评结束")
    DECIDED = "decided", _("已评定")


class Role(models.TextChoices):
    MEMBER = "member", _("正式党员")  # graded
    PROBATIONARY = "probationary", _("预备党员")  # takes part, not graded
    INVITED = "invited", _("群众代表")  # grades, not graded, counted apart


class Group(models.TextChoices):
    """Whose grades: the branch's Party members, or others (invited 群众)."""

    MEMBER = "member", _("党员测评")
    OTHER = "other", _("群众测评")


class Campaign(models.Model):
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="evaluation_campaigns")
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=120)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evaluation_campaigns",
        verbose_name=_("结合召开的组织生活会"),
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("测评截止日期"))
    materials = models.TextField(_("学习材料"), blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(_("评定日期"), null=True, blank=True)
    #: The key that seals the 测评表 while the 测评 is open, wrapped with the field keys
    #: (:mod:`plaza.lib.sealing`); made when it opens, erased when it closes.
    seal_key = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("民主评议")
        verbose_name_plural = _("民主评议")
        ordering = ["-year", "organisation__path"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_evaluation_per_branch_and_year"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="evaluation_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year} 年民主评议党员"

    @property
    def locked(self) -> bool:
        return self.state == State.DECIDED


class Material(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("学习材料附件"), upload_to="evaluation/%Y/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("学习材料附件")
        verbose_name_plural = _("学习材料附件")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]


class Participant(models.Model):
    """One person taking part: the branch's Party members as they were when the campaign opened, and invited
    群众. Only full members are graded; their decided grade is kept here."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluation_participations"
    )
    role = models.CharField(_("身份"), max_length=16, choices=Role.choices)
    self_evaluation = models.TextField(_("个人自评"), blank=True)
    self_evaluated_on = models.DateField(_("自评日期"), null=True, blank=True)
    proposed_grade = models.CharField(_("支委会建议等次"), max_length=24, choices=GRADE_CHOICES, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    grade = models.CharField(_("评定等次"), max_length=24, choices=GRADE_CHOICES, blank=True)

    class Meta:
        verbose_name = _("参评人员")
        verbose_name_plural = _("参评人员")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="one_participation_per_person"),
            models.CheckConstraint(
                condition=Q(role="member") | Q(grade="", proposed_grade=""), name="only_full_members_graded"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.person}"

    @property
    def graded(self) -> bool:
        return self.role == Role.MEMBER


class Sheet(models.Model):
    """That ``grader`` handed in a 测评表 — never what it said (see :class:`Grade`)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="sheets")
    grader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField(_("提交日期"))

    class Meta:
        verbose_name = _("测评表提交记录")
        verbose_name_plural = _("测评表提交记录")
        constraints = [models.UniqueConstraint(fields=["campaign", "grader"], name="one_sheet_per_grader")]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.grader}"


class SealedSheet(models.Model):
    """What one 测评表 says while the 测评 is open: encrypted under the campaign's key, the same length as every
    other of the campaign, a random key, no grader, no time. Opened into :class:`Grade` rows, with all the others
    at once and shuffled, when the 测评 closes; then deleted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="sealed_sheets")
    sealed = models.TextField(editable=False)

    class Meta:
        verbose_name = _("密封测评表")
        verbose_name_plural = _("密封测评表")

    def __str__(self) -> str:
        return str(_("密封测评表"))


class Grade(models.Model):
    """One grade given to one member, like a ballot paper: no grader, no sheet, no time, a random key. Written
    only when the 测评 closes, together with every other grade of the campaign, in random order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="grades")
    gradee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(_("等次"), max_length=24, choices=GRADE_CHOICES)
    group = models.CharField(_("测评组别"), max_length=8, choices=Group.choices)

    class Meta:
        verbose_name = _("测评票")
        verbose_name_plural = _("测评票")
        indexes = [models.Index(fields=["campaign", "gradee"])]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.gradee} · {self.get_grade_display()}"


class FollowUp(models.Model):
    """A member graded 不合格: 教育帮助 first, then 处置 (with its outcome), as dated steps."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="follow_ups")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_on = models.DateField(_("开始日期"))
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("不合格党员后续处置")
        verbose_name_plural = _("不合格党员后续处置")
        constraints = [models.UniqueConstraint(fields=["campaign", "person"], name="one_follow_up_per_member")]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.person}"


class StepKind(models.TextChoices):
    EDUCATION = "education", _("教育帮助")
    DISPOSAL = "disposal", _("处置")


class FollowUpStep(models.Model):
    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("环节"), max_length=16, choices=StepKind.choices)
    done_on = models.DateField(_("日期"))
    note = models.TextField(_("情况"))
    outcome = models.TextField(_("处置结果"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("后续处置记录")
        verbose_name_plural = _("后续处置记录")
        ordering = ["done_on", "id"]

    def __str__(self) -> str:
        return f"{self.follow_up} · {self.get_kind_display()}"
