"""组织关系转接: transfers of a member's Party membership inside Plaza, to and from organisations outside it,
the introduction letters (介绍信) with their receipts (回执), and the contacts a branch records with its members.

The rules come from :mod:`plaza.rules.transfers` (《教育管理条例》第二十五条): until the receiving organisation
accepts, the sending one stays responsible; a letter is valid 3 months by default; a receipt closes the transfer.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from plaza.accounts.models import PoliticalStatus


class Kind(models.TextChoices):
    INTERNAL = "internal", _("系统内转接")
    OUTGOING = "outgoing", _("转出（系统外）")
    INCOMING = "incoming", _("转入（系统外）")


class State(models.TextChoices):
    PENDING = "pending", _("待接收")
    ISSUED = "issued", _("已开介绍信，待回执")
    ACCEPTED = "accepted", _("已接收")
    DECLINED = "declined", _("已拒绝")
    WITHDRAWN = "withdrawn", _("已撤回")
    CLOSED = "closed", _("已收到回执")
    REGISTERED = "registered", _("已登记转入")


#: Open: the transfer still waits for the receiving organisation; the sending branch stays responsible.
OPEN_STATES = (State.PENDING, State.ISSUED)


class Initiator(models.TextChoices):
    MEMBER = "member", _("党员本人")
    BRANCH = "branch", _("党组织")


PARTY_STATUSES = [(s, label) for s, label in PoliticalStatus.choices if s in PoliticalStatus.party_members()]


class Transfer(models.Model):
    """One transfer of ``person``'s Party membership.

    * internal: ``from_org`` → ``to_org`` (both Party branches in Plaza), pending until accepted or declined;
    * outgoing: ``from_org`` → ``outside_org`` (a name), with a generated letter number, open until the receipt;
    * incoming: ``outside_org`` → ``to_org``, registered at once from the letter the member brings.
    """

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="transfers")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, db_index=True)
    from_org = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers_out",
        verbose_name=_("转出党组织"),
    )
    to_org = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers_in",
        verbose_name=_("接收党组织"),
    )
    outside_org = models.CharField(
        _("系统外党组织"), max_length=128, blank=True, help_text=_("转出时为接收党组织，转入时为开具介绍信的党组织")
    )
    reason = models.CharField(_("转接原因"), max_length=255)
    initiator = models.CharField(_("发起方"), max_length=16, choices=Initiator.choices, default=Initiator.BRANCH)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(_("发起日期"))
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(_("办结日期"), null=True, blank=True)
    decline_reason = models.CharField(_("拒绝原因"), max_length=255, blank=True)
    letter_no = models.CharField(_("介绍信编号"), max_length=64, blank=True)
    letter_issued_on = models.DateField(_("介绍信开具日期"), null=True, blank=True)
    letter_valid_until = models.DateField(_("介绍信有效期至"), null=True, blank=True)
    letter_status = models.CharField(_("介绍信所载政治面貌"), max_length=16, choices=PARTY_STATUSES, blank=True)
    receipt_on = models.DateField(_("回执日期"), null=True, blank=True, help_text=_("接收党组织在回执上注明的接收日期"))
    receipt_note = models.CharField(_("回执说明"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("组织关系转接")
        verbose_name_plural = _("组织关系转接")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["from_org", "state"]), models.Index(fields=["to_org", "state"])]
        constraints = [
            # Only one open transfer per person (a concurrent second one fails here, not in a race).
            models.UniqueConstraint(
                fields=["person"], condition=Q(state__in=["pending", "issued"]), name="one_open_transfer_per_person"
            ),
            # Our own letter numbers are unique; incoming ones are other organisations' numbers.
            models.UniqueConstraint(
                fields=["letter_no"], condition=Q(kind="outgoing"), name="unique_outgoing_letter_no"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="internal", from_org__isnull=False, to_org__isnull=False)
                    | Q(kind="outgoing", from_org__isnull=False, to_org__isnull=True)
                    | Q(kind="incoming", from_org__isnull=True, to_org__isnull=False)
                ),
                name="transfer_ends_match_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind="outgoing") | ~Q(letter_no=""), name="outgoing_transfer_has_letter_no"
            ),
            models.CheckConstraint(
                condition=~Q(kind="incoming") | ~Q(letter_no=""), name="incoming_transfer_has_letter_no"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_kind_display()} · {self.get_state_display()}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def from_name(self) -> str:
        return self.from_org.name if self.from_org_id else self.outside_org

    @property
    def to_name(self) -> str:
        return self.to_org.name if self.to_org_id else self.outside_org


class Contact(models.Model):
    """The branch was in touch with a member on ``last_contact_on`` (a talk, a call, a meeting attended)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="party_contacts")
    last_contact_on = models.DateField(_("联系日期"))
    note = models.CharField(_("说明"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("党员联系记录")
        verbose_name_plural = _("党员联系记录")
        ordering = ["person", "-last_contact_on", "-id"]
        indexes = [models.Index(fields=["person", "last_contact_on"])]

    def __str__(self) -> str:
        return f"{self.person} {self.last_contact_on}"
