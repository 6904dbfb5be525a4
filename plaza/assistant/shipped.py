"""What ships with Plaza for 党群小智 in every deployment, not only in the demo: the ways of asking for Plaza's own
published rules. Kept apart from :mod:`plaza.assistant.services` because it reads the labelled sets of
:mod:`plaza.assistant.evaluation`, which itself asks through the services."""

from __future__ import annotations

from . import evaluation, published
from .models import Example, ExampleSource


def seed_published_examples() -> int:
    """The ways of asking for Plaza's own published rules (党内法规摘要, 发展党员流程's 25 steps, 本单位规定) that ship
    with Plaza, as 常见问法: the labelled questions of the sets already learned from and the written examples whose
    section is one of those rules. Every deployment publishes these sections, so their examples hold everywhere
    (the demo documents' examples do not: a deployment imports its own). Off-topic examples are left out: what a
    deployment's knowledge base does not answer depends on what it imported. Adds only what is missing (run once
    after installing: ``manage.py seed_assistant_examples``; run again, it also puts back any that staff removed);
    returns how many were added."""
    titles = {section.title for section in published.sections()}
    rows = {
        (row["title"], row["heading"], row["question"][:500])
        for name in evaluation.LEARNED
        for row in evaluation.labelled(name)
        if row["title"] in titles
    } | {(title, heading, text[:500]) for title, heading, text in evaluation.written_examples() if title in titles}
    have = set(Example.objects.values_list("title", "heading", "text"))
    new = [
        Example(title=title, heading=heading, text=text, source=ExampleSource.CURATED)
        for title, heading, text in sorted(rows - have)
    ]
    Example.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)
