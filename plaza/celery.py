"""The Celery application for production: ``celery -A plaza.celery worker`` and ``celery -A plaza.celery beat``.

The beat schedule lives here, in code. The embedded default does not use Celery: it sweeps in-process
(plaza/core/scheduler.py).
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plaza.settings.prod")

app = Celery("plaza")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.beat_schedule = {
    "sweep-reminders-every-minute": {"task": "plaza.notify.sweep_reminders", "schedule": 60.0},
    "recruitment-triggers-daily": {"task": "plaza.recruitment.daily_triggers", "schedule": crontab(hour=6, minute=0)},
    "dues-arrears-daily": {"task": "plaza.dues.arrears_sweep", "schedule": crontab(hour=6, minute=30)},
    "transfers-daily": {"task": "plaza.transfers.daily_sweep", "schedule": crontab(hour=6, minute=45)},
    "meetings-daily": {"task": "plaza.meetings.daily", "schedule": crontab(hour=5, minute=30)},
    "terms-daily": {"task": "plaza.elections.daily", "schedule": crontab(hour=7, minute=0)},
    "learning-daily": {"task": "plaza.learning.daily", "schedule": crontab(hour=7, minute=15)},
    "points-daily": {"task": "plaza.points.daily", "schedule": crontab(hour=7, minute=30)},
    "calendar-daily": {"task": "plaza.booking.calendar_check", "schedule": crontab(hour=7, minute=45)},
    "union-daily": {"task": "plaza.union.daily", "schedule": crontab(hour=6, minute=15)},
    "voice-daily": {"task": "plaza.voice.daily", "schedule": crontab(hour=8, minute=0)},
    "vanguard-daily": {"task": "plaza.vanguard.daily", "schedule": crontab(hour=8, minute=15)},
    "studios-daily": {"task": "plaza.studios.daily", "schedule": crontab(hour=8, minute=20)},
    "league-daily": {"task": "plaza.league.daily", "schedule": crontab(hour=8, minute=25)},
    "activities-hourly": {"task": "plaza.activities.sweep", "schedule": crontab(minute=5)},
    "ambassadors-daily": {"task": "plaza.ambassadors.daily", "schedule": crontab(hour=8, minute=35)},
    "ambassadors-outbox-every-5-minutes": {"task": "plaza.ambassadors.push_outbox", "schedule": 300.0},
    # the daily quiz's points are credited after each answer's commit; this catches up what a stopped worker left
    "quiz-grants-every-minute": {"task": "plaza.quiz.grant_daily", "schedule": 60.0},
}
