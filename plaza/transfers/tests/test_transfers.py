from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from plaza.accounts.models import PoliticalStatus, StatusChange
from plaza.audit.models import AuditEntry
from plaza.localrules.services import set_rule
from plaza.notify.models import Notification, Reminder, Task
from plaza.orgs.models import Membership, Position, Title, Tree
from plaza.orgs.queries import party_branch_of
from plaza.recruitment.models import Pipeline
from plaza.rules.transfers import letter_valid_until
from plaza.testing.factories import PersonFactory, appoint
from plaza.transfers import services
from plaza.transfers.models import Contact, Initiator, Kind, State, Transfer
from plaza.transfers.sweep import EXPIRED_SOURCE, LOST_SOURCE, transfers_sweep

from .conftest import TODAY


def party_memberships(person):
    return list(
        Membership.objects.filter(person=person, tree=Tree.PARTY)
        .order_by("since", "pk")
        .values_list("organisation__code", "since", "until")
    )


def start_ab(world, actor=None):
    return services.start_transfer(
        actor or world.member_a, world.member_a, world.branch_b, reason="工作调动到物流部门", today=TODAY
    )


# ----------------------------------------------------------------------------------------------- inside


def test_member_starts_a_transfer_and_nothing_moves_until_accepted(world, committed):
    with committed():
        transfer = start_ab(world)
    assert (transfer.kind, transfer.state, transfer.initiator) == (Kind.INTERNAL, State.PENDING, Initiator.MEMBER)
    assert (transfer.from_org, transfer.to_org) == (world.branch_a, world.branch_b)
    assert party_branch_of(world.member_a) == world.branch_a  # the sending branch stays responsible
    todo = Task.objects.get(source_type="transfers", source_id=str(transfer.pk))
    assert todo.assignee == world.secretary_b and todo.done_at is None and "张建国" in todo.title
    assert Notification.objects.filter(recipient=world.secretary_a, title__contains="申请将组织关系转至").exists()
    assert AuditEntry.objects.filter(action="transfers.start", object_id=str(transfer.pk)).exists()


def test_only_one_open_transfer_per_person(world):
    start_ab(world)
    with pytest.raises(ValidationError, match="未办结"):
        services.start_transfer(world.secretary_a, world.member_a, world.branch_b, reason="再次发起", today=TODAY)
    with pytest.raises(ValidationError, match="未办结"):
        services.issue_letter(world.secretary_a, world.member_a, to_name="外省某党委", reason="调出", today=TODAY)
    assert Transfer.objects.filter(person=world.member_a).count() == 1


def test_a_concurrent_second_transfer_is_refused_by_the_database(world, monkeypatch):
    start_ab(world)
    monkeypatch.setattr(services, "_no_open_transfer", lambda person: None)  # as if both passed the check at once
    with pytest.raises(ValidationError, match="未办结"):
        services.start_transfer(world.secretary_a, world.member_a, world.branch_b, reason="同时发起", today=TODAY)
    assert Transfer.objects.filter(person=world.member_a, state=State.PENDING).count() == 1


def test_start_refusals(world):
    with pytest.raises(PermissionDenied):  # branch B's secretary cannot move branch A's member
        services.start_transfer(world.secretary_b, world.member_a, world.committee, reason="越权", today=TODAY)
    with pytest.raises(ValidationError, match="相同"):
        services.start_transfer(world.member_a, world.member_a, world.branch_a, reason="原地", today=TODAY)
    with pytest.raises(ValidationError, match="有效的党支部"):
        services.start_transfer(world.member_a, world.member_a, world.group_a1, reason="到小组", today=TODAY)
    with pytest.raises(ValidationError, match="不是党员"):
        services.start_transfer(world.secretary_a, world.activist_a, world.branch_b, reason="积极分子", today=TODAY)
    with pytest.raises(ValidationError, match="转接原因"):
        services.start_transfer(world.member_a, world.member_a, world.branch_b, reason=" ", today=TODAY)
    assert not Transfer.objects.exists()


