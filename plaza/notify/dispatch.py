"""The reminder sweep: send every due reminder exactly once, however many sweeps run at the same time.

Each (reminder, recipient) is a :class:`Delivery`. A sweep *claims* a delivery with one conditional UPDATE
(``state = pending`` → ``sending``, by this worker) and only the sweep whose UPDATE changed the row sends
it. The database serialises the two UPDATEs, so on SQLite and PostgreSQL alike a second sweep finds the
row already claimed and skips it.

A failed send is retried by later sweeps (at most ``MAX_ATTEMPTS`` in all, ``RETRY_AFTER`` apart). A claim
left in ``sending`` by a worker that died is *not* sent again — we cannot know whether the message went
out, and "never twice" wins — it is marked failed after ``STALE_CLAIM`` for an administrator to see.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from .models import Delivery, DeliveryState
from .services import deliver

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
RETRY_AFTER = timedelta(minutes=10)
STALE_CLAIM = timedelta(minutes=15)
BATCH = 500


@dataclass
class SweepResult:
    delivered: int = 0
    failed: int = 0
    skipped: int = 0  # claimed by another sweep first
    abandoned: int = 0  # stale claims of a crashed worker

    def __str__(self) -> str:
        return f"delivered {self.delivered}, failed {self.failed}, skipped {self.skipped}, abandoned {self.abandoned}"


def _due(now: datetime) -> Q:
    retry = Q(state=DeliveryState.FAILED, attempts__lt=MAX_ATTEMPTS, failed_at__lte=now - RETRY_AFTER)
    return (Q(state=DeliveryState.PENDING) | retry) & Q(reminder__due_at__lte=now, reminder__cancelled_at__isnull=True)


def send_due_reminders(now: datetime | None = None, *, worker: str = "sweep") -> SweepResult:
    now = now or timezone.now()
    result = SweepResult()
    result.abandoned = Delivery.objects.filter(state=DeliveryState.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        state=DeliveryState.FAILED, failed_at=now, attempts=MAX_ATTEMPTS, error="worker crashed while sending"
    )
    candidates = list(
        Delivery.objects.filter(_due(now))
        .order_by("reminder__due_at", "pk")
        .values_list("pk", "state", "attempts")[:BATCH]
    )
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
        reminder = delivery.reminder
        try:
            # The inbox row is written first; if it cannot be, nothing went out and a later sweep retries.
            channel_errors = deliver(
                delivery.recipient, kind=reminder.kind, title=reminder.title, body=reminder.body, url=reminder.url
            )
        except Exception as exc:  # noqa: BLE001 - one bad row must not stop the sweep
            log.exception("reminder %s to %s failed", reminder.pk, delivery.recipient_id)
            Delivery.objects.filter(pk=pk).update(
                state=DeliveryState.FAILED,
                failed_at=now,
                attempts=delivery.attempts + 1,
                error=f"{type(exc).__name__}: {exc}"[:2000],
            )
            result.failed += 1
            continue
        # Delivered once the inbox has it. An email or WeCom failure is recorded on the row for administrators
        # but not retried: retrying would put the same message in the inbox twice.
        Delivery.objects.filter(pk=pk).update(
            state=DeliveryState.DELIVERED,
            delivered_at=now,
            attempts=delivery.attempts + 1,
            error="; ".join(channel_errors)[:2000],
        )
        result.delivered += 1
    return result
