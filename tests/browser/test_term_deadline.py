"""Issue 12 item 8 in a real browser at 360 × 740: the branch's term ends in 39 days, its 本单位规定 asks for
the 换届请示 3 months before; the board shows the request as late with a legend that follows the rule, and the
secretary's to-do list has it, marked late."""

from __future__ import annotations

from datetime import date

from plaza.elections import services
from plaza.elections.sweep import terms_sweep
from plaza.localrules.services import set_rule


def test_the_board_shows_the_late_request_deadline_with_the_local_legend(phone, world, settings):
    services.set_term(world.staff, world.branch_a, started_on=date(2023, 12, 1))  # ends 2026-12-01
    set_rule(
        world.staff,
        world.committee,
        "elections.request_months_before",
        "3",
        "党委要求届满前 3 个月报送换届请示",
        effective_from=date(2026, 1, 1),
        backdate=True,
    )
    settings.PLAZA_TODAY = "2026-10-23"  # 39 days before the end; the request was due by 2026-09-01
    terms_sweep(date(2026, 10, 23))

    staff = phone(world.staff)
    staff.goto("/elections/")
    row = staff.locator("[data-testid=terms] li", has_text="装调车间党支部")
    state = row.locator("[data-testid=term-state]")
    assert state.inner_text() == "换届请示已逾期 52 天（应于 2026年9月1日 前报送）"
    assert "late" in state.get_attribute("class")  # red, not the yellow "39 天后届满" alone
    assert "39 天后届满" in row.inner_text()
    legend = staff.locator("[data-testid=terms-legend]").inner_text()
    assert "届满前 3 个月报送（本单位规定）" in legend and "两个月" not in legend
    state.scroll_into_view_if_needed()
    box = state.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360  # readable on the phone
    assert staff.evaluate("document.documentElement.scrollWidth") <= 360

    secretary = phone(world.secretary_a)
    secretary.goto("/")
    todo = secretary.locator("text=报送换届请示：装调车间党支部（2026年9月1日 前）（已逾期）")
    assert todo.count() >= 1
