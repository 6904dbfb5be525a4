"""Shared page components (issue 14, ``plaza_ui``): what each renders, and the pages that use them."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from django.template import Context, RequestContext, Template
from django.test import RequestFactory
from django.utils import translation

import plaza
from plaza.dues import services as dues
from plaza.learning.tests.helpers import article
from plaza.lib import clock, listing

TEMPLATES = Path(plaza.__file__).parent / "templates"


def _render(source: str, request=None, **context) -> str:  # noqa: ANN001
    with translation.override("zh-hans"):
        made = RequestContext(request, context) if request is not None else Context(context)
        return Template("{% load plaza_ui %}" + source).render(made)


SORTS = listing.Sorts(("day", "日期", ("day", "id")), ("name", "姓名", ("name", "id")), default="-day")


def test_no_template_carries_an_inline_style() -> None:
    found = [
        f"{path.relative_to(TEMPLATES)}:{n}"
        for path in TEMPLATES.rglob("*.html")
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\sstyle=\"", line)
    ]
    assert found == []


#: Markup a page writes only through a component (plaza_ui): the hand-written copy, and the component to use.
BY_HAND = (
    (re.compile(r'class="empty[" ]'), "empty_state"),
    (re.compile(r'class="hero[" ]'), "page_header / hero"),
    (re.compile(r'<(span|p) class="tag[" ]'), "status_badge / badge"),
    (re.compile(r'<a class="btn small secondary" href="[^"]*"[^>]*>\{% translate "导出'), "download_button"),
)
#: Pages another change is rewriting now; they move onto the components once it lands (issue 14).
NOT_YET: tuple[str, ...] = ()


def test_no_template_writes_an_empty_state_a_page_head_a_badge_or_a_download_button_by_hand() -> None:
    found = [
        f"{path.relative_to(TEMPLATES)}:{n} -> {{% {component} %}}"
        for path in TEMPLATES.rglob("*.html")
        if not str(path.relative_to(TEMPLATES)).startswith(("components/", *NOT_YET))
        for n, line in enumerate(path.read_text().splitlines(), 1)
        for pattern, component in BY_HAND
        if pattern.search(line)
    ]
    assert found == []


#: A form that is only a confirmed button (its question in data-confirm): ``{% confirm_button %}``.
CONFIRMED_BUTTON = re.compile(
    r'<form method="post"[^>]*data-confirm="[^"]*">\{% csrf_token %\}\s*<button [^>]*>[^<]*</button>\s*</form>'
)


def test_a_form_of_one_confirmed_button_is_the_confirm_button() -> None:
    found = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if not str(path.relative_to(TEMPLATES)).startswith(("components/", *NOT_YET))
        and CONFIRMED_BUTTON.search(path.read_text())
    ]
    assert found == []


def test_the_empty_state_as_a_paragraph_a_list_row_a_table_row_and_a_card() -> None:
    assert _render('{% empty_state _("没有记录。") item=True %}') == '<li class="empty">没有记录。</li>'
    assert _render('{% empty_state "没有记录。" colspan=4 testid="none" %}') == (
        '<tr><td colspan="4" class="empty" data-testid="none">没有记录。</td></tr>'
    )
    assert _render('{% empty_state "空的" card=True %}') == '<p class="empty card">空的</p>'
    # a sentence with the reader's input in it is escaped once
    said = _render(
        "{% load i18n %}{% blocktranslate asvar m %}没有找到“{{ q }}”{% endblocktranslate %}{% empty_state m %}",
        q="<b>",
    )
    assert said == '<p class="empty">没有找到“&lt;b&gt;”</p>'


def test_a_page_head_with_more_than_a_line_keeps_its_title_testid_and_lines() -> None:
    html = _render('{% hero name testid="card" %}<p>会员证号 <b>1</b></p>{% endhero %}', name="张<三>")
    assert html == '<section class="hero" data-testid="card"><h2>张&lt;三&gt;</h2><p>会员证号 <b>1</b></p></section>'
    own = _render("{% hero %}<h2>自己的标题</h2>{% endhero %}")
    assert own == '<section class="hero"><h2>自己的标题</h2></section>'


def test_a_status_badge_takes_only_known_tones_and_a_state_picks_its_tone() -> None:
    assert _render('{% status_badge "已发放" "red" %}') == '<span class="tag red">已发放</span>'
    assert _render('{% status_badge "x" "<script>" testid="s" %}') == '<span class="tag" data-testid="s">x</span>'
    tones = '{% status_badge s s|tone:"paid:red pending:gold" %}'
    assert _render(tones, s="pending") == '<span class="tag gold">pending</span>'
    assert _render(tones, s="refused") == '<span class="tag">refused</span>'
    assert _render('{{ s|tone:"won:red *:gold" }}', s="lost") == "gold"
    # words of more than one string: the block form, with the same markup
    block = '{% load i18n %}{% badge "late" testid="due" %}{% translate "截止" %} {{ d }}{% endbadge %}'
    assert _render(block, d="5月1日") == '<span class="tag late" data-testid="due">截止 5月1日</span>'
    assert _render('{% badge tone=on|yesno:"late," %}x{% endbadge %}', on=False) == '<span class="tag">x</span>'


def test_the_download_and_confirm_buttons() -> None:
    link = _render('{% download_button "" _("导出 Excel") year=2025 org=org format="xlsx" testid="export" %}', org="")
    assert (
        link == '<a class="btn small secondary" href="?year=2025&amp;format=xlsx" data-testid="export">导出 Excel</a>'
    )
    kept = _render('{% download_button url _("导出 Excel") format="xlsx" %}', url="/orgs/export/?q=%E5%BC%A0")
    assert 'href="/orgs/export/?q=%E5%BC%A0&amp;format=xlsx"' in kept
    # the page's csrf_token reaches the form
    form = _render('{% confirm_button "/x/1/delete/" _("确定删除吗？") _("删除") %}', csrf_token="t0k")
    assert form == (
        '<form method="post" action="/x/1/delete/" data-confirm="确定删除吗？"><input type="hidden" '
        'name="csrfmiddlewaretoken" value="t0k"><button type="submit" class="small secondary">删除</button></form>'
    )


def test_the_sort_bar_links_each_order_keeping_the_filters_and_turns_the_current_one_around() -> None:
    request = RequestFactory().get("/x/", {"q": "张", "page": "3", "sort": "name"})
    html = _render("{% sort_bar sort %}", request, sort=SORTS.read(request.GET))
    links = re.findall(r'<a href="([^"]+)"( aria-current="true")?', html)
    assert links == [("?q=%E5%BC%A0&amp;sort=day", ""), ("?q=%E5%BC%A0&amp;sort=-name", ' aria-current="true"')]
    assert "page=" not in html and "↑" in html and 'aria-label="排序"' in html


def test_a_sortable_table_header_says_its_order_to_screen_readers() -> None:
    request = RequestFactory().get("/x/")
    sort = SORTS.read(request.GET)  # default: -day
    assert 'aria-sort="descending"' in _render('{% sort_th sort "day" %}', request, sort=sort)
    assert 'aria-sort="none"' in _render('{% sort_th sort "name" %}', request, sort=sort)
    assert 'href="?sort=day"' in _render('{% sort_th sort "day" %}', request, sort=sort)


def test_empty_state_stat_card_search_box_and_page_header() -> None:
    assert _render('{% empty_state "还没有记录。" "/new/" "添加" %}') == (
        '<p class="empty">还没有记录。 <a href="/new/">添加</a></p>'
    )
    card = _render('{% stat_card "已逾期" 3 "/todo/" late=True %}')
    assert '<a href="/todo/" class="late"><b>3</b>已逾期</a>' in card
    box = _render('{% search_box q "姓名或工号" %}', q="张<b>")
    assert 'value="张&lt;b&gt;"' in box and 'aria-label="搜索"' in box and 'placeholder="姓名或工号"' in box
    assert "<h2>党费</h2><p>本月</p>" in _render('{% page_header "党费" "本月" %}')


def test_the_pager_keeps_the_query_and_the_bulk_bar_confirms_first() -> None:
    class Page:
        number = 2
        has_previous = has_next = True
        previous_page_number = 1
        next_page_number = 3

        class paginator:  # noqa: N801
            num_pages = 4

    html = _render("{% pager page %}", RequestFactory().get("/x/", {"q": "a"}), page=Page())
    assert "?q=a&amp;page=1" in html and "?q=a&amp;page=3" in html and "2 / 4" in html
    bar = _render('{% bulk_bar actions "确定吗？" %}', actions=[("close", "关闭")])
    assert 'data-confirm="确定吗？"' in bar and 'value="close"' in bar and "data-check-all" in bar
    assert 'aria-label="批量操作"' in bar


def _bars(html: str) -> list[tuple[str, str]]:
    """A drawn chart's bars as (width, title) pairs, in the order drawn."""
    return re.findall(
        r'<rect class="chart-s\d" x="0" y="[^"]+" width="([^"]+)%" height="[^"]+" rx="2"><title>([^<]*)</title>', html
    )


