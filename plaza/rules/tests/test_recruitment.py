"""党员发展 (《细则》, 《党章》第一条 and 第七条): the 25 steps, earliest and latest days, check, reminders."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plaza.rules.dates import add_months, add_years
from plaza.rules.recruitment import (
    STAGES,
    STEPS,
    ancestors,
    check,
    check_outcome,
    conversion_reminder,
    earliest,
    latest,
    leaving_warning,
    missing_prerequisites,
    open_steps,
    overdue,
    party_standing_from,
    probation_end,
    ready_steps,
    review_reminders,
    step,
    waiting_steps,
)

BIRTH = date(1998, 5, 1)
DAY = timedelta(days=1)

#: A whole procedure recorded on dates that keep every rule.
FULL = {
    1: date(2023, 3, 1),
    2: date(2023, 3, 20),
    3: date(2024, 3, 1),
    4: date(2024, 3, 5),
    5: date(2024, 3, 5),
    6: date(2024, 9, 1),
    7: date(2025, 3, 1),
    8: date(2025, 3, 10),
    9: date(2025, 3, 10),
    10: date(2025, 4, 1),
    11: date(2025, 4, 20),
    12: date(2025, 5, 10),
    13: date(2025, 5, 20),
    14: date(2025, 6, 1),
    15: date(2025, 6, 10),
    16: date(2025, 6, 20),
    17: date(2025, 8, 1),
    18: date(2025, 8, 15),
    19: date(2025, 8, 15),
    20: date(2025, 9, 1),
    21: date(2025, 9, 10),
    22: date(2026, 5, 10),
    23: date(2026, 6, 10),
    24: date(2026, 7, 1),
    25: date(2026, 7, 20),
}

#: The "after steps" column of the rulebook.
AFTER = {
    1: (),
    2: (1,),
    3: (2,),
    4: (3,),
    5: (3,),
    6: (3,),
    7: (4, 5, 6),
    8: (7,),
    9: (7,),
    10: (7,),
    11: (7,),
    12: (8, 9, 10, 11),
    13: (12,),
    14: (13,),
    15: (14,),
    16: (15,),
    17: (16,),
    18: (17,),
    19: (17,),
    20: (17,),
    21: (19,),
    22: (21,),
    23: (22,),
    24: (23,),
    25: (24,),
}


def upto(n: int) -> dict[int, date]:
    return {k: v for k, v in FULL.items() if k <= n}


# --------------------------------------------------------------------------------------------- the steps


def test_twenty_five_steps_in_five_stages_as_the_rulebook_lists_them():
    assert [s.number for s in STEPS] == list(range(1, 26))
    assert {s.number: s.after for s in STEPS} == AFTER
    assert STAGES == ("入党申请", "积极分子", "发展对象", "接收预备党员", "教育考察和转正")
    assert [s.number for s in STEPS if s.number in (1, 3, 7, 12, 19)] == [1, 3, 7, 12, 19]
    stage_of = {s.number: s.stage for s in STEPS}
    assert [stage_of[n] for n in (1, 2, 3, 6, 7, 11, 12, 18, 19, 25)] == [
        "入党申请",
        "入党申请",
        "积极分子",
        "积极分子",
        "发展对象",
        "发展对象",
        "接收预备党员",
        "接收预备党员",
        "教育考察和转正",
        "教育考察和转正",
    ]
    for s in STEPS:
        assert s.name and s.rule.startswith("《")
        assert all(p < s.number for p in s.after)


def test_step_names_and_sources():
    assert step(1).name == "递交入党申请书" and step(1).rule == "《党章》第一条"
    assert step(15).name == step(23).name == "支部大会讨论"
    assert step(15).rule == "《细则》第二十条"
    assert step(23).rule == "《党章》第七条；《细则》第三十二条"
    assert step(25).name == "材料归档"
    assert step(17).timing.startswith("支部大会讨论后三个月内")
    assert step(4).timing == ""


@pytest.mark.parametrize("bad", [0, 26, -1, True, "1", 1.0, None])
def test_unknown_step_numbers_are_refused(bad):
    with pytest.raises(ValueError, match="no recruitment step"):
        step(bad)
    with pytest.raises(ValueError, match="no recruitment step"):
        earliest(bad, {}, BIRTH)
    with pytest.raises(ValueError, match="no recruitment step"):
        latest(bad, {})
    with pytest.raises(ValueError, match="no recruitment step"):
        check(bad, date(2025, 1, 1), {}, BIRTH)


def test_done_must_map_known_steps_to_dates():
    with pytest.raises(ValueError, match="no recruitment step 26"):
        earliest(2, {1: date(2024, 1, 1), 26: date(2024, 1, 1)}, BIRTH)
    with pytest.raises(ValueError, match="the date of step 1"):
        earliest(2, {1: "2024-01-01"}, BIRTH)
    with pytest.raises(ValueError, match="map step numbers"):
        check(2, date(2024, 1, 1), [(1, date(2024, 1, 1))], BIRTH)


def test_ancestors_and_open_steps():
    assert ancestors(1) == frozenset()
    assert sorted(ancestors(12)) == list(range(1, 12))
    assert sorted(ancestors(25)) == [n for n in range(1, 25) if n not in (18, 20)]  # filing and oath run aside
    assert open_steps({}) == [1]
    assert open_steps(upto(3)) == [4, 5, 6]
    assert open_steps(upto(17)) == [18, 19, 20]
    assert open_steps(FULL) == []
    assert missing_prerequisites(12, {**upto(7), 9: FULL[9]}) == [8, 10, 11]


# ------------------------------------------------------------------------------------------ earliest


def test_step_1_on_the_eighteenth_birthday():
    assert earliest(1, {}, date(2006, 6, 15)) == date(2024, 6, 15)
    assert check(1, date(2024, 6, 15), {}, date(2006, 6, 15)) == []
    [violation] = check(1, date(2024, 6, 14), {}, date(2006, 6, 15))
    assert violation.code == "age" and violation.rule == "《党章》第一条"
    assert violation.message == "申请人未满十八周岁，最早可于 2024-06-15 递交入党申请书 (《党章》第一条)"


def test_born_on_february_29():
    assert earliest(1, {}, date(2008, 2, 29)) == date(2026, 2, 28)  # 2026 is a common year
    assert earliest(1, {}, date(2004, 2, 29)) == date(2022, 2, 28)
    assert earliest(1, {}, date(2006, 2, 28)) == date(2024, 2, 28)  # not Feb 29 of the leap year
    assert check(1, date(2026, 2, 27), {}, date(2008, 2, 29))[0].code == "age"
    assert check(1, date(2026, 2, 28), {}, date(2008, 2, 29)) == []


def test_most_steps_come_no_earlier_than_their_prerequisites():
    assert earliest(2, upto(1), BIRTH) == FULL[1]
    assert earliest(12, upto(11), BIRTH) == FULL[11]
    assert earliest(19, upto(18), BIRTH) == FULL[17]


def test_step_7_one_year_after_step_3():
    assert earliest(7, upto(6), BIRTH) == date(2025, 3, 1)
    leap = {**upto(6), 3: date(2024, 2, 29)}
    assert earliest(7, leap, BIRTH) == date(2025, 2, 28)
    late = {**upto(6), 6: date(2025, 4, 1)}  # a prerequisite later than the year: that one counts
    assert earliest(7, late, BIRTH) == date(2025, 4, 1)
    [violation] = check(7, date(2025, 2, 28), upto(6), BIRTH)
    assert violation.code == "too_early"
    assert violation.message == "培养考察未满一年，最早可于 2025-03-01 列为发展对象 (《细则》)"
    assert check(7, date(2025, 3, 1), upto(6), BIRTH) == []


def test_step_6_has_no_day_of_its_own_and_steps_4_to_6_run_side_by_side():
    """The rulebook's timing column for step 6 is "—" (its half-yearly reviews are reminders): it may be recorded
    on the day of step 3, with steps 4 and 5 still open (each comes after step 3 only)."""
    assert earliest(6, upto(3), BIRTH) == FULL[3]
    assert check(6, FULL[3], upto(3), BIRTH) == []
    assert earliest(4, upto(3), BIRTH) == earliest(5, upto(3), BIRTH) == FULL[3]
    assert check(4, FULL[3], upto(3), BIRTH) == check(5, FULL[3], upto(3), BIRTH) == []


def test_ready_and_waiting_steps_split_the_open_steps_at_their_earliest_day():
    """What a to-do list may offer on a day (``ready_steps``) and what it must hold back until a later day
    (``waiting_steps``), for every step whose earliest day lies ahead: 7 and 23 under the rulebook."""
    assert ready_steps(upto(3), FULL[3], BIRTH) == [4, 5, 6]
    assert waiting_steps(upto(3), FULL[3], BIRTH) == {}
    assert waiting_steps(upto(6), date(2025, 2, 28), BIRTH) == {7: date(2025, 3, 1)}
    assert ready_steps(upto(6), date(2025, 2, 28), BIRTH) == []
    assert ready_steps(upto(6), date(2025, 3, 1), BIRTH) == [7]
    assert waiting_steps(upto(22), date(2026, 6, 9), BIRTH) == {23: date(2026, 6, 10)}
    assert ready_steps(upto(22), date(2026, 6, 10), BIRTH) == [23]
    assert waiting_steps(upto(22), date(2026, 6, 10), BIRTH, extended_months=6) == {23: date(2026, 12, 10)}
    assert ready_steps(upto(17), date(2025, 8, 1), BIRTH) == [18, 19, 20]
    assert ready_steps({}, date(2024, 1, 1), date(2010, 1, 1)) == []  # step 1 waits for the 18th birthday
    assert waiting_steps({}, date(2024, 1, 1), date(2010, 1, 1)) == {1: date(2028, 1, 1)}
    for day in (date(2024, 3, 1), date(2024, 9, 1), date(2025, 3, 1)):
        for done in (upto(3), upto(6), upto(22)):
            ready, waiting = ready_steps(done, day, BIRTH), waiting_steps(done, day, BIRTH)
            assert sorted([*ready, *waiting]) == open_steps(done)
            assert all(check(n, day, done, BIRTH) == [] for n in ready)
            assert all(
                check(n, day, done, BIRTH) and check(n, first, done, BIRTH) == [] for n, first in waiting.items()
            )


def test_none_while_a_prerequisite_is_missing():
    assert earliest(2, {}, BIRTH) is None
    assert earliest(7, {k: v for k, v in upto(6).items() if k != 5}, BIRTH) is None
    assert earliest(23, upto(21), BIRTH) is None
    # direct prerequisites there, but a gap further back: still None
    assert earliest(4, {1: FULL[1], 3: FULL[3]}, BIRTH) is None


def test_dates_that_go_backwards_are_accepted():
    backwards = {1: date(2024, 5, 1), 2: date(2024, 4, 1), 3: date(2024, 3, 1)}
    assert earliest(4, backwards, BIRTH) == date(2024, 5, 1)  # after every step it comes after
    assert check(4, date(2024, 4, 30), backwards, BIRTH)[0].code == "order"
    assert check(4, date(2024, 5, 1), backwards, BIRTH) == []


# ------------------------------------------------------------------------------- probation and step 23


def test_probation_is_one_year_from_step_15():
    assert probation_end(upto(15)) == date(2026, 6, 10)
    assert probation_end(upto(14)) is None
    assert probation_end({**upto(15), 15: date(2024, 2, 29)}) == date(2025, 2, 28)
    assert party_standing_from(upto(15)) == date(2026, 6, 10)


def test_extension_moves_probation_and_step_23():
    assert probation_end(upto(15), extended_months=6) == date(2026, 12, 10)
    assert probation_end(upto(15), extended_months=12) == date(2027, 6, 10)
    assert probation_end({15: date(2024, 8, 31)}, extended_months=6) == date(2026, 2, 28)
    assert earliest(23, upto(22), BIRTH) == date(2026, 6, 10)
    assert earliest(23, upto(22), BIRTH, extended_months=6) == date(2026, 12, 10)
    assert latest(22, upto(21), extended_months=6) == date(2026, 12, 10)
    [violation] = check(23, date(2026, 12, 9), upto(22), BIRTH, extended_months=6)
    assert violation.code == "too_early" and violation.rule == "《党章》第七条；《细则》第三十二条"
    assert "2026-12-10" in violation.message
    assert check(23, date(2026, 12, 10), upto(22), BIRTH, extended_months=6) == []


@pytest.mark.parametrize("bad", [1, 5, 13, -6, 6.0, True])
def test_extension_must_be_six_to_twelve_months(bad):
    with pytest.raises(ValueError, match="extended_months|延长预备期"):
        probation_end(upto(15), extended_months=bad)


def test_step_23_on_the_day_probation_ends():
    assert check(23, date(2026, 6, 9), upto(22), BIRTH)[0].code == "too_early"
    assert check(23, date(2026, 6, 10), upto(22), BIRTH) == []


def test_step_23_outcomes():
    assert check_outcome("convert") == []
    assert check_outcome("cancel") == []
    assert check_outcome("extend", extension_months=6) == []
    assert check_outcome("extend", extension_months=12) == []
    assert [v.code for v in check_outcome("extend", extension_months=5)] == ["extension_length"]
    assert [v.code for v in check_outcome("extend", extension_months=13)] == ["extension_length"]
    assert [v.code for v in check_outcome("extend", extension_months=6, already_extended=True)] == ["extension_twice"]
    assert [v.code for v in check_outcome("convert", extension_months=6)] == ["extension_length"]
    with pytest.raises(ValueError, match="unknown outcome"):
        check_outcome("promote")


# --------------------------------------------------------------------------------------------- latest


def test_latest():
    assert latest(2, {1: date(2025, 1, 31)}) == date(2025, 2, 28)
    assert latest(2, {1: date(2024, 1, 31)}) == date(2024, 2, 29)
    assert latest(17, {**upto(16), 15: date(2025, 11, 30)}) == date(2026, 2, 28)
    assert latest(17, upto(16)) == date(2025, 9, 10)
    assert latest(17, upto(16), extended=True) == date(2025, 12, 10)
    assert latest(22, upto(21)) == date(2026, 6, 10)
    assert latest(24, upto(23)) == date(2026, 9, 10)
    assert latest(2, {}) is None and latest(17, upto(14)) is None and latest(24, upto(22)) is None
    assert [n for n in range(1, 26) if latest(n, FULL) is not None] == [2, 17, 22, 24]


def test_overdue_is_not_a_refusal():
    done = {1: date(2025, 1, 31)}
    assert not overdue(2, date(2025, 2, 28), done)
    assert overdue(2, date(2025, 3, 1), done)
    assert check(2, date(2025, 6, 1), done, BIRTH) == []  # late, but may still be recorded
    assert not overdue(2, date(2026, 1, 1), {**done, 2: date(2025, 6, 1)})  # done
    assert not overdue(3, date(2030, 1, 1), upto(2))  # no deadline
    assert overdue(17, date(2025, 9, 11), upto(16))
    assert not overdue(17, date(2025, 9, 11), upto(16), extended=True)
    assert not overdue(22, date(2026, 7, 1), upto(21), extended_months=6)


# ---------------------------------------------------------------------------------------------- check


def test_check_a_whole_procedure_in_order():
    for n in range(1, 26):
        assert check(n, FULL[n], upto(n - 1), BIRTH) == [], n


def test_already_recorded():
    [violation] = check(3, date(2025, 1, 1), upto(3), BIRTH)
    assert violation.code == "recorded"
    assert "已于 2024-03-01 记录" in violation.message


def test_missing_prerequisites_are_named():
    problems = check(12, FULL[11], {**upto(7), 9: FULL[9], 11: FULL[11]}, BIRTH)
    assert [v.code for v in problems] == ["prerequisite", "prerequisite"]
    assert "第8步「报上级党委备案」" in problems[0].message and "第10步「进行政治审查」" in problems[1].message
    [gap] = check(4, FULL[3], {1: FULL[1], 3: FULL[3]}, BIRTH)  # step 2 never recorded
    assert gap.code == "prerequisite" and "第2步" in gap.message


def test_not_before_the_steps_it_comes_after():
    [violation] = check(13, FULL[12] - DAY, upto(12), BIRTH)
    assert violation.code == "order"
    assert "最早可于 2025-05-10" in violation.message


def test_political_review_valid_one_year_at_the_branch_meeting():
    done = {**upto(14), 10: date(2024, 6, 1)}
    assert check(15, date(2025, 6, 1), done, BIRTH) == []
    [violation] = check(15, date(2025, 6, 2), done, BIRTH)
    assert violation.code == "review_expired" and violation.rule == "《细则》；本单位规定"
    assert check(15, date(2025, 6, 2), done, BIRTH, political_review_years=0) == []
    assert check(15, date(2025, 6, 2), done, BIRTH, political_review_years=2) == []


def test_only_the_already_recorded_message_says_yiyu():
    """Callers once told "already recorded" apart by the text 已于; keep it unique to that code."""
    done = {**upto(14), 10: date(2024, 6, 1)}
    messages = check(15, date(2025, 6, 2), done, BIRTH)
    messages += check(7, date(2025, 2, 1), upto(6), BIRTH) + check(1, date(2010, 1, 1), {}, BIRTH)
    messages += check(23, date(2026, 1, 1), upto(22), BIRTH) + check(12, FULL[12], upto(7), BIRTH)
    assert messages and all("已于" not in v.message for v in messages)


@pytest.mark.parametrize("bad", [None, "2025-01-01", date(2025, 1, 1) - date(2024, 1, 1)])
def test_check_refuses_bad_dates(bad):
    with pytest.raises(ValueError):
        check(2, bad, upto(1), BIRTH)
    with pytest.raises(ValueError):
        check(2, FULL[2], upto(1), bad)


# ------------------------------------------------------------------------------------------ reminders


def test_review_reminders_every_half_year_after_step_3():
    done = {**upto(2), 3: date(2024, 8, 31)}
    assert review_reminders(done, date(2026, 3, 1)) == [
        date(2025, 2, 28),
        date(2025, 8, 31),
        date(2026, 2, 28),
    ]
    assert review_reminders(done, date(2025, 2, 27)) == []
    assert review_reminders(upto(2), date(2030, 1, 1)) == []
    assert review_reminders({**upto(7), 3: date(2024, 3, 1), 7: date(2025, 9, 1)}, date(2030, 1, 1)) == [
        date(2024, 9, 1),
        date(2025, 3, 1),
    ]


def test_conversion_reminder_one_month_before_probation_ends():
    assert conversion_reminder(upto(15)) == date(2026, 5, 10)
    assert conversion_reminder({15: date(2024, 3, 31)}) == date(2025, 2, 28)
    assert conversion_reminder(upto(15), extended_months=6) == date(2026, 11, 10)
    assert conversion_reminder(upto(14)) is None


def test_leaving_within_three_months_is_a_warning():
    on = date(2025, 11, 30)
    warning = leaving_warning(on, date(2026, 2, 28))
    assert warning is not None and warning.code == "leaving" and warning.rule == "《细则》第十九条"
    assert leaving_warning(on, date(2026, 3, 1)) is None
    assert leaving_warning(on, None) is None


# ------------------------------------------------------------------------------------------ properties


@st.composite
def consistent_records(draw):
    """A birth date and the first few steps done on dates that keep every rule (computed independently)."""
    birth = draw(st.dates(min_value=date(1960, 1, 1), max_value=date(2008, 12, 31)))
    count = draw(st.integers(min_value=0, max_value=25))
    extension = draw(st.sampled_from([0, 6, 9, 12]))
    done: dict[int, date] = {}
    for n in range(1, count + 1):
        floor = max(
            (done[p] for p in AFTER[n]),
            default=date(birth.year + 18, birth.month, 28 if (birth.month == 2 and birth.day == 29) else birth.day),
        )
        if n == 7:
            floor = max(floor, add_years(done[3], 1))
        if n == 23:
            floor = max(floor, add_months(add_years(done[15], 1), extension))
        done[n] = floor + timedelta(days=draw(st.integers(min_value=0, max_value=200)))
    return birth, done, extension


@given(consistent_records())
def test_earliest_is_exactly_the_first_day_check_accepts(record):
    birth, done, extension = record
    for s in STEPS:
        first = earliest(s.number, done, birth, extended_months=extension)
        codes = [
            v.code
            for v in check(s.number, date(2100, 1, 1), done, birth, extended_months=extension, political_review_years=0)
        ]
        if s.number in done:
            assert codes == ["recorded"]
        elif first is None:
            assert codes and set(codes) == {"prerequisite"}
        else:
            assert check(s.number, first, done, birth, extended_months=extension, political_review_years=0) == []
            before = check(s.number, first - DAY, done, birth, extended_months=extension, political_review_years=0)
            assert before and {v.code for v in before} <= {"order", "age", "too_early"}


@given(consistent_records())
def test_recorded_dates_are_never_before_earliest(record):
    birth, done, extension = record
    for n, day in done.items():
        before = {k: v for k, v in done.items() if k < n}
        assert earliest(n, before, birth, extended_months=extension) <= day


def test_step_names_cover_the_25_steps_in_order_and_equal_their_numbers():
    """Every step has one name, the names run 1 to 25 as STEPS does, and a name is interchangeable with its
    number wherever the rules API takes or returns one (keys of ``done``, results of open_steps)."""
    from plaza.rules.recruitment import STEPS, Step, open_steps

    assert [int(s) for s in Step] == [info.number for info in STEPS] == list(range(1, 26))
    assert Step.ADMISSION_VOTE == 15 and Step.CONVERSION_APPROVAL == 24
    assert Step.CANDIDATE.info.name == Step.CANDIDATE.label == "确定发展对象"
    assert Step.ADMISSION_VOTE.info is STEPS[14]
    assert open_steps({Step.APPLICATION: date(2024, 1, 2), Step.TALK: date(2024, 1, 9)}) == [Step.ACTIVIST]
    assert probation_end({Step.ADMISSION_VOTE: date(2024, 2, 29)}) == probation_end({15: date(2024, 2, 29)})
