"""Every service of 民主评议党员 and each refusal."""

from datetime import timedelta
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from plaza.accounts.models import PoliticalStatus
from plaza.audit.models import AuditEntry
from plaza.evaluation import queries, services
from plaza.evaluation.models import Campaign, FollowUp, Grade, Participant, Role, SealedSheet, Sheet, State
from plaza.lib import clock
from plaza.localrules.services import set_rule
from plaza.meetings import services as meeting_services
from plaza.meetings.models import Kind
from plaza.notify.models import Task
from plaza.rules import evaluation as rules
from plaza.testing.factories import PersonFactory, join

from .conftest import grades_for, plan


def _refused(match, call, *args, **kwargs):
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    assert any(match in m for m in caught.value.messages), caught.value.messages


def _close_all_graded(world, campaign, grade="qualified"):
    for person in (world.secretary_a, world.member_a, world.activist_a):
        services.submit_sheet(person, campaign, grades_for(campaign, person, grade))
    return services.close_campaign(world.secretary_a, campaign)


# ------------------------------------------------------------------------------------------ campaigns


def test_create_campaign_is_a_draft_and_audited(campaign, world):
    assert campaign.state == State.DRAFT and campaign.year == clock.today().year
    assert list(Participant.objects.filter(campaign=campaign).values_list("person_id", "role")) == [
        (world.activist_a.pk, Role.INVITED)
    ]
    assert AuditEntry.objects.filter(action="evaluation.create", object_id=str(campaign.pk)).exists()
    assert AuditEntry.objects.filter(action="evaluation.invite").exists()


def test_one_campaign_per_branch_and_year(campaign, world):
    _refused("已经建立", plan, world)
    assert plan(world, year=campaign.year + 1).pk != campaign.pk


def test_only_a_branch_runs_an_evaluation_and_dates_are_checked(world):
    _refused("由党支部组织", plan, world, organisation=world.group_a1)
    _refused("不能早于", plan, world, ends_on=clock.today() - timedelta(days=5))


def test_the_campaign_may_be_tied_to_the_branchs_life_meeting(world):
    starts = timezone.now() + timedelta(days=3)
    life = meeting_services.plan_meeting(
        world.secretary_a,
        world.branch_a,
        kind=Kind.LIFE_MEETING,
        topic="专题组织生活会",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )
    other = meeting_services.plan_meeting(
        world.secretary_a,
        world.branch_a,
        kind=Kind.THEME_DAY,
        topic="主题党日",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )
    _refused("组织生活会", plan, world, meeting=other)
    assert plan(world, meeting=life).meeting == life


def test_update_campaign_until_closed(opened, world):
    updated = services.update_campaign(
        world.secretary_a,
        opened,
        title="2025 年度民主评议",
        starts_on=opened.starts_on,
        ends_on=opened.ends_on + timedelta(days=5),
        materials="新的学习材料",
    )
    assert updated.materials == "新的学习材料"
    services.close_campaign(world.secretary_a, opened)
    _refused(
        "不能再修改",
        services.update_campaign,
        world.secretary_a,
        opened,
        title="x",
        starts_on=opened.starts_on,
        ends_on=opened.ends_on,
    )


def test_invited_must_not_be_party_members(campaign, world):
    _refused("不能作为群众代表", services.invite, world.secretary_a, campaign, [world.member_a])
    assert services.invite(world.secretary_a, campaign, [world.activist_a]) == 0  # already invited


def test_opening_snapshots_the_branchs_party_members(campaign, world):
    grouped = PersonFactory(employee_no="A0009", name="孙预备", political_status=PoliticalStatus.PROBATIONARY)
    join(grouped, world.group_a1)  # a group's members belong to the branch
    services.open_campaign(world.secretary_a, campaign)
    roles = dict(Participant.objects.filter(campaign=campaign).values_list("person__employee_no", "role"))
    assert roles == {"A0001": Role.MEMBER, "A0002": Role.MEMBER, "A0009": Role.PROBATIONARY, "A0003": Role.INVITED}
    later = PersonFactory(employee_no="A0010", political_status=PoliticalStatus.FULL_MEMBER)
    join(later, world.branch_a)
    assert not Participant.objects.filter(campaign=campaign, person=later).exists()  # a snapshot
    assert Task.objects.filter(source_type=services.SHEET_TASK, done_at__isnull=True).count() == 4
    _refused("已经开始", services.open_campaign, world.secretary_a, campaign)


