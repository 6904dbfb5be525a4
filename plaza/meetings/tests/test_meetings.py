"""组织生活: planning, sign-in by QR, leave, attendance, make-up study, minutes, votes, recurring plans,
compliance and its reminders."""

from datetime import date, datetime, time, timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from plaza.audit.models import AuditEntry
from plaza.localrules.services import set_rule
from plaza.meetings import queries, services, sweep
from plaza.meetings.models import AttendanceState, Format, Kind, Meeting
from plaza.notify.models import Notification, Reminder, Task
from plaza.rules import meetings as rules
from plaza.testing.factories import PersonFactory, join


def _plan(
    world,
    *,
    start: timedelta = timedelta(minutes=-10),
    minutes: int = 90,
    kind: str = Kind.THEME_DAY,
    org=None,
    **extra,
):
    starts_at = timezone.now() + start
    return services.plan_meeting(
        world.secretary_a,
        org or world.branch_a,
        kind=kind,
        topic="学习党的二十届四中全会精神",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        place="装调车间会议室",
        **extra,
    )


def _states(meeting):
    return dict(meeting.attendance.values_list("person__employee_no", "state"))


def test_planning_lists_the_party_members_tells_them_and_schedules_a_reminder(world, committed):
    with committed():
        meeting = _plan(world, start=timedelta(days=2), guests=[world.activist_a])
    assert _states(meeting) == {"A0001": "expected", "A0002": "expected", "A0003": "expected"}
    assert meeting.attendance.get(person=world.activist_a).guest  # the activist attends as a guest
    assert Notification.objects.filter(recipient=world.member_a, title__contains="主题党日通知").exists()
    reminder = Reminder.objects.get(dedupe_key=f"meeting:{meeting.pk}:start")
    assert reminder.due_at == meeting.starts_at - timedelta(days=1) and reminder.deliveries.count() == 3
    assert AuditEntry.objects.filter(action="meetings.plan").count() == 1


def test_a_meeting_recorded_afterwards_tells_nobody(world):
    _plan(world, start=timedelta(days=-3))
    assert not Notification.objects.exists() and not Reminder.objects.exists()


def test_planning_refusals_say_why(world):
    with pytest.raises(ValidationError, match="结束时间应晚于开始时间"):
        _plan(world, minutes=-5)
    with pytest.raises(ValidationError, match="路线"):
        _plan(world, format=Format.BUS)
    with pytest.raises(ValidationError, match="党委中心组学习由党委组织"):
        _plan(world, kind=Kind.CENTRE_GROUP)
    with pytest.raises(PermissionDenied):
        services.plan_meeting(
            world.secretary_b,
            world.branch_a,
            kind=Kind.THEME_DAY,
            topic="x",
            starts_at=timezone.now(),
            ends_at=timezone.now() + timedelta(hours=1),
        )


def test_committee_meetings_are_for_the_committee_members(world):
    meeting = _plan(world, kind=Kind.COMMITTEE)
    assert list(_states(meeting)) == ["A0001"]  # the secretary holds the only position in branch A


def test_sign_in_by_qr_counts_once_and_only_in_the_window(world):
    meeting = _plan(world)
    token = services.qr_token(meeting)
    attendance, first = services.sign_in(world.member_a, meeting, token)
    assert first and attendance.state == AttendanceState.PRESENT and attendance.signed_in_by == world.member_a
    again, first_again = services.sign_in(world.member_a, meeting, token)
    assert not first_again and again.signed_in_at == attendance.signed_in_at
    with pytest.raises(ValidationError, match="不在签到时间内"):
        services.sign_in(world.secretary_a, meeting, token, now=meeting.ends_at + timedelta(minutes=1))
    with pytest.raises(ValidationError, match="参会名单"):
        services.sign_in(world.employee, meeting, token)
    other = _plan(world)
    with pytest.raises(ValidationError, match="不属于这次会议"):
        services.sign_in(world.secretary_a, other, token)
    with pytest.raises(ValidationError, match="无效"):
        services.sign_in(world.secretary_a, meeting, token + "x")


def test_a_screenshot_of_the_code_expires(world):
    meeting = _plan(world)
    with mock.patch("django.core.signing.time.time", return_value=timezone.now().timestamp() - 600):
        old = services.qr_token(meeting)
    with pytest.raises(ValidationError, match="二维码已过期"):
        services.sign_in(world.member_a, meeting, old)


