"""Reading query parameters (``?page=…&year=…&org=…``) the one way every page does.

Anything a person can type into the address bar reaches these functions: Unicode digits (``²``, ``١``),
numbers larger than any database column (``99999999999999999999``), impossible dates (``2026-02-30``,
``0001-01-01``). Python's ``str.isdigit`` and ``int`` accept some of these and crash on others, so pages
never parse a parameter themselves. Each function here accepts only ASCII digits, checks the range, and
returns the default when the value is missing or wrong; when it was wrong (not merely missing) the person is
told the filter was ignored, so a typo never silently shows something else and never answers 500.

:func:`require_int` is for the few pages where a wrong value cannot be ignored: it answers 400 with the
reason (:class:`BadParameter` is turned into that answer by :class:`plaza.core.middleware.HostileInputMiddleware`).

Path parameters (``<int:pk>``) are bounded by the same middleware: a value beyond :data:`MAX_ID` is a 404
before the view runs, because the databases cannot even compare it (SQLite: "Python int too large",
PostgreSQL: "out of range").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, TypeVar

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

#: The largest id any table holds or any URL may name: 64-bit signed columns end at 2**63 - 1; staying a
#: little below keeps arithmetic on ids (``pk + 1``) inside the column too.
MAX_ID = 2**62
#: Years a page may be asked about: the records Plaza keeps start after 1900 and plans end before 2100.
MIN_YEAR, MAX_YEAR = 1900, 2100
#: The dates a filter may name (anything else is a typo, and 0001-01-01 minus a day does not exist).
MIN_DATE, MAX_DATE = date(MIN_YEAR, 1, 1), date(MAX_YEAR, 12, 31)

_INT = re.compile(r"[+-]?[0-9]{1,19}")  # ASCII only: re's \d and str.isdigit also match ², ١ and friends
_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})")

T = TypeVar("T")


class BadParameter(ValueError):
    """A query parameter a page cannot do without was wrong; answered as 400 with this message."""


def _raw(source: HttpRequest | Mapping[str, Any], name: str) -> str:
    data = source.GET if isinstance(source, HttpRequest) else source
    value = data.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def _ignored(source: HttpRequest | Mapping[str, Any], name: str, raw: str) -> None:
    """Tell the person a parameter was not understood (pages only: an API answers 422 by its schema)."""
    if isinstance(source, HttpRequest) and hasattr(source, "_messages"):
        shown = raw if len(raw) <= 24 else raw[:24] + "…"
        messages.warning(source, _("无法识别的参数 %(name)s=%(value)s，已忽略。") % {"name": name, "value": shown})


def parse_int(raw: str | None, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """``raw`` as an int in [minimum, maximum] if it is one written in ASCII digits; None otherwise."""
    text = (raw or "").strip()
    if not _INT.fullmatch(text):
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None


def parse_date(raw: str | None, *, minimum: date = MIN_DATE, maximum: date = MAX_DATE) -> date | None:
    """``YYYY-MM-DD`` as a date in [minimum, maximum]; None for anything else (2026-02-30, 2026-13-45)."""
    match = _DATE.fullmatch((raw or "").strip())
    if not match:
        return None
    try:
        value = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    return value if minimum <= value <= maximum else None


def parse_month(raw: str | None, *, minimum: date = MIN_DATE, maximum: date = MAX_DATE) -> date | None:
    """``YYYY-MM`` as the first day of that month, within the bounds; None otherwise."""
    match = _MONTH.fullmatch((raw or "").strip())
    if not match or not 1 <= int(match[2]) <= 12:
        return None
    value = date(int(match[1]), int(match[2]), 1)
    return value if minimum <= value <= maximum else None


def int_param(
    source: HttpRequest | Mapping[str, Any],
    name: str,
    default: T = None,
    *,
    minimum: int = 1,
    maximum: int = MAX_ID,
) -> int | T:
    """The parameter as an int in range (ids by default: 1 … MAX_ID), else ``default`` (and a notice)."""
    raw = _raw(source, name)
    if not raw:
        return default
    value = parse_int(raw, minimum=minimum, maximum=maximum)
    if value is None:
        _ignored(source, name, raw)
        return default
    return value


def int_list(
    source: HttpRequest | Mapping[str, Any], name: str, *, minimum: int = 1, maximum: int = MAX_ID
) -> list[int]:
    """Every value of a repeated parameter (``?id=1&id=2``, checkboxes) that is an int in range; others are
    dropped."""
    data = source.GET if isinstance(source, HttpRequest) else source
    values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name, "")]
    parsed = (parse_int(value, minimum=minimum, maximum=maximum) for value in values if isinstance(value, str))
    return [value for value in parsed if value is not None]


def year_param(source: HttpRequest | Mapping[str, Any], name: str = "year", default: T = None) -> int | T:
    """A year between MIN_YEAR and MAX_YEAR, else ``default``."""
    return int_param(source, name, default, minimum=MIN_YEAR, maximum=MAX_YEAR)


def date_param(
    source: HttpRequest | Mapping[str, Any],
    name: str,
    default: T = None,
    *,
    minimum: date = MIN_DATE,
    maximum: date = MAX_DATE,
) -> date | T:
    """The parameter as a real date (``YYYY-MM-DD``) in range, else ``default``."""
    raw = _raw(source, name)
    if not raw:
        return default
    value = parse_date(raw, minimum=minimum, maximum=maximum)
    if value is None:
        _ignored(source, name, raw)
        return default
    return value


def month_param(source: HttpRequest | Mapping[str, Any], name: str = "month", default: T = None) -> date | T:
    """The parameter as a month (``YYYY-MM``, its first day), else ``default``."""
    raw = _raw(source, name)
    if not raw:
        return default
    value = parse_month(raw)
    if value is None:
        _ignored(source, name, raw)
        return default
    return value


def choice_param(source: HttpRequest | Mapping[str, Any], name: str, choices: Iterable[str], default: str = "") -> str:
    """The parameter if it is one of ``choices`` (values, not labels), else ``default``."""
    raw = _raw(source, name)
    if not raw:
        return default
    if raw in set(choices):
        return raw
    _ignored(source, name, raw)
    return default


def text_param(source: HttpRequest | Mapping[str, Any], name: str, max_length: int = 64) -> str:
    """Free text for a search box, stripped and cut to ``max_length`` (NUL characters removed: PostgreSQL
    refuses them in text)."""
    return _raw(source, name).replace("\x00", "")[:max_length]


def require_int(source: HttpRequest | Mapping[str, Any], name: str, *, minimum: int = 1, maximum: int = MAX_ID) -> int:
    """The parameter as an int in range; :class:`BadParameter` (a 400 with the reason) otherwise."""
    value = parse_int(_raw(source, name), minimum=minimum, maximum=maximum)
    if value is None:
        raise BadParameter(
            _("参数 %(name)s 应为 %(min)s 到 %(max)s 之间的整数。") % {"name": name, "min": minimum, "max": maximum}
        )
    return value


__all__ = [
    "MAX_DATE",
    "MAX_ID",
    "MAX_YEAR",
    "MIN_DATE",
    "MIN_YEAR",
    "BadParameter",
    "choice_param",
    "date_param",
    "int_list",
    "int_param",
    "month_param",
    "parse_date",
    "parse_int",
    "parse_month",
    "require_int",
    "text_param",
    "year_param",
]
