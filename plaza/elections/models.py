"""换届选举: committee terms, elections with their request and approval, candidates, the electorate, phone
ballots (secret), tellers' paper counts and results.

Secrecy against the database itself (issue 11; the full reasoning is in ``docs/secret-ballots.md``). *That* a
person voted is a ``VoterRecord``; *what* was voted is a ``Ballot``. The two are never written together: a
readable ballot row written in its voter's transaction would share that transaction's id (PostgreSQL ``xmin``)
and its place in the table (``ctid``, SQLite rowid) would follow the order of voting. So:

1. While voting is open a ballot exists only as a ``SealedBallot``: encrypted (AES-GCM, :mod:`plaza.lib.sealing`)
   under the election's own key, padded so that every sealed ballot of the election has the same length, with a
   random key, no time and no link to anyone. The election's key is stored only wrapped with ``PLAZA_FIELD_KEYS``
   (in the environment, never in the database or its backups). The voter record and the sealed ballot are
   written in one transaction, so a vote is cast exactly once or not at all (``one_vote_per_voter``).
2. When voting closes, in one transaction, the sealed ballots are opened, sorted by content and shuffled, and
   written as ``Ballot`` rows in that order with random ids: every ballot of the election has the same ``xmin``
   (the closing transaction's), and its rowid/``ctid`` says nothing about who voted when. The sealed ballots are
   deleted and the key erased. Only then is the count made.
3. A ``Ballot`` carries no time at all, and nothing else does per voter next to a ballot: casting writes no audit
   entry (the ``VoterRecord`` is the record that someone voted), no notification, no log line.
4. The voter is shown a random receipt code, sealed inside the ballot; after the close the receipts of all
   ballots are published (``/elections/<id>/receipts/``), and their number equals the number of voter records.

The result is therefore unknown even to the database until the vote closes.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

#: The longest name a ballot may carry (a write-in, 另选他人): as long as a person's name in Plaza
#: (``accounts.Person.name``), since a write-in winner takes office only as a person of that name.
NAME_MAX_LENGTH = 64
#: Receipt codes: 12 characters from 32 that cannot be mistaken for each other (no 0/O, 1/I):
#: 32**12 ≈ 1.2e18 codes, so two ballots of one election practically never draw the same one.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
RECEIPT_LENGTH = 12


def name_problem(name: str) -> str:
    """Why ``name`` cannot stand on a ballot or a count ("" when it can)."""
    if len(name) > NAME_MAX_LENGTH:
        return _("另选他人的姓名不能超过 %(n)s 个字。") % {"n": NAME_MAX_LENGTH}
    if not name.isprintable():
        return _("另选他人的姓名含有不能使用的字符。")
    return ""


def validate_names(value: Any) -> None:
    """A list of names, each one a sensible name (the model's own check; the services refuse earlier)."""
    if not isinstance(value, list) or not all(isinstance(n, str) and n.strip() for n in value):
        raise ValidationError(_("选票上的姓名不正确。"))
    problems = [p for p in map(name_problem, value) if p]
    if problems:
        raise ValidationError(problems[0])


def validate_votes(value: Any) -> None:
    """A teller's count: name → number of votes, every name a sensible one."""
    if not isinstance(value, dict):
        raise ValidationError(_("计票结果不正确。"))
    validate_names(list(value))


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
    #: The key that seals this election's phone ballots while voting is open, wrapped with the field keys
    #: (:mod:`plaza.lib.sealing`); made when voting opens, erased when it closes.
    seal_key = models.TextField(blank=True, editable=False)

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
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _n in range(RECEIPT_LENGTH))


class SealedBallot(models.Model):
    """A phone ballot while voting is open: encrypted under the election's key, every one of the election the
    same length, a random key, no time, no voter. Opened, shuffled and turned into ``Ballot`` rows in one batch
    when voting closes, then deleted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="sealed_ballots")
    sealed = models.TextField(editable=False)

    class Meta:
        verbose_name = _("密封选票")
        verbose_name_plural = _("密封选票")

    def __str__(self) -> str:
        return str(_("密封选票"))


class Ballot(models.Model):
    """One secret ballot, written only when voting has closed, together with all the others of its election
    in random order: the names it votes for (candidates marked 赞成 and write-ins), no voter, a random key, no
    time, and the receipt code its voter was shown."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="ballots")
    names = models.JSONField(_("赞成"), validators=[validate_names])
    against = models.JSONField(_("不赞成"), default=list, validators=[validate_names])
    abstain = models.JSONField(_("弃权"), default=list, validators=[validate_names])
    receipt = models.CharField(_("回执码"), max_length=RECEIPT_LENGTH, default=_receipt)

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        ordering = ["receipt"]  # never insertion order
        constraints = [models.UniqueConstraint(fields=["election", "receipt"], name="one_ballot_per_receipt")]

    def __str__(self) -> str:
        return self.receipt


class TellerCount(models.Model):
    """A teller's count of the paper ballots; the result stands only when both tellers' counts agree."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="teller_counts")
    teller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    returned = models.PositiveIntegerField(_("收回选票"))
    invalid = models.PositiveIntegerField(_("无效票"))
    votes = models.JSONField(_("得票"), validators=[validate_votes])
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
