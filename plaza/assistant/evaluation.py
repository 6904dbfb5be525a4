"""The evaluation of retrieval on ``knowledge/eval.json`` (questions as employees ask them, each with the
document and heading that answers it) and ``knowledge/unanswerable.json`` (questions the knowledge base does
not cover, which should not be answered confidently)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from . import index, services

KNOWLEDGE = Path(__file__).resolve().parent / "knowledge"


def questions() -> list[dict[str, str]]:
    return json.loads((KNOWLEDGE / "eval.json").read_text(encoding="utf-8"))


def unanswerable() -> list[str]:
    return json.loads((KNOWLEDGE / "unanswerable.json").read_text(encoding="utf-8"))


@dataclass
class Figures:
    total: int = 0
    top1: int = 0
    top3: int = 0
    confident: int = 0  # answerable questions answered confidently
    negatives: int = 0
    refused: int = 0  # unanswerable questions not answered confidently
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # question, expected, got
    right_scores: list[float] = field(default_factory=list)
    negative_scores: list[float] = field(default_factory=list)

    def rate(self, n: int, of: int) -> float:
        return 100.0 * n / of if of else 0.0


def evaluate() -> Figures:
    figures = Figures()
    idx = index.current()
    for row in questions():
        hits = idx.search(row["question"], limit=3)
        found = [(h.entry.title, h.entry.heading) for h in hits]
        expected = (row["title"], row["heading"])
        figures.total += 1
        if found[:1] == [expected]:
            figures.top1 += 1
            figures.right_scores.append(hits[0].score)
        else:
            got = " / ".join(found[0]) if found else "—"
            figures.misses.append((row["question"], " / ".join(expected), got))
        if expected in found:
            figures.top3 += 1
        if hits and hits[0].score >= services.threshold():
            figures.confident += 1
    for text in unanswerable():
        hits = idx.search(text, limit=1)
        figures.negatives += 1
        score = hits[0].score if hits else 0.0
        figures.negative_scores.append(score)
        if score < services.threshold():
            figures.refused += 1
    return figures
