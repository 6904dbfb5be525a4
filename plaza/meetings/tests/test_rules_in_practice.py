"""Issue 20 through the services: a 支部委员会 without its quorum does not fulfil its month, and the board says
why; the warning before a period ends comes from ``plaza.rules.meetings``."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from plaza.meetings import queries, services, sweep
from plaza.meetings.models import AttendanceState, Kind
from plaza.notify.models import Task
from plaza.rules import meetings as rules
from plaza.testing.factories import PersonFactory, Title, appoint, join


def _committee_of_four(world):
    members = [world.secretary_a]
    for number, title in (("A0201", Title.DEPUTY_SECRETARY), ("A0202", Title.ORGANISATION_MEMBER)):
        person = PersonFactory(employee_no=number, political_status="full_member")
        join(person, world.branch_a)
        appoint(person, world.branch_a, title)
        members.append(person)
    person = PersonFactory(employee_no="A0203", political_status="full_member")
    join(person, world.branch_a)
    appoint(person, world.branch_a, Title.PROPAGANDA_MEMBER)
    return [*members, person]


def _committee_meeting(world, on: date, present):
    starts_at = timezone.make_aware(datetime.combine(on, time(9)))
    meeting = services.plan_meeting(
        world.secretary_a,
        world.branch_a,
        kind=Kind.COMMITTEE,
        topic="研究本月工作",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
    )
    ids = meeting.attendance.filter(person__in=present).values_list("pk", flat=True)
    services.set_attendance(world.secretary_a, meeting, ids, AttendanceState.PRESENT)
    return meeting


def test_a_committee_meeting_without_half_its_members_does_not_count_and_the_board_says_why(world, client):
    members = _committee_of_four(world)
    meeting = _committee_meeting(world, date(2025, 1, 10), members[:1])  # 1 of 4: below half
    assert meeting.attendance.filter(guest=False).count() == 4
    now = timezone.make_aware(datetime(2025, 3, 10, 12))
    january = queries.compliance([world.branch_a], 2025, now=now)[world.branch_a.pk][Kind.COMMITTEE][0]
    assert january.state == "missing"
    assert "到会 1 人，不足委员 4 人的半数" in january.note and "《支部条例》" in january.note
    _committee_meeting(world, date(2025, 2, 10), members[:2])  # 2 of 4: exactly half, quorate
    february = queries.compliance([world.branch_a], 2025, now=now)[world.branch_a.pk][Kind.COMMITTEE][1]
    assert february.state == "held" and february.note == ""
    client.force_login(world.secretary_a)
    page = client.get(f"/meetings/org/{world.branch_a.pk}/?year=2025").content.decode()
    assert 'data-testid="cell-note"' in page and "2025年1月10日 的支部委员会会议到会 1 人" in page


def test_a_committee_meeting_short_of_its_quorum_this_month_leaves_the_month_open(world):
    members = _committee_of_four(world)
    _committee_meeting(world, date(2025, 5, 10), members[:1])
    now = timezone.make_aware(datetime(2025, 5, 20, 12))
    cells = queries.compliance_on([world.branch_a], date(2025, 5, 20), now=now)[world.branch_a.pk]
    committee = cells[list(queries.BRANCH_KINDS).index(Kind.COMMITTEE)]
    assert committee.state == "open" and "不足委员 4 人的半数" in committee.note


def test_the_missing_meeting_warning_starts_on_its_day_not_the_day_before():
    assert rules.missing_warning_from(Kind.COMMITTEE, date(2025, 1, 31)) == date(2025, 1, 24)
    assert rules.missing_warning_from(Kind.GENERAL_MEETING, date(2025, 3, 31)) == date(2025, 3, 17)
    assert sweep.WARN_DAYS is rules.MISSING_WARNING_DAYS  # one figure, kept in plaza.rules


def test_the_missing_meeting_to_do_says_why_a_meeting_held_without_quorum_does_not_count(world, settings):
    members = _committee_of_four(world)
    _committee_meeting(world, date(2025, 5, 10), members[:1])
    settings.PLAZA_TODAY = "2025-05-24"  # the first day of the warning for May (7 days before its end)
    sweep.remind_missing(date(2025, 5, 24))
    task = Task.objects.get(assignee=world.secretary_a, source_id__contains=":committee:")
    assert "支部委员会尚未召开（2025年5月31日 前）" in task.title and "不足委员 4 人的半数" in task.title


def test_no_missing_meeting_to_do_the_day_before_the_warning(world, settings):
    members = _committee_of_four(world)
    _committee_meeting(world, date(2025, 5, 10), members[:1])
    settings.PLAZA_TODAY = "2025-05-23"
    sweep.remind_missing(date(2025, 5, 23))
    assert not Task.objects.filter(source_id__contains=":committee:").exists()
