from datetime import date

import pytest

from plaza.rules import recruitment as r

BIRTH = date(1998, 5, 1)
FULL = {
    1: date(2023, 3, 1),
    2: date(2023, 3, 20),
    3: date(2024, 3, 1),
    4: date(2024, 3, 5),
    5: date(2024, 3, 5),
    6: date(2024, 9, 1),
    7: date(2025, 3, 1),
    8: date(2025, 3, 5),
    9: date(2025, 3, 5),
    10: date(2025, 4, 1),
    11: date(2025, 4, 10),
    12: date(2025, 5, 1),
    13: date(2025, 5, 10),
    14: date(2025, 5, 20),
    15: date(2025, 6, 1),
    16: date(2025, 6, 10),
    17: date(2025, 7, 1),
}


def upto(n):
    return {k: v for k, v in FULL.items() if k <= n}


def test_steps_are_25_in_five_stages_and_point_backwards():
    assert [s.number for s in r.STEPS] == list(range(1, 26))
    assert len({s.stage for s in r.STEPS}) == 5
    assert all(all(p < s.number for p in s.after) for s in r.STEPS)
    assert all(s.rule.startswith("《") for s in r.STEPS)


def test_applicant_must_be_18():
    assert r.earliest(1, {}, date(2008, 2, 29)) == date(2026, 2, 28)
    problems = r.check(1, date(2026, 2, 27), {}, date(2008, 2, 29))
    assert problems and "最早可于 2026-02-28" in problems[0].message and problems[0].rule == "《党章》第一条"
    assert r.check(1, date(2026, 2, 28), {}, date(2008, 2, 29)) == []


def test_talk_within_one_month():
    assert r.latest(2, {1: date(2025, 1, 31)}) == date(2025, 2, 28)
    assert r.overdue(2, date(2025, 3, 1), {1: date(2025, 1, 31)})
    assert not r.overdue(2, date(2025, 2, 28), {1: date(2025, 1, 31)})


def test_candidate_needs_a_full_year_of_cultivation():
    done = upto(6)
    assert r.earliest(7, done, BIRTH) == date(2025, 3, 1)
    [problem] = r.check(7, date(2025, 2, 28), done, BIRTH)
    assert problem.message == "培养考察未满一年，最早可于 2025-03-01 列为发展对象 (《细则》)"
    assert r.check(7, date(2025, 3, 1), done, BIRTH) == []


def test_missing_prerequisites_are_each_named():
    done = {k: v for k, v in upto(6).items() if k not in (4, 5)}
    messages = [v.message for v in r.check(7, date(2026, 1, 1), done, BIRTH)]
    assert messages == ["须先完成第4步「上级党委备案」", "须先完成第5步「指定培养联系人」"]
    assert r.earliest(7, done, BIRTH) is None


def test_not_before_a_prerequisite_date():
    done = upto(11)
    problems = r.check(12, date(2025, 4, 5), done, BIRTH)
    assert problems and "不能早于第11步" in problems[0].message


def test_already_recorded():
    assert "已于 2023-03-01 记录" in r.check(1, date(2025, 1, 1), upto(1), BIRTH)[0].message


def test_probation_and_conversion():
    done = upto(17)
    assert r.probation_end(done) == date(2026, 6, 1)
    assert r.latest(17, done) == date(2025, 9, 1)
    assert r.latest(17, done, extended=True) == date(2025, 12, 1)
    assert r.conversion_reminder(done) == date(2026, 5, 1)
    done |= {19: date(2025, 7, 5), 20: date(2025, 7, 5), 21: date(2025, 7, 10), 22: date(2026, 5, 10)}
    assert r.latest(22, done) == date(2026, 6, 1)
    assert r.earliest(23, done, BIRTH) == date(2026, 6, 1)
    assert "预备期未满" in r.check(23, date(2026, 5, 31), done, BIRTH)[0].message
    assert r.check(23, date(2026, 6, 1), done, BIRTH) == []


def test_extended_probation_moves_the_end():
    done = upto(17) | {19: date(2025, 7, 5), 21: date(2025, 7, 10), 22: date(2026, 5, 10)}
    assert r.probation_end(done, extended_months=6) == date(2026, 12, 1)
    assert r.check(23, date(2026, 7, 1), done, BIRTH, extended_months=6)
    with pytest.raises(ValueError):
        r.probation_end(done, extended_months=13)
    with pytest.raises(ValueError):
        r.probation_end(done, extended_months=5)


def test_leap_day_probation():
    assert r.probation_end({15: date(2024, 2, 29)}) == date(2025, 2, 28)


def test_approval_after_conversion_meeting():
    assert r.latest(24, {23: date(2026, 11, 30)}) == date(2027, 2, 28)
    assert r.latest(24, {}) is None and r.latest(3, upto(2)) is None


def test_review_reminders_every_half_year():
    assert r.review_reminders(upto(3), date(2025, 9, 1)) == [date(2024, 9, 1), date(2025, 3, 1), date(2025, 9, 1)]
    assert r.review_reminders({}, date(2025, 9, 1)) == []


@pytest.mark.parametrize("bad", [0, 26, "7", None])
def test_unknown_step(bad):
    with pytest.raises(ValueError):
        r.check(bad, date(2025, 1, 1), {}, BIRTH)


def test_political_review_is_valid_one_year_before_the_branch_meeting():
    done = upto(14)  # political review on 2025-04-01
    assert r.check(15, date(2026, 4, 1), done, BIRTH) == []
    [problem] = r.check(15, date(2026, 4, 2), done, BIRTH)
    assert "政治审查已于 2026-04-01 超过一年有效期" in problem.message and "本单位规定" in problem.rule
