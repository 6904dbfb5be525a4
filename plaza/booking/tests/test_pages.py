"""The booking pages, as a member, the 组织部 staff and an ordinary member trying the staff's pages."""

from datetime import timedelta
from xml.etree import ElementTree

from django.utils import timezone

from plaza.booking import services
from plaza.booking.models import Booking, Status
from plaza.rules import workdays

from .helpers import at, make_service


def _open_day():
    day = timezone.localdate() + timedelta(days=1)
    while workdays.holiday_name(day):
        day += timedelta(days=1)
    return day


def test_a_member_books_sees_the_code_and_cancels(client, world):
    service = make_service(world, weekdays=range(7))
    day = _open_day()
    client.force_login(world.member_a)
    index = client.get("/booking/").content.decode()
    assert "党员身份证明" in index
    page = client.get(f"/booking/service/{service.pk}/", {"day": day.isoformat()}).content.decode()
    assert "身份证" in page and "工作证" in page and "余 2 / 2" in page  # the checklist before booking
    done = client.post(f"/booking/service/{service.pk}/", {"starts_at": at(day, 9).isoformat()})
    booking = Booking.objects.get()
    assert done.status_code == 302 and done.url == f"/booking/{booking.pk}/"
    detail = client.get(done.url).content.decode()
    assert booking.code in detail and "工作证" in detail and "data-confirm" in detail
    svg = client.get(f"/booking/{booking.pk}/code.svg")
    # a picture of its own: an SVG document with its namespace, or an <img> shows it broken
    assert svg.status_code == 200 and ElementTree.fromstring(svg.content).tag == "{http://www.w3.org/2000/svg}svg"
    again = client.post(f"/booking/service/{service.pk}/", {"starts_at": at(day, 9).isoformat()}, follow=True)
    assert "您已预约了这个时段" in again.content.decode()
    outside = client.post(f"/booking/service/{service.pk}/", {"starts_at": at(day, 12).isoformat()}, follow=True)
    assert "不在开放时间内" in outside.content.decode()
    moved = client.post(f"/booking/{booking.pk}/move/", {"starts_at": at(day, 14).isoformat()})
    new = Booking.objects.get(status=Status.BOOKED)
    assert moved.status_code == 302 and new.moved_from_id == booking.pk
    client.post(f"/booking/{new.pk}/cancel/")
    assert Booking.objects.filter(status=Status.CANCELLED).count() == 2
    client.force_login(world.member_b)
    assert client.get(f"/booking/{new.pk}/").status_code == 404  # someone else's booking


def test_staff_check_in_queue_done_rating_and_stats(client, world):
    service = make_service(world, weekdays=range(7))
    now = timezone.now()
    booking = services.book(world.member_a, service, at(_open_day(), 9), now=now)
    day = timezone.localdate(booking.slot.starts_at)
    client.force_login(world.staff)
    assert "党员身份证明" in client.get("/booking/office/").content.decode()
    found = client.get("/booking/office/check-in/", {"code": booking.code}).content.decode()
    assert "张建国" in found
    wrong_day = client.post("/booking/office/check-in/", {"code": booking.code})
    assert wrong_day.status_code == 400 and "不是今天的" in wrong_day.content.decode()
    assert client.post("/booking/office/check-in/", {"code": "NOPE"}).status_code == 400
    services.check_in(world.staff, booking.code, now=booking.slot.starts_at - timedelta(minutes=5))
    queue = client.get(f"/booking/office/service/{service.pk}/queue/", {"day": day.isoformat()}).content.decode()
    assert "张建国" in queue and "已签到" in queue
    services.mark_done(world.staff, booking, now=booking.slot.starts_at + timedelta(minutes=10))
    client.force_login(world.member_a)
    assert "评价本次服务" in client.get(f"/booking/{booking.pk}/").content.decode()
    client.post(f"/booking/{booking.pk}/rate/", {"rating": "5", "comment": "很好"})
    booking.refresh_from_db()
    assert booking.rating == 5
    client.force_login(world.staff)
    stats = client.get("/booking/office/stats/", {"first": day.isoformat(), "last": day.isoformat()})
    assert "党员身份证明" in stats.content.decode() and "5.0" in stats.content.decode()
    xlsx = client.get("/booking/office/stats/", {"first": day.isoformat(), "last": day.isoformat(), "format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats") and xlsx.content[:2] == b"PK"


def test_staff_define_a_service_hours_and_closures_from_the_forms(client, world):
    client.force_login(world.staff)
    created = client.post(
        "/booking/office/new/",
        {
            "organisation": world.committee.pk,
            "name": "组织关系转接",
            "place": "党群服务中心 1 号窗口",
            "slot_minutes": "20",
            "documents": "介绍信",
            "audience": "party",
            "book_ahead_days": "7",
            "cancel_hours": "4",
            "active": "on",
        },
    )
    assert created.status_code == 302
    service_id = int(created.url.rstrip("/").split("/")[-2])
    hours = client.post(
        f"/booking/office/service/{service_id}/hours/",
        {"weekdays": ["0", "1", "2", "3", "4"], "opens": "09:00", "closes": "11:30", "counters": "2"},
    )
    assert hours.status_code == 302
    overlap = client.post(
        f"/booking/office/service/{service_id}/hours/",
        {"weekdays": ["0"], "opens": "11:00", "closes": "12:00", "counters": "1"},
    )
    assert "重叠" in overlap.content.decode()
    day = _open_day()
    closed = client.post(
        f"/booking/office/service/{service_id}/closed/", {"day": day.isoformat(), "reason": "系统升级"}
    )
    assert closed.status_code == 302
    assert "系统升级" in client.get(f"/booking/office/service/{service_id}/").content.decode()


def test_an_ordinary_member_cannot_reach_staff_pages(client, world):
    service = make_service(world, weekdays=range(7))
    booking = services.book(world.member_a, service, at(_open_day(), 9), now=timezone.now())
    client.force_login(world.member_b)
    for url in (
        "/booking/office/",
        "/booking/office/new/",
        "/booking/office/check-in/",
        "/booking/office/stats/",
        f"/booking/office/service/{service.pk}/",
        f"/booking/office/service/{service.pk}/edit/",
        f"/booking/office/service/{service.pk}/hours/",
        f"/booking/office/service/{service.pk}/closed/",
        f"/booking/office/service/{service.pk}/queue/",
    ):
        assert client.get(url).status_code in (403, 404), url
    assert client.post(f"/booking/office/booking/{booking.pk}/done/").status_code == 404
    assert client.get("/booking/office/check-in/", {"code": booking.code}).status_code == 403