def test_a_member_who_joined_after_planning_can_sign_in(world):
    meeting = _plan(world)
    newcomer = PersonFactory(employee_no="A0009", political_status="full_member")
    join(newcomer, world.group_a1)
    _attendance, first = services.sign_in(newcomer, meeting, services.qr_token(meeting))
    assert first and _states(meeting)["A0009"] == "present"


def test_leave_and_the_secretary_marking_attendance(world, committed):
    meeting = _plan(world)
    with committed():
        services.request_leave(world.member_a, meeting, "出差在外")
    assert _states(meeting)["A0002"] == "leave"
    assert Notification.objects.filter(recipient=world.secretary_a, title__contains="张建国 请假").exists()
    with pytest.raises(ValidationError, match="请写明请假原因"):
        services.request_leave(world.secretary_a, meeting, "")
    services.sign_in(world.secretary_a, meeting, services.qr_token(meeting))
    with pytest.raises(ValidationError, match="已签到"):
        services.request_leave(world.secretary_a, meeting, "临时有事")
    row = meeting.attendance.get(person=world.member_a)
    services.set_attendance(world.secretary_a, meeting, [row.pk], AttendanceState.PRESENT)
    assert _states(meeting)["A0002"] == "present"
    with pytest.raises(PermissionDenied):
        services.set_attendance(world.secretary_b, meeting, [row.pk], AttendanceState.ABSENT)
    future = _plan(world, start=timedelta(days=1))
    with pytest.raises(ValidationError, match="尚未开始"):
        services.set_attendance(world.secretary_a, future, [future.attendance.first().pk], AttendanceState.PRESENT)


def test_minutes_are_locked_after_approval_and_absentees_make_up(world):
    meeting = _plan(world, start=timedelta(minutes=-120), minutes=60)
    # The meeting is over: nobody signed in by the code; the secretary marks herself present by hand.
    services.set_attendance(
        world.secretary_a,
        meeting,
        [meeting.attendance.get(person=world.secretary_a).pk],
        AttendanceState.PRESENT,
        now=meeting.starts_at + timedelta(minutes=5),
    )
    with pytest.raises(ValidationError, match="还没有会议记录"):
        services.approve_minutes(world.secretary_a, meeting)
    services.write_minutes(
        world.secretary_a,
        meeting,
        topics="学习全会精神",
        content="刘昭涛领学全会公报，大家交流体会。",
        decisions="各党小组开展专题讨论",
    )
    services.approve_minutes(world.secretary_a, meeting)
    assert _states(meeting) == {"A0001": "present", "A0002": "absent"}
    task = Task.objects.get(assignee=world.member_a, source_type="meetings-makeup")
    assert task.due_on == timezone.localtime(meeting.ends_at).date() + timedelta(days=rules.MAKEUP_DAYS)
    with pytest.raises(ValidationError, match="已审定锁定"):
        services.write_minutes(world.secretary_a, meeting, topics="改", content="改动内容不少于十个字吧")
    with pytest.raises(ValidationError, match="已审定"):
        services.set_attendance(world.secretary_a, meeting, [], AttendanceState.ABSENT)
    row = meeting.attendance.get(person=world.member_a)
    with pytest.raises(ValidationError, match="不少于 20 个字"):
        services.complete_makeup(world.member_a, row, "看了")
    with pytest.raises(PermissionDenied):
        services.complete_makeup(world.secretary_a, row, "学习了全会公报全文，体会到要把学习成果转化为工作动力。")
    services.complete_makeup(world.member_a, row, "学习了全会公报全文，体会到要把学习成果转化为工作动力。")
    task.refresh_from_db()
    assert task.done_at is not None
    assert services.close_attendance(meeting, date.today()) == 0  # idempotent


def test_minutes_wait_for_the_meeting(world):
    future = _plan(world, start=timedelta(days=1))
    with pytest.raises(ValidationError, match="尚未开始"):
        services.write_minutes(world.secretary_a, future, topics="x", content="十个字以上的会议内容")
    running = _plan(world)
    services.write_minutes(world.secretary_a, running, topics="x", content="十个字以上的会议内容")
    with pytest.raises(ValidationError, match="会议结束后"):
        services.approve_minutes(world.secretary_a, running)


