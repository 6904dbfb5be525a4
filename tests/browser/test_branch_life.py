"""Issue 4 in a real browser: a secretary plans a 主题党日, three members sign in through the QR page, one asks
for leave, the minutes are written and locked; then a month's dues roll is imported, computed, paid and
reported."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from django.utils import timezone
from openpyxl import Workbook

from plaza.accounts.models import PoliticalStatus
from plaza.meetings.models import Meeting
from plaza.testing.factories import PersonFactory, join


def test_theme_day_with_qr_sign_in_leave_and_locked_minutes_then_a_dues_month(phone, world):
    members = [world.member_a]
    for number, name in (("A0011", "钱一心"), ("A0012", "孙二红")):
        person = PersonFactory(employee_no=number, name=name, political_status=PoliticalStatus.FULL_MEMBER)
        join(person, world.branch_a)
        members.append(person)
    secretary = phone(world.secretary_a)
    _meeting(secretary, [phone(m) for m in members], members)
    _dues(secretary, members)


def _meeting(secretary, phones, members) -> None:  # noqa: ANN001
    secretary.goto("/meetings/office/")
    secretary.click("text=安排会议")
    secretary.select_option("select[name=kind]", "theme_day")
    secretary.fill("input[name=topic]", "学习贯彻党的二十届四中全会精神")
    starts = timezone.localtime() - timedelta(minutes=5)
    secretary.fill("input[name=starts_at]", starts.strftime("%Y-%m-%dT%H:%M"))
    secretary.fill("input[name=duration]", "90")
    secretary.fill("input[name=place]", "装调车间党员活动室")
    secretary.click("button[type=submit]")
    secretary.wait_for_url(re.compile(r"/meetings/\d+/$"))
    meeting = Meeting.objects.get()
    # begun five minutes ago: nobody is sent a notice of it (the service tells of meetings still ahead)
    assert "会议已经开始，未发送会议通知" in secretary.locator(".messages").inner_text()

    # The fourth member, on a night shift, asks for leave from the phone.
    phones[0].goto(f"/meetings/{meeting.pk}/")
    phones[0].fill("input[name=reason]", "夜班休息")
    phones[0].once("dialog", lambda dialog: dialog.accept())
    phones[0].click("text=请假")
    phones[0].wait_for_selector("text=已请假")

    secretary.click("text=签到二维码")
    secretary.wait_for_selector("[data-testid=qr] svg")
    url = secretary.locator(".qr").get_attribute("data-url")
    for phone in phones[1:] + [secretary]:  # scanning the code opens its address on the phone
        phone.goto(url)
        phone.click("button[type=submit]")
        phone.wait_for_selector("[data-testid=signed]")
    phones[1].goto(url)
    phones[1].click("button[type=submit]")
    assert "无需重复签到" in phones[1].locator("[data-testid=signed]").inner_text()
    secretary.goto(f"/meetings/{meeting.pk}/qr/")  # the secretary signed in too; back to the screen
    secretary.wait_for_selector("[data-testid=present] b >> text=3")

    secretary.goto(f"/meetings/{meeting.pk}/")
    assert "签到 3 · 请假 1" in secretary.locator("[data-testid=counts]").inner_text()
    secretary.fill("textarea[name=topics]", "学习全会公报；交流学习体会")
    secretary.fill("input[name=speakers]", "刘昭涛、钱一心")
    secretary.fill("textarea[name=content]", "刘昭涛领学全会公报，钱一心结合岗位谈体会，大家交流发言。")
    secretary.fill("textarea[name=decisions]", "各党小组本月内开展专题研讨")
    secretary.click("text=保存会议记录")
    secretary.wait_for_selector("[data-testid=minutes]")
    Meeting.objects.filter(pk=meeting.pk).update(ends_at=timezone.now() - timedelta(minutes=1))  # the meeting ends
    secretary.reload()
    secretary.once("dialog", lambda dialog: dialog.accept())
    secretary.click("text=审定并锁定会议记录")
    secretary.wait_for_selector("text=已审定")
    assert secretary.locator("text=保存会议记录").count() == 0
    phones[0].goto("/meetings/")
    assert "学习贯彻党的二十届四中全会精神" in phones[0].locator("text=待补学").locator("..").inner_text()


def _payroll(members) -> bytes:  # noqa: ANN001
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["工号", "姓名", "类别", "工资基数"])
    for person, base in zip(members, ("8000", "4200", "12500"), strict=True):
        sheet.append([person.employee_no, person.name, "在岗职工", base])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _dues(secretary, members) -> None:  # noqa: ANN001
    month = timezone.localdate().strftime("%Y-%m")
    secretary.goto("/dues/import/")
    secretary.fill("input[name=month]", month)
    secretary.set_input_files(
        "input[name=file]",
        files=[
            {
                "name": "工资表.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": _payroll(members),
            }
        ],
    )
    secretary.click("button[type=submit]")
    secretary.wait_for_selector("[data-testid=import-result]")
    secretary.goto("/dues/")
    secretary.wait_for_selector("[data-testid=roll]")
    # 8000 × 1.5 % = 120.00, 4200 × 1 % = 42.00, 12500 × 2 % = 250.00 (《党费规定》)
    roll = secretary.locator("[data-testid=roll]").inner_text()
    assert "120.00" in roll and "42.00" in roll and "250.00" in roll
    secretary.locator("[data-testid=roll] tr", has_text="张建国").locator("text=登记已交").click()
    secretary.check(f"input[name=months][value='{month}']")
    secretary.click("text=下一步：确认")
    secretary.wait_for_selector("[data-testid=confirm]")
    secretary.click("text=确认已收到，登记")
    secretary.wait_for_selector("[data-testid=ledger] >> text=120.00")
    secretary.goto("/dues/stats/")
    stats = secretary.locator("[data-testid=stats]").inner_text()
    assert "装调车间党支部" in stats and "120.00" in stats
