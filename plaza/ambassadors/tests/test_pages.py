"""Pages for each role: the ambassador's, the office's forms, the poster, the sections."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from plaza.ambassadors import poster, queries, services
from plaza.ambassadors.models import Ambassador, Dealer, DealerStaff, Product, Route
from plaza.lib.sections import functions_for

from .helpers import leave_lead, make_programme


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_an_employee_registers_then_shares_a_product_with_link_and_poster(world, login):
    make_programme(world)
    client = login(world.employee)
    page = client.get(reverse("ambassadors:index")).content.decode()
    assert "通星汇推荐规则" in page
    refused = client.post(reverse("ambassadors:index"), {"display_name": "赵师傅"})
    assert "请阅读并同意" in refused.content.decode() and not Ambassador.objects.filter(person=world.employee).exists()
    client.post(reverse("ambassadors:index"), {"display_name": "赵师傅", "accept_terms": "on"})
    ambassador = Ambassador.objects.get(person=world.employee)
    assert ambassador.unit == world.union
    product = Product.objects.get(name="凯迪拉克锐歌")
    page = client.get(reverse("ambassadors:product", args=[product.pk])).content.decode()
    assert "/ambassadors/s/" in page and world.employee.phone not in page
    image = client.get(reverse("ambassadors:poster", args=[product.pk]))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(image.content)).size == (poster.WIDTH, poster.HEIGHT)
    assert len(list(poster.cache_dir().glob("*.png"))) == 1
    client.get(reverse("ambassadors:poster", args=[product.pk]))  # drawn once, then cached
    assert len(list(poster.cache_dir().glob("*.png"))) == 1
    assert client.get(reverse("ambassadors:rankings")).status_code == 200


def test_a_non_ambassador_gets_no_poster(world, login):
    p = make_programme(world)
    assert login(world.member_b).get(reverse("ambassadors:poster", args=[p.rui.pk])).status_code == 404


def test_changed_terms_ask_for_acceptance_again(world, login):
    p = make_programme(world)
    services.save_programme(world.staff, {"terms": "新版规则"})
    services.save_programme(world.staff, {"terms": "再改一版"})
    assert services.share_problem(p.ambassador).startswith("《通星汇推荐规则》已更新")
    assert "重新确认" in login(world.member_a).get(reverse("ambassadors:index")).content.decode()


def test_the_product_quiz_can_be_required_before_sharing(world, monkeypatch, login):
    import pytest
    from django.core.exceptions import ValidationError

    p = make_programme(world)
    with pytest.raises(ValidationError, match="答题竞赛编号"):
        services.save_programme(world.staff, {"quiz_required": True, "quiz_contest_id": 999999})
    passed = {"yes": False}
    monkeypatch.setattr(queries, "quiz_passed", lambda person, contest: passed["yes"])
    services.save_programme(world.staff, {"quiz_required": True, "quiz_contest_id": 1})
    assert services.share_problem(p.ambassador) == "分享前须先通过产品知识答题。"
    page = login(world.member_a).get(reverse("ambassadors:product", args=[p.rui.pk])).content.decode()
    assert "产品知识答题" in page and "/ambassadors/s/" not in page
    passed["yes"] = True
    assert services.may_share(p.ambassador)


def test_staff_run_the_office(world, login):
    client = login(world.staff)
    assert client.get(reverse("ambassadors:office")).status_code == 200
    response = client.post(
        reverse("ambassadors:product_new"),
        {
            "name": "别克E5",
            "tagline": "纯电 SUV",
            "selling_points": "空间大\n续航长",
            "price_from": "20.99",
            "price_to": "18",
            "order": "1",
            "active": "on",
            "picture": SimpleUploadedFile("e5.png", _png(), content_type="image/png"),
        },
    )
    assert "最高指导价不能低于" in response.content.decode()
    client.post(
        reverse("ambassadors:product_new"),
        {
            "name": "别克E5",
            "price_from": "18",
            "price_to": "20.99",
            "order": "1",
            "active": "on",
            "picture": SimpleUploadedFile("e5.png", _png(), content_type="image/png"),
        },
    )
    product = Product.objects.get(name="别克E5")
    assert product.picture.name.startswith("ambassadors/products/")
    client.post(
        reverse("ambassadors:campaign_new"),
        {
            "name": "E5 推广周",
            "products": [product.pk],
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "active": "on",
        },
    )
    client.post(
        reverse("ambassadors:dealer_new"), {"name": "武汉别克4S店", "code": "WH01", "city": "武汉", "active": "on"}
    )
    dealer = Dealer.objects.get(code="WH01")
    detail = reverse("ambassadors:dealer_detail", args=[dealer.pk])
    missing = client.post(detail, {"action": "staff", "employee_no": "nobody"})
    assert "没有这个工号" in missing.content.decode()
    client.post(detail, {"action": "staff", "employee_no": world.member_b.employee_no})
    assert DealerStaff.objects.get(person=world.member_b).dealer == dealer
    wrong_city = client.post(detail, {"action": "route", "city": "上海", "dealer": dealer.pk, "priority": 1})
    assert "不在上海" in wrong_city.content.decode()
    client.post(detail, {"action": "route", "city": "武汉", "product": product.pk, "dealer": dealer.pk, "priority": 1})
    assert Route.objects.get().dealer == dealer
    assert client.get(detail).status_code == 200
    assert client.get(reverse("ambassadors:programme")).status_code == 200
    for name in ("staff_leads", "funnel", "rankings"):
        assert client.get(reverse(f"ambassadors:{name}")).status_code == 200


def test_office_pages_are_refused_to_others(world, login):
    client = login(world.secretary_a)
    for name in ("office", "product_new", "dealer_new", "staff_leads", "funnel", "programme"):
        assert client.get(reverse(f"ambassadors:{name}")).status_code == 403, name


def test_sections_show_each_role_its_functions(world):
    p = make_programme(world)
    keys = lambda person: {f.key for f in functions_for("interact", person)}  # noqa: E731
    assert {"ambassadors", "ambassadors_rankings"} <= keys(world.member_a)
    assert "ambassadors_office" not in keys(world.member_a)
    assert {"ambassadors_office", "ambassadors_funnel", "ambassadors_leads"} <= keys(world.staff)
    dealer = keys(p.seller_sh)
    assert "ambassadors_dealer" in dealer and "ambassadors" not in dealer


def test_list_pages_keep_their_query_count(world, login, django_assert_max_num_queries):
    p = make_programme(world)
    for n in range(5):
        leave_lead(p, f"1370000{n:04d}", ip=f"198.51.100.{n}")
    client = login(world.staff)
    with django_assert_max_num_queries(20):
        client.get(reverse("ambassadors:staff_leads"))
    client = login(p.seller_sh)
    with django_assert_max_num_queries(20):
        client.get(reverse("ambassadors:dealer"))


def test_staff_mark_executives_who_rank_apart(world, login):
    p = make_programme(world)
    client = login(world.staff)
    page = client.get(reverse("ambassadors:ambassadors") + "?q=张师傅").content.decode()
    assert "张师傅" in page
    client.post(reverse("ambassadors:ambassadors"), {"ambassador": p.ambassador.pk, "executive": "1"})
    p.ambassador.refresh_from_db()
    assert p.ambassador.executive
    other = login(world.secretary_a)
    assert other.post(reverse("ambassadors:ambassadors"), {"ambassador": p.ambassador.pk}).status_code == 403
