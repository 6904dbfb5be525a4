"""Shared page components (issue 14): ``{% load plaza_ui %}``, one template each in ``templates/components/``.

- ``{% page_header title subtitle %}``: the red-tinted head of a page (``section.hero``) with a title and a line;
  ``{% hero title %}…{% endhero %}`` when the head says more (several lines, a link, a badge in the title).
- ``{% empty_state text %}`` / ``{% empty_state text url label %}``: what an empty list says, with the way on;
  ``item=True`` as the ``{% empty %}`` row of a ``ul``/``ol``, ``colspan=n`` as a table's, ``card=True``, ``testid=…``.
- ``{% status_badge text tone %}``: a state or label in a list row (``span.tag``; tone ``red``, ``gold``,
  ``green`` or ``late``); ``{% badge tone %}…{% endbadge %}`` when its words are more than one string.
- ``{% download_button url label key=value… %}``: the link that downloads an export (Excel, PDF).
- ``{% confirm_button url question label %}``: a form of one button that asks ``question`` before it posts.
- ``{% stat_card label value %}`` / ``{% stat_card label value url late=True %}``: a figure with its label, for
  the counts at the top of a staff page (``ul.work-counts`` holds them).
- ``{% pager page %}``: previous / next for a paginated list, keeping the other query parameters.
- ``{% search_box q placeholder %}``: the search field of a filter bar (``form.filters``), labelled.
- ``{% sort_bar sort %}``: a list's orders as a row of links (phone and desktop); ``{% sort_th sort key %}``: a
  sortable table header with ``aria-sort``. ``sort`` is ``plaza.lib.listing.Sorts.read``'s answer.
- ``{% bulk_bar actions confirm %}``: the action bar of a list with checkboxes: a choice of action and a button
  that asks ``confirm`` before anything is done (``data-confirm``).
- ``{% chart id data categories series names %}`` / ``{% bar_chart id rows label values names %}``: a bar chart
  drawn here as SVG, so it comes with the page (issue 21); the table beside it, or ``table=True``, gives the figures.
"""

from __future__ import annotations

import html
from typing import Any

from django import template
from django.http import QueryDict
from django.template import engines
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from plaza.lib.listing import Sorted

register = template.Library()


#: Page numbers a new order or filter starts again from (``terms`` pages the elections term board).
PAGE_PARAMS = ("page", "terms")


def _with(request: Any, **changes: str) -> str:
    params: QueryDict = request.GET.copy() if request is not None else QueryDict(mutable=True)
    for name in PAGE_PARAMS:
        params.pop(name, None)
    for key, value in changes.items():
        params[key] = value
    return "?" + params.urlencode()


@register.inclusion_tag("components/page_header.html")
def page_header(title: Any, subtitle: Any = "", testid: str = "") -> dict[str, Any]:
    return {"title": title, "subtitle": subtitle, "testid": testid}


class BlockComponentNode(template.Node):
    """A component whose content is the template between its tags (``hero``, ``badge``): the body is rendered
    in the page's context and handed to the component's template as ``body``, beside the resolved arguments."""

    def __init__(self, component: str, nodelist: template.NodeList, args: dict[str, Any]) -> None:
        self.component, self.nodelist, self.args = component, nodelist, args

    def render(self, context: template.Context) -> str:
        made = {name: value.resolve(context) for name, value in self.args.items()}
        made["body"] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308 (rendered by the engine)
        if made.get("tone") not in BADGE_TONES:
            made["tone"] = ""
        return context.template.engine.get_template(self.component).render(context.new(made))


def _block_component(
    parser: template.base.Parser, token: template.base.Token, component: str, first: str
) -> BlockComponentNode:
    name, *bits = token.split_contents()
    args: dict[str, Any] = {}
    for bit in bits:
        key, equals, value = bit.partition("=")
        if equals and key in ("testid", "tone", "wrap"):
            args[key] = parser.compile_filter(value)
        elif first not in args:
            args[first] = parser.compile_filter(bit)
        else:
            raise template.TemplateSyntaxError(f"{name}: unexpected {bit!r}")
    nodelist = parser.parse((f"end{name}",))
    parser.delete_first_token()
    return BlockComponentNode(component, nodelist, args)


@register.tag
def hero(parser: template.base.Parser, token: template.base.Token) -> BlockComponentNode:
    """``{% hero title testid="…" %}<p>…</p>{% endhero %}``: a page head whose lines are more than one plain
    sentence; without a title the body carries its own ``<h2>`` (a name with a badge beside it)."""
    return _block_component(parser, token, "components/page_header.html", "title")


