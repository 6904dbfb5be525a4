"""Prints where Plaza is running and one demo login for each role (used by scripts/start.sh)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from plaza.accounts.models import Person
from plaza.demo.accounts import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the address and the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:

        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"党群服务广场 Plaza: http://{options['addr']}/"))
        self.stdout.write(f"  back office: http://{options['addr']}/office/    admin: http://{options['addr']}/admin/")
        self.stdout.write(f"  API docs:    http://{options['addr']}/api/v1/docs")
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        existing = set(
            Person.objects.filter(employee_no__in=[e for e, *_ in DEMO_LOGINS]).values_list("employee_no", flat=True)
        )
        for employee_no, role, description in DEMO_LOGINS:
            if employee_no in existing:
                self.stdout.write(f"  {employee_no:<8} {role}  {description}")
        self.stdout.write("")