def test_a_branch_without_full_members_is_not_evaluated(world):
    campaign = plan(world, organisation=world.branch_b, actor=world.secretary_b)
    world.secretary_b.political_status = PoliticalStatus.PROBATIONARY
    world.secretary_b.save()
    _refused("没有正式党员", services.open_campaign, world.secretary_b, campaign)


# ------------------------------------------------------------------------------------- members' part


def test_self_evaluation(opened, world):
    text = "一年来认真学习党的理论，按时参加组织生活，按期交纳党费，在岗位上发挥了党员的先锋模范作用。"
    assert services.write_self_evaluation(world.member_a, opened, text).self_evaluation == text
    _refused("不少于", services.write_self_evaluation, world.member_a, opened, "很好")
    _refused("无需个人自评", services.write_self_evaluation, world.activist_a, opened, text)
    with pytest.raises(PermissionDenied):
        services.write_self_evaluation(world.member_b, opened, text)
    services.close_campaign(world.secretary_a, opened)
    _refused("不能填写", services.write_self_evaluation, world.member_a, opened, text)


def test_a_sheet_is_stored_apart_from_its_grader(opened, world):
    services.submit_sheet(world.member_a, opened, {world.secretary_a.pk: "excellent"})
    services.submit_sheet(world.activist_a, opened, grades_for(opened, world.activist_a, "qualified"))
    assert list(
        Sheet.objects.filter(campaign=opened).values_list("grader_id", flat=True).order_by("grader_id")
    ) == sorted([world.member_a.pk, world.activist_a.pk])
    assert not Grade.objects.filter(campaign=opened).exists()  # sealed until the 测评 closes
    assert SealedSheet.objects.filter(campaign=opened).count() == 2
    services.close_campaign(world.secretary_a, opened)
    assert Grade.objects.filter(campaign=opened).count() == 3 and not SealedSheet.objects.exists()
    tally = queries.tally(opened)
    assert tally[world.secretary_a.pk].member["excellent"] == 1
    assert tally[world.secretary_a.pk].other["qualified"] == 1
    assert tally[world.member_a.pk].total == {
        "excellent": 0,
        "qualified": 1,
        "basically_qualified": 0,
        "unqualified": 0,
    }
    assert not AuditEntry.objects.filter(action="evaluation.sheet").exists()  # no grader's time in the log
    close = AuditEntry.objects.get(action="evaluation.close")
    assert close.after["sheets"] == 2 and "excellent" not in str(close.after)
    assert not Task.objects.filter(
        assignee=world.member_a, source_type=services.SHEET_TASK, done_at__isnull=True
    ).exists()


def test_a_sheet_counts_once(opened, world):
    services.submit_sheet(world.member_a, opened, {world.secretary_a.pk: "qualified"})
    _refused("您已提交过测评表", services.submit_sheet, world.member_a, opened, {world.secretary_a.pk: "excellent"})
    services.close_campaign(world.secretary_a, opened)
    assert list(Grade.objects.filter(campaign=opened).values_list("grade", flat=True)) == ["qualified"]


def test_nobody_grades_themself(opened, world):
    _refused(
        "不能给自己",
        services.submit_sheet,
        world.member_a,
        opened,
        {world.member_a.pk: "excellent", world.secretary_a.pk: "qualified"},
    )


def test_every_graded_member_must_be_graded(opened, world):
    _refused("尚未选择：刘昭涛", services.submit_sheet, world.activist_a, opened, {world.member_a.pk: "qualified"})
    _refused("尚未选择", services.submit_sheet, world.member_a, opened, {world.secretary_a.pk: "great"})
    assert not Sheet.objects.exists() and not SealedSheet.objects.exists() and not Grade.objects.exists()


def test_probationary_members_take_part_but_are_not_graded(world):
    probationary = PersonFactory(employee_no="A0011", name="周预备", political_status=PoliticalStatus.PROBATIONARY)
    join(probationary, world.branch_a)
    campaign = services.open_campaign(world.secretary_a, plan(world))
    assert probationary.pk not in {p.person_id for p in services.gradees_for(world.member_a, campaign)}
    _refused(
        "不参加评定",
        services.submit_sheet,
        world.member_a,
        campaign,
        {world.secretary_a.pk: "qualified", probationary.pk: "qualified"},
    )
    services.submit_sheet(probationary, campaign, grades_for(campaign, probationary))  # but grades others
    assert probationary.pk not in queries.tally(campaign)
    services.close_campaign(world.secretary_a, campaign)
    _refused(
        "只能为参加评定的正式党员",
        services.propose_grades,
        world.secretary_a,
        campaign,
        {probationary.pk: ("qualified", "")},
    )