@register.tag
def badge(parser: template.base.Parser, token: template.base.Token) -> BlockComponentNode:
    """``{% badge "late" testid="…" %}{% translate "截止" %} {{ day }}{% endbadge %}``: a status badge whose
    words are more than one string (a sentence with a number, a choice of words)."""
    return _block_component(parser, token, "components/status_badge.html", "tone")


@register.inclusion_tag("components/empty_state.html")
def empty_state(
    text: Any,
    url: str = "",
    label: Any = "",
    testid: str = "",
    item: bool = False,
    colspan: int = 0,
    card: bool = False,
) -> dict[str, Any]:
    """``item=True``: a list's ``{% empty %}`` row (``li``); ``colspan=n``: a table's (``tr``); ``card=True``:
    a paragraph that is a card of its own (a feed with nothing in it)."""
    return {
        "text": text,
        "url": url,
        "label": label,
        "testid": testid,
        "item": item,
        "colspan": colspan,
        "card": card,
    }


#: The tones a status badge may take (classes of ``.tag`` in plaza.css); anything else is plain.
BADGE_TONES = ("red", "gold", "green", "late")


@register.inclusion_tag("components/status_badge.html")
def status_badge(text: Any, tone: Any = "", testid: str = "", wrap: bool = False) -> dict[str, Any]:
    return {"text": text, "tone": tone if tone in BADGE_TONES else "", "testid": testid, "wrap": wrap}


@register.inclusion_tag("components/download_button.html")
def download_button(url: Any, label: Any, testid: str = "", keep: Any = "", **query: Any) -> dict[str, Any]:
    """``{% download_button "" _("导出 Excel") year=year format="xlsx" %}``: the link to ``url`` (the page
    itself when empty) with the query parameters given, those without a value left out; ``keep=…`` a query
    string to carry over first (``request.GET.urlencode``: the list's own filters)."""
    params = QueryDict(str(keep or "").lstrip("?"), mutable=True)
    for key, value in query.items():
        if value not in (None, ""):
            params[key] = str(value)
    href = str(url or "")
    if params:
        href += ("&" if "?" in href else "?") + params.urlencode()
    return {"url": href, "label": label, "testid": testid}


@register.inclusion_tag("components/confirm_button.html")
def confirm_button(
    url: str, question: Any, label: Any, css: str = "small secondary", testid: str = ""
) -> dict[str, Any]:
    """A form of one button; the inclusion tag hands the page's ``csrf_token`` on to the component."""
    return {"url": url, "question": question, "label": label, "css": css, "testid": testid}


@register.simple_tag(takes_context=True)
def page_title(context: template.Context, site: str) -> str:
    """The document's ``<title>``: the page's heading, then the site (``每日答题 · 党群服务广场``), so a tab, the
    history and a screen reader name the page (WCAG 2.4.2), not the site alone on some 200 pages. The heading
    block's final override is rendered as text here, before the heading itself; a page whose heading is the site
    name (home) is titled with the site alone. A page with a ``title`` block of its own keeps it."""
    blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
    heading = blocks.get_block("heading") if blocks is not None else None
    text = html.unescape(" ".join(strip_tags(heading.nodelist.render(context)).split())) if heading else ""
    return f"{text} · {site}" if text and text != site else site


@register.filter
def drop_zero(rows: Any, attribute: str) -> list[Any]:
    """``{% bar_chart "paid" rows|drop_zero:"amount" ... %}``: only the rows whose ``attribute`` (dotted path
    allowed) is not zero. For charts of money paid per organisation, where a committee's hundreds of branches with
    nothing that month would be hundreds of empty bars (the table beside it still lists them all). Not for
    charts where a zero is the news (a branch that held no meeting)."""
    return [row for row in rows or [] if _attr(row, attribute)]


@register.filter
def tone(value: Any, mapping: str) -> str:
    """``{% status_badge c.get_status_display c.status|tone:"paid:red pending:gold" %}``: a badge's tone by
    the state it shows (``*:gold`` for any other state); a state not named is plain."""
    tones = dict(pair.split(":", 1) for pair in str(mapping).split())
    return tones.get(str(value), tones.get("*", ""))


@register.inclusion_tag("components/stat_card.html")
def stat_card(label: Any, value: Any, url: str = "", late: bool = False) -> dict[str, Any]:
    return {"label": label, "value": value, "url": url, "late": late}


