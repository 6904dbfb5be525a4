"""Posting rate limits: at most N writes of one kind by one person within a window (sliding, counted from the
person's own rows), refused with the time at which one may write again.

A limit is written ``"N/window"``, several separated by commas: ``"5/10m,30/1d"`` is five in any ten minutes and
thirty in any day (units ``s``, ``m``, ``h``, ``d``; an empty text or ``"0/…"`` switches the limit off). The app
asks its own rows for the times of the person's latest writes (``times``, newest first, at most the largest N)
and :func:`next_allowed` says when the next one fits.

The window is real elapsed time (the rows' ``created_at``), not a procedure's day, so it is measured against
`plaza.lib.clock.real_now` even when ``PLAZA_TODAY`` fixes the date for a demo.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plaza.lib import clock

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*")


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @property
    def window(self) -> timedelta:
        return timedelta(seconds=self.seconds)

    def describe(self) -> str:
        """The window in words: "10 分钟", "1 小时", "1 天"."""
        seconds = self.seconds
        if seconds % 86400 == 0:
            return ngettext("%(n)d 天", "%(n)d 天", seconds // 86400) % {"n": seconds // 86400}
        if seconds % 3600 == 0:
            return ngettext("%(n)d 小时", "%(n)d 小时", seconds // 3600) % {"n": seconds // 3600}
        if seconds % 60 == 0:
            return ngettext("%(n)d 分钟", "%(n)d 分钟", seconds // 60) % {"n": seconds // 60}
        return ngettext("%(n)d 秒", "%(n)d 秒", seconds) % {"n": seconds}


def parse(text: str) -> tuple[Rate, ...]:
    """``"5/10m,30/1d"`` → the rates (those with a count of 0 dropped). A malformed text is a configuration
    error, raised when the setting is first read, never a silent "no limit".

    >>> parse("5/10m, 30/1d")
    (Rate(count=5, seconds=600), Rate(count=30, seconds=86400))
    >>> parse("")
    ()
    """
    rates = []
    for part in (text or "").split(","):
        if not part.strip():
            continue
        found = _RATE.fullmatch(part)
        if found is None:
            raise ImproperlyConfigured(f"rate limit {part.strip()!r}: expected N/window such as 5/10m or 30/1d")
        count, amount, unit = int(found[1]), int(found[2] or 1), found[3]
        if count and amount:
            rates.append(Rate(count, amount * _UNITS[unit]))
    return tuple(rates)


def needed(rates: Sequence[Rate]) -> int:
    """How many of the latest writes the check needs to see."""
    return max((r.count for r in rates), default=0)


def next_allowed(rates: Sequence[Rate], times: Sequence[datetime], now: datetime) -> tuple[Rate, datetime] | None:
    """The rate that is full and when the next write fits under every rate, or None when one may write now.
    ``times`` are the person's latest writes, newest first (at least :func:`needed` of them when there are)."""
    worst: tuple[Rate, datetime] | None = None
    for rate in rates:
        if len(times) < rate.count:
            continue
        oldest_counted = times[rate.count - 1]
        free_at = oldest_counted + rate.window
        if free_at > now and (worst is None or free_at > worst[1]):
            worst = (rate, free_at)
    return worst


def refuse_if_limited(rates: Sequence[Rate], times: Sequence[datetime], what: str) -> None:
    """Raise the Chinese refusal ("发帖太频繁：10 分钟内最多 5 次，请在 14:32 之后再试（约 3 分钟后）。") when a
    limit is full. ``what`` names the act: 发帖, 评论, 提交反映."""
    now = clock.real_now()  # real elapsed time: see the module's docstring
    found = next_allowed(rates, times, now)
    if found is None:
        return
    rate, free_at = found
    local = timezone.localtime(free_at + timedelta(seconds=59)).replace(second=0, microsecond=0)  # never too early
    at = f"{local:%H:%M}"
    if local.date() != timezone.localtime(now).date():
        at = _("%(month)d月%(day)d日 %(time)s") % {"month": local.month, "day": local.day, "time": at}
    minutes = max(1, math.ceil((free_at - now).total_seconds() / 60))
    raise ValidationError(
        _("%(what)s太频繁：%(window)s内最多 %(n)d 次。请在 %(at)s 之后再试（约 %(minutes)d 分钟后）。")
        % {"what": what, "window": rate.describe(), "n": rate.count, "at": at, "minutes": minutes},
        code="rate_limited",
    )
