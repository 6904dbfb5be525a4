"""Issue 21: scripts only where they are used, hashed and compressed static files, compressed pages, and the
accessible names and order the pages promise (the browser tests check the rest with axe-core)."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils.functional import empty

from plaza.notify.models import Notification
from plaza.recruitment.tests.helpers import someone_applied

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
STATIC = Path(__file__).resolve().parents[2] / "static"
HASHED = {"BACKEND": "plaza.core.staticfiles.HashedStaticFilesStorage"}


def _extends_base(text: str) -> bool:
    return text.lstrip().startswith('{% extends "base.html" %}')


def _with_includes(text: str, depth: int = 3) -> str:
    """The template's text with the partials it includes (``{% include "x.html" %}``) appended, a few levels deep:
    a page whose like button lives in a partial uses htmx as much as one that writes it inline."""
    if depth == 0:
        return text
    parts = [text]
    for name in re.findall(r'{%\s*include\s+"([^"]+)"', text):
        path = TEMPLATES / name
        if path.exists() and name != "_htmx.html":
            parts.append(_with_includes(path.read_text(), depth - 1))
    return "\n".join(parts)


def test_htmx_is_loaded_only_by_pages_that_use_it():
    """base.html no longer loads htmx; every page with hx- attributes fills {% block htmx %}, and a page
    without them does not (it would cost a member 17 KB for nothing)."""
    base = (TEMPLATES / "base.html").read_text()
    assert "htmx.min.js" not in base and "{% block htmx %}" in base
    using = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        if template.name == "base.html" or not _extends_base(text):
            continue
        uses = bool(re.search(r"\shx-(get|post|put|patch|delete|trigger|target|swap|boost)\b", _with_includes(text)))
        fills = '{% block htmx %}{% include "_htmx.html" %}{% endblock %}' in text
        assert uses == fills, f"{template.relative_to(TEMPLATES)}: uses htmx={uses}, loads it={fills}"
        using.append(template)
    assert len(using) >= 5


def test_home_page_loads_no_htmx_and_no_echarts(world, client):
    client.force_login(world.member_a)
    page = client.get("/").content.decode()
    assert "htmx" not in page.split("<body", 1)[0] and "echarts" not in page


def test_the_roster_loads_htmx(world, client):
    client.force_login(world.staff)
    assert "vendor/htmx.min.js" in client.get("/orgs/people/").content.decode()


@pytest.mark.parametrize("path", ["/orgs/stats/", "/recruitment/stats/"])
def test_chart_pages_come_with_their_charts_drawn_and_load_no_chart_script(world, client, path):
    """Issue 21: a statistics page's charts are SVG in the page itself; no ECharts (125 KB and more on a weak
    signal) and no script to draw them."""
    someone_applied(world)  # a chart of nothing but zeros is not drawn: give the stages a figure
    client.force_login(world.staff)
    page = client.get(path).content.decode()
    assert "echarts" not in page and "charts.js" not in page
    assert re.search(
        r'<figure class="chart" data-chart="[\w-]+" data-drawn[^>]*>\s*(<ul[^>]*>.*?</ul>\s*)?<svg', page, re.S
    )
    assert '<text class="chart-figure"' in page


def test_pages_are_compressed_and_padded_against_breach(world, client):
    """GZipMiddleware compresses pages for a browser that accepts gzip, with Django's random padding."""
    client.force_login(world.staff)
    plain = client.get("/orgs/people/")
    sizes = set()
    for _ in range(6):
        response = client.get("/orgs/people/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert gzip.decompress(response.content).count(b"<tr") == plain.content.count(b"<tr")
        sizes.add(len(response.content))
    assert len(response.content) < len(plain.content) / 2
    assert len(sizes) > 1  # "Heal the Breach": the length varies from answer to answer


def test_collectstatic_writes_hashed_compressed_files_cached_for_a_year(tmp_path, db):
    """The embedded default's and production's storage: hashed names with .gz and .br; WhiteNoise serves the
    hashed name immutable for a year and the compressed copy the browser accepts."""
    with override_settings(STORAGES={"staticfiles": HASHED}, STATIC_ROOT=tmp_path, STATICFILES_DIRS=[STATIC]):
        call_command("collectstatic", "--noinput", verbosity=0)
        css = sorted(p.name for p in (tmp_path / "plaza").glob("plaza.*.css*"))
        assert any(re.fullmatch(r"plaza\.[0-9a-f]{12}\.css", n) for n in css)
        assert any(n.endswith(".css.gz") for n in css) and any(n.endswith(".css.br") for n in css)
        from django.contrib.staticfiles.storage import staticfiles_storage

        staticfiles_storage._wrapped = empty  # the storage object is cached; read the new manifest
        try:
            url = staticfiles_storage.url("plaza/plaza.css")
            assert re.fullmatch(r"/static/plaza/plaza\.[0-9a-f]{12}\.css", url)
            response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip, br")
            assert response.status_code == 200
            assert response["Content-Encoding"] == "br"
            assert "max-age=315360000" in response["Cache-Control"] and "immutable" in response["Cache-Control"]
            unhashed = Client().get("/static/plaza/plaza.css")
            assert "immutable" not in unhashed["Cache-Control"]
        finally:
            staticfiles_storage._wrapped = empty


def test_a_missing_manifest_links_the_file_unhashed_instead_of_failing(tmp_path):
    """Without collectstatic (a development server started by hand) pages still render."""
    with override_settings(STORAGES={"staticfiles": HASHED}, STATIC_ROOT=tmp_path):
        from django.contrib.staticfiles.storage import staticfiles_storage

        staticfiles_storage._wrapped = empty
        try:
            assert staticfiles_storage.url("plaza/plaza.css") == "/static/plaza/plaza.css"
        finally:
            staticfiles_storage._wrapped = empty


def test_the_bell_says_how_many_are_unread(world, client):
    client.force_login(world.member_a)
    page = client.get("/").content.decode()
    assert 'aria-label="消息"' in page
    for i in range(3):
        Notification.objects.create(recipient=world.member_a, title=f"通知{i}")
    page = client.get("/").content.decode()
    assert 'aria-label="消息，3 条未读"' in page


def test_no_link_goes_nowhere(world, client):
    """A to-do or message without a link of its own leads to its list, never to href="#"."""
    from plaza.notify.models import Task

    Task.objects.create(assignee=world.member_a, title="无链接的待办")
    Notification.objects.create(recipient=world.member_a, title="无链接的消息")
    client.force_login(world.member_a)
    page = client.get("/").content.decode()
    assert "无链接的待办" in page and "无链接的消息" in page
    assert 'href="#"' not in page
    for template in TEMPLATES.rglob("*.html"):
        assert "default:'#'" not in template.read_text() and 'href="#"' not in template.read_text(), template


def test_the_assistants_question_box_comes_before_the_conversation(world, client):
    client.force_login(world.member_a)
    page = client.get("/assistant/").content.decode()
    assert page.index('name="text"') < page.index('data-testid="conversation"')


def test_the_audit_filter_has_labels(world, client):
    client.force_login(world.admin)
    response = client.get("/office/audit/")
    assert response.status_code == 200
    for control in re.findall(r"<(?:select|input)(?![^>]*type=\"(?:hidden|submit)\")[^>]*>", response.content.decode()):
        assert "aria-label=" in control or "id=" in control, control


def test_stylesheet_has_no_minimum_width_and_sizes_text_in_rem():
    css = (STATIC / "plaza" / "plaza.css").read_text()
    assert "min-width: 320px" not in css and "scroll-padding-bottom" in css
    assert not re.search(r"font-size:\s*\d+px", css), "font sizes in rem so they follow the phone's setting"
    assert "--muted: #6b7280" not in css  # 4.39:1 on the tags' grey, under 4.5:1


def test_a_page_names_its_style_sheet_and_script_for_preloading_and_a_fragment_does_not(world, client):
    """Issue 21: the browser may ask for them as soon as the page arrives, before it parses the page."""
    client.force_login(world.member_a)
    response = client.get("/")
    page = response.content.decode()
    css, js = re.search(r'<link rel="stylesheet" href="([^"]+)"', page)[1], re.search(r'<script src="([^"]+)"', page)[1]
    assert response["Link"] == f"<{css}>; rel=preload; as=style, <{js}>; rel=preload; as=script"
    # an htmx fragment and a non-page answer carry no preload
    assert "Link" not in client.get("/", headers={"HX-Request": "true"})
    assert "Link" not in client.get("/healthz")
