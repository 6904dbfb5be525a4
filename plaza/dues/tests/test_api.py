"""The 我的党费 API: a member's own months as the page shows them (due, paid, state), their base, 404 for those
who are not Party members."""

from datetime import date

import pytest

from plaza.dues import services

from .conftest import TODAY


@pytest.fixture(autouse=True)
def fixed_today(settings):
    settings.PLAZA_TODAY = TODAY


def test_my_months_base_and_payments(based, client):
    services.mark_paid(based.secretary_a, based.member_a, [date(2025, 5, 1)], today=TODAY)
    client.force_login(based.member_a)
    response = client.get("/api/v1/dues/mine", {"year": 2025})
    assert response.status_code == 200
    body = response.json()
    assert body["year"] == 2025 and body["branch"] == "装调车间党支部"
    assert body["current"] == {
        "category": "in_service",
        "category_label": "在岗职工",
        "base": "8000.00",
        "due": "120.00",
    }
    months = {m["month"]: m for m in body["months"]}
    assert list(months) == [f"2025-{m:02d}" for m in range(1, 13)]
    assert months["2025-05"] == {
        **months["2025-05"],
        "due": "120.00",
        "paid": "120.00",
        "unpaid": "0.00",
        "state": "paid",
        "state_label": "已交",
        "base": "8000.00",
    }
    assert months["2025-06"]["state"] == "unpaid" and months["2025-06"]["unpaid"] == "120.00"
    assert months["2025-07"]["state"] == "not_due" and months["2025-07"]["state_label"] == "未到期"
    assert [(p["month"], p["amount"], p["kind"]) for p in body["payments"]] == [("2025-05", "120.00", "regular")]
    assert "李红梅" not in response.content.decode()


def test_months_without_a_base_and_other_years(based, client):
    client.force_login(based.member_a)
    body = client.get("/api/v1/dues/mine", {"year": 2024}).json()
    assert {m["state"] for m in body["months"]} == {"no_base"} and body["months"][0]["due"] is None
    assert body["payments"] == [] and body["current"]["base"] == "8000.00"
    assert client.get("/api/v1/dues/mine").json()["year"] == 2025
    assert client.get("/api/v1/dues/mine", {"year": 1999}).status_code == 422


def test_only_my_own_dues_and_only_for_party_members(based, client):
    services.mark_paid(based.secretary_b, based.member_b, [date(2025, 6, 1)], today=TODAY)
    client.force_login(based.member_a)
    assert client.get("/api/v1/dues/mine").json()["payments"] == []
    client.force_login(based.member_b)
    assert client.get("/api/v1/dues/mine").json()["payments"][0]["amount"] == "120.00"
    client.force_login(based.employee)
    response = client.get("/api/v1/dues/mine")
    assert response.status_code == 404 and "党员" in response.json()["detail"]
