from celery import shared_task

from plaza.lib import clock

from .sweep import terms_sweep


@shared_task(name="plaza.elections.daily", ignore_result=True)
def daily_terms_sweep() -> str:
    return str(terms_sweep(clock.today()))
