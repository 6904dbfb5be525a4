"""plaza.rules.vanguard: milestone lateness, escalation levels and missed 师带徒 check-ins."""

import doctest
from datetime import date

from plaza.rules import vanguard
from plaza.rules.vanguard import Escalation, days_late, escalation_level, previous_month, remind_on


def test_doctests():
    result = doctest.testmod(vanguard)
    assert result.attempted > 0 and result.failed == 0


def test_escalation_levels_follow_the_local_thresholds():
    assert escalation_level(0, secretary_after=2, committee_after=5) is Escalation.NONE
    assert escalation_level(2, secretary_after=2, committee_after=5) is Escalation.SECRETARY
    assert escalation_level(5, secretary_after=2, committee_after=5) is Escalation.COMMITTEE


def test_late_days_skip_the_national_holiday_when_counting_working_days():
    # 2026-09-30 to 2026-10-09: the 国庆 holiday in between is not counted
    assert days_late(date(2026, 9, 30), date(2026, 10, 9), working_days=True) < 9
    assert days_late(date(2026, 9, 30), date(2026, 10, 9), working_days=False) == 9
    assert days_late(date(2026, 9, 30), date(2026, 9, 30), working_days=True) == 0


def test_reminder_day_and_months():
    assert remind_on(date(2026, 3, 9), 1, working_days=True) == date(2026, 3, 6)  # Monday -> Friday
    assert remind_on(date(2026, 3, 9), 3, working_days=False) == date(2026, 3, 6)
    assert previous_month(date(2026, 1, 15)) == date(2025, 12, 1)
