"""What ships with Plaza for 党群小智 in every deployment, not only in the demo: the ways of asking for Plaza's own
published rules. Kept apart from :mod:`plaza.assistant.services` because it reads the labelled sets of
:mod:`plaza.assistant.evaluation`, which itself asks through the services."""

from __future__ import annotations

from . import evaluation, published
from .models import Example, ExampleSource


def learned_examples() -> set[tuple[str, str, str]]:
    """Every way of asking for a section that ships with Plaza, as (title, heading, text): the labelled questions of
    the sets already learned from (:data:`evaluation.LEARNED`), each for the section that answers it, and the
    written examples (:func:`evaluation.written_examples`; their off-topic ones have no title)."""
    return {
        (row["title"], row["heading"], row["question"][:500])
        for name in evaluation.LEARNED
        for row in evaluation.labelled(name)
    } | {(title, heading, text[:500]) for title, heading, text in evaluation.written_examples()}


def add_missing(rows: set[tuple[str, str, str]]) -> int:
    """Store the (title, heading, text) rows not stored yet as staff-written 常见问法 (one with no title is an
    off-topic example); returns how many were added."""
    have = set(Example.objects.values_list("title", "heading", "text"))
    new = [
        Example(title=title, heading=heading, text=text, off_topic=not title, source=ExampleSource.CURATED)
        for title, heading, text in sorted(rows - have)
    ]
    Example.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def seed_published_examples() -> int:
    """The ways of asking for Plaza's own published rules (党内法规摘要, 发展党员流程's 25 steps, 本单位规定) that ship
    with Plaza, as 常见问法: those of :func:`learned_examples` whose section is one of those rules. Every deployment
    publishes these sections, so their examples hold everywhere (the demo documents' examples do not: a deployment
    imports its own). Off-topic examples are left out: what a deployment's knowledge base does not answer depends
    on what it imported. Adds only what is missing (run once after installing: ``manage.py
    seed_assistant_examples``; run again, it also puts back any that staff removed); returns how many were added."""
    titles = {section.title for section in published.sections()}
    return add_missing({row for row in learned_examples() if row[0] in titles})
