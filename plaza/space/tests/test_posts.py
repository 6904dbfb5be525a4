"""Posts, visibility, display names, moderation, likes, comments and mentions through the services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from plaza.audit.models import AuditEntry
from plaza.notify.models import Notification
from plaza.space import queries, services
from plaza.space.models import CommentStatus, Like, Post, PostStatus, Report
from plaza.testing.factories import PersonFactory, add_org, join

from .helpers import branch_space, enterprise_space, picture_bytes, post

# ------------------------------------------------------------------------------------------ visibility


def test_a_branch_space_is_only_for_the_branch(world):
    space = branch_space(world)
    assert services.may_post(world.member_a, space)
    assert not services.may_post(world.member_b, space)
    assert queries.space_for(world.member_b, space.pk) is None
    with pytest.raises(PermissionDenied):
        post(world.member_b, space)
    mine = post(world.member_a, space)
    assert queries.post_for(world.activist_a, mine.pk) == mine
    assert queries.post_for(world.member_b, mine.pk) is None
    assert queries.feed(world.member_b).posts == []


def test_everyone_sees_the_enterprise_space_union_only_employees_too(world):
    space = enterprise_space(world)
    shown = post(world.member_a, space, "#班组创新# 装调一组的新工装")
    for viewer in (world.employee, world.member_b, world.staff, world.activist_a):
        assert [p.pk for p in queries.feed(viewer, space=space).posts] == [shown.pk]


def test_a_post_meant_for_some_organisations_reaches_their_subtrees_only(world):
    space = enterprise_space(world)
    shown = post(world.staff, space, "东岳动力总成的通知", organisation_ids=[world.general_branch.pk])
    assert queries.post_for(world.member_a, shown.pk) is not None  # branch_a lies under the 党总支
    assert queries.post_for(world.member_b, shown.pk) is None
    assert queries.post_for(world.employee, shown.pk) is None
    assert queries.post_for(world.staff, shown.pk) is not None  # author (and moderator)


def test_a_member_may_address_only_their_own_organisations(world):
    space = enterprise_space(world)
    with pytest.raises(ValidationError, match="只能选择"):
        post(world.member_a, space, organisation_ids=[world.branch_b.pk])
    shown = post(world.member_a, space, organisation_ids=[world.branch_a.pk, world.union.pk])
    assert sorted(shown.audience.values_list("organisation__name", flat=True)) == ["上汽通用汽车工会", "装调车间党支部"]
    assert queries.post_for(world.employee, shown.pk) is not None  # through the union


def test_a_left_member_no_longer_sees_the_branch(world):
    space = branch_space(world)
    shown = post(world.member_a, space)
    newcomer = PersonFactory(employee_no="N0001", name="新来的")
    join(newcomer, world.branch_b)
    assert queries.post_for(newcomer, shown.pk) is None
    other = add_org(world.branch_a, "装调二组党小组", "P0103", "group")
    join(PersonFactory(employee_no="N0002"), other)


# ------------------------------------------------------------------------------------------ bad input


def test_empty_and_oversized_posts_are_refused_in_chinese(world):
    space = enterprise_space(world)
    with pytest.raises(ValidationError, match="不能为空"):
        post(world.member_a, space, "   ")
    with pytest.raises(ValidationError, match="最多 2000 字，现在有 2001 字"):
        post(world.member_a, space, "好" * 2001)
    assert Post.objects.count() == 0


def test_pictures_are_cleaned_and_limited(world):
    space = enterprise_space(world)
    with pytest.raises(ValidationError, match="最多上传 9 张图片"):
        post(world.member_a, space, pictures=[picture_bytes()] * 10)
    with pytest.raises(ValidationError, match="第 2 张图片：.*无法识别"):
        post(world.member_a, space, pictures=[picture_bytes(), b"%PDF-1.4 not a picture"])
    with pytest.raises(ValidationError, match="第 1 张图片：图片尺寸过大"):
        post(world.member_a, space, pictures=[picture_bytes("PNG", (8000, 8000))])
    assert Post.objects.count() == 0
    shown = post(world.member_a, space, "E5 试驾", pictures=[picture_bytes(exif=True), picture_bytes("PNG")])
    stored = list(shown.pictures.all())
    assert len(stored) == 2 and shown.picture_count == 2
    data = stored[0].image.read()
    assert b"Secret GPS Phone" not in data and b"PhoneMaker" not in data
    assert stored[0].image.name.startswith("space/")


def test_a_huge_picture_file_is_refused_before_decoding(world):
    space = enterprise_space(world)
    with pytest.raises(ValidationError, match="图片太大"):
        post(world.member_a, space, pictures=[b"\xff\xd8" + b"0" * (11 * 1024 * 1024)])


def test_only_pictures_without_text_is_a_post(world):
    space = enterprise_space(world)
    assert post(world.member_a, space, "", pictures=[picture_bytes()]).picture_count == 1


# ------------------------------------------------------------------------------------------ names


def test_the_default_display_name_is_a_neutral_alias(world):
    space = enterprise_space(world)
    shown = post(world.member_a, space)
    assert shown.profile.display_name.startswith("网友")
    assert world.member_a.name not in shown.shown_name


def test_display_names_are_unique_and_never_another_persons_real_name(world):
    space = enterprise_space(world)
    services.set_display_name(world.member_a, space, "装调小能手")
    with pytest.raises(ValidationError, match="已被他人使用"):
        services.set_display_name(world.employee, space, "装调小能手")
    with pytest.raises(ValidationError, match="他人的真实姓名"):
        services.set_display_name(world.employee, space, world.member_b.name)
    with pytest.raises(ValidationError, match="官方账号"):
        services.set_display_name(world.employee, space, "党委党群工作部")
    with pytest.raises(ValidationError, match="2 到 20"):
        services.set_display_name(world.employee, space, "我")
    assert services.set_display_name(world.employee, space, "", real_name=True).display_name == "赵群众"


# ------------------------------------------------------------------------------------------ moderation


def test_pre_moderation_holds_new_posts_until_approved(world, committed):
    space = enterprise_space(world, premoderation=True)
    held = post(world.member_a, space, "试驾锐歌的感受")
    assert held.status == PostStatus.PENDING
    assert queries.post_for(world.employee, held.pk) is None
    assert queries.post_for(world.member_a, held.pk) == held  # the author sees it waiting
    assert [p.pk for p in queries.feed(world.member_a, mine=True).posts] == [held.pk]
    items = services.reveal_queue(world.staff)
    assert [i.post.pk for i in items] == [held.pk] and items[0].author == world.member_a
    assert AuditEntry.objects.filter(action="space.view_identity", actor=world.staff).exists()
    with pytest.raises(PermissionDenied):
        services.moderate(world.secretary_a, held, "approve", "合规")
    with committed():
        services.moderate(world.staff, held, "approve", "内容合规")
    held.refresh_from_db()
    assert held.status == PostStatus.PUBLISHED
    assert queries.post_for(world.employee, held.pk) is not None
    assert Notification.objects.filter(recipient=world.member_a, title__contains="审核通过").exists()
    with pytest.raises(ValidationError, match="不能通过|不能"):
        services.moderate(world.staff, held, "restore", "再来")


def test_official_posts_skip_pre_moderation_and_can_be_pinned(world):
    space = enterprise_space(world, premoderation=True)
    with pytest.raises(PermissionDenied):
        post(world.member_a, space, "置顶", pinned=True)
    notice = post(world.staff, space, "关于开展志愿服务的通知", official=True, pinned=True)
    assert notice.status == PostStatus.PUBLISHED and notice.pinned and notice.shown_name == "党委党群工作部"
    later = post(world.staff, space, "普通帖子")
    page = queries.feed(world.employee, space=space)
    assert [p.pk for p in page.pinned] == [notice.pk]
    assert notice.pk not in [p.pk for p in page.posts]
    assert later.status == PostStatus.PENDING  # 组织部 staff's own non-official post still waits


def test_reports_reach_the_queue_and_hiding_removes_the_post(world, committed):
    space = enterprise_space(world)
    shown = post(world.member_a, space, "有点过分的话")
    services.report(world.employee, shown, "人身攻击")
    with pytest.raises(ValidationError, match="已举报过"):
        services.report(world.employee, shown, "再举报一次")
    with pytest.raises(ValidationError, match="举报理由"):
        services.report(world.member_b, shown, " ")
    items = services.reveal_queue(world.staff)
    assert len(items) == 1 and items[0].reports[0].reason == "人身攻击"
    with committed():
        services.moderate(world.staff, shown, "hide", "含人身攻击")
    shown.refresh_from_db()
    assert shown.status == PostStatus.HIDDEN
    assert queries.post_for(world.employee, shown.pk) is None
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    assert services.reveal_queue(world.staff) == []
    assert Notification.objects.filter(recipient=world.member_a, title__contains="已被隐藏").exists()
    services.moderate(world.staff, shown, "restore", "复核后恢复")
    shown.refresh_from_db()
    assert shown.status == PostStatus.PUBLISHED
    assert list(shown.decisions.values_list("decision", flat=True)) == ["restore", "hide"]


def test_a_branch_secretary_does_not_moderate(world):
    space = enterprise_space(world)
    shown = post(world.member_a, space)
    with pytest.raises(PermissionDenied):
        services.reveal_queue(world.secretary_a)
    with pytest.raises(PermissionDenied):
        services.moderate(world.secretary_a, shown, "hide", "不喜欢")


def test_a_held_comment_is_approved_and_counted_once(world):
    from plaza.space.models import SensitiveWord, WordListVersion

    space = enterprise_space(world)
    shown = post(world.member_a, space)
    SensitiveWord.objects.create(word="投诉", level="review")
    WordListVersion.bump()
    held = services.add_comment(world.employee, shown, "我想投诉")
    shown.refresh_from_db()
    assert held.status == CommentStatus.PENDING and shown.comment_count == 0
    assert held not in queries.comments_of(world.member_b, shown)
    assert held in queries.comments_of(world.employee, shown)
    services.moderate(world.staff, shown, "approve", "合理诉求", comment=held)
    shown.refresh_from_db()
    assert shown.comment_count == 1


# ------------------------------------------------------------------------------------------ likes


def test_a_second_like_counts_nothing(world):
    space = enterprise_space(world)
    shown = post(world.member_a, space)
    assert services.like(world.employee, shown) is True
    assert services.like(world.employee, shown) is False
    shown.refresh_from_db()
    assert shown.like_count == 1 and Like.objects.count() == 1
    assert services.unlike(world.employee, shown) is True
    assert services.unlike(world.employee, shown) is False
    shown.refresh_from_db()
    assert shown.like_count == 0


def test_a_post_one_cannot_see_cannot_be_liked(world):
    shown = post(world.member_a, branch_space(world))
    with pytest.raises(ValidationError, match="不能点赞"):
        services.like(world.member_b, shown)


# ------------------------------------------------------------------------------------------ comments, mentions


def test_comments_replies_and_mentions_notify_without_the_real_name(world, committed):
    space = enterprise_space(world)
    services.set_display_name(world.member_a, space, "装调小能手")
    services.set_display_name(world.employee, space, "物流阿赵")
    services.set_display_name(world.member_b, space, "采购红梅")
    with committed():
        shown = post(world.member_a, space, "#锐歌试驾# @物流阿赵 @采购红梅 一起来看看")
    to_employee = Notification.objects.get(recipient=world.employee)
    assert "装调小能手" in to_employee.title and world.member_a.name not in to_employee.title + to_employee.body
    assert Notification.objects.filter(recipient=world.member_b).count() == 1
    with committed():
        first = services.add_comment(world.employee, shown, "收到！")
        services.add_comment(world.member_b, shown, "同去 @物流阿赵", parent=first)
    assert Notification.objects.filter(recipient=world.member_a, title__contains="评论了您的帖子").count() == 2
    assert Notification.objects.filter(recipient=world.employee, title__contains="回复了您的评论").count() == 1
    shown.refresh_from_db()
    assert shown.comment_count == 2
    assert list(shown.topics.values_list("name", flat=True)) == ["锐歌试驾"]


def test_mentions_reach_only_people_who_can_see_the_post(world, committed):
    space = enterprise_space(world)
    services.set_display_name(world.member_b, space, "采购红梅")
    with committed():
        post(world.member_a, space, "@采购红梅 看看", organisation_ids=[world.branch_a.pk])
    assert not Notification.objects.filter(recipient=world.member_b).exists()


def test_topics_are_parsed_once_each():
    assert services.topics_in("#锐歌、E5 试驾体验# 很棒 #班组创新##班组创新#") == ["锐歌、E5 试驾体验", "班组创新"]
