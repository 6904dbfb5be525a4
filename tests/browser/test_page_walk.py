"""Every page of every demo role at 360 × 740 (issue 14): no page scrolls sideways, no text box is too narrow.

The demo enterprise is seeded (small), then for each demo login (password ``plaza-demo``) the walk starts at home,
the four sections, 我的, 设置 and the back office, and follows same-origin GET links two levels deep (bounded: at
most two addresses per path pattern, 160 pages per role; downloads, the Django admin, the API and sign-out are not
followed). Each page fails when:

- it answers 500 (a 4xx is noted only: a role may see a link it cannot open, that is the friendly 403's job);
- the document is wider than the window (``scrollWidth > innerWidth``), naming the widest elements;
- a visible text box (input, textarea, select) is narrower than two characters of its own font.

Screenshots of the ten most used pages (the ones plaza/core/tests/test_query_counts.py measures) are saved at
360 × 740 and 1280 × 800 into ``test-results/page-walk/`` (gitignored): artefacts to judge by eye, never compared.
"""

from __future__ import annotations

import re
import sqlite3
from io import StringIO
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import Error as PlaywrightError

from plaza.demo.accounts import DEMO_LOGINS, DEMO_PASSWORD

from .conftest import PHONE, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "test-results" / "page-walk"
DESKTOP = {"width": 1280, "height": 800}
START = ["/", "/s/learn/", "/s/work/", "/s/services/", "/s/interact/", "/accounts/me/", "/settings/", "/office/"]
DEPTH = 2
PER_PATTERN = 2
PER_ROLE = 160
SKIP = re.compile(
    r"^/(admin|api|static|media|accounts/logout)/|/(export|download|template|pdf|print|certificate)s?\b"
    r"|\.(xlsx|pdf|csv|zip)$"
    r"|/(revoke|delete|withdraw)/"
)
#: The ten most used pages and who looks at them (the article is found on the learning list).
MOST_USED = [
    ("home", "sj001", "/"),
    ("learning", "dy001", "/learning/"),
    ("article", "dy001", "article"),
    ("recruitment-board", "sj001", "/recruitment/"),
    ("my-meetings", "dy001", "/meetings/"),
    ("compliance", "zzb001", "/meetings/compliance/"),
    ("dues-roll", "sj001", "/dues/"),
    ("my-points", "dy001", "/points/"),
    ("mall", "yg001", "/points/mall/"),
    ("audit-log", "zzb001", "/office/audit/"),
]

# At 360 px: is the document wider than the window, what sticks out, and which text boxes are narrower than two
# characters. Elements inside a table's own scroll box (.table-scroll, table.data) may be wide: the box scrolls;
# so may what .visually-hidden clips (a chart's table for screen readers): nobody sees it.
MEASURE = """() => {
  const inner = window.innerWidth;
  const inScrollBox = e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
    const o = getComputedStyle(a).overflowX; if (o === "auto" || o === "scroll") return true; } return false; };
  const wide = [...document.querySelectorAll("body *")]
    .filter(e => !e.closest(".table-scroll, table.data, .visually-hidden") && !inScrollBox(e))
    .map(e => [e.getBoundingClientRect(), e]).filter(([box]) => box.width > 0 && box.height > 0)
    .map(([box, e]) => [box.right, e]).filter(([right]) => right > inner + 0.5)
    .sort((a, b) => b[0] - a[0]).slice(0, 4).map(([right, e]) => e.tagName.toLowerCase() +
      (e.id ? "#" + e.id : "") + (typeof e.className === "string" && e.className ? "." + e.className.trim()
      .replace(/\\s+/g, ".") : "") + " " + Math.round(right));
  const narrow = [...document.querySelectorAll(
      "input:not([type=checkbox]):not([type=radio]):not([type=hidden]):not([type=submit]):not([type=button])" +
      ":not([type=range]):not([type=color]):not([type=file]):not([type=image]), textarea, select")]
    .filter(e => e.offsetParent !== null)
    .map(e => [e, e.getBoundingClientRect().width, parseFloat(getComputedStyle(e).fontSize) || 16])
    .filter(([e, width, font]) => width < 2 * font)
    .map(([e, width]) => (e.name || e.id || e.tagName.toLowerCase()) + " " + Math.round(width) + "px");
  // Squeezed text: a number broken across lines, or a short word (a name, a label; no spaces, at most 12
  // characters) stacked on three lines or more, as in a column one character wide.
  const squeezed = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode()) && squeezed.length < 4;) {
    const text = node.textContent.trim();
    if (!text || text.length > 12 || /[\\s、，；。：]/.test(text)) continue;
    if (node.parentElement.closest("svg, script, style")) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size;
    const number = /^[-+¥￥]?\\d[\\d.,:%]*$/.test(text) && text.length >= 3;
    if ((number && lines > 1) || lines >= 3) squeezed.push(`"${text}" on ${lines} lines`);
  }
  return {scroll: document.documentElement.scrollWidth, inner, wide, narrow, squeezed};
}"""


def _pattern(path: str) -> str:
    """/learning/articles/12/ and /learning/articles/13/ are one page to check twice, not a hundred times."""
    return re.sub(r"/\d+(?=/|$)", "/#", path)


