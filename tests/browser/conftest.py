"""Playwright (Python) driving Debian's chromium against pytest-django's live server. Never downloads a browser."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

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


# Every page a test visits is checked (issue 21): axe-core (npm, served by the live server from /static/vendor/,
# so the Content-Security-Policy lets it in) finds no critical or serious violation, and at 200 % zoom (a 360 px
# phone is then 180 CSS px wide) nothing scrolls sideways. The test's tabs only note the addresses they load; when
# the test is over each address is opened again in a tab of its own, in the same signed-in context, and checked
# there, so the checks never race the test's own clicks. Problems fail the test, naming the page.
AXE_URL = "/static/vendor/axe.min.js"
PHONE = {"width": 360, "height": 740}
ZOOMED = {"width": 180, "height": 740}
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter(v => v.impact === "critical" || v.impact === "serious").map(v =>
    `${v.impact} ${v.id}: ${v.help} — ` + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
}"""
SIDEWAYS = """() => {
  const inner = window.innerWidth;
  const wide = [...document.querySelectorAll("body *")].filter(e => !e.closest("table.data, .table-scroll"))
    .map(e => [e.getBoundingClientRect().right, e]).filter(([right]) => right > inner - 0.5)
    .sort((a, b) => b[0] - a[0]).slice(0, 3).map(([right, e]) => e.tagName.toLowerCase() +
      (e.className && typeof e.className === "string" ? "." + e.className : "") + " " + Math.round(right));
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode()) && wide.length < 6;) {
    const range = document.createRange();
    range.selectNodeContents(node);
    const right = range.getBoundingClientRect().right;
    if (right > inner + 0.5 && !node.parentElement.closest("table.data, .table-scroll"))
      wide.push(`text "${node.textContent.trim().slice(0, 20)}" in ` +
        `${node.parentElement.tagName.toLowerCase()} ${Math.round(right)}`);
  }
  return [document.documentElement.scrollWidth, inner, wide];
}"""


def wait_for_image(page, selector: str, timeout: float = 30.0) -> None:  # noqa: ANN001
    """Wait until the image at ``selector`` has loaded (a broken one never gets a width).

    Not ``page.wait_for_function``: its polling evaluates the predicate in the page, which the
    Content-Security-Policy (no 'unsafe-eval') refuses as soon as the first check is false. Each check here is
    one ``evaluate`` from the driver, which the policy does not govern."""
    deadline = time.monotonic() + timeout
    image = page.locator(selector).first
    while not image.evaluate("i => i.complete && i.naturalWidth > 0"):
        if time.monotonic() > deadline:
            raise AssertionError(f"the image {selector} did not load within {timeout:.0f} s")
        page.wait_for_timeout(100)


#: The pages this test process has already checked, by who was signed in and the address (path and the names of
#: its query parameters): the sign-in page and each role's home are loaded by nearly every test, and one check of
#: each per role and process is enough (issue 13: the checks were 278 pages of which 109 distinct). A page whose
#: address names another object (another id) is another page and is checked again.
_CHECKED: set[tuple[str, str]] = set()
#: Who each open browser context signed in as (:func:`sign_in`), by the context's id.
_SIGNED_IN: dict[int, str] = {}


def _checked_key(context, url: str) -> tuple[str, str]:  # noqa: ANN001
    parts = urlsplit(url)
    who = _SIGNED_IN.get(id(context)) or "session:" + ",".join(
        sorted(c["value"] for c in context.cookies() if c["name"] == "sessionid")
    )
    return who, parts.path + "?" + ",".join(sorted(parse_qs(parts.query)))


def check_pages(context, urls: list[str]) -> list[str]:  # noqa: ANN001
    """axe-core at 360 × 740 and the sideways check at 180 px on each address, in a fresh tab of ``context``
    (once per address and signed-in person in this test process, see :data:`_CHECKED`)."""
    problems = []
    page = context.new_page()
    try:
        for url in dict.fromkeys(urls):
            if "/static/" in url or "/api/" in url or "/media/" in url or not url.startswith("http"):
                continue
            key = _checked_key(context, url)
            if key in _CHECKED:
                continue
            _CHECKED.add(key)
            page.set_viewport_size(PHONE)
            response = page.goto(url)
            if response is None or not response.ok or "text/html" not in response.headers.get("content-type", ""):
                continue
            if not page.evaluate("() => !!window.axe"):
                page.add_script_tag(url=AXE_URL)
            problems += [f"{url}: {violation}" for violation in page.evaluate(AXE_RUN)]
            page.set_viewport_size(ZOOMED)
            width, inner, wide = page.evaluate(SIDEWAYS)
            if width > inner:
                problems.append(f"{url}: scrolls sideways at 200 % zoom ({width} px in {inner} px: {wide})")
    finally:
        page.close()
    return problems


def watch(page, visited: list[str]) -> None:  # noqa: ANN001
    """Note every address this tab loads, for check_pages at the end of the test."""
    page.on("load", lambda loaded: visited.append(loaded.url))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser(built_assets: None) -> Iterator[object]:  # pages need htmx, ECharts and Quill from build/vendor
    """Chromium for one module's tests. Not for the whole session: Playwright's sync API keeps an event loop
    running in this thread while it is started, and a later test of the same worker that runs asyncio itself (the
    ASGI server, websockets, the landing's fast path) would find it and fail."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Debian chromium not found at {CHROMIUM}: scripts/test.sh installs it with apt")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Chromium runs on the real clock even when the suite runs under libfaketime (LD_PRELOAD), which is how
        # the date-dependent tests are tried at a chosen moment (31 December 23:57 China time, a Friday night).
        real_clock = {key: value for key, value in os.environ.items() if key not in ("LD_PRELOAD", "FAKETIME")}
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=real_clock)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):  # noqa: ANN001, ANN201
    """A phone-sized page (360 × 740) in a fresh context, with the live server as base URL."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    visited: list[str] = []
    watch(page, visited)
    yield page
    problems = check_pages(context, visited)
    _SIGNED_IN.pop(id(context), None)
    context.close()
    assert not problems, "accessibility:\n" + "\n".join(dict.fromkeys(problems))


def sign_in(page, employee_no: str, password: str) -> None:  # noqa: ANN001
    page.goto("/accounts/login/")
    page.fill("#id_username", employee_no)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    _SIGNED_IN[id(page.context)] = employee_no


@pytest.fixture
def phone(browser, live_server):  # noqa: ANN001, ANN201
    """``phone(person)``: a phone-sized page of its own, signed in as that person (test password); every
    page opened this way is closed at the end of the test."""
    from plaza.testing.factories import PASSWORD

    contexts = []
    visited: dict[object, list[str]] = {}

    def open_as(person):  # noqa: ANN001, ANN202
        context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server.url)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        visited[context] = []
        watch(page, visited[context])
        sign_in(page, person.employee_no, PASSWORD)
        return page

    yield open_as
    problems: list[str] = []
    for context in contexts:
        problems += check_pages(context, visited[context])
        _SIGNED_IN.pop(id(context), None)
        context.close()
    assert not problems, "accessibility:\n" + "\n".join(dict.fromkeys(problems))
