"""The in-process scheduler of the embedded default: two daemon threads.

- ``plaza-outbox`` sends what is due in the notify outbox every ``PLAZA_SCHEDULER_INTERVAL_SECONDS`` and at
  once when a notice's transaction commits (``notify.dispatch.kick`` wakes it), so a notice arrives within
  seconds while the request that sent it has long returned.
- ``plaza-daily`` runs the procedures' daily passes (recruitment, dues, transfers, meetings, terms, learning,
  points, the national calendar's coverage) once a day; a long pass never holds up the outbox.

Production runs Celery instead (plaza/celery.py). The sweep is idempotent, so a scheduler started twice, or
running beside a manual ``send_due_reminders`` or a Celery worker, never sends anything twice.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.db import close_old_connections

from plaza.activities.sweep import activities_daily
from plaza.ambassadors.sweep import ambassadors_sweep
from plaza.booking.workdays import warn_if_uncovered
from plaza.dues.sweep import arrears_sweep
from plaza.elections.sweep import terms_sweep
from plaza.league.sweep import league_sweep
from plaza.learning.services import daily_pass as learning_daily_pass
from plaza.lib import clock
from plaza.meetings.sweep import meetings_sweep
from plaza.notify import dispatch
from plaza.notify.dispatch import send_due_reminders
from plaza.points.services import daily_pass as points_daily_pass
from plaza.quiz.services import daily_pass as quiz_daily_pass
from plaza.recruitment.services import run_triggers
from plaza.studios.sweep import check_in_sweep as studios_sweep
from plaza.transfers.sweep import transfers_sweep
from plaza.union.sweep import union_sweep
from plaza.vanguard.sweep import vanguard_sweep
from plaza.voice.sweep import voice_sweep

log = logging.getLogger(__name__)
_lock = threading.Lock()
_threads: list[threading.Thread] = []
_stop = threading.Event()
_wake = threading.Event()


def daily_jobs() -> list[tuple[str, Callable[[date], object]]]:
    """The procedures' daily passes, the same as Celery beat runs in production (plaza/celery.py)."""

    return [
        ("recruitment triggers", run_triggers),
        ("dues arrears", arrears_sweep),
        ("transfers", transfers_sweep),
        ("meetings", meetings_sweep),
        ("terms", terms_sweep),
        ("learning", learning_daily_pass),
        ("points", points_daily_pass),
        ("daily quiz points left uncredited", quiz_daily_pass),
        ("activities", activities_daily),
        ("ambassadors deals and outbox", ambassadors_sweep),
        ("union", union_sweep),
        ("years the national holiday calendar lacks", warn_if_uncovered),
        ("voice", voice_sweep),
        ("vanguard milestones", vanguard_sweep),
        ("studios check-ins", studios_sweep),
        ("league age 28", league_sweep),
    ]


def summary(result: object) -> str:
    """A pass's result as the console shows it: ``3 birthdays, 0 reviews`` rather than the object's repr
    (``SweepResult(birthdays=3, reviews=0)``), which meant nothing to the person who started Plaza."""
    if result is None:
        return "done"
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        fields = dataclasses.asdict(result)
    elif isinstance(result, dict):
        fields = result
    elif isinstance(result, tuple) and hasattr(result, "_asdict"):
        fields = result._asdict()
    elif isinstance(result, list | tuple | set):
        return ", ".join(str(item) for item in result) or "none"
    else:
        return str(result)
    shown = []
    for key, value in fields.items():
        if isinstance(value, list | tuple | set | dict):
            value = len(value)
        shown.append(f"{value} {key.replace('_', ' ')}")
    return ", ".join(shown) or "done"


def wake() -> None:
    """Have the outbox thread sweep now (a notice was committed)."""
    _wake.set()


def _outbox(interval: float) -> None:

    while not _stop.is_set():
        _wake.clear()  # a kick arriving during the sweep below sets it again: nothing committed is missed
        try:
            result = send_due_reminders(worker="embedded")
            if result.delivered or result.failed:
                log.info("outbox: %s", summary(result))
        except Exception:  # noqa: BLE001 - the scheduler must outlive one bad sweep
            log.exception("outbox sweep failed")
        finally:
            close_old_connections()
        _wake.wait(interval)


def _daily(interval: float) -> None:

    last_daily = None
    while not _stop.is_set():
        today = clock.today()
        if today != last_daily:  # once a day (and at start)
            for name, job in daily_jobs():
                if _stop.is_set():
                    return
                try:
                    log.info("%s: %s", name, summary(job(today)))
                except Exception:  # noqa: BLE001 - one failing pass must not stop the others
                    log.exception("%s failed", name)
                finally:
                    close_old_connections()
            last_daily = today
        _stop.wait(interval)


def start(interval: float | None = None, *, daily: bool = True) -> bool:
    """Start the scheduler's threads once per process; False when they were already running. ``daily=False``
    starts the outbox only (a test of the notices, or a process that must not run the daily passes)."""

    with _lock:
        if any(thread.is_alive() for thread in _threads):
            return False
        _stop.clear()
        _wake.clear()
        every = interval or settings.PLAZA_SCHEDULER_INTERVAL_SECONDS
        targets: list[tuple[str, Callable[[float], None]]] = [("plaza-outbox", _outbox)]
        if daily:
            targets.append(("plaza-daily", _daily))
        _threads[:] = [threading.Thread(target=run, args=(every,), name=name, daemon=True) for name, run in targets]
        dispatch.local_worker = wake
        for thread in _threads:
            thread.start()
        return True


def stop(timeout: float = 5.0) -> None:

    with _lock:
        _stop.set()
        _wake.set()
        for thread in _threads:
            thread.join(timeout)
        _threads.clear()
        if dispatch.local_worker is wake:
            dispatch.local_worker = None


def running() -> bool:
    return any(thread.is_alive() for thread in _threads)
