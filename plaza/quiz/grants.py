"""Who credits the ledger with the daily quiz's points once an answer has committed, so the person's request does
not wait for the ledger (issue 15: 20,000 people within ten minutes, p95 per answer ≤ 100 ms). As 通星汇's
follow-ups (plaza/ambassadors/followups.py), with one difference: answers come by the hundred each second, so
the runs are coalesced — one queued at a time, and each credits every answer pending when it starts.

- With a Celery broker (production): the ``plaza.quiz.grant_daily`` task, queued on commit unless one is queued
  already (a flag in the cache, dropped by the task as it starts, so an answer committed after that start queues
  the next run).
- In the embedded default (the in-process scheduler, no broker): one background thread of this process, with the
  same flag in memory.
- Otherwise (tests, management commands): at once, in the caller's thread.

Whatever is missed (a process stopped in between, a broker down) is credited by the next run anyone's answer
queues, and by the periodic pass: Celery beat every minute, the embedded scheduler's daily pass.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections

log = logging.getLogger(__name__)
TASK = "plaza.quiz.grant_daily"  # the Celery task (tasks.py) that runs services.grant_daily_points
QUEUED = "plaza:quiz:grant-queued"  # the cache flag: a run is queued and has not started yet
QUEUED_SECONDS = 30  # a queued run lost with its broker stops holding the flag after this
_executor: ThreadPoolExecutor | None = None
_lock = threading.Lock()
_waiting = False  # the embedded default's flag


def started() -> None:
    """A queued run is starting: the next answer queues another (called first by the task)."""
    try:
        cache.delete(QUEUED)
    except Exception:  # noqa: BLE001 - the flag expires anyway
        log.exception("could not clear the quiz grant flag")


def _run(work: Callable[[], object]) -> None:
    global _waiting
    with _lock:
        _waiting = False
    try:
        work()
    except Exception:  # noqa: BLE001 - the next run and the periodic pass retry whatever this one left
        log.exception("crediting the daily quiz's points failed; the periodic pass retries")
    finally:
        close_old_connections()


def kick(work: Callable[[], object]) -> None:
    """Have ``work`` (crediting the pending answers) done soon, off this request (called on commit)."""
    global _executor, _waiting
    if not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True):
        try:
            if cache.add(QUEUED, 1, timeout=QUEUED_SECONDS):
                current_app.send_task(TASK)
        except Exception:  # noqa: BLE001 - a broker being down must not fail a committed answer
            log.exception("could not queue the daily quiz's points; the periodic pass credits them")
        return
    if not getattr(settings, "PLAZA_IN_PROCESS_SCHEDULER", False):
        work()
        return
    with _lock:
        if _waiting:
            return
        _waiting = True
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="plaza-quiz-grants")
    _executor.submit(_run, work)
