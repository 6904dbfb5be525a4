"""Issue 20 items 5, 7, 8 and issue 12 item 8 through the services: the 换届请示 deadline that a 本单位规定 moves
moves the board's colour, its legend, the reminder and the to-do, a deadline already passed shows as late,
and a re-elected committee keeps its own term length."""

from datetime import date

from django.utils import timezone

from plaza.elections import queries, services
from plaza.elections.sweep import REQUEST_TASK, terms_sweep
from plaza.localrules.services import set_rule
from plaza.notify.models import Reminder, Task
from plaza.rules import elections as rules

from .conftest import TODAY
from .test_elections import _approved

REQUEST = "elections.request_months_before"
DUE = date(2026, 12, 1)  # a branch term from 2023-12-01, 3 years


def _three_months(world, **kwargs):
    kwargs = kwargs or {"effective_from": date(2026, 1, 1), "backdate": True}
    set_rule(world.staff, world.committee, REQUEST, "3", "党委要求届满前 3 个月报送换届请示", **kwargs)


def _row(world, today):
    return next(r for r in queries.term_board(world.staff, today) if r.organisation == world.branch_a)


def test_the_request_deadline_under_the_local_rule_colours_the_board_on_and_after_its_day(world):
    services.set_term(world.staff, world.branch_a, started_on=date(2023, 12, 1))
    _three_months(world)
    assert _row(world, date(2026, 6, 1)).state == "soon"  # six months before: the 《任期意见》 reminder
    assert _row(world, date(2026, 5, 31)).state == "ok"  # one day before
    on_the_day = _row(world, date(2026, 9, 1))  # the last day for the request: not late yet
    assert on_the_day.state == "soon" and on_the_day.request_on == date(2026, 9, 1)
    late = _row(world, date(2026, 9, 2))
    assert late.state == "request_late" and late.request_days_late == 1
    assert _row(world, DUE).state == "request_late" and _row(world, date(2026, 12, 2)).state == "overdue"
    legend = queries.board_legend([late])
    assert "届满前 3 个月报送" in legend and "两个月" not in legend and "6个月" in legend


def test_a_passed_request_deadline_is_reminded_at_once_marked_late_and_put_on_the_to_do(world):
    """Issue 12 item 8: 39 days before the end, with a 3-month rule, the request is late: the board, the
    reminder and the to-do say so (before, the only reminder was on the expiry day)."""
    services.set_term(world.staff, world.branch_a, started_on=date(2023, 12, 1))
    _three_months(world)
    today = date(2026, 10, 23)  # 39 days before the end
    terms_sweep(today)
    reminder = Reminder.objects.get(dedupe_key__contains=":request_due:")
    assert timezone.localtime(reminder.due_at).date() == today  # due at once
    assert reminder.title.startswith("（已逾期）") and "2026年9月1日 前报送" in reminder.title
    assert reminder.cancelled_at is None and reminder.deliveries.filter(recipient=world.secretary_a).exists()
    task = Task.objects.get(source_type=REQUEST_TASK, assignee=world.secretary_a, done_at__isnull=True)
    assert task.due_on == date(2026, 9, 1) and "（已逾期）" in task.title
    assert not Reminder.objects.filter(dedupe_key__contains=":six_months:").exists()  # not sent late


def test_changing_the_rule_moves_the_pending_reminder_and_to_do_at_once_even_into_the_past(world):
    """Issue 20 item 8: a pending reminder does not keep the old date and text."""
    services.set_term(world.staff, world.branch_a, started_on=date(2023, 12, 1))
    terms_sweep(date(2026, 8, 1))  # the default: request by 2026-10-01
    reminder = Reminder.objects.get(dedupe_key__contains=":request_due:")
    assert timezone.localtime(reminder.due_at).date() == date(2026, 10, 1) and "已逾期" not in reminder.title
    task = Task.objects.get(source_type=REQUEST_TASK, assignee=world.secretary_a, done_at__isnull=True)
    assert task.due_on == date(2026, 10, 1)
    today = date(2026, 9, 15)
    _three_months(world, today=today)  # from today: request by 2026-09-01, already passed
    reminder.refresh_from_db()
    assert timezone.localtime(reminder.due_at).date() == today and reminder.deadline == date(2026, 9, 1)
    assert reminder.title.startswith("（已逾期）") and "2026年9月1日" in reminder.title
    task.refresh_from_db()
    assert task.due_on == date(2026, 9, 1) and "（已逾期）" in task.title
    assert Task.objects.filter(source_type=REQUEST_TASK, done_at__isnull=True).count() == 1  # one duty, one to-do


