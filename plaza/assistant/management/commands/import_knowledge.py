from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from plaza.assistant import services


class Command(BaseCommand):
    help = "导入党群小智知识库：Markdown、Word (.docx)、PDF、纯文本文件或文件夹；同名文件原地更新，未变化的跳过。"

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("paths", nargs="+", metavar="PATH")

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        try:
            results = services.import_paths(None, options["paths"])
        except (ValidationError, OSError) as exc:
            raise CommandError("; ".join(getattr(exc, "messages", None) or [str(exc)])) from exc
        for r in results:
            state = "skipped (unchanged)" if r.skipped else ("created" if r.created else "updated")
            self.stdout.write(f"{state}: {r.document.title} ({r.passages} passages)")
        changed = sum(1 for r in results if not r.skipped)
        self.stdout.write(self.style.SUCCESS(f"{len(results)} files, {changed} imported or updated"))
