"""The pages: the feed for each role, writing a post with pictures, htmx like and comment, pictures behind the
post's permission, display names that never show the real name, and the office (queue, words, settings)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plaza.audit.models import AuditEntry
from plaza.space import services
from plaza.space.models import Post, PostStatus, SensitiveWord

from .helpers import branch_space, enterprise_space, picture_bytes, post


@pytest.fixture
def lively(world):  # noqa: ANN001, ANN201
    space = enterprise_space(world)
    services.set_display_name(world.member_a, space, "装调小能手")
    notice = post(world.staff, space, "关于开展志愿服务的通知 #志愿服务#", official=True, pinned=True)
    shown = post(world.member_a, space, "#班组创新# 装调一组的新工装", pictures=[picture_bytes()])
    services.add_comment(world.employee, shown, "点赞！")
    return space, notice, shown


@pytest.mark.parametrize("who", ["admin", "staff", "secretary_a", "member_a", "activist_a", "member_b", "employee"])
def test_feed_pages_render_for_every_role(world, login, lively, who):
    space, notice, shown = lively
    client = login(getattr(world, who))
    for url in (reverse("space:index"), reverse("space:space", args=[space.pk]), reverse("space:mine")):
        assert client.get(url).status_code == 200
    body = client.get(reverse("space:space", args=[space.pk])).content.decode()
    assert "官方" in body and "党委党群工作部" in body and "装调小能手" in body
    assert world.member_a.name not in body  # 张建国 never appears to anyone in the feed
    assert client.get(reverse("space:post", args=[shown.pk])).status_code == 200


def test_the_all_spaces_feed_offers_posting_where_the_person_may_post(world, login, lively):
    """A newcomer lands on 互动空间 (all spaces), not on one space's page: the way to post is offered there too."""
    space, _notice, _shown = lively
    page = login(world.employee).get(reverse("space:index")).content.decode()
    assert 'data-testid="new-post"' in page and reverse("space:new_post", args=[space.pk]) in page


def test_real_names_never_leak_on_pages_or_api(world, login, lively):
    space, notice, shown = lively
    client = login(world.member_b)
    pages = [
        reverse("space:index"),
        reverse("space:space", args=[space.pk]),
        reverse("space:post", args=[shown.pk]),
        reverse("space:post", args=[notice.pk]),
        f"{reverse('space:index')}?topic={shown.topics.get().pk}",
    ]
    for url in pages:
        text = client.get(url).content.decode()
        assert "张建国" not in text and "赵群众" not in text and "王组织" not in text, url
    for url in ("/api/v1/space/feed", f"/api/v1/space/posts/{shown.pk}", f"/api/v1/space/feed?space={space.pk}"):
        text = client.get(url).content.decode()
        assert "张建国" not in text and "赵群众" not in text and "王组织" not in text, url


def test_feed_query_count_stays_flat(world, login, lively, django_assert_max_num_queries, settings):
    settings.PLAZA_SPACE_POST_RATE = ""  # 15 posts by one person at once
    space, _notice, _shown = lively
    for n in range(15):
        post(world.member_b, space, f"第 {n} 帖 #话题{n % 3}#", pictures=[])
    client = login(world.employee)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("space:space", args=[space.pk])).status_code == 200


def test_keyset_pages_go_back_in_time(world, login, settings):
    settings.PLAZA_SPACE_POST_RATE = ""  # 25 posts by one person at once
    space = enterprise_space(world)
    made = [post(world.member_a, space, f"第 {n} 帖").pk for n in range(25)]
    client = login(world.employee)
    first = client.get(reverse("space:space", args=[space.pk])).content.decode()
    assert "第 24 帖" in first and "第 4 帖" not in first
    older = client.get(f"{reverse('space:space', args=[space.pk])}?before={made[5]}").content.decode()
    assert "第 4 帖" in older and "第 0 帖" in older and "第 5 帖" not in older


def test_write_a_post_with_pictures(world, login):
    space = enterprise_space(world)
    client = login(world.member_a)
    assert client.get(reverse("space:new_post", args=[space.pk])).status_code == 200
    upload = SimpleUploadedFile("IMG_0001.jpg", picture_bytes(exif=True), content_type="image/jpeg")
    response = client.post(
        reverse("space:new_post", args=[space.pk]), {"body": "#锐歌、E5 试驾体验# 今天试驾", "pictures": [upload]}
    )
    made = Post.objects.get()
    assert response.status_code == 302 and response.url == reverse("space:post", args=[made.pk])
    picture = made.pictures.get()
    assert "IMG_0001" not in picture.image.name
    got = client.get(reverse("space:picture", args=[picture.pk]))
    assert got.status_code == 200 and got["Content-Type"] == "image/jpeg" and "private" in got["Cache-Control"]


def test_refusals_stay_on_the_form(world, login):
    space = enterprise_space(world)
    SensitiveWord.objects.create(word="赌博", level="block")
    from plaza.space.models import WordListVersion

    WordListVersion.bump()
    client = login(world.member_a)
    url = reverse("space:new_post", args=[space.pk])
    text = client.post(url, {"body": "周末赌博去"}).content.decode()
    assert "禁止发布的词语：赌博" in text and "周末赌博去" in text
    text = client.post(url, {"body": ""}).content.decode()
    assert "帖子不能为空" in text
    bad = SimpleUploadedFile("x.gif", b"GIF89a-broken", content_type="image/gif")
    text = client.post(url, {"body": "图", "pictures": [bad]}).content.decode()
    assert "第 1 张图片" in text
    assert not Post.objects.exists()


