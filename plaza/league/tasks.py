from celery import shared_task

from plaza.lib import clock

from .sweep import league_sweep


@shared_task(name="plaza.league.daily", ignore_result=True)
def daily_league_sweep() -> str:
    return str(league_sweep(clock.today()))
