"""Defects found walking 互动空间 as its users (issue 16 QA): English-looking aliases, a reporter sent to a 404
after their report hid the post, the like count glued to its label, the queue's choice for an item hidden by
reports."""

import re

from django.urls import reverse

from plaza.space import services
from plaza.space.models import PostStatus

from .helpers import enterprise_space, post


def test_aliases_are_digits_not_latin_letters(world):
    space = enterprise_space(world)
    names = [services.profile_for(p, space).display_name for p in (world.employee, world.member_a, world.member_b)]
    assert all(re.fullmatch(r"网友\d{6}", name) for name in names), names
    assert len(set(names)) == 3


def test_a_report_that_hides_the_post_leads_back_to_the_space(world, login, settings):
    settings.PLAZA_SPACE_REPORT_HIDE_THRESHOLD = 2
    space = enterprise_space(world)
    shown = post(world.member_a, space, "过分的话")
    services.report(world.member_b, shown, "辱骂")
    client = login(world.employee)
    response = client.post(reverse("space:report", args=[shown.pk]), {"reason": "辱骂"}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("space:space", args=[space.pk])
    page = response.content.decode()
    assert "已举报" in page and "已暂时隐藏" in page and "过分的话" not in page
    shown.refresh_from_db()
    assert shown.status == PostStatus.HIDDEN


def test_the_like_count_is_spaced_from_its_label(world, login):
    space = enterprise_space(world)
    shown = post(world.member_a, space)
    page = login(world.employee).get(reverse("space:space", args=[space.pk])).content.decode()
    # A flex button drops white space between its children: label and count are one inline element.
    assert '<span>点赞 <span data-testid="like-count">0</span></span>' in page
    assert shown.pk


def test_the_queue_offers_to_keep_hidden_or_restore_an_item_hidden_by_reports(world, login, settings):
    settings.PLAZA_SPACE_REPORT_HIDE_THRESHOLD = 2
    space = enterprise_space(world)
    shown = post(world.member_a, space, "被举报的帖子")
    services.report(world.member_b, shown, "广告")
    services.report(world.employee, shown, "广告")
    client = login(world.staff)
    page = client.get(reverse("space:office")).content.decode()
    assert "被举报的帖子" in page and 'data-testid="keep-hidden"' in page and "维持隐藏" in page
    decided = {"decision": "hide", "reason": "广告"}
    response = client.post(reverse("space:decide", args=[shown.pk]), decided, follow=True)
    assert "已处理" in response.content.decode()
    shown.refresh_from_db()
    assert shown.status == PostStatus.HIDDEN and shown.held_reason == ""


def test_the_post_page_offers_a_moderator_to_keep_an_item_hidden_by_reports(world, login, settings):
    settings.PLAZA_SPACE_REPORT_HIDE_THRESHOLD = 2
    shown = post(world.member_a, enterprise_space(world), "被举报的帖子")
    services.report(world.member_b, shown, "广告")
    services.report(world.employee, shown, "广告")
    page = login(world.staff).get(reverse("space:post", args=[shown.pk])).content.decode()
    assert '<option value="hide">维持隐藏</option><option value="restore">恢复</option>' in page
