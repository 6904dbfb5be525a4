"""Template filters of 答题: a question's right answer as people read it."""

from __future__ import annotations

from collections.abc import Sequence

from django import template

from plaza.quiz.models import Kind, Question

register = template.Library()


@register.filter
def right_answer(question: Question, order: Sequence[int] | None = None) -> str:
    """B．545 for a choice, 正确/错误, or the accepted texts of a fill-in. ``order``: the option order the person
    was shown (position shown → the bank's index), so the letter is the place they saw the option in; the
    bank's order without it."""
    if question.kind == Kind.FILL:
        return " / ".join(question.answer)
    shown = list(order) if order else list(range(len(question.options)))
    places = sorted(shown.index(i) for i in question.answer if i in shown and i < len(question.options))
    return "；".join(f"{chr(65 + p)}．{question.options[shown[p]]}" for p in places)


@register.filter
def letter(index: int) -> str:
    return chr(65 + int(index))
