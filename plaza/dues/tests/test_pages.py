import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from plaza.dues.models import DuesBase, DuesPayment
from plaza.lib.sections import functions_for

from .conftest import TODAY


@pytest.fixture(autouse=True)
def fixed_today(settings):
    settings.PLAZA_TODAY = TODAY


def test_sections_show_my_dues_to_members_and_the_roll_to_branch_officers(world):
    assert "my_dues" in [f.key for f in functions_for("work", world.member_a)]
    assert "dues_roll" not in [f.key for f in functions_for("work", world.member_a)]
    assert "dues_roll" in [f.key for f in functions_for("work", world.secretary_a)]
    assert not {"my_dues", "dues_roll"} & {f.key for f in functions_for("work", world.employee)}


def test_my_dues_page_and_certificate(based, login):
    client = login(based.member_a)
    page = client.get("/dues/mine/?year=2025")
    body = page.content.decode()
    assert page.status_code == 200 and "2025年6月" in body and "120.00" in body and "未交" in body
    pdf = client.get("/dues/mine/certificate.pdf?year=2025")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and pdf["Content-Type"] == "application/pdf"
    assert login(based.employee).get("/dues/mine/").status_code == 404
    assert client.get("/dues/").status_code == 403  # no Cap.DUES


def test_roll_page_and_pay_with_confirmation(based, login):
    client = login(based.secretary_a)
    assert client.get("/dues/").status_code == 302  # one branch: straight to its roll
    roll = client.get(f"/dues/org/{based.branch_a.pk}/?month=2025-06")
    assert roll.status_code == 200 and "张建国" in roll.content.decode() and "240.00" in roll.content.decode()
    url = f"/dues/person/{based.member_a.pk}/"
    form = {"months": ["2025-05", "2025-06"], "method": "cash", "reference": "", "paid_on": "2025-06-15"}
    first = client.post(url, form)
    assert first.status_code == 200 and "请确认登记" in first.content.decode() and "240.00" in first.content.decode()
    assert not DuesPayment.objects.exists()  # nothing before the confirmation
    done = client.post(url, {**form, "confirm": "1"})
    assert done.status_code == 302 and DuesPayment.objects.filter(person=based.member_a).count() == 2
    again = client.post(url, {**form, "months": ["2025-06"], "confirm": "1"})
    assert "2025年6月 的党费已交纳" in again.content.decode()
    assert DuesPayment.objects.filter(person=based.member_a).count() == 2


def test_base_form_refuses_negative_and_asks_to_confirm_a_large_base(based, login):
    client = login(based.secretary_a)
    url = f"/dues/person/{based.member_a.pk}/base/"
    page = client.post(url, {"category": "in_service", "base": "-3", "effective_from": "2025-06"})
    assert "不能为负数" in page.content.decode()
    page = client.post(url, {"category": "in_service", "base": "2000000", "effective_from": "2025-06"})
    assert "请核对" in page.content.decode() and 'name="confirm_large"' in page.content.decode()
    done = client.post(
        url, {"category": "in_service", "base": "2000000", "effective_from": "2025-06", "confirm_large": "on"}
    )
    assert done.status_code == 302
    assert DuesBase.objects.filter(person=based.member_a).latest("id").base == Decimal("2000000")


def test_extra_reduction_and_correction_pages(based, login):
    client = login(based.secretary_a)
    base_url = f"/dues/person/{based.member_a.pk}/"
    assert (
        client.post(base_url + "extra/", {"amount": "1000", "method": "transfer", "paid_on": "2025-06-01"}).status_code
        == 302
    )
    assert DuesPayment.objects.get(kind="extra").to_centre
    page = client.post(
        base_url + "reduction/",
        {
            "from_month": "2025-07",
            "to_month": "2025-08",
            "reason": "大病",
            "approved_by": "公司党委",
            "approved_on": "2025-06-10",
        },
    )
    assert page.status_code == 302
    extra = DuesPayment.objects.get(kind="extra")
    assert (
        client.post(base_url + "correct/", {"payment": extra.pk, "amount": "-100", "note": "多收"}).status_code == 302
    )
    assert DuesPayment.objects.filter(corrects=extra).get().amount == Decimal("-100")
    assert "全额上缴中央" in client.get(base_url).content.decode()


def test_other_branch_gets_404_on_every_member_page(based, login):
    client = login(based.secretary_b)
    for suffix in ("", "base/", "extra/", "reduction/", "correct/", "certificate.pdf"):
        assert client.get(f"/dues/person/{based.member_a.pk}/{suffix}").status_code == 404, suffix
        assert (
            client.post(
                f"/dues/person/{based.member_a.pk}/{suffix}",
                {"months": ["2025-06"], "method": "cash", "paid_on": "2025-06-15", "confirm": "1"},
            ).status_code
            == 404
        ), suffix
    assert client.get(f"/dues/org/{based.branch_a.pk}/").status_code == 404
    assert not DuesPayment.objects.exists()


def test_import_page_and_stats_export(based, login):
    from .test_import_and_arrears import xlsx

    client = login(based.staff)
    template = client.get("/dues/import/?template=1")
    assert template.status_code == 200 and load_workbook(io.BytesIO(template.content)).active["A1"].value == "工号"
    upload = xlsx(("A0002", "张建国", "在岗职工", 9000), ("X1", "某某", "在岗职工", 1))
    upload.name = "payroll.xlsx"
    page = client.post("/dues/import/", {"month": "2025-06", "file": upload})
    assert "未导入任何数据" in page.content.decode() and "在您的管理范围内没有这个工号" in page.content.decode()
    client.post(
        f"/dues/person/{based.member_b.pk}/",
        {"months": ["2025-06"], "method": "cash", "paid_on": "2025-06-15", "confirm": "1"},
    )
    stats = client.get("/dues/stats/?month=2025-06")
    assert stats.status_code == 200 and "物流和采购党支部" in stats.content.decode()
    export = client.get("/dues/stats/?month=2025-06&format=xlsx")
    workbook = load_workbook(io.BytesIO(export.content))
    summary = [row for row in workbook["收缴汇总"].iter_rows(values_only=True)]
    assert summary[0][0] == "党支部" and summary[2][:2] == ("物流和采购党支部", 2)
    ledger = list(workbook["交纳明细"].iter_rows(values_only=True))
    assert ledger[1][:5] == ("B0002", "李红梅", "2025-06", "按月交纳", 120)
    assert login(based.member_a).get("/dues/stats/").status_code == 403
