from django.core.management.base import BaseCommand, CommandError

from plaza.assistant import evaluation, services


class Command(BaseCommand):
    help = (
        "评测党群小智：在 knowledge/eval.json + unanswerable.json（调参用）、knowledge/holdout.json（留出集，"
        "不用于调参）和 knowledge/holdout_colloquial.json（口语化留出集）上分别给出 top-1、top-3 准确率、"
        "有把握回答的比例、有把握却答错的比例，以及无关问题被有把握回答的数量。"
        "--holdout 只评测 knowledge/ 下指定的留出集（如 holdout_colloquial5.json）。"
    )

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument(
            "--misses",
            action="store_true",
            help="list the questions whose top-1 is wrong and the off-topic ones answered confidently",
        )
        parser.add_argument(
            "--holdout",
            action="append",
            metavar="FILE",
            help="only this held-out set of knowledge/ (e.g. holdout_colloquial5.json); may be repeated",
        )

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        self.stdout.write(f"threshold {services.threshold():.2f}, and the best passage must be about the question")
        if options["holdout"]:
            for name in options["holdout"]:
                if not (evaluation.KNOWLEDGE / name).is_file():
                    raise CommandError(f"no such set: knowledge/{name}")
            sets = [
                (f"held-out set {name}", evaluation.evaluate(*evaluation.holdout(name))) for name in options["holdout"]
            ]
        else:
            sets = every_set()
        for name, f in sets:
            self.stdout.write(f"{name}")
            self.stdout.write(f"  questions: {f.total}")
            self.stdout.write(f"  top-1: {f.rate(f.top1, f.total):.1f}% ({f.top1}/{f.total})")
            self.stdout.write(f"  top-3: {f.rate(f.top3, f.total):.1f}% ({f.top3}/{f.total})")
            self.stdout.write(
                f"  top-1 among the documents only: {f.rate(f.documents_top1, f.total):.1f}% "
                f"({f.documents_top1}/{f.total}); misses answered from Plaza's published rules: {f.published_first}"
            )
            self.stdout.write(f"  answered confidently: {f.rate(f.confident, f.total):.1f}% ({f.confident}/{f.total})")
            self.stdout.write(
                f"  answered confidently but wrong: {f.rate(f.confident_wrong, f.total):.1f}% "
                f"({f.confident_wrong}/{f.total})"
            )
            self.stdout.write(
                f"  unanswerable refused: {f.rate(f.refused, f.negatives):.1f}% "
                f"({f.refused}/{f.negatives}); answered confidently: {f.off_topic_confident}"
            )
            if options["misses"]:
                for question, expected, got in f.misses:
                    self.stdout.write(f"    {question}\n      expected {expected}\n      got      {got}")
                for question, got in f.answered:
                    self.stdout.write(f"    off-topic answered: {question}\n      with {got}")


def every_set() -> list[tuple[str, evaluation.Figures]]:
    return [
        ("evaluation set (eval.json + unanswerable.json)", evaluation.evaluate()),
        ("held-out set (holdout.json, never tuned on)", evaluation.evaluate_holdout()),
        ("colloquial held-out set (holdout_colloquial.json, read while tuning)", evaluation.evaluate_colloquial()),
        (
            "second colloquial held-out set (holdout_colloquial2.json, written before the margin rule)",
            evaluation.evaluate_colloquial2(),
        ),
        (
            "third colloquial held-out set (holdout_colloquial3.json, written before the coverage ranking)",
            evaluation.evaluate_colloquial3(),
        ),
        (
            "fourth colloquial held-out set (holdout_colloquial4.json, written before the fitted order)",
            evaluation.evaluate_colloquial4(),
        ),
        (
            "confirmation set (holdout_confirm.json, written after tuning)",
            evaluation.evaluate(*evaluation.holdout("holdout_confirm.json")),
        ),
        *(
            (
                f"colloquial set {name} ({'learned from' if name in evaluation.LEARNED else 'held out'})",
                evaluation.evaluate(*evaluation.holdout(name)),
            )
            for name in [f"holdout_colloquial{n}.json" for n in range(5, 12)]
        ),
    ]
