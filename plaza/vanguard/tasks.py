from celery import shared_task

from plaza.lib import clock

from .sweep import vanguard_sweep


@shared_task(name="plaza.vanguard.daily", ignore_result=True)
def daily_vanguard_sweep() -> str:
    return str(vanguard_sweep(clock.today()))
