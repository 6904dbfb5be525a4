"""换届选举: terms, request and approval, candidates, phone ballots (secret, once), paper counts by two tellers,
run-offs and separate votes, the result report and its approval."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plaza.elections import services
from plaza.elections.models import Ballot, Election, Kind, Mode, Round, SealedBallot, State, Term, VoterRecord
from plaza.elections.strokes import by_strokes, stroke_key
from plaza.orgs.models import Position, Title
from plaza.rules import elections as rules

from .conftest import TODAY


def test_candidates_are_in_surname_stroke_order():
    names = ["张三", "王五", "李四", "丁一", "王一", "赵六"]
    assert by_strokes(names) == ["丁一", "王一", "王五", "李四", "张三", "赵六"]
    assert stroke_key("刘")[0][0] == 6 and stroke_key("㐀")[0][0] == 999  # unknown characters sort last


def _approved(world, voters, seats: int = 2, mode: str = Mode.PHONE, names: tuple = ("丁一", "王五", "李四")):
    election = services.create_election(world.secretary_a, world.branch_a, seats=seats, planned_on=TODAY, mode=mode)
    people = {p.name: p for p in voters}
    for name in names:
        services.nominate(world.secretary_a, election, people[name])
    services.request_approval(world.secretary_a, election, text="支部委员会任期届满，拟进行换届选举。")
    services.decide_request(world.staff, election, approve=True, comment="同意")
    election.refresh_from_db()
    return election


def test_terms_shift_within_a_year_with_the_upper_committees_approval(world):
    with pytest.raises(PermissionDenied):
        services.set_term(world.secretary_a, world.branch_a, started_on=date(2023, 6, 1))
    term = services.set_term(world.staff, world.branch_a, started_on=date(2023, 6, 1))
    assert (term.years, term.ends_on) == (3, date(2026, 6, 1))
    with pytest.raises(ValidationError, match="不超过一年"):
        services.shift_term(world.staff, term, to=date(2027, 7, 1), reason="生产任务繁重")
    services.shift_term(world.staff, term, to=date(2026, 12, 1), reason="生产任务繁重")
    assert Term.objects.get(pk=term.pk).due_on == date(2026, 12, 1)


def test_term_reminders_go_out_once(world):
    from plaza.elections.sweep import terms_sweep
    from plaza.notify.models import Reminder

    services.set_term(world.staff, world.branch_a, started_on=date(2023, 12, 1))
    terms_sweep(date(2026, 6, 1))
    terms_sweep(date(2026, 6, 2))
    keys = sorted(Reminder.objects.values_list("dedupe_key", flat=True))
    assert len(keys) == 3 and any(":six_months:" in k for k in keys)
    six = Reminder.objects.get(dedupe_key__contains=":six_months:")
    assert {world.secretary_a.pk, world.staff.pk} >= set(six.deliveries.values_list("recipient_id", flat=True))


def test_the_request_reminder_follows_the_organisations_local_rule(world):
    from plaza.elections.sweep import terms_sweep
    from plaza.localrules.services import set_rule
    from plaza.notify.models import Reminder

    services.set_term(world.staff, world.branch_a, started_on=date(2023, 12, 1))  # due 2026-12-01
    set_rule(
        world.staff,
        world.committee,
        "elections.request_months_before",
        "4",
        "党委要求提前四个月请示",
        effective_from=date(2026, 1, 1),
        backdate=True,
    )
    terms_sweep(date(2026, 6, 1))
    request = Reminder.objects.get(dedupe_key__contains=":request_due:")
    assert timezone.localtime(request.due_at).date() == date(2026, 8, 1)  # four months before, not the default two
    assert "2026年8月1日 前报送" in request.title


def test_the_request_needs_enough_candidates_and_the_upper_committees_approval(world, voters):
    election = services.create_election(world.secretary_a, world.branch_a, seats=3, planned_on=TODAY)
    for person in voters[2:5]:
        services.nominate(world.secretary_a, election, person)
    with pytest.raises(ValidationError, match="至少 4 名"):
        services.request_approval(world.secretary_a, election, text="拟进行换届选举，请批复。")
    services.nominate(world.secretary_a, election, voters[5])
    with pytest.raises(ValidationError, match="已是候选人"):
        services.nominate(world.secretary_a, election, voters[5])
    with pytest.raises(ValidationError, match="不是本组织的正式党员"):
        services.nominate(world.secretary_a, election, world.activist_a)
    services.request_approval(world.secretary_a, election, text="拟进行换届选举，请批复。")
    with pytest.raises(PermissionDenied):
        services.decide_request(world.secretary_a, election, approve=True)  # not one's own approval
    with pytest.raises(ValidationError, match="写明意见"):
        services.decide_request(world.staff, election, approve=False)
    services.decide_request(world.staff, election, approve=False, comment="请补充候选人简况")
    assert Election.objects.get(pk=election.pk).state == State.RETURNED


def test_phone_ballots_are_secret_counted_once_and_hidden_until_closed(world, voters, client):
    election = _approved(world, voters)
    with pytest.raises(ValidationError, match="缺席原因"):
        services.open_voting(world.secretary_a, election, absent={voters[5].pk: ""})
    election = services.open_voting(world.secretary_a, election, absent={voters[5].pk: "出差"})
    assert (election.entitled, election.present) == (6, 5)  # the probationary member has no vote
    with pytest.raises(ValidationError, match="投票已开始"):
        services.nominate(world.secretary_a, election, voters[0])
    ids = {c.person.name: c.pk for c in election.candidates.select_related("person")}
    with pytest.raises(ValidationError, match="投票码不正确"):
        services.cast(voters[0], election, code="000000" if election.code != "000000" else "111111")
    with pytest.raises(ValidationError, match="登记为缺席"):
        services.cast(voters[5], election, code=election.code)
    with pytest.raises(ValidationError, match="不能多于应选人数"):
        services.cast(voters[0], election, code=election.code, yes=[ids["丁一"], ids["王五"]], write_ins=["陈晓"])
    receipts = [
        services.cast(voters[0], election, code=election.code, yes=[ids["丁一"], ids["王五"]]),
        services.cast(voters[1], election, code=election.code, yes=[ids["丁一"]], against=[ids["李四"]]),
        services.cast(voters[2], election, code=election.code, yes=[ids["丁一"], ids["李四"]]),
        services.cast(voters[3], election, code=election.code, yes=[ids["王五"]], write_ins=["刘昭涛"]),
    ]
    with pytest.raises(ValidationError, match="已投过票"):
        services.cast(voters[0], election, code=election.code, yes=[ids["李四"]])
    client.force_login(world.admin)
    page = client.get(f"/elections/{election.pk}/").content.decode()
    assert "已投票 4 人" in page and 'data-testid="result"' not in page  # nobody sees the count before closing
    services.close_voting(world.secretary_a, election)
    election.refresh_from_db()
    assert election.result["votes"] == {"丁一": 3, "王五": 2, "刘昭涛": 1, "李四": 1}
    assert election.result["elected"] == ["丁一"] and election.result["unfilled"] == 1
    separate = election.rounds.get()
    assert (separate.round, separate.seats, separate.state) == (Round.SEPARATE, 1, State.APPROVED)
    assert sorted(Ballot.objects.values_list("receipt", flat=True)) == sorted(receipts)
    assert VoterRecord.objects.filter(election=election).count() == 4
    with pytest.raises(ValidationError, match="已经结束"):
        services.cast(voters[4], election, code=election.code, yes=[ids["丁一"]])


def test_a_tie_goes_to_a_run_off_and_the_result_is_approved_into_positions(world, voters):
    election = _approved(world, voters, seats=2)
    election = services.open_voting(world.secretary_a, election)
    ids = {c.person.name: c.pk for c in election.candidates.select_related("person")}
    ballots = [
        ["丁一", "王五"],
        ["丁一", "李四"],
        ["王五", "李四"],
        ["王五", "李四"],
        ["丁一", "王五"],
        ["丁一", "李四"],
    ]
    for voter, names in zip(voters, ballots, strict=True):
        services.cast(voter, election, code=election.code, yes=[ids[n] for n in names])
    services.close_voting(world.secretary_a, election)
    election.refresh_from_db()
    assert election.result["votes"] == {"丁一": 4, "李四": 4, "王五": 4}  # all above half of 6, tied
    assert election.result["elected"] == [] and election.result["runoff"] == ["丁一", "李四", "王五"]
    runoff = election.rounds.get()
    assert (runoff.round, runoff.seats) == (Round.RUNOFF, 2)
    with pytest.raises(ValidationError, match="再次投票或另行选举"):
        services.report_result(world.secretary_a, election)
    runoff = services.open_voting(world.secretary_a, runoff)
    assert (runoff.entitled, runoff.present) == (6, 6)
    runoff_ids = {c.person.name: c.pk for c in runoff.candidates.select_related("person")}
    for voter in voters[:4]:
        services.cast(voter, runoff, code=runoff.code, yes=[runoff_ids["丁一"], runoff_ids["王五"]])
    services.close_voting(world.secretary_a, runoff)
    assert services.elected(Election.objects.get(pk=election.pk)) == ["丁一", "王五"]
    services.report_result(world.secretary_a, election)
    with pytest.raises(PermissionDenied):
        services.confirm_result(world.secretary_a, election)
    services.confirm_result(world.staff, election, today=TODAY)
    members = set(
        Position.objects.current(TODAY)
        .filter(organisation=world.branch_a, title=Title.COMMITTEE_MEMBER)
        .values_list("person__name", flat=True)
    )
    assert members == {"丁一", "王五"}
    assert not Position.objects.current(TODAY).filter(person=world.secretary_a, title=Title.SECRETARY).exists()
    term = services.current_term(world.branch_a)
    assert term.started_on == TODAY and term.election_id == election.pk


def test_a_winner_written_in_by_the_voters_takes_office_once_the_upper_committee_names_them(world, voters, client):
    election = services.open_voting(world.secretary_a, _approved(world, voters, seats=2))
    ids = {c.person.name: c.pk for c in election.candidates.select_related("person")}
    assert "赵六" not in ids  # a full member of the branch, but not a candidate
    for voter in voters[:4]:
        services.cast(voter, election, code=election.code, yes=[ids["丁一"]], write_ins=["赵六"])
    services.close_voting(world.secretary_a, election)
    services.report_result(world.secretary_a, election)
    election.refresh_from_db()
    assert election.result["elected"] == ["丁一", "赵六"] and services.write_in_winners(election) == ["赵六"]

    with pytest.raises(ValidationError, match="请填写其工号"):
        services.confirm_result(world.staff, election, today=TODAY)
    with pytest.raises(ValidationError, match="与选票上的 赵六 不一致"):
        services.confirm_result(world.staff, election, today=TODAY, write_ins={"赵六": "A0033"})
    client.force_login(world.staff)
    assert 'name="write_in_0"' in client.get(f"/elections/{election.pk}/").content.decode()
    client.post(f"/elections/{election.pk}/confirm/", {"write_in_0": "A0034"})
    members = set(
        Position.objects.current(TODAY)
        .filter(organisation=world.branch_a, title=Title.COMMITTEE_MEMBER)
        .values_list("person__employee_no", flat=True)
    )
    assert members == {"A0031", "A0034"}


def test_officers_are_elected_with_as_many_candidates_as_seats(world, voters):
    election = services.create_election(
        world.secretary_a, world.branch_a, seats=1, planned_on=TODAY, kind=Kind.SECRETARY
    )
    assert election.state == State.APPROVED  # the committee's first meeting: no further request
    services.nominate(world.secretary_a, election, world.secretary_a)
    with pytest.raises(ValidationError, match="不是本组织的正式党员"):
        services.nominate(world.secretary_a, election, voters[2])  # not on the committee


def test_paper_counts_must_agree_between_two_tellers(world, voters):
    election = _approved(world, voters, seats=2, mode=Mode.PAPER)
    with pytest.raises(ValidationError, match="两名计票人"):
        services.open_voting(world.secretary_a, election, tellers=[voters[0]])
    election = services.open_voting(world.secretary_a, election, tellers=[voters[4], voters[5]])
    with pytest.raises(ValidationError, match="不是计票阶段"):
        services.enter_count(voters[4], election, returned=6, invalid=0, votes={"丁一": 6})
    services.close_voting(world.secretary_a, election)
    with pytest.raises(PermissionDenied):
        services.enter_count(voters[0], election, returned=6, invalid=0, votes={"丁一": 6})
    with pytest.raises(ValidationError, match="计票数字不合理"):
        services.enter_count(voters[4], election, returned=6, invalid=0, votes={"丁一": 7})
    assert services.enter_count(voters[4], election, returned=6, invalid=1, votes={"丁一": 5, "王五": 4}) == "waiting"
    assert services.enter_count(voters[5], election, returned=6, invalid=1, votes={"丁一": 5, "王五": 3}) == "disagree"
    assert Election.objects.get(pk=election.pk).result is None  # no result until they agree
    assert services.enter_count(voters[5], election, returned=6, invalid=1, votes={"丁一": 5, "王五": 4}) == "agreed"
    election.refresh_from_db()
    assert election.state == State.CLOSED and election.result["elected"] == ["丁一", "王五"]
    assert election.result["invalid"] == 1


def test_write_ins_longer_than_a_name_are_refused_on_phone_paper_and_ballot(world, voters):
    """Issue 11 item 14: a 5,000-character write-in was stored and shown. A name is at most 64 characters (as a
    person's name in Plaza), refused with the reason in the service, the count form and the model."""
    from plaza.elections.forms import CountForm
    from plaza.elections.models import NAME_MAX_LENGTH, TellerCount

    election = services.open_voting(world.secretary_a, _approved(world, voters))
    with pytest.raises(ValidationError, match="另选他人的姓名不能超过 64 个字"):
        services.cast(voters[0], election, code=election.code, write_ins=["长" * 5000])
    with pytest.raises(ValidationError, match="不能使用的字符"):
        services.cast(voters[0], election, code=election.code, write_ins=["陈\x00晓"])
    assert not VoterRecord.objects.exists()  # refused before anything was written
    services.cast(voters[0], election, code=election.code, write_ins=["长" * NAME_MAX_LENGTH])  # the longest name

    paper = services.open_voting(
        world.secretary_a, _approved(world, voters, mode=Mode.PAPER), tellers=[voters[4], voters[5]]
    )
    services.close_voting(world.secretary_a, paper)
    with pytest.raises(ValidationError, match="不能超过 64 个字"):
        services.enter_count(voters[4], paper, returned=6, invalid=0, votes={"长" * 65: 1})
    form = CountForm({"returned": 6, "invalid": 0, "write_in_0": "长" * 5000, "write_in_votes_0": 1}, names=[])
    assert not form.is_valid() and "另选他人的姓名不能超过 64 个字。" in form.errors["write_in_0"]
    with pytest.raises(ValidationError, match="不能超过 64 个字"):
        TellerCount(election=paper, teller=voters[4], returned=1, invalid=0, votes={"长" * 65: 1}).full_clean()
    with pytest.raises(ValidationError, match="不能超过 64 个字"):
        Ballot(election=paper, names=["长" * 65]).full_clean()


def test_the_ballot_table_cannot_name_its_voter():
    """No column, no ordering and no timestamp on a ballot that could tie it to who cast it."""
    from django.db import models

    fields = {f.name: f for f in Ballot._meta.concrete_fields}
    assert set(fields) == {"id", "election", "names", "against", "abstain", "receipt"}  # no time at all
    assert isinstance(fields["id"], models.UUIDField) and fields["id"].default.__name__ == "uuid4"
    sealed = {f.name for f in SealedBallot._meta.concrete_fields}
    assert sealed == {"id", "election", "sealed"}  # while voting is open: ciphertext only
    assert not any(
        isinstance(f, models.ForeignKey) and f.related_model._meta.label == "accounts.Person" for f in fields.values()
    )
    assert Ballot._meta.ordering == ["receipt"]
    assert {f.name for f in VoterRecord._meta.concrete_fields} == {"id", "election", "person"}  # no time at all


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(["丁一", "王五", "李四"]), max_size=2, unique=True), min_size=5, max_size=6))
def test_stored_ballots_count_exactly_what_was_cast(world, voters, choices):
    """Whatever the voters choose, each ballot is stored once, under a receipt, and counted as cast."""
    election = _approved(world, voters)
    election = services.open_voting(world.secretary_a, election)
    ids = {c.person.name: c.pk for c in election.candidates.select_related("person")}
    receipts = [
        services.cast(voter, election, code=election.code, yes=[ids[n] for n in names])
        for voter, names in zip(voters, choices, strict=False)
    ]
    services.close_voting(world.secretary_a, election)
    election.refresh_from_db()
    expected = rules.tally(seats=2, entitled=6, present=6, ballots=[sorted(c) for c in choices])
    assert election.result["votes"] == expected.votes and len(set(receipts)) == len(choices)
    Election.objects.filter(parent=election).delete()  # hypothesis reuses the database between examples
    Election.objects.filter(pk=election.pk).delete()
