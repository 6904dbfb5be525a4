"""The 互动空间 API: feed with a cursor, a post with comments, writing, idempotent likes, comments; refusals are
400s with the reason, another branch's post is a 404, and no answer carries a real name."""

import io

from plaza.space import services
from plaza.space.models import Post, PostPicture

from .helpers import branch_space, enterprise_space, picture_bytes, post


def _post(client, url, body=None):  # noqa: ANN001, ANN202
    return client.post(url, body or {}, content_type="application/json")


def test_feed_with_cursor_and_pinned(world, client, settings):
    settings.PLAZA_SPACE_POST_RATE = ""  # 25 posts by one person at once
    space = enterprise_space(world)
    notice = post(world.staff, space, "置顶通知", official=True, pinned=True)
    made = [post(world.member_a, space, f"第 {n} 帖").pk for n in range(25)]
    client.force_login(world.employee)
    first = client.get(f"/api/v1/space/feed?space={space.pk}").json()
    assert [p["id"] for p in first["pinned"]] == [notice.pk] and first["pinned"][0]["official"]
    assert [p["id"] for p in first["items"]] == made[::-1][:20]
    rest = client.get(f"/api/v1/space/feed?space={space.pk}&before={first['next_cursor']}").json()
    assert [p["id"] for p in rest["items"]] == made[::-1][20:] and rest["next_cursor"] is None
    assert rest["pinned"] == []


def test_write_like_comment(world, client):
    space = enterprise_space(world)
    services.set_display_name(world.member_a, space, "装调小能手")
    client.force_login(world.member_a)
    made = _post(client, f"/api/v1/space/spaces/{space.pk}/posts", {"body": "#班组创新# 新工装"})
    assert made.status_code == 201 and made.json()["author"] == "装调小能手" and made.json()["topics"] == ["班组创新"]
    post_id = made.json()["id"]
    client.force_login(world.employee)
    first = _post(client, f"/api/v1/space/posts/{post_id}/like").json()
    second = _post(client, f"/api/v1/space/posts/{post_id}/like").json()
    assert first == {"liked": True, "counted": True, "like_count": 1}
    assert second == {"liked": True, "counted": False, "like_count": 1}
    comment = _post(client, f"/api/v1/space/posts/{post_id}/comments", {"body": "赞"})
    assert comment.status_code == 201
    reply = _post(
        client, f"/api/v1/space/posts/{post_id}/comments", {"body": "再赞", "parent_id": comment.json()["id"]}
    )
    assert reply.status_code == 201 and reply.json()["parent_id"] == comment.json()["id"]
    detail = client.get(f"/api/v1/space/posts/{post_id}").json()
    assert detail["liked"] and detail["comment_count"] == 2 and len(detail["comments"]) == 2
    assert "赵群众" not in str(detail) and "张建国" not in str(detail)
    assert client.delete(f"/api/v1/space/posts/{post_id}/like").json()["like_count"] == 0


def test_refusals_are_400_and_other_branches_404(world, client):
    space = enterprise_space(world)
    client.force_login(world.member_a)
    empty = _post(client, f"/api/v1/space/spaces/{space.pk}/posts", {"body": " "})
    assert empty.status_code == 400 and "不能为空" in empty.json()["detail"]
    long = _post(client, f"/api/v1/space/spaces/{space.pk}/posts", {"body": "长" * 2001})
    assert long.status_code == 400 and "2000" in long.json()["detail"]
    hidden = post(world.member_b, branch_space(world, world.branch_b), "物流支部的帖子")
    assert client.get(f"/api/v1/space/posts/{hidden.pk}").status_code == 404
    assert _post(client, f"/api/v1/space/posts/{hidden.pk}/like").status_code == 404
    other = branch_space(world, world.branch_b)
    assert _post(client, f"/api/v1/space/spaces/{other.pk}/posts", {"body": "x"}).status_code == 404
    assert [s["name"] for s in client.get("/api/v1/space/spaces").json()] == ["员工互动空间"]


def _upload(data: bytes, name: str) -> io.BytesIO:
    out = io.BytesIO(data)
    out.name = name
    return out


def test_a_post_with_pictures_through_the_api(world, client):
    space = enterprise_space(world)
    client.force_login(world.member_a)
    made = client.post(
        f"/api/v1/space/spaces/{space.pk}/picture-posts",
        {
            "body": "#班组创新# 新工装",
            "pictures": [_upload(picture_bytes(exif=True), "IMG_1.jpg"), _upload(picture_bytes("PNG"), "b.png")],
        },
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["topics"] == ["班组创新"] and len(body["pictures"]) == 2
    shown = PostPicture.objects.filter(post_id=body["id"]).order_by("position").first()
    assert b"Secret GPS Phone" not in shown.image.open("rb").read() and "IMG_1" not in shown.image.name
    client.force_login(world.employee)
    assert client.get(body["pictures"][0]).status_code == 200
    feed = client.get(f"/api/v1/space/feed?space={space.pk}").json()
    assert feed["items"][0]["pictures"] == body["pictures"]


def test_api_pictures_are_refused_as_on_the_page(world, client):
    space = enterprise_space(world)
    client.force_login(world.member_a)
    url = f"/api/v1/space/spaces/{space.pk}/picture-posts"
    fake = client.post(url, {"body": "看图", "pictures": [_upload(picture_bytes(), "a.jpg"), _upload(b"no", "b.jpg")]})
    assert fake.status_code == 400 and fake.json()["detail"].startswith("第 2 张图片：")
    ten = client.post(url, {"body": "十张", "pictures": [_upload(picture_bytes(), f"{n}.jpg") for n in range(10)]})
    assert ten.status_code == 400 and "最多上传 9 张图片" in ten.json()["detail"]
    empty = client.post(url, {"body": " "})
    assert empty.status_code == 400 and "帖子不能为空" in empty.json()["detail"]
    no_body_field = client.post(url, {"pictures": [_upload(picture_bytes(), "a.jpg")]})
    assert no_body_field.status_code == 201 and no_body_field.json()["body"] == ""  # an absent body is an empty one
    as_json = client.post(url, {"body": "文字"}, content_type="application/json")
    assert as_json.status_code == 422 and "multipart/form-data" in as_json.json()["detail"]
    only_picture = client.post(url, {"body": "", "pictures": [_upload(picture_bytes(), "a.jpg")]})
    assert only_picture.status_code == 201 and only_picture.json()["body"] == ""
    assert Post.objects.count() == 2
    other = branch_space(world, world.branch_b)
    assert client.post(f"/api/v1/space/spaces/{other.pk}/picture-posts", {"body": "越界"}).status_code == 404
