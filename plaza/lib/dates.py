"""Dates inside sentences, in the reader's language (issue 14): the Python side of ``plaza.lib.formats``.

A refusal or notice that names a day says ``day(d)`` — 2026年12月7日 in Chinese, 7 Dec 2026 in English — never
``d.isoformat()`` (which is for keys, query parameters and machine values). Each function formats in the active
language, so call it where the sentence is made (inside the request, or under ``translation.override``).

>>> from datetime import date
>>> from django.utils import translation
>>> with translation.override("zh-hans"):
...     day(date(2026, 12, 7)), month(date(2026, 12, 1)), month_day(date(2026, 12, 7))
('2026年12月7日', '2026年12月', '12月7日')
>>> with translation.override("en"):
...     day(date(2026, 12, 7))
'7 Dec 2026'
"""

from __future__ import annotations

import re
from datetime import date, datetime

from django.utils import formats, timezone


def _local(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def day(value: date | datetime) -> str:
    """2026年12月7日 / 7 Dec 2026."""
    return formats.date_format(_local(value), "DATE_FORMAT")


def moment(value: datetime) -> str:
    """2026年12月7日 14:30 / 7 Dec 2026 14:30 (local time)."""
    return formats.date_format(_local(value), "DATETIME_FORMAT")


def short_moment(value: datetime) -> str:
    """12月7日 14:30 / 7 Dec 14:30 (local time): for times close to now, where the year goes without saying."""
    return formats.date_format(_local(value), "SHORT_DATETIME_FORMAT")


def month(value: date | datetime) -> str:
    """2026年12月 / Dec 2026."""
    return formats.date_format(_local(value), "YEAR_MONTH_FORMAT")


def month_day(value: date | datetime) -> str:
    """12月7日 / 7 Dec."""
    return formats.date_format(_local(value), "MONTH_DAY_FORMAT")


_ISO_IN_TEXT = re.compile(r"(?<![\w-])(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::\d{2})?)?(?![\w-])")


def in_text(text: str) -> str:
    """A stored text (an audit entry's object as it was named then, a title) with its ISO days and times in the
    reader's format; everything else as it was.

    >>> from django.utils import translation
    >>> with translation.override("zh-hans"):
    ...     in_text("黄山职工疗休养 2026-12-21 · 介绍信 2026-000001 · 2026-12-07 14:30")
    '黄山职工疗休养 2026年12月21日 · 介绍信 2026-000001 · 2026年12月7日 14:30'
    """

    def say(match: re.Match[str]) -> str:
        year, month_, day_, hour, minute = (int(part) if part else None for part in match.groups())
        try:
            if hour is not None:
                return moment(datetime(year, month_, day_, hour, minute))  # type: ignore[arg-type]
            return day(date(year, month_, day_))  # type: ignore[arg-type]
        except ValueError:  # 2026-13-45 is not a day
            return match.group()

    return _ISO_IN_TEXT.sub(say, text)
