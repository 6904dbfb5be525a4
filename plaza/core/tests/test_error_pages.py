"""Friendly error pages (issue 14): 403, 404, 500 and a CSRF failure in Plaza's layout, in the reader's language,
with the way back. DEBUG is False here as in production (Django's debug pages would hide ours)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.template import Context, engines
from django.test import Client, override_settings
from django.urls import path

from plaza import urls as plaza_urls


def _boom(request):  # noqa: ANN001, ANN202
    raise RuntimeError("a bug")


def _refuse(request):  # noqa: ANN001, ANN202
    raise PermissionDenied("只有组织部工作人员可以查看。")


urlpatterns = [
    path("h13-boom/", _boom),
    path("h13-refuse/", _refuse),
    *plaza_urls.urlpatterns,
]


@pytest.fixture(autouse=True)
def _production_like(settings):  # noqa: ANN001, ANN202
    settings.DEBUG = False


def test_member_opening_a_staff_page_gets_the_friendly_403(world, client):
    client.force_login(world.employee)
    response = client.get("/office/audit/")
    body = response.content.decode()
    assert response.status_code == 403
    assert 'data-testid="error-403"' in body and "您没有打开这个页面的权限" in body
    assert "Forbidden" not in body
    assert 'class="tabbar"' in body  # Plaza's layout, with its navigation
    assert 'action="/accounts/logout/"' in body and 'method="post"' in body  # log in as someone else
    assert "csrfmiddlewaretoken" in body


@override_settings(ROOT_URLCONF=__name__)
def test_permission_denied_raised_anywhere_shows_its_reason(world, client):
    client.force_login(world.employee)
    response = client.get("/h13-refuse/")
    assert response.status_code == 403
    assert "只有组织部工作人员可以查看。" in response.content.decode()


def test_403_in_the_readers_language(world, client):
    world.employee.language = "en"
    world.employee.save(update_fields=["language"])
    client.force_login(world.employee)
    response = client.get("/office/audit/")
    assert response.status_code == 403
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()


def test_unknown_address_gets_the_friendly_404(world, client):
    client.force_login(world.employee)
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert 'data-testid="error-404"' in body and "找不到您要打开的页面" in body
    assert "Not Found" not in body and 'href="/"' in body


def test_404_for_a_visitor_offers_login_not_logout(db, client):
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert 'href="/accounts/login/"' in body and "/accounts/logout/" not in body


@override_settings(ROOT_URLCONF=__name__)
def test_a_bug_gets_the_friendly_500(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.employee)
    response = client.get("/h13-boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert 'data-testid="error-500"' in body and "系统处理您的请求时出错了" in body
    assert "Server Error" not in body


def test_500_renders_without_request_context_or_database():
    """Django renders 500.html with an empty Context: nothing in it may need the request, a user or the DB
    (no ``db`` fixture here: pytest-django fails any query)."""
    template = engines["django"].engine.get_template("500.html")
    body = template.render(Context({}))
    assert "系统处理您的请求时出错了" in body and 'href="/"' in body


def test_csrf_failure_is_explained_with_the_way_back(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.employee)
    response = client.post("/accounts/me/language/", {"language": "en"})
    body = response.content.decode()
    assert response.status_code == 403
    assert 'data-testid="error-csrf"' in body and "页面已过期" in body
    assert "CSRF verification failed" not in body
    assert 'action="/accounts/logout/"' in body
