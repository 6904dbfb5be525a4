"""The outbox worker: send every due reminder and notice exactly once, however many sweeps run at the same time.

Each (reminder, recipient) is a :class:`Delivery`. A sweep *claims* a delivery with one conditional UPDATE
(``state = pending`` → ``sending``, by this worker) and only the sweep whose UPDATE changed the row sends
it. The database serialises the two UPDATEs, so on SQLite and PostgreSQL alike a second sweep finds the
row already claimed and skips it.

Channels are stamped one by one on the delivery as they go through (inbox, email, 企业微信). A delivery
with a channel that failed is retried later with backoff (``BACKOFF``, at most ``MAX_ATTEMPTS`` attempts in
all), and a retry sends only the channels not stamped yet: never a second inbox message. A claim left in
``sending`` by a worker that died is *not* sent again — we cannot know whether the message went out, and
"never twice" wins — it is marked failed after ``STALE_CLAIM`` for an administrator to see.

Who runs it: Celery beat every minute in production (``plaza.notify.sweep_reminders``), the in-process
scheduler in the embedded default (plaza/core/scheduler.py); and a notice is kicked as soon as its
transaction commits (:func:`kick`), so it arrives within seconds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q

from plaza.lib import clock

from . import channels
from .models import Delivery, DeliveryState, Notification, Preference

log = logging.getLogger(__name__)

# Wait before attempt 2, 3, 4, 5: a mail server restarting or WeCom throttling usually passes within minutes.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=10), timedelta(hours=1), timedelta(hours=6))
MAX_ATTEMPTS = len(BACKOFF) + 1
STALE_CLAIM = timedelta(minutes=15)
BATCH = 500

# Set by an in-process worker (the embedded scheduler) so that a kick wakes it instead of queueing a Celery task.
local_worker: Callable[[], None] | None = None


@dataclass
class SweepResult:
    delivered: int = 0
    failed: int = 0
    skipped: int = 0  # claimed by another sweep first
    abandoned: int = 0  # stale claims of a crashed worker

    def __str__(self) -> str:
        return f"delivered {self.delivered}, failed {self.failed}, skipped {self.skipped}, abandoned {self.abandoned}"


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt."""
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def _due(now: datetime) -> Q:
    retry = Q(state=DeliveryState.FAILED, attempts__lt=MAX_ATTEMPTS, retry_at__lte=now)
    return (Q(state=DeliveryState.PENDING) | retry) & Q(reminder__due_at__lte=now, reminder__cancelled_at__isnull=True)


def absolute(url: str) -> str:
    base = getattr(settings, "PLAZA_BASE_URL", "")
    return f"{base}{url}" if url.startswith("/") and base else url


class _Mail:
    """One SMTP connection for a whole sweep, opened on the first email (not one per recipient)."""

    def __init__(self) -> None:
        self.connection: Any = None

    def get(self) -> Any:
        if self.connection is None:
            self.connection = get_connection(fail_silently=False)
        return self.connection

    def close(self) -> None:
        """Close (and forget) the connection; after a failure the next email opens a fresh one."""
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:  # noqa: BLE001 - closing a broken connection must not fail the sweep
                log.warning("closing the mail connection failed", exc_info=True)
        self.connection = None


def _send(delivery: Delivery, now: datetime, mail: _Mail) -> list[str]:
    """Send what has not gone out yet on each channel; returns the channels' errors (empty: all went through)."""
    reminder, person = delivery.reminder, delivery.recipient
    if delivery.inbox_at is None:
        with transaction.atomic():
            Notification.objects.create(
                recipient=person, kind=reminder.kind, title=reminder.title[:200], body=reminder.body, url=reminder.url
            )
            Delivery.objects.filter(pk=delivery.pk).update(inbox_at=now)
    preference = Preference.objects.filter(person=person).first() or Preference(person=person)
    if reminder.kind in (preference.muted_kinds or []):
        return []
    errors = []
    url = absolute(reminder.url)
    if delivery.email_at is None and preference.email and person.email:
        try:
            channels.send_email(person.email, reminder.title, reminder.body, url, connection=mail.get())
            Delivery.objects.filter(pk=delivery.pk).update(email_at=now)
        except channels.ChannelError as exc:
            log.warning("email to %s failed: %s", person.pk, exc)
            errors.append(str(exc))
            mail.close()
    if delivery.wecom_at is None and preference.wecom and person.wecom_userid and channels.wecom_enabled():
        try:
            channels.WeComClient().send([person.wecom_userid], reminder.title, reminder.body, url)
            Delivery.objects.filter(pk=delivery.pk).update(wecom_at=now)
        except channels.ChannelError as exc:
            log.warning("wecom to %s failed: %s", person.pk, exc)
            errors.append(str(exc))
    return errors


def send_due_reminders(
    now: datetime | None = None, *, worker: str = "sweep", reminder_id: int | None = None
) -> SweepResult:
    """Send what is due (only the deliveries of ``reminder_id`` when given: a kicked notice)."""
    now = now or clock.now()
    result = SweepResult()
    result.abandoned = Delivery.objects.filter(state=DeliveryState.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        state=DeliveryState.FAILED, failed_at=now, attempts=MAX_ATTEMPTS, error="worker crashed while sending"
    )
    due = Delivery.objects.filter(_due(now))
    if reminder_id is not None:
        due = due.filter(reminder_id=reminder_id)
    candidates = list(due.order_by("reminder__due_at", "pk").values_list("pk", "state", "attempts")[:BATCH])
    mail = _Mail()
    try:
        for pk, state, attempts in candidates:
            # Compare-and-swap on the row's own columns only: a filter through a join would become a subquery
            # that PostgreSQL does not re-check after waiting for the other sweep's lock, and both would send.
            claimed = Delivery.objects.filter(pk=pk, state=state, attempts=attempts).update(
                state=DeliveryState.SENDING, claimed_by=worker[:64], claimed_at=now
            )
            if claimed != 1:
                result.skipped += 1
                continue
            delivery = Delivery.objects.select_related("reminder", "recipient").get(pk=pk)
            try:
                errors = _send(delivery, now, mail)
            except Exception as exc:  # noqa: BLE001 - one bad row must not stop the sweep
                log.exception("reminder %s to %s failed", delivery.reminder_id, delivery.recipient_id)
                errors = [f"{type(exc).__name__}: {exc}"]
            if errors:
                Delivery.objects.filter(pk=pk).update(
                    state=DeliveryState.FAILED,
                    failed_at=now,
                    attempts=attempts + 1,
                    retry_at=now + backoff(attempts + 1),
                    error="; ".join(errors)[:2000],
                )
                result.failed += 1
            else:
                Delivery.objects.filter(pk=pk).update(
                    state=DeliveryState.DELIVERED, delivered_at=now, attempts=attempts + 1, retry_at=None, error=""
                )
                result.delivered += 1
    finally:
        mail.close()
    return result


def kick(reminder_id: int) -> None:
    """Have the worker send this notice now (called on commit): wake the in-process worker when this process
    has one, else queue the Celery task (run at once where Celery is eager: no broker, and the tests)."""
    if local_worker is not None:
        local_worker()
        return
    # reason: the project's Celery app (shell; its broker, eager without one) sends the task; tasks imports this
    import plaza.celery  # noqa: F401

    from .tasks import send_notice  # reason: tasks imports this module

    try:
        send_notice.delay(reminder_id)
    except Exception:  # noqa: BLE001 - the broker being down must not fail a committed request; beat retries
        log.exception("could not queue notice %s; the next sweep sends it", reminder_id)