def test_a_bar_chart_is_drawn_in_the_page_from_the_rows_and_nothing_when_there_are_none() -> None:
    """Issue 21: the chart is SVG written by the server, so it comes with the page (no library to fetch)."""
    rows = [{"org": {"name": "一支部"}, "rate": 95.5, "n": 3}, {"org": {"name": "二支部"}, "rate": None, "n": 0}]
    html = _render('{% bar_chart "c1" rows "org.name" "rate n" "收缴率|人数" %}', rows=rows)
    assert 'data-chart="c1" data-drawn' in html and 'data-testid="chart-c1"' in html and "<svg" in html
    assert "<script" not in html and "style=" not in html
    # the longest bar takes 78 % of the box, the others in proportion; nothing drawn for 0 or no figure
    assert _bars(html) == [("78", "一支部 · 收缴率：95.5"), ("2.45", "一支部 · 人数：3")]
    assert ">一支部</text>" in html and ">二支部</text>" in html and ">—</text>" in html and ">0</text>" in html
    # two series: a legend (hidden from screen readers with the chart: the page's table says the figures)
    assert '<span class="chart-key chart-s0"></span>收缴率' in html and "chart-s1" in html
    assert 'aria-hidden="true"' in html and "<table" not in html
    assert _render('{% bar_chart "c2" rows "a" "b" %}', rows=[]).strip() == ""
    # a code said by its label through a template filter
    coded = _render(
        '{% bar_chart "c4" rows "source_type|points_source" "s" %}', rows=[{"source_type": "reading", "s": 9}]
    )
    assert "reading" not in coded and _bars(coded)[0][0] == "78" and "chart-legend" not in coded
    # rows given as tuples (year, counts, total)
    tuples = _render('{% bar_chart "c3" rows "0" "2" %}', rows=[(2025, [1, 2], 3)])
    assert ">2025</text>" in tuples and ">3</text>" in tuples
    # nothing but zeros draws nothing (the table beside it says "0"); money keeps its two decimals
    assert _render('{% bar_chart "c5" rows "a" "b" %}', rows=[{"a": "甲", "b": 0}, {"a": "乙", "b": 0}]).strip() == ""
    paid = _render(
        '{% bar_chart "c6" rows "a" "b" unit="元" %}', rows=[{"a": "甲", "b": Decimal("1200.5")}, {"a": "乙", "b": 0}]
    )
    assert ">1200.50 元</text>" in paid and _bars(paid) == [("78", "甲：1200.50 元")] and ">0.00 元</text>" in paid


