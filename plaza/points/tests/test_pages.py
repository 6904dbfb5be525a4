"""The points pages as a member and as 组织部 staff see them; members never reach the staff pages."""

import re

import pytest

from plaza.lib.sections import functions_for
from plaza.points import services
from plaza.points.models import Item, Order, OrderState

STAFF_PAGES = [
    "/points/office/",
    "/points/office/award/",
    "/points/office/items/",
    "/points/office/items/new/",
    "/points/office/prepare/",
    "/points/office/hand-over/",
    "/points/office/report/",
]


def test_my_points_and_rankings(client, world):
    services.earn(world.member_a, 12, reason="阅读《党章》", source_type="reading")
    services.award(world.staff, world.secretary_a, 20, "优秀党务工作者")
    client.force_login(world.member_a)
    page = client.get("/points/").content.decode()
    assert 'data-testid="balance">12<' in page and "阅读《党章》" in page
    ranking = client.get("/points/rankings/", {"period": "month", "scope": "branch"}).content.decode()
    assert ranking.index("刘昭涛") < ranking.index("张建国") and "装调车间党支部" in ranking
    assert client.get("/points/rankings/", {"period": "bogus"}).status_code == 200


def test_redeem_show_qr_and_hand_over(client, world):
    item = Item.objects.create(name="党史读本", price=10, stock=2)
    services.earn(world.member_a, 15, reason="学习")
    client.force_login(world.member_a)
    assert "党史读本" in client.get("/points/mall/").content.decode()
    detail = client.get(f"/points/mall/{item.pk}/").content.decode()
    assert "data-confirm" in detail
    refused = client.post(f"/points/mall/{item.pk}/redeem/", {"quantity": "2"}, follow=True)
    assert "积分不足" in refused.content.decode() and not Order.objects.exists()
    done = client.post(f"/points/mall/{item.pk}/redeem/", {"quantity": "1"})
    order = Order.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/points/orders/{order.pk}/"
    page = client.get(f"/points/orders/{order.pk}/").content.decode()
    assert "<svg" in page and order.pickup_code in page
    assert "党史读本" in client.get("/points/orders/").content.decode()
    for url in STAFF_PAGES:  # an ordinary member never reaches the staff pages
        assert client.get(url).status_code in (403, 404), url
    assert client.post("/points/office/hand-over/", {"code": order.pickup_code}).status_code == 403

    client.force_login(world.staff)
    scanned = client.get("/points/office/hand-over/", {"code": order.pickup_code}).content.decode()
    assert "张建国" in scanned
    assert client.post("/points/office/hand-over/", {"code": order.pickup_code}).status_code == 302
    order.refresh_from_db()
    assert order.state == OrderState.HANDED_OVER
    again = client.post("/points/office/hand-over/", {"code": order.pickup_code})
    assert again.status_code == 400 and "已于" in again.content.decode()


def test_cancel_from_the_order_page(client, world):
    item = Item.objects.create(name="党徽", price=5, stock=1)
    services.earn(world.member_a, 5, reason="学习")
    order = services.redeem(world.member_a, item)
    client.force_login(world.member_b)
    assert client.get(f"/points/orders/{order.pk}/").status_code == 404
    assert client.post(f"/points/orders/{order.pk}/cancel/").status_code == 404
    client.force_login(world.member_a)
    client.post(f"/points/orders/{order.pk}/cancel/")
    order.refresh_from_db()
    assert order.state == OrderState.CANCELLED and services.balance_of(world.member_a) == 5


def test_staff_award_items_stock_prepare_report(client, world):
    client.force_login(world.staff)
    for url in STAFF_PAGES:
        assert client.get(url).status_code == 200, url
    refused = client.post(
        "/points/office/award/", {"employee_no": "X9999", "kind": "award", "amount": "5", "reason": "工会活动"}
    )
    assert "找不到该工号" in refused.content.decode()
    client.post(
        "/points/office/award/", {"employee_no": "B0002", "kind": "award", "amount": "30", "reason": "优秀党员"}
    )
    client.post("/points/office/award/", {"employee_no": "B0002", "kind": "adjust", "amount": "-5", "reason": "更正"})
    assert services.balance_of(world.member_b) == 25
    client.post(
        "/points/office/items/new/",
        {"name": "保温杯", "description": "", "price": "20", "stock": "3", "per_person_limit": "1", "active": "on"},
    )
    item = Item.objects.get(name="保温杯")
    client.post(f"/points/office/items/{item.pk}/stock/", {"delta": "2", "reason": "到货"})
    item.refresh_from_db()
    assert item.stock == 5
    client.post(
        f"/points/office/items/{item.pk}/",
        {"name": "保温杯", "price": "25", "stock": "5", "per_person_limit": "1", "active": "on"},
    )
    item.refresh_from_db()
    assert item.price == 25
    order = services.redeem(world.member_b, item)
    prepare = client.get("/points/office/prepare/").content.decode()
    assert "李红梅" in prepare and order.pickup_code in prepare
    report = client.get("/points/office/report/").content.decode()
    assert re.search(r"已发放积分</span> <b>30</b>", report) and "保温杯" in report
    assert client.get(f"/points/orders/{order.pk}/").status_code == 200  # staff see any order


@pytest.mark.parametrize("who", ["member_a", "secretary_a", "employee"])
def test_functions_in_the_learn_section(world, who):
    keys = {f.key for f in functions_for("learn", getattr(world, who))}
    assert {"points", "points_mall"} <= keys and "points_office" not in keys


def test_staff_sees_the_office_function(world):
    assert "points_office" in {f.key for f in functions_for("learn", world.staff)}
