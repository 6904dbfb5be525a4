from celery import shared_task

from plaza.lib import clock

from .sweep import arrears_sweep


@shared_task(name="plaza.dues.arrears_sweep", ignore_result=True)
def daily_arrears_sweep() -> str:
    return str(arrears_sweep(clock.today()))
