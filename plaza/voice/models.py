"""Tables of E线声音 (suggestions, concerns, requests for help, questions) and of 职代会提案 (union proposals).

An :class:`Item` always keeps its submitter (for abuse handling); whether anyone but the submitter may see
who that is depends on ``anonymous`` and on ``Cap.VOICE_IDENTITY`` (an audited look with a reason). Every
change of state is an :class:`Event` the submitter reads in full; the reply channel is :class:`Message`.
One support (附议) and one co-signature per person are unique rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

TEXT_MAX = 2000
TITLE_MAX = 60


class Kind(models.TextChoices):
    SUGGESTION = "suggestion", _("建议")
    CONCERN = "concern", _("反映问题")
    HELP = "help", _("求助")
    QUESTION = "question", _("咨询")


class State(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    IN_PROGRESS = "in_progress", _("办理中")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")
    RETURNED = "returned", _("已退回")
    MERGED = "merged", _("已合并")


#: States in which the item waits for someone to accept it (the acknowledge deadline runs).
WAITING = (State.SUBMITTED, State.RETURNED)
#: States in which the item is being worked on (the answer deadline runs).
WORKING = (State.ACCEPTED, State.IN_PROGRESS)
OPEN = WAITING + WORKING


class Category(models.Model):
    """A kind of matter and the organisation (department) that owns it. ``via_branch``: the submitter's own
    organisation (the nearest one above them inside the owner's tree with a handler) receives it first;
    otherwise it goes straight to the owner."""

    name = models.CharField(_("类别"), max_length=40, unique=True)
    owner = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="voice_categories", verbose_name=_("主管组织")
    )
    via_branch = models.BooleanField(_("先由所在基层组织受理"), default=True)
    active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("反映类别")
        verbose_name_plural = _("反映类别")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="items", verbose_name=_("类别"))
    text = models.TextField(_("内容"), max_length=TEXT_MAX)
    place = models.CharField(_("地点或产线"), max_length=80, blank=True)
    submitter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="voice_items")
    anonymous = models.BooleanField(_("对处理人匿名"), default=True)
    public = models.BooleanField(_("公开（答复后他人可见并可附议）"), default=False)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.SUBMITTED)
    #: The organisation responsible now (首接负责: the first receiver until another accepts it).
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="voice_items")
    #: Forwarded there and not yet accepted by it.
    forwarded_to = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="voice_forwarded"
    )
    received_on = models.DateField(_("收到日期"))
    acknowledge_due = models.DateField(_("受理期限"))
    return_due = models.DateField(_("退回期限"))
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    answer_due = models.DateField(_("答复期限"), null=True, blank=True)
    extended = models.BooleanField(_("已延期"), default=False)
    answer = models.TextField(_("答复"), blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    answered_in_time = models.BooleanField(null=True, blank=True)
    accepted_in_time = models.BooleanField(null=True, blank=True)
    change_made = models.CharField(_("据此改进"), max_length=200, blank=True)
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged")
    satisfied = models.BooleanField(_("满意"), null=True, blank=True)
    rating_word = models.CharField(_("评价"), max_length=100, blank=True)
    supports = models.PositiveIntegerField(_("附议数"), default=0)
    raised_on = models.DateField(_("升入委员会关注"), null=True, blank=True)
    reminded = models.CharField(max_length=40, blank=True)  # deadlines reminded of: "ack:2026-10-09,answer:…"
    escalated = models.CharField(max_length=40, blank=True)  # deadlines escalated the same way
    faq_document_id = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("E线声音")
        verbose_name_plural = _("E线声音")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "acknowledge_due"]), models.Index(fields=["state", "answer_due"])]
        constraints = [
            models.CheckConstraint(condition=Q(supports__gte=0), name="voice_supports_not_negative"),
        ]

    def __str__(self) -> str:  # never the submitter: this is what the audit log shows
        return f"E线声音 #{self.pk}"

    @property
    def number(self) -> str:
        return f"#{self.pk}"


class Photo(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="voice/photos/")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"照片 #{self.pk}"


class Side(models.TextChoices):
    HANDLER = "handler", _("处理人")
    SUBMITTER = "submitter", _("提交人")


class Message(models.Model):
    """The reply channel: the handlers ask, the submitter answers, without the handlers learning who it is."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="messages")
    side = models.CharField(max_length=16, choices=Side.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=TEXT_MAX)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"留言 #{self.pk}"


class Event(models.Model):
    """One change of the item, with its note; the submitter sees them all. ``by`` is what people read (an
    organisation's name, 提交人, 系统), never an anonymous submitter's name."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="events")
    state = models.CharField(max_length=16, choices=State.choices)
    title = models.CharField(max_length=60)
    note = models.TextField(blank=True)
    by = models.CharField(max_length=128, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.title


class Support(models.Model):
    """附议: one per person and item."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="support_rows")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "person"], name="voice_one_support_per_person")]

    # ------------------------------------------------------------------------------------------ 职代会提案

    def __str__(self) -> str:
        return f"附议 #{self.pk}"


class Congress(models.Model):
    """A session of the workers' congress (职代会) of a union organisation, with its collection window."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="congresses")
    name = models.CharField(_("会议名称"), max_length=80)
    opens_on = models.DateField(_("征集开始"))
    closes_on = models.DateField(_("征集截止"))
    meets_on = models.DateField(_("开会日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("职代会")
        verbose_name_plural = _("职代会")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="congress_window_ordered"),
            models.CheckConstraint(condition=Q(meets_on__gte=models.F("closes_on")), name="congress_after_window"),
        ]

    def __str__(self) -> str:
        return self.name


class ProposalState(models.TextChoices):
    COLLECTING = "collecting", _("征集附议中")
    SUBMITTED = "submitted", _("待审查")
    ACCEPTED = "accepted", _("已立案")
    RETURNED = "returned", _("不予立案")
    ANSWERED = "answered", _("已答复")


class Proposal(models.Model):
    congress = models.ForeignKey(Congress, on_delete=models.PROTECT, related_name="proposals")
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals")
    title = models.CharField(_("案由"), max_length=TITLE_MAX)
    reason = models.TextField(_("理由"), max_length=TEXT_MAX)
    suggestion = models.TextField(_("建议办法"), max_length=TEXT_MAX)
    state = models.CharField(_("状态"), max_length=16, choices=ProposalState.choices, default=ProposalState.COLLECTING)
    cosigners = models.PositiveSmallIntegerField(_("附议人数"), default=0)
    department = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("承办部门"),
    )
    decided_on = models.DateField(_("审查日期"), null=True, blank=True)
    decision_note = models.TextField(_("审查意见"), blank=True)
    answer_due = models.DateField(_("答复期限"), null=True, blank=True)
    answer = models.TextField(_("答复"), blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    satisfied = models.BooleanField(_("满意"), null=True, blank=True)
    rating_word = models.CharField(_("评价"), max_length=100, blank=True)
    escalated_on = models.DateField(_("逾期督办日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("职代会提案")
        verbose_name_plural = _("职代会提案")
        ordering = ["congress", "id"]

    def __str__(self) -> str:
        return f"提案 #{self.pk} {self.title}"


class Cosignature(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="cosignatures")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["proposal", "person"], name="voice_one_cosignature_per_person")]

    def __str__(self) -> str:
        return f"提案附议 #{self.pk}"
