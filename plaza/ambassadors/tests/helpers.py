"""A small 通星汇 for the tests: two products, a campaign, dealers in two cities with one sales person each,
and an ambassador (张建国 of 装调车间党支部)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from plaza.accounts.models import Person
from plaza.ambassadors import queries, services, sms
from plaza.ambassadors.models import Ambassador, Campaign, Dealer, Lead, Product
from plaza.testing.factories import PersonFactory

IP = "203.0.113.9"
PHONE = "13800138000"


@dataclass
class Programme:
    rui: Product
    e5: Product
    campaign: Campaign
    shanghai: Dealer
    wuhan: Dealer
    seller_sh: Person
    seller_wh: Person
    ambassador: Ambassador
    target: queries.Target


def make_programme(world) -> Programme:  # noqa: ANN001
    rui = services.save_product(
        world.staff,
        None,
        {
            "name": "凯迪拉克锐歌",
            "brand": "凯迪拉克",
            "tagline": "纯电豪华 SUV",
            "selling_points": "续航长\n智能座舱",
            "order": 1,
            "active": True,
        },
    )
    e5 = services.save_product(world.staff, None, {"name": "别克E5", "brand": "别克", "order": 2, "active": True})
    campaign = services.save_campaign(
        world.staff,
        None,
        {
            "name": "锐歌上市推广月",
            "products": [rui, e5],
            "starts_on": date(2020, 1, 1),
            "ends_on": date(2099, 12, 31),
            "active": True,
        },
    )
    shanghai = services.save_dealer(
        world.staff, None, {"name": "上海浦东凯迪拉克中心", "code": "SH01", "city": "上海", "active": True}
    )
    wuhan = services.save_dealer(
        world.staff, None, {"name": "武汉别克4S店", "code": "WH01", "city": "武汉", "active": True}
    )
    seller_sh = PersonFactory(employee_no="jxs001", name="上海销售")
    seller_wh = PersonFactory(employee_no="jxs002", name="武汉销售")
    services.add_dealer_staff(world.staff, shanghai, seller_sh)
    services.add_dealer_staff(world.staff, wuhan, seller_wh)
    ambassador = services.register(world.member_a, accept_terms=True, display_name="张师傅")
    target = queries.link_target(services.share_code(ambassador, rui, campaign))
    assert target is not None
    return Programme(rui, e5, campaign, shanghai, wuhan, seller_sh, seller_wh, ambassador, target)


def leave_lead(
    programme: Programme,
    phone: str = PHONE,
    *,
    target: queries.Target | None = None,
    city: str = "上海",
    ip: str = IP,
    consent_contact: bool = True,
    consent_dealer: int | None | str = "auto",
    code: str | None = None,
) -> Lead:
    """Ask for a code and leave a lead with it, as the landing page does; then the follow-ups the commit hands
    to the background (points, the first-contact reminder), as they run there."""
    target = target or programme.target
    services.send_code(phone, ip)
    dealer = queries.route(city, target.product)
    lead = services.submit_lead(
        target,
        services.LeadForm(
            name="王先生",
            phone=phone,
            city=city,
            product_id=target.product.pk,
            dealer_id=None,
            call_time="周末",
            code=sms.last_code(phone) if code is None else code,
            consent_contact=consent_contact,
            consent_dealer_id=dealer.pk if consent_dealer == "auto" and dealer else consent_dealer,  # type: ignore[arg-type]
        ),
        ip=ip,
        visitor="v" * 32,
    )
    services.follow_up_leads()
    return lead
