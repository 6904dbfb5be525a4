from celery import shared_task

from . import grants, services


@shared_task(name="plaza.quiz.grant_daily", ignore_result=True)
def grant_daily() -> str:
    """Credit the ledger with the daily quiz's points not yet credited: queued when an answer commits (one run at
    a time), and beat's catch-up every minute."""
    grants.started()
    return f"{services.grant_daily_points()} answers credited"
