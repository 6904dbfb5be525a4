from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plaza.rules.elections import ballot_is_valid, max_shift, min_candidates, tally, term_end, term_reminders


@pytest.mark.parametrize(("seats", "expected"), [(1, 2), (3, 4), (5, 6), (6, 8), (7, 9), (9, 11), (10, 12), (11, 14)])
def test_min_candidates(seats, expected):
    assert min_candidates(seats) == expected


@pytest.mark.parametrize("bad", [0, -1, True, 2.5])
def test_min_candidates_bad_input(bad):
    with pytest.raises(ValueError):
        min_candidates(bad)


def test_quorum_is_strictly_more_than_four_fifths():
    assert not tally(seats=1, entitled=10, present=8, ballots=[["甲"]] * 8).quorate
    assert tally(seats=1, entitled=10, present=9, ballots=[["甲"]] * 9).quorate


def test_not_quorate_elects_nobody():
    result = tally(seats=3, entitled=10, present=8, ballots=[["甲", "乙", "丙"]] * 8)
    assert (result.elected, result.runoff, result.runoff_seats, result.unfilled) == ([], [], 0, 3)


def test_more_ballots_than_issued_voids_the_vote():
    result = tally(seats=1, entitled=10, present=10, ballots=[["甲"]] * 10, issued=9)
    assert result.void and result.elected == [] and result.unfilled == 1


def test_invalid_ballots_too_many_names_or_duplicates():
    ballots = [["甲", "乙"], ["甲", "乙", "丙"], ["甲", "甲"], [], ["丁"]]
    result = tally(seats=2, entitled=5, present=5, ballots=ballots)
    assert (result.valid, result.invalid) == (3, 2)
    assert result.votes == {"甲": 1, "乙": 1, "丁": 1}


def test_half_the_votes_is_not_enough():
    # 10 present: 5 votes is exactly half (not elected), 6 is more than half
    ballots = [["甲", "乙"]] * 5 + [["甲"]] * 1 + [[]] * 4
    result = tally(seats=2, entitled=10, present=10, ballots=ballots)
    assert result.elected == ["甲"] and result.unfilled == 1


def test_write_ins_count():
    result = tally(seats=1, entitled=9, present=9, ballots=[["另选王五"]] * 5 + [["甲"]] * 4)
    assert result.elected == ["另选王五"]


def test_elected_ordered_by_votes_then_name():
    ballots = [["乙", "甲", "丙"]] * 6 + [["丙"]] * 2 + [["乙"]] * 1
    result = tally(seats=3, entitled=9, present=9, ballots=ballots)
    assert result.elected == ["丙", "乙", "甲"]  # 8, 7, 6 votes


def test_tie_at_last_seat_goes_to_runoff():
    ballots = [["甲", "乙"]] * 2 + [["甲", "丙"]] * 2 + [["乙", "丙"]]
    result = tally(seats=2, entitled=5, present=5, ballots=ballots)  # 甲 4, 乙 3, 丙 3; 3 × 2 > 5
    assert result.elected == ["甲"]
    assert result.runoff == sorted(["乙", "丙"]) and result.runoff_seats == 1 and result.unfilled == 0


def test_tie_for_all_seats():
    ballots = [["甲", "乙"]] * 2 + [["甲", "丙"]] * 2 + [["乙", "丙"]] * 2
    result = tally(seats=2, entitled=6, present=6, ballots=ballots)  # all three have 4 votes
    assert result.elected == [] and result.runoff == sorted(["甲", "乙", "丙"]) and result.runoff_seats == 2


def test_too_few_pass_leaves_seats_unfilled():
    result = tally(seats=3, entitled=6, present=6, ballots=[["甲", "乙"]] * 4 + [["丙"]] * 2)
    assert result.elected == ["乙", "甲"] or result.elected == sorted(["甲", "乙"])
    assert result.unfilled == 1 and result.runoff == []


@pytest.mark.parametrize(
    "kwargs",
    [
        {"seats": 0, "entitled": 5, "present": 5},
        {"seats": 1, "entitled": 5, "present": 6},
        {"seats": 1, "entitled": -1, "present": 0},
    ],
)
def test_tally_bad_input(kwargs):
    with pytest.raises(ValueError):
        tally(ballots=[], **kwargs)


def test_ballot_validity():
    assert ballot_is_valid([], 3)
    assert ballot_is_valid(["甲", "乙"], 2)
    assert not ballot_is_valid(["甲", "乙", "丙"], 2)
    assert not ballot_is_valid(["甲", " 甲"], 2)


names = st.sampled_from(["甲", "乙", "丙", "丁", "戊"])


@given(st.integers(1, 4), st.lists(st.lists(names, max_size=5), max_size=30), st.integers(0, 10))
def test_never_elects_more_than_seats(seats, ballots, extra):
    present = len(ballots) + extra
    result = tally(seats=seats, entitled=present, present=present, ballots=ballots)
    assert len(result.elected) + result.runoff_seats + result.unfilled == seats
    assert all(result.votes[name] * 2 > present for name in result.elected)
    assert not set(result.elected) & set(result.runoff)


def test_terms_and_reminders():
    assert term_end(date(2023, 8, 31), 3) == date(2026, 8, 31)
    kinds = [(r.kind, r.on) for r in term_reminders(date(2026, 8, 31))]
    assert kinds == [
        ("six_months", date(2026, 2, 28)),
        ("request_due", date(2026, 6, 30)),
        ("expiry", date(2026, 8, 31)),
    ]
    assert max_shift(date(2026, 8, 31)) == (date(2025, 8, 31), date(2027, 8, 31))
