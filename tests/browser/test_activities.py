"""Issue 16 (activities) in a real browser at 360 × 740: an employee signs up for a 共建 activity with one place,
a Party member who comes next goes on the waiting list, the employee cancels and the member moves up (and is
told), then at the activity the member scans the organiser's rotating QR code and checks in (points given).
The clock is fixed on Tuesday 2026-12-01."""

from __future__ import annotations

from datetime import datetime
from unittest import mock
from urllib.request import urlopen
from zoneinfo import ZoneInfo

from plaza.activities import services
from plaza.activities.models import Kind, Signup
from plaza.notify.models import Notification

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_sign_up_wait_move_up_and_check_in(phone, world, live_server):
    # The live server's first request loads every app's URLs and views; on a busy machine that alone can take
    # longer than a page's 10 s timeout, so it is made once here before the phones sign in.
    urlopen(live_server.url + "/accounts/login/", timeout=120).read()
    now = [datetime(2026, 12, 1, 7, 30, tzinfo=SHANGHAI)]
    with mock.patch("django.utils.timezone.now", side_effect=lambda: now[0]):
        partner = services.save_partner(world.staff, None, world.committee, name="工商银行", active=True)
        activity = services.create_activity(
            world.staff,
            world.committee,
            audience=[world.committee, world.union],
            partners=[partner],
            kind=Kind.JOINT,
            title="与工商银行共建：金融知识进车间",
            description="",
            place="装调车间会议室",
            starts_at=datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI),
            ends_at=datetime(2026, 12, 1, 11, 30, tzinfo=SHANGHAI),
            signup_deadline=datetime(2026, 12, 1, 9, 30, tzinfo=SHANGHAI),
            capacity=1,
            waiting_list=True,
            points=5,
        )
        employee, member, staff = phone(world.employee), phone(world.member_a), phone(world.staff)

        employee.goto("/activities/")
        employee.click("[data-testid=activities] a:has-text('金融知识进车间')")
        employee.click("[data-testid=my-signup] button:has-text('我要报名')")
        employee.wait_for_selector("text=报名成功")
        assert employee.locator("[data-testid=state]").inner_text() == "已报名"

        member.goto(f"/activities/{activity.pk}/")
        member.click("[data-testid=my-signup] button:has-text('报名候补')")
        member.wait_for_selector("text=候补名单（第 1 位）")
        assert "候补第 1 位" in member.locator("[data-testid=state]").inner_text()

        employee.once("dialog", lambda dialog: dialog.accept())
        employee.click("[data-testid=my-signup] button:has-text('取消报名')")
        employee.wait_for_selector("text=已取消报名")
        member.reload()
        assert member.locator("[data-testid=state]").inner_text() == "已报名"
        assert Notification.objects.filter(recipient=world.member_a, title__contains="候补成功").exists()

        now[0] = datetime(2026, 12, 1, 9, 50, tzinfo=SHANGHAI)  # at the door: the organiser shows the code
        staff.goto(f"/activities/office/{activity.pk}/qr/")
        staff.wait_for_selector("[data-testid=qr] .qr svg")
        url = staff.locator("[data-testid=qr] .qr").get_attribute("data-url")
        member.goto(url)
        member.click("button:has-text('签到')")
        member.wait_for_selector("[data-testid=checked-in]")
        assert "签到成功，获得 5 积分" in member.locator("[data-testid=checked-in]").inner_text()
        signup = Signup.objects.get(activity=activity, person=world.member_a, state="confirmed")
        assert signup.checked_in_at is not None and signup.points_given == 5
        staff.reload()
        staff.wait_for_selector("[data-testid=present]:has-text('1')")