def test_accept_moves_membership_positions_and_pipeline_in_one_go(world, committed):
    Membership.objects.filter(person=world.member_a, tree=Tree.PARTY).update(organisation=world.group_a1)
    leader = appoint(world.member_a, world.group_a1, Title.GROUP_LEADER)
    union_post = appoint(world.member_a, world.union, Title.UNION_CHAIR)
    pipeline = Pipeline.objects.create(person=world.member_a, branch=world.branch_a)
    transfer = services.start_transfer(world.secretary_a, world.member_a, world.branch_b, reason="调动", today=TODAY)
    assert transfer.initiator == Initiator.BRANCH and transfer.from_org == world.branch_a  # the group's branch
    with committed():
        services.accept(world.secretary_b, transfer, today=TODAY)
    transfer.refresh_from_db()
    assert (transfer.state, transfer.decided_by, transfer.decided_on) == (State.ACCEPTED, world.secretary_b, TODAY)
    assert party_memberships(world.member_a) == [
        ("P0102", date(2020, 1, 1), TODAY),  # ``until``: the day it ends, the day the next begins
        ("P0200", TODAY, None),
    ]
    assert Membership.objects.filter(person=world.member_a, tree=Tree.UNION, until__isnull=True).exists()
    leader.refresh_from_db()
    union_post.refresh_from_db()
    assert leader.until == TODAY and union_post.until is None  # only the old branch's posts
    pipeline.refresh_from_db()
    assert pipeline.branch == world.branch_b
    assert AuditEntry.objects.filter(action="transfers.pipeline", object_id=str(pipeline.pk)).exists()
    assert not Task.objects.filter(source_type="transfers", source_id=str(transfer.pk), done_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=world.member_a, title__contains="已转入 物流和采购党支部").exists()
    assert Notification.objects.filter(recipient=world.secretary_a, title__contains="已转入").exists()


def test_accept_by_the_wrong_branch_or_the_member_is_denied(world):
    transfer = start_ab(world)
    for actor in (world.secretary_a, world.member_a, world.employee):
        with pytest.raises(PermissionDenied):
            services.accept(actor, transfer, today=TODAY)
    assert Transfer.objects.get(pk=transfer.pk).state == State.PENDING
    assert party_branch_of(world.member_a) == world.branch_a


def test_accepting_twice_accepts_once(world):
    transfer = start_ab(world)
    stale = Transfer.objects.get(pk=transfer.pk)  # a second request still holding the pending state
    services.accept(world.secretary_b, transfer, today=TODAY)
    with pytest.raises(ValidationError, match="已办结"):
        services.accept(world.staff, stale, today=TODAY)
    assert Membership.objects.filter(person=world.member_a, organisation=world.branch_b).count() == 1
    assert AuditEntry.objects.filter(action="transfers.accept").count() == 1


def test_decline_needs_a_reason_and_leaves_the_member_where_they_are(world, committed):
    transfer = start_ab(world)
    with pytest.raises(ValidationError, match="原因"):
        services.decline(world.secretary_b, transfer, reason="", today=TODAY)
    with committed():
        services.decline(world.secretary_b, transfer, reason="本支部不是其新工作单位", today=TODAY)
    transfer.refresh_from_db()
    assert (transfer.state, transfer.decline_reason) == (State.DECLINED, "本支部不是其新工作单位")
    assert party_branch_of(world.member_a) == world.branch_a
    assert Notification.objects.filter(recipient=world.member_a, body="本支部不是其新工作单位").exists()
    with pytest.raises(ValidationError):
        services.accept(world.secretary_b, transfer, today=TODAY)
    start_ab(world)  # declined is closed: a new request is possible


