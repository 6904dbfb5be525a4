"""A small, safe Markdown: headings, paragraphs, lists, quotes, **bold**, *italic* and http(s) links.

Everything the author wrote is escaped first, so no HTML of theirs ever reaches the page; only the tags
produced here do.
"""

from __future__ import annotations

import re

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^\s)]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<!\*)\*([^*]+)\*(?!\*)")


def _inline(text: str) -> str:
    text = escape(text)
    text = _LINK.sub(lambda m: f'<a href="{m.group(2)}" rel="noopener nofollow" target="_blank">{m.group(1)}</a>', text)
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    return _ITALIC.sub(r"<em>\1</em>", text)


def render(source: str) -> SafeString:
    out: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    ordered = False

    def flush() -> None:
        nonlocal items
        if paragraph:
            out.append("<p>" + "<br>".join(_inline(line) for line in paragraph) + "</p>")
            paragraph.clear()
        if items:
            tag = "ol" if ordered else "ul"
            out.append(f"<{tag}>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + f"</{tag}>")
            items = []

    for raw in (source or "").replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        heading = re.match(r"(#{1,4})\s+(.*)", line)
        bullet = re.match(r"[-*+]\s+(.*)", line)
        number = re.match(r"\d+[.)、]\s*(.*)", line)
        if not line:
            flush()
        elif heading:
            flush()
            level = min(len(heading.group(1)) + 1, 5)  # the page title is the h1
            out.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
        elif line.startswith(">"):
            flush()
            out.append(f"<blockquote>{_inline(line.lstrip('> '))}</blockquote>")
        elif bullet or number:
            if paragraph or (items and ordered != bool(number)):
                flush()
            ordered = bool(number) and not bullet
            items.append((bullet or number).group(1))
        else:
            if items:
                flush()
            paragraph.append(line)
    flush()
    return mark_safe("\n".join(out))  # noqa: S308 - every piece of input text was escaped above


#: What the rich-text editor may produce; everything else (scripts, styles, event handlers) is removed.
RICH_TAGS = {
    "p",
    "br",
    "h1",
    "h2",
    "h3",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "blockquote",
    "ol",
    "ul",
    "li",
    "a",
    "img",
    "span",
    "pre",
    "code",
}
RICH_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}, "li": {"data-list"}}


def clean_html(source: str) -> str:
    """The editor's HTML, cleaned: only the tags and attributes above, links and images over http(s)."""

    return nh3.clean(
        source, tags=RICH_TAGS, attributes=RICH_ATTRIBUTES, url_schemes={"http", "https"}, link_rel="noopener nofollow"
    )


def render_body(body: str, body_format: str) -> SafeString:
    """An article's body for the page: cleaned HTML from the editor, or the small Markdown."""
    if body_format == "html":
        return mark_safe(clean_html(body))  # noqa: S308 - cleaned by nh3 just above
    return render(body)
