"""Bodies and parameters are read by the schema, never looser (issue 11 item 9): what the schema refuses
changes nothing and answers 422 — an array for an object, null for an id, 0 or "0" for a date."""

from __future__ import annotations

import pytest

from plaza.api.api import api
from plaza.points import services
from plaza.points.models import Item, Order

NOT_OBJECTS = ([None, None], [], [{"quantity": 1}], None, 0, 1, "x", True)


def _post(client, url, body):  # noqa: ANN001, ANN202
    import json

    return client.generic("POST", url, json.dumps(body), content_type="application/json")


def test_an_array_or_a_number_is_not_an_order(client, world):
    item = Item.objects.create(name="党徽", price=10, stock=5)
    services.earn(world.member_a, 100, reason="学习")
    client.force_login(world.member_a)
    url = f"/api/v1/points/items/{item.pk}/redeem"
    for body in NOT_OBJECTS:
        response = _post(client, url, body)
        assert response.status_code == 422, (body, response.status_code)
    for body in ({"quantity": None}, {"quantity": 1, "item": 2}, {"quantity": "1\x00"}):
        assert _post(client, url, body).status_code == 422, body
    assert not Order.objects.exists() and services.balance_of(world.member_a) == 100
    assert _post(client, url, {"quantity": 1}).status_code == 201  # the schema's own body still works


def _body_operations() -> list[tuple[str, str]]:
    """Every operation that takes a JSON body, from the API's own schema."""
    found = []
    for path, operations in api.get_openapi_schema(path_prefix="/api/v1")["paths"].items():
        for method, operation in operations.items():
            if "requestBody" in operation:
                found.append((method.upper(), path.replace("{", "<").replace("}", ">")))
    return found


def test_the_schema_lists_the_bodies_checked_here():
    assert len(_body_operations()) >= 9


@pytest.mark.parametrize(("method", "path"), _body_operations())
def test_no_endpoint_takes_an_array_null_or_a_number_for_its_body(client, world, method, path):
    import json
    import re

    client.force_login(world.secretary_a)
    url = re.sub(r"<\w+>", "1", path)
    for body in NOT_OBJECTS:
        response = client.generic(method, url, json.dumps(body), content_type="application/json")
        assert response.status_code == 422, (method, url, body, response.status_code)


def test_a_day_is_a_date_not_a_timestamp(client, world):
    from plaza.booking.models import Service

    service = Service.objects.create(
        name="组织关系转接", place="党群服务中心", organisation=world.committee, created_by=world.staff
    )
    client.force_login(world.member_a)
    url = f"/api/v1/booking/services/{service.pk}/slots"
    for day in ("0", "1", "-1", "2026-02-30", "2026-13-45", "١٢", "²", "2026-3-2", "20260302"):
        response = client.get(url, {"day": day})
        assert response.status_code == 422, (day, response.status_code)
    assert client.get(url, {"day": "2026-03-02"}).status_code == 200
    far = client.get(url, {"day": "0001-01-01"})  # a real date, schema-valid: a day with no slots, not an error
    assert far.status_code == 200 and far.json()["slots"] == []
    book = f"/api/v1/booking/services/{service.pk}/book"
    for starts_at in (0, "0", 1767225600, "2026-02-30T09:00:00"):
        assert _post(client, book, {"starts_at": starts_at}).status_code == 422, starts_at
