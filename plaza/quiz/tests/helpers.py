"""Factories for 答题 tests: questions of an organisation, contests, a controllable server clock."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from plaza.quiz import services
from plaza.quiz.models import Contest, Kind, Question, Tag

T0 = timezone.make_aware(datetime(2026, 3, 3, 10, 0, 0))


def make_question(
    org: Any,
    n: int = 1,
    *,
    kind: str = Kind.SINGLE,
    tags: tuple[str, ...] = ("锐歌",),
    difficulty: int = 2,
    **extra: Any,
) -> Question:
    options = extra.pop("options", ["甲", "乙", "丙", "丁"] if kind in (Kind.SINGLE, Kind.MULTIPLE) else [])
    if kind == Kind.TRUE_FALSE:
        options = ["正确", "错误"]
    answer = extra.pop(
        "answer", {Kind.SINGLE: [1], Kind.MULTIPLE: [0, 2], Kind.TRUE_FALSE: [0], Kind.FILL: ["545"]}[kind]
    )
    question = Question.objects.create(
        kind=kind,
        text=extra.pop("text", f"第{n}题：别克E5的续航里程是多少？"),
        options=options,
        answer=answer,
        explanation="别克E5长续航版NEDC续航545公里。",
        source="别克E5产品手册",
        difficulty=difficulty,
        organisation=org,
        **extra,
    )
    question.tags.set([Tag.objects.get_or_create(name=t)[0] for t in tags])
    return question


def bank(org: Any, count: int, **kwargs: Any) -> list[Question]:
    return [make_question(org, n, **kwargs) for n in range(1, count + 1)]


OPTION = re.compile(r'name="choice" value="(\d+)"> <span>([^<]*)</span>')


def shown_options(html: str) -> list[tuple[str, str]]:
    """(value posted, text) of the options of the question on a page, in the order the page shows them."""
    return OPTION.findall(html)


def value_of(html: str, text: str) -> str:
    """What the page's form posts for the option reading ``text`` (its position as shown)."""
    return next(value for value, shown in shown_options(html) if shown == text)


class Clock:
    """The server clock as a test sets it: ``clock.at(seconds)`` moves it to T0 + seconds."""

    def __init__(self, monkeypatch: Any) -> None:
        from plaza.lib import clock

        self.current = T0
        monkeypatch.setattr(clock, "now", lambda: self.current)
        monkeypatch.setattr(clock, "today", lambda: self.current.date())

    def at(self, seconds: float) -> datetime:
        self.current = T0 + timedelta(seconds=seconds)
        return self.current


def make_contest(world: Any, questions: list[Question] | None = None, **overrides: Any) -> Contest:
    data = dict(
        title="锐歌、E5产品知识竞赛",
        mode="individual",
        organisation=world.committee,
        organisations=[world.committee],
        opens_at=T0 - timedelta(days=1),
        closes_at=T0 + timedelta(days=7),
        draw="fixed" if questions else "random",
        question_ids=[q.pk for q in questions or []],
        seconds=20,
    )
    data.update(overrides)
    contest = services.create_contest(world.staff, services.ContestData(**data))
    if contest.mode == "team":
        services.form_teams(world.staff, contest)
    if contest.mode != "live":
        services.open_contest(world.staff, contest)
    return contest
