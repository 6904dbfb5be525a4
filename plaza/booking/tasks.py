from celery import shared_task

from plaza.lib import clock

from .workdays import warn_if_uncovered


@shared_task(name="plaza.booking.calendar_check", ignore_result=True)
def calendar_check() -> str:
    """Beat's daily check that this year's (and in December next year's) holiday notice is in the calendar."""
    return f"uncovered years warned about: {warn_if_uncovered(clock.today())}"
