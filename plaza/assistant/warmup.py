"""Build 党群小智's index before anyone asks. Loading jieba's dictionary with ours and segmenting every section
took 6.4 s on the first question after a start, inside that request. Now the build runs in a background thread:

* the embedded server (``plaza.core.server`` with one process, what ``scripts/start.sh`` runs) starts it as it
  starts serving;
* any other server process (several uvicorn workers, a WSGI server) starts it on the first request it serves
  (Django's ``request_started``, connected in :class:`~plaza.assistant.apps.AssistantConfig`), whatever the page.

A question that arrives while the build is still running waits only for what is left of it (the tokenizer and
the index each load under a lock). Never in ``migrate``, management commands or the test suite:
``PLAZA_ASSISTANT_WARMUP = False`` in the test settings (the warm-up's own tests turn it on).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection

from . import index
from . import text as chinese

log = logging.getLogger(__name__)

_started = threading.Event()
_done = threading.Event()
seconds: float | None = None  # how long the last warm-up took, for the benchmark and the log


def enabled() -> bool:
    return bool(getattr(settings, "PLAZA_ASSISTANT_WARMUP", True))


def warm() -> float:
    """Load the tokenizer and build the index now; returns the seconds it took."""

    global seconds
    started = time.perf_counter()
    try:
        close_old_connections()
        chinese.tokenizer()
        index.current().search("党费")  # the first search also reads the lexicon files
    finally:
        connection.close()  # this thread's own connection; the request threads have theirs
    seconds = time.perf_counter() - started
    _done.set()
    return seconds


def _run() -> None:
    try:
        took = warm()
    except Exception:  # a database not migrated yet, say: the first question will build the index itself
        log.exception("党群小智: warming the index failed; the first question will build it")
    else:
        log.info("党群小智: index built in the background in %.1f s", took)


def start(**_kwargs: Any) -> threading.Thread | None:
    """Start the warm-up once per process (a receiver of ``request_started``: it takes the signal's keyword
    arguments); later calls do nothing. Returns the thread it started, if any."""
    if _started.is_set() or not enabled():
        return None
    _started.set()
    thread = threading.Thread(target=_run, name="assistant-warmup", daemon=True)
    thread.start()
    return thread


def ready() -> bool:
    """Whether a warm-up has finished in this process."""
    return _done.is_set()


def reset() -> None:
    """Forget that a warm-up ran (tests)."""
    global seconds
    _started.clear()
    _done.clear()
    seconds = None