@register.inclusion_tag("components/pager.html", takes_context=True)
def pager(context: Any, page: Any) -> dict[str, Any]:
    return {"page": page, "request": context.get("request")}


@register.inclusion_tag("components/search_box.html")
def search_box(q: str = "", placeholder: Any = "") -> dict[str, Any]:
    return {"q": q, "placeholder": placeholder}


@register.inclusion_tag("components/sort_bar.html", takes_context=True)
def sort_bar(context: Any, sort: Sorted) -> dict[str, Any]:
    request = context.get("request")
    links = [
        {
            "label": s.label,
            "href": _with(request, sort=sort.toggled(s.key)),
            "current": s.key == sort.key,
            "descending": sort.descending,
        }
        for s in sort.sorts
    ]
    return {"links": links}


@register.inclusion_tag("components/sort_th.html", takes_context=True)
def sort_th(context: Any, sort: Sorted, key: str) -> dict[str, Any]:
    chosen = next(s for s in sort.sorts if s.key == key)
    current = sort.key == key
    return {
        "label": chosen.label,
        "href": _with(context.get("request"), sort=sort.toggled(key)),
        "current": current,
        "aria_sort": ("descending" if sort.descending else "ascending") if current else "none",
    }


@register.inclusion_tag("components/bulk_bar.html")
def bulk_bar(actions: Any, confirm: Any, form_id: str = "") -> dict[str, Any]:
    return {"actions": actions, "confirm": confirm, "form_id": form_id}


def _attr(row: Any, path: str) -> Any:
    value = row
    for part in path.split("."):
        if part.isdigit() and isinstance(value, list | tuple):
            value = value[int(part)] if int(part) < len(value) else None
        else:
            value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
        if callable(value):
            value = value()
        if value is None:
            return None
    return value


def _template_filter(name: str) -> Any:
    """A template filter by its name, from any tag library the project has (``points_source`` …)."""
    for library in engines["django"].engine.template_libraries.values():  # type: ignore[attr-defined]
        if name in library.filters:
            return library.filters[name]
    raise template.TemplateSyntaxError(f"bar_chart: no template filter named {name!r}")


def _label(row: Any, path: str) -> str:
    """A category's label: ``path`` to the value, optionally ``|filter`` to say it (``source_type|points_source``)."""
    path, _bar, name = path.partition("|")
    value = _attr(row, path)
    if name:
        value = _template_filter(name)(value)
    return str(value or "")


def _number(value: Any) -> float | int | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else round(number, 2)


#: Series colours of a chart (``.chart-s0`` … in plaza.css); a fifth series takes the first colour again.
CHART_COLOURS = 4
#: A chart's geometry in em of its text (0.75rem): text and bars grow with the phone's font size. The longest bar
#: takes this share of the width, leaving room for its figure written after it.
CHART_LONGEST = 78
CHART_LABEL, CHART_GAP = 1.35, 0.9  # a category's label line above its bars; the space before the next category


def _em(length: float) -> str:
    """A length in em as SVG reads it, whatever the reader's language (no decimal comma, no grouping)."""
    return f"{round(length, 2):g}em"


