"""Tables of 工会: members and their moves, union wages and the dues ledger, the union's care and help provisions
(办法 and article, per organisation), care cases and hardship files, applications and the payments ledger.

The money ledgers (dues payments, care and help payments) are append-only like the Party dues ledger: a mistake
is corrected by a new entry, never by editing or deleting one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from plaza.lib import appendonly
from plaza.lib.appendonly import AppendOnlyError
from plaza.lib.crypto import EncryptedTextField
from plaza.orgs.models import Organisation


class LedgerIsAppendOnly(AppendOnlyError):
    """Raised when code tries to change or delete a ledger entry: add a correcting entry instead."""


class AppendOnly(appendonly.AppendOnly):
    append_only_error = LedgerIsAppendOnly
    append_only_messages = ("工会账目只能追加，不能修改。", "工会账目只能追加，不能删除。")

    class Meta:
        abstract = True


# ------------------------------------------------------------------------------------------ membership


class MemberStatus(models.TextChoices):
    APPLIED = "applied", _("待审批")
    ACTIVE = "active", _("会员")
    REJECTED = "rejected", _("未批准")
    LEFT = "left", _("已退会")


class Member(models.Model):
    """An application to join the union and, once approved, the membership (会员证号, the card)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="union_members")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="union_members", verbose_name=_("所在工会组织")
    )
    status = models.CharField(_("状态"), max_length=16, choices=MemberStatus.choices, default=MemberStatus.APPLIED)
    number = models.CharField(_("会员证号"), max_length=32, blank=True)
    applied_on = models.DateField(_("申请日期"))
    statement = models.CharField(_("申请说明"), max_length=500, blank=True)
    joined_on = models.DateField(_("入会日期"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_note = models.CharField(_("审批意见"), max_length=255, blank=True)
    left_on = models.DateField(_("退会日期"), null=True, blank=True)
    left_reason = models.CharField(_("退会原因"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("工会会员")
        verbose_name_plural = _("工会会员")
        ordering = ["organisation__path", "number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status__in=["applied", "active"]), name="union_one_open_membership"
            ),
            models.UniqueConstraint(fields=["number"], condition=Q(status="active"), name="union_member_number_unique"),
        ]
        indexes = [models.Index(fields=["status", "organisation"])]

    def __str__(self) -> str:
        return f"{self.person} {self.number or self.get_status_display()}"


class MemberMove(models.Model):
    """The membership moved with the person's job (a new union organisation), or on the officer's decision."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="moves")
    from_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    to_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    moved_on = models.DateField(_("转移日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("会员关系转移")
        verbose_name_plural = _("会员关系转移")
        ordering = ["-moved_on", "-id"]

    def __str__(self) -> str:
        return f"{self.member} {self.moved_on}"


# ------------------------------------------------------------------------------------------ dues


class WageSource(models.TextChoices):
    PAYROLL = "payroll", _("工资表导入")
    UNION = "union", _("工会登记")


class Wage(AppendOnly):
    """A member's monthly wage from a month on, as the union's payroll import read it. For Party members the
    Party dues base of the same payroll import is read as well (plaza.dues); the later one is in force."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="union_wages")
    wage = models.DecimalField(_("月工资（元）"), max_digits=12, decimal_places=2)
    effective_from = models.DateField(_("起始月份"))
    source = models.CharField(_("来源"), max_length=16, choices=WageSource.choices, default=WageSource.PAYROLL)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("会费工资基数")
        verbose_name_plural = _("会费工资基数")
        ordering = ["person", "effective_from", "id"]
        indexes = [models.Index(fields=["person", "effective_from", "id"])]
        constraints = [models.CheckConstraint(condition=Q(wage__gte=0), name="union_wage_not_negative")]

    def __str__(self) -> str:
        return f"{self.person} {self.effective_from:%Y-%m} {self.wage}"


class DuesMethod(models.TextChoices):
    PAYROLL = "payroll", _("工资代扣")
    CASH = "cash", _("现金")
    TRANSFER = "transfer", _("转账")


class DuesPayment(AppendOnly):
    """One entry of the union dues ledger: one regular payment per member and month; a correction references
    the entry it adjusts."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="dues_payments")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("所属月份"))
    wage = models.DecimalField(_("月工资（元）"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    method = models.CharField(_("方式"), max_length=16, choices=DuesMethod.choices, default=DuesMethod.PAYROLL)
    paid_on = models.DateField(_("交纳日期"))
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("会费交纳记录")
        verbose_name_plural = _("会费交纳记录")
        ordering = ["month", "id"]
        indexes = [models.Index(fields=["month", "organisation"])]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "month"], condition=Q(corrects__isnull=True), name="union_one_dues_payment_a_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.month:%Y-%m} {self.amount}"


# ------------------------------------------------------------------------------------------ provisions


class Area(models.TextChoices):
    CARE = "care", _("慰问")
    HELP = "help", _("帮扶")


class Kind(models.TextChoices):
    """The kinds of care and help; their amounts, limits and articles are the union's own 办法 (Provision)."""

    BIRTHDAY = "birthday", _("生日慰问")
    MARRIAGE = "marriage", _("结婚慰问")
    CHILDBIRTH = "childbirth", _("生育慰问")
    CHILDBIRTH_SPOUSE = "childbirth_spouse", _("配偶生育慰问")
    HOSPITAL = "hospital", _("住院慰问")
    BEREAVEMENT = "bereavement", _("直系亲属丧事慰问")
    DEATH = "death", _("会员去世慰问")
    RETIREMENT = "retirement", _("退休慰问")
    ILLNESS = "illness", _("长期患病慰问")
    TEMPORARY = "temporary", _("临时救助")
    SCHOOLING = "schooling", _("金秋助学")
    MEDICAL = "medical", _("医疗救助")
    DAILY = "daily", _("日常生活补助")
    FESTIVAL = "festival", _("节日慰问")
    WARMTH = "warmth", _("送温暖")


CARE_KINDS = (
    Kind.BIRTHDAY,
    Kind.MARRIAGE,
    Kind.CHILDBIRTH,
    Kind.CHILDBIRTH_SPOUSE,
    Kind.HOSPITAL,
    Kind.BEREAVEMENT,
    Kind.DEATH,
    Kind.RETIREMENT,
    Kind.ILLNESS,
    Kind.FESTIVAL,
)
HELP_KINDS = (Kind.TEMPORARY, Kind.SCHOOLING, Kind.MEDICAL, Kind.DAILY, Kind.WARMTH)
#: Paid by the union to everyone concerned at once (节日慰问 to members, 送温暖 to hardship families), never
#: applied for.
BATCH_KINDS = (Kind.FESTIVAL, Kind.WARMTH)
CHILDBIRTH_KINDS = (Kind.CHILDBIRTH, Kind.CHILDBIRTH_SPOUSE)


class Provision(models.Model):
    """One kind of care or help as the union's 办法 sets it for an organisation and its subtree (本单位规定):
    the amount (or the most that may be granted), the goods, the limits and the 办法 and article."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="union_provisions")
    kind = models.CharField(_("类别"), max_length=24, choices=Kind.choices)
    amount = models.DecimalField(
        _("金额（元）"), max_digits=10, decimal_places=2, help_text=_("慰问金额；帮扶为一次最高金额")
    )
    goods = models.CharField(_("慰问品"), max_length=128, blank=True)
    per_year = models.PositiveSmallIntegerField(_("每年最多次数"), null=True, blank=True)
    apply_within_days = models.PositiveSmallIntegerField(_("事后申请期限（天）"), null=True, blank=True)
    extended_within_days = models.PositiveSmallIntegerField(
        _("特殊原因可延长至（天）"),
        null=True,
        blank=True,
        help_text=_("逾期后书面说明理由、经分工会主席签字可延长到的期限"),
    )
    extra_per_child = models.DecimalField(_("多胞胎每多一个孩子增加（元）"), max_digits=10, decimal_places=2, default=0)
    member_months = models.PositiveSmallIntegerField(_("入会满几个月可申请"), null=True, blank=True)
    measure = models.CharField(_("依据办法"), max_length=128)
    article = models.CharField(_("条款"), max_length=64)
    active = models.BooleanField(_("有效"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("慰问帮扶标准")
        verbose_name_plural = _("慰问帮扶标准")
        ordering = ["organisation__path", "kind"]
        constraints = [models.UniqueConstraint(fields=["organisation", "kind"], name="union_one_provision_a_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"

    @property
    def source(self) -> str:
        return f"{self.measure}{self.article}"


# ------------------------------------------------------------------------------------------ care


class CaseStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    PAID = "paid", _("已发放")
    REJECTED = "rejected", _("未通过")


class CaseOrigin(models.TextChoices):
    APPLIED = "applied", _("本人申请")
    BIRTHDAY = "birthday", _("生日提醒")
    IMPORT = "import", _("人事导入")
    OFFICER = "officer", _("工会登记")


class CareCase(models.Model):
    """A care event of a member (a birth, a hospital stay …): applied for with proof, or put on an officer's
    to-do list by a trigger; approved and paid, or refused."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="union_care_cases")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("慰问类别"), max_length=24, choices=Kind.choices)
    event_on = models.DateField(_("事件日期"))
    origin = models.CharField(_("来源"), max_length=16, choices=CaseOrigin.choices, default=CaseOrigin.APPLIED)
    status = models.CharField(_("状态"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.PENDING)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    children = models.PositiveSmallIntegerField(_("本次生育孩子数"), default=1)
    spouse = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("配偶（也是公司工会会员时）"),
    )
    late_reason = models.CharField(_("逾期申请理由"), max_length=500, blank=True)
    photo = models.ImageField(_("证明照片"), upload_to="union/care/", blank=True)
    document = models.FileField(_("证明文件"), upload_to="union/care-docs/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("审核意见"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("慰问事项")
        verbose_name_plural = _("慰问事项")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "event_on"],
                condition=~Q(status="rejected"),
                name="union_one_care_case_an_event",
            )
        ]
        indexes = [models.Index(fields=["status", "organisation"])]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()} {self.event_on}"


