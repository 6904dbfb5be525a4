from celery import shared_task

from plaza.lib import clock

from .sweep import voice_sweep


@shared_task(name="plaza.voice.daily", ignore_result=True)
def daily() -> str:
    """Beat's daily pass of E线声音 and 职代会提案: reminders, escalations, closing unrated answers."""
    return str(voice_sweep(clock.today()))
