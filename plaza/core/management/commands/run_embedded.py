"""Run the embedded default: Django's server and the in-process reminder scheduler, in one process."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from plaza.core import scheduler


class Command(BaseCommand):
    help = "Start the web server and the in-process scheduler (embedded default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PLAZA_IN_PROCESS_SCHEDULER:
            scheduler.start()
            self.stdout.write(
                f"in-process scheduler: sweeping reminders every {settings.PLAZA_SCHEDULER_INTERVAL_SECONDS} s"
            )
        try:
            call_command("runserver", options["addrport"], use_reloader=False, use_threading=True)
        finally:
            scheduler.stop()
