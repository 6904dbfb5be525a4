"""Celery tasks (production). Beat runs ``sweep_reminders`` every minute; see plaza/celery.py."""

from celery import shared_task

from .dispatch import send_due_reminders


@shared_task(name="plaza.notify.sweep_reminders", ignore_result=True)
def sweep_reminders() -> str:
    return str(send_due_reminders(worker="celery"))
