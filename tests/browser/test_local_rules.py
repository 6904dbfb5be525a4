"""本单位规定 in a real browser: 组织部 staff set the branch's make-up deadline with a note (confirming a value
out of range is refused with the reason), a member sees it with where it was set, and the next meeting's
absentees get that deadline; the staff take it back and the default applies again."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from plaza.meetings import services as meetings
from plaza.meetings.models import Kind
from plaza.notify.models import Task

KEY = "meetings.makeup_days"
CARD = "#meetings\\.makeup_days"  # the rule's card (its id has a dot)


def test_staff_set_a_local_rule_that_members_see_and_meetings_follow(phone, world):
    staff, member = phone(world.staff), phone(world.member_a)

    staff.goto(f"/local-rules/{world.branch_a.pk}/")
    card = staff.locator(CARD)
    card.locator("summary").click()
    card.locator(f"input[name='{KEY}-value']").fill("120")
    card.locator(f"input[name='{KEY}-note']").fill("试一个太长的期限")
    card.locator("button[type=submit]").click()
    staff.wait_for_selector("text=应在 7 到 90 天之间")

    card = staff.locator(CARD)
    card.locator("summary").click()
    card.locator(f"input[name='{KEY}-value']").fill("10")
    card.locator(f"input[name='{KEY}-note']").fill("支委会决定：缺席的同志 10 天内补学")
    card.locator("button[type=submit]").click()
    staff.wait_for_selector(f"[data-testid='value-{KEY}'] >> text=10 天")
    assert "缺席补学的期限：30 天 → 10 天" in staff.locator("[data-testid=history]").inner_text()

    member.goto("/local-rules/")
    rule = member.locator("[data-testid=rules] li", has=member.locator(f"[data-testid='value-{KEY}']"))
    assert "10 天" in rule.inner_text() and "支委会决定" in rule.inner_text()

    # A 主题党日 that is over, nobody signed in; it ended today (local), the day the rule came into force, even
    # in a run just after midnight China time.
    local_midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    started = max(timezone.now() - timedelta(hours=3), local_midnight - timedelta(hours=1))
    meeting = meetings.plan_meeting(
        world.secretary_a,
        world.branch_a,
        kind=Kind.THEME_DAY,
        topic="主题党日",
        starts_at=started,
        ends_at=started + timedelta(hours=1),
        place="党员活动室",
    )
    assert meetings.close_attendance(meeting, timezone.localdate()) > 0
    due = set(Task.objects.filter(source_type="meetings-makeup").values_list("due_on", flat=True))
    assert due == {timezone.localtime(meeting.ends_at).date() + timedelta(days=10)}

    staff.once("dialog", lambda dialog: dialog.accept())
    staff.click("text=恢复为上级设置或默认值")
    staff.wait_for_selector(f"[data-testid='value-{KEY}'] >> text=30 天")
