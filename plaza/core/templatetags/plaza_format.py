"""Formatting filters for every page (issue 14 "nothing raw"): ``{% load plaza_format %}``.

``money``: an amount of money always with two decimals (299 → 299.00), so a column never shows "299" beside
"299.00"; empty stays a dash. Amounts of points are whole numbers and do not use it.

``step_name`` / ``stage_name``: a recruitment step (by number) or stage (by its rules name) in the reader's
language (``plaza.recruitment.labels``).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template

from plaza.lib import dates, rulewords
from plaza.recruitment import labels

register = template.Library()

CENT = Decimal("0.01")


@register.filter
def money(value: Any, empty: str = "—") -> str:
    """``{{ amount|money }}``: 299 → "299.00", Decimal("12.5") → "12.50", None or "" → "—" (or ``empty``)."""
    if value is None or value == "":
        return empty
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not amount.is_finite():
        return str(value)
    return f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):.2f}"


@register.filter
def step_name(number: Any) -> str:
    """``{{ step.number|step_name }}``: 7 → 确定发展对象 (Chinese) / "Determine development candidate" (English)."""
    try:
        return labels.step_name(int(number))
    except (TypeError, ValueError):
        return str(number)


@register.filter
def stage_name(stage: Any) -> str:
    """``{{ pipeline.stage|stage_name }}``: a stage as the rules name it, in the reader's language."""
    return labels.stage_name(str(stage))


@register.filter
def step_timing(number: Any) -> str:
    """``{{ step.number|step_timing }}``: the step's timing rule in the reader's language ("" when none)."""
    return labels.step_timing(int(number))


@register.filter
def step_note(number: Any) -> str:
    """``{{ step.number|step_note }}``: what else the rules ask of the step, in the reader's language."""
    return labels.step_note(int(number))


@register.filter
def step_source(number: Any) -> str:
    """``{{ step.number|step_source }}``: the step's source (《细则》第二十条) in the reader's language."""
    return labels.step_source(int(number))


@register.filter
def rule_source(citation: Any) -> str:
    """``{{ violation.rule|rule_source }}``: any rules citation in the reader's language."""
    return rulewords.source(str(citation))


@register.filter
def rule_message(message: Any) -> str:
    """``{{ warning|rule_message }}``: a recruitment rules message (kept as the rules wrote it, e.g. a record's
    warning) in the reader's language, its dates in the reader's format."""
    return labels.rule_message(str(message))


@register.filter
def dates_in_text(text: Any) -> str:
    """``{{ entry.object_repr|dates_in_text }}``: a stored text with its ISO days in the reader's date format."""
    return dates.in_text(str(text))