def test_no_sheet_before_opening_or_after_closing(campaign, world):
    _refused("尚未开始", services.submit_sheet, world.activist_a, campaign, {})
    services.open_campaign(world.secretary_a, campaign)
    services.close_campaign(world.secretary_a, campaign)
    _refused("测评已结束", services.submit_sheet, world.member_a, campaign, {world.secretary_a.pk: "qualified"})
    _refused("只有测评中", services.close_campaign, world.secretary_a, campaign)


def test_no_sheet_after_the_closing_date(opened, world, settings):
    settings.PLAZA_TODAY = opened.ends_on + timedelta(days=1)
    _refused("截止", services.submit_sheet, world.member_a, opened, {world.secretary_a.pk: "qualified"})


def test_only_participants_hand_in_sheets(opened, world):
    with pytest.raises(PermissionDenied):
        services.submit_sheet(world.employee, opened, {world.member_a.pk: "qualified"})


# --------------------------------------------------------------------------------- proposal and decision


def test_excellent_over_a_third_is_refused_with_the_rules_message(opened, world):
    _close_all_graded(world, opened, "excellent")
    proposals = {world.secretary_a.pk: ("excellent", ""), world.member_a.pk: ("qualified", "表现合格")}
    expected = rules.check_grades(["excellent", "qualified"])[0].message
    with pytest.raises(ValidationError) as caught:
        services.propose_grades(world.secretary_a, opened, proposals)
    assert caught.value.messages == [expected]
    with pytest.raises(ValidationError) as caught:
        services.decide(world.secretary_a, opened, proposals)
    assert caught.value.messages == [expected]
    assert Campaign.objects.get(pk=opened.pk).state == State.CLOSED


def test_the_share_of_excellent_is_the_branchs_local_rule(opened, world):
    assert services.excellent_share(world.branch_a) == Fraction(1, 3)
    set_rule(world.staff, world.branch_a, "evaluation.excellent_share", "1/2", "支部大会决定")
    assert services.excellent_share(world.branch_a) == Fraction(1, 2)
    assert services.excellent_share(world.branch_b) == Fraction(1, 3)  # another branch keeps the default
    _close_all_graded(world, opened, "excellent")
    services.decide(
        world.secretary_a,
        opened,
        {world.secretary_a.pk: ("excellent", ""), world.member_a.pk: ("qualified", "工作一般")},
    )
    assert Participant.objects.get(campaign=opened, person=world.secretary_a).grade == "excellent"


def test_a_grade_differing_from_the_tally_needs_a_reason(opened, world):
    _close_all_graded(world, opened, "qualified")
    proposals = {world.secretary_a.pk: ("qualified", ""), world.member_a.pk: ("basically_qualified", "  ")}
    _refused(
        "张建国 的等次与民主测评多数意见不一致，请填写理由",
        services.propose_grades,
        world.secretary_a,
        opened,
        proposals,
    )
    proposals[world.member_a.pk] = ("basically_qualified", "全年缺席组织生活三次")
    assert services.propose_grades(world.secretary_a, opened, proposals) == 2
    row = Participant.objects.get(campaign=opened, person=world.member_a)
    assert (row.proposed_grade, row.grade) == ("basically_qualified", "")  # proposed, not yet decided


def test_deciding_locks_the_campaign(opened, world):
    _close_all_graded(world, opened)
    _refused("请为 刘昭涛 选择等次", services.decide, world.secretary_a, opened)  # nothing proposed yet
    services.propose_grades(
        world.secretary_a, opened, {world.secretary_a.pk: ("qualified", ""), world.member_a.pk: ("qualified", "")}
    )
    decided = services.decide(world.secretary_a, opened)
    assert decided.state == State.DECIDED and decided.decided_on == clock.today()
    assert Participant.objects.get(campaign=opened, person=world.member_a).grade == "qualified"
    _refused("不能再修改", services.propose_grades, world.secretary_a, opened, {world.member_a.pk: ("excellent", "")})
    _refused("不能再修改", services.decide, world.secretary_a, opened)
    assert not FollowUp.objects.exists()


