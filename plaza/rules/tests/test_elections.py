"""换届选举 (《选举条例》, 《任期意见》, 《党章》第三十一条): exact thresholds, ties, invalid ballots, bad input."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plaza.rules.elections import (
    TERM_YEARS,
    ballot_is_valid,
    is_quorate,
    min_candidates,
    result_report_due,
    shift_window,
    tally,
    term_end,
    term_reminders,
)


@pytest.mark.parametrize(("seats", "expected"), [(1, 2), (3, 4), (5, 6), (6, 8), (7, 9), (9, 11), (10, 12), (11, 14)])
def test_min_candidates_is_seats_plus_a_fifth_rounded_up(seats, expected):
    assert min_candidates(seats) == expected


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "5"])
def test_min_candidates_refuses_bad_seats(bad):
    with pytest.raises(ValueError, match="seats"):
        min_candidates(bad)


@pytest.mark.parametrize(
    ("entitled", "present", "quorate"),
    [(10, 8, False), (10, 9, True), (5, 4, False), (5, 5, True), (50, 40, False), (50, 41, True), (0, 0, False)],
)
def test_quorum_is_more_than_four_fifths(entitled, present, quorate):
    assert is_quorate(entitled=entitled, present=present) is quorate
    assert tally(seats=1, entitled=entitled, present=present, ballots=[]).quorate is quorate


def test_exactly_four_fifths_present_elects_nobody():
    t = tally(seats=1, entitled=10, present=8, ballots=[["甲"]] * 8)
    assert not t.quorate
    assert (t.elected, t.runoff, t.runoff_seats, t.unfilled) == ([], [], 0, 1)
    assert t.votes == {"甲": 8}  # still counted, for the record
    assert "五分之四" in t.notes[0]


def test_half_the_votes_is_not_enough():
    t = tally(seats=1, entitled=10, present=10, ballots=[["甲"]] * 5 + [["乙"]] * 5)
    assert t.elected == [] and t.unfilled == 1 and t.runoff == []
    t = tally(seats=1, entitled=10, present=10, ballots=[["甲"]] * 6 + [["乙"]] * 4)
    assert t.elected == ["甲"] and t.unfilled == 0


def test_threshold_counts_members_present_not_ballots_returned():
    # 9 present, 5 ballots back: 5 votes are more than half of 9
    t = tally(seats=1, entitled=10, present=9, ballots=[["甲"]] * 5)
    assert t.elected == ["甲"] and t.threshold == 5
    t = tally(seats=1, entitled=10, present=10, ballots=[["甲"]] * 5)
    assert t.elected == [] and t.threshold == 6


def test_ballot_validity():
    assert ballot_is_valid(["甲", "乙"], 2)
    assert ballot_is_valid(["甲"], 2)
    assert ballot_is_valid([], 2)  # blank
    assert not ballot_is_valid(["甲", "乙", "丙"], 2)
    assert not ballot_is_valid(["甲", "甲"], 2)
    assert not ballot_is_valid(["甲", " 甲 "], 3)  # the same name with spaces


def test_invalid_ballots_count_nothing_and_blank_ones_are_valid():
    ballots = [["甲", "乙"]] * 6 + [["甲", "乙", "丙"]] + [["丙", "丙"]] + [[]] * 2
    t = tally(seats=2, entitled=10, present=10, ballots=ballots)
    assert (t.valid, t.invalid, t.returned) == (8, 2, 10)
    assert t.votes == {"甲": 6, "乙": 6}
    assert t.elected == ["乙", "甲"]  # tied among the elected: name order (code points: 乙 U+4E59 < 甲 U+7532)


def test_write_ins_count_for_the_person_named():
    t = tally(seats=1, entitled=10, present=10, ballots=[["甲"]] * 3 + [["另选的丁"]] * 7)
    assert t.elected == ["另选的丁"] and t.votes == {"另选的丁": 7, "甲": 3}


def test_more_ballots_back_than_issued_voids_the_vote():
    t = tally(seats=1, entitled=10, present=9, ballots=[["甲"]] * 10)
    assert t.void and t.quorate
    assert (t.elected, t.runoff, t.runoff_seats, t.unfilled) == ([], [], 0, 1)
    assert "无效" in t.notes[0]
    t = tally(seats=1, entitled=10, present=9, ballots=[["甲"]] * 9, issued=8)
    assert t.void
    t = tally(seats=1, entitled=10, present=9, ballots=[["甲"]] * 8, issued=8)
    assert not t.void and t.elected == ["甲"]


def test_fewer_ballots_back_than_issued_is_fine():
    t = tally(seats=1, entitled=10, present=10, ballots=[["甲"]] * 7)
    assert not t.void and t.elected == ["甲"] and t.returned == 7 and t.issued == 10


def test_tie_at_the_last_seat_goes_to_a_runoff_in_name_order():
    ballots = [["甲", "乙"]] * 4 + [["甲", "丙"]] * 4 + [["乙", "丙"]] * 2
    t = tally(seats=2, entitled=10, present=10, ballots=ballots)
    assert t.votes == {"甲": 8, "丙": 6, "乙": 6}
    assert t.elected == ["甲"]
    assert t.runoff == sorted(["乙", "丙"]) and t.runoff_seats == 1 and t.unfilled == 0
    assert "再次投票" in t.notes[0]


def test_tie_for_all_seats():
    ballots = [["甲", "乙"]] * 3 + [["乙", "丙"]] * 3 + [["甲", "丙"]] * 3
    t = tally(seats=2, entitled=9, present=9, ballots=ballots)
    assert t.elected == [] and t.runoff == ["丙", "乙", "甲"] and t.runoff_seats == 2 and t.unfilled == 0


def test_tie_that_fits_the_seats_elects_everyone_tied():
    ballots = [["A", "B", "C"]] * 6 + [["A"]] * 2 + [["D"]] * 2
    t = tally(seats=3, entitled=10, present=10, ballots=ballots)
    assert t.elected == ["A", "B", "C"] and t.runoff == [] and t.unfilled == 0


def test_runoff_below_those_clearly_elected():
    ballots = [["A", "B", "C"]] * 4 + [["A", "B", "D"]] * 3 + [["A", "C", "D"]] * 3 + [["A", "D"], ["A"]]
    t = tally(seats=3, entitled=12, present=12, ballots=ballots)
    assert t.votes == {"A": 12, "B": 7, "C": 7, "D": 7}
    assert t.elected == ["A"] and t.runoff == ["B", "C", "D"] and t.runoff_seats == 2 and t.unfilled == 0


def test_a_tie_exactly_filling_the_seats_elects_them_all():
    ballots = [["A", "B", "C"]] * 4 + [["A", "B", "D"]] * 3 + [["A", "C", "D"]] * 3
    t = tally(seats=3, entitled=10, present=10, ballots=ballots)
    assert t.votes == {"A": 10, "B": 7, "C": 7, "D": 6}
    assert t.elected == ["A", "B", "C"] and t.runoff == []


def test_too_few_pass_the_threshold_leaves_seats_unfilled():
    ballots = [["甲", "乙", "丙"]] * 6 + [["丁"]] * 4
    t = tally(seats=5, entitled=10, present=10, ballots=ballots)
    assert t.elected == ["丙", "乙", "甲"]  # all on 6 votes: name order
    assert t.unfilled == 2 and t.runoff_seats == 0
    assert "另行选举" in t.notes[-1]


def test_elected_order_is_votes_then_name():
    ballots = [["B", "A"]] * 6 + [["C"]] * 4 + [["C", "A"]] * 2
    t = tally(seats=3, entitled=12, present=12, ballots=ballots)
    assert t.votes == {"A": 8, "B": 6, "C": 6}
    assert t.elected == ["A"] and t.unfilled == 2  # 6 of 12 is not more than half


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"seats": 0}, "seats"),
        ({"seats": -1}, "seats"),
        ({"entitled": -1}, "entitled"),
        ({"present": -1}, "present"),
        ({"present": 11}, "cannot exceed entitled"),
        ({"issued": -1}, "issued"),
        ({"issued": 11, "entitled": 12, "present": 10}, "issued"),
        ({"ballots": "甲乙"}, "sequence"),
        ({"ballots": ["甲"]}, "not the string"),
        ({"ballots": [[""]]}, "non-empty"),
        ({"ballots": [[None]]}, "non-empty"),
    ],
)
def test_bad_input_is_refused(kwargs, match):
    arguments = {"seats": 1, "entitled": 10, "present": 10, "ballots": []} | kwargs
    with pytest.raises(ValueError, match=match):
        tally(**arguments)


def test_terms_and_reminders():
    assert TERM_YEARS == {"committee": 5, "general_branch": 3, "branch": 3}
    assert term_end(date(2024, 2, 29), 3) == date(2027, 2, 28)
    assert term_end(date(2021, 6, 30), 5) == date(2026, 6, 30)
    for bad in (2, 6, True):
        with pytest.raises(ValueError, match="3 to 5"):
            term_end(date(2024, 1, 1), bad)
    reminders = term_reminders(date(2026, 8, 31))
    assert [(r.kind, r.on) for r in reminders] == [
        ("six_months", date(2026, 2, 28)),
        ("request_due", date(2026, 6, 30)),
        ("expiry", date(2026, 8, 31)),
    ]
    assert [r.rule for r in reminders] == ["《任期意见》", "本单位规定", "《任期意见》"]
    assert "2026-06-30" in reminders[1].message
    assert [r.on for r in term_reminders(date(2026, 8, 31), request_months=3)][1] == date(2026, 5, 31)
    assert result_report_due(date(2025, 1, 31)) == date(2025, 2, 28)
    assert shift_window(date(2028, 2, 29)) == (date(2027, 2, 28), date(2029, 2, 28))


names = st.sampled_from(["甲", "乙", "丙", "丁", "戊", "己"])
ballot_lists = st.lists(st.lists(names, max_size=5), max_size=40)


@given(
    seats=st.integers(min_value=1, max_value=5),
    entitled=st.integers(min_value=0, max_value=45),
    ballots=ballot_lists,
    data=st.data(),
)
def test_tally_invariants(seats, entitled, ballots, data):
    present = data.draw(st.integers(min_value=0, max_value=entitled))
    t = tally(seats=seats, entitled=entitled, present=present, ballots=ballots)
    assert len(t.elected) <= seats
    assert len(t.elected) + t.runoff_seats + t.unfilled == seats
    assert t.valid + t.invalid == t.returned == len(ballots)
    assert set(t.elected).isdisjoint(t.runoff)
    assert all(t.votes[name] * 2 > present for name in t.elected + t.runoff)
    assert t.elected == sorted(t.elected, key=lambda name: (-t.votes[name], name))
    assert t.runoff == sorted(t.runoff)
    if t.runoff:
        assert len({t.votes[name] for name in t.runoff}) == 1
        assert len(t.runoff) > t.runoff_seats >= 1
        assert all(t.votes[name] > t.votes[t.runoff[0]] for name in t.elected)
    if not t.quorate or t.void:
        assert (t.elected, t.runoff, t.runoff_seats, t.unfilled) == ([], [], 0, seats)
    else:
        passed = [name for name, n in t.votes.items() if n * 2 > present]
        assert set(t.elected) | set(t.runoff) <= set(passed)
        assert len(t.elected) == min(len(passed), seats) or t.runoff


@given(st.integers(min_value=1, max_value=3), st.lists(st.lists(st.sampled_from("甲乙丙丁"), max_size=4), max_size=30))
def test_tally_counts_decides_as_tally_does(seats, ballots):
    """The tellers' totals of the same ballots give the same result as counting the ballots one by one."""
    from collections import Counter

    from plaza.rules.elections import ballot_is_valid, tally, tally_counts

    present = max(len(ballots), 1)
    by_ballot = tally(seats=seats, entitled=present, present=present, ballots=ballots)
    valid = [b for b in ballots if ballot_is_valid(b, seats)]
    by_totals = tally_counts(
        seats=seats,
        entitled=present,
        present=present,
        returned=len(ballots),
        invalid=len(ballots) - len(valid),
        votes=Counter(n for b in valid for n in b),
    )
    assert by_totals == by_ballot
