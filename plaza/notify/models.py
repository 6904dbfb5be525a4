"""Notifications (in-app inbox, email, WeCom), reminders as rows, and each person's to-do list.

Reminders are rows swept by an idempotent dispatcher (``manage.py send_due_reminders --now``): each
(reminder, recipient) pair is a :class:`Delivery` that is *claimed* by one conditional UPDATE before
anything is sent, so two sweeps running at once never send the same reminder twice.

A notice to be sent at once (``services.notify``) is the same outbox: a :class:`Reminder` due now with
``subject_type = NOTICE``, written in the caller's transaction, and the worker is woken once it commits.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    IN_APP = "in_app", _("站内消息")
    EMAIL = "email", _("电子邮件")
    WECOM = "wecom", _("企业微信")


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("类别"), max_length=64, default="general")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notify_unread_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    """Per-person choice of channels. In-app messages are always kept; email and WeCom can be turned off."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_preference")
    email = models.BooleanField(_("同时发送电子邮件"), default=True)
    wecom = models.BooleanField(_("同时发送企业微信消息"), default=True)
    muted_kinds = models.JSONField(_("不接收的类别"), default=list, blank=True)

    class Meta:
        verbose_name = _("消息偏好")
        verbose_name_plural = _("消息偏好")

    def __str__(self) -> str:
        return f"{self.person} email={self.email} wecom={self.wecom}"


NOTICE = "notice"  # Reminder.subject_type of a message sent at once (services.notify), not a reminder


class Reminder(models.Model):
    """Something that must be said to some people at a given time (a deadline, a review, a term end)."""

    subject_type = models.CharField(_("事项类型"), max_length=64)
    subject_id = models.CharField(_("事项编号"), max_length=64, blank=True)
    kind = models.CharField(_("提醒类别"), max_length=64)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    due_at = models.DateTimeField(_("提醒时间"), db_index=True)
    deadline = models.DateField(_("截止日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        ordering = ["due_at", "id"]

    def __str__(self) -> str:
        return self.title


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    DELIVERED = "delivered", _("已送达")
    FAILED = "failed", _("发送失败")
    CANCELLED = "cancelled", _("已取消")


class Delivery(models.Model):
    """One recipient of one reminder; claimed by a single sweep, then delivered or failed.

    Each channel is stamped when it went through (``inbox_at``, ``email_at``, ``wecom_at``), so a retry
    after a failure sends only what has not gone out yet: never a second inbox message or email.
    """

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=16, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    retry_at = models.DateTimeField(_("下次重试"), null=True, blank=True)
    inbox_at = models.DateTimeField(_("站内消息送达"), null=True, blank=True)
    email_at = models.DateTimeField(_("邮件送达"), null=True, blank=True)
    wecom_at = models.DateTimeField(_("企业微信送达"), null=True, blank=True)
    error = models.TextField(blank=True)
    done_at = models.DateTimeField(_("已处理"), null=True, blank=True)

    class Meta:
        verbose_name = _("提醒送达")
        verbose_name_plural = _("提醒送达")
        constraints = [
            models.UniqueConstraint(fields=["reminder", "recipient"], name="one_delivery_per_recipient"),
        ]
        indexes = [models.Index(fields=["state", "reminder"])]

    def __str__(self) -> str:
        return f"{self.reminder} → {self.recipient} ({self.state})"


class Task(models.Model):
    """An item on someone's to-do list (我的待办), put there by a procedure; done when the work is done."""

    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("事项"), max_length=200)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    due_on = models.DateField(_("截止日期"), null=True, blank=True, db_index=True)
    source_type = models.CharField(max_length=64, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("待办事项")
        verbose_name_plural = _("待办事项")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["assignee", "done_at", "due_on"])]

    def __str__(self) -> str:
        return self.title
