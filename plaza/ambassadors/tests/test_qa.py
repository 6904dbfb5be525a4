"""What the QA pass of 通星汇 as users found (screenshots at 360 × 740 and 1280 × 800), one test per kind of
defect: a refused step that moved the prospect on anyway, a cramped control, enterprise-only facts shown to a
dealer's staff, English words on a Chinese page."""

from __future__ import annotations

import re
from datetime import date

from django.test import Client
from django.urls import reverse

from plaza.ambassadors import services

from .helpers import leave_lead, make_programme

#: Latin words that are names, not English: product names and the file format of the exports.
NAMES = {"SUV", "Excel", "E5"}


def _words(html: str) -> set[str]:
    body = re.split(r"<body[^>]*>", html, maxsplit=1)[1]
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", body, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", body)
    # a word of three letters or more standing alone (an employee number such as jxs001 is an identifier)
    return set(re.findall(r"(?<![A-Za-z0-9])[A-Za-z]{3,}(?![A-Za-z0-9])", text)) - NAMES


def test_a_refused_code_request_stays_on_step_one(world):
    p = make_programme(world)
    path = reverse("ambassadors:landing", args=[p.target.code])
    client = Client()
    client.get(path)
    form = {"name": "王先生", "phone": "123", "city": "上海", "product": p.rui.pk, "dealer": "", "call_time": ""}
    page = client.post(path, {**form, "action": "send"}).content.decode()
    assert "请输入正确的 11 位手机号" in page
    assert 'name="code"' not in page and "consent_dealer" not in page and 'value="submit"' not in page
    assert 'value="send"' in page and "获取验证码" in page
    # asked again from step two (the code box on the page) and refused: still on step two, the reason shown
    form["phone"] = "13800138000"
    client.post(path, {**form, "action": "send"})
    again = client.post(path, {**form, "action": "send", "code": ""}).content.decode()
    assert "秒后再获取" in again and 'name="code"' in again and 'value="submit"' in again


def test_the_product_page_offers_campaigns_as_links_not_a_cramped_form(world, login):
    p = make_programme(world)
    client = login(world.member_a)
    page = client.get(reverse("ambassadors:product", args=[p.rui.pk])).content.decode()
    assert '<select name="campaign"' not in page and "锐歌上市推广月" in page
    second = services.save_campaign(
        world.staff,
        None,
        {"name": "国庆试驾季", "products": [p.rui], "starts_on": date(2020, 1, 1), "ends_on": date(2099, 12, 31)},
    )
    page = client.get(reverse("ambassadors:product", args=[p.rui.pk]) + f"?campaign={second.pk}").content.decode()
    assert f'href="?campaign={second.pk}" aria-current="true"' in page and "?campaign=" in page
    assert f"poster.png?campaign={second.pk}" in page


def test_a_dealers_home_and_profile_show_no_enterprise_only_facts(world, login):
    p = make_programme(world)
    client = login(p.seller_sh)
    home = client.get("/").content.decode()
    assert "跟进分配给本店的通星汇线索" in home and "群众" not in home and "员工少跑路" not in home
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "我的组织" not in profile and "身份证号" not in profile and "群众" not in profile
    refused = client.get("/learning/").content.decode()
    assert "经销商线索跟进" in refused and "请联系所在单位的党群工作部" not in refused
    employee = login(world.member_a).get(reverse("accounts:profile")).content.decode()
    assert "我的组织" in employee and "身份证号" in employee


def test_no_english_words_on_the_pages_of_every_role(world, login):
    p = make_programme(world)
    lead = leave_lead(p)
    pages = {
        None: [reverse("ambassadors:landing", args=[p.target.code])],
        world.member_a: [
            reverse("ambassadors:index"),
            reverse("ambassadors:product", args=[p.rui.pk]),
            reverse("ambassadors:my_leads"),
            reverse("ambassadors:rankings"),
            reverse("ambassadors:rankings") + "?level=unit&period=all",
        ],
        p.seller_sh: [reverse("ambassadors:dealer"), reverse("ambassadors:dealer_lead", args=[lead.pk]), "/"],
        world.staff: [
            reverse("ambassadors:office"),
            reverse("ambassadors:staff_leads"),
            reverse("ambassadors:funnel"),
            reverse("ambassadors:ambassadors"),
            reverse("ambassadors:dealer_detail", args=[p.shanghai.pk]),
            reverse("ambassadors:programme"),
        ],
    }
    for person, urls in pages.items():
        client = login(person) if person is not None else Client()
        for url in urls:
            answer = client.get(url)
            assert answer.status_code == 200, url
            assert not _words(answer.content.decode()), (url, _words(answer.content.decode()))
