"""The day's queue as a staff list (issue 14): a filter bar and sortable columns (htmx swaps only the list), the
row buttons answered with their row alone under htmx, and 办结 / 未到 for many rows at once, confirmed on a page
that names the rows and says why any cannot be handled."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plaza.audit.models import AuditEntry
from plaza.booking import services
from plaza.booking.models import Booking, Status

from .helpers import NOW, at, make_service

DAY = NOW.date()  # Monday 2 March 2026: the queue's day, yesterday for the pages


@pytest.fixture(autouse=True)
def the_next_day(settings):  # noqa: ANN001, ANN201
    settings.PLAZA_TODAY = (DAY + timedelta(days=1)).isoformat()


@pytest.fixture
def day_queue(world):  # noqa: ANN001, ANN201
    service = make_service(world)
    made = {}
    for person, hour in ((world.member_a, 9), (world.member_b, 9), (world.secretary_a, 10), (world.activist_a, 14)):
        made[person.name] = services.book(person, service, at(DAY, hour), now=NOW)
    services.check_in(world.staff, made["李红梅"].code, now=at(DAY, 8, 55))
    return service, made


def _url(service) -> str:  # noqa: ANN001
    return f"/booking/office/service/{service.pk}/queue/"


def _names(page: str) -> list[str]:
    table = page.split('data-testid="queue"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<td>([^<]+)<br><span class=\"muted\">", table)


def test_the_queue_filters_by_status_and_name_and_sorts(world, login, day_queue):  # noqa: ANN001
    service, _made = day_queue
    client = login(world.staff)
    everyone = _names(client.get(_url(service), {"day": DAY.isoformat()}).content.decode())
    assert everyone[-1] == "陈晓" and set(everyone) == {"张建国", "李红梅", "刘昭涛", "陈晓"}  # by time
    checked_in = client.get(_url(service), {"day": DAY.isoformat(), "status": "checked_in"}).content.decode()
    assert _names(checked_in) == ["李红梅"]
    assert 'data-testid="counts">待到 3 · 已签到 1' in checked_in  # the counts stay the whole day's
    assert _names(client.get(_url(service), {"day": DAY.isoformat(), "q": "A0001"}).content.decode()) == ["刘昭涛"]
    by_name = _names(client.get(_url(service), {"day": DAY.isoformat(), "sort": "-name"}).content.decode())
    assert by_name == sorted(everyone, reverse=True)
    odd = client.get(_url(service), {"day": DAY.isoformat(), "sort": "person__code", "status": "cancelled"})
    assert odd.status_code == 200 and _names(odd.content.decode()) == everyone


def test_htmx_gets_only_the_list_and_a_row_button_only_its_row(world, login, day_queue):  # noqa: ANN001
    service, made = day_queue
    client = login(world.staff)
    page = client.get(_url(service), {"day": DAY.isoformat()}).content.decode()
    assert "vendor/htmx.min.js" in page and 'hx-target="#queue-list"' in page
    part = client.get(_url(service), {"day": DAY.isoformat(), "status": "booked"}, HTTP_HX_REQUEST="true")
    text = part.content.decode()
    assert text.startswith('<section class="card" id="queue-list">') and "<html" not in text
    assert set(_names(text)) == {"张建国", "刘昭涛", "陈晓"} and 'id="queue-sort" hx-swap-oob="true"' in text
    booking = made["张建国"]
    row = client.post(f"/booking/office/booking/{booking.pk}/no-show/", HTTP_HX_REQUEST="true").content.decode()
    assert row.startswith(f'<tr id="booking-{booking.pk}">') and "已记为未到" in row and "<html" not in row
    again = client.post(f"/booking/office/booking/{booking.pk}/no-show/", HTTP_HX_REQUEST="true").content.decode()
    assert "不能记为未到" in again  # the rule's refusal, in the row
    # without htmx the same button flashes the outcome and shows the queue again
    plain = client.post(f"/booking/office/booking/{made['刘昭涛'].pk}/done/")
    assert plain.status_code == 302 and "已办结" in client.get(plain["Location"]).content.decode()


def test_bulk_done_confirms_names_refusals_then_handles_each_and_audits(world, login, day_queue):  # noqa: ANN001
    service, made = day_queue
    client = login(world.staff)
    services.mark_done(world.staff, made["陈晓"], now=at(DAY, 14, 10))
    picks = [made[name].pk for name in ("张建国", "李红梅", "陈晓")]
    form = {"day": DAY.isoformat(), "action": "no_show", "pick": picks}
    page = client.post(_url(service), form).content.decode()
    assert 'data-testid="bulk-confirm"' in page and "所选预约记为未到：1 个" in page
    refused = page.split('data-testid="bulk-refused"', 1)[1].split("</ul>", 1)[0]
    assert "李红梅" in refused and "该预约已签到，不能记为未到" in refused
    assert "陈晓" in refused and "已办结" in refused and "张建国" not in refused
    assert not Booking.objects.filter(status=Status.NO_SHOW).exists()  # nothing before the confirmation
    done = client.post(_url(service), {**form, "confirm": "1"})
    assert done.status_code == 302
    after = client.get(done["Location"]).content.decode()
    assert "已将 1 个预约记为未到" in after and "陈晓 未处理" in after  # refused again, with the reason
    assert list(Booking.objects.filter(status=Status.NO_SHOW).values_list("person__name", flat=True)) == ["张建国"]
    assert AuditEntry.objects.filter(action="booking.no_show", object_id=str(made["张建国"].pk)).count() == 1
    # 办结 for the rest
    rest = [made["李红梅"].pk, made["刘昭涛"].pk]
    client.post(_url(service), {"day": DAY.isoformat(), "action": "done", "pick": rest, "confirm": "1"})
    assert set(Booking.objects.filter(status=Status.DONE).values_list("pk", flat=True)) == {*rest, made["陈晓"].pk}


def test_bulk_actions_reach_only_the_queue_and_only_its_keepers(world, login, day_queue):  # noqa: ANN001
    service, made = day_queue
    other = make_service(world, name="党费缴纳证明")
    elsewhere = services.book(world.member_a, other, at(DAY, 11), now=NOW)
    client = login(world.staff)
    form = {"day": DAY.isoformat(), "action": "done", "pick": [elsewhere.pk, "x"], "confirm": "1"}
    page = client.post(_url(service), form, follow=True).content.decode()
    assert "请先勾选要处理的预约" in page and Booking.objects.get(pk=elsewhere.pk).status == Status.BOOKED
    assert (
        "请选择批量操作"
        in client.post(_url(service), {"day": DAY.isoformat(), "pick": [made["张建国"].pk]}).content.decode()
    )
    # a branch secretary keeps no booking service: the queue and its bulk action are not there for them
    secretary = login(world.secretary_a)
    refused = secretary.post(
        _url(service), {"day": DAY.isoformat(), "action": "done", "pick": [made["张建国"].pk], "confirm": "1"}
    )
    assert refused.status_code == 404 and Booking.objects.get(pk=made["张建国"].pk).status == Status.BOOKED


def test_the_queue_costs_the_same_queries_for_more_rows(world, login, day_queue):  # noqa: ANN001
    service, _made = day_queue
    client = login(world.staff)
    client.get(_url(service), {"day": DAY.isoformat()})

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(_url(service), {"day": DAY.isoformat(), "sort": "name"})
        assert page.status_code == 200
        return len(queries)

    four = count()
    services.book(world.member_a, service, at(DAY, 15), now=NOW)
    services.book(world.member_b, service, at(DAY, 16), now=NOW)
    assert count() == four <= 14