def test_withdraw_by_whoever_started_it_and_never_after_acceptance(world):
    transfer = start_ab(world)
    with pytest.raises(PermissionDenied):  # the member started it, not the branch
        services.withdraw(world.secretary_a, transfer, today=TODAY)
    services.withdraw(world.member_a, transfer, today=TODAY)
    assert Transfer.objects.get(pk=transfer.pk).state == State.WITHDRAWN
    assert not Task.objects.filter(source_type="transfers", done_at__isnull=True).exists()
    by_branch = services.start_transfer(world.secretary_a, world.member_a, world.branch_b, reason="调动", today=TODAY)
    with pytest.raises(PermissionDenied):
        services.withdraw(world.member_a, by_branch, today=TODAY)
    services.accept(world.secretary_b, by_branch, today=TODAY)
    with pytest.raises(ValidationError, match="不能撤回"):
        services.withdraw(world.secretary_a, by_branch, today=TODAY)
    assert Transfer.objects.get(pk=by_branch.pk).state == State.ACCEPTED


# ---------------------------------------------------------------------------------------------- outside


def test_issue_letter_numbers_codes_and_reminds_before_expiry(world):
    first = services.issue_letter(
        world.secretary_a, world.member_a, to_name="中共某市某区委组织部", reason="调往外地工作", today=TODAY
    )
    second = services.issue_letter(
        world.secretary_b, world.member_b, to_name="某大学党委", reason="读研", issued_on=date(2025, 6, 1), today=TODAY
    )
    assert (first.letter_no, second.letter_no) == ("2025-000001", "2025-000002")
    assert first.state == State.ISSUED and first.letter_valid_until == letter_valid_until(TODAY) == date(2025, 9, 16)
    code = services.letter_code(first)
    assert len(code) == 10 and code != services.letter_code(second)
    assert services.check_code(first.letter_no, first.person_id, TODAY, date(2025, 12, 16)) != code  # altered dates
    assert party_branch_of(world.member_a) == world.branch_a  # stays until the receipt
    reminder = Reminder.objects.get(dedupe_key=f"transfers.letter:{first.pk}")
    assert reminder.due_at == timezone.make_aware(datetime.combine(date(2025, 9, 2), time(9, 0)))
    assert list(reminder.deliveries.values_list("recipient_id", flat=True)) == [world.secretary_a.pk]
    with pytest.raises(PermissionDenied):
        services.issue_letter(world.secretary_b, world.member_a, to_name="某单位", reason="越权", today=TODAY)


def test_letter_validity_is_a_local_rule_kept_by_each_letter(world):
    set_rule(  # decided before the letter (本单位规定 keep their history: the value in force on the issue day counts)
        world.staff,
        world.committee,
        "transfers.letter_valid_months",
        "1",
        "党委会议决定",
        effective_from=date(2025, 1, 1),
        backdate=True,
    )
    letter = services.issue_letter(world.secretary_a, world.member_a, to_name="某区委", reason="调动", today=TODAY)
    assert letter.letter_valid_until == date(2025, 7, 16)
    assert services.issued_months(letter) == 1

    set_rule(
        world.staff,
        world.committee,
        "transfers.letter_valid_months",
        "6",
        "改为半年",
        effective_from=date(2025, 7, 1),
        backdate=True,
    )
    with pytest.raises(ValidationError, match="已过期"):  # issued for one month: a later change does not extend it
        services.record_receipt(world.secretary_a, letter, received_on=date(2025, 8, 1), today=date(2025, 8, 2))


