"""Every "today" and "now" goes through plaza.lib.clock, so PLAZA_TODAY reaches all of them."""

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from django.utils import timezone

import plaza
from plaza.lib import clock

BYPASSES = re.compile(r"\b(date\.today\(\)|timezone\.now\(\)|timezone\.localdate\(\)|datetime\.now\()")


def test_no_code_reads_the_date_or_time_around_the_clock():
    root = Path(plaza.__file__).parent
    found = []
    for path in root.rglob("*.py"):
        parts = set(path.relative_to(root).parts)
        if {"migrations", "tests"} & parts or path == root / "lib" / "clock.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if BYPASSES.search(line):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert not found, "use plaza.lib.clock.today() / now():\n" + "\n".join(found)


def test_without_a_fixed_day_the_clock_is_the_real_one(settings):
    settings.PLAZA_TODAY = ""
    assert clock.today() == timezone.localdate()
    assert abs((clock.now() - timezone.now()).total_seconds()) < 5


def test_a_fixed_day_keeps_the_time_of_day(settings):
    settings.PLAZA_TODAY = "2025-03-15"
    now = clock.now()
    assert clock.today() == date(2025, 3, 15) == timezone.localtime(now).date()
    assert timezone.is_aware(now)
    real = timezone.localtime(timezone.now())
    assert (
        abs(
            (
                datetime.combine(date.min, timezone.localtime(now).time()) - datetime.combine(date.min, real.time())
            ).total_seconds()
        )
        < 5
    )
    settings.PLAZA_TODAY = date(2024, 2, 29)
    assert clock.today() == date(2024, 2, 29) == timezone.localtime(clock.now()).date()
    settings.PLAZA_TODAY = "tomorrow"
    with pytest.raises(ValueError, match="PLAZA_TODAY"):
        clock.today()
