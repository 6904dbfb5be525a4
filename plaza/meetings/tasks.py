from celery import shared_task

from plaza.lib import clock

from .sweep import meetings_sweep


@shared_task(name="plaza.meetings.daily", ignore_result=True)
def daily_meetings_sweep() -> str:
    return str(meetings_sweep(clock.today()))
