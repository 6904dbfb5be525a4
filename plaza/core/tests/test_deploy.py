"""Production settings pass Django's deployment checks, and production's background work is wired."""

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[3]


def _production_env(tmp_path) -> dict[str, str]:  # noqa: ANN001
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}  # set by browser tests
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "plaza.settings.prod",
        "PLAZA_SECRET_KEY": "x" * 20 + "-production-secret-key-that-is-long-and-random-0123456789",
        "PLAZA_FIELD_KEYS": Fernet.generate_key().decode(),
        "PLAZA_DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "PLAZA_ALLOWED_HOSTS": "plaza.example.com",
    }


def test_production_does_not_install_the_demo(tmp_path):
    code = "import django; django.setup(); from django.apps import apps; print(apps.is_installed('plaza.demo'))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=_production_env(tmp_path), capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = _production_env(tmp_path)
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def test_celery_beat_sweeps_reminders_with_a_registered_task():
    from plaza.celery import app

    app.loader.import_default_modules()
    schedule = app.conf.beat_schedule["sweep-reminders-every-minute"]
    assert schedule["task"] in app.tasks and schedule["schedule"] == 60.0


def test_every_beat_entry_names_a_registered_task_and_the_embedded_scheduler_runs_the_same_daily_passes():
    from plaza.celery import app
    from plaza.core.scheduler import daily_jobs

    app.loader.import_default_modules()
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert tasks <= set(app.tasks), tasks - set(app.tasks)
    assert {
        "plaza.recruitment.daily_triggers",
        "plaza.dues.arrears_sweep",
        "plaza.transfers.daily_sweep",
        "plaza.meetings.daily",
        "plaza.elections.daily",
        "plaza.learning.daily",
        "plaza.points.daily",
        "plaza.booking.calendar_check",
    } <= tasks
    names = [name for name, _job in daily_jobs()]
    assert len(names) == len(set(names))
    assert {
        "recruitment triggers",
        "dues arrears",
        "transfers",
        "meetings",
        "terms",
        "learning",
        "points",
        "years the national holiday calendar lacks",
    } <= set(names)
    # Every app with a daily pass runs it in both: the embedded scheduler and Celery beat (one task per app,
    # named plaza.<app>.…), so production and the embedded default never differ in what runs each day.
    job_apps = {job.__module__.split(".")[1] for _name, job in daily_jobs()}
    beat_apps = {task.split(".")[1] for task in tasks}
    assert job_apps <= beat_apps, job_apps - beat_apps
