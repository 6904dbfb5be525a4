"""党群小智 at scale: the demo knowledge base repeated with variations up to 5,000 passages, 200 questions
from the evaluation set answered against it, and the off-topic questions (evaluation and held-out sets) asked
again at that size. Before that, the evaluation set and the held-out set on the demo knowledge base alone.
Prints figures only (never asserts):

    DJANGO_SETTINGS_MODULE=plaza.settings.test .venv/bin/python benchmarks/bench_assistant.py [--passages 5000]
    .venv/bin/python benchmarks/bench_assistant.py --first-question

Uses an in-memory SQLite database unless PLAZA_DATABASE_URL is set.

``--first-question`` (issue 12, item 14) times the first question a freshly started server answers, through the
API over HTTP: a SQLite file in a temporary directory with the demo knowledge base and one person with a
token, then for each case a new ``manage.py run_embedded`` process (what ``scripts/start.sh`` runs, with
``plaza.settings.dev``; it starts the warm-up as it starts serving): as soon as the login page answers, the
question is asked, or a few seconds later; the same with the warm-up turned off (the index then built inside
the question, as before).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plaza.settings.test")
os.environ.setdefault("PLAZA_DATABASE_URL", "sqlite://:memory:")


FIRST_QUESTION = "生孩子能休多久的假"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def first_question(rounds: int) -> None:
    """See the module's docstring."""
    import json
    import subprocess
    import tempfile

    import httpx

    root = Path(__file__).resolve().parent.parent
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "PLAZA_DATABASE_URL": f"sqlite:///{tmp}/plaza.sqlite3",
            "DJANGO_SETTINGS_MODULE": "plaza.settings.dev",
            "PYTHONPATH": f"{tmp}{os.pathsep}{root}",
        }
        Path(tmp, "warmup_off.py").write_text(
            "from plaza.settings.dev import *  # noqa\nPLAZA_ASSISTANT_WARMUP = False\n"
        )
        prepare = (
            "import django, json; django.setup()\n"
            "from django.core.management import call_command\n"
            "call_command('migrate', verbosity=0)\n"
            "from plaza.assistant.demo import seed_demo_knowledge\n"
            "from plaza.accounts.models import Person\n"
            "from plaza.accounts.services import issue_token\n"
            "seed_demo_knowledge()\n"
            "person = Person.objects.create_user('bench01', '测试', 'bench-pass')\n"
            "print(json.dumps(issue_token(person, 'bench')))\n"
        )
        token = json.loads(
            subprocess.run([python, "-c", prepare], env=env, cwd=root, check=True, capture_output=True, text=True)
            .stdout.strip()
            .splitlines()[-1]
        )
        cases = [("warm-up off: the index is built inside the first question", "warmup_off", 0.0)]
        cases += [("warm-up on: question right after the first page", "plaza.settings.dev", 0.0)]
        cases += [("warm-up on: question 5 s after the first page", "plaza.settings.dev", 5.0)]
        for name, settings_module, wait in cases:
            took = []
            for _round in range(rounds):
                port = _free_port()
                server = subprocess.Popen(
                    [python, "manage.py", "run_embedded", f"127.0.0.1:{port}"],
                    env={**env, "DJANGO_SETTINGS_MODULE": settings_module},
                    cwd=root,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                try:
                    base = f"http://127.0.0.1:{port}"
                    for _attempt in range(600):
                        try:
                            page = httpx.get(f"{base}/accounts/login/", timeout=60)  # the first request
                            break
                        except httpx.TransportError:
                            time.sleep(0.1)
                    assert page.status_code == 200, page.status_code
                    time.sleep(wait)
                    started = time.perf_counter()
                    answer = httpx.post(
                        f"{base}/api/v1/assistant/ask",
                        json={"text": FIRST_QUESTION},
                        headers={"Authorization": f"Bearer {token}"},
                        timeout=120,
                    )
                    took.append(time.perf_counter() - started)
                    assert answer.status_code == 201 and answer.json()["confident"], answer.text[:200]
                finally:
                    server.terminate()
                    server.wait(timeout=30)
            shown = ", ".join(f"{t:.2f}" for t in took)
            print(f"{name}: median {statistics.median(took):.2f} s (runs: {shown})")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} (on {os.cpu_count()} cores)")


