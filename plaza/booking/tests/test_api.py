"""The booking API on a fixed clock (Monday 2 March 2026, 08:00): the services I may book with their checklist,
a day's free places, booking (the last place given once, refusals as 400 with the reason), my bookings and
cancelling — and nobody else's booking."""

from datetime import date
from unittest.mock import patch

import pytest

from plaza.booking import services
from plaza.booking.models import Booking, Slot, Status

from .helpers import NOW, at, make_service

MONDAY = date(2026, 3, 2)
TUESDAY = date(2026, 3, 3)


@pytest.fixture(autouse=True)
def frozen():  # noqa: ANN201
    with patch("django.utils.timezone.now", return_value=NOW):
        yield


def _post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def test_services_i_may_book_with_the_documents_to_bring(client, world):
    make_service(world)
    make_service(world, name="物流支部的预约事项", organisation=world.branch_b, actor=world.staff)
    client.force_login(world.member_a)
    body = client.get("/api/v1/booking/services").json()
    assert [s["name"] for s in body["items"]] == ["党员身份证明"]
    found = body["items"][0]
    assert found["documents"] == ["身份证", "工作证"] and found["place"] == "党群服务中心 2 号窗口"


def test_free_places_of_a_day(client, world):
    service = make_service(world, counters=2)
    services.book(world.member_b, service, at(TUESDAY, 9), now=NOW)
    client.force_login(world.member_a)
    day = client.get(f"/api/v1/booking/services/{service.pk}/slots", {"day": TUESDAY.isoformat()}).json()
    assert day["day"] == "2026-03-03" and day["refusal"] == "" and day["closed"] == "" and len(day["slots"]) == 12
    first = day["slots"][0]
    assert (first["capacity"], first["booked"], first["free"], first["mine"]) == (2, 1, 1, False)
    today = client.get(f"/api/v1/booking/services/{service.pk}/slots").json()
    assert today["day"] == "2026-03-02" and today["first"] == "2026-03-02" and today["last"] == "2026-03-16"
    saturday = client.get(f"/api/v1/booking/services/{service.pk}/slots", {"day": "2026-03-07"}).json()
    assert saturday["slots"] == []
    too_far = client.get(f"/api/v1/booking/services/{service.pk}/slots", {"day": "2026-04-30"}).json()
    assert too_far["slots"] == []
    assert client.get(f"/api/v1/booking/services/{service.pk}/slots", {"day": "nonsense"}).status_code == 422


def test_book_then_list_and_cancel(client, world):
    service = make_service(world)
    client.force_login(world.member_a)
    response = _post(client, f"/api/v1/booking/services/{service.pk}/book", {"starts_at": at(TUESDAY, 9).isoformat()})
    assert response.status_code == 201
    booking = Booking.objects.get()
    body = response.json()
    assert body["id"] == booking.pk and body["code"] == booking.code and body["status"] == "booked"
    assert body["documents"] == ["身份证", "工作证"] and body["cancel_refusal"] == ""
    day = client.get(f"/api/v1/booking/services/{service.pk}/slots", {"day": TUESDAY.isoformat()}).json()
    assert day["slots"][0]["mine"] is True
    mine = client.get("/api/v1/booking/mine").json()
    assert [b["id"] for b in mine["items"]] == [booking.pk]
    cancelled = _post(client, f"/api/v1/booking/bookings/{booking.pk}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["code"] is None and Slot.objects.get().booked == 0
    again = _post(client, f"/api/v1/booking/bookings/{booking.pk}/cancel")
    assert again.status_code == 400 and "不能取消" in again.json()["detail"]


def test_the_last_place_is_given_once_and_refusals_are_400(client, world):
    service = make_service(world, counters=1)
    url = f"/api/v1/booking/services/{service.pk}/book"
    nine = {"starts_at": at(TUESDAY, 9).isoformat()}
    client.force_login(world.member_a)
    assert _post(client, url, nine).status_code == 201
    twice = _post(client, url, nine)
    assert twice.status_code == 400 and twice.json()["detail"] == "您已预约了这个时段。"
    client.force_login(world.secretary_a)
    full = _post(client, url, nine)
    assert full.status_code == 400 and full.json()["detail"] == "该时段已约满，请选择其他时段。"
    assert Booking.objects.count() == 1 and Slot.objects.get().booked == 1
    for body, reason in (
        ({"starts_at": at(TUESDAY, 12).isoformat()}, "不在开放时间内"),
        ({"starts_at": at(MONDAY, 7).isoformat()}, "该时段已过"),
        ({"starts_at": "2026-04-30T09:00:00+08:00"}, "最多可提前 14 天预约"),
        ({}, "请选择时段"),
    ):
        response = _post(client, url, body)
        assert response.status_code == 400 and reason in response.json()["detail"], body
    assert _post(client, url, {"starts_at": "not a time"}).status_code == 422


def test_someone_elses_booking_or_service_is_404(client, world):
    service = make_service(world)
    theirs = make_service(world, name="物流支部的预约事项", organisation=world.branch_b)
    booking = services.book(world.member_b, theirs, at(TUESDAY, 9), now=NOW)
    client.force_login(world.member_a)
    assert _post(client, f"/api/v1/booking/bookings/{booking.pk}/cancel").status_code == 404
    assert client.get(f"/api/v1/booking/services/{theirs.pk}/slots").status_code == 404
    assert (
        _post(
            client, f"/api/v1/booking/services/{theirs.pk}/book", {"starts_at": at(TUESDAY, 9).isoformat()}
        ).status_code
        == 404
    )
    assert client.get("/api/v1/booking/mine").json()["items"] == []
    booking.refresh_from_db()
    assert booking.status == Status.BOOKED
    assert client.get(f"/api/v1/booking/services/{service.pk}/slots").status_code == 200
