"""Individual and team contests: per-player order, server-clock scoring through plaza.rules.quiz, late and
too-fast answers, one answer per question, refusals, voiding, rankings, team rules with participation,
certificates and the public queries for other apps."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from plaza.quiz import queries, services
from plaza.quiz.models import ContestAnswer, State
from plaza.rules import quiz as rules

from .helpers import Clock, bank, make_contest, make_question


def _play(person, contest, clock, answers):  # noqa: ANN001, ANN201
    """Answer the attempt's questions: ``answers`` is a list of (seconds after sending, right?)."""
    attempt = services.start_attempt(person, contest)
    results = []
    for seconds, right in answers:
        base = clock.current
        delivery, question = services.deliver(attempt)
        shown = delivery.option_order.index(question.answer[0])
        clock.current = base + (clock.at(seconds) - clock.at(0))
        results.append(services.answer_attempt(person, attempt, question.pk, [shown if right else (shown + 1) % 4]))
    attempt.refresh_from_db()
    return attempt, results


def test_scores_use_the_server_clock_and_the_rules_api(world, monkeypatch):
    clock = Clock(monkeypatch)
    questions = bank(world.committee, 4)
    contest = make_contest(world, questions, streak=True)
    attempt, results = _play(world.member_a, contest, clock, [(0.4, True), (10, True), (20.001, True), (5, False)])
    points = [r.answer.points for r in results]
    assert (
        points
        == [
            rules.score(correct=True, elapsed_ms=400, limit_ms=20_000),
            rules.score(correct=True, elapsed_ms=10_000, limit_ms=20_000),
            0,  # late: 1 ms over the limit
            0,
        ]
        == [1000, 750, 0, 0]
    )
    assert [r.answer.bonus for r in results] == [0, rules.streak_bonus(2), 0, 0]
    assert results[2].answer.late and "超过答题时限" in results[2].message
    assert attempt.score == 1850 and attempt.right == 2 and attempt.finished_at is not None


def test_each_player_gets_their_own_order_and_option_order(world, monkeypatch):
    clock = Clock(monkeypatch)
    questions = bank(world.committee, 8)
    contest = make_contest(world, questions)
    orders = set()
    for person in (world.member_a, world.member_b, world.activist_a, world.secretary_a, world.secretary_b):
        attempt = services.start_attempt(person, contest)
        orders.add(tuple(attempt.order))
        delivery, _question = services.deliver(attempt)
        assert sorted(delivery.option_order) == [0, 1, 2, 3]
    assert len(orders) > 1
    assert clock.current  # the send time is the server's


def test_a_reload_keeps_the_send_time(world, monkeypatch):
    clock = Clock(monkeypatch)
    contest = make_contest(world, bank(world.committee, 2))
    attempt = services.start_attempt(world.member_a, contest)
    first, _q = services.deliver(attempt)
    clock.at(15)
    again, _q = services.deliver(attempt)
    assert again.pk == first.pk and again.sent_at == first.sent_at


def test_bots_are_flagged_not_scored_and_second_answers_refused(world, monkeypatch):
    clock = Clock(monkeypatch)
    contest = make_contest(world, bank(world.committee, 2))
    attempt = services.start_attempt(world.member_a, contest)
    delivery, question = services.deliver(attempt)
    clock.at(0.2)
    scored = services.answer_attempt(world.member_a, attempt, question.pk, [delivery.option_order.index(1)])
    assert scored.answer.flagged and scored.answer.points == 0 and scored.answer.correct
    assert "作答过快" in scored.message
    with pytest.raises(ValidationError, match="不是当前的题目"):
        services.answer_attempt(world.member_a, attempt, question.pk, [0])
    assert ContestAnswer.objects.filter(attempt=attempt).count() == 1
    assert [a.attempt.person for a in queries.flagged_answers(contest)] == [world.member_a]


def test_refusals_not_in_organisations_closed_attempts_used(world, monkeypatch):
    Clock(monkeypatch)
    contest = make_contest(world, bank(world.branch_a, 1), organisation=world.branch_a, organisations=[world.branch_a])
    with pytest.raises(ValidationError, match="不在本次竞赛的参赛组织"):
        services.start_attempt(world.member_b, contest)
    attempt = services.start_attempt(world.member_a, contest)
    _delivery, question = services.deliver(attempt)
    services.answer_attempt(world.member_a, attempt, question.pk, [0])
    with pytest.raises(ValidationError, match="用完本次竞赛的 1 次"):
        services.start_attempt(world.member_a, contest)
    services.close_contest(world.staff, contest)
    with pytest.raises(ValidationError, match="竞赛已经结束"):
        services.start_attempt(world.activist_a, contest)


def test_best_of_n_counts_the_best_attempt(world, monkeypatch):
    clock = Clock(monkeypatch)
    contest = make_contest(world, bank(world.committee, 2), attempts=2)
    _play(world.member_a, contest, clock, [(5, False), (5, False)])
    _play(world.member_a, contest, clock, [(5, True), (5, True)])
    [row] = queries.ranking(contest)
    assert row.attempt.number == 2 and row.passed