if "--first-question" in sys.argv:
    first_question(int(os.environ.get("BENCH_ROUNDS", "3")))
    sys.exit()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

CITIES = ["上海", "武汉", "沈阳", "烟台", "广州", "重庆", "成都", "西安", "南京", "杭州", "苏州", "宁波"]
SUFFIX = re.compile(r"（.+执行细则）$")


def _vary(text: str, n: int) -> str:
    """Figures changed as a branch's own rules would change them."""
    return re.sub(r"\d+", lambda m: str(int(m.group(0)) + n % 7 * (1 if int(m.group(0)) < 100 else 50)), text)


def build(target: int) -> int:
    from plaza.assistant.models import Document, Kind, Passage

    originals = [(d, list(d.passages.all())) for d in Document.objects.all()]
    count = Passage.objects.count()
    n = 0
    while count < target:
        n += 1
        for document, passages in originals:
            if count >= target:
                break
            city = CITIES[n % len(CITIES)]
            copy = Document.objects.create(
                title=f"{document.title}（{city}第{n}分公司执行细则）",
                kind=Kind.MARKDOWN,
                checksum=f"bench-{n}-{document.pk}",
            )
            rows = [
                Passage(
                    document=copy,
                    heading=p.heading,
                    order=p.order,
                    text=f"本细则适用于{city}第{n}分公司。" + _vary(p.text, n),
                )
                for p in passages
            ]
            Passage.objects.bulk_create(rows[: target - count])
            count += len(rows[: target - count])
    return count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passages", type=int, default=5000)
    parser.add_argument("--questions", type=int, default=200)
    args = parser.parse_args()
    call_command("migrate", verbosity=0, skip_checks=True)

    from plaza.assistant import evaluation, index, services
    from plaza.assistant.demo import seed_demo_knowledge

    seed_demo_knowledge()
    demo = evaluation.evaluate()  # on the demo knowledge base alone
    held = evaluation.evaluate_holdout()
    started = time.perf_counter()
    total = build(args.passages)
    seeded = time.perf_counter() - started
    index.forget()
    started = time.perf_counter()
    big = index.current()
    built = time.perf_counter() - started
    started = time.perf_counter()
    index.forget()
    index.current()  # what a change of one 本单位规定 costs: the same sections, their analyses kept
    rebuilt = time.perf_counter() - started

    questions = evaluation.questions()
    asked = [questions[i % len(questions)] for i in range(args.questions)]
    latencies, top1, top3, sure = [], 0, 0, 0
    for row in asked:
        started = time.perf_counter()
        reply = services.respond(row["question"], use_llm=False)
        latencies.append((time.perf_counter() - started) * 1000)
        found = [(SUFFIX.sub("", h.entry.title), h.entry.heading) for h in reply.hits]
        expected = (row["title"], row["heading"])
        top1 += found[:1] == [expected]
        top3 += expected in found
        sure += reply.confident
    off_topic = evaluation.unanswerable() + evaluation.holdout()[1]
    wrongly = sum(services.respond(q, use_llm=False).confident for q in off_topic)
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux

    print(
        f"passages: {total} ({len(big.entries)} indexed), seeded in {seeded:.1f} s, index built in {built:.2f} s, "
        f"rebuilt (analyses kept) in {rebuilt:.2f} s"
    )
    print(
        f"questions: {len(asked)}; latency ms: p50 {statistics.median(latencies):.1f}, p95 {p95:.1f}, "
        f"max {latencies[-1]:.1f}"
    )
    print(f"peak memory (ru_maxrss): {peak:.0f} MB")
    for name, f in (("evaluation set", demo), ("held-out set", held)):
        print(
            f"{name} on the demo knowledge base ({f.total} questions): top-1 {f.rate(f.top1, f.total):.1f}%, "
            f"top-3 {f.rate(f.top3, f.total):.1f}%, answered confidently {f.rate(f.confident, f.total):.1f}%; "
            f"off-topic answered confidently {f.off_topic_confident}/{f.negatives}"
        )
    print(
        f"on {total} passages (a branch's variant counts as its original): top-1 {100 * top1 / len(asked):.1f}%, "
        f"top-3 {100 * top3 / len(asked):.1f}%, answered confidently {100 * sure / len(asked):.1f}%; "
        f"off-topic answered confidently {wrongly}/{len(off_topic)}"
    )


if __name__ == "__main__":
    main()
