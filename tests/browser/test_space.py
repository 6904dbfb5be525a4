"""互动空间 in a real browser at 360 × 740 (issue 16): an employee picks a display name and posts with a topic and
a photo; a Party member sees it under that name only, likes it and comments without a reload (htmx); a
review-level word holds the next post, and 组织部 staff approve it from the queue, where the real name shows."""

from __future__ import annotations

import io

from django.urls import reverse
from PIL import Image

from plaza.space.models import Post, SensitiveWord, Space, WordListVersion

from .conftest import wait_for_image


def test_post_like_comment_and_moderate(phone, world, tmp_path):
    reverse("space:index")  # the URL configuration imported before the first page (the live server shares it)
    space = Space.objects.create(
        organisation=world.committee, name="员工互动空间", everyone=True, official_name="党委党群工作部"
    )
    SensitiveWord.objects.create(word="投诉", level="review")
    WordListVersion.bump()

    employee = phone(world.employee)
    employee.goto(f"/space/{space.pk}/name/")
    employee.fill("#id_display_name", "物流阿赵")
    employee.click("form button[type=submit]")
    employee.wait_for_selector("[data-testid=new-post]")
    employee.click("[data-testid=new-post]")
    employee.fill("#id_body", "#志愿服务# 周六社区义务植树，一上午种了六十多棵树！")
    picture = tmp_path / "植树.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (30, 150, 60)).save(buffer, format="JPEG")
    picture.write_bytes(buffer.getvalue())
    employee.set_input_files("#id_pictures", str(picture))
    employee.click("[data-testid=post-form] button[type=submit]")
    employee.wait_for_selector(".post-pictures img")
    wait_for_image(employee, ".post-pictures img")  # the picture is served, not broken
    assert employee.evaluate("document.documentElement.scrollWidth") <= 360
    shown = Post.objects.get()

    member = phone(world.member_a)
    member.goto(f"/space/{space.pk}/")
    card = member.locator(f"#post-{shown.pk}")
    assert card.locator("[data-testid=author]").inner_text() == "物流阿赵"
    assert "赵群众" not in member.content()
    card.locator("[data-testid=like] button").click()
    member.wait_for_selector(f"#post-{shown.pk} [data-testid=like] button[aria-pressed=true]")
    assert card.locator("[data-testid=like-count]").inner_text() == "1"
    member.goto(f"/space/post/{shown.pk}/")
    member.fill("[data-testid=comment-form] textarea", "点赞，下次叫上我！")
    member.click("[data-testid=comment-form] button[type=submit]")
    member.wait_for_selector("text=点赞，下次叫上我！")
    assert "评论（1）" in member.inner_text("[data-testid=comments]")

    employee.goto(f"/space/{space.pk}/new/")
    employee.fill("#id_body", "想投诉一下二号门的班车总是晚点")
    employee.click("[data-testid=post-form] button[type=submit]")
    # the post's page with its status, or the form again with the reason it was refused (shown if it was)
    employee.wait_for_selector("[data-testid=status], [role=alert]", timeout=30_000)
    assert employee.locator("[data-testid=status]").count() == 1, employee.inner_text("main")
    assert "待审核" in employee.inner_text("[data-testid=status]")

    staff = phone(world.staff)
    staff.goto("/space/office/")
    assert "赵群众" in staff.inner_text("[data-testid=queue]")  # 后台实名
    staff.fill("[data-testid=queue] input[name=reason]", "合理诉求，转交后勤")
    staff.click("[data-testid=queue] button[value=approve]")
    staff.wait_for_selector("text=没有待处理的内容")
    member.goto(f"/space/{space.pk}/")
    assert "二号门的班车" in member.inner_text("[data-testid=feed]")
