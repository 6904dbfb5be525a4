"""The meeting pages, as the secretary, a member and an outsider see them."""

from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from plaza.meetings import services
from plaza.meetings.models import Kind, Meeting


def _running(world, **extra):
    starts_at = timezone.now() - timedelta(minutes=10)
    return services.plan_meeting(
        world.secretary_a,
        world.branch_a,
        kind=Kind.GENERAL_MEETING,
        topic="支部党员大会",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=90),
        **extra,
    )


def test_a_meeting_planned_in_the_past_is_recorded_and_says_nobody_was_told(client, world):
    """The tester planned a 支部委员会 for a week ago and read 「已通知 4 人」: the service had told nobody (补录)."""
    from plaza.notify.models import Reminder

    client.force_login(world.secretary_a)
    url = f"/meetings/org/{world.branch_a.pk}/new/"
    assert "党委中心组学习" not in client.get(url).content.decode()  # a 党委's, not a branch's
    starts = (timezone.localtime() - timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    before = Reminder.objects.count()
    done = client.post(
        url,
        {"kind": "committee", "topic": "研究发展对象", "starts_at": starts, "duration": "60", "format": "onsite"},
        follow=True,
    )
    page = done.content.decode()
    assert Meeting.objects.filter(topic="研究发展对象").exists()
    assert "作为补录保存，未发送通知" in page and "已通知" not in page
    assert Reminder.objects.count() == before


def test_the_secretary_plans_a_meeting_from_the_form(client, world):
    client.force_login(world.secretary_a)
    assert client.get("/meetings/office/").status_code == 302  # one organisation: straight to it
    url = f"/meetings/org/{world.branch_a.pk}/new/"
    starts = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    refused = client.post(
        url,
        {
            "kind": "lecture",
            "topic": "行走党课",
            "starts_at": starts,
            "duration": "90",
            "format": "walking",
            "route": "",
        },
    )
    assert "路线" in refused.content.decode() and not Meeting.objects.exists()
    done = client.post(
        url,
        {
            "kind": "lecture",
            "topic": "行走党课",
            "starts_at": starts,
            "duration": "90",
            "format": "walking",
            "route": "厂史馆—总装车间—党建长廊",
            "guests": "A0003",
        },
    )
    meeting = Meeting.objects.get()
    assert done.status_code == 302 and meeting.attendance.count() == 3
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "厂史馆—总装车间—党建长廊" in page and "陈晓" in page
    page = client.get(f"/meetings/org/{world.branch_a.pk}/").content.decode()
    assert "行走党课" in page and f"/meetings/org/{world.group_a1.pk}/" in page  # its group plans its own


def test_qr_screen_sign_in_and_counts(client, world):
    meeting = _running(world)
    client.force_login(world.secretary_a)
    assert client.get(f"/meetings/{meeting.pk}/qr/").status_code == 200
    fragment = client.get(f"/meetings/{meeting.pk}/qr/code/").content.decode()
    assert "<svg" in fragment and "0</b> / 2" in fragment
    token = services.qr_token(meeting)
    client.force_login(world.member_a)
    assert client.get(f"/meetings/{meeting.pk}/qr/code/").status_code == 404  # the screen is the secretary's
    assert "签到" in client.get(f"/meetings/{meeting.pk}/sign-in/", {"t": token}).content.decode()
    signed = client.post(f"/meetings/{meeting.pk}/sign-in/", {"t": token})
    assert signed.status_code == 200 and "签到成功" in signed.content.decode()
    again = client.post(f"/meetings/{meeting.pk}/sign-in/", {"t": token})
    assert "无需重复签到" in again.content.decode()
    assert client.post(f"/meetings/{meeting.pk}/sign-in/", {"t": "forged"}).status_code == 404
    assert client.get(f"/meetings/{meeting.pk}/sign-in/").status_code == 404
    client.force_login(world.secretary_a)
    assert "1</b> / 2" in client.get(f"/meetings/{meeting.pk}/qr/code/").content.decode()


def test_outsiders_see_nothing(client, world):
    meeting = _running(world)
    client.force_login(world.secretary_b)
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 404
    assert client.get(f"/meetings/org/{world.branch_a.pk}/").status_code == 404
    assert client.post(f"/meetings/{meeting.pk}/minutes/", {"topics": "x", "content": "y" * 20}).status_code == 404
    client.force_login(world.employee)
    assert client.get("/meetings/office/").status_code == 403


def test_minutes_with_photos_vote_approve_and_print(client, world):
    meeting = _running(world)
    client.force_login(world.secretary_a)
    photo = SimpleUploadedFile("合影.jpg", b"\xff\xd8\xff\xe0 photo", content_type="image/jpeg")
    client.post(
        f"/meetings/{meeting.pk}/minutes/",
        {
            "topics": "学习全会精神",
            "content": "领学公报并交流学习体会。",
            "decisions": "开展专题研讨",
            "files": [photo],
        },
    )
    client.post(
        f"/meetings/{meeting.pk}/resolution/", {"title": "推荐优秀党员", "entitled": "2", "present": "2", "yes": "2"}
    )
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "领学公报并交流学习体会" in page and "合影.jpg" in page and "推荐优秀党员" in page
    pdf = client.get(f"/meetings/{meeting.pk}/minutes.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and b"STSong-Light" in pdf.content
    meeting.ends_at = timezone.now() - timedelta(minutes=1)
    meeting.save(update_fields=["ends_at"])
    client.post(f"/meetings/{meeting.pk}/minutes/approve/")
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "已审定" in page and "保存会议记录" not in page


def test_compliance_board_for_the_committee(client, world):
    _running(world)
    client.force_login(world.staff)
    page = client.get("/meetings/compliance/", {"month": timezone.localdate().strftime("%Y-%m")}).content.decode()
    assert "装调车间党支部" in page and "物流和采购党支部" in page and 'data-testid="compliance"' in page
    client.force_login(world.secretary_b)
    page = client.get("/meetings/compliance/").content.decode()
    assert "物流和采购党支部" in page and "装调车间党支部" not in page


def test_my_meetings_leave_and_rates(client, world):
    starts_at = timezone.now() + timedelta(days=1)
    meeting = services.plan_meeting(
        world.secretary_a,
        world.branch_a,
        kind=Kind.THEME_DAY,
        topic="主题党日",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
    )
    client.force_login(world.member_a)
    assert "主题党日" in client.get("/meetings/").content.decode()
    client.post(f"/meetings/{meeting.pk}/leave/", {"reason": "夜班休息"})
    assert meeting.attendance.get(person=world.member_a).state == "leave"
    client.force_login(world.secretary_a)
    assert client.get(f"/meetings/org/{world.branch_a.pk}/rates/").status_code == 200


def test_committee_rates_are_per_branch(client, world):
    client.force_login(world.staff)
    page = client.get(f"/meetings/org/{world.committee.pk}/rates/").content.decode()
    assert 'data-testid="branch-rates"' in page and "装调车间党支部" in page and "物流和采购党支部" in page
    client.force_login(world.secretary_a)
    assert client.get(f"/meetings/org/{world.committee.pk}/rates/").status_code == 404


def test_this_years_list_shows_a_meeting_already_planned_for_next_year(client, world, settings):
    """On 31 December a secretary plans the 2 January 主题党日: this year's list keeps it in sight (later years'
    planned meetings follow this year's); last year's list and a cancelled one in next year do not show it."""
    settings.PLAZA_TODAY = "2030-12-31"
    after_new_year = timezone.make_aware(datetime(2031, 1, 2, 9))
    planned = services.plan_meeting(
        world.secretary_a,
        world.branch_a,
        kind=Kind.THEME_DAY,
        topic="新年第一次主题党日",
        starts_at=after_new_year,
        ends_at=after_new_year + timedelta(hours=2),
        place="党员活动室",
    )
    client.force_login(world.secretary_a)
    url = f"/meetings/org/{world.branch_a.pk}/"
    page = client.get(url).content.decode()
    assert "新年第一次主题党日" in page and "2031年1月2日" in page  # its year said: the list is 2030's
    assert "新年第一次主题党日" in client.get(url, {"year": 2030, "state": "coming"}).content.decode()
    assert "新年第一次主题党日" not in client.get(url, {"year": 2029}).content.decode()
    Meeting.objects.filter(pk=planned.pk).update(status="cancelled")
    assert "新年第一次主题党日" not in client.get(url).content.decode()
