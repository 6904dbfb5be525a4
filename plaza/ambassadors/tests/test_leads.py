"""Leads: the SMS code, both consents, attribution through plaza.rules.referrals, floods, visits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from plaza.ambassadors import limits, links, queries, services, sms
from plaza.ambassadors.models import Attribution, Lead, Outbound, PhoneCheck, Visit
from plaza.lib import clock
from plaza.lib.crypto import blind_index

from .helpers import IP, PHONE, leave_lead, make_programme


def test_share_code_carries_no_personal_data_and_decodes(world):
    p = make_programme(world)
    code = services.share_code(p.ambassador, p.rui, p.campaign)
    assert links.decode(code) == links.Link(p.ambassador.pk, p.rui.pk, p.campaign.pk)
    assert world.member_a.phone not in code and "张" not in code and len(code) <= 12
    assert links.decode("nonsense!") is None and links.decode(code + "x") is None


def test_registration_needs_the_terms_and_dealer_staff_cannot_register(world):
    with pytest.raises(ValidationError, match="同意"):
        services.register(world.member_b, accept_terms=False)
    p = make_programme(world)
    with pytest.raises(ValidationError, match="经销商销售顾问"):
        services.register(p.seller_sh, accept_terms=True)
    assert p.ambassador.unit == world.branch_a


def test_a_credited_lead_goes_to_the_consented_dealer_with_points_and_outbox(world):
    p = make_programme(world)
    lead = leave_lead(p)
    assert lead.status == Attribution.CREDITED and lead.credited_lead is None
    assert lead.dealer == p.shanghai == lead.consent_dealer and "上海浦东凯迪拉克中心" in lead.consent_text
    assert lead.phone == PHONE and lead.phone_index == blind_index(PHONE)
    assert Lead.objects.filter(phone_index=blind_index(PHONE)).count() == 1
    assert Outbound.objects.filter(lead=lead).exists()
    assert lead.contact_due_at is not None and lead.contact_due_at > lead.created_at
    from plaza.points.services import balance_of

    assert balance_of(world.member_a) == queries.programme().points_lead


def test_the_stored_phone_is_encrypted(world):
    p = make_programme(world)
    lead = leave_lead(p)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM ambassadors_lead WHERE id = %s", [lead.pk])
        raw = cursor.fetchone()[0]
    assert PHONE not in raw


def test_a_second_lead_for_the_phone_is_a_duplicate_of_the_first_whoever_shared_it(world):
    p = make_programme(world)
    first = leave_lead(p, "+86 138-0013-8000")
    other = services.register(world.member_b, accept_terms=True)
    target = queries.link_target(services.share_code(other, p.rui))
    cache_clear()
    second = leave_lead(p, PHONE, target=target)
    assert second.status == Attribution.DUPLICATE and second.credited_lead_id == first.pk
    assert not Outbound.objects.filter(lead=second).exists()  # merged: the dealer gets it once
    assert not queries.dealer_leads(p.seller_sh).filter(pk=second.pk).exists()


def test_after_the_protection_window_the_phone_is_credited_again(world):
    p = make_programme(world)
    first = leave_lead(p)
    Lead.objects.filter(pk=first.pk).update(created_at=clock.now() - timedelta(days=91))
    cache_clear()
    again = leave_lead(p)
    assert again.status == Attribution.CREDITED


def test_self_referral_is_refused(world):
    p = make_programme(world)
    with pytest.raises(ValidationError, match="不能推荐自己"):
        leave_lead(p, world.member_a.phone)
    assert not Lead.objects.exists()


def test_both_consents_are_required_and_the_dealer_consent_must_name_the_dealer(world):
    p = make_programme(world)
    with pytest.raises(ValidationError, match="联系您"):
        leave_lead(p, consent_contact=False)
    cache_clear()
    with pytest.raises(ValidationError, match="单独同意"):
        leave_lead(p, "13800138001", consent_dealer=None)
    cache_clear()
    with pytest.raises(ValidationError, match="单独同意"):
        leave_lead(p, "13800138002", consent_dealer=p.wuhan.pk)  # consent named another dealer
    assert not Lead.objects.exists()


def test_a_wrong_code_counts_attempts_and_five_spend_it(world):
    p = make_programme(world)
    services.send_code(PHONE, IP)
    right = sms.last_code(PHONE)
    wrong = "000000" if right != "000000" else "111111"
    for left in (4, 3, 2, 1, 0):
        with pytest.raises(ValidationError, match=f"还可以再试 {left} 次"):
            _submit(p, wrong)
    with pytest.raises(ValidationError, match="输错次数过多"):
        _submit(p, right)


def test_an_expired_code_is_refused(world):
    p = make_programme(world)
    services.send_code(PHONE, IP)
    PhoneCheck.objects.update(expires_at=clock.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError, match="已过期"):
        _submit(p, sms.last_code(PHONE))


def test_codes_are_limited_per_phone_and_resend_waits(world):
    services.send_code(PHONE, IP)
    with pytest.raises(ValidationError, match="秒后再获取"):
        services.send_code(PHONE, IP)
    cache_clear(keep_counters=True)
    for _ in range(4):
        services.send_code(PHONE, IP)
        cache_clear(keep_counters=True)
    with pytest.raises(ValidationError, match="过于频繁"):
        services.send_code(PHONE, IP)
    with pytest.raises(ValidationError, match="11 位"):
        services.send_code("12345", IP)


def test_many_leads_from_one_address_in_72_hours_are_flagged_and_earn_nothing(world):
    p = make_programme(world)
    leads = []
    for n in range(limits.FLAG_LEADS_PER_ADDRESS + 1):
        cache_clear()
        leads.append(leave_lead(p, f"1390000{n:04d}"))
    assert not any(lead.flagged for lead in leads[:-1]) and leads[-1].flagged
    assert "72 小时" in leads[-1].flag_reason
    assert queries.staff_leads(world.staff, flagged=True).count() == 1


def test_the_challenge_is_asked_after_repeated_failures(world, client):
    p = make_programme(world)
    for _ in range(3):
        limits.hit("fail_ip", "127.0.0.1")
    url = reverse("ambassadors:landing", args=[p.target.code])
    response = client.post(url, _landing_data(p, action="send"))
    assert response.status_code == 200 and "请计算" in response.content.decode()
    data = _landing_data(p, action="submit", code=sms.last_code(PHONE), consent_dealer=p.shanghai.pk)
    response = client.post(url, data)
    assert "计算题" in response.content.decode() and not Lead.objects.exists()


def test_the_landing_page_counts_distinct_visitors_and_takes_a_lead(world, client):
    p = make_programme(world)
    url = reverse("ambassadors:landing", args=[p.target.code])
    first = client.get(url)
    assert first.status_code == 200 and "凯迪拉克锐歌" in first.content.decode()
    assert "<script" not in first.content.decode().split("</head>")[1]  # no tracking script in the body
    client.get(url)
    assert Visit.objects.count() == 1
    response = client.post(url, _landing_data(p, action="send"))
    page = response.content.decode()
    assert "个人信息保护说明" in page and "上海浦东凯迪拉克中心" in page
    response = client.post(
        url, _landing_data(p, action="submit", code=sms.last_code(PHONE), consent_dealer=p.shanghai.pk)
    )
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    lead = Lead.objects.get()
    assert lead.visitor == client.cookies["amb_v"].value
    assert queries.summary_of(p.ambassador).retention == 1


def test_unknown_links_are_404(client, world):
    assert client.get(reverse("ambassadors:landing", args=["zzzzzz"])).status_code == 404


# ------------------------------------------------------------------------------------------------ helpers


def cache_clear(keep_counters: bool = False) -> None:
    from django.core.cache import cache

    if keep_counters:
        for key in list(cache._cache):  # type: ignore[attr-defined]
            if ":resend:" in key:
                cache.delete(key.split(":", 2)[-1])
        return
    cache.clear()


def _submit(p, code: str) -> Lead:  # noqa: ANN001
    return services.submit_lead(
        p.target,
        services.LeadForm(
            name="王先生",
            phone=PHONE,
            city="上海",
            product_id=p.rui.pk,
            dealer_id=None,
            call_time="",
            code=code,
            consent_contact=True,
            consent_dealer_id=p.shanghai.pk,
        ),
        ip=IP,
    )


def _landing_data(p, **extra) -> dict:  # noqa: ANN001
    data = {"name": "王先生", "phone": PHONE, "city": "上海", "product": p.rui.pk, "dealer": "", "call_time": "周末"}
    if extra.pop("consent_dealer", None):
        data["consent_dealer"] = str(p.shanghai.pk)
        data["consent_contact"] = "on"
    data.update(extra)
    return data
