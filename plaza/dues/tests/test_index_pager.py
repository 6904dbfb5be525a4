"""Issue 21: the list of organisations a 党委 keeps the dues of (68 of them, 5,265 px) pages, and its count is
the whole list's."""

import re

from .conftest import TODAY


def test_the_organisation_list_pages_and_counts_them_all(world, login, monkeypatch, settings):
    settings.PLAZA_TODAY = TODAY
    monkeypatch.setattr("plaza.dues.views.INDEX_PAGE", 1)
    client = login(world.staff)  # the 党委's 组织部: branches A and B (and the general branch, the committee)
    first = client.get("/dues/").content.decode()
    rows = re.findall(r'href="/dues/org/(\d+)/"', first)
    assert len(rows) == 1
    total = int(re.search(r'data-testid="org-count">共 (\d+) 个党组织<', first).group(1))
    assert total >= 2
    assert 'class="pager"' in first and "page=2" in first
    seen = set(rows)
    for number in range(2, total + 1):
        page = client.get(f"/dues/?page={number}").content.decode()
        seen.update(re.findall(r'href="/dues/org/(\d+)/"', page))
        assert f"共 {total} 个党组织" in page
    assert len(seen) == total
    assert {str(world.branch_a.pk), str(world.branch_b.pk)} <= seen
