"""The in-process scheduler of the embedded default: a daemon thread that sweeps reminders every minute and
runs the procedures' daily passes (recruitment, dues, transfers, meetings, terms, learning, points) once a day.

Production runs Celery beat instead (plaza/celery.py). The sweep is idempotent, so a scheduler started
twice, or running beside a manual ``send_due_reminders``, never sends anything twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.db import close_old_connections

log = logging.getLogger(__name__)
_lock = threading.Lock()
_thread: threading.Thread | None = None
_stop = threading.Event()


def daily_jobs() -> list[tuple[str, Callable[[date], object]]]:
    """The procedures' daily passes, the same as Celery beat runs in production (plaza/celery.py)."""
    from plaza.dues.sweep import arrears_sweep
    from plaza.elections.sweep import terms_sweep
    from plaza.learning.services import daily_pass as learning_daily_pass
    from plaza.meetings.sweep import meetings_sweep
    from plaza.points.services import daily_pass as points_daily_pass
    from plaza.recruitment.services import run_triggers
    from plaza.transfers.sweep import transfers_sweep

    return [
        ("recruitment triggers", run_triggers),
        ("dues arrears", arrears_sweep),
        ("transfers", transfers_sweep),
        ("meetings", meetings_sweep),
        ("terms", terms_sweep),
        ("learning", learning_daily_pass),
        ("points", points_daily_pass),
    ]


def _run(interval: float) -> None:
    from plaza.core import clock
    from plaza.notify.dispatch import send_due_reminders

    last_daily = None
    while not _stop.is_set():
        today = clock.today()
        if today != last_daily:  # once a day (and at start)
            for name, job in daily_jobs():
                try:
                    log.info("%s: %s", name, job(today))
                except Exception:  # noqa: BLE001 - one failing pass must not stop the others
                    log.exception("%s failed", name)
                finally:
                    close_old_connections()
            last_daily = today
        try:
            result = send_due_reminders(worker="embedded")
            if result.delivered or result.failed:
                log.info("reminders: %s", result)
        except Exception:  # noqa: BLE001 - the scheduler must outlive one bad sweep
            log.exception("scheduled work failed")
        finally:
            close_old_connections()
        _stop.wait(interval)


def start(interval: float | None = None) -> bool:
    """Start the scheduler thread once per process; False when it was already running."""
    global _thread
    with _lock:
        if _thread is not None and _thread.is_alive():
            return False
        _stop.clear()
        _thread = threading.Thread(
            target=_run,
            args=(interval or settings.PLAZA_SCHEDULER_INTERVAL_SECONDS,),
            name="plaza-scheduler",
            daemon=True,
        )
        _thread.start()
        return True


def stop(timeout: float = 5.0) -> None:
    global _thread
    with _lock:
        _stop.set()
        if _thread is not None:
            _thread.join(timeout)
        _thread = None


def running() -> bool:
    return _thread is not None and _thread.is_alive()