def test_receipt_closes_the_transfer_and_ends_the_membership(world):
    leader = appoint(world.member_a, world.branch_a, Title.ORGANISATION_MEMBER)
    letter = services.issue_letter(
        world.secretary_a, world.member_a, to_name="某区委", reason="调动", issued_on=date(2025, 6, 1), today=TODAY
    )
    with pytest.raises(PermissionDenied):
        services.record_receipt(world.secretary_b, letter, received_on=date(2025, 6, 10), today=TODAY)
    with pytest.raises(ValidationError, match="晚于今天"):
        services.record_receipt(world.secretary_a, letter, received_on=TODAY + timedelta(days=1), today=TODAY)
    services.record_receipt(world.secretary_a, letter, received_on=date(2025, 6, 10), note="回执已寄回", today=TODAY)
    letter.refresh_from_db()
    assert (letter.state, letter.receipt_on) == (State.CLOSED, date(2025, 6, 10))
    assert party_branch_of(world.member_a) is None
    assert party_memberships(world.member_a) == [("P0101", date(2020, 1, 1), date(2025, 6, 10))]
    leader.refresh_from_db()
    assert leader.until == date(2025, 6, 10)
    assert AuditEntry.objects.get(action="transfers.receipt").reason == "转出"
    assert Reminder.objects.get(dedupe_key=f"transfers.letter:{letter.pk}").cancelled_at is not None
    with pytest.raises(ValidationError, match="已办结"):
        services.record_receipt(world.secretary_a, letter, received_on=date(2025, 6, 10), today=TODAY)


def test_receipt_after_the_letter_expired_is_refused(world):
    letter = services.issue_letter(
        world.secretary_a,
        world.member_a,
        to_name="某区委",
        reason="调动",
        issued_on=date(2025, 6, 1),
        today=date(2025, 6, 1),
    )
    with pytest.raises(ValidationError, match="已过期"):
        services.record_receipt(world.secretary_a, letter, received_on=date(2025, 9, 2), today=date(2025, 9, 5))
    assert Transfer.objects.get(pk=letter.pk).state == State.ISSUED


def test_register_incoming_with_a_valid_letter(world):
    newcomer = world.employee  # 群众 in Plaza's records, arriving as a probationary member
    transfer = services.register_incoming(
        world.secretary_a,
        newcomer,
        world.branch_a,
        letter_no="沪组字2025-0088",
        issuing_org="中共某区委",
        issued_on=date(2025, 4, 1),
        status=PoliticalStatus.PROBATIONARY,
        today=TODAY,
    )
    assert (transfer.kind, transfer.state, transfer.from_org) == (Kind.INCOMING, State.REGISTERED, None)
    assert party_branch_of(newcomer) == world.branch_a
    newcomer.refresh_from_db()
    assert newcomer.political_status == PoliticalStatus.PROBATIONARY
    change = StatusChange.objects.get(person=newcomer)
    assert change.effective_on == TODAY and "沪组字2025-0088" in change.reason
    with pytest.raises(ValidationError, match="已在"):  # now in Plaza: moves are internal transfers
        services.register_incoming(
            world.secretary_b,
            newcomer,
            world.branch_b,
            letter_no="X-1",
            issuing_org="某区委",
            issued_on=date(2025, 6, 1),
            status=PoliticalStatus.FULL_MEMBER,
            today=TODAY,
        )


def test_register_incoming_refusals(world):
    newcomer = PersonFactory(employee_no="N0001", name="新同志")
    args = {"issuing_org": "中共某区委", "status": PoliticalStatus.FULL_MEMBER, "today": TODAY}
    with pytest.raises(ValidationError) as expired:
        services.register_incoming(
            world.secretary_a, newcomer, world.branch_a, letter_no="L-1", issued_on=date(2025, 3, 15), **args
        )
    assert "已于 2025年6月15日 到期" in expired.value.messages[0] and "2025年3月15日" in expired.value.messages[0]
    with pytest.raises(ValidationError, match="没有介绍信编号"):
        services.register_incoming(
            world.secretary_a, newcomer, world.branch_a, letter_no="  ", issued_on=date(2025, 6, 1), **args
        )
    with pytest.raises(PermissionDenied):
        services.register_incoming(
            world.secretary_b, newcomer, world.branch_a, letter_no="L-1", issued_on=date(2025, 6, 1), **args
        )
    assert not Membership.objects.filter(person=newcomer).exists() and not Transfer.objects.exists()
    # The last valid day is the rules' letter_valid_until.
    services.register_incoming(
        world.secretary_a, newcomer, world.branch_a, letter_no="L-1", issued_on=date(2025, 3, 16), **args
    )
    assert party_branch_of(newcomer) == world.branch_a


