"""The union's daily pass: 生日慰问 cases for the month's birthdays and to-dos for hardship files whose yearly
review is due (within 30 days or overdue). Set-based and idempotent: run twice, nothing is doubled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from . import services


@dataclass
class SweepResult:
    birthdays: int
    reviews: int

    def __str__(self) -> str:
        return f"union: {self.birthdays} birthday cases, {self.reviews} review to-dos"


def union_sweep(today: date) -> SweepResult:
    with transaction.atomic():
        birthdays = services.birthday_cases(today)
        reviews = services.review_tasks(today)
    return SweepResult(birthdays, reviews)
