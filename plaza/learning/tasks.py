from celery import shared_task

from plaza.core import clock

from .services import remind_due_items


@shared_task(name="plaza.learning.daily", ignore_result=True)
def daily_learning_reminders() -> str:
    return str(remind_due_items(clock.today()))
