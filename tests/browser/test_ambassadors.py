"""Issue 17 in a real browser at 360 × 740: an ambassador shares a link, a prospect opens it in a fresh browser
and leaves a lead (the SMS code read from the console sender's store), the dealer moves it to delivered, and
after the freeze period the ambassador sees the deal and the ranking."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlparse

from plaza.ambassadors import sms
from plaza.ambassadors.models import Lead
from plaza.ambassadors.sweep import ambassadors_sweep
from plaza.ambassadors.tests.helpers import make_programme
from plaza.lib import clock

from .conftest import wait_for_image

PROSPECT = "13912345678"


def test_share_lead_follow_up_deal_and_ranking(phone, page, world):
    sms.SENT.clear()
    programme = make_programme(world)
    page.goto("/accounts/login/", timeout=120_000)  # the live server's first request loads every URLconf
    ambassador, dealer = phone(world.member_a), phone(programme.seller_sh)

    ambassador.goto("/ambassadors/")
    ambassador.click("[data-testid=products] a:has-text('凯迪拉克锐歌')")
    share_url = ambassador.input_value("[data-testid=share-url]")
    assert "/ambassadors/s/" in share_url and world.member_a.phone not in share_url
    wait_for_image(ambassador, "[data-testid=poster]")  # the poster: drawn on the server, with the link's QR code
    assert ambassador.locator("[data-testid=poster]").evaluate("i => i.naturalWidth") == 750

    page.goto(urlparse(share_url).path)  # the prospect: a fresh browser, not signed in
    page.fill("#id_name", "王先生")
    page.fill("#id_phone", PROSPECT)
    page.select_option("#id_city", "上海")
    page.click("button[value=send]")
    page.wait_for_selector("[data-testid=privacy]")
    assert "上海浦东凯迪拉克中心" in page.locator("[data-testid=lead-form]").inner_text()
    page.fill("#id_code", sms.last_code(PROSPECT))
    page.check("[data-testid=consent-contact]")
    page.click("button[value=submit]")
    assert "单独同意" in page.locator("[data-testid=refusal]").inner_text()  # the dealer's consent is separate
    page.fill("#id_code", sms.last_code(PROSPECT))
    page.check("[data-testid=consent-contact]")
    page.check("[data-testid=consent-dealer]")
    page.click("button[value=submit]")
    page.wait_for_selector("[data-testid=thanks]")
    lead = Lead.objects.get()
    assert lead.dealer == programme.shanghai and lead.status == "credited"

    dealer.goto("/ambassadors/dealer/")
    assert "139****5678" in dealer.locator("[data-testid=dealer-leads]").inner_text()
    dealer.click("[data-testid=dealer-leads] a")
    for stage in ("contacted", "test_drive", "delivered"):
        dealer.select_option("#id_stage", stage)
        dealer.click("button:has-text('更新')")
        dealer.wait_for_selector(f"[data-testid=stage]:has-text('{lead.__class__(stage=stage).get_stage_display()}')")

    ambassador.goto("/ambassadors/leads/")
    assert "已交车（冻结期）" in ambassador.locator("[data-testid=my-leads]").inner_text()
    assert ambassadors_sweep(clock.today() + timedelta(days=31))["deals"] == 1  # the freeze period is over

    ambassador.goto("/ambassadors/")
    assert ambassador.locator("[data-testid=deals]").inner_text().startswith("1")
    assert PROSPECT not in ambassador.content()
    ambassador.goto("/ambassadors/rankings/?period=all")
    first = ambassador.locator("[data-testid=ranking] tbody tr").first.inner_text()
    assert "张师傅" in first and "1" in first
