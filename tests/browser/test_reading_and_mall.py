"""Issue 6 in a real browser: an employee reads an article to the end and gets 阅读豆 once, redeems an item
in the 积分超市, shows the pick-up code; staff hand it over."""

from __future__ import annotations

from plaza.learning.models import Article
from plaza.points.models import Balance, Item, Order


def test_reading_beans_once_then_redeem_and_hand_over(phone, world, settings):
    settings.PLAZA_POINTS_READING_MIN_SECONDS = 2  # the server measures the time itself; 30 s by default
    item = Item.objects.create(name="党史学习读本", price=1, stock=3, per_person_limit=1, active=True)
    reader, staff = phone(world.member_a), phone(world.staff)

    # Staff write the article in the rich-text editor.
    staff.goto("/learning/office/articles/new/")
    staff.fill("input[name=title]", "为用户提供未来智慧出行的美好生活")
    editor = staff.locator(".ql-editor")
    editor.click()
    line = "凯迪拉克纯电IQ空间与别克新能源空间，沉浸式党课让红色资源与新能源结合。"
    for index in range(40):
        staff.keyboard.insert_text(f"第{index}段：{line}")
        staff.keyboard.press("Enter")
    staff.keyboard.press("Control+b")
    staff.keyboard.insert_text("学以致用")
    staff.click("button[type=submit]")
    staff.wait_for_url("**/learning/office/")
    article = Article.objects.get()
    assert article.body_format == "html" and "<strong>学以致用</strong>" in article.body

    reader.goto(f"/learning/articles/{article.pk}/")
    reader.wait_for_timeout(2500)  # reading
    reader.mouse.wheel(0, 100_000)  # to the end: the page reports it once
    reader.wait_for_selector("[data-testid=beans] >> text=获得 1")
    assert Balance.objects.get(person=world.member_a).amount == 1
    reader.reload()
    reader.wait_for_timeout(2500)
    reader.mouse.wheel(0, 100_000)
    reader.wait_for_timeout(1500)
    assert Balance.objects.get(person=world.member_a).amount == 1  # once per article, however often it is read

    reader.goto(f"/points/mall/{item.pk}/")
    reader.once("dialog", lambda dialog: dialog.accept())
    reader.click("button:has-text('兑换')")
    reader.wait_for_selector("[data-testid=pickup-code]")
    code = reader.locator("[data-testid=pickup-code]").inner_text()
    assert reader.locator(".qr svg").count() == 1

    staff.goto(f"/points/office/hand-over/?code={code}")  # where scanning the pick-up QR leads
    assert "张建国" in staff.locator("main").inner_text()  # the order, before handing it over
    staff.once("dialog", lambda dialog: dialog.accept())
    staff.click("button:has-text('确认发放')")
    staff.wait_for_selector(".messages >> text=已发放")
    assert Order.objects.get(pickup_code=code).state == "handed_over"
    assert Item.objects.get(pk=item.pk).stock == 2 and Balance.objects.get(person=world.member_a).amount == 0
