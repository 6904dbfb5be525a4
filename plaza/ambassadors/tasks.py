from celery import shared_task

from plaza.lib import clock

from . import services
from .sweep import ambassadors_sweep


@shared_task(name="plaza.ambassadors.daily", ignore_result=True)
def daily() -> str:
    """Beat's daily pass: deals past their freeze period, the dealer outbox."""
    return str(ambassadors_sweep(clock.today()))


@shared_task(name="plaza.ambassadors.push_outbox", ignore_result=True)
def push_outbox() -> str:
    """New leads' follow-ups left over, then push due leads to dealer systems; beat runs it every five minutes."""
    followed = services.follow_up_leads()
    return str({"followed_up": followed, **services.push_outbox()})


@shared_task(name="plaza.ambassadors.follow_up", ignore_result=True)
def follow_up() -> str:
    """New leads' follow-ups (points, the first-contact reminder), queued when a submission commits."""
    return str(services.follow_up_leads())
