"""Run the embedded default: uvicorn and the in-process scheduler, in one process (``plaza.core.server``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from plaza.core import server


class Command(BaseCommand):
    help = "Start the web server (uvicorn, one process) and the in-process scheduler (embedded default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="HOST:PORT")

    def handle(self, *args: Any, **options: Any) -> None:
        host, _, port = options["addrport"].rpartition(":")
        if not host or not port.isdigit():
            raise CommandError("HOST:PORT expected, e.g. 127.0.0.1:8000")
        server.serve(host, int(port), workers=1)
