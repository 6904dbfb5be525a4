"""Template filters of 答题: a question's right answer as people read it."""

from __future__ import annotations

from django import template

from plaza.quiz.models import Kind, Question

register = template.Library()


@register.filter
def right_answer(question: Question) -> str:
    """B：545 for a choice, 正确/错误, or the accepted texts of a fill-in."""
    if question.kind == Kind.FILL:
        return " / ".join(question.answer)
    return "；".join(f"{chr(65 + i)}．{question.options[i]}" for i in question.answer if i < len(question.options))


@register.filter
def letter(index: int) -> str:
    return chr(65 + int(index))
