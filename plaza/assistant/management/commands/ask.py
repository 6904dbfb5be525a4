import json

from django.core.management.base import BaseCommand

from plaza.assistant import services


class Command(BaseCommand):
    help = "向党群小智提问（不记录）；--json 输出一个 JSON 对象 {answer, confident, sources}。"

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("question")
        parser.add_argument("--json", action="store_true", help="print exactly one JSON object")

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        reply = services.respond(options["question"])
        # the score shown is the one the sources are ordered by (index.Hit.rank), so they read best first
        sources = [{"title": h.entry.title, "heading": h.entry.heading, "score": round(h.rank, 4)} for h in reply.hits]
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {"answer": reply.answer, "confident": reply.confident, "sources": sources}, ensure_ascii=False
                )
            )
            return
        self.stdout.write(reply.answer)
        for n, s in enumerate(sources, 1):
            self.stdout.write(f"[{n}] 《{s['title']}》 {s['heading']}  ({s['score']:.3f})")