def test_a_chart_of_a_views_lists_with_a_unit_and_a_table_for_screen_readers() -> None:
    data = {"rates": ["响应率", "满意率"], "values": [50, 100.0]}
    html = _render('{% chart "r" data "rates" "values" unit="%" table=True %}', data=data)
    assert _bars(html) == [("39", "响应率：50%"), ("78", "满意率：100%")]
    table = html.split('<div class="visually-hidden"><table>', 1)[1]  # a wrapper clips it: a table grows to its text
    assert '<th scope="row">响应率</th><td>50%</td>' in table and '<th scope="row">满意率</th><td>100%</td>' in table
    # heights in em (the text's size), whatever the reader's language writes for decimals
    with translation.override("en"):
        english = _render('{% chart "r" data "rates" "values" "Share" table=True %}', data=data)
    assert re.search(r'<svg class="chart-svg" width="100%" height="[\d.]+em"', english)
    assert '<th scope="col">Share</th>' in english
    assert _render('{% chart "r" data "missing" "values" %}', data=data).strip() == ""


def test_every_statistics_page_template_draws_a_chart() -> None:
    pages = [
        "dues/stats.html",
        "booking/stats.html",
        "meetings/rates.html",
        "evaluation/stats.html",
        "recruitment/stats.html",
        "orgs/stats.html",
        "activities/stats.html",
        "studios/stats.html",
        "vanguard/stats.html",
        "voice/report.html",
        "points/report.html",
    ]
    for name in pages:
        text = (TEMPLATES / name).read_text()
        assert "{% bar_chart " in text or "{% chart " in text, name
    for template in TEMPLATES.rglob("*.html"):  # no page loads a chart script or hand-writes a chart any more
        if template != TEMPLATES / "components" / "chart.html":
            text = template.read_text()
            assert "_charts.html" not in text and 'class="chart"' not in text, template


