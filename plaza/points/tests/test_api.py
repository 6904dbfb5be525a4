"""The points API: my balance and ledger, rankings, the mall as I see it, redeeming (debited once, refusals as
400 with the reason), my orders with the pickup code, cancelling — and nobody else's order."""

from plaza.api.auth import issue_token
from plaza.points import services
from plaza.points.models import Entry, Item, Kind, Order, OrderState


def _post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def test_me_shows_balance_and_paged_history(client, world):
    for n in range(3):
        services.earn(world.member_a, 5 + n, reason=f"学习{n}")
    services.earn(world.member_b, 100, reason="李红梅的积分")
    client.force_login(world.member_a)
    body = client.get("/api/v1/points/me", {"page_size": 2}).json()
    assert body["balance"] == 18 and body["earned_this_week"] == 18 and body["count"] == 3
    assert [e["reason"] for e in body["items"]] == ["学习2", "学习1"]
    assert body["items"][0]["kind"] == "earn" and body["items"][0]["kind_label"] == "获得"
    second = client.get("/api/v1/points/me", {"page_size": 2, "page": 2}).json()
    assert [e["amount"] for e in second["items"]] == [5]
    assert client.get("/api/v1/points/me", {"page": 0}).status_code == 422


def test_rankings_by_branch_and_for_everyone(client, world):
    services.earn(world.member_a, 10, reason="学习")
    services.earn(world.member_b, 30, reason="学习")
    client.force_login(world.member_a)
    everyone = client.get("/api/v1/points/rankings", {"period": "month"}).json()
    assert everyone["scope"] == "all" and everyone["mine"] == 10
    assert [(r["rank"], r["employee_no"], r["total"]) for r in everyone["rows"]] == [(1, "B0002", 30), (2, "A0002", 10)]
    branch = client.get("/api/v1/points/rankings", {"scope": "branch"}).json()
    assert branch["scope"] == "branch" and branch["branch"] == "装调车间党支部" and branch["period"] == "week"
    assert [r["employee_no"] for r in branch["rows"]] == ["A0002"]
    client.force_login(world.employee)  # outside the Party tree: only the ranking of everyone
    assert client.get("/api/v1/points/rankings", {"scope": "branch"}).json()["scope"] == "all"
    assert client.get("/api/v1/points/rankings", {"period": "year"}).status_code == 422


def test_the_mall_offers_only_my_items(client, world):
    Item.objects.create(name="党徽", price=10, stock=5)
    theirs = Item.objects.create(name="物流支部纪念品", price=5, stock=5)
    theirs.organisations.set([world.branch_b])
    Item.objects.create(name="已下架", price=5, stock=5, active=False)
    client.force_login(world.member_a)
    body = client.get("/api/v1/points/items").json()
    assert [i["name"] for i in body["items"]] == ["党徽"] and body["count"] == 1
    assert body["items"][0]["price"] == 10 and body["items"][0]["picture"] is None
    response = _post(client, f"/api/v1/points/items/{theirs.pk}/redeem")
    assert response.status_code == 404  # not offered to me: as if it did not exist


def test_redeem_debits_once_and_the_order_has_its_code(client, world):
    item = Item.objects.create(name="党徽", price=10, stock=5)
    services.earn(world.member_a, 25, reason="学习")
    token = issue_token(world.member_a, "手机")
    response = client.post(
        f"/api/v1/points/items/{item.pk}/redeem",
        {"quantity": 2},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201
    order = response.json()
    assert order["points"] == 20 and order["quantity"] == 2 and order["state"] == "placed"
    assert order["pickup_code"] == Order.objects.get().pickup_code and order["item"] == "党徽"
    assert services.balance_of(world.member_a) == 5
    assert Entry.objects.filter(person=world.member_a, kind=Kind.SPEND).count() == 1
    item.refresh_from_db()
    assert item.stock == 3
    mine = client.get("/api/v1/points/orders", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert [o["id"] for o in mine["items"]] == [order["id"]] and mine["items"][0]["pickup_code"]


def test_refusals_are_400_with_the_reason_and_change_nothing(client, world):
    item = Item.objects.create(name="党徽", price=10, stock=5, per_person_limit=1)
    services.earn(world.member_a, 15, reason="学习")
    client.force_login(world.member_a)
    url = f"/api/v1/points/items/{item.pk}/redeem"
    response = _post(client, url, {"quantity": 2})
    assert response.status_code == 400 and response.json()["detail"] == "每人限兑 1 件，您已兑换 0 件。"
    for quantity in (0, 100, True, 1.5):
        assert _post(client, url, {"quantity": quantity}).status_code == 422, quantity
    expensive = Item.objects.create(name="书籍", price=100, stock=5)
    response = _post(client, f"/api/v1/points/items/{expensive.pk}/redeem")
    assert response.status_code == 400 and response.json()["detail"] == "积分不足：需要 100，当前余额 15。"
    assert services.balance_of(world.member_a) == 15 and not Order.objects.exists()
    assert _post(client, url).status_code == 201  # the default quantity is one
    response = _post(client, url)
    assert response.status_code == 400 and "每人限兑" in response.json()["detail"]
    assert services.balance_of(world.member_a) == 5


def test_cancel_my_order_refunds_and_anothers_is_404(client, world):
    item = Item.objects.create(name="党徽", price=10, stock=5)
    services.earn(world.member_a, 10, reason="学习")
    services.earn(world.member_b, 10, reason="学习")
    mine = services.redeem(world.member_a, item)
    theirs = services.redeem(world.member_b, item)
    client.force_login(world.member_a)
    assert _post(client, f"/api/v1/points/orders/{theirs.pk}/cancel").status_code == 404
    listed = client.get("/api/v1/points/orders").json()["items"]
    assert [o["id"] for o in listed] == [mine.pk] and theirs.pickup_code not in str(listed)
    response = _post(client, f"/api/v1/points/orders/{mine.pk}/cancel")
    assert response.status_code == 200
    assert response.json()["state"] == "cancelled" and response.json()["pickup_code"] is None
    assert services.balance_of(world.member_a) == 10
    again = _post(client, f"/api/v1/points/orders/{mine.pk}/cancel")
    assert again.status_code == 400 and again.json()["detail"] == "订单已取消。"
    assert services.balance_of(world.member_a) == 10
    theirs.refresh_from_db()
    assert theirs.state == OrderState.PLACED


def test_session_posts_need_csrf(world):
    from django.test import Client

    item = Item.objects.create(name="党徽", price=10, stock=5)
    services.earn(world.member_a, 10, reason="学习")
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.member_a)
    assert _post(client, f"/api/v1/points/items/{item.pk}/redeem").status_code == 403
    assert services.balance_of(world.member_a) == 10
