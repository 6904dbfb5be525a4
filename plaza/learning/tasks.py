from celery import shared_task

from plaza.lib import clock

from .services import daily_pass


@shared_task(name="plaza.learning.daily", ignore_result=True)
def daily_learning_reminders() -> str:
    """Beat's learning pass: reminders, then the reading-session clean-up (the same as the embedded scheduler)."""
    return daily_pass(clock.today())
