from celery import shared_task

from plaza.lib import clock

from .sweep import transfers_sweep


@shared_task(name="plaza.transfers.daily_sweep", ignore_result=True)
def daily_transfers_sweep() -> str:
    return str(transfers_sweep(clock.today()))