def test_a_void_removes_everyones_score_for_the_question_audited(world, monkeypatch):
    clock = Clock(monkeypatch)
    questions = bank(world.committee, 2)
    contest = make_contest(world, questions, streak=False)
    a, _r = _play(world.member_a, contest, clock, [(0.4, True), (0.4, True)])
    assert a.score == 2000
    assert services.void_question(world.staff, contest, questions[0], "答案有误") == 1
    a.refresh_from_db()
    assert a.score == 1000 and a.right == 1
    assert queries.passed_contest(world.member_a, contest)  # 1 of the 1 question that counts
    with pytest.raises(ValidationError, match="已经作废"):
        services.void_question(world.staff, contest, questions[0], "再作废")


def test_results_final_and_certificates_when_closed(world, monkeypatch, login):
    clock = Clock(monkeypatch)
    contest = make_contest(world, bank(world.committee, 2), pass_percent=50, winners=1)
    _play(world.member_a, contest, clock, [(1, True), (1, True)])
    _play(world.member_b, contest, clock, [(1, True), (1, False)])
    client = login(world.member_b)
    assert client.get(f"/quiz/contests/{contest.pk}/certificate.pdf").status_code == 404  # not final yet
    services.close_contest(world.staff, contest)
    with pytest.raises(ValidationError, match="最终结果"):
        services.void_question(world.staff, contest, contest.fixed.first().question, "太晚了")
    response = client.get(f"/quiz/contests/{contest.pk}/certificate.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF") and b"STSong-Light" in response.content
    ranked = queries.ranking(contest)
    assert [(r.person, r.rank, r.winner, r.passed) for r in ranked] == [
        (world.member_a, 1, True, True),
        (world.member_b, 2, False, True),
    ]
    assert queries.passed_contest(world.member_b, contest, final_only=True)
    assert not queries.passed_contest(world.activist_a, contest)


def test_contests_for_tag_finds_draw_tags_and_fixed_questions(world, monkeypatch):
    Clock(monkeypatch)
    e5 = make_question(world.committee, tags=("E5",))
    fixed = make_contest(world, [e5], title="E5 固定题")
    make_question(world.committee, 2, tags=("锐歌",), difficulty=1)
    from plaza.quiz.models import Tag

    drawn = make_contest(world, None, title="锐歌抽题", tags=[Tag.objects.get(name="锐歌")], easy=1, medium=0)
    assert list(queries.contests_for_tag("E5")) == [fixed]
    assert list(queries.contests_for_tag("锐歌")) == [drawn]
    attempt = services.start_attempt(world.member_a, drawn)
    assert len(attempt.order) == 1


def test_team_contest_by_branch_with_participation(world, monkeypatch):
    clock = Clock(monkeypatch)
    contest = make_contest(
        world, bank(world.committee, 1), mode="team", team_basis="branch", team_rule="participation", streak=False
    )
    teams = {t.name: t.members.count() for t in contest.teams.all()}
    assert teams == {"装调车间党支部": 3, "物流和采购党支部": 2}
    _play(world.member_a, contest, clock, [(0.4, True)])
    _play(world.member_b, contest, clock, [(0.4, True)])
    _play(world.secretary_b, contest, clock, [(10, True)])
    rows = {r.name: r for r in queries.team_ranking(contest)}
    assert rows["物流和采购党支部"].score == rules.team_score([1000, 750], members=2, rule="participation")
    assert rows["装调车间党支部"].score == rules.team_score([1000], members=3, rule="participation")
    assert rows["装调车间党支部"].rate_percent == "33.3%" and rows["物流和采购党支部"].rank == 1
    assert {p.pk for p in queries.missing_players(contest)} == {world.secretary_a.pk, world.activist_a.pk}
    with pytest.raises(ValidationError, match="不在本次团队赛"):
        services.start_attempt(world.staff, contest)


def test_custom_teams_refuse_unknown_numbers(world, monkeypatch):
    Clock(monkeypatch)
    contest = services.create_contest(
        world.staff,
        services.ContestData(
            title="手工组队",
            mode="team",
            organisation=world.committee,
            organisations=[world.committee],
            opens_at=make_question(world.committee).created_at,
            closes_at=make_question(world.committee, 2).created_at.replace(year=2030),
            team_basis="custom",
            easy=0,
            medium=1,
        ),
    )
    with pytest.raises(ValidationError, match="找不到这些工号：X9999"):
        services.form_teams(world.staff, contest, [("红队", ["A0002", "X9999"])])
    assert services.form_teams(world.staff, contest, [("红队", ["A0002", "B0002"]), ("蓝队", ["A0003"])]) == 2
    services.open_contest(world.staff, contest)
    assert contest.state == State.OPEN
