"""Small builders for the learning tests."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from unittest.mock import patch

from django.utils import timezone

from plaza.learning import services
from plaza.learning.models import Article


def article(
    world: Any, title: str = "学习党章", body: str = "认真学习党章，严格遵守党章。", *, to: Any = (), **extra: Any
) -> Article:
    data = {
        "title": title,
        "summary": "",
        "body": body,
        "topics": "",
        "pinned": False,
        "publish_at": timezone.now() - timedelta(minutes=1),
        "required": False,
        "due_on": None,
        "organisations": list(to),
        **extra,
    }
    return services.save_article(world.staff, None, data)


def read(person: Any, found: Article, seconds: int, progress: float = 1.0) -> services.ReadingOutcome:
    """Open the reading page and report the end ``seconds`` later (time frozen both times, at 10:00 today: a run
    near midnight must not put the start and the end, or two readings, on different days of the daily cap)."""
    start = timezone.make_aware(datetime.combine(timezone.localdate(), time(10)))
    with patch("django.utils.timezone.now", return_value=start):
        session = services.start_reading(person, found)
    with patch("django.utils.timezone.now", return_value=start + timedelta(seconds=seconds)):
        return services.finish_reading(person, found, session.pk, progress)
