"""The demo on the test world: a half-played product team contest by branch, a live contest ready to host, a
closed contest with certificates, a week of daily questions behind the members."""

from __future__ import annotations

from plaza.quiz import queries
from plaza.quiz.demo import seed_demo_quiz
from plaza.quiz.models import Contest, DailyItem, Mode, Question, State


def test_demo_tells_the_contest_story(world):
    seed_demo_quiz(seed=1)
    assert Question.objects.count() >= 35
    team = Contest.objects.get(mode=Mode.TEAM)
    rows = queries.team_ranking(team)
    assert [r.name for r in rows] == ["装调车间党支部"] and rows[0].members == 3
    live = Contest.objects.get(mode=Mode.LIVE)
    assert live.state == State.DRAFT and len(live.pin) == 6 and live.fixed.count() == 5
    closed = Contest.objects.get(state=State.CLOSED)
    assert any(r.winner for r in queries.ranking(closed))
    assert queries.contests_for_tag("锐歌").filter(pk=team.pk).exists()
    assert DailyItem.objects.exists()
    # an employee who is not a Party member (群众, in the union only) still has product questions to learn
    theirs = queries.questions_for(world.employee)
    assert theirs.count() >= 15
    assert all({"锐歌", "E5", "产品知识", "通星汇"} & {t.name for t in q.tags.all()} for q in theirs)
    # wrong answers are spread over the wrong options: not every question flagged for options nobody picks
    stats = queries.question_stats(list(Question.objects.all()))
    flagged = [q for q in Question.objects.all() if queries.flags(q, stats[q.pk])]
    assert len(flagged) < Question.objects.count() / 2
    seed_demo_quiz(seed=1)  # a second run adds nothing
    assert Contest.objects.count() == 3
