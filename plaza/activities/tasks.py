from celery import shared_task

from plaza.lib import clock

from .sweep import activities_sweep


@shared_task(name="plaza.activities.sweep", ignore_result=True)
def sweep_activities() -> str:
    """Beat's hourly pass: the day-before reminders of activities (idempotent)."""
    return str(activities_sweep(clock.now()))
