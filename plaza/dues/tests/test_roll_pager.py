"""Issue 21: the dues roll has a pager (a long roll was one page of a row and a tab stop per member), and its
totals stay those of the whole roll."""

import re

import pytest

from .conftest import TODAY


@pytest.fixture(autouse=True)
def fixed_today(settings):
    settings.PLAZA_TODAY = TODAY


def test_the_roll_pages_and_keeps_the_whole_rolls_totals(based, login, monkeypatch):
    monkeypatch.setattr("plaza.dues.views.ROLL_PAGE", 1)
    client = login(based.secretary_a)
    url = f"/dues/org/{based.branch_a.pk}/?month=2025-06"
    first = client.get(url).content.decode()
    rows = re.findall(r'<a href="/dues/person/(\d+)/">', first)
    assert len(rows) == 1
    assert 'class="pager"' in first and "page=2" in first and "month=2025-06" in first
    totals = re.search(r'data-testid="roll-totals">([^<]*)<', first).group(1)
    assert "240.00" in totals  # both members' 120.00
    second = client.get(url + "&page=2").content.decode()
    other = re.findall(r'<a href="/dues/person/(\d+)/">', second)
    assert len(other) == 1 and other != rows
    assert re.search(r'data-testid="roll-totals">([^<]*)<', second).group(1) == totals
