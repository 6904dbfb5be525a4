"""Nothing raw on screen (issue 14): money with two decimals, points sources by their label."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from plaza.core.templatetags.plaza_format import money


@pytest.mark.parametrize(
    ("value", "shown"),
    [(299, "299.00"), (Decimal("12.5"), "12.50"), (Decimal("0.005"), "0.01"), ("3", "3.00"), (None, "—"), ("", "—")],
)
def test_money_always_has_two_decimals(value, shown):
    assert money(value) == shown


def test_money_in_a_template_with_an_empty_text():
    rendered = Template('{% load plaza_format %}{{ a|money }}/{{ b|money:"" }}').render(Context({"a": 299, "b": None}))
    assert rendered == "299.00/"


@pytest.mark.django_db
def test_points_report_names_sources_by_label_not_code(client, world):
    from plaza.points import services

    services.earn(world.member_a, 5, reason="阅读", source_type="reading")
    services.award(world.staff, world.member_a, 30, "表彰")
    assert services.source_label("reading") == "阅读豆" and services.source_label("award") == "奖励"
    client.force_login(world.staff)
    body = client.get("/points/office/report/").content.decode()
    assert "阅读豆" in body and "奖励" in body
    assert ">reading<" not in body and ">award<" not in body


@pytest.mark.django_db
def test_dues_pages_show_money_with_two_decimals(client, world):
    from datetime import date

    from plaza.dues import services as dues

    dues.set_base(
        world.secretary_a, world.member_a, category="in_service", base=Decimal("8000"), effective_from=date(2025, 1, 1)
    )
    client.force_login(world.secretary_a)
    body = client.get(f"/dues/org/{world.branch_a.pk}/", {"month": "2025-06"}).content.decode()
    totals = body[body.index('data-testid="roll-totals"') :].split("</p>")[0]
    assert "应缴 120.00" in totals and "实缴 0.00" in totals and "未缴 120.00" in totals, totals
    assert "8000.00" in body
