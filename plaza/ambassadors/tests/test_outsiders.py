"""A dealer's sales staff (an outsider, like the demo's jxs001) see their dealer's leads and nothing else of the
enterprise: home and the tab bar show only their function, every other page answers 403 on the friendly page."""

from __future__ import annotations

from django.test import Client
from django.urls import NoReverseMatch, reverse

from plaza.accounts.services import issue_token
from plaza.ambassadors import services
from plaza.ambassadors.models import DealerStaff
from plaza.lib.sections import COMMON_PREFIXES, SECTIONS, registered

from .helpers import leave_lead, make_programme

#: Pages of the enterprise's own, beyond the registered functions (sections, the back office, people, the tree).
OTHER_PAGES = ["/office/", "/orgs/", "/local-rules/", "/office/audit/", "/ambassadors/", "/ambassadors/rankings/"]


def _enterprise_pages() -> list[str]:
    pages = {f"/s/{key}/" for key in SECTIONS} | set(OTHER_PAGES)
    for function in registered():
        try:
            url = function.url
        except NoReverseMatch:
            continue
        # theirs, home and everyone's own pages (a test elsewhere may register a function pointing at home)
        if url != "/" and not url.startswith(("/ambassadors/dealer/", *COMMON_PREFIXES)):
            pages.add(url)
    return sorted(pages)


def test_dealer_staff_see_only_their_function_at_home_and_in_the_tab_bar(world, login):
    p = make_programme(world)
    leave_lead(p)
    client = login(p.seller_sh)
    home = client.get("/").content.decode()
    assert "经销商线索" in home and reverse("ambassadors:dealer") in home
    for other in ("阅读豆", "党费", "组织生活", "通星汇排行榜", "E线声音", "积分超市"):
        assert other not in home, other
    tabs = home.split('class="tabbar"')[1]
    assert 'data-section="interact"' in tabs
    assert not any(f'data-section="{key}"' in tabs for key in ("learn", "work", "services"))
    assert client.get(reverse("ambassadors:dealer")).status_code == 200
    assert client.get(reverse("ambassadors:landing", args=[p.target.code])).status_code == 200  # public anyway
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert client.get(reverse("notify:inbox")).status_code == 200


def test_every_enterprise_page_is_refused_to_dealer_staff_with_the_reason(world, login):
    p = make_programme(world)
    client = login(p.seller_sh)
    pages = _enterprise_pages()
    assert len(pages) > 30  # the walk covers the registry, not a hand-picked few
    for path in pages:
        answer = client.get(path)
        assert answer.status_code == 403, path
        page = answer.content.decode()
        assert 'data-testid="error-403"' in page and "经销商线索跟进" in page, path
        assert 'data-section="learn"' not in page, path


def test_dealer_staff_reach_their_own_api_but_no_other(world, login):
    p = make_programme(world)
    leave_lead(p)
    client = login(p.seller_sh)
    own = client.get("/api/v1/ambassadors/dealer/leads")
    assert own.status_code == 200 and len(own.json()["items"] if isinstance(own.json(), dict) else own.json()) == 1
    other = client.get("/api/v1/ambassadors/rankings")
    assert other.status_code == 403 and "经销商线索跟进" in other.json()["detail"]


def test_employees_are_not_limited(world, login):
    p = make_programme(world)
    client = login(world.member_a)
    home = client.get("/").content.decode()
    assert 'data-section="learn"' in home
    assert client.get(reverse("ambassadors:rankings")).status_code == 200
    assert client.get(reverse("ambassadors:dealer")).status_code == 403  # not a dealer's: the page's own check
    assert p.ambassador.person == world.member_a


def test_a_dealers_api_token_opens_their_own_api_only(world):
    p = make_programme(world)
    leave_lead(p)
    token = issue_token(p.seller_sh, "CRM")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get("/api/v1/ambassadors/dealer/leads").status_code == 200
    refused = client.get("/api/v1/ambassadors/rankings")
    assert refused.status_code == 403 and "经销商线索跟进" in refused.json()["detail"]
    employee = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(world.member_a, 'app')}")
    assert employee.get("/api/v1/ambassadors/rankings").status_code == 200


def test_someone_made_dealer_staff_while_signed_in_is_limited_on_the_next_page(world, login, committed):
    p = make_programme(world)
    client = login(world.employee)
    assert client.get("/learning/").status_code == 200
    with committed():
        services.add_dealer_staff(world.staff, p.shanghai, world.employee)
    assert client.get("/learning/").status_code == 403
    assert client.get(reverse("ambassadors:dealer")).status_code == 200


def test_a_removed_dealer_staff_stays_outside_the_enterprise(world, login, committed):
    p = make_programme(world)
    with committed():
        services.remove_dealer_staff(world.staff, DealerStaff.objects.get(person=p.seller_sh))
    client = login(p.seller_sh)
    assert client.get("/learning/").status_code == 403
    assert client.get(reverse("ambassadors:dealer")).status_code == 403  # no dealer any more: the page's own check
    assert 'data-section="learn"' not in client.get("/").content.decode()
