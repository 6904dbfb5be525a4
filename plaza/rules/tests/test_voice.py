"""Service levels of E线声音 and 提案 (rulebook section 8): working days, the due day still in time."""

import doctest
from datetime import date

from plaza.rules import local, voice


def test_doctests():
    result = doctest.testmod(voice)
    assert result.attempted > 0 and result.failed == 0


def test_defaults_are_the_rulebooks_and_local():
    assert (voice.ACKNOWLEDGE_DAYS, voice.ANSWER_DAYS, voice.EXTENSION_MAX_DAYS, voice.RETURN_DAYS) == (2, 5, 10, 2)
    assert voice.PROPOSAL_ANSWER_DAYS == 20
    for key in ("acknowledge_days", "answer_days", "extension_days", "return_days", "proposal_answer_days"):
        assert local.RULES[f"voice.{key}"].source == "本单位规定"


def test_answer_deadline_over_national_day_and_a_worked_saturday():
    # accepted on 2026-09-30: 10-01..10-07 off; 10-08, 10-09, 10-10 (Saturday worked), 10-12, 10-13
    assert voice.deadline(date(2026, 9, 30), voice.ANSWER_DAYS) == date(2026, 10, 13)
    assert voice.reopen_until(date(2026, 10, 13)) == date(2026, 10, 20)