def test_votes_at_a_general_meeting_follow_branch_resolution(world):
    meeting = _plan(world, kind=Kind.GENERAL_MEETING)
    passed = services.add_resolution(world.secretary_a, meeting, title="推荐优秀党员", entitled=30, present=16, yes=16)
    failed = services.add_resolution(world.secretary_a, meeting, title="另一事项", entitled=30, present=16, yes=15)
    assert passed.passed and not failed.passed and "《细则》" in passed.rule
    with pytest.raises(ValidationError, match="人数不合理"):
        services.add_resolution(world.secretary_a, meeting, title="x", entitled=3, present=5, yes=1)
    with pytest.raises(ValidationError, match="只有支部党员大会"):
        services.add_resolution(world.secretary_a, _plan(world), title="x", entitled=3, present=2, yes=2)


def test_cancelling_tells_everyone_and_stops_the_reminder(world, committed):
    meeting = _plan(world, start=timedelta(days=3))
    with pytest.raises(ValidationError, match="原因"):
        services.cancel_meeting(world.secretary_a, meeting, "")
    with committed():
        services.cancel_meeting(world.secretary_a, meeting, "与生产安排冲突")
    assert Reminder.objects.get(dedupe_key=f"meeting:{meeting.pk}:start").cancelled_at is not None
    assert Notification.objects.filter(recipient=world.member_a, title__contains="会议取消").exists()
    with pytest.raises(ValidationError, match="已取消"):
        services.sign_in(world.member_a, meeting, services.qr_token(meeting), now=meeting.starts_at)


def test_a_recurring_plan_keeps_a_month_ahead_once(world):
    today = timezone.localdate()
    series = services.create_series(
        world.secretary_a,
        world.branch_a,
        kind=Kind.THEME_DAY,
        topic="主题党日",
        day_of_month=28,
        start_time=time(14, 30),
        today=today,
    )
    made = Meeting.objects.filter(series=series).count()
    assert made in (1, 2)  # this month's 28th unless already past, and next month's
    assert services.plan_series(series, today) == 0 and Meeting.objects.filter(series=series).count() == made
    with pytest.raises(ValidationError, match="1 到 28"):
        services.create_series(
            world.secretary_a, world.branch_a, kind=Kind.THEME_DAY, topic="x", day_of_month=31, start_time=time(9)
        )


def _held(world, org, kind, on: date):
    starts_at = timezone.make_aware(datetime.combine(on, time(9)))
    return services.plan_meeting(
        world.secretary_a, org, kind=kind, topic="补录", starts_at=starts_at, ends_at=starts_at + timedelta(hours=1)
    )


def test_compliance_colours_each_period(world):
    _held(world, world.branch_a, Kind.THEME_DAY, date(2025, 1, 15))
    _held(world, world.group_a1, Kind.GROUP, date(2025, 1, 20))
    now = timezone.make_aware(datetime(2025, 3, 10, 12))
    board = queries.compliance([world.branch_a, world.branch_b], 2025, now=now)
    theme = [cell.state for cell in board[world.branch_a.pk][Kind.THEME_DAY]]
    assert theme[:4] == ["held", "missing", "open", "future"]
    assert [cell.state for cell in board[world.branch_a.pk][Kind.GROUP]][:2] == ["held", "missing"]
    assert {cell.state for cell in board[world.branch_b.pk][Kind.GROUP]} == {"none"}  # branch B has no groups
    assert board[world.branch_a.pk][Kind.LIFE_MEETING][0].state == "open"


