"""Issue 11 item 12: a Content-Security-Policy on every response that keeps every page working, nothing personal
left in a cache, and the API docs self-hosted behind login."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from plaza.api.auth import issue_token
from plaza.recruitment.tests.helpers import someone_applied

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _policy(response) -> dict[str, list[str]]:  # noqa: ANN001
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/accounts/login/", "/healthz", "/api/v1/people", "/no-such-page/"])
def test_every_response_carries_the_policy_anonymous(client, db, path):
    policy = _policy(client.get(path))
    assert policy["script-src"][0] == "'self'" and "'unsafe-inline'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["default-src"] == ["'self'"]


def _static_client(settings) -> Client:  # noqa: ANN001
    """WhiteNoise serving from the finders, as in the embedded default (read when the middleware is built)."""
    settings.WHITENOISE_USE_FINDERS = True
    return Client()


def test_static_files_carry_the_policy_too(db, settings):
    response = _static_client(settings).get("/static/plaza/plaza.js")
    assert response.status_code == 200
    assert "script-src" in response["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/orgs/stats/", "/recruitment/stats/"])
def test_chart_pages_run_no_script_the_policy_refuses(world, client, path):
    """The chart pages' scripts come from /static/ or carry this response's nonce (their charts need none)."""
    someone_applied(world)  # a chart of nothing but zeros is not drawn: give the stages a figure
    client.force_login(world.staff)
    response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<svg class="chart-svg"' in page
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)([^>]*)>", page)
    if inline:
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        assert all(f'nonce="{nonce}"' in attributes for attributes in inline)


def test_no_template_relies_on_what_the_policy_forbids():
    """Inline handlers and javascript: URLs cannot carry a nonce: none may appear in any template, and every
    inline <script> (other than JSON data) must carry the nonce."""
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"\son[a-z]+\s*=", text), f"inline event handler in {template}"
        assert "javascript:" not in text, f"javascript: URL in {template}"
        for attributes in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", text):
            if "application/json" in attributes:
                continue
            assert "csp_nonce" in attributes, f"inline script without the nonce in {template}"


def test_signed_in_pages_and_json_are_not_stored(world, client):
    client.force_login(world.member_a)
    for path in ["/", "/accounts/me/", "/points/", "/api/v1/me"]:
        response = client.get(path)
        assert response.status_code == 200, path
        cache = response["Cache-Control"]
        assert "no-store" in cache and "private" in cache, path


def test_token_answers_are_not_stored(world, client):
    token = issue_token(world.member_a, "t")
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_static_files_stay_cacheable_for_a_signed_in_person(world, settings):
    client = _static_client(settings)
    client.force_login(world.member_a)
    response = client.get("/static/plaza/plaza.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_api_docs_are_behind_login_and_self_hosted(world, client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/api/v1/openapi.json").status_code == 401
    client.force_login(world.member_a)
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/vendor/swagger-ui-bundle.js" in page and "/static/vendor/swagger-ui.css" in page
    # no script or style from elsewhere: no address of another host (a CSRF token or nonce may hold the letters
    # "cdn" by chance: a bare substring check failed one run in about a thousand)
    assert "https://" not in page and "http://" not in page and not re.search(r"//[^\"'\s>]*cdn|jsdelivr|unpkg", page)
    assert client.get("/api/v1/openapi.json").json()["info"]["title"].startswith("Plaza")


def test_api_schema_for_a_token(world, client):
    token = issue_token(world.member_a, "t")
    assert client.get("/api/v1/openapi.json", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    response = client.get("/api/v1/openapi.json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and "/api/v1/people" in response.json()["paths"]
