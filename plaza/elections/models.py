"""换届选举: committee terms, elections with their request and approval, candidates, the electorate, phone
ballots (secret), tellers' paper counts and results.

Secrecy, as the design asks (after Helios and OpenSlides): *that* a person voted (``VoterRecord``) and *what*
was voted (``Ballot``) are two tables written in one transaction with no link between them. A ballot has a
random primary key (no insertion order), a receipt code for its voter and only the date it was cast.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Term(models.Model):
    """A committee's term of office (届): from the election to ``ends_on`` (3 to 5 years, 《党章》第三十一条)."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="terms")
    started_on = models.DateField(_("本届起始日期"))
    years = models.PositiveSmallIntegerField(_("任期（年）"))
    ends_on = models.DateField(_("任期届满日期"))
    election = models.ForeignKey("Election", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    shifted_to = models.DateField(_("经批准的换届日期"), null=True, blank=True)
    shift_reason = models.CharField(_("提前或推迟换届的原因"), max_length=255, blank=True)
    shift_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("任期")
        verbose_name_plural = _("任期")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"], condition=Q(ended_on__isnull=True), name="one_current_term"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.started_on}–{self.ends_on}"

    @property
    def due_on(self) -> models.DateField:
        """When the next election is due: the approved date if it was shifted, else the end of the term."""
        return self.shifted_to or self.ends_on


class Kind(models.TextChoices):
    COMMITTEE = "committee", _("委员会委员")
    SECRETARY = "secretary", _("书记")
    DEPUTY = "deputy", _("副书记")


class Mode(models.TextChoices):
    PHONE = "phone", _("手机投票")
    PAPER = "paper", _("纸质选票")


class State(models.TextChoices):
    DRAFT = "draft", _("草拟")
    REQUESTED = "requested", _("已报请示")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("已批复")
    OPEN = "open", _("投票中")
    COUNTING = "counting", _("计票中")
    CLOSED = "closed", _("已计票")
    REPORTED = "reported", _("已报结果")
    CONFIRMED = "confirmed", _("结果已批准")


class Round(models.TextChoices):
    FIRST = "first", _("正式选举")
    RUNOFF = "runoff", _("再次投票")
    SEPARATE = "separate", _("另行选举")


class Election(models.Model):
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="elections")
    kind = models.CharField(_("选举职务"), max_length=16, choices=Kind.choices, default=Kind.COMMITTEE)
    round = models.CharField(_("轮次"), max_length=16, choices=Round.choices, default=Round.FIRST)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="rounds")
    seats = models.PositiveSmallIntegerField(_("应选人数"))
    planned_on = models.DateField(_("选举日期"))
    mode = models.CharField(_("投票方式"), max_length=16, choices=Mode.choices, default=Mode.PHONE)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.DRAFT, db_index=True)
    request_text = models.TextField(_("换届请示"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    decision_comment = models.TextField(_("批复意见"), blank=True)
    code = models.CharField(_("投票码"), max_length=8, blank=True)
    tellers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("计票人"))
    entitled = models.PositiveIntegerField(_("应到会有选举权党员"), null=True, blank=True)
    present = models.PositiveIntegerField(_("实到会"), null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(_("计票结果"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("选举")
        verbose_name_plural = _("选举")
        ordering = ["-planned_on", "-id"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.get_kind_display()} {self.planned_on}"


class Candidate(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("简况"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("候选人")
        verbose_name_plural = _("候选人")
        constraints = [models.UniqueConstraint(fields=["election", "person"], name="one_candidacy_per_election")]

    def __str__(self) -> str:
        return str(self.person)


class Elector(models.Model):
    """The electorate, snapshotted when voting opens: full members entitled to vote, present or absent."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="electors")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("到会"), default=True)
    absent_reason = models.CharField(_("缺席原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("选举人")
        verbose_name_plural = _("选举人")
        constraints = [models.UniqueConstraint(fields=["election", "person"], name="one_elector_per_person")]

    def __str__(self) -> str:
        return str(self.person)


class VoterRecord(models.Model):
    """That ``person`` has voted in ``election`` — and nothing about how, or when."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="voter_records")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("投票记录")
        verbose_name_plural = _("投票记录")
        constraints = [models.UniqueConstraint(fields=["election", "person"], name="one_vote_per_voter")]

    def __str__(self) -> str:
        return f"{self.person} ✓"


def _receipt() -> str:
    return uuid.uuid4().hex[:10].upper()


class Ballot(models.Model):
    """One secret ballot: the names it votes for (candidates marked 赞成 and write-ins), no voter, a random key,
    the day it was cast, and the receipt code its voter was shown."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="ballots")
    names = models.JSONField(_("赞成"))
    against = models.JSONField(_("不赞成"), default=list)
    abstain = models.JSONField(_("弃权"), default=list)
    receipt = models.CharField(_("回执码"), max_length=10, unique=True, default=_receipt)
    cast_on = models.DateField(_("投票日期"))

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        ordering = ["receipt"]  # never insertion order

    def __str__(self) -> str:
        return self.receipt


class TellerCount(models.Model):
    """A teller's count of the paper ballots; the result stands only when both tellers' counts agree."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="teller_counts")
    teller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    returned = models.PositiveIntegerField(_("收回选票"))
    invalid = models.PositiveIntegerField(_("无效票"))
    votes = models.JSONField(_("得票"))
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("计票录入")
        verbose_name_plural = _("计票录入")
        constraints = [models.UniqueConstraint(fields=["election", "teller"], name="one_count_per_teller")]

    def __str__(self) -> str:
        return f"{self.election} · {self.teller}"

    def same_as(self, other: TellerCount) -> bool:
        clean = {k: v for k, v in self.votes.items() if v}
        return (self.returned, self.invalid, clean) == (
            other.returned,
            other.invalid,
            {k: v for k, v in other.votes.items() if v},
        )
