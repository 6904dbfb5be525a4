"""Landing page visits written in batches by the embedded server (issue 17: the landing page takes the traffic
of every shared link, and most of it is new visitors).

In the embedded default (one process, SQLite, the in-process scheduler) a new visitor is put in this process's
queue and one background thread writes the queue every second (or at once when it holds ``BATCH``), one
``INSERT … ON CONFLICT DO NOTHING`` for all of them: the page never waits for SQLite's write lock. The queue is
written once more when the process exits normally; a crash loses at most the last second of visits (they
are the 留资率's denominator, never anyone's credit). Elsewhere (PostgreSQL with several workers, the tests) a
visit is written at once, one INSERT. A repeat (same visitor, ambassador, product) is ignored by the unique
constraint either way.
"""

from __future__ import annotations

import atexit
import logging
import threading
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import close_old_connections

from .models import Visit

log = logging.getLogger(__name__)
FLUSH_SECONDS = 1.0
BATCH = 500


@dataclass(frozen=True)
class Row:
    visitor: str
    ambassador_id: int
    product_id: int
    campaign_id: int | None
    at: datetime


_pending: list[Row] = []
_lock = threading.Lock()
_due = threading.Event()
_thread: threading.Thread | None = None


def batched() -> bool:
    """Whether visits are queued and written in batches (the embedded server) rather than one by one."""
    return bool(getattr(settings, "PLAZA_IN_PROCESS_SCHEDULER", False))


def write(rows: list[Row]) -> None:
    Visit.objects.bulk_create(
        [
            Visit(
                visitor=r.visitor,
                ambassador_id=r.ambassador_id,
                product_id=r.product_id,
                campaign_id=r.campaign_id,
                at=r.at,
            )
            for r in rows
        ],
        ignore_conflicts=True,
        batch_size=BATCH,
    )


def add(row: Row) -> None:
    """Count one visit: queued in the embedded server, written at once elsewhere."""
    global _thread
    if not batched():
        write([row])
        return
    with _lock:
        _pending.append(row)
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_loop, name="plaza-ambassadors-visits", daemon=True)
            _thread.start()
        if len(_pending) >= BATCH:
            _due.set()


def flush() -> int:
    """Write what is queued now; returns how many visits. Rows a failed write could not store are queued again."""
    with _lock:
        rows = list(_pending)
        _pending.clear()
    if not rows:
        return 0
    try:
        write(rows)
    except Exception:
        with _lock:
            _pending[:0] = rows
        raise
    return len(rows)


def _loop() -> None:
    while True:
        _due.wait(FLUSH_SECONDS)
        _due.clear()
        try:
            flush()
        except Exception:  # noqa: BLE001 - the rows stay queued for the next second
            log.exception("landing page visits could not be written; retrying")
        finally:
            close_old_connections()


@atexit.register
def _at_exit() -> None:
    try:
        flush()
    except Exception:  # noqa: BLE001 - nothing more can be done at exit
        log.exception("landing page visits lost at exit")
