from celery import shared_task

from plaza.lib import clock

from .services import daily_pass


@shared_task(name="plaza.points.daily", ignore_result=True)
def daily_points() -> str:
    """Beat's points pass: in January, last year's expiry when ``PLAZA_POINTS_EXPIRE_YEARLY`` is on."""
    return daily_pass(clock.today())
