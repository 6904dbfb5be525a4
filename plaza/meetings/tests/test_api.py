"""The 组织生活 API: my meetings with my attendance, a meeting only for those who may see it, leave and QR
sign-in through the same services as the pages (refusals as 400 with the reason; signing in twice counts once)."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from plaza.api.auth import issue_token
from plaza.meetings import services
from plaza.meetings.models import Attendance, AttendanceState, Kind


def _plan(world, starts_in: timedelta, topic: str = "支部党员大会"):
    starts_at = timezone.now() + starts_in
    return services.plan_meeting(
        world.secretary_a,
        world.branch_a,
        kind=Kind.GENERAL_MEETING,
        topic=topic,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=90),
    )


@pytest.fixture
def running(world):
    return _plan(world, -timedelta(minutes=10), "学习全会精神")


@pytest.fixture
def coming(world):
    return _plan(world, timedelta(days=3), "主题党日：重温入党誓词")


def _post(client, url: str, body: dict, person):
    token = issue_token(person, "企业微信")
    return client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_my_meetings_lists_upcoming_and_past_with_my_state(client, world, running, coming):
    past = _plan(world, -timedelta(days=10), "上月主题党日")
    Attendance.objects.filter(meeting=past, person=world.member_a).update(state=AttendanceState.ABSENT)
    client.force_login(world.member_a)
    body = client.get("/api/v1/meetings/mine").json()
    assert [m["topic"] for m in body["upcoming"]] == ["学习全会精神", "主题党日：重温入党誓词"]
    assert body["upcoming"][0]["state"] == "expected" and body["upcoming"][0]["state_label"] == "应到"
    assert [(m["meeting_id"], m["state"]) for m in body["recent"]] == [(past.pk, "absent")]
    client.force_login(world.member_b)
    assert client.get("/api/v1/meetings/mine").json() == {"upcoming": [], "recent": [], "makeup": []}


def test_meeting_detail_for_the_list_and_the_keeper_only(client, world, running):
    url = f"/api/v1/meetings/{running.pk}"
    client.force_login(world.member_a)
    body = client.get(url).json()
    assert body["topic"] == "学习全会精神" and body["signing"] is True and body["keeps"] is False
    assert body["mine"]["state"] == "expected" and body["counts"] is None
    client.force_login(world.secretary_a)
    assert client.get(url).json()["counts"] == {"expected": 2, "present": 0, "leave": 0, "absent": 0}
    for outsider in (world.secretary_b, world.member_b, world.employee):
        client.force_login(outsider)
        response = client.get(url)
        assert response.status_code == 404 and "学习全会精神" not in response.content.decode()


def test_leave_needs_a_reason_and_is_refused_for_others(client, world, coming):
    url = f"/api/v1/meetings/{coming.pk}/leave"
    refused = _post(client, url, {}, world.member_a)
    assert refused.status_code == 400 and refused.json()["detail"] == "请写明请假原因。"
    done = _post(client, url, {"reason": "出差在外"}, world.member_a)
    assert done.status_code == 200 and done.json()["state"] == "leave" and done.json()["leave_reason"] == "出差在外"
    assert Attendance.objects.get(meeting=coming, person=world.member_a).state == AttendanceState.LEAVE
    assert _post(client, url, {"reason": "越权请假"}, world.member_b).status_code == 404


def test_sign_in_by_the_qr_token_counts_once(client, world, running):
    url = f"/api/v1/meetings/{running.pk}/sign-in"
    token = services.qr_token(running)
    first = _post(client, url, {"token": token}, world.member_a)
    assert first.status_code == 200
    assert first.json()["first"] is True and first.json()["message"] == "签到成功"
    assert first.json()["attendance"]["state"] == "present"
    again = _post(client, url, {"token": token}, world.member_a)
    assert again.status_code == 200 and again.json()["first"] is False and "无需重复签到" in again.json()["message"]
    assert again.json()["attendance"]["signed_in_at"] == first.json()["attendance"]["signed_in_at"]
    assert Attendance.objects.filter(meeting=running, state=AttendanceState.PRESENT).count() == 1
    client.force_login(world.secretary_a)
    assert client.get(f"/api/v1/meetings/{running.pk}").json()["counts"]["present"] == 1


def test_sign_in_refusals(client, world, running, coming):
    url = f"/api/v1/meetings/{running.pk}/sign-in"
    token = services.qr_token(running)
    assert _post(client, url, {"token": "forged"}, world.member_a).status_code == 404  # as the QR page
    assert _post(client, url, {}, world.member_a).status_code == 404
    assert _post(client, url, {"token": services.qr_token(coming)}, world.member_a).status_code == 404
    outsider = _post(client, url, {"token": token}, world.employee)
    assert outsider.status_code == 400 and "不在本次会议的参会名单中" in outsider.json()["detail"]
    early = _post(client, f"/api/v1/meetings/{coming.pk}/sign-in", {"token": services.qr_token(coming)}, world.member_a)
    assert early.status_code == 400 and "不在签到时间内" in early.json()["detail"]
    with mock.patch("django.core.signing.time.time", return_value=timezone.now().timestamp() - 600):
        old = services.qr_token(running)
    expired = _post(client, url, {"token": old}, world.member_a)
    assert expired.status_code == 400 and "二维码已过期" in expired.json()["detail"]
    assert not Attendance.objects.filter(state=AttendanceState.PRESENT).exists()
