"""Issue 11, item 3: mall items, stock, orders, hand-over, the report and yearly expiry are kept by each 组织部 for
its own organisations, not enterprise-wide for anyone with the points right. A subsidiary 党委's staff keep the
items offered to their organisations and the ledger of their people; the enterprise 党委's staff keep it all."""

from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from plaza.orgs.models import Level, Title
from plaza.points import queries, services
from plaza.points.models import Balance, Entry, Item, Kind, OrderState
from plaza.testing.factories import PersonFactory, add_org, appoint, join

LAST_YEAR = timezone.localdate().year - 1


@pytest.fixture
def mall(world):  # noqa: ANN001, ANN201
    committee = add_org(world.committee, "子公司党委", "P0900", Level.COMMITTEE)
    branch = add_org(committee, "子公司一支部", "P0901", Level.BRANCH)
    sub_staff = PersonFactory(employee_no="D0001", name="子公司组织部小周")
    sub_member = PersonFactory(employee_no="D0003", name="子公司党员小郑")
    join(sub_staff, committee)
    join(sub_member, branch)
    appoint(sub_staff, committee, Title.ORG_DEPT_STAFF)
    everyone = Item.objects.create(name="全员商品党徽", price=10, stock=5)
    theirs = Item.objects.create(name="子公司专属水杯", price=10, stock=5)
    theirs.organisations.set([committee])
    branch_a_only = Item.objects.create(name="甲支部专属笔记本", price=10, stock=5)
    branch_a_only.organisations.set([world.branch_a])
    for person in (world.member_a, sub_member):
        services.earn(person, 50, reason="学习")
    return world, committee, sub_staff, sub_member, everyone, theirs, branch_a_only


def test_a_subsidiarys_staff_keep_only_their_items(mall, client):
    world, committee, sub_staff, _member, everyone, theirs, branch_a_only = mall
    client.force_login(sub_staff)
    page = client.get("/points/office/items/").content.decode()
    assert "子公司专属水杯" in page and "全员商品党徽" not in page and "甲支部专属笔记本" not in page
    for item in (everyone, branch_a_only):
        assert client.get(f"/points/office/items/{item.pk}/").status_code == 404
        assert client.post(f"/points/office/items/{item.pk}/stock/", {"delta": 100}).status_code == 404
        item.refresh_from_db()
        assert item.stock == 5
    assert client.post(f"/points/office/items/{theirs.pk}/stock/", {"delta": 10, "reason": "到货"}).status_code == 302
    theirs.refresh_from_db()
    assert theirs.stock == 15
    form = client.get("/points/office/items/new/").content.decode()
    assert "子公司一支部" in form and "装调车间党支部" not in form  # the organisations offered are theirs
    data = {"name": "全员雨伞", "price": 5, "stock": 1, "active": True, "organisations": []}
    with pytest.raises(ValidationError, match="只有企业党委组织部门"):
        services.save_item(sub_staff, None, data)
    with pytest.raises(ValidationError, match="不在您管理范围内"):
        services.save_item(sub_staff, None, {**data, "organisations": [world.branch_a]})
    with pytest.raises(PermissionDenied):
        services.save_item(sub_staff, everyone, {**data, "organisations": [committee]})
    with pytest.raises(PermissionDenied):
        services.restock(sub_staff, everyone, 100)
    services.save_item(world.staff, None, data)  # the enterprise 组织部 may
    assert set(queries.managed_items(world.staff)) == set(Item.objects.all())


def test_hand_over_and_cancel_only_for_ones_own_items(mall, client):
    world, _committee, sub_staff, sub_member, everyone, theirs, _a = mall
    other = services.redeem(world.member_a, everyone)
    mine = services.redeem(sub_member, theirs)
    client.force_login(sub_staff)
    prepare = client.get("/points/office/prepare/").content.decode()
    assert "子公司专属水杯" in prepare and "全员商品党徽" not in prepare
    refused = client.post("/points/office/hand-over/", {"code": other.pickup_code})
    assert refused.status_code == 400 and "不由您管理" in refused.content.decode()
    assert "张建国" not in refused.content.decode()
    other.refresh_from_db()
    assert other.state == OrderState.PLACED
    assert client.get(f"/points/orders/{other.pk}/").status_code == 404
    assert client.post(f"/points/orders/{other.pk}/cancel/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.cancel(sub_staff, other)
    assert client.post("/points/office/hand-over/", {"code": mine.pickup_code}).status_code == 302
    mine.refresh_from_db()
    assert mine.state == OrderState.HANDED_OVER
    services.hand_over(world.staff, other.pickup_code)  # the enterprise's item: the enterprise 组织部


def test_report_and_yearly_expiry_cover_ones_own_people(mall, client):
    world, _committee, sub_staff, sub_member, *_items = mall
    for person in (world.member_a, sub_member):
        Entry.objects.create(
            person=person,
            kind=Kind.EARN,
            amount=30,
            reason="去年",
            created_at=timezone.make_aware(datetime(LAST_YEAR, 6, 1)),
        )
        Balance.objects.filter(person=person).update(amount=80)
    report = queries.report(sub_staff)
    assert report["outstanding"] == 80 and report["holders"] == 1
    assert queries.report(world.staff)["outstanding"] == 160
    assert queries.expiry_preview(LAST_YEAR, sub_staff) == queries.ExpiryPreview(LAST_YEAR, 1, 30, 0)
    client.force_login(sub_staff)
    assert "共 30 积分" in client.get("/points/office/expire/").content.decode()
    client.post("/points/office/expire/", {"year": str(LAST_YEAR)})
    assert services.balance_of(sub_member) == 50
    assert services.balance_of(world.member_a) == 80  # another committee's people: untouched
    assert services.expire_year(world.staff, LAST_YEAR) == 1  # the enterprise 组织部 takes the rest
    assert services.balance_of(world.member_a) == 50
