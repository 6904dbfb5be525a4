"""Who does a new lead's follow-ups (points, the first-contact reminder) once its submission committed, so the
prospect's request does not wait for them (issue 17: lead submission p95 ≤ 100 ms).

- With a Celery broker (production): the ``plaza.ambassadors.follow_up`` task, queued on commit.
- In the embedded default (the in-process scheduler, no broker): one background thread of this process.
- Otherwise (tests, management commands): at once, in the caller's thread.

Whatever is missed (a process stopped in between) is picked up by the periodic pass: ``push_outbox`` (every five
minutes under Celery beat) and the daily sweep run :func:`services.follow_up_leads` first. The rows are claimed
one by one, so no follow-up is done twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from celery import current_app
from django.conf import settings
from django.db import close_old_connections

log = logging.getLogger(__name__)
_executor: ThreadPoolExecutor | None = None
_lock = threading.Lock()
TASK = "plaza.ambassadors.follow_up"  # the Celery task (tasks.py) that runs services.follow_up_leads


def _run(work: Callable[[], object]) -> None:
    try:
        work()
    except Exception:  # noqa: BLE001 - the periodic pass retries whatever a failed run left
        log.exception("ambassadors follow-ups failed; the periodic pass retries")
    finally:
        close_old_connections()


def kick(work: Callable[[], object]) -> None:
    """Have ``work`` (the pending follow-ups) done soon, off this request (called on commit)."""
    global _executor
    if not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True):
        try:
            current_app.send_task(TASK)
        except Exception:  # noqa: BLE001 - a broker being down must not fail a committed request
            log.exception("could not queue the ambassadors follow-ups; the periodic pass does them")
        return
    if not getattr(settings, "PLAZA_IN_PROCESS_SCHEDULER", False):
        work()
        return
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="plaza-ambassadors")
    _executor.submit(_run, work)
