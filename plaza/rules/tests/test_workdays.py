"""Working days (rulebook section 8): the national calendar from chinesecalendar, 调休, closed days on top,
and Monday–Friday for a year the data do not cover."""

from datetime import date, timedelta

import pytest

from plaza.rules import workdays


def test_a_public_holiday_on_a_weekday_is_not_a_working_day():
    assert not workdays.is_working_day(date(2026, 10, 1))  # National Day, a Thursday
    assert workdays.holiday_name(date(2026, 10, 1)) == "国庆节"
    assert workdays.holiday_name(date(2026, 4, 6)) == "清明节"
    assert workdays.holiday_name(date(2026, 10, 8)) == "" and workdays.is_working_day(date(2026, 10, 8))


def test_an_adjusted_saturday_is_a_working_day_and_an_ordinary_one_is_not():
    assert workdays.is_working_day(date(2026, 10, 10))  # Saturday worked for National Day (调休上班)
    assert not workdays.is_working_day(date(2026, 10, 17))  # an ordinary Saturday
    assert workdays.holiday_name(date(2026, 10, 10)) == ""


def test_add_working_days_counts_from_the_day_after():
    friday = date(2026, 3, 6)
    assert workdays.add_working_days(friday, 0) == friday
    assert workdays.add_working_days(friday, 1) == date(2026, 3, 9)  # the weekend skipped
    # From 29 April: the 30th, then the Labour Day holiday (1–5 May) skipped, then 6–8 May and Saturday the 9th
    # (worked for the holiday), and Sunday the 10th not.
    assert workdays.add_working_days(date(2026, 4, 29), 2) == date(2026, 5, 6)
    assert workdays.add_working_days(date(2026, 4, 29), 5) == date(2026, 5, 9)
    assert workdays.add_working_days(date(2026, 4, 29), 6) == date(2026, 5, 11)
    with pytest.raises(ValueError, match="negative"):
        workdays.add_working_days(friday, -1)
    with pytest.raises(ValueError):
        workdays.add_working_days(friday, 1.5)


def test_working_days_between_excludes_the_start_and_includes_the_end():
    monday = date(2026, 3, 2)
    assert workdays.working_days_between(monday, monday) == 0
    assert workdays.working_days_between(monday, monday + timedelta(days=7)) == 5
    assert workdays.working_days_between(monday + timedelta(days=7), monday) == 0
    start = date(2026, 3, 13)
    for n in range(0, 40):
        assert workdays.working_days_between(start, workdays.add_working_days(start, n)) == n


def test_the_year_boundary_follows_both_years_notices():
    # 2025-12-31 (Wednesday); 1 January 2026 to the 3rd are 元旦; Sunday the 4th is worked (调休).
    assert workdays.add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 4)
    assert workdays.working_days_between(date(2025, 12, 30), date(2026, 1, 5)) == 3  # 31st, 4th, 5th


def test_a_year_the_data_do_not_cover_counts_monday_to_friday():
    year = workdays.LAST_YEAR + 1
    assert workdays.covered(workdays.LAST_YEAR) and workdays.covered(2004) and not workdays.covered(year)
    new_year = date(year, 1, 1)
    assert workdays.is_working_day(new_year) == (new_year.weekday() < 5)  # not known to be a holiday
    week = [new_year + timedelta(days=k) for k in range(7)]
    assert sum(workdays.is_working_day(day) for day in week) == 5


def test_closed_days_of_the_organisation_count_on_top():
    monday = date(2026, 3, 2)
    closed = {date(2026, 3, 3)}
    assert not workdays.is_working_day(date(2026, 3, 3), closed=closed)
    assert workdays.add_working_days(monday, 1, closed=closed) == date(2026, 3, 4)
    assert workdays.working_days_between(monday, date(2026, 3, 6), closed=closed) == 3


def test_dates_are_checked():
    with pytest.raises(ValueError):
        workdays.is_working_day("2026-03-02")
