"""Issue 12 item 11: the points economy adds up. The points page shows the daily caps of activities that exist
(registered by the app that implements them: 阅读豆), not of 视频学习 or 答题 that nothing can earn; and the demo
lets a member read its articles and redeem the cheapest mall item in one sitting."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from plaza.demo.learn_and_serve import seed_demo_learn_and_serve
from plaza.learning import queries
from plaza.points import services as points
from plaza.points.models import Item

from .helpers import read


def test_the_points_page_shows_only_activities_that_exist(world, login):
    """Every activity on the page is one an app registered and really awards (答题 since issue 15); one that
    nothing implements (视频学习) is not offered, whatever the settings say."""
    keys = [a.key for a in points.activities()]
    assert "reading" in keys and {"quiz", "quiz_challenge"} <= set(keys) and "video" not in keys
    assert points.daily_caps()["reading"] == 10
    body = login(world.member_a).get("/points/").content.decode()
    assert "阅读豆 10" in body and "每日答题 5" in body
    assert "视频学习" not in body


def test_a_cap_configured_for_an_activity_nobody_implements_adds_nothing(world, settings):
    settings.PLAZA_POINTS_DAILY_CAPS = {"reading": 4, "video": 10}
    caps = points.daily_caps()
    assert caps["reading"] == 4 and "video" not in caps
    with pytest.raises(ValidationError, match="未知的积分活动"):
        points.earn_for_activity(world.member_a, "video", 2, key="v1")


def test_a_member_reads_the_demo_articles_and_redeems_in_one_sitting(world):
    seed_demo_learn_and_serve()
    member = world.member_a
    for article in queries.articles_for(member):
        outcome = read(member, article, seconds=points.reading_min_seconds())
        assert outcome.granted == points.reading_beans_per_article(), outcome.message
    earned = points.balance_of(member)
    assert earned <= points.daily_caps()["reading"]  # all of it within one day's cap
    cheapest = Item.objects.filter(active=True).order_by("price").first()
    assert cheapest.price <= earned
    order = points.redeem(member, cheapest)
    assert order.pk and points.balance_of(member) == earned - cheapest.price
