"""The pure rules' sentences in the reader's language (issue 14: no Chinese on an English page).

``plaza.rules`` is standard-library Python and speaks Chinese: a :class:`~plaza.rules.sources.Violation`'s message,
a step's timing, the citation ``《细则》第二十条``. The rules stay as they are; the display layer rewords them:

- :func:`source` gives a citation in the reader's language (``《党章》第七条；《细则》第三十二条`` →
  "Party Constitution Art. 7; Detailed Rules Art. 32"), piece by piece;
- :class:`Wordings` is an app's list of its rules' message shapes, each a pattern over the Chinese message with
  named parts and the gettext sentence to say instead; :meth:`Wordings.say` rewords a message, formatting the
  parts by their names: ``day…`` an ISO date and ``month…`` an ISO month (2026-12) in the reader's format
  (``plaza.lib.dates``), ``rule…`` a citation (:func:`source`), others through the converters given. A message
  no pattern fits is shown as it is.

In Chinese the reworded message is the rules' own sentence with the dates in Chinese format (2026年12月7日), so the
Chinese page loses nothing. ``plaza/recruitment/labels.py`` is the example.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import get_language, pgettext, pgettext_lazy

from plaza.lib import dates
from plaza.rules.sources import DANGFEI, DANGZHANG, JIAOYU, LOCAL, RENQI, XIZE, XUANJU, ZHIBU

#: The documents' short names as the rulebook writes them.
SOURCE_NAMES: dict[str, Promise] = {
    XIZE: pgettext_lazy("rule source", "《细则》"),
    DANGZHANG: pgettext_lazy("rule source", "《党章》"),
    XUANJU: pgettext_lazy("rule source", "《选举条例》"),
    RENQI: pgettext_lazy("rule source", "《任期意见》"),
    ZHIBU: pgettext_lazy("rule source", "《支部条例》"),
    DANGFEI: pgettext_lazy("rule source", "《党费规定》"),
    JIAOYU: pgettext_lazy("rule source", "《教育管理条例》"),
    LOCAL: pgettext_lazy("rule source", "本单位规定"),
}

_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_PIECE = re.compile(r"(?P<name>《[^》]+》|本单位规定)?(?:第(?P<article>[零一二两三四五六七八九十百]+)条)?")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def chinese_number(text: str) -> int:
    """第二十三条's 二十三 → 23 (up to 999).

    >>> [chinese_number(t) for t in ("七", "十", "十二", "二十", "三十二", "一百零五")]
    [7, 10, 12, 20, 32, 105]
    """
    total, current = 0, 0
    for char in text:
        if char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _DIGITS[char]
    return total + current


def source(citation: str) -> str:
    """A citation in the reader's language; in Chinese exactly as the rules wrote it. Pieces it does not know
    are left as they are."""
    pieces = []
    for piece in re.split(r"([；;、])", citation):
        if piece in ("；", ";", "、"):
            pieces.append(pgettext("rule source", "；") if piece == "；" else piece)
            continue
        match = _PIECE.fullmatch(piece.strip())
        if not match or not piece.strip():
            pieces.append(piece)
            continue
        name = match.group("name")
        words = str(SOURCE_NAMES.get(name, name)) if name else ""
        if match.group("article"):
            numeral = match.group("article")
            # Chinese keeps the rules' numerals (第二十条); another language numbers the article (Art. 20).
            article = numeral if (get_language() or "").startswith("zh") else str(chinese_number(numeral))
            cited = pgettext("rule source", "%(source)s第%(article)s条")
            words = (cited % {"source": words, "article": article}).strip()
        pieces.append(words)
    return "".join(pieces)


def _as_day(text: str) -> str:
    return dates.day(date.fromisoformat(text)) if _ISO_DAY.fullmatch(text) else text


def _as_month(text: str) -> str:
    if not _ISO_MONTH.fullmatch(text):
        return text
    return dates.month(date(int(text[:4]), int(text[5:7]), 1))


@dataclass(frozen=True)
class Wording:
    """One shape of a rules message: ``pattern`` (a regular expression over the whole Chinese message, with named
    groups) and ``text``, the gettext sentence with the same names as ``%(name)s`` placeholders."""

    pattern: re.Pattern[str]
    text: Promise
    convert: Mapping[str, Callable[[str], str]] = field(default_factory=dict)

    def parts(self, match: re.Match[str]) -> dict[str, str]:
        found = {}
        for name, value in match.groupdict().items():
            if name in self.convert:
                found[name] = self.convert[name](value)
            elif name.startswith("day"):
                found[name] = _as_day(value)
            elif name.startswith("month"):
                found[name] = _as_month(value)
            elif name.startswith("rule"):
                found[name] = source(value)
            else:
                found[name] = value
        return found


class Wordings:
    """An app's rules messages and how to say them: ``Wordings().add(pattern, text, **convert)``."""

    def __init__(self) -> None:
        self.shapes: list[Wording] = []

    def add(self, pattern: str, text: Promise, **convert: Callable[[str], str]) -> Wordings:
        self.shapes.append(Wording(re.compile(pattern), text, convert))
        return self

    def say(self, message: str) -> str:
        """``message`` in the reader's language (unchanged when no shape fits it)."""
        for shape in self.shapes:
            match = shape.pattern.fullmatch(message)
            if match:
                return str(shape.text) % shape.parts(match)
        return message