def test_unqualified_opens_a_follow_up_on_the_secretarys_list(opened, world):
    _close_all_graded(world, opened)
    services.decide(
        world.secretary_a,
        opened,
        {world.secretary_a.pk: ("qualified", ""), world.member_a.pk: ("unqualified", "长期不参加组织生活，经教育不改")},
    )
    follow_up = FollowUp.objects.get(campaign=opened)
    assert follow_up.person == world.member_a and follow_up.closed_on is None
    task = Task.objects.get(source_type=services.FOLLOW_UP_TASK, source_id=str(follow_up.pk))
    assert task.assignee == world.secretary_a and task.done_at is None
    today = clock.today()
    _refused(
        "请先进行教育帮助",
        services.add_follow_up_step,
        world.secretary_a,
        follow_up,
        kind="disposal",
        done_on=today,
        note="支部大会讨论",
        outcome="限期改正",
    )
    services.add_follow_up_step(
        world.secretary_a, follow_up, kind="education", done_on=today, note="书记与其谈心谈话，帮助查找原因"
    )
    _refused(
        "处置结果",
        services.add_follow_up_step,
        world.secretary_a,
        follow_up,
        kind="disposal",
        done_on=today,
        note="支部大会讨论",
    )
    services.add_follow_up_step(
        world.secretary_a, follow_up, kind="disposal", done_on=today, note="支部大会讨论", outcome="限期改正"
    )
    follow_up.refresh_from_db()
    assert follow_up.closed_on == today
    assert Task.objects.get(pk=task.pk).done_at is not None
    _refused(
        "已经处置完毕",
        services.add_follow_up_step,
        world.secretary_a,
        follow_up,
        kind="education",
        done_on=today,
        note="再次谈话",
    )


# ----------------------------------------------------------------------------------------- crossing


def test_branch_b_cannot_run_branch_as_evaluation(campaign, world):
    with pytest.raises(PermissionDenied):
        plan(world, actor=world.secretary_b, year=2001)
    for call in (services.open_campaign, services.close_campaign):
        with pytest.raises(PermissionDenied):
            call(world.secretary_b, campaign)
    with pytest.raises(PermissionDenied):
        services.invite(world.secretary_b, campaign, [world.activist_a])
    services.open_campaign(world.staff, campaign)  # committee staff run every branch's
    _close_all_graded(world, campaign)
    with pytest.raises(PermissionDenied):
        services.propose_grades(world.secretary_b, campaign, {})
    with pytest.raises(PermissionDenied):
        services.decide(world.secretary_b, campaign)
    services.decide(
        world.secretary_a,
        campaign,
        {world.secretary_a.pk: ("qualified", ""), world.member_a.pk: ("unqualified", "理由")},
    )
    with pytest.raises(PermissionDenied):
        services.add_follow_up_step(
            world.secretary_b, FollowUp.objects.get(), kind="education", done_on=clock.today(), note="越权记录测试"
        )
    assert not queries.visible_campaigns(world.secretary_b).exists()
    assert not queries.visible_follow_ups(world.secretary_b).exists()


# ------------------------------------------------------------------------------------------- reports


def test_reports_count_decided_grades_per_branch_and_year(opened, world):
    _close_all_graded(world, opened)
    services.decide(
        world.secretary_a, opened, {world.secretary_a.pk: ("qualified", ""), world.member_a.pk: ("qualified", "")}
    )
    plan(world, organisation=world.branch_b, actor=world.secretary_b)  # a draft: flagged
    rows, totals = queries.committee_report(world.staff, opened.year)
    by_branch = {row.branch.pk: row for row in rows}
    assert by_branch[world.branch_a.pk].decided and by_branch[world.branch_a.pk].counts["qualified"] == 2
    assert not by_branch[world.branch_b.pk].decided and by_branch[world.branch_b.pk].graded == 0
    assert totals == {"excellent": 0, "qualified": 2, "basically_qualified": 0, "unqualified": 0}
    assert queries.yearly_stats(world.staff) == [(opened.year, [0, 2, 0, 0], 2)]
    assert [row.branch.pk for row in queries.committee_report(world.secretary_b, opened.year)[0]] == [world.branch_b.pk]
    assert queries.yearly_stats(world.secretary_b) == []
