"""What the in-process scheduler prints after each daily pass: counts in words, never an object's repr."""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass, field

from plaza.core.scheduler import summary


@dataclass
class _Sweep:
    birthdays: int = 3
    due_reviews: int = 0
    people: list[int] = field(default_factory=lambda: [1, 2])


def test_a_dataclass_result_is_its_counts_in_words():
    assert summary(_Sweep()) == "3 birthdays, 0 due reviews, 2 people"


def test_other_results():
    assert summary(None) == "done"
    assert summary(7) == "7"
    assert summary([2027]) == "2027" and summary([]) == "none"
    assert summary({"sent": 2, "failed": 0}) == "2 sent, 0 failed"
    assert summary(namedtuple("Counts", "reminded closed")(4, 1)) == "4 reminded, 1 closed"
