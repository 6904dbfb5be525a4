"""Serve Plaza under uvicorn: the one entry point of the embedded default, production and the benchmarks.

    python -m plaza.core.server HOST PORT [WORKERS]      (WORKERS defaults to 1)

One worker (the embedded default, ``scripts/start.sh``): uvicorn serves in this very process and the
in-process scheduler (``plaza.core.scheduler``) runs beside it as a thread, when
``PLAZA_IN_PROCESS_SCHEDULER`` is on. Several workers (production, benchmarks): uvicorn's own
multi-process supervisor runs them; the scheduler, if on at all, runs once in the supervisor, never in a
worker (workers are spawned, so they do not inherit its thread). Production turns it off and runs Celery
beat instead. Either way the scheduler is stopped when the server stops (Ctrl-C or SIGTERM).

The listening socket is made here with ``IPPROTO_TCP``: ``uvicorn --workers N`` binds it with ``proto``
left at 0, accepted sockets inherit it, and asyncio only turns Nagle's algorithm off when
``proto == IPPROTO_TCP``. On Linux every keep-alive request after the first then waits for the client's
delayed ACK: about 40 ms each, on any page (uvicorn issue #3149, still open for uvicorn 0.54).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
from types import FrameType

import django
from django.conf import settings
from uvicorn import Config, Server
from uvicorn.supervisors import Multiprocess

log = logging.getLogger(__name__)


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host.strip("[]"), port))
    sock.set_inheritable(True)
    return sock


def _start_scheduler() -> bool:
    """Start the in-process scheduler in this (main) process when the settings ask for it."""
    django.setup()
    if not settings.PLAZA_IN_PROCESS_SCHEDULER:
        return False
    from plaza.core import scheduler  # reason: imports every app's sweep, which needs django.setup() above

    scheduler.start()
    print(f"in-process scheduler: sweeping reminders every {settings.PLAZA_SCHEDULER_INTERVAL_SECONDS} s")
    return True


def _warm_assistant() -> None:
    """One process serves (the embedded default): build 党群小智's index in the background now, not inside the
    first question. With several workers each builds it on its first request (``plaza.assistant.warmup``)."""
    from plaza.assistant import warmup  # reason: only after django.setup() (see _start_scheduler)

    warmup.start()


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    # uvicorn re-raises the signal that stopped it once it has shut down; the default SIGTERM action would
    # kill the process on the spot, before the scheduler is stopped. SystemExit unwinds through ``finally``.
    raise SystemExit(0)


def serve(host: str, port: int, workers: int = 1) -> None:
    """Serve until stopped; the scheduler (if on) runs once, beside the server, and is stopped after it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plaza.settings.prod")
    config = Config(
        "plaza.asgi:application",
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        log_level="warning",
        lifespan="on",
        ws="websockets-sansio",  # the websockets package (a dependency); its legacy protocol is deprecated
    )
    sock = listening_socket(host, port)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    scheduler_started = _start_scheduler()
    if workers <= 1:
        _warm_assistant()
    try:
        if workers <= 1:
            Server(config).run(sockets=[sock])
        else:
            Multiprocess(config, sockets=[sock]).run()
    except KeyboardInterrupt:
        pass
    finally:
        if scheduler_started:
            from plaza.core import scheduler  # reason: only after django.setup() (see _start_scheduler)

            scheduler.stop()
            print("in-process scheduler stopped")
        sock.close()


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (2, 3):
        sys.exit("usage: python -m plaza.core.server HOST PORT [WORKERS]")
    serve(args[0], int(args[1]), int(args[2]) if len(args) == 3 else 1)


if __name__ == "__main__":
    main()