def _links(page, origin: str) -> list[str]:  # noqa: ANN001
    hrefs = page.eval_on_selector_all("a[href]:not([download]):not([target=_blank])", "links => links.map(a => a.href)")
    found = []
    for href in hrefs:
        url, _fragment = urldefrag(href)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != origin or SKIP.search(parts.path):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _walk(page, origin: str, role: str) -> tuple[list[str], list[str], dict[str, str]]:  # noqa: ANN001
    """Breadth first from START, two levels of links deep; returns problems, notes and the first article seen."""
    problems: list[str] = []
    notes: list[str] = []
    seen_patterns: dict[str, int] = {}
    visited: set[str] = set()
    found: dict[str, str] = {}
    level = list(START)
    for depth in range(DEPTH + 1):
        following: list[str] = []
        for path in level:
            pattern = _pattern(path.split("?")[0])
            if path in visited or seen_patterns.get(pattern, 0) >= PER_PATTERN or len(visited) >= PER_ROLE:
                continue
            visited.add(path)
            seen_patterns[pattern] = seen_patterns.get(pattern, 0) + 1
            try:
                response = page.goto(path)
            except PlaywrightError as error:  # a file download the pattern above did not foresee
                if "Download is starting" in str(error):
                    continue
                raise
            if response is None:
                continue
            if response.status >= 500:
                problems.append(f"{role} {path}: answered {response.status}")
                continue
            if response.status >= 400:
                notes.append(f"{role} {path}: {response.status}")
                continue
            if "text/html" not in response.headers.get("content-type", ""):
                continue
            measured = page.evaluate(MEASURE)
            if measured["scroll"] > measured["inner"]:
                problems.append(
                    f"{role} {path}: scrolls sideways ({measured['scroll']} px in {measured['inner']} px: "
                    f"{', '.join(measured['wide'])})"
                )
            elif measured["wide"]:  # clipped by an overflow: hidden box: cut off instead of scrolling
                problems.append(f"{role} {path}: cut off at the right: {', '.join(measured['wide'])}")
            if measured["squeezed"]:
                problems.append(f"{role} {path}: text squeezed into a narrow column: {measured['squeezed']}")
            if measured["narrow"]:
                problems.append(f"{role} {path}: text box narrower than two characters: {measured['narrow']}")
            if re.match(r"^/learning/articles/\d+/$", path):
                found.setdefault("article", path)
            if depth < DEPTH:
                following += _links(page, origin)
        level = following
    return problems, notes, found


#: The seeded demo database of this process (SQLite in memory), copied back for each role's test: seeding takes
#: longer than a role's walk, and each role signs in (a write), so a role must not see the previous one's session.
_SEEDED: dict[str, sqlite3.Connection] = {}


@pytest.fixture
def demo_enterprise(transactional_db):  # noqa: ANN001, ANN201
    """The demo enterprise, small (240 people in 4 branches), with every role's login: seeded once per process
    (on SQLite; elsewhere for each test), then the seeded database is copied in for each test."""
    connection.ensure_connection()
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        call_command("seed_demo", people=240, branches=4, seed=1, stdout=StringIO())
        return
    if "demo" not in _SEEDED:
        call_command("seed_demo", people=240, branches=4, seed=1, stdout=StringIO())
        _SEEDED["demo"] = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(_SEEDED["demo"])
    else:
        _SEEDED["demo"].backup(connection.connection)
        ContentType.objects.clear_cache()


#: One test per role, each an xdist group of its own: the nine walks spread over the workers (one took 137 s).
ROLES = [pytest.param(no, marks=pytest.mark.xdist_group(f"page-walk-{no}"), id=no) for no, _r, _d in DEMO_LOGINS]


@pytest.mark.parametrize("employee_no", ROLES)
def test_every_page_of_every_role_fits_a_360_px_phone(browser, live_server, demo_enterprise, employee_no):  # noqa: ANN001
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, locale="zh-CN")
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, employee_no, DEMO_PASSWORD)
        problems, notes, _found = _walk(page, live_server.url, employee_no)
    finally:
        context.close()
    print("\n".join(["pages answering 4xx (noted, not failed):", *notes]))  # noqa: T201
    assert not problems, "at 360 × 740:\n" + "\n".join(problems)


@pytest.mark.xdist_group("page-walk-screenshots")
def test_the_most_used_pages_are_photographed(browser, live_server, demo_enterprise):  # noqa: ANN001
    """Artefacts to judge by eye (never compared); the article is the first one on a member's learning list."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, locale="zh-CN")
    try:
        page = context.new_page()
        sign_in(page, "dy001", DEMO_PASSWORD)
        page.goto("/learning/")
        found = {}
        for path in _links(page, live_server.url):
            if re.match(r"^/learning/articles/\d+/$", path):
                found["article"] = path
                break
    finally:
        context.close()
    _screenshots(browser, live_server.url, found)
    assert {f"{name}-360x740.png" for name, _no, path in MOST_USED if path.startswith("/")} <= {
        shot.name for shot in RESULTS.glob("*.png")
    }


def _screenshots(browser, base_url: str, found: dict[str, str]) -> None:  # noqa: ANN001
    """The ten most used pages at both sizes, as artefacts in test-results/page-walk/."""
    contexts: dict[str, object] = {}
    try:
        for name, employee_no, path in MOST_USED:
            path = found.get(path, path)
            if not path.startswith("/"):
                continue
            if employee_no not in contexts:
                context = browser.new_context(viewport=PHONE, base_url=base_url, locale="zh-CN")
                page = context.new_page()
                sign_in(page, employee_no, DEMO_PASSWORD)
                contexts[employee_no] = page
            page = contexts[employee_no]
            for size, label in ((PHONE, "360x740"), (DESKTOP, "1280x800")):
                page.set_viewport_size(size)
                page.goto(path)
                page.screenshot(path=str(RESULTS / f"{name}-{label}.png"), full_page=True)
    finally:
        for page in contexts.values():
            page.context.close()
