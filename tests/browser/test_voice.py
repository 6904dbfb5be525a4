"""Issue 16 (E线声音) in a real browser at 360 × 740: an employee files an anonymous concern, the branch
secretary (the handler) accepts it and asks a follow-up question through the item, the employee answers it, the
handler answers the concern, the employee rates the answer; the handler's pages never show the employee's name."""

from __future__ import annotations

from django.urls import reverse

from plaza.voice.models import Category, Item, State


def test_anonymous_concern_follow_up_answer_and_rating(phone, world):
    reverse("voice:index")  # the URLconf loaded before the first page (slow on a busy machine)
    Category.objects.create(name="生产与安全", owner=world.committee, via_branch=True)

    page = phone(world.member_a)
    page.goto("/voice/")
    page.click("[data-testid=new]")
    page.select_option("#id_kind", "concern")
    page.select_option("#id_category", label="生产与安全")
    page.fill("#id_text", "装调线二号工位照明不足，夜班看不清零件编号。")
    page.fill("#id_place", "总装车间二号工位")
    assert page.is_checked("#id_anonymous")
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=state]:has-text('待受理')")
    item = Item.objects.get()
    assert item.anonymous and item.organisation == world.branch_a

    office = phone(world.secretary_a)
    office.goto("/voice/office/")
    office.click("[data-testid=queue] a")
    office.click("[data-testid=accept]")
    office.wait_for_selector("[data-testid=state]:has-text('已受理')")
    office.fill("#q-text", "请问是哪个班次发现的？")
    office.click("[data-testid=ask]")
    office.wait_for_selector("[data-testid=thread]:has-text('哪个班次')")
    assert world.member_a.name not in office.content() and world.member_a.employee_no not in office.content()

    page.reload()
    page.wait_for_selector("[data-testid=thread]:has-text('哪个班次')")
    page.fill("#reply-text", "夜班，二十二点以后。")
    page.click("[data-testid=reply]")
    page.wait_for_selector("[data-testid=thread]:has-text('二十二点')")

    office.reload()
    office.wait_for_selector("[data-testid=thread]:has-text('二十二点')")
    office.fill("#ans-text", "已协调设备部门加装两盏 LED 工位灯，本周内完成。")
    office.fill("#ans-change", "二号工位加装照明")
    office.click("[data-testid=answer]")
    office.wait_for_selector("[data-testid=state]:has-text('已答复')")
    assert world.member_a.name not in office.content()

    page.reload()
    page.wait_for_selector("[data-testid=answer]:has-text('LED')")
    page.check("input[name=satisfied][value='1']")
    page.fill("#id_word", "处理及时")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=rate]")
    page.wait_for_selector("[data-testid=state]:has-text('已办结')")
    item.refresh_from_db()
    assert item.state == State.CLOSED and item.satisfied and item.rating_word == "处理及时"
    assert "受理" in page.locator("[data-testid=history]").inner_text()
