"""Issue 17 as a dealer's sales staff (the demo's jxs001) on a phone at 360 × 740: home and the tab bar offer only
their dealer's leads; an enterprise page they type in answers the friendly refusal with the reason and a way
home. (The conftest checks every page opened for accessibility and sideways scrolling.)"""

from __future__ import annotations

from plaza.ambassadors.tests.helpers import leave_lead, make_programme


def test_a_dealers_phone_shows_only_their_leads(phone, page, world):
    programme = make_programme(world)
    leave_lead(programme)
    page.goto("/accounts/login/", timeout=120_000)  # the live server's first request loads every URLconf
    dealer = phone(programme.seller_sh)

    dealer.goto("/")
    tabs = dealer.locator("nav.tabbar").inner_text()
    assert "互动" in tabs and not any(name in tabs for name in ("学习", "党务", "服务"))
    tiles = dealer.locator("main").inner_text()
    assert "经销商线索" in tiles and "通星汇排行榜" not in tiles and "员工少跑路" not in tiles
    dealer.click("main a:has-text('经销商线索')")
    dealer.wait_for_url("**/ambassadors/dealer/")
    assert "138****8000" in dealer.locator("[data-testid=dealer-leads]").inner_text()

    answer = dealer.goto("/learning/")
    assert answer is not None and answer.status == 403
    refusal = dealer.locator("[data-testid=error-403]").inner_text()
    assert "经销商线索跟进" in refusal
    dealer.click("[data-testid=error-403] a:has-text('回到首页')")
    dealer.wait_for_url("**/")
