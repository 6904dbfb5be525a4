"""The branch's transfer list as a staff list (issue 14): a search box, whitelisted server-side orders."""

from __future__ import annotations

import re
from datetime import date

from plaza.transfers import services


def _names(page: str) -> list[str]:
    listed = page.split('data-testid="transfers"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<span class="title">([^（<]+)（', listed)


def _two_transfers(world) -> None:  # noqa: ANN001
    services.start_transfer(
        world.member_a, world.member_a, world.branch_b, reason="调到物流部门工作", today=date(2025, 6, 1)
    )
    services.issue_letter(
        world.secretary_b,
        world.member_b,
        to_name="中共某区委组织部",
        reason="调往外地",
        issued_on=date(2025, 6, 16),
        today=date(2025, 6, 16),
    )


def test_staff_search_the_list_by_name_employee_number_or_letter_number(world, login):  # noqa: ANN001
    _two_transfers(world)
    client = login(world.staff)
    assert sorted(_names(client.get("/transfers/").content.decode())) == ["张建国", "李红梅"]
    assert _names(client.get("/transfers/?q=张建").content.decode()) == ["张建国"]
    assert _names(client.get("/transfers/?q=B0002").content.decode()) == ["李红梅"]
    page = client.get("/transfers/?q=无此人").content.decode()
    assert _names(page) == [] and "没有符合条件的转接" in page
    assert 'name="q" value="无此人"' in page and 'aria-label="搜索"' in page


def test_staff_sort_the_list_and_an_unknown_order_is_ignored(world, login):  # noqa: ANN001
    _two_transfers(world)
    client = login(world.staff)
    newest_first = _names(client.get("/transfers/").content.decode())
    assert newest_first == ["李红梅", "张建国"]
    assert _names(client.get("/transfers/?sort=started").content.decode()) == ["张建国", "李红梅"]
    assert _names(client.get("/transfers/?sort=-started").content.decode()) == newest_first
    # a field name that is not offered, or one that would leak a relation, is the default order, never an error
    for unknown in ("person__password", "-id", "started;drop", ""):
        response = client.get("/transfers/", {"sort": unknown})
        assert response.status_code == 200 and _names(response.content.decode()) == newest_first
    page = client.get("/transfers/?sort=started&q=张").content.decode()
    # the order links keep the search; the current order links to its other direction
    assert 'href="?sort=-started&amp;q=%E5%BC%A0"' in page or 'href="?q=%E5%BC%A0&amp;sort=-started"' in page
    assert 'aria-current="true"' in page
