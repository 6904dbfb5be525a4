"""Each page's <title> names the page, then the site (WCAG 2.4.2): what a tab, the history and a screen reader
announce. The title is the page's own heading (base.html's ``page_title``), not the site name on every page."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.utils.html import strip_tags

SITE = "党群服务广场"


def _title_and_heading(html: str) -> tuple[str, str]:
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert title and heading
    return unescape(title.group(1)).strip(), " ".join(unescape(strip_tags(heading.group(1))).split())


@pytest.mark.parametrize("path", ["/learning/", "/meetings/", "/points/", "/quiz/daily/", "/settings/"])
def test_a_page_is_titled_by_its_heading_then_the_site(client, world, path):
    client.force_login(world.member_a)
    title, heading = _title_and_heading(client.get(path).content.decode())
    assert heading and heading != SITE
    assert title == f"{heading} · {SITE}"


def test_home_is_titled_by_the_site_alone(client, world):
    client.force_login(world.member_a)
    title, _heading = _title_and_heading(client.get("/").content.decode())
    assert title == SITE
