"""组织关系转接 (《教育管理条例》第二十五条): the letter's 3 months, 6 months away, 6 months out of contact."""

from datetime import date

import pytest

from plaza.rules.transfers import away_long_enough, letter_valid, letter_valid_until, out_of_contact_notice


def test_letter_is_valid_three_months_by_default():
    assert letter_valid_until(date(2025, 1, 15)) == date(2025, 4, 15)
    assert letter_valid_until(date(2025, 11, 30)) == date(2026, 2, 28)
    assert letter_valid_until(date(2025, 1, 15), months=2) == date(2025, 3, 15)
    assert letter_valid(date(2025, 1, 15), date(2025, 1, 15))
    assert letter_valid(date(2025, 1, 15), date(2025, 4, 15))
    assert not letter_valid(date(2025, 1, 15), date(2025, 4, 16))
    assert not letter_valid(date(2025, 1, 15), date(2025, 1, 14))
    with pytest.raises(ValueError):
        letter_valid_until(date(2025, 1, 15), months=0)


def test_six_months_away():
    assert not away_long_enough(date(2024, 8, 31), date(2025, 2, 27))
    assert away_long_enough(date(2024, 8, 31), date(2025, 2, 28))


def test_out_of_contact_six_months_or_more_only_reminds():
    assert out_of_contact_notice(date(2025, 1, 31), date(2025, 7, 30)) is None
    notice = out_of_contact_notice(date(2025, 1, 31), date(2025, 7, 31))
    assert notice is not None and notice.rule == "《教育管理条例》第二十五条"
    assert "系统仅作提醒" in notice.message
