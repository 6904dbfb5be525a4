from django.core.management.base import BaseCommand

from plaza.learning.services import remind_due_items


class Command(BaseCommand):
    help = "学习: put required articles and plan items due within a week on people's to-do lists (run daily)."

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        self.stdout.write(f"{remind_due_items()} to-dos added or refreshed")
