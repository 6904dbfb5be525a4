"""The demo knowledge base: the Markdown files in ``knowledge/`` (welfare policies of the union, Party
procedures), written for Plaza with concrete figures and steps. Imported by the system; re-running skips
the files that did not change."""

from __future__ import annotations

from pathlib import Path

from . import evaluation, services, shipped

KNOWLEDGE = Path(__file__).resolve().parent / "knowledge"


def demo_files() -> list[Path]:
    return sorted(KNOWLEDGE.glob("*.md"))


def seed_demo_knowledge() -> int:
    """Import (or update) the demo documents; returns how many documents were created or changed."""

    results = services.import_paths(None, demo_files())
    return sum(1 for r in results if not r.skipped)


def seed_demo_examples() -> int:
    """The demo's example questions (常见问法): the labelled questions of the sets already learned from
    (:data:`evaluation.LEARNED`), each for the section that answers it, as staff would have written down the ways
    employees asked, and the sixteen ways of asking written for every section (:func:`evaluation.written_examples`);
    the off-topic questions of the same sets and those written with them as off-topic examples
    (:attr:`Example.off_topic`). Re-running adds only what is missing; returns how many were added."""

    rows = shipped.learned_examples()
    rows |= {("", "", text[:500]) for name in evaluation.LEARNED for text in evaluation.off_topic(name)}
    rows |= {("", "", text[:500]) for text in evaluation.unanswerable()}
    return shipped.add_missing(rows)