def test_the_dues_statistics_page_draws_the_rates_of_its_branches(world, login) -> None:  # noqa: ANN001
    staff = login(world.staff)
    # nobody has paid: every rate is 0, the table says so and no chart of zeros is drawn
    assert 'data-testid="chart-dues-rates"' not in staff.get("/dues/stats/").content.decode()
    this_month = clock.today().replace(day=1)
    dues.set_base(
        world.secretary_a, world.member_a, category="in_service", base=Decimal("8000"), effective_from=this_month
    )
    dues.mark_paid(world.secretary_a, world.member_a, [this_month])
    page = staff.get("/dues/stats/").content.decode()
    chart = page.split('data-testid="chart-dues-rates"', 1)[1].split("</figure>", 1)[0]
    assert ">装调车间党支部</text>" in chart


def test_a_cover_is_the_picture_or_a_default_of_the_category() -> None:
    class Picture:
        url = "/media/learning/covers/a.jpg"

    shown = _render('{% cover p "时政要闻" %}', p=Picture())
    assert '<img class="thumb" src="/media/learning/covers/a.jpg" alt=""' in shown
    news = _render('{% cover "" "时政要闻" %}')
    assert 'data-testid="default-cover"' in news and "icon-newspaper" in news
    assert "icon-scroll-text" in _render('{% cover "" "党章党规" %}')
    assert "icon-gift" in _render('{% cover "" "" "gift" %}')
    # the same category always gets the same colour
    assert _render('{% cover "" "党章党规" %}') == _render('{% cover "" "党章党规" %}')


def test_home_shows_pinned_news_in_its_banner_and_lists_show_covers(world, login) -> None:  # noqa: ANN001
    article(world, "置顶的要闻", pinned=True)
    article(world, "普通的文章")
    client = login(world.member_a)
    home = client.get("/").content.decode()
    banner = home.split('data-testid="banner"', 1)[1].split("</section>", 1)[0]
    assert "置顶的要闻" in banner and "普通的文章" not in banner and "thumb" in banner
    listing_page = client.get("/learning/").content.decode()
    assert listing_page.count('data-testid="default-cover"') == 2
