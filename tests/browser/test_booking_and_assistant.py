"""Issue 7 in a real browser: an employee books a slot, gets the reminder, is checked in by staff; then asks
党群小智 a question and opens the cited source. The clock is fixed on a working Tuesday, 2026-12-01."""

from __future__ import annotations

from datetime import datetime, time
from unittest import mock
from zoneinfo import ZoneInfo

from plaza.assistant.demo import seed_demo_knowledge
from plaza.booking.models import Booking, OpeningHours, Service
from plaza.notify.dispatch import send_due_reminders
from plaza.notify.models import Notification

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_book_remind_check_in_then_ask_the_assistant(phone, world):
    now = [datetime(2026, 12, 1, 7, 30, tzinfo=SHANGHAI)]
    with mock.patch("django.utils.timezone.now", side_effect=lambda: now[0]):
        service = Service.objects.create(
            organisation=world.committee,
            name="党员身份证明",
            slot_minutes=30,
            place="党群服务中心 2 号窗口",
            documents="工作证\n身份证",
            created_by=world.staff,
        )
        OpeningHours.objects.create(service=service, weekday=1, opens=time(9), closes=time(11, 30), counters=2)
        seed_demo_knowledge()
        member, staff = phone(world.member_a), phone(world.staff)

        member.goto(f"/booking/service/{service.pk}/?day=2026-12-01")
        assert "工作证" in member.locator("main").inner_text()  # the documents to bring, before booking
        member.once("dialog", lambda dialog: dialog.accept())
        member.locator("[data-testid=slots] li", has_text="09:00").locator("button").click()
        member.wait_for_selector("[data-testid=code] img")
        booking = Booking.objects.get(person=world.member_a)

        now[0] = datetime(2026, 12, 1, 8, 1, tzinfo=SHANGHAI)  # an hour before: the reminder goes out
        send_due_reminders(now[0])
        assert Notification.objects.filter(recipient=world.member_a, title__contains="1 小时后办理").exists()

        now[0] = datetime(2026, 12, 1, 8, 55, tzinfo=SHANGHAI)
        staff.goto(f"/booking/office/check-in/?code={booking.code}")  # where scanning the member's QR leads
        assert "张建国" in staff.locator("[data-testid=booking]").inner_text()
        staff.click("[data-testid=booking] button[type=submit]")
        staff.wait_for_selector("[data-testid=result]")
        booking.refresh_from_db()
        assert booking.checked_in_at is not None

        member.goto("/assistant/")
        member.fill("textarea[name=text], input[name=text]", "生了孩子工会给慰问金吗，要交什么材料")
        member.click("button:has-text('提问')")
        member.wait_for_selector("[data-testid=sources] a")
        source = member.locator("[data-testid=sources] a").first
        title = source.inner_text()
        assert "生育" in title
        source.click()
        member.wait_for_load_state()
        assert "生育" in member.locator("main").inner_text() and "/assistant/documents/" in member.url
