"""Posting rate limits (posts, comments) refused in Chinese with the time one may post again; posts and comments
hidden at once when enough people report them, waiting for a moderator (who keeps them hidden or restores them),
audited once however many reports arrive together."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from plaza.audit.models import AuditEntry
from plaza.lib import ratelimit
from plaza.notify.models import Notification
from plaza.space import queries, services
from plaza.space.models import Comment, CommentStatus, Post, PostStatus, Report
from plaza.testing.factories import PersonFactory

from .helpers import enterprise_space, post
from .test_concurrency import _at_once


def test_rates_are_read_from_the_setting_text():
    assert ratelimit.parse("5/10m,30/1d") == (ratelimit.Rate(5, 600), ratelimit.Rate(30, 86400))
    assert ratelimit.parse("  ") == () and ratelimit.parse("0/1h") == ()
    with pytest.raises(Exception, match="expected N/window"):
        ratelimit.parse("five a minute")


def test_next_allowed_is_when_the_oldest_counted_write_leaves_the_window():
    now = timezone.now()
    rates = ratelimit.parse("2/10m")
    assert ratelimit.next_allowed(rates, [now - timedelta(minutes=1)], now) is None
    times = [now - timedelta(minutes=1), now - timedelta(minutes=4)]
    rate, free_at = ratelimit.next_allowed(rates, times, now)
    assert rate.count == 2 and free_at == times[1] + timedelta(minutes=10)
    assert ratelimit.next_allowed(rates, [now - timedelta(minutes=1), now - timedelta(minutes=11)], now) is None


def test_posting_too_often_is_refused_with_when_to_post_again(world, settings):
    settings.PLAZA_SPACE_POST_RATE = "2/10m"
    space = enterprise_space(world)
    post(world.member_a, space, "第一帖")
    post(world.member_a, space, "第二帖")
    with pytest.raises(ValidationError) as refused:
        post(world.member_a, space, "第三帖")
    message = refused.value.messages[0]
    assert "发帖太频繁" in message and "10 分钟内最多 2 次" in message and "之后再试" in message
    free_at = timezone.localtime(Post.objects.filter(author=world.member_a).order_by("id").first().created_at)
    assert f"{free_at + timedelta(minutes=10, seconds=59):%H:%M}" in message
    assert Post.objects.filter(author=world.member_a).count() == 2
    post(world.member_b, space, "别人不受影响")
    # An hour later the window has passed.
    Post.objects.filter(author=world.member_a).update(created_at=timezone.now() - timedelta(hours=1))
    post(world.member_a, space, "第三帖")


def test_official_posts_are_not_limited(world, settings):
    settings.PLAZA_SPACE_POST_RATE = "1/1h"
    space = enterprise_space(world)
    for n in range(3):
        post(world.staff, space, f"官方通知 {n}", official=True)
    post(world.staff, space, "我的普通帖")
    with pytest.raises(ValidationError, match="发帖太频繁"):
        post(world.staff, space, "再来一帖")


def test_commenting_too_often_is_refused(world, settings):
    settings.PLAZA_SPACE_COMMENT_RATE = "3/10m"
    shown = post(world.member_a, enterprise_space(world))
    for n in range(3):
        services.add_comment(world.employee, shown, f"评论 {n}")
    with pytest.raises(ValidationError, match="评论太频繁：10 分钟内最多 3 次"):
        services.add_comment(world.employee, shown, "第四条")
    assert Comment.objects.filter(author=world.employee).count() == 3


def test_the_refusal_reaches_the_page_and_the_api(world, login, settings):
    settings.PLAZA_SPACE_POST_RATE = "1/1d"
    space = enterprise_space(world)
    post(world.member_a, space, "今天第一帖")
    client = login(world.member_a)
    page = client.post(f"/space/{space.pk}/new/", {"body": "第二帖"})
    assert page.status_code == 200 and "发帖太频繁：1 天内最多 1 次" in page.content.decode()
    api = client.post(f"/api/v1/space/spaces/{space.pk}/posts", {"body": "第二帖"}, content_type="application/json")
    assert api.status_code == 400 and "之后再试" in api.json()["detail"]


# ------------------------------------------------------------------------------------------ auto-hide


def test_a_post_reported_by_three_people_is_hidden_until_reviewed(world, settings, committed):
    settings.PLAZA_SPACE_REPORT_HIDE_THRESHOLD = 3
    space = enterprise_space(world)
    shown = post(world.member_a, space, "有点过分的话")
    services.report(world.employee, shown, "人身攻击")
    services.report(world.member_b, shown, "人身攻击")
    shown.refresh_from_db()
    assert shown.status == PostStatus.PUBLISHED
    with committed():
        services.report(world.secretary_a, shown, "不文明")
    shown.refresh_from_db()
    assert shown.status == PostStatus.HIDDEN and "3 人举报" in shown.held_reason
    assert queries.post_for(world.employee, shown.pk) is None  # gone from others' feeds
    assert queries.post_for(world.member_a, shown.pk) is not None  # the author still sees it, with the reason
    hidden = AuditEntry.objects.filter(action="space.auto_hide")
    assert hidden.count() == 1 and hidden.get().actor is None and hidden.get().after["reports"] == 3
    assert Notification.objects.filter(recipient=world.member_a, title__contains="暂时隐藏").exists()
    # The moderator's queue shows it with its three reports; keeping it hidden closes them and tells the author.
    items = services.reveal_queue(world.staff)
    assert [(i.post.pk, len(i.reports), i.status) for i in items] == [(shown.pk, 3, PostStatus.HIDDEN)]
    assert services.decisions_open(shown)[:2] == ["hide", "restore"]
    with committed():
        services.moderate(world.staff, shown, "hide", "确属人身攻击")
    shown.refresh_from_db()
    assert shown.status == PostStatus.HIDDEN and shown.held_reason == ""
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    assert services.reveal_queue(world.staff) == []
    assert Notification.objects.filter(recipient=world.member_a, title="您的帖子已被隐藏").exists()


def test_a_moderator_restores_a_wrongly_reported_post(world, settings):
    settings.PLAZA_SPACE_REPORT_HIDE_THRESHOLD = 2
    shown = post(world.member_a, enterprise_space(world), "合理的建议")
    services.report(world.employee, shown, "看不惯")
    services.report(world.member_b, shown, "看不惯")
    shown.refresh_from_db()
    assert shown.status == PostStatus.HIDDEN
    services.moderate(world.staff, shown, "restore", "内容合规")
    shown.refresh_from_db()
    assert shown.status == PostStatus.PUBLISHED and queries.post_for(world.employee, shown.pk) is not None
    # The closed reports no longer count: one new report does not hide it again.
    services.report(world.secretary_a, shown, "再举报")
    shown.refresh_from_db()
    assert shown.status == PostStatus.PUBLISHED


def test_a_reported_comment_is_hidden_and_uncounted_then_restored(world, settings):
    settings.PLAZA_SPACE_REPORT_HIDE_THRESHOLD = 2
    shown = post(world.member_a, enterprise_space(world))
    said = services.add_comment(world.member_b, shown, "难听的话")
    assert Post.objects.get(pk=shown.pk).comment_count == 1
    services.report(world.employee, shown, "辱骂", comment=said)
    services.report(world.member_a, shown, "辱骂", comment=said)
    said.refresh_from_db()
    assert said.status == CommentStatus.HIDDEN and Post.objects.get(pk=shown.pk).comment_count == 0
    assert said not in queries.comments_of(world.employee, shown)
    services.moderate(world.staff, shown, "restore", "误报", comment=said)
    said.refresh_from_db()
    assert said.status == CommentStatus.PUBLISHED and Post.objects.get(pk=shown.pk).comment_count == 1


def test_zero_threshold_never_hides(world, settings):
    settings.PLAZA_SPACE_REPORT_HIDE_THRESHOLD = 0
    shown = post(world.member_a, enterprise_space(world))
    for person in (world.employee, world.member_b, world.secretary_a):
        services.report(person, shown, "举报")
    shown.refresh_from_db()
    assert shown.status == PostStatus.PUBLISHED


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_reports_at_once_are_counted_once_each_and_hide_once(world, settings):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL")
    settings.PLAZA_SPACE_REPORT_HIDE_THRESHOLD = 2
    shown = post(world.member_a, enterprise_space(world))
    outcomes = _at_once(
        [
            lambda: services.report(world.employee, shown, "举报一"),
            lambda: services.report(world.member_b, shown, "举报二"),
        ]
    )
    assert all(isinstance(o, Report) for o in outcomes), outcomes
    assert Report.objects.filter(post=shown).count() == 2
    assert Post.objects.get(pk=shown.pk).status == PostStatus.HIDDEN  # neither missed the other's report
    assert AuditEntry.objects.filter(action="space.auto_hide").count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_many_reports_at_once_hide_once_and_a_double_report_counts_once(world, settings):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL")
    settings.PLAZA_SPACE_REPORT_HIDE_THRESHOLD = 3
    shown = post(world.member_a, enterprise_space(world))
    people = [PersonFactory(employee_no=f"R{n:04d}") for n in range(8)]
    calls = [lambda p=p: services.report(p, shown, "举报") for p in people]
    calls += [lambda: services.report(people[0], shown, "同一人再举报")] * 3
    outcomes = _at_once(calls)
    made = [o for o in outcomes if isinstance(o, Report)]
    # Every call either made one report or was refused (twice reported, or the post already hidden by then).
    assert len(made) + sum(isinstance(o, ValidationError) for o in outcomes) == len(calls)
    assert Report.objects.filter(post=shown).count() == len(made) >= 3
    assert Report.objects.filter(post=shown, reporter=people[0]).count() == 1
    assert Post.objects.get(pk=shown.pk).status == PostStatus.HIDDEN
    assert AuditEntry.objects.filter(action="space.auto_hide").count() == 1


def test_a_day_limit_names_the_day_one_may_post_again(world, settings):
    settings.PLAZA_SPACE_POST_RATE = "1/2d"
    space = enterprise_space(world)
    post(world.member_a, space, "今天的帖子")
    with pytest.raises(ValidationError) as refused:
        post(world.member_a, space, "再来一帖")
    free_at = timezone.localtime(Post.objects.get(author=world.member_a).created_at + timedelta(days=2, seconds=59))
    assert f"请在 {free_at.month}月{free_at.day}日 {free_at:%H:%M} 之后再试" in refused.value.messages[0]
    assert "2 天内最多 1 次" in refused.value.messages[0]
