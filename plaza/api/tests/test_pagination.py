"""The API's page totals: large ones are counted once a minute, small ones every time."""

import pytest
from django.core.cache import cache

from plaza.accounts.models import Person
from plaza.lib import pagination
from plaza.testing.factories import PersonFactory


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _total(pages: pagination.Pages) -> int:
    return pages._items_count(Person.objects.order_by("employee_no"))


def test_a_large_total_is_kept_for_a_while(world, monkeypatch):
    monkeypatch.setattr(pagination, "CACHED_COUNT_FROM", 3)  # "large" for a test's handful of people
    pages = pagination.Pages(page_size=20)
    before = Person.objects.count()
    assert _total(pages) == before
    PersonFactory(employee_no="N0001", name="新来的")
    assert _total(pages) == before  # the kept total: behind by one for at most a minute
    assert _total(pages.__class__(page_size=20)) == before
    assert pages._items_count(Person.objects.filter(employee_no__startswith="N")) == 1  # another query


def test_small_totals_and_a_zero_setting_always_count_afresh(world, settings, monkeypatch):
    pages = pagination.Pages(page_size=20)
    before = _total(pages)  # a test's handful: under CACHED_COUNT_FROM
    PersonFactory(employee_no="N0002", name="又来的")
    assert _total(pages) == before + 1
    monkeypatch.setattr(pagination, "CACHED_COUNT_FROM", 3)
    settings.PLAZA_API_COUNT_CACHE_SECONDS = 0
    _total(pages)
    PersonFactory(employee_no="N0003", name="再来的")
    assert _total(pages) == before + 2
