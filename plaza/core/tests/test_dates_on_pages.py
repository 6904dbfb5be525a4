"""Dates in the reader's format on every page (issue 14 "dates in Chinese format in Chinese").

The demo enterprise is seeded once for the module; for each demo login the walk starts at home, the four
sections, 我的, 设置 and the back office and follows the same-origin links two levels deep (one address per path
pattern; downloads, the admin, the API and sign-out are not followed), as the 360 px page walk does
(tests/browser/test_page_walk.py) but with the test client. Every page's visible text (not attribute values: an
``<input type=date>`` keeps its ISO value) is searched for dates that are not the reader's format:

- on a Chinese page: ISO days and months (2026-12-07, 2026-12), slashes (2026/12/07), English month or weekday
  names (Dec. 7, Monday) and a.m./p.m.;
- on an English page (two roles walked in English): Chinese dates (2026年12月7日, 12月7日) and ISO days.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, TestCase

from plaza.accounts.models import Person
from plaza.demo.accounts import DEMO_LOGINS

START = ["/", "/s/learn/", "/s/work/", "/s/services/", "/s/interact/", "/accounts/me/", "/settings/", "/office/"]
DEPTH = 2
PER_ROLE = 140
SKIP = re.compile(
    r"^/(admin|api|static|media|accounts/logout)/|/(export|download|template|pdf|print|certificate)s?\b"
    r"|\.(xlsx|pdf|csv|zip)$|/(revoke|delete|withdraw)/|[?&](format|export)="
)
_MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
NOT_CHINESE = re.compile(
    r"(?<![\w-])(?:19|20)\d{2}-\d{1,2}(?:-\d{1,2})?(?![\d-])"  # 2026-12-07, 2026-12
    r"|(?<![\w/])(?:19|20)\d{2}/\d{1,2}/\d{1,2}(?![\d/])"  # 2026/12/07
    rf"|\b{_MONTHS}\.? \d{{1,2}}\b|\b\d{{1,2}} {_MONTHS}\b"  # Dec. 7, 7 Dec
    r"|\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|\b[ap]\.m\."
)
NOT_ENGLISH = re.compile(
    r"\d{4}年\d{1,2}月|\d{1,2}月\d{1,2}日|星期[一二三四五六日]"  # 2026年12月, 12月7日, 星期一
    r"|(?<![\w-])(?:19|20)\d{2}-\d{1,2}-\d{1,2}(?![\d-])"  # 2026-12-07
)


class _VisibleText(HTMLParser):
    """The text a reader sees: no scripts, styles, templates or attribute values."""

    HIDDEN = {"script", "style", "template", "noscript"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _links(html: str) -> list[str]:
    found = []
    for href in re.findall(r'<a [^>]*href="(/[^"#]*)"', html):
        href = href.replace("&amp;", "&")
        if not SKIP.search(href):
            found.append(href)
    return found


#: Where a date in another format is right: a hint showing how to type a date into a text box.
TYPED_EXAMPLE = re.compile(r"(如|e\.g\.)\s*[“\"][^”\"]*$")
_CJK = re.compile(r"[\u3400-\u9fff]")


def _excused(wrong: re.Pattern[str], text: str, match: re.Match[str]) -> bool:
    """A typing example (如“拧紧工艺 2026-06-30”) is the format to type, not a date shown; on an English page a
    Chinese date inside Chinese words is a text stored in Chinese (a to-do made before the reader chose English),
    a matter of translation rather than of the date format."""
    if TYPED_EXAMPLE.search(text[max(0, match.start() - 40) : match.start()]):
        return True
    if wrong is NOT_ENGLISH:
        near = text[max(0, match.start() - 8) : match.start()] + text[match.end() : match.end() + 8]
        return bool(_CJK.search(near))
    return False


def _pattern(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/#", path.split("?")[0])


def _walk(client: Client, role: str, wrong: re.Pattern[str]) -> tuple[list[str], int]:
    problems: list[str] = []
    seen: set[str] = set()
    kinds: set[tuple[str, str, str]] = set()
    visited = 0
    level = list(START)
    for depth in range(DEPTH + 1):
        following: list[str] = []
        for path in level:
            pattern = _pattern(path)
            if pattern in seen or visited >= PER_ROLE:
                continue
            seen.add(pattern)
            response = client.get(path)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            visited += 1
            html = response.content.decode()
            text = visible_text(html)
            for match in wrong.finditer(text):
                before = text[max(0, match.start() - 30) : match.start()]
                if _excused(wrong, text, match):
                    continue
                # one example of each kind on each page (the audit log repeats one kind on many rows)
                kind = (pattern, re.sub(r"\d", "#", match.group()), re.sub(r"[\d\s]", "", before)[-6:])
                if kind not in kinds:
                    kinds.add(kind)
                    around = text[max(0, match.start() - 30) : match.end() + 30]
                    problems.append(f"{role} {path}: {match.group()!r} in …{around}…")
            if depth < DEPTH:
                following += _links(html)
        level = following
    return problems, visited


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker) -> Iterator[None]:  # noqa: ANN001
    """The demo enterprise (small), seeded once inside a transaction rolled back when the module ends. The notices
    that go out after a commit (the outbox) are sent as the seeding ends, so the inbox shows their stored titles."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("seed_demo", people=240, branches=4, seed=1, stdout=StringIO())
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def demo(_demo: None, db) -> None:  # noqa: ANN001
    return None


def test_the_visible_text_helper_leaves_attribute_values_and_scripts_out() -> None:
    html = '<p>交纳日期 2026年12月7日</p><input type="date" value="2026-12-07"><script>let d = "2026-12-07"</script>'
    assert visible_text(html) == "交纳日期 2026年12月7日"
    assert not NOT_CHINESE.search(visible_text(html))
    assert NOT_CHINESE.findall("2026-12-07 · 2026-12 · 2026/12/7 · Dec. 7, 2026 · 7 Dec · Monday · 2 p.m.") == [
        "2026-12-07",
        "2026-12",
        "2026/12/7",
        "Dec. 7",
        "7 Dec",
        "Monday",
        "p.m.",
    ]
    # not dates: a school year, a file number, a phone number
    assert not NOT_CHINESE.search("2025-2026 学年 · E2026-0012 · 0571-88886666")


def test_every_page_of_every_role_shows_dates_in_chinese_format(demo: None, client: Client) -> None:
    problems: list[str] = []
    walked = 0
    for employee_no, _role, _description in DEMO_LOGINS:
        client.force_login(Person.objects.get(employee_no=employee_no))
        role_problems, visited = _walk(client, employee_no, NOT_CHINESE)
        problems += role_problems
        walked += visited
    assert walked > 300, walked
    assert not problems, f"{len(problems)} dates not in Chinese format:\n" + "\n".join(problems[:80])


@pytest.mark.parametrize("employee_no", ["sj001", "zzb001"])
def test_english_pages_show_dates_in_english_format(demo: None, client: Client, employee_no: str) -> None:
    person = Person.objects.get(employee_no=employee_no)
    person.language = "en"
    person.save(update_fields=["language"])
    client.force_login(person)
    problems, visited = _walk(client, employee_no, NOT_ENGLISH)
    assert visited > 30, visited
    assert not problems, f"{len(problems)} dates not in English format:\n" + "\n".join(problems[:80])
