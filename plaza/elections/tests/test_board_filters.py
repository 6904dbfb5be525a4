"""The term board as a staff list (issue 14): search by the organisation's name, filter by the term's state,
order by time left or by name."""

from __future__ import annotations

import re


def _names(page: str) -> list[str]:
    board = page.split('data-testid="terms"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<span class="title">([^<]+)</span>', board)


def test_the_term_board_searches_filters_and_sorts(world, login):  # noqa: ANN001
    client = login(world.staff)
    everyone = _names(client.get("/elections/").content.decode())
    assert {"装调车间党支部", "物流和采购党支部"} <= set(everyone)
    assert _names(client.get("/elections/?q=物流").content.decode()) == ["物流和采购党支部"]
    # no terms are recorded in this world: every organisation is "none", none is overdue
    assert set(_names(client.get("/elections/?state=none").content.decode())) == set(everyone)
    page = client.get("/elections/?state=overdue").content.decode()
    assert _names(page) == [] and "没有符合条件的党组织" in page
    by_name = _names(client.get("/elections/?sort=name").content.decode())
    assert by_name == sorted(everyone)
    assert _names(client.get("/elections/?sort=-name").content.decode()) == by_name[::-1]
    odd = client.get("/elections/", {"state": "<x>", "sort": "organisation__path"})
    assert odd.status_code == 200 and _names(odd.content.decode()) == everyone
