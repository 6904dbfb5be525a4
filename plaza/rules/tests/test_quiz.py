"""答题 scoring (rulebook section 9): live score, streak bonus, team scores, daily caps."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plaza.rules import quiz
from plaza.rules.quiz import challenge_points, daily_points, participation_rate, score, streak_bonus, team_score


class TestScore:
    def test_within_half_a_second_scores_the_full_base(self):
        assert score(correct=True, elapsed_ms=0, limit_ms=20_000) == 1000
        assert score(correct=True, elapsed_ms=500, limit_ms=20_000) == 1000
        assert score(correct=True, elapsed_ms=500, limit_ms=20_000, base=2000) == 2000

    def test_just_after_half_a_second_the_formula_applies(self):
        # 1000 × (1 − 501 / 20000 / 2) = 987.475 → 987
        assert score(correct=True, elapsed_ms=501, limit_ms=20_000) == 987

    def test_exactly_at_the_limit_is_in_time_and_scores_half(self):
        assert score(correct=True, elapsed_ms=20_000, limit_ms=20_000) == 500

    def test_one_millisecond_late_scores_nothing(self):
        assert score(correct=True, elapsed_ms=20_001, limit_ms=20_000) == 0

    def test_a_wrong_answer_scores_nothing_however_fast(self):
        assert score(correct=False, elapsed_ms=0, limit_ms=20_000) == 0
        assert score(correct=False, elapsed_ms=10_000, limit_ms=20_000) == 0

    def test_halves_round_up(self):
        # 1000 × (1 − 1000 / 20000 / 2) = 975 exactly; 1000 × (1 − 1001 / 20000 / 2) = 974.975 → 975
        assert score(correct=True, elapsed_ms=1000, limit_ms=20_000) == 975
        assert score(correct=True, elapsed_ms=1001, limit_ms=20_000) == 975
        # base 999 at the limit: 499.5 → 500 (half up, not to even)
        assert score(correct=True, elapsed_ms=20_000, limit_ms=20_000, base=999) == 500
        # 1000 × (1 − 1100 / 16000 / 2) = 965.625 → 966
        assert score(correct=True, elapsed_ms=1100, limit_ms=16_000) == 966
        # 1000 × (1 − 1500 / 16000 / 2) = 953.125 → 953
        assert score(correct=True, elapsed_ms=1500, limit_ms=16_000) == 953
        # an exact half: 10 × (1 − 1000 / 8000 / 2) = 9.375 → 9; 100 × (1 − 1000 / 8000 / 2) = 93.75 → 94
        assert score(correct=True, elapsed_ms=1000, limit_ms=8000, base=10) == 9
        assert score(correct=True, elapsed_ms=1000, limit_ms=8000, base=100) == 94
        # 1 × (1 − 1000 / 1000 / 2) = 0.5 → 1
        assert score(correct=True, elapsed_ms=1000, limit_ms=1000, base=1) == 1

    def test_float_arithmetic_would_round_this_half_down(self):
        # 10 × (1 − 600 / 2000 / 2) = 8.5 exactly → 9
        assert score(correct=True, elapsed_ms=600, limit_ms=2000, base=10) == 9
        assert round(10 * (1 - 600 / 2000 / 2)) == 8  # what Python's round() (half to even) would say

    def test_a_limit_under_half_a_second_scores_full_or_late(self):
        assert score(correct=True, elapsed_ms=300, limit_ms=300) == 1000
        assert score(correct=True, elapsed_ms=301, limit_ms=300) == 0

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"elapsed_ms": -1, "limit_ms": 20_000},
            {"elapsed_ms": 0, "limit_ms": 0},
            {"elapsed_ms": 0, "limit_ms": -5},
            {"elapsed_ms": 0, "limit_ms": 20_000, "base": -1},
            {"elapsed_ms": 1.5, "limit_ms": 20_000},
        ],
    )
    def test_bad_input_is_a_value_error(self, kwargs):
        with pytest.raises(ValueError):
            score(correct=True, **kwargs)

    def test_bad_input_is_refused_even_for_a_wrong_answer(self):
        with pytest.raises(ValueError):
            score(correct=False, elapsed_ms=-1, limit_ms=20_000)

    @given(
        base=st.integers(min_value=0, max_value=100_000),
        limit=st.integers(min_value=1, max_value=600_000),
        data=st.data(),
    )
    def test_a_right_answer_in_time_never_scores_under_half_the_base(self, base, limit, data):
        elapsed = data.draw(st.integers(min_value=0, max_value=limit))
        points = score(correct=True, elapsed_ms=elapsed, limit_ms=limit, base=base)
        assert base <= 2 * points
        assert points <= base

    @given(
        limit=st.integers(min_value=501, max_value=600_000),
        data=st.data(),
    )
    def test_a_slower_answer_never_scores_more(self, limit, data):
        first = data.draw(st.integers(min_value=0, max_value=limit))
        later = data.draw(st.integers(min_value=first, max_value=limit + 1000))
        assert score(correct=True, elapsed_ms=later, limit_ms=limit) <= score(
            correct=True, elapsed_ms=first, limit_ms=limit
        )


class TestStreakBonus:
    def test_the_table(self):
        assert [streak_bonus(k) for k in range(0, 9)] == [0, 0, 100, 200, 300, 400, 500, 500, 500]

    def test_a_negative_streak_is_a_value_error(self):
        with pytest.raises(ValueError):
            streak_bonus(-1)


class TestTeamScore:
    def test_sum(self):
        assert team_score([900, 700, 0], members=5, rule="sum") == Decimal("1600.00")

    def test_average_is_over_the_players_only(self):
        assert team_score([900, 700, 0], members=10, rule="average") == Decimal("533.33")
        assert team_score([1000, 1001], members=2, rule="average") == Decimal("1000.50")

    def test_average_of_no_players_is_zero(self):
        assert team_score([], members=4, rule="average") == Decimal("0.00")

    def test_best_n_takes_the_best_and_divides_by_n(self):
        assert team_score([100, 900, 700, 800], members=6, rule="best_n", best=2) == Decimal("850.00")

    def test_best_n_counts_missing_players_as_zero(self):
        assert team_score([900, 700], members=5, rule="best_n", best=3) == Decimal("533.33")
        assert team_score([], members=5, rule="best_n", best=3) == Decimal("0.00")

    def test_participation_divides_by_all_members(self):
        # sending only the best does not win: 1000 / 10 < (1000 + 9 × 200) / 10
        alone = team_score([1000], members=10, rule="participation")
        everyone = team_score([1000] + [200] * 9, members=10, rule="participation")
        assert (alone, everyone) == (Decimal("100.00"), Decimal("280.00"))
        assert alone < everyone

    def test_participation_of_a_team_without_members_is_zero(self):
        assert team_score([], members=0, rule="participation") == Decimal("0.00")

    def test_two_decimals_half_up(self):
        # 2 / 8 = 0.25; 1 / 8 = 0.125 → 0.13 (half up, not to even 0.12); 5 / 8 = 0.625 → 0.63
        assert team_score([1], members=8, rule="participation") == Decimal("0.13")
        assert team_score([5], members=8, rule="participation") == Decimal("0.63")
        assert team_score([1, 0, 0, 0, 0, 0, 0, 0], members=8, rule="average") == Decimal("0.13")

    def test_best_is_ignored_by_the_other_rules(self):
        assert team_score([3, 4], members=2, rule="sum", best=1) == Decimal("7.00")

    @pytest.mark.parametrize(
        ("scores", "kwargs"),
        [
            ([1, 2, 3], {"members": 2, "rule": "sum"}),
            ([1], {"members": 3, "rule": "median"}),
            ([1], {"members": 3, "rule": "best_n"}),
            ([1], {"members": 3, "rule": "best_n", "best": 0}),
            ([1], {"members": 3, "rule": "best_n", "best": True}),
            ([-1], {"members": 3, "rule": "sum"}),
            ([], {"members": -1, "rule": "sum"}),
        ],
    )
    def test_bad_input_is_a_value_error(self, scores, kwargs):
        with pytest.raises(ValueError):
            team_score(scores, **kwargs)


class TestParticipationRate:
    def test_players_over_members(self):
        assert participation_rate(2, 3) == Decimal("0.6667")
        assert participation_rate(5, 5) == Decimal("1.0000")
        assert participation_rate(0, 5) == Decimal("0.0000")

    def test_a_team_without_members_has_no_rate(self):
        assert participation_rate(0, 0) is None

    @pytest.mark.parametrize(("players", "members"), [(4, 3), (-1, 3), (1, -1)])
    def test_bad_input_is_a_value_error(self, players, members):
        with pytest.raises(ValueError):
            participation_rate(players, members)


class TestDailyCaps:
    def test_the_defaults_are_the_rulebooks(self):
        assert quiz.CHALLENGE_TIERS == ((5, 3), (10, 6))
        assert (quiz.DAILY_PER_RIGHT, quiz.DAILY_CAP, quiz.CHALLENGE_DAILY_CAP) == (1, 5, 6)

    def test_challenge_tiers(self):
        assert [challenge_points(n) for n in (0, 4, 5, 9, 10, 30)] == [0, 0, 3, 3, 6, 6]

    def test_challenge_points_stop_at_the_daily_cap(self):
        assert challenge_points(5, already_today=3) == 3
        assert challenge_points(10, already_today=3) == 3
        assert challenge_points(10, already_today=6) == 0
        assert challenge_points(10, already_today=9) == 0  # never negative

    def test_daily_quiz_one_point_per_right_answer_capped_at_five(self):
        assert [daily_points(n) for n in (0, 1, 4, 5, 6, 20)] == [0, 1, 4, 5, 5, 5]
        assert daily_points(3, already_today=4) == 1
        assert daily_points(3, already_today=5) == 0
        assert daily_points(3, already_today=7) == 0

    def test_the_figures_are_settings(self):
        assert daily_points(4, per_right=2, cap=10) == 8
        assert challenge_points(7, tiers=((3, 1), (7, 4)), cap=4) == 4

    @pytest.mark.parametrize("call", [lambda: daily_points(-1), lambda: daily_points(1, already_today=-1)])
    def test_bad_input_is_a_value_error(self, call):
        with pytest.raises(ValueError):
            call()

    def test_a_negative_run_is_a_value_error(self):
        with pytest.raises(ValueError):
            challenge_points(-1)
