"""Issue 12 items 5 and 6: a valid code of another organisation's service says whose it is, not "invalid"; a
booking just made is on the person's 预约记录 at once."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from plaza.booking import services
from plaza.booking.models import Booking
from plaza.rules import workdays

from .helpers import at, make_service


def _open_day():
    """The next working day (the services here open Monday to Friday): not a weekend, not a public holiday. Also
    on a Friday, and in a year the national calendar does not cover yet (weekends still count)."""
    day = timezone.localdate() + timedelta(days=1)
    while not workdays.is_working_day(day):
        day += timedelta(days=1)
    return day


def test_a_code_of_another_organisations_service_says_it_is_outside_the_staffs_scope(client, world):
    union_service = make_service(world, organisation=world.union, actor=world.admin, name="困难职工帮扶申请")
    booking = services.book(world.employee, union_service, at(_open_day(), 9), now=timezone.now())
    client.force_login(world.staff)  # 组织部 staff of the Party committee: the union's services are not theirs
    for response in (
        client.get("/booking/office/check-in/", {"code": booking.code}),
        client.post("/booking/office/check-in/", {"code": booking.code}),
    ):
        body = response.content.decode()
        assert response.status_code == 400 and "签到码无效" not in body
        assert "困难职工帮扶申请" in body and "上汽通用汽车工会" in body and "不在您管理的事项范围内" in body
        assert "赵群众" not in body  # whose booking it is stays with the union
    with pytest.raises(ValidationError, match="不在您管理的事项范围内"):
        services.check_in(world.staff, booking.code)
    with pytest.raises(ValidationError, match="签到码无效"):
        services.check_in(world.staff, "ZZZZZZZZ")
    assert client.post("/booking/office/check-in/", {"code": "ZZZZZZZZ"}).content.decode().count("签到码无效") >= 1


def test_a_new_booking_is_on_the_record_right_after_booking(client, world):
    service = make_service(world, weekdays=range(7))
    client.force_login(world.member_a)
    assert "还没有预约记录" in client.get("/booking/").content.decode()
    client.post(f"/booking/service/{service.pk}/", {"starts_at": at(_open_day(), 9).isoformat()})
    booking = Booking.objects.get()
    body = client.get("/booking/").content.decode()
    record = body[body.index("预约记录") :]
    assert f"/booking/{booking.pk}/" in record and "还没有预约记录" not in body
