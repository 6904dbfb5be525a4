"""``manage.py expire_points YEAR``: 年度清零 of a past year by the system (audited as 系统), for deployments
that expire points by their own calendar rather than by ``PLAZA_POINTS_EXPIRE_YEARLY``."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from plaza.points import services


class Command(BaseCommand):
    help = "Expire the points earned up to the end of YEAR and not spent since (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int)

    def handle(self, *args: object, **options: object) -> None:
        try:
            count = services.expire_year(None, int(options["year"]))
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        self.stdout.write(f"{count} people's points of {options['year']} expired")
