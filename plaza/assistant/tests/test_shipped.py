"""The 常见问法 that ship with Plaza for its own published rules reach a deployment without the demo."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from plaza.assistant import published
from plaza.assistant.models import Example


def test_the_published_rules_examples_are_added_once_and_only_for_those_rules(db):
    assert not Example.objects.exists()
    out = StringIO()
    call_command("seed_assistant_examples", stdout=out)
    titles = {section.title for section in published.sections()}
    added = Example.objects.count()
    assert f"{added} example questions added" in out.getvalue() and added > 1000
    assert set(Example.objects.values_list("title", flat=True)) <= titles
    assert {"发展党员流程（二十五个步骤）", "党内法规摘要"} <= set(Example.objects.values_list("title", flat=True))
    assert not Example.objects.filter(off_topic=True).exists()  # what a deployment does not answer is its own
    call_command("seed_assistant_examples", stdout=out)
    assert Example.objects.count() == added
