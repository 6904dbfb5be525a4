"""Pages, scoping, exports and the API of 活动与共建."""

from __future__ import annotations

import io
import json
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from plaza.activities import queries, services
from plaza.activities.models import Kind, Partner, PartnerContact
from plaza.audit.models import AuditEntry
from plaza.lib import clock
from plaza.testing.factories import PersonFactory, join

from .helpers import make_activity


@pytest.fixture
def partner(world):
    found = services.save_partner(
        world.staff,
        None,
        world.committee,
        name="工商银行",
        kind="金融机构",
        address="",
        since=None,
        description="",
        active=True,
    )
    services.add_contact(world.staff, found, name="周经理", role="对公客户经理", phone="13812345678")
    return found


def test_people_see_only_activities_meant_for_them(world, login):
    mine = make_activity(world, title="装调车间志愿服务")
    theirs = make_activity(world, actor=world.secretary_b, organisation=world.branch_b, title="物流支部主题党日")
    assert list(queries.open_to(world.member_a)) == [mine]
    assert queries.activity_for(world.member_a, theirs.pk) is None
    client = login(world.member_a)
    page = client.get(reverse("activities:index"))
    assert page.status_code == 200 and "装调车间志愿服务" in page.text and "物流支部主题党日" not in page.text
    assert client.get(reverse("activities:detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("activities:sign_up", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("activities:detail", args=[mine.pk])).status_code == 200


def test_organisers_see_and_edit_only_their_organisations_activities(world, login):
    mine = make_activity(world, title="装调车间志愿服务")
    theirs = make_activity(world, actor=world.secretary_b, organisation=world.branch_b, title="物流支部主题党日")
    assert list(queries.managed_activities(world.secretary_a)) == [mine]
    assert set(queries.managed_activities(world.staff)) == {mine, theirs}
    client = login(world.secretary_a)
    assert client.get(reverse("activities:manage", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("activities:edit", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("activities:export", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("activities:close", args=[theirs.pk])).status_code == 404
    page = client.get(reverse("activities:office"))
    assert "装调车间志愿服务" in page.text and "物流支部主题党日" not in page.text
    # Members without the capability have no office at all.
    assert login(world.member_a).get(reverse("activities:office")).status_code == 403


def test_sign_up_and_cancel_through_the_pages(world, login):
    activity = make_activity(world, capacity=1)
    client = login(world.member_a)
    response = client.post(reverse("activities:sign_up", args=[activity.pk]), follow=True)
    assert "报名成功" in response.text
    other = login(world.activist_a)
    response = other.post(reverse("activities:sign_up", args=[activity.pk]), follow=True)
    assert "候补名单（第 1 位）" in response.text and "候补第 1 位" in response.text
    response = other.post(reverse("activities:sign_up", args=[activity.pk]), follow=True)
    assert "您已在候补名单中（第 1 位）" in response.text
    client = login(world.member_a)
    response = client.post(reverse("activities:cancel", args=[activity.pk]), follow=True)
    assert "已取消报名" in response.text
    assert services.live_signup(world.activist_a, activity).state == "confirmed"
    assert "已取消" in client.get(reverse("activities:mine")).text


def test_check_in_page_needs_the_code(world, login):
    starts = clock.now()
    activity = make_activity(
        world, starts_at=starts.replace(second=0, microsecond=0), now=starts.replace(year=starts.year - 1)
    )
    services.sign_up(world.member_a, activity, now=starts.replace(year=starts.year - 1))
    client = login(world.member_a)
    url = reverse("activities:check_in", args=[activity.pk])
    assert client.get(url + "?t=nonsense").status_code == 404
    token = services.qr_token(activity)
    assert client.get(url, {"t": token}).status_code == 200
    response = client.post(url, {"t": token})
    assert response.status_code == 200 and "签到成功，获得 5 积分" in response.text
    organiser = login(world.secretary_a)
    qr = organiser.get(reverse("activities:qr_code", args=[activity.pk]))
    assert "<svg" in qr.text and "1</b> / 1" in qr.text


def test_organiser_pages_render_and_export(world, login, partner):
    activity = make_activity(
        world, actor=world.staff, organisation=world.committee, kind=Kind.JOINT, partners=[partner]
    )
    services.sign_up(world.member_a, activity)
    client = login(world.staff)
    for name, args in [
        ("activities:office", []),
        ("activities:new", []),
        ("activities:manage", [activity.pk]),
        ("activities:edit", [activity.pk]),
        ("activities:qr", [activity.pk]),
        ("activities:partners", []),
        ("activities:new_partner", []),
        ("activities:partner", [partner.pk]),
        ("activities:edit_partner", [partner.pk]),
        ("activities:stats", []),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
    page = client.get(reverse("activities:partner", args=[partner.pk]))
    assert "138****5678" in page.text and "13812345678" not in page.text
    contact = PartnerContact.objects.get()
    client.post(reverse("activities:reveal_phone", args=[contact.pk]))
    assert "13812345678" in client.get(reverse("activities:partner", args=[partner.pk])).text
    assert AuditEntry.objects.filter(action="activities.partner_phone").count() == 1
    response = client.get(reverse("activities:export", args=[activity.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[1][1] == world.member_a.name and rows[1][4] == "已报名"
    held_on = timezone.localtime(activity.starts_at).date()  # its year's figures (it may fall in next year's)
    period = {"format": "xlsx", "first": held_on.replace(month=1, day=1), "last": held_on.replace(month=12, day=31)}
    response = client.get(reverse("activities:stats"), period)
    book = load_workbook(io.BytesIO(response.content))
    assert [list(r) for r in book["按共建单位"].values][2][:2] == ["工商银行", 1]


def test_new_activity_form_creates_and_refuses_with_reasons(world, login, partner):
    client = login(world.staff)
    starts = clock.now().replace(second=0, microsecond=0)
    data = {
        "organisation": world.committee.pk,
        "kind": Kind.JOINT,
        "title": "与工商银行共建：金融知识进车间",
        "description": "",
        "place": "装调车间会议室",
        "starts_at": (starts.replace(year=starts.year + 1)).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts.replace(year=starts.year + 1, hour=23, minute=59)).strftime("%Y-%m-%dT%H:%M"),
        "signup_deadline": starts.replace(year=starts.year + 1, hour=0, minute=0).strftime("%Y-%m-%dT%H:%M"),
        "capacity": 30,
        "waiting_list": "on",
        "points": 5,
        "audience": [world.committee.pk, world.union.pk],
    }
    response = client.post(reverse("activities:new"), data)
    assert "共建活动请至少选择一个共建单位" in response.text
    response = client.post(reverse("activities:new"), {**data, "partners": [partner.pk]})
    assert response.status_code == 302
    activity = queries.managed_activities(world.staff).get()
    assert list(activity.partners.all()) == [partner]
    assert services.reaches(world.employee, activity)


def test_partner_records_only_by_its_keepers(world, login, partner):
    client = login(world.secretary_a)
    assert client.get(reverse("activities:partners")).status_code == 200
    page = client.get(reverse("activities:partner", args=[partner.pk]))
    assert "添加联系人" not in page.text and "查看号码" not in page.text
    contact = PartnerContact.objects.get()
    assert client.post(reverse("activities:reveal_phone", args=[contact.pk])).status_code == 404
    assert client.get(reverse("activities:edit_partner", args=[partner.pk])).status_code == 404
    staff = login(world.staff)
    response = staff.post(
        reverse("activities:partner", args=[partner.pk]),
        {"action": "record", "kind": "agreement", "happened_on": "2026-03-01", "title": "签订党建共建协议"},
    )
    assert response.status_code == 302 and partner.records.count() == 1
    assert login(world.member_a).get(reverse("activities:partners")).status_code == 403
    with pytest.raises(Exception, match="已经登记过"):
        services.save_partner(world.staff, None, world.committee, name="工商银行")
    assert Partner.objects.count() == 1


def test_statistics_count_people_and_volunteer_hours(world):
    start = clock.now().replace(second=0, microsecond=0)
    activity = make_activity(world, starts_at=start, now=start.replace(year=start.year - 1))
    signup = services.sign_up(world.member_a, activity, now=start.replace(year=start.year - 1))
    services.check_in_by_hand(world.secretary_a, signup)
    day = clock.today()  # the local day of ``start`` (its UTC date is the day before after 16:00 UTC)
    rows = queries.by_organisation(world.secretary_a, day.replace(month=1, day=1), day)
    assert len(rows) == 1 and rows[0].present == 1 and rows[0].volunteer_hours == 3.0
    assert queries.by_organisation(world.secretary_b, day.replace(month=1, day=1), day) == []


def test_list_query_count(world, login, django_assert_max_num_queries):
    for n in range(8):
        make_activity(world, title=f"活动{n}")
    client = login(world.member_a)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("activities:index")).status_code == 200


def test_api_list_sign_up_cancel_mine(world, login):
    activity = make_activity(world, capacity=1)
    theirs = make_activity(world, actor=world.secretary_b, organisation=world.branch_b)
    client = login(world.member_a)
    listed = client.get("/api/v1/activities/activities").json()
    assert [row["id"] for row in listed["items"]] == [activity.pk]
    assert client.get(f"/api/v1/activities/activities/{theirs.pk}").status_code == 404
    assert client.post(f"/api/v1/activities/activities/{theirs.pk}/sign-up").status_code == 404
    response = client.post(f"/api/v1/activities/activities/{activity.pk}/sign-up")
    assert response.status_code == 201 and response.json()["state"] == "confirmed"
    response = client.post(f"/api/v1/activities/activities/{activity.pk}/sign-up")
    assert response.status_code == 400 and "无需重复报名" in json.dumps(response.json(), ensure_ascii=False)
    other = PersonFactory(employee_no="K9999")
    join(other, world.branch_a)
    waiting = login(other).post(f"/api/v1/activities/activities/{activity.pk}/sign-up").json()
    assert waiting["state"] == "waiting" and waiting["waiting_position"] == 1
    client = login(world.member_a)
    detail = client.get(f"/api/v1/activities/activities/{activity.pk}").json()
    assert detail["my_state"] == "confirmed" and detail["refusal"] == ""
    assert client.post(f"/api/v1/activities/activities/{activity.pk}/cancel").json()["state"] == "cancelled"
    mine = client.get("/api/v1/activities/mine").json()
    assert [row["state"] for row in mine["items"]] == ["cancelled"]
    assert login(other).get("/api/v1/activities/mine").json()["items"][0]["state"] == "confirmed"


def test_the_sign_up_list_is_named_by_the_china_day_of_the_activity(world, login):
    """An activity at 07:00 China time is at 23:00 UTC the day before: the file is named by the day people see."""
    held_on = clock.today() + timedelta(days=10)
    starts = timezone.make_aware(datetime.combine(held_on, time(7)))
    activity = make_activity(world, actor=world.staff, organisation=world.committee, starts_at=starts)
    response = login(world.staff).get(reverse("activities:export", args=[activity.pk]))
    assert response.status_code == 200 and f"{held_on:%Y%m%d}" in response["Content-Disposition"]
