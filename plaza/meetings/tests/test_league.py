"""团的组织生活 and the union's meetings in the meetings app: kinds by tree, who is expected, a League secretary
running a meeting end to end, and the Party's board untouched."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from plaza.meetings import queries, services
from plaza.meetings.models import AttendanceState, Kind
from plaza.rules import meetings as rules
from plaza.testing.factories import Level as L
from plaza.testing.factories import PersonFactory, Title, add_org, appoint, join


@pytest.fixture
def league(world):
    branch = add_org(world.league, "装调车间团支部", "L0101", L.LEAGUE_BRANCH)
    secretary = PersonFactory(employee_no="Y0001", name="王青", birth_date=date(1999, 3, 1))
    youth = [PersonFactory(employee_no=f"Y000{i}", name=f"团员{i}", birth_date=date(2001, 3, i)) for i in (2, 3)]
    for person in (secretary, *youth):
        join(person, branch)
    appoint(secretary, branch, Title.LEAGUE_SECRETARY)
    return branch, secretary, youth


def _plan(actor, org, kind, *, start=timedelta(hours=-3), minutes=90):
    starts_at = timezone.now() + start
    return services.plan_meeting(
        actor,
        org,
        kind=kind,
        topic="青春心向党，建功新时代",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        place="装调车间团员活动室",
    )


def test_kinds_follow_the_tree(world, league):
    branch, _secretary, _youth = league
    party = [value for value, _label in services.kinds_for(world.branch_a)]
    assert party == ["general_meeting", "committee", "group", "lecture", "theme_day", "life_meeting"]
    # by level too: 中心组学习 is a 党委's, a 党小组会 a group's or its branch's (中心组 was offered to a branch)
    committee = [value for value, _label in services.kinds_for(world.committee)]
    assert "centre_group" in committee and "group" not in committee
    labels = [label for _value, label in services.kinds_for(branch)]
    assert labels == ["团员大会", "团委（团支部）委员会", "团课", "主题团日", "组织生活会（民主评议团员）"]
    assert [label for _v, label in services.kinds_for(world.union)] == ["会员大会", "工会委员会会议"]
    with pytest.raises(ValidationError, match="装调车间党支部不能召开主题团日"):
        _plan(world.secretary_a, world.branch_a, Kind.LEAGUE_DAY)
    appoint(world.employee, world.union, Title.UNION_CHAIR)
    with pytest.raises(ValidationError, match="本组织可召开的会议：会员大会、工会委员会会议"):
        _plan(world.employee, world.union, Kind.THEME_DAY)


def test_a_league_meeting_expects_the_league_members_of_its_subtree(world, league):
    branch, secretary, youth = league
    meeting = _plan(secretary, branch, Kind.LEAGUE_DAY, start=timedelta(days=2))
    expected = set(meeting.attendance.values_list("person__employee_no", flat=True))
    assert expected == {"Y0001", "Y0002", "Y0003"}
    committee = _plan(secretary, branch, Kind.LEAGUE_COMMITTEE, start=timedelta(days=3))
    assert list(committee.attendance.values_list("person__employee_no", flat=True)) == ["Y0001"]
    # the 团委 above sees the same members in its subtree; a union meeting lists the union members
    assert set(services.audience(world.league, Kind.LEAGUE_MEETING).values_list("employee_no", flat=True)) == expected
    union = set(services.audience(world.union, Kind.UNION_MEETING).values_list("employee_no", flat=True))
    assert union == {"A0002", "E0001"}


def test_a_league_secretary_plans_and_runs_a_meeting_end_to_end(world, league, committed):
    branch, secretary, (first, second) = league
    with committed():
        meeting = _plan(secretary, branch, Kind.LEAGUE_DAY)
    services.request_leave(second, meeting, "夜班轮休", now=meeting.starts_at - timedelta(hours=1))
    at = meeting.starts_at + timedelta(minutes=5)
    _row, first_time = services.sign_in(first, meeting, services.qr_token(meeting, at), now=at)
    assert first_time
    services.write_minutes(secretary, meeting, topics="主题团日", content="学习习近平总书记关于青年工作的重要思想。")
    services.approve_minutes(secretary, meeting, today=timezone.localdate())
    states = dict(meeting.attendance.values_list("person__employee_no", "state"))
    assert states == {"Y0001": AttendanceState.ABSENT, "Y0002": AttendanceState.PRESENT, "Y0003": AttendanceState.LEAVE}
    leave = meeting.attendance.get(person=second)
    assert leave.makeup_due_on is not None
    services.complete_makeup(second, leave, "补学了主题团日的学习材料，体会到青年要在岗位上建功立业。")
    assert meeting.attendance.get(person=second).makeup_done_on is not None


def test_a_league_secretary_cannot_plan_for_a_party_branch(world, league, client):
    _branch, secretary, _youth = league
    with pytest.raises(PermissionDenied):
        _plan(secretary, world.branch_a, Kind.THEME_DAY)
    client.force_login(secretary)
    assert client.get(reverse("meetings:plan", args=[world.branch_a.pk])).status_code == 404


def test_the_party_board_is_not_touched_by_league_meetings(world, league):
    branch, secretary, _youth = league
    year = timezone.localdate().year
    before = queries.compliance([world.branch_a], year)[world.branch_a.pk]
    _plan(secretary, branch, Kind.LEAGUE_MEETING)
    _plan(secretary, branch, Kind.LEAGUE_LECTURE)
    assert queries.compliance([world.branch_a], year)[world.branch_a.pk] == before
    held = [
        ("league_meeting", date(2025, 2, 1)),
        ("theme_day", date(2025, 1, 5)),
        ("general_meeting", date(2025, 2, 1)),
    ]
    with pytest.raises(ValueError, match="unknown meeting kind 'league_meeting'"):  # missing stays the Party's
        rules.missing(held, date(2025, 1, 1), date(2025, 3, 31))
    league_gaps = rules.league_missing(held, date(2025, 1, 1), date(2025, 3, 31))
    assert sorted(kind for kind, _f, _l in league_gaps) == ["league_committee"] * 3 + ["league_lecture"]


def test_league_pages_offer_league_kinds(world, league, client, django_assert_max_num_queries):
    branch, secretary, _youth = league
    client.force_login(secretary)
    page = client.get(reverse("meetings:plan", args=[branch.pk])).content.decode()
    assert "主题团日" in page and "支部党员大会" not in page
    response = client.post(
        reverse("meetings:plan", args=[branch.pk]),
        {
            "kind": Kind.LEAGUE_DAY,
            "topic": "青春心向党",
            "starts_at": (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "duration": 90,
            "format": "onsite",
            "place": "团员活动室",
        },
    )
    assert response.status_code == 302
    with django_assert_max_num_queries(30):
        page = client.get(reverse("meetings:organisation", args=[branch.pk])).content.decode()
    row = re.search(r"<tr>\s*<td>[^<]*</td>\s*<td[^>]*>主题团日</td>\s*<td><a [^>]*>青春心向党</a>", page)
    assert row and "团员大会" in page  # the meeting listed with its kind; the league's kinds in the filter
    assert client.get(reverse("meetings:office"))["Location"] == reverse("meetings:organisation", args=[branch.pk])