def test_pictures_follow_the_post_permission(world, login):
    space = branch_space(world)
    shown = post(world.member_a, space, "车间照片", pictures=[picture_bytes()])
    picture = shown.pictures.get()
    url = reverse("space:picture", args=[picture.pk])
    assert login(world.activist_a).get(url).status_code == 200
    assert login(world.member_b).get(url).status_code == 404
    assert (
        f"/media/{picture.image.name}"
        not in login(world.activist_a).get(reverse("space:post", args=[shown.pk])).content.decode()
    )


def test_htmx_like_and_comment(world, login, lively):
    _space, _notice, shown = lively
    client = login(world.member_b)
    url = reverse("space:like", args=[shown.pk])
    first = client.post(url, {"action": "like"}, HTTP_HX_REQUEST="true")
    assert first.status_code == 200 and 'data-testid="like-count">1<' in first.content.decode()
    again = client.post(url, {"action": "like"}, HTTP_HX_REQUEST="true")
    assert 'data-testid="like-count">1<' in again.content.decode()
    back = client.post(url, {"action": "unlike"}, HTTP_HX_REQUEST="true")
    assert 'data-testid="like-count">0<' in back.content.decode()
    made = client.post(reverse("space:comment", args=[shown.pk]), {"body": "赞同"}, HTTP_HX_REQUEST="true")
    assert made.status_code == 200 and "赞同" in made.content.decode() and "评论（2）" in made.content.decode()
    empty = client.post(reverse("space:comment", args=[shown.pk]), {"body": ""}, HTTP_HX_REQUEST="true")
    assert empty.status_code == 200 and "评论（2）" in empty.content.decode()


def test_posts_of_another_branch_are_404(world, login):
    shown = post(world.member_a, branch_space(world))
    client = login(world.member_b)
    assert client.get(reverse("space:post", args=[shown.pk])).status_code == 404
    assert client.post(reverse("space:like", args=[shown.pk])).status_code == 404
    assert client.post(reverse("space:comment", args=[shown.pk]), {"body": "x"}).status_code == 404


def test_report_and_decide_from_the_office(world, login, lively):
    _space, _notice, shown = lively
    login(world.member_b).post(reverse("space:report", args=[shown.pk]), {"reason": "广告"})
    client = login(world.staff)
    text = client.get(reverse("space:office")).content.decode()
    assert "张建国" in text and "装调小能手" in text and "广告" in text  # 后台实名
    assert AuditEntry.objects.filter(action="space.view_identity", actor=world.staff).exists()
    client.post(reverse("space:decide", args=[shown.pk]), {"decision": "hide", "reason": "广告"})
    shown.refresh_from_db()
    assert shown.status == PostStatus.HIDDEN
    assert 'data-testid="hidden"' in client.get(reverse("space:office")).content.decode()
    client.post(reverse("space:decide", args=[shown.pk]), {"decision": "restore", "reason": "复核无问题"})
    shown.refresh_from_db()
    assert shown.status == PostStatus.PUBLISHED
    assert login(world.secretary_a).get(reverse("space:office")).status_code == 403


def test_words_and_settings_pages(world, login):
    space = enterprise_space(world)
    client = login(world.staff)
    assert client.get(reverse("space:words")).status_code == 200
    client.post(reverse("space:words"), {"words": "赌博，代开发票\n投诉", "level": "block"})
    assert SensitiveWord.objects.count() == 3
    word = SensitiveWord.objects.get(word="投诉")
    client.post(reverse("space:delete_word", args=[word.pk]))
    assert SensitiveWord.objects.count() == 2
    response = client.post(
        reverse("space:settings", args=[space.pk]),
        {
            "name": "员工互动空间",
            "description": "",
            "official_name": "党委党群工作部",
            "premoderation": "on",
            "active": "on",
        },
    )
    assert response.status_code == 302
    space.refresh_from_db()
    assert space.premoderation
    assert login(world.member_a).get(reverse("space:words")).status_code == 403


def test_display_name_page(world, login):
    space = enterprise_space(world)
    client = login(world.employee)
    assert client.get(reverse("space:display_name", args=[space.pk])).status_code == 200
    response = client.post(reverse("space:display_name", args=[space.pk]), {"display_name": "李红梅"})
    assert "他人的真实姓名" in response.content.decode()
    client.post(reverse("space:display_name", args=[space.pk]), {"display_name": "物流阿赵"})
    assert services.profile_for(world.employee, space).display_name == "物流阿赵"


def test_open_a_space_and_export_the_logs(world, login, lively):
    _space, _notice, shown = lively
    client = login(world.staff)
    assert client.get(reverse("space:new_space")).status_code == 200
    response = client.post(
        reverse("space:new_space"), {"organisation": world.branch_b.pk, "name": "物流支部空间", "premoderation": "on"}
    )
    assert response.status_code == 302
    made = services.queries.moderated_spaces(world.staff).get(name="物流支部空间")
    assert made.premoderation and made.organisation == world.branch_b and not made.everyone
    assert services.may_post(world.member_b, made) and not services.may_post(world.member_a, made)
    services.moderate(world.staff, shown, "hide", "广告")
    words = client.get(reverse("space:words_export"))
    log = client.get(reverse("space:decisions_export"))
    assert words.status_code == 200 and log.status_code == 200
    assert log["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEntry.objects.filter(action="space.export", actor=world.staff).count() == 2
    assert login(world.secretary_a).get(reverse("space:decisions_export")).status_code == 403
    assert login(world.secretary_a).get(reverse("space:new_space")).status_code == 403


def test_report_a_comment(world, login, lively):
    _space, _notice, shown = lively
    comment = shown.comments.get()
    client = login(world.member_b)
    client.post(reverse("space:report", args=[shown.pk]), {"reason": "骂人", "comment": comment.pk})
    items = services.reveal_queue(world.staff)
    assert [(i.post.pk, i.comment.pk if i.comment else None) for i in items] == [(shown.pk, comment.pk)]
