"""Page-number pagination with bounded inputs (an absurd page number is a 422, not a database error), and a
total that is not counted again on every page when it is large.

django-ninja counts the whole list for every page. For 党委 staff that is everyone in the Party tree: an
``EXISTS`` over 200,000 people, ~80 ms, while the page itself takes under a millisecond (docs/benchmarks.md,
"The staff roster counts 67,000 people on every page"). A total of ``CACHED_COUNT_FROM`` or more is therefore
kept in the cache for ``PLAZA_API_COUNT_CACHE_SECONDS`` (60 by default), keyed by the query itself, so
paging through a large list counts it once a minute. A total can be that much behind; the items never are.
Small totals — a branch's roster, anything a test builds — are always counted afresh.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 1_000_000
CACHED_COUNT_FROM = 1_000


def count_seconds() -> int:
    return int(getattr(settings, "PLAZA_API_COUNT_CACHE_SECONDS", 60))


def _key(queryset: QuerySet) -> str:
    sql, params = queryset.query.sql_with_params()
    digest = hashlib.sha256(repr((queryset.db, sql, params)).encode()).hexdigest()
    return f"plaza:api:count:{digest}"


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="页码，从 1 开始")
        page_size: int | None = Field(None, ge=1, le=100, description="每页条数，最多 100")

    def _items_count(self, queryset: Any) -> int:
        if not isinstance(queryset, QuerySet) or count_seconds() <= 0:
            return super()._items_count(queryset)
        try:
            key = _key(queryset)
        except EmptyResultSet:  # a scope that is empty (a token of someone who sees nobody): nothing to count
            return 0
        found = cache.get(key)
        if found is not None:
            return found
        total = queryset.count()
        if total >= CACHED_COUNT_FROM:
            cache.set(key, total, count_seconds())
        return total
