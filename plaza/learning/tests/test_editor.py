"""Issue 12 item 1: an article's body survives any number of open-and-save round trips through the staff form
unchanged, whether it is stored as HTML (the rich-text editor) or as Markdown (the demo's articles, or written
without JavaScript). The browser half (Quill itself) is tests/browser/test_reading_and_mall.py."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plaza.learning.markup import clean_html, render_body
from plaza.learning.models import Article

from .helpers import article


class _FormValues(HTMLParser):
    """What a browser would send back from the edit page untouched: the body textarea and the hidden format."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._in_body = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = dict(attrs)
        if tag == "textarea" and attrs.get("name") == "body":
            self._in_body = True
            self.values["body"] = ""
        elif tag == "input" and attrs.get("name") in {"body_format", "title", "publish_at"}:
            self.values[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._in_body = False

    def handle_data(self, data: str) -> None:
        if self._in_body:
            self.values["body"] += data


def _open(client, found: Article) -> dict[str, str]:  # noqa: ANN001
    response = client.get(f"/learning/office/articles/{found.pk}/")
    assert response.status_code == 200
    parser = _FormValues()
    parser.convert_charrefs = True
    parser.feed(response.content.decode())
    values = parser.values
    # The textarea's first newline belongs to the markup (Django writes one so a leading newline survives).
    values["body"] = values["body"].removeprefix("\n")
    return values


def _save(client, found: Article, values: dict[str, str]) -> Article:  # noqa: ANN001
    response = client.post(f"/learning/office/articles/{found.pk}/", {**values, "topics": "", "summary": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Article.objects.get(pk=found.pk)


def _round_trips(client, found: Article, times: int = 3) -> Article:  # noqa: ANN001
    for _ in range(times):
        found = _save(client, found, _open(client, found))
    return found


_TEXT = st.text(
    alphabet=st.sampled_from(list("党员学习做法要求 abcXYZ019，。、：!?&<>\"'*#-_>") + ["\n", "\t"]), max_size=80
)
_INLINE = st.one_of(
    _TEXT.map(lambda t: t.replace("\n", " ")),
    _TEXT.map(lambda t: f"<strong>{t}</strong>"),
    _TEXT.map(lambda t: f"<em>{t}</em>"),
    _TEXT.map(lambda t: f'<a href="https://example.com/{len(t)}">{t}</a>'),
)
_BLOCK = st.one_of(
    st.lists(_INLINE, min_size=1, max_size=3).map(lambda xs: "<p>" + "".join(xs) + "</p>"),
    _TEXT.map(lambda t: f"<h2>{t}</h2>"),
    st.lists(_INLINE, min_size=1, max_size=3).map(lambda xs: "<ul>" + "".join(f"<li>{x}</li>" for x in xs) + "</ul>"),
    _TEXT.map(lambda t: f"<blockquote>{t}</blockquote>"),
    st.just('<p>坏的<script>alert(1)</script><img src="javascript:x" onerror="y"></p>'),
)
_HTML = st.lists(_BLOCK, min_size=1, max_size=5).map("".join)
_MARKDOWN = st.lists(
    st.one_of(
        _TEXT,
        _TEXT.map(lambda t: "## " + t),
        _TEXT.map(lambda t: "- " + t),
        _TEXT.map(lambda t: "1. " + t),
        _TEXT.map(lambda t: "> " + t),
        st.just(""),
    ),
    min_size=1,
    max_size=8,
).map("\n".join)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=_HTML)
def test_an_html_body_survives_open_and_save_unchanged(world, login, body):
    client = login(world.staff)
    found = article(world, body=body, body_format="html")
    stored = found.body
    assert stored == clean_html(body)  # cleaned once, when saved
    if not re.sub(r"<[^>]+>", "", stored).strip():
        return  # nothing a reader could see: the form refuses it (请填写正文), tested below
    values = _open(client, found)
    assert values["body_format"] == "html"  # reopened as HTML, never as text to be escaped again
    assert values["body"] == stored
    found = _round_trips(client, found)
    assert (found.body, found.body_format) == (stored, "html")
    assert "&lt;p&gt;" not in render_body(found.body, found.body_format)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=_MARKDOWN)
def test_a_markdown_body_survives_open_and_save_unchanged(world, login, body):
    if not body.strip():
        return
    client = login(world.staff)
    found = article(world, body=body)
    assert found.body_format == "markdown" and found.body == body
    values = _open(client, found)
    assert values["body_format"] == "markdown"
    found = _round_trips(client, found)
    assert (found.body, found.body_format) == (body, "markdown")


def test_a_browser_sends_crlf_and_the_markdown_is_still_unchanged(world, login):
    """Browsers send a textarea's line breaks as CRLF; the demo's Markdown has LF: saving keeps LF."""
    client = login(world.staff)
    body = "## 做法\n\n- 学习党章\n- 对照检查"
    found = article(world, body=body)
    values = _open(client, found)
    values["body"] = values["body"].replace("\n", "\r\n")
    found = _save(client, found, values)
    assert found.body == body and found.body_format == "markdown"
    assert "<h3>做法</h3>" in render_body(found.body, found.body_format)


def test_an_html_body_with_nothing_to_read_is_refused_with_the_reason(world, login):
    client = login(world.staff)
    found = article(world, body="<p>原文</p>", body_format="html")
    values = _open(client, found)
    response = client.post(
        f"/learning/office/articles/{found.pk}/", {**values, "body": "<p><br></p>", "topics": "", "summary": ""}
    )
    assert response.status_code == 200 and "请填写正文" in response.content.decode()
    assert Article.objects.get(pk=found.pk).body == "<p>原文</p>"
