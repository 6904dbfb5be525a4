from celery import shared_task

from plaza.lib import clock

from .sweep import union_sweep


@shared_task(name="plaza.union.daily", ignore_result=True)
def daily_sweep() -> str:
    return str(union_sweep(clock.today()))
