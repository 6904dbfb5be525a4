"""Serve Plaza under uvicorn with several worker processes AND ``TCP_NODELAY`` on every connection.

    python -m plaza.core.server HOST PORT WORKERS        (production and benchmarks)

``uvicorn --workers N`` binds the listening socket itself with ``proto`` left at 0; accepted sockets
inherit it, and asyncio only turns Nagle's algorithm off when ``proto == IPPROTO_TCP``. On Linux every
keep-alive request after the first then waits for the client's delayed ACK: about 40 ms each, on any
page (uvicorn issue #3149, still open for uvicorn 0.54). Here the socket is made with
``IPPROTO_TCP`` and handed to uvicorn's own multi-process supervisor, which is all ``--workers`` does.
"""

from __future__ import annotations

import socket
import sys

from uvicorn import Config
from uvicorn.supervisors import Multiprocess


def main() -> None:
    host, port, workers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    config = Config(
        "plaza.asgi:application", host=host, port=port, workers=workers, access_log=False, log_level="warning"
    )
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    Multiprocess(config, sockets=[sock]).run()


if __name__ == "__main__":
    main()
