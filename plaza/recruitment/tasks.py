from celery import shared_task

from .services import run_triggers


@shared_task(name="plaza.recruitment.daily_triggers", ignore_result=True)
def daily_triggers() -> str:
    return str(run_triggers())