# --------------------------------------------------------------------------------------- sweep / contact


def test_lost_contact_is_flagged_once_per_run_and_a_contact_starts_again(world):
    assert transfers_sweep(date(2020, 6, 30))["lost_contact"] == 0  # joined 2020-01-01: under six months
    counts = transfers_sweep(TODAY)
    flagged = Task.objects.filter(source_type=LOST_SOURCE)
    assert set(flagged.filter(assignee=world.secretary_a).values_list("source_id", flat=True)) == {
        f"{world.member_a.pk}:2020-01-01",
        f"{world.secretary_a.pk}:2020-01-01",
    }
    assert set(flagged.filter(assignee=world.secretary_b).values_list("source_id", flat=True)) == {
        f"{world.member_b.pk}:2020-01-01",
        f"{world.secretary_b.pk}:2020-01-01",
    }
    assert not flagged.filter(source_id__startswith=f"{world.activist_a.pk}:").exists()  # not a Party member
    assert counts["lost_contact"] == flagged.count() == 4
    assert transfers_sweep(TODAY)["lost_contact"] == 0 and flagged.count() == 4  # once per run
    services.record_contact(world.secretary_a, world.member_a, on=date(2025, 6, 1), note="电话联系", today=TODAY)
    assert Contact.objects.get(person=world.member_a).recorded_by == world.secretary_a
    assert flagged.get(source_id=f"{world.member_a.pk}:2020-01-01").done_at is not None
    assert transfers_sweep(date(2025, 11, 30))["lost_contact"] == 0
    assert transfers_sweep(date(2025, 12, 1))["lost_contact"] == 1  # six months after the contact: a new run
    assert flagged.filter(source_id=f"{world.member_a.pk}:2025-06-01").exists()
    assert Membership.objects.filter(person=world.member_a, until__isnull=True, tree=Tree.PARTY).exists()


def test_a_recent_login_counts_as_contact(world):
    type(world.member_a).objects.filter(pk=world.member_a.pk).update(
        last_login=timezone.make_aware(datetime(2025, 5, 1, 10, 0))
    )
    transfers_sweep(TODAY)
    assert not Task.objects.filter(source_type=LOST_SOURCE, source_id__startswith=f"{world.member_a.pk}:").exists()


def test_record_contact_refusals(world):
    with pytest.raises(PermissionDenied):
        services.record_contact(world.secretary_b, world.member_a, on=TODAY, today=TODAY)
    with pytest.raises(ValidationError, match="晚于今天"):
        services.record_contact(world.secretary_a, world.member_a, on=TODAY + timedelta(days=1), today=TODAY)
    assert not Contact.objects.exists()


def test_expired_letter_without_receipt_goes_on_the_branch_list_once(world):
    letter = services.issue_letter(world.secretary_a, world.member_a, to_name="某区委", reason="调动", today=TODAY)
    assert transfers_sweep(date(2025, 9, 16))["expired_letters"] == 0
    assert transfers_sweep(date(2025, 9, 17))["expired_letters"] == 1
    assert transfers_sweep(date(2025, 9, 18))["expired_letters"] == 0
    task = Task.objects.get(source_type=EXPIRED_SOURCE)
    assert task.assignee == world.secretary_a and task.source_id == str(letter.pk) and letter.letter_no in task.title


def test_officers_fall_back_to_committee_staff(world):
    Position.objects.filter(organisation=world.branch_b).delete()  # branch B without officers
    assert services.officers_of(world.branch_b) == [world.staff]


def test_members_plaza_has_just_met_are_not_out_of_contact(world):
    """An enterprise imported today: memberships from years ago, nobody has signed in yet — nobody is flagged."""
    from plaza.accounts.models import Person

    Person.objects.update(date_joined=timezone.make_aware(datetime(2025, 6, 1)))
    assert transfers_sweep(TODAY)["lost_contact"] == 0
    assert transfers_sweep(date(2025, 12, 2))["lost_contact"] == 4  # six months after Plaza met them
