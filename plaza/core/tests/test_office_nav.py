"""Issue 14, a desktop back office: a staff page carries the side navigation by domain (CSS shows it at
≥ 1024 px in place of the tab bar), listing only what the viewer may open; a member's pages and a staff
member's own (personal) pages have none."""

import re

from django.test import RequestFactory
from django.urls import reverse

from plaza.core.office_nav import is_office_page
from plaza.lib.sections import office_functions
from plaza.orgs.permissions import Cap, can
from plaza.orgs.queries import office_links


def _nav(html: str) -> str:
    found = re.search(r'<nav class="side-nav"[^>]*>(.*?)</nav>', html, re.S)
    return found.group(1) if found else ""


def _expected(person) -> set[str]:  # noqa: ANN001
    request = RequestFactory().get("/office/")
    request.user = person
    urls = {f.url for f in office_functions(person)} | {reverse(name) for name, _t, _s in office_links(request)}
    if can(person, Cap.MANAGE_ORGS):
        urls.add(reverse("localrules:mine"))
    return urls | {"/", "/office/", reverse("accounts:profile")}


def test_staff_pages_list_only_what_the_viewer_may_open(world, login):
    client = login(world.staff)  # the 党委's 组织部, like zzb001
    for url in ("/office/", "/recruitment/", "/dues/", f"/dues/org/{world.branch_a.pk}/"):
        html = client.get(url).content.decode()
        nav = _nav(html)
        assert nav, url
        assert "has-side-nav" in html
        links = set(re.findall(r'<a href="([^"]+)"', nav))
        assert links == _expected(world.staff), url
        assert {"党务", "系统"} <= set(re.findall(r"<h2>([^<]+)</h2>", nav))
    assert "党员发展" in nav and "党费收缴" in nav
    current = re.findall(r'<a href="([^"]+)" aria-current="page"', _nav(client.get("/dues/").content.decode()))
    assert current == ["/dues/"]


def test_a_branch_secretary_sees_less_than_the_committee(world, login):
    secretary = _nav(login(world.secretary_a).get(f"/meetings/org/{world.branch_a.pk}/").content.decode())
    links = set(re.findall(r'<a href="([^"]+)"', secretary))
    assert links == _expected(world.secretary_a)
    assert links < _expected(world.staff)  # a branch secretary: no audit log, no import, no learning office
    assert reverse("audit:list") not in links and reverse("orgs:import") not in links


def test_members_pages_have_no_side_nav(world, login):
    member = login(world.member_a)
    for url in ("/", "/dues/mine/", "/learning/", "/elections/mine/"):
        html = member.get(url).content.decode()
        assert 'data-testid="side-nav"' not in html and "has-side-nav" not in html, url
    staff = login(world.staff)
    assert 'data-testid="side-nav"' not in staff.get("/dues/mine/").content.decode()  # their own dues: personal


def test_which_paths_are_staff_pages():
    assert is_office_page("/office/") and is_office_page("/recruitment/") and is_office_page("/dues/org/3/")
    assert is_office_page("/office/audit/") and is_office_page("/learning/office/articles/")
    assert not is_office_page("/") and not is_office_page("/dues/mine/") and not is_office_page("/recruitment/apply/")
    assert not is_office_page("/learning/") and not is_office_page("/elections/mine/")
    assert (
        is_office_page("/meetings/org/3/") and not is_office_page("/meetings/") and not is_office_page("/meetings/7/")
    )
    # staff pages under a personal function's address: the 评议 summaries and a campaign's staff steps, the League's
    # books, the 先锋行动 statistics; the member's own pages beside them stay phone pages
    for staff_page in (
        "/evaluation/report/",
        "/evaluation/stats/",
        "/evaluation/4/decide/",
        "/evaluation/4/report/",
        "/league/roster/",
        "/league/compliance/",
        "/vanguard/stats/",
    ):
        assert is_office_page(staff_page), staff_page
    for own_page in ("/evaluation/", "/evaluation/4/sheet/", "/evaluation/4/self/", "/league/"):
        assert not is_office_page(own_page), own_page
