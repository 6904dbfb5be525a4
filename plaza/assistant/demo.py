"""The demo knowledge base: the Markdown files in ``knowledge/`` (welfare policies of the union, Party
procedures), written for Plaza with concrete figures and steps. Imported by the system; re-running skips
the files that did not change."""

from __future__ import annotations

from pathlib import Path

from . import services

KNOWLEDGE = Path(__file__).resolve().parent / "knowledge"


def demo_files() -> list[Path]:
    return sorted(KNOWLEDGE.glob("*.md"))


def seed_demo_knowledge() -> int:
    """Import (or update) the demo documents; returns how many documents were created or changed."""

    results = services.import_paths(None, demo_files())
    return sum(1 for r in results if not r.skipped)
