"""Issue 12 item 2 in a real browser (360 × 740): an employee outside the Party (群众, in no Party organisation)
goes 党务 → 申请入党, is told first why a letter without content is refused, then hands it in to the branch of
their workplace; the branch secretary finds it on their to-do list."""

from __future__ import annotations

from datetime import date

from plaza.recruitment.models import Pipeline


def test_an_employee_outside_the_party_applies_to_join(phone, world):
    employee = world.employee
    employee.department, employee.birth_date = "装调车间", date(1990, 3, 1)
    employee.save()
    world.member_a.department = "装调车间"
    world.member_a.save()

    page = phone(employee)
    page.goto("/s/work/")
    page.click("text=申请入党")
    page.wait_for_url("**/recruitment/apply/")
    assert "您尚未编入党组织" in page.locator("main").inner_text()
    assert page.locator("select[name=branch] option:checked").inner_text() == "装调车间党支部"

    page.click("button[type=submit]:has-text('保存')")  # nothing written: the reason, never a silent page
    assert "请填写申请书" in page.locator("[data-testid=refusal]").inner_text()

    page.fill("textarea[name=letter]", "敬爱的党组织：我志愿加入中国共产党。")
    page.click("button[type=submit]:has-text('保存')")
    page.wait_for_url("**/recruitment/mine/")
    assert "已递交装调车间党支部" in page.locator(".messages").inner_text()
    assert Pipeline.objects.get(person=employee).branch == world.branch_a

    secretary = phone(world.secretary_a)
    secretary.goto("/")
    assert "赵群众" in secretary.locator("main").inner_text()
