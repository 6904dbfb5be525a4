"""A branch secretary and an employee sign in on a phone-sized screen and walk the four sections."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from plaza.testing.factories import PASSWORD

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SECTIONS = ["学习", "党务", "服务", "互动"]


def _walk_sections(page) -> dict[str, list[str]]:  # noqa: ANN001
    seen = {}
    for label in SECTIONS:
        page.locator("nav.tabbar a", has_text=label).click()
        page.wait_for_selector("main .card")
        assert page.locator("header h1").inner_text() == label
        tiles = page.locator("main a.tile")  # personal and 工作台 tiles (issue 14 groups them)
        seen[label] = [t.strip() for t in tiles.all_inner_texts()]
        # Every function shown must open a working page (no dead links).
        for index in range(tiles.count()):
            href = tiles.nth(index).get_attribute("href")
            response = page.request.get(href)
            assert response.status == 200, f"{label}: {href} answered {response.status}"
    return seen


def test_branch_secretary_walks_the_sections_and_sees_only_own_branch(page, world):
    sign_in(page, world.secretary_a.employee_no, PASSWORD)
    assert "刘昭涛" in page.locator(".hero").inner_text()
    seen = _walk_sections(page)
    assert any("花名册" in t for t in seen["党务"])

    page.locator("nav.tabbar a", has_text="党务").click()
    page.locator("a.tile", has_text="人员花名册").click()
    page.wait_for_load_state("load")  # htmx (deferred) has bound the search box: typing before that sends nothing
    roster = page.locator("[data-testid=roster]")
    assert "张建国" in roster.inner_text()
    assert "李红梅" not in page.content()  # branch B
    page.fill("input[name=q]", "陈")
    # expect() rather than wait_for_function(): the page's Content-Security-Policy forbids the eval that uses.
    expect(page.locator("[data-testid=roster]")).not_to_contain_text("张建国")
    assert "陈晓" in page.locator("[data-testid=roster]").inner_text()

    page.locator("[data-testid=roster] a", has_text="陈晓").click()
    page.wait_for_url(re.compile(r"/orgs/people/\d+/$"))  # content() while the page is changing is empty
    assert "3101" in page.content() and "*" in page.content()
    page.fill("input[name=purpose]", "政治审查")
    page.click("text=查看完整信息")
    page.wait_for_selector("[data-testid=revealed]")
    assert world.activist_a.id_card in page.locator("[data-testid=revealed]").inner_text()


def test_employee_walks_the_sections_without_officer_functions(page, world):
    sign_in(page, world.employee.employee_no, PASSWORD)
    seen = _walk_sections(page)
    assert not any("花名册" in t for t in seen["党务"])
    page.goto("/orgs/people/")
    assert "403" in page.title() or page.locator("body").inner_text().strip() != ""
    response = page.request.get("/orgs/people/")
    assert response.status == 403


def test_bad_login_is_explained(page, world):
    page.goto("/accounts/login/")
    page.fill("#id_username", world.employee.employee_no)
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    assert "工号或密码不正确" in page.locator("[role=alert]").inner_text()
