from django.core.management.base import BaseCommand

from plaza.assistant import evaluation, services


class Command(BaseCommand):
    help = "用 knowledge/eval.json 评测党群小智的检索：top-1、top-3 准确率，以及无法回答的问题是否被拒答。"

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--misses", action="store_true", help="list the questions whose top-1 is wrong")

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        f = evaluation.evaluate()
        self.stdout.write(f"questions: {f.total}")
        self.stdout.write(f"top-1: {f.rate(f.top1, f.total):.1f}% ({f.top1}/{f.total})")
        self.stdout.write(f"top-3: {f.rate(f.top3, f.total):.1f}% ({f.top3}/{f.total})")
        self.stdout.write(f"answered confidently (threshold {services.threshold():.2f}): "
                          f"{f.rate(f.confident, f.total):.1f}% ({f.confident}/{f.total})")
        self.stdout.write(f"unanswerable refused: {f.rate(f.refused, f.negatives):.1f}% ({f.refused}/{f.negatives})")
        if options["misses"]:
            for question, expected, got in f.misses:
                self.stdout.write(f"  {question}\n    expected {expected}\n    got      {got}")
