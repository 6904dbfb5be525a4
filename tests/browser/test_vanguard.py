"""支部先锋行动 in a real browser at 360 × 740 (issue 19): the secretary starts a project, a member logs
progress with a photo, a late milestone escalates to the secretary (the daily sweep run with a later date), and
the committee's 组织部 reviews the result, which closes the project."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from django.urls import reverse
from PIL import Image

from plaza.vanguard import services
from plaza.vanguard.models import Project
from plaza.vanguard.sweep import vanguard_sweep

from .conftest import wait_for_image


def test_secretary_starts_member_logs_late_milestone_escalates_committee_reviews(phone, world, settings, tmp_path):
    settings.PLAZA_TODAY = "2026-03-02"
    reverse("vanguard:index")  # the URLs and the API's schemas load here, not within the first page's timeout
    secretary = phone(world.secretary_a)
    secretary.goto("/vanguard/")
    secretary.click("[data-testid=new-project]")
    secretary.select_option("#id_branch", label="东岳动力总成党总支 › 装调车间党支部")
    secretary.fill("#id_title", "装调线数字化质量追溯攻关")
    secretary.select_option("#id_theme", label="数字化转型")
    secretary.fill("#id_goal", "打通拧紧、试漏数据自动采集，一次交检合格率提升到 98.5%")
    secretary.fill("#id_lead", world.member_a.employee_no)
    secretary.fill("#id_starts_on", "2026-03-02")
    secretary.fill("#id_ends_on", "2026-06-30")
    secretary.click("[data-testid=vanguard-form] button[type=submit]")
    secretary.wait_for_selector("[data-testid=project-title]")
    assert secretary.inner_text("[data-testid=project-title]") == "装调线数字化质量追溯攻关"
    assert secretary.evaluate("document.documentElement.scrollWidth") <= 360

    project = Project.objects.get()
    target = services.add_target(
        world.secretary_a, project, name="一次交检合格率", unit="%", target_value=Decimal("98.5")
    )
    milestone = services.add_milestone(
        world.secretary_a, project, title="试漏工位数据接入", due_on=date(2026, 3, 6), owner=world.member_a
    )

    member = phone(world.member_a)
    member.goto(f"/vanguard/{project.pk}/")
    member.click("[data-testid=log-progress]")
    member.fill("#id_text", "拧紧工位 12 台拧紧枪数据已接入")
    picture = tmp_path / "现场.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 30, 30)).save(buffer, format="JPEG")
    picture.write_bytes(buffer.getvalue())
    member.set_input_files("#id_photos", str(picture))
    member.click("[data-testid=vanguard-form] button[type=submit]")
    member.wait_for_selector("[data-testid=progress] img")
    assert "拧紧工位 12 台拧紧枪数据已接入" in member.inner_text("[data-testid=progress]")
    wait_for_image(member, "[data-testid=progress] img")  # the picture is served, not broken

    # three working days later the milestone is still open: the sweep reports it to the branch secretary
    settings.PLAZA_TODAY = "2026-03-11"
    reported = vanguard_sweep(date(2026, 3, 11))
    assert (reported["secretary"], reported["committee"]) == (1, 0)
    secretary.goto(f"/vanguard/{project.pk}/")
    late = secretary.locator("[data-testid=milestones] li", has_text="试漏工位数据接入")
    assert "已报支部书记" in late.inner_text()
    secretary.goto("/vanguard/board/")
    assert "试漏工位数据接入" in secretary.inner_text("[data-testid=late-milestones]")

    services.complete_milestone(world.member_a, milestone, on=date(2026, 3, 12))
    services.submit_results(
        world.member_a, project, achieved={target.pk: Decimal("98.9")}, result="一次交检合格率提升到 98.9%，超额完成"
    )

    committee = phone(world.staff)
    committee.goto(f"/vanguard/{project.pk}/")
    committee.click("[data-testid=review]")
    committee.select_option("#id_grade", label="优秀")
    committee.fill("#id_comment", "成效显著，予以表彰")
    committee.fill("#id_points", "20")
    committee.click("[data-testid=vanguard-form] button[type=submit]")
    committee.wait_for_selector("[data-testid=grade]")
    assert committee.inner_text("[data-testid=project-status]") == "已结项"
    assert committee.inner_text("[data-testid=grade]") == "优秀"
    assert committee.evaluate("document.documentElement.scrollWidth") <= 360
