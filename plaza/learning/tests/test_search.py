"""Search for Chinese: words need not be next to each other; titles weigh more; scope is kept."""

from unittest.mock import patch

import pytest

from plaza.learning import search

from .helpers import article


@pytest.fixture(params=["jieba", "bigrams"])
def segmenter(request):
    search._jieba.cache_clear()
    if request.param == "bigrams":
        with patch.dict("sys.modules", {"jieba": None}):  # import jieba fails
            search._jieba.cache_clear()
            yield request.param
    else:
        yield request.param
    search._jieba.cache_clear()


def test_words_not_next_to_each_other(world, segmenter):
    if segmenter == "jieba" and search._jieba() is None:
        pytest.skip("jieba is not installed")
    assert (search._jieba() is None) == (segmenter == "bigrams")
    body_hit = article(world, "车间动态", "本月支部组织党员开展了形式多样的理论学习和思想教育活动。")
    title_hit = article(world, "党员思想教育专题", "详见附件。")
    article(world, "食堂菜单", "今天午餐有红烧肉。")
    hidden = article(world, "物流支部的党员思想教育", "仅物流支部可见。", to=[world.branch_b])
    hits = search.search(world.member_a, "党员思想教育")
    assert [h.obj.pk for h in hits] == [title_hit.pk, body_hit.pk]
    assert hidden.pk in [h.obj.pk for h in search.search(world.member_b, "党员思想教育")]


def test_terms():
    search._jieba.cache_clear()
    with patch.dict("sys.modules", {"jieba": None}):
        search._jieba.cache_clear()
        assert search.terms("党员 教育 PDF") == ["党员", "教育", "pdf"]
    search._jieba.cache_clear()
    assert search.terms("") == []
