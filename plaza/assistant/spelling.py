"""Input slips of the pinyin IME, corrected against the knowledge base's own words: 「公会」 for 工会, 「疗修养」 for
疗休养, 「申清」 for 申请, 「当费」 for 党费, 「陪产价」 for 陪产假 — a character that sounds the same or nearly so.

``lexicon/homophones.txt`` groups the common characters by reading (syllable and tone) in pinyin order
(written by ``scripts/build_homophones.py`` from the CLDR pinyin collation Debian ships); the characters of the
groups within :data:`WINDOW` lines of a character's own, in the same initial letter, are its near-homophones
(the other tones of its syllable and the neighbouring syllables: dāng 当 / dǎng 党, qīng 清 / qǐng 请).

A character is replaced only when a near-homophone in its place makes a word the knowledge base knows that is
longer than any word it is part of as written (:func:`correct`); the nearest such reading wins. A word is only
ever changed into one the knowledge base knows, never into a mere dictionary word.

Pure Python, no Django: the index passes its vocabulary in (:func:`correct`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

LEXICON = Path(__file__).resolve().parent / "lexicon"
#: How many reading groups either side of a character's own count as near (the tones of one syllable are
#: adjacent groups; two reach the other tones of most syllables).
WINDOW = 2
SPANS = (2, 3, 4)
#: How much more likely (natural log of the ratio of the best segmentations' probabilities) a correction must make
#: the question: about 150 times. On the older sets' questions the true slips gained 8 to 17 (申清 → 申请 9.5,
#: 疗修养 → 疗休养 12.5, 陪产价 → 陪产假 17) and the wrong readings of ordinary words at most 3.7 (想 → 项).
GAIN = 5.0


def _chinese(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


@cache
def _groups() -> tuple[tuple[int, int, str], ...]:
    """(section, line, characters) of each reading group, in file order."""
    found = []
    section = 0
    for n, line in enumerate((LEXICON / "homophones.txt").read_text(encoding="utf-8").splitlines()):
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            section += 1
            continue
        found.append((section, n, line))
    return tuple(found)


@cache
def _position() -> dict[str, int]:
    """Character → the index of its (first) group in :func:`_groups`."""
    found: dict[str, int] = {}
    for i, (_section, _line, chars) in enumerate(_groups()):
        for char in chars:
            found.setdefault(char, i)
    return found


@cache
def near(char: str) -> tuple[str, ...]:
    """The near-homophones of a character, the same reading first, then by distance; () for one not listed."""
    i = _position().get(char)
    if i is None:
        return ()
    groups = _groups()
    section = groups[i][0]
    found: list[str] = []
    for distance in range(WINDOW + 1):
        for j in {i - distance, i + distance}:
            if 0 <= j < len(groups) and groups[j][0] == section:
                found += [c for c in groups[j][2] if c != char and c not in found]
    return tuple(found)


def _spans(chars: list[str], i: int) -> list[tuple[int, int]]:
    """The (start, end) of every run of two to four Chinese characters containing position ``i``."""
    found = []
    for size in SPANS:
        for start in range(i - size + 1, i + 1):
            end = start + size
            if start >= 0 and end <= len(chars) and all(_chinese(c) for c in chars[start:end]):
                found.append((start, end))
    return found


def correct(
    text: str,
    known: Callable[[str], bool],
    word: Callable[[str], bool] | None = None,
    likelihood: Callable[[str], float] | None = None,
) -> str:
    """The text with each slip replaced (see the module's docstring). ``known(w)`` tells whether the knowledge
    base knows a word (what a slip is corrected into), ``word(w)`` whether a word is Chinese at all (the
    segmenter's dictionary; defaults to ``known``).

    A character is replaced when a near-homophone in its place makes a word of the knowledge base *longer* than
    any word (of the knowledge base or the dictionary) it is part of as written: 「疗修养」 becomes 疗休养 (three
    characters against 修养's two), 「申清」 becomes 申请 (申清 is no word); 「每个」「几点」「一直」 stay (words of the
    dictionary as long as 每隔, 级点 or 一至 would be). With ``likelihood`` (the log-probability of a text's best
    segmentation, :func:`plaza.assistant.text.likelihood`), the corrected text must also be :data:`GAIN` more
    likely than the text as written: 「选完了」 does not become 选晚了, nor 「是一次」 十一次, because the words as
    written read as well or better."""
    word = word or known
    chars = list(text)
    for i, char in enumerate(chars):
        if not _chinese(char):
            continue
        spans = _spans(chars, i)
        if not spans:
            continue
        longest = max((b - a for a, b in spans if word("".join(chars[a:b]))), default=0)
        longer = [(a, b) for a, b in spans if b - a > longest]
        for candidate in near(char) if longer else ():
            if any(known("".join(chars[a:i]) + candidate + "".join(chars[i + 1 : b])) for a, b in longer):
                trial = [*chars[:i], candidate, *chars[i + 1 :]]
                if likelihood is None or likelihood("".join(trial)) - likelihood("".join(chars)) >= GAIN:
                    chars[i] = candidate
                    break
    return "".join(chars)
