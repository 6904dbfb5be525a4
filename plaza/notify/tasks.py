"""Celery tasks (production). Beat runs ``sweep_reminders`` every minute (see plaza/celery.py); a notice's
commit queues ``send_notice`` so it goes out at once instead of at the next sweep."""

from celery import shared_task

from .dispatch import send_due_reminders


@shared_task(name="plaza.notify.sweep_reminders", ignore_result=True)
def sweep_reminders() -> str:
    return str(send_due_reminders(worker="celery"))


@shared_task(name="plaza.notify.send_notice", ignore_result=True)
def send_notice(reminder_id: int) -> str:
    """Send one notice's deliveries now. Idempotent (claimed rows only); failures are retried by the sweep."""
    return str(send_due_reminders(worker="celery-notice", reminder_id=reminder_id))
