"""党群小智's fitted ranking (``plaza/assistant/rerank.py``): fits the model on the older labelled sets, checks that
it generalises by leave-one-set-out cross-validation, and prints the weights to write into ``rerank.WEIGHTS``.

    .venv/bin/python benchmarks/bench_assistant_ranker.py [--l2 0.01 0.03 0.1 0.3]

For each held-out set: top-1 with the hand-set order, and with the model fitted on the *other* sets only. Each
set is measured against the example questions (常见问法) of the other sets only (``Index.without_examples``): the
demo's examples are these sets' questions and the written ones (``knowledge/examples.json``). The held-out colloquial
set (the newest, not in ``evaluation.LEARNED``) is never read here. Also fits the model without the two example
measurements (``rerank.PLAIN_WEIGHTS``), for questions whose candidate sections have no examples.

Uses an in-memory SQLite database unless PLAZA_DATABASE_URL is set (then its knowledge base as it is).
Prints figures only (never asserts).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plaza.settings.test")
os.environ.setdefault("PLAZA_DATABASE_URL", "sqlite://:memory:")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from plaza.assistant import evaluation, index, rerank  # noqa: E402
from plaza.assistant.demo import seed_demo_examples, seed_demo_knowledge  # noqa: E402

#: The labelled sets the model may learn from (the held-out colloquial set is not among them).
SETS = evaluation.LEARNED
EXAMPLE_FEATURES = ("example", "example_vote")
assert rerank.FEATURES[-len(EXAMPLE_FEATURES) :] == EXAMPLE_FEATURES


def rows(name: str) -> list[tuple[list[tuple[float, ...]], list[bool]]]:
    asked = evaluation.labelled(name)
    own = [*(row["question"] for row in asked), *evaluation.off_topic(name)]
    idx = index.current().without_examples(own)  # a set never finds itself
    found = []
    for row in asked:
        right = {(row["title"], row["heading"]), *(tuple(pair) for pair in row.get("also", ()))}
        pool = [(h, f) for h, f in idx.candidates(row["question"]) if f]
        found.append(([f for _h, f in pool], [(h.entry.title, h.entry.heading) in right for h, _f in pool]))
    return found


def _plain(features: tuple[float, ...]) -> tuple[float, ...]:
    """A candidate's measurements with those read from example questions (the last two) set to nothing."""
    return (*features[: -len(EXAMPLE_FEATURES)], *(0.0 for _ in EXAMPLE_FEATURES))


def top1(data: list[tuple[list[tuple[float, ...]], list[bool]]], weights: list[float] | None) -> int:
    n = 0
    for features, right in data:
        if not features:
            continue
        if weights is None:
            n += right[0]
        else:
            z = [rerank.logit(f, weights) for f in features]
            n += right[z.index(max(z))]
    return n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--l2", type=float, nargs="*", default=[0.003, 0.01, 0.03, 0.1])
    args = parser.parse_args()
    if os.environ["PLAZA_DATABASE_URL"] == "sqlite://:memory:":
        call_command("migrate", verbosity=0, skip_checks=True)
        seed_demo_knowledge()
        seed_demo_examples()
    data = {name: rows(name) for name in SETS}
    size = {name: len(d) for name, d in data.items()}
    print("leave-one-set-out top-1 (hand-set order → model fitted on the other sets)")
    best = None
    for l2 in args.l2:
        gained = 0
        line = []
        for name in SETS:
            train = [q for other, d in data.items() if other != name for q in d]
            weights = rerank.fit(train, l2=l2)
            before, after = top1(data[name], None), top1(data[name], weights)
            gained += after - before
            line.append(f"{name.removesuffix('.json')} {before}→{after}/{size[name]}")
        print(f"  l2 {l2}: " + ", ".join(line) + f"; total {gained:+d}")
        if best is None or gained > best[0]:
            best = (gained, l2)
    assert best is not None
    weights = rerank.fit([q for d in data.values() for q in d], l2=best[1])
    print(f"fitted on all {sum(size.values())} questions with l2 {best[1]}:")
    print(
        "WEIGHTS = (\n    "
        + ",\n    ".join(f"{w:.3f},  # {n}" for n, w in zip(rerank.FEATURES, weights, strict=True))
        + "\n)"
    )
    for name, w in zip(rerank.FEATURES, weights, strict=True):
        print(f"  {name:15} {w:+.3f}")
    # the order where a candidate section has no example question (a knowledge base without examples, or a document
    # just imported): the same model fitted with the two example measurements left out (rerank.PLAIN_WEIGHTS)
    plain = {name: [([_plain(f) for f in features], right) for features, right in d] for name, d in data.items()}
    line, total = [], 0
    for name in SETS:
        weights_out = rerank.fit([q for other, d in plain.items() if other != name for q in d], l2=best[1])
        right = top1(plain[name], weights_out)
        total += right
        line.append(f"{name.removesuffix('.json')} {right}/{size[name]}")
    print(f"without the example measurements, leave-one-set-out top-1 {total}: " + ", ".join(line))
    weights = rerank.fit([q for d in plain.values() for q in d], l2=best[1])
    print(
        "PLAIN_WEIGHTS = (\n    "
        + ",\n    ".join(f"{w:.3f},  # {n}" for n, w in zip(rerank.FEATURES, weights, strict=True))
        + "\n)"
    )
    fitted = (f"{n.removesuffix('.json')} {top1(d, weights)}/{size[n]}" for n, d in data.items())
    print("in-sample top-1: " + ", ".join(fitted))


if __name__ == "__main__":
    main()