def test_missing_meetings_are_put_on_the_branch_to_do_list_once_and_closed_by_planning(world):
    today = timezone.localdate()
    last_day = (today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    with mock.patch(
        "django.utils.timezone.now",
        return_value=timezone.make_aware(datetime.combine(last_day - timedelta(days=2), time(8))),
    ):
        assert sweep.remind_missing(last_day - timedelta(days=2)) >= 1
        assert sweep.remind_missing(last_day - timedelta(days=2)) == 0
        task = Task.objects.get(
            assignee=world.secretary_a, source_type="meetings-missing", source_id__contains=":theme_day:"
        )
        assert "主题党日尚未召开" in task.title
        starts_at = timezone.make_aware(datetime.combine(last_day, time(14)))
        services.plan_meeting(
            world.secretary_a,
            world.branch_a,
            kind=Kind.THEME_DAY,
            topic="月底主题党日",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
        )
    task.refresh_from_db()
    assert task.done_at is not None


def test_attendance_rates(world):
    meeting = _plan(world, start=timedelta(hours=-3), minutes=60)
    services.set_attendance(
        world.secretary_a, meeting, [meeting.attendance.get(person=world.member_a).pk], AttendanceState.PRESENT
    )
    services.close_attendance(meeting, timezone.localdate())
    people, overall = queries.attendance_rates(world.branch_a, timezone.localdate().year)
    assert [(p["person__employee_no"], p["present"], p["absent"]) for p in people] == [("A0001", 0, 1), ("A0002", 1, 0)]
    assert overall == 0.5


def test_branch_rates_count_group_meetings_for_their_branch(world):
    join(PersonFactory(employee_no="A0021", political_status="full_member"), world.group_a1)
    group_meeting = _plan(world, org=world.group_a1, kind=Kind.GROUP, start=timedelta(hours=-3), minutes=60)
    rows = list(group_meeting.attendance.values_list("pk", flat=True))
    assert len(rows) == 1
    services.set_attendance(
        world.secretary_a,
        group_meeting,
        rows,
        AttendanceState.PRESENT,
        now=group_meeting.starts_at + timedelta(minutes=1),
    )
    branch_meeting = _plan(world, start=timedelta(hours=-3), minutes=60)  # 3 expected, nobody signs in
    services.close_attendance(branch_meeting, timezone.localdate())
    rates = {row["name"]: row for row in queries.branch_rates(world.committee, timezone.localdate().year)}
    assert rates["物流和采购党支部"]["rate"] is None
    assert (rates["装调车间党支部"]["expected"], rates["装调车间党支部"]["present"]) == (4, 1)
    assert rates["装调车间党支部"]["rate"] == 0.25


def test_the_make_up_deadline_is_the_branchs_local_rule(world):
    yesterday = timezone.localdate() - timedelta(days=1)  # in force on the meeting's day, even just after midnight
    set_rule(
        world.staff,
        world.branch_a,
        "meetings.makeup_days",
        "14",
        "支委会决定补学两周内完成",
        effective_from=yesterday,
        backdate=True,
    )
    meeting = _plan(world, start=timedelta(minutes=-120), minutes=60)
    assert services.close_attendance(meeting, timezone.localdate()) == 2
    task = Task.objects.get(assignee=world.member_a, source_type="meetings-makeup")
    assert task.due_on == timezone.localtime(meeting.ends_at).date() + timedelta(days=14)


def test_a_planned_meeting_is_changed_everyone_is_told_and_the_reminder_moves(world, client, committed):
    meeting = _plan(world, start=timedelta(days=3))
    later = meeting.starts_at + timedelta(days=1, hours=2)
    with committed():
        services.change_meeting(
            world.secretary_a,
            meeting,
            topic="学习全会精神（改期）",
            starts_at=later,
            ends_at=later + timedelta(minutes=90),
            format=Format.ONSITE,
            place="三楼大会议室",
        )
    meeting.refresh_from_db()
    assert (meeting.topic, meeting.starts_at, meeting.place) == ("学习全会精神（改期）", later, "三楼大会议室")
    told = Notification.objects.filter(title__startswith="会议变更").values_list("recipient__employee_no", flat=True)
    assert sorted(told) == ["A0001", "A0002"]
    reminder = Reminder.objects.get(dedupe_key=f"meeting:{meeting.pk}:start")  # moved, not a second one
    assert reminder.due_at == later - timedelta(days=1)
    entry = AuditEntry.objects.get(action="meetings.change", object_id=str(meeting.pk))
    assert entry.after["place"] == "三楼大会议室" and "place" in entry.before

    with pytest.raises(ValidationError, match="没有修改"):
        services.change_meeting(
            world.secretary_a,
            meeting,
            topic=meeting.topic,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            format=meeting.format,
            place=meeting.place,
        )
    with pytest.raises(PermissionDenied):
        services.change_meeting(
            world.secretary_b,
            meeting,
            topic="越权",
            starts_at=later,
            ends_at=later + timedelta(hours=1),
            format=Format.ONSITE,
        )
    with pytest.raises(ValidationError, match="晚于现在"):
        services.change_meeting(
            world.secretary_a,
            meeting,
            topic="改到过去",
            starts_at=timezone.now() - timedelta(hours=1),
            ends_at=timezone.now(),
            format=Format.ONSITE,
        )

    client.force_login(world.secretary_a)
    page = client.get(f"/meetings/{meeting.pk}/change/").content.decode()
    assert "三楼大会议室" in page and 'name="kind"' not in page
    answer = client.post(
        f"/meetings/{meeting.pk}/change/",
        {
            "topic": meeting.topic,
            "starts_at": timezone.localtime(later).strftime("%Y-%m-%dT%H:%M"),
            "duration": 120,
            "format": Format.ONSITE,
            "place": "三楼大会议室",
        },
    )
    assert answer.status_code == 302
    meeting.refresh_from_db()
    assert meeting.ends_at - meeting.starts_at == timedelta(minutes=120)
    client.force_login(world.member_a)
    assert client.get(f"/meetings/{meeting.pk}/change/").status_code == 404  # on the list, but not its keeper


def test_a_meeting_that_has_started_cannot_be_changed(world):
    meeting = _plan(world, start=timedelta(minutes=-10))
    with pytest.raises(ValidationError, match="已经开始"):
        services.change_meeting(
            world.secretary_a,
            meeting,
            topic="改",
            starts_at=timezone.now() + timedelta(days=1),
            ends_at=timezone.now() + timedelta(days=1, hours=1),
            format=Format.ONSITE,
        )


def test_a_transferred_member_leaves_the_old_branchs_coming_meetings_and_joins_the_new_ones(world):
    from plaza.transfers import services as transfers

    coming_a = _plan(world, start=timedelta(days=5))
    coming_b = services.plan_meeting(
        world.secretary_b,
        world.branch_b,
        kind=Kind.THEME_DAY,
        topic="物流支部主题党日",
        starts_at=timezone.now() + timedelta(days=6),
        ends_at=timezone.now() + timedelta(days=6, hours=1),
        place="物流部会议室",
    )
    held_a = _plan(world, start=timedelta(days=-3))  # already held: its record stays as it was
    assert "A0002" in _states(coming_a) and "A0002" not in _states(coming_b)

    today = timezone.localdate()
    transfer = transfers.start_transfer(world.member_a, world.member_a, world.branch_b, reason="工作调动", today=today)
    transfers.accept(world.secretary_b, transfer, today=today)

    assert "A0002" not in _states(coming_a) and _states(coming_b)["A0002"] == AttendanceState.EXPECTED
    assert "A0002" in _states(held_a)
    reminder_b = Reminder.objects.get(dedupe_key=f"meeting:{coming_b.pk}:start")
    assert world.member_a.pk in set(reminder_b.deliveries.filter(state="pending").values_list("recipient", flat=True))
    reminder_a = Reminder.objects.get(dedupe_key=f"meeting:{coming_a.pk}:start")
    assert world.member_a.pk not in set(
        reminder_a.deliveries.filter(state="pending").values_list("recipient", flat=True)
    )
    assert services.follow_member(world.member_a) == (0, 0)  # idempotent


def test_someone_who_asked_for_leave_keeps_their_row_when_moved(world):
    coming = _plan(world, start=timedelta(days=5))
    services.request_leave(world.member_a, coming, "出差")
    membership = world.member_a.memberships.get(until__isnull=True, tree="party")
    membership.until = timezone.localdate() - timedelta(days=1)
    membership.save()
    assert services.follow_member(world.member_a) == (0, 0)
    assert _states(coming)["A0002"] == AttendanceState.LEAVE


def test_a_new_probationary_member_joins_the_branchs_coming_meetings(world):
    from plaza.orgs import services as org_services

    coming = _plan(world, start=timedelta(days=5))
    assert world.activist_a.employee_no not in _states(coming)
    org_services.record_status_change(
        world.staff,
        world.activist_a,
        "probationary",
        effective_on=timezone.localdate(),
        reason="支部大会通过接收为预备党员",
    )
    assert _states(coming)[world.activist_a.employee_no] == AttendanceState.EXPECTED