def _figure(value: float | int | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == gettext("元"):  # money: always two decimals, as the tables beside the charts show it
        return f"{value:.2f} {unit}"
    unit = unit if unit in ("", "%", "％") else f" {unit}"  # 95.5%, but 3 人
    return f"{value:g}{unit}" if isinstance(value, float) else f"{value}{unit}"


def _chart(
    chart_id: str, labels: list[Any], series: list[list[Any]], names: list[str], unit: str = "", table: bool = False
) -> dict[str, Any]:
    """A horizontal bar chart drawn here as SVG, so it comes with the page (issue 21: no chart library to fetch on a
    weak signal, nothing to run on a slow phone): one line per category, its label above one bar per series, each
    bar's figure after it. Widths are percentages of the chart's box (it fits 180 px and a desktop alike), heights
    in em. ``table`` adds the figures as a table for screen readers where the page has none beside the chart."""
    values = [[_number(v) for v in values] for values in series]
    peak = max((v for row in values for v in row if v is not None and v > 0), default=0)
    bar = 1.1 if len(values) == 1 else 0.8
    step = bar + 0.25
    rows, y = [], 0.0
    for index, label in enumerate(labels):
        bars = []
        for key, row in enumerate(values):
            value = row[index] if index < len(row) else None
            width = round(float(value) / float(peak) * CHART_LONGEST, 2) if value and value > 0 and peak else 0
            top = y + CHART_LABEL + key * step
            bars.append(
                {
                    "y": _em(top),
                    "middle": _em(top + bar / 2),
                    "width": f"{width:g}",
                    "figure": _figure(value, unit),
                    "colour": key % CHART_COLOURS,
                    "name": names[key] if key < len(names) else "",
                }
            )
        rows.append({"label": str(label), "y": _em(y + 1), "bars": bars})
        y += CHART_LABEL + len(values) * step + CHART_GAP
    legend = [{"name": name, "colour": key % CHART_COLOURS} for key, name in enumerate(names[: len(values)])]
    return {
        "chart_id": chart_id,
        "rows": rows,
        "bar_height": _em(bar),
        "height": _em(max(y - CHART_GAP + 0.25, 0)),
        "legend": legend if len(values) > 1 else [],
        "names": names[: len(values)],
        "table": table,
        "shown": bool(rows) and peak > 0,  # a chart of nothing but zeros says nothing: the table stays
    }


@register.inclusion_tag("components/chart.html")
def chart(
    chart_id: str, data: Any, categories: str, series: str, names: Any = "", unit: str = "", table: bool = False
) -> dict[str, Any]:
    """``{% chart "year-chart" chart "years" "admissions conversions" names %}``: a bar chart of lists a view
    already made: ``data[categories]`` the labels, one series per key of ``series``, ``names`` their labels joined
    by "|" (a legend when there are several), ``unit`` after each figure ("%"), ``table=True`` where no table on
    the page gives the same figures (the chart itself is hidden from screen readers)."""
    data = data or {}
    keys = str(series).split()
    return _chart(
        chart_id,
        list(data.get(categories) or []),
        [list(data.get(key) or []) for key in keys],
        [name for name in str(names).split("|")] if names else [],
        unit=str(unit),
        table=bool(table),
    )


@register.inclusion_tag("components/chart.html")
def bar_chart(
    chart_id: str, rows: Any, label: str, values: str, names: Any = "", rotate: bool = True, unit: str = ""
) -> dict[str, Any]:
    """``{% bar_chart "dues-rate" rows "organisation.name" "rate_month rate_year" names %}``: a bar chart of the
    rows a statistics page already lists (the table beside it keeps the figures for screen readers), drawn in the
    page as SVG (``chart`` above). ``values`` names one attribute per series (dotted paths allowed), ``names``
    their labels joined by "|"; ``label`` may end in ``|filter`` to say a code by its label
    ("source_type|points_source"). ``unit`` follows each figure (元 makes it money: "500.00 元").
    ``rotate`` is no longer used (labels have a line of their own)."""
    keys = str(values).split()
    rows = list(rows or [])
    return _chart(
        chart_id,
        [_label(row, label) for row in rows],
        [[_attr(row, key) for row in rows] for key in keys],
        str(names).split("|") if names else [],
        unit=str(unit),
    )


#: A default cover's icon by the words of its category or name (the first that fits), then the list's own.
COVER_ICONS = (
    (("新闻", "要闻", "动态", "通知", "公告"), "newspaper"),
    (("党章", "党规", "制度", "法规", "条例"), "scroll-text"),
    (("视频", "微课", "直播"), "monitor-play"),
    (("党课", "理论", "讲话", "学习", "读书"), "book-open"),
    (("表格", "资料", "文件", "模板"), "folder-open"),
    (("荣誉", "先进", "典型", "榜样"), "medal"),
    (("车", "出行", "交通"), "car"),
    (("礼", "券", "卡", "杯", "包"), "gift"),
)
COVER_COLOURS = 6


@register.inclusion_tag("components/cover.html")
def cover(picture: Any, words: Any = "", fallback: str = "newspaper") -> dict[str, Any]:
    """``{% cover article.cover article.category.name %}``: a list row's picture — the uploaded one, or a default
    drawn from the category (or the name): a colour fixed by the words and an icon that fits them."""
    text = str(words or "")
    icon = next((name for keys, name in COVER_ICONS if any(key in text for key in keys)), fallback)
    colour = sum(text.encode()) % COVER_COLOURS if text else 0
    url = ""
    if picture:
        try:
            url = picture.url
        except ValueError:  # a file field with no file
            url = ""
    return {"url": url, "icon": icon, "colour": colour}
