"""The daily pass over the recruitment pipelines (to-dos, reminders, escalation of overdue steps)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_date

from plaza.recruitment.services import run_triggers


class Command(BaseCommand):
    help = "Refresh recruitment to-dos and reminders and escalate overdue steps. --date replays a given day."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["date"]:
            today = parse_date(options["date"])
            if today is None:
                raise CommandError(f"--date: not a date: {options['date']!r} (expected e.g. 2026-03-01)")
        counts = run_triggers(today)
        self.stdout.write(f"pipelines {counts['pipelines']}, overdue steps {counts['overdue']}")
