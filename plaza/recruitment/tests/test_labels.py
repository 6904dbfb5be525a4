"""The steps' and stages' names in the reader's language stay the rules' names in Chinese (issue 14: English
for the 25 steps, which the pure rules cannot translate)."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from plaza.recruitment import labels
from plaza.rules.recruitment import STAGES, STEPS


def test_in_chinese_the_labels_are_the_rules_own_names():
    with translation.override("zh-hans"):
        assert {number: str(label) for number, label in labels.STEP_NAMES.items()} == {s.number: s.name for s in STEPS}
        assert [labels.stage_name(stage) for stage in STAGES] == list(STAGES)


def test_in_english_every_step_and_stage_has_an_english_name():
    with translation.override("en"):
        names = [labels.step_name(s.number) for s in STEPS] + [labels.stage_name(stage) for stage in STAGES]
    assert all(name.isascii() for name in names), [n for n in names if not n.isascii()]


def test_the_filters_render_a_step_and_a_stage():
    page = Template("{% load plaza_format %}{{ 7|step_name }} · {{ stage|stage_name }}")
    with translation.override("zh-hans"):
        assert page.render(Context({"stage": "发展对象"})) == "确定发展对象 · 发展对象"
    with translation.override("en"):
        assert "确定" not in page.render(Context({"stage": "发展对象"}))
