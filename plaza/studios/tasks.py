from celery import shared_task

from plaza.lib import clock

from .sweep import check_in_sweep


@shared_task(name="plaza.studios.daily", ignore_result=True)
def daily_studios_sweep() -> str:
    return str(check_in_sweep(clock.today()))
