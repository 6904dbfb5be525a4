"""The 积分超市: redeeming, every refusal, hand-over, cancelling, items and stock."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from plaza.audit.models import AuditEntry
from plaza.points import queries, services
from plaza.points.models import Entry, Item, Kind, OrderState


def _item(**extra):
    fields = {"name": "党徽", "price": 10, "stock": 5}
    fields.update(extra)
    return Item.objects.create(**fields)


def test_redeem_spends_points_and_stock_and_hands_over(world):
    item = _item()
    services.earn(world.member_a, 25, reason="学习")
    order = services.redeem(world.member_a, item, 2)
    item.refresh_from_db()
    assert item.stock == 3 and services.balance_of(world.member_a) == 5
    assert order.points == 20 and order.state == OrderState.PLACED and len(order.pickup_code) == 8
    spent = Entry.objects.get(kind=Kind.SPEND)
    assert (spent.amount, spent.source_type, spent.source_id) == (-20, "points.order", str(order.pk))
    with pytest.raises(PermissionDenied):
        services.hand_over(world.member_a, order.pickup_code)
    with pytest.raises(ValidationError, match="领取码无效"):
        services.hand_over(world.staff, "NOPE")
    done = services.hand_over(world.staff, order.pickup_code.lower())
    assert done.state == OrderState.HANDED_OVER and done.handed_over_by == world.staff
    with pytest.raises(ValidationError, match="已于"):
        services.hand_over(world.staff, order.pickup_code)
    with pytest.raises(ValidationError, match="已领取的订单不能取消"):
        services.cancel(world.member_a, done)
    assert AuditEntry.objects.filter(action="points.hand_over").count() == 1


def test_refusals_change_nothing(world):
    services.earn(world.member_a, 100, reason="学习")
    now = timezone.now()
    cases = [
        (_item(stock=0), 1, "已兑完"),
        (_item(stock=1), 2, "库存不足"),
        (_item(active=False), 1, "下架"),
        (_item(available_from=now + timedelta(days=1)), 1, "起开放兑换"),
        (_item(available_until=now - timedelta(days=1)), 1, "截止"),
        (_item(price=101), 1, "积分不足"),
        (_item(), 0, "数量"),
    ]
    restricted = _item()
    restricted.organisations.set([world.branch_b])
    cases.append((restricted, 1, "指定组织"))
    for item, quantity, reason in cases:
        with pytest.raises(ValidationError, match=reason):
            services.redeem(world.member_a, item, quantity)
    assert services.balance_of(world.member_a) == 100
    assert not Entry.objects.filter(kind=Kind.SPEND).exists()
    assert list(Item.objects.filter(pk__in=[c[0].pk for c in cases]).values_list("stock", flat=True)) == [
        0,
        1,
        5,
        5,
        5,
        5,
        5,
        5,
    ]


def test_per_person_limit_counts_uncancelled_orders(world):
    item = _item(per_person_limit=2)
    services.earn(world.member_a, 100, reason="学习")
    first = services.redeem(world.member_a, item, 2)
    with pytest.raises(ValidationError, match="每人限兑 2 件"):
        services.redeem(world.member_a, item)
    services.cancel(world.member_a, first)
    services.redeem(world.member_a, item)  # cancelled orders do not count


def test_restricted_item_for_its_organisation_subtree(world):
    item = _item()
    item.organisations.set([world.general_branch])
    services.earn(world.member_a, 10, reason="学习")
    assert services.eligible(world.member_a, item) and not services.eligible(world.member_b, item)
    assert item in queries.offered_items(world.member_a) and item not in queries.offered_items(world.member_b)
    services.redeem(world.member_a, item)


def test_cancel_refunds_points_and_stock(world):
    item = _item()
    services.earn(world.member_a, 10, reason="学习")
    order = services.redeem(world.member_a, item)
    with pytest.raises(PermissionDenied):
        services.cancel(world.member_b, order)
    services.cancel(world.member_a, order, "不需要了")
    item.refresh_from_db()
    assert item.stock == 5 and services.balance_of(world.member_a) == 10
    assert Entry.objects.filter(kind=Kind.REFUND, amount=10).count() == 1
    with pytest.raises(ValidationError, match="已取消"):
        services.cancel(world.member_a, order)
    with pytest.raises(ValidationError, match="已取消"):
        services.hand_over(world.staff, order.pickup_code)
    order2 = services.redeem(world.member_a, item)
    services.cancel(world.staff, order2, "库存清点有误")  # staff may cancel too
    assert services.balance_of(world.member_a) == 10


def test_items_and_stock_by_staff_only(world):
    data = {
        "name": " 笔记本 ",
        "description": "",
        "price": 30,
        "stock": 10,
        "per_person_limit": 1,
        "available_from": None,
        "available_until": None,
        "active": True,
        "organisations": [world.branch_a],
    }
    with pytest.raises(PermissionDenied):
        services.save_item(world.secretary_a, None, data)
    item = services.save_item(world.staff, None, data)
    assert item.name == "笔记本" and list(item.organisations.all()) == [world.branch_a]
    services.save_item(world.staff, item, {**data, "price": 40, "organisations": []})
    item.refresh_from_db()
    assert item.price == 40 and not item.organisations.exists()
    with pytest.raises(ValidationError):
        services.save_item(world.staff, item, {**data, "price": 0})
    services.restock(world.staff, item, 5, "到货")
    with pytest.raises(ValidationError, match="库存不能少于零"):
        services.restock(world.staff, item, -16)
    with pytest.raises(PermissionDenied):
        services.restock(world.member_a, item, 5)
    item.refresh_from_db()
    assert item.stock == 15
    assert (
        AuditEntry.objects.filter(action__in=["points.item_create", "points.item_change", "points.stock"]).count() == 3
    )


def test_report_sums_the_ledger(world):
    item = _item(price=5)
    services.award(world.staff, world.member_a, 30, "表彰")
    services.adjust(world.staff, world.member_a, -5, "更正")
    services.redeem(world.member_a, item, 2)
    cancelled = services.redeem(world.member_a, item)
    services.cancel(world.member_a, cancelled)
    report = queries.report(world.staff)
    assert (report["issued"], report["spent"], report["deducted"], report["outstanding"]) == (30, 10, 5, 15)
    assert report["popular"][0]["item__name"] == "党徽" and report["popular"][0]["pieces"] == 2
