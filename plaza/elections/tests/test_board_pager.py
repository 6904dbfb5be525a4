"""Issue 21: the 党委's term board (7,803 px on one page) pages under its own parameter, beside the elections
list's pager; the count is the whole board's."""

import re

from .conftest import TODAY


def _names(html: str) -> list[str]:
    board = html.split('data-testid="terms"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<span class="title">([^<]+)</span>', board)


def test_the_term_board_pages_apart_from_the_elections_list(world, login, monkeypatch, settings):
    settings.PLAZA_TODAY = TODAY
    monkeypatch.setattr("plaza.elections.views.BOARD_PAGE", 1)
    client = login(world.staff)
    first = client.get("/elections/").content.decode()
    assert len(_names(first)) == 1
    total = int(re.search(r'data-testid="terms-count">共 (\d+) 个党组织<', first).group(1))
    assert total >= 2
    assert 'data-testid="terms-pager"' in first and "terms=2" in first
    seen = set(_names(first))
    for number in range(2, total + 1):
        page = client.get("/elections/", {"terms": number, "page": 1}).content.decode()
        seen.update(_names(page))
        assert f"共 {total} 个党组织" in page
    assert len(seen) == total
