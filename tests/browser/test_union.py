"""Issue 18 (工会) in a real browser at 360 × 740: an employee who is not yet a member applies to join, the union
chair approves (a membership number and the card), the member applies for 生育慰问 with a photo of the birth
certificate, the chair approves and the payment shows on both sides — the member's application and the chair's
monthly report — with the 办法 and article it follows."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse
from PIL import Image

from plaza.lib import clock
from plaza.testing.factories import PersonFactory, Title, appoint, join
from plaza.union.models import CareCase, Kind, Member, Provision

from .conftest import wait_for_image


def _certificate() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (245, 240, 230)).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_join_apply_for_childbirth_care_and_payment_on_both_sides(phone, world):
    reverse("union:index")  # the URLconf loaded before the first page (slow on a busy machine)
    chair = PersonFactory(employee_no="U0001", name="郑主席")
    join(chair, world.union, since=date(2010, 1, 1))
    appoint(chair, world.union, Title.UNION_CHAIR)
    Provision.objects.create(
        organisation=world.union,
        kind=Kind.CHILDBIRTH,
        amount=Decimal("800"),
        goods="母婴用品礼包（价值约 200 元）",
        apply_within_days=184,
        measure="《工会会员生育慰问办法》",
        article="二、慰问标准",
    )

    page = phone(world.employee)
    page.goto("/union/")
    page.click("[data-testid=join]")
    page.wait_for_selector("text=入会申请审批中")

    office = phone(chair)
    office.goto("/union/office/members/?status=applied")
    office.click("[data-testid=roster] a:has-text('赵群众')")
    office.click("[data-testid=approve]")
    office.wait_for_selector("[data-testid=member-status]:has-text('会员')")
    number = Member.objects.get(person=world.employee).number
    assert number

    page.reload()
    assert page.locator("[data-testid=member-number]").inner_text() == number
    page.click("[data-testid=card-link]")
    page.wait_for_selector("[data-testid=card]")
    assert number in page.locator("[data-testid=card]").inner_text()

    page.goto("/union/care/")
    page.select_option("#id_kind", "childbirth")
    page.fill("#id_event_on", (clock.today() - timedelta(days=9)).isoformat())
    page.set_input_files(
        "#id_photo", files=[{"name": "出生医学证明.jpg", "mimeType": "image/jpeg", "buffer": _certificate()}]
    )
    page.fill("#id_note", "女儿出生")
    page.click("[data-testid=apply-care]")
    page.wait_for_selector("text=慰问申请已提交")
    assert page.locator("[data-testid=case-status]").inner_text() == "待审核"
    case = CareCase.objects.get(person=world.employee)

    office.goto("/union/office/care/?status=pending")
    office.click(f"a[href='/union/office/care/{case.pk}/']")
    wait_for_image(office, "[data-testid=proof]")  # the picture is served, not broken
    office.click("[data-testid=pay]")
    office.wait_for_selector("text=已发放 800.00 元")
    office.goto("/union/office/payments/")
    report = office.locator("main").inner_text()
    assert "赵群众" in report and "800.00" in report and "《工会会员生育慰问办法》二、慰问标准" in report

    page.reload()
    assert page.locator("[data-testid=case-status]").inner_text() == "已发放"
    assert page.locator("[data-testid=paid-amount]").inner_text() == "800.00 元"
    assert "母婴用品礼包" in page.locator("[data-testid=payment]").inner_text()
