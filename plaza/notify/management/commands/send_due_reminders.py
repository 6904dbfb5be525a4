"""Send every reminder that is due. Idempotent: run it as often as you like, even twice at once."""

from __future__ import annotations

import os
import socket
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from plaza.lib import clock
from plaza.notify.dispatch import send_due_reminders


class Command(BaseCommand):
    help = "Send due reminders (in-app, email, WeCom). --now replays the sweep as of a given time."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="ISO date-time, e.g. 2026-03-01T09:00 (default: the current time)")
        parser.add_argument("--worker", default=f"{socket.gethostname()}:{os.getpid()}")

    def handle(self, *args: Any, **options: Any) -> None:
        now = clock.now()
        if options["now"]:
            parsed = parse_datetime(options["now"])
            if parsed is None:
                raise CommandError(f"--now: not a date-time: {options['now']!r} (expected e.g. 2026-03-01T09:00)")
            now = parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
        result = send_due_reminders(now, worker=options["worker"])
        self.stdout.write(f"{now.isoformat()}: {result}")
