"""Playwright (Python) driving Debian's chromium against pytest-django's live server. Never downloads a browser."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls our fixtures make are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("PLAZA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Debian chromium not found at {CHROMIUM}: scripts/test.sh installs it with apt")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):  # noqa: ANN001, ANN201
    """A phone-sized page (360 × 740) in a fresh context, with the live server as base URL."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def sign_in(page, employee_no: str, password: str) -> None:  # noqa: ANN001
    page.goto("/accounts/login/")
    page.fill("#id_username", employee_no)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


@pytest.fixture
def phone(browser, live_server):  # noqa: ANN001, ANN201
    """``phone(person)``: a phone-sized page of its own, signed in as that person (test password); every
    page opened this way is closed at the end of the test."""
    from plaza.testing.factories import PASSWORD

    contexts = []

    def open_as(person):  # noqa: ANN001, ANN202
        context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server.url)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        sign_in(page, person.employee_no, PASSWORD)
        return page

    yield open_as
    for context in contexts:
        context.close()
