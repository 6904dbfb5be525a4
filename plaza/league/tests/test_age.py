"""Age 28: the pure rule and the daily reminder sweep (《团章》第一条)."""

from datetime import date

from plaza.league.models import AgeReminder
from plaza.league.sweep import league_sweep
from plaza.notify.models import Task
from plaza.rules import league as rules

from .conftest import TODAY


def test_rule_dates_cite_the_tuanzhang():
    assert rules.leaving_date(date(1998, 7, 1)) == date(2026, 7, 1)
    assert rules.reminder_date(date(1998, 7, 1)) == date(2026, 6, 1)
    assert rules.reminder_date(date(1998, 3, 31)) == date(2026, 2, 28)
    assert not rules.may_stay(holds_league_post=False) and rules.may_stay(holds_league_post=True)
    assert rules.SOURCE == "《团章》第一条"
    assert "《团章》第一条" in rules.join_problems(date(2015, 1, 1), TODAY)[0].message


def test_sweep_reminds_the_branch_secretary_once_and_skips_post_holders(youth):
    assert league_sweep(date(2026, 5, 31)).reminded == 0  # a day before the month
    result = league_sweep(TODAY)
    assert result.reminded == 1 and result.skipped_post == 1  # 孙团书 turns 28 too, but holds a post
    task = Task.objects.get(source_type="league.age")
    assert task.assignee == youth.secretary_a
    assert "周将满" in task.title and "2026年7月1日" in task.title and "《团章》第一条" in task.title
    assert task.due_on == date(2026, 7, 1)
    task.done_at = task.created_at
    task.save()
    assert league_sweep(TODAY).reminded == 0  # idempotent, even once the to-do is done
    assert league_sweep(date(2026, 6, 20)).reminded == 0
    assert Task.objects.filter(source_type="league.age").count() == 1
    assert AgeReminder.objects.get().leaving_on == date(2026, 7, 1)
    assert league_sweep(date(2026, 7, 1)).reminded == 0  # on the day itself it is too late to remind


def test_sweep_goes_up_to_the_committee_secretary_when_a_branch_has_none(youth, world):
    youth.secretary_a.positions.update(until=date(2026, 1, 1))
    league_sweep(TODAY)
    task = Task.objects.get(source_type="league.age")
    assert task.assignee == youth.committee_secretary