# ------------------------------------------------------------------------------------------ hardship


class Cause(models.TextChoices):
    ILLNESS = "illness", _("因病")
    DISABILITY = "disability", _("因残")
    ACCIDENT = "accident", _("意外事故")
    DISASTER = "disaster", _("自然灾害")
    SCHOOLING = "schooling", _("子女就学")
    UNEMPLOYMENT = "unemployment", _("家庭成员失业")
    OTHER = "other", _("其他")


class FileStatus(models.TextChoices):
    OPEN = "open", _("在档")
    CLOSED = "closed", _("已退出")


class HardshipFile(models.Model):
    """一户一档: a member's family in hardship. The family's circumstances are encrypted at rest and shown in
    full only to the union officers over the member (each full view audited)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="union_hardship")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    family_size = models.PositiveSmallIntegerField(_("家庭人口"))
    family_income = models.DecimalField(_("家庭月收入（元）"), max_digits=12, decimal_places=2)
    per_head = models.DecimalField(_("人均月收入（元）"), max_digits=12, decimal_places=2)
    below_line = models.BooleanField(_("低于困难标准"), default=False)
    line = models.DecimalField(_("建档时的困难标准（元/月）"), max_digits=12, decimal_places=2)
    causes = models.CharField(_("致困原因"), max_length=128)
    circumstances = EncryptedTextField(_("家庭情况"), blank=True)
    phone = EncryptedTextField(_("联系电话"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=FileStatus.choices, default=FileStatus.OPEN)
    opened_on = models.DateField(_("建档日期"))
    last_review_on = models.DateField(_("上次复核"), null=True, blank=True)
    next_review_on = models.DateField(_("下次复核"), db_index=True)
    closed_on = models.DateField(_("退出日期"), null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("困难职工档案")
        verbose_name_plural = _("困难职工档案")
        ordering = ["next_review_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(status="open"), name="union_one_open_hardship_file")
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.opened_on}"

    def cause_labels(self) -> list[str]:
        labels = dict(Cause.choices)
        return [str(labels.get(c, c)) for c in self.causes.split(",") if c]


class Review(models.Model):
    """The yearly review of a hardship file: kept in the file, or closed (the family no longer in hardship)."""

    file = models.ForeignKey(HardshipFile, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField(_("复核日期"))
    keep = models.BooleanField(_("继续在档"), default=True)
    family_income = models.DecimalField(_("家庭月收入（元）"), max_digits=12, decimal_places=2)
    family_size = models.PositiveSmallIntegerField(_("家庭人口"))
    note = EncryptedTextField(_("复核意见"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("困难档案复核")
        verbose_name_plural = _("困难档案复核")
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.file} {self.reviewed_on}"


class HelpStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待分工会核实")
    VERIFIED = "verified", _("待公司工会审批")
    PAID = "paid", _("已发放")
    REJECTED = "rejected", _("未通过")


class HelpApplication(models.Model):
    """An application for 临时救助, 金秋助学 or medical help: 分工会 verifies (with the amount proposed within the
    办法's limit), 公司工会 approves and the payment is recorded."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="union_help")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    file = models.ForeignKey(HardshipFile, on_delete=models.PROTECT, null=True, blank=True, related_name="applications")
    kind = models.CharField(_("帮扶类别"), max_length=24, choices=Kind.choices)
    requested = models.DecimalField(_("申请金额（元）"), max_digits=10, decimal_places=2)
    reason = EncryptedTextField(_("申请事由"))
    child_name = EncryptedTextField(_("子女姓名"), blank=True)
    #: A keyed hash of the child's name (plaza.lib.crypto.blind_index): 金秋助学 is once per child and school year.
    child_key = models.CharField(max_length=64, blank=True, db_index=True)
    school_year = models.PositiveSmallIntegerField(_("学年（起始年份）"), null=True, blank=True)
    document = models.FileField(_("证明材料"), upload_to="union/help-docs/", blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=HelpStatus.choices, default=HelpStatus.SUBMITTED)
    submitted_on = models.DateField(_("申请日期"))
    proposed = models.DecimalField(_("核实金额（元）"), max_digits=10, decimal_places=2, null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_on = models.DateField(_("核实日期"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_on = models.DateField(_("审批日期"), null=True, blank=True)
    decision_note = models.CharField(_("意见"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("帮扶申请")
        verbose_name_plural = _("帮扶申请")
        ordering = ["-submitted_on", "-id"]
        indexes = [models.Index(fields=["status", "organisation"])]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()} {self.requested}"


# ------------------------------------------------------------------------------------------ payments


class Payment(AppendOnly):
    """One care or help payment, naming the 办法 and article it follows. A care payment is made once per
    event: the database refuses a second one for the same person, kind and day."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="union_payments")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    area = models.CharField(_("类型"), max_length=8, choices=Area.choices)
    kind = models.CharField(_("类别"), max_length=24, choices=Kind.choices)
    event_on = models.DateField(_("事件日期"))
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    goods = models.CharField(_("慰问品"), max_length=128, blank=True)
    measure = models.CharField(_("依据办法"), max_length=128)
    article = models.CharField(_("条款"), max_length=64)
    paid_on = models.DateField(_("发放日期"))
    case = models.ForeignKey(CareCase, on_delete=models.PROTECT, null=True, blank=True, related_name="payments")
    application = models.ForeignKey(
        HelpApplication, on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("慰问帮扶发放记录")
        verbose_name_plural = _("慰问帮扶发放记录")
        ordering = ["-paid_on", "-id"]
        indexes = [models.Index(fields=["paid_on", "organisation"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "event_on"], condition=Q(area="care"), name="union_care_once_an_event"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="union_payment_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()} {self.amount}"

    @property
    def source(self) -> str:
        return f"{self.measure}{self.article}"