def test_sending_the_request_closes_the_to_do_and_cancels_the_reminder(world, voters):
    services.set_term(world.staff, world.branch_a, started_on=date(2023, 6, 1))  # due 2026-06-01
    terms_sweep(date(2026, 1, 1))
    assert Task.objects.filter(source_type=REQUEST_TASK, done_at__isnull=True).exists()
    _approved(world, voters)  # 换届请示 sent and approved
    assert not Task.objects.filter(source_type=REQUEST_TASK, done_at__isnull=True).exists()
    assert Reminder.objects.get(dedupe_key__contains=":request_due:").cancelled_at is not None
    row = _row(world, date(2026, 5, 1))
    assert row.state == "soon" and row.requested  # the request is in: not late


def test_a_re_elected_committee_keeps_its_own_term_length(world, voters):
    """Issue 20 item 7: a 4-year term does not become 3 after re-election."""
    services.set_term(world.staff, world.branch_a, started_on=date(2022, 6, 1), years=4)
    election = services.open_voting(world.secretary_a, _approved(world, voters))
    ids = {c.person.name: c.pk for c in election.candidates.select_related("person")}
    for voter in voters:
        services.cast(voter, election, code=election.code, yes=[ids["丁一"], ids["王五"]])
    services.close_voting(world.secretary_a, election)
    services.report_result(world.secretary_a, election)
    services.confirm_result(world.staff, election, today=TODAY)
    term = services.current_term(world.branch_a)
    assert (term.started_on, term.years, term.ends_on) == (TODAY, 4, date(2030, 6, 1))
    assert services.vote_day(election) == election.planned_on == TODAY


def test_term_lengths_and_the_yellow_mark_come_from_plaza_rules():
    assert dict(services.TERM_YEARS) == dict(rules.TERM_YEARS)
    assert rules.term_years("branch") == 3 and rules.term_years("committee", own=4) == 4
    # yellow from the day six months before the end (not a fixed 183 days)
    assert rules.term_status(date(2027, 2, 28), date(2026, 8, 28)).state == "soon"
    assert rules.term_status(date(2027, 2, 28), date(2026, 8, 27)).state == "ok"


def test_the_board_page_shows_the_late_request_with_the_local_legend(client, world, settings):
    services.set_term(world.staff, world.branch_a, started_on=date(2023, 12, 1))
    _three_months(world)
    settings.PLAZA_TODAY = "2026-10-23"
    client.force_login(world.staff)
    page = client.get("/elections/").content.decode()
    assert "换届请示已逾期 52 天（应于 2026年9月1日 前报送）" in page and "39 天后届满" in page
    assert "换届请示于届满前 3 个月报送（本单位规定）" in page and "两个月前" not in page


def test_the_request_to_do_leads_to_where_the_request_is_written(world, client):
    """The tester's to-do 「报送换届请示」 led to the elections list; the form is on the election's page. It now leads
    there, or to the form that starts the election when there is none yet (with a word on what comes next)."""
    services.set_term(world.staff, world.branch_a, started_on=date(2023, 12, 1))
    terms_sweep(date(2026, 8, 1))
    task = Task.objects.get(source_type=REQUEST_TASK, assignee=world.secretary_a, done_at__isnull=True)
    client.force_login(world.secretary_a)
    first = client.get(task.url, follow=True)
    assert first.redirect_chain[-1][0] == f"/elections/org/{world.branch_a.pk}/new/"
    assert "建好后在选举页填写并报送换届请示" in first.content.decode()
    election = services.create_election(world.secretary_a, world.branch_a, seats=3, planned_on=TODAY)
    then = client.get(task.url)
    assert then.status_code == 302 and then.url == f"/elections/{election.pk}/#request"
    assert 'id="request"' in client.get(then.url).content.decode()
    client.force_login(world.member_a)
    assert client.get(task.url).status_code == 404  # not an officer of the branch
