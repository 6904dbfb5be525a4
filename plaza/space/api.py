"""The JSON API of 互动空间, over the same services and queries as the pages: the spaces I may enter, the feed
(keyset paginated: ``before`` is the ``next_cursor`` of the previous page), one post with its comments, writing
a post (text as JSON, or text and up to nine pictures as a form), liking (idempotent) and unliking, commenting
and replying.

Authors appear by their display name only (``author``); the real person behind a post is never in an answer.
A post the caller may not open is a 404; a refusal (empty, too long, a blocked word, a post not yet public) is
a 400 with the reason.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Path, Query, Router, Schema
from ninja import Status as Created
from ninja.errors import HttpError
from ninja.files import UploadedFile

from plaza.lib.schemas import BodyId, BodyIn, found_or_404, responses

from . import queries, services
from .models import MAX_COMMENT_CHARS, MAX_PICTURES, MAX_POST_CHARS, Comment, Post, Space

router = Router(tags=["互动空间"])

Id = Annotated[int, Path(ge=1, le=2**62)]


class SpaceOut(Schema):
    id: int
    name: str
    description: str
    organisation: str
    premoderation: bool

    @staticmethod
    def resolve_organisation(obj: Space) -> str:
        return obj.organisation.name


class PostOut(Schema):
    id: int
    space_id: int
    author: str = Field(..., description="显示名称（官方帖子为官方账号名称）；不含真实姓名")
    official: bool
    pinned: bool
    status: str
    status_label: str
    body: str
    topics: list[str]
    pictures: list[str] = Field(..., description="图片地址（需登录且有权查看该帖）")
    like_count: int
    comment_count: int
    liked: bool
    created_at: datetime

    @staticmethod
    def resolve_author(obj: Post) -> str:
        return obj.shown_name

    @staticmethod
    def resolve_status_label(obj: Post) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_topics(obj: Post) -> list[str]:
        return [t.name for t in obj.topics.all()]

    @staticmethod
    def resolve_pictures(obj: Post) -> list[str]:
        return [f"/space/picture/{p.pk}/" for p in obj.pictures.all()]

    @staticmethod
    def resolve_liked(obj: Post) -> bool:
        return bool(getattr(obj, "is_liked", False))


class FeedOut(Schema):
    pinned: list[PostOut]
    items: list[PostOut]
    next_cursor: int | None = Field(..., description="下一页请求时作为 before 传入；为空表示没有更早的帖子")


class CommentOut(Schema):
    id: int
    parent_id: int | None
    author: str = Field(..., description="显示名称；不含真实姓名")
    body: str
    status: str
    created_at: datetime

    @staticmethod
    def resolve_author(obj: Comment) -> str:
        return obj.profile.display_name


class PostDetailOut(PostOut):
    comments: list[CommentOut]

    @staticmethod
    def resolve_comments(obj: Post) -> list[Comment]:
        return list(getattr(obj, "comments_shown", []))


class PostIn(BodyIn):
    body: str = Field(..., max_length=MAX_POST_CHARS * 4, description="内容，最多 2000 字；识别 #话题# 与 @名称")
    organisation_ids: list[BodyId] = Field(default_factory=list, max_length=50, description="可见组织；空为全空间")


class CommentIn(BodyIn):
    body: str = Field(..., max_length=MAX_COMMENT_CHARS * 4, description="评论，最多 500 字")
    parent_id: BodyId | None = Field(None, description="回复的评论")


class LikeOut(Schema):
    liked: bool
    counted: bool = Field(..., description="本次请求是否新增（或取消）了点赞；重复点赞为 false")
    like_count: int


def _post(request: HttpRequest, post_id: int) -> Post:
    return found_or_404(queries.post_for(request.user, post_id))


def _space(request: HttpRequest, space_id: int) -> Space:
    return found_or_404(queries.space_for(request.user, space_id))


@router.get("/spaces", response=responses(list[SpaceOut]), summary="我可以进入的互动空间")
def spaces(request: HttpRequest) -> list[Space]:
    return list(queries.visible_spaces(request.user))


@router.get("/feed", response=responses(FeedOut), summary="帖子流（最新在前，置顶官方帖在首页最上）")
def feed(
    request: HttpRequest,
    space: int | None = Query(None, ge=1, le=2**62, description="空间；不填为全部空间"),  # noqa: B008
    topic: int | None = Query(None, ge=1, le=2**62, description="话题"),  # noqa: B008
    before: int | None = Query(None, ge=1, le=2**62, description="上一页的 next_cursor"),  # noqa: B008
    mine: bool = Query(False, description="只看我的帖子（含待审核）"),  # noqa: B008
) -> dict:
    chosen = _space(request, space) if space else None
    page = queries.feed(request.user, space=chosen, topic=queries.topic_by_id(topic), mine=mine, before=before)
    return {"pinned": page.pinned, "items": page.posts, "next_cursor": page.next_cursor}


@router.get("/posts/{post_id}", response=responses(PostDetailOut), summary="帖子与评论")
def post(request: HttpRequest, post_id: Id) -> Post:
    found = _post(request, post_id)
    found.is_liked = bool(queries.liked_ids(request.user, [found.pk]))  # type: ignore[attr-defined]
    found.comments_shown = queries.comments_of(request.user, found)  # type: ignore[attr-defined]
    return found


@router.post("/spaces/{space_id}/posts", response=responses(PostOut, status=201), summary="发帖（文字）")
def create_post(request: HttpRequest, space_id: Id, payload: PostIn) -> Created[Post]:
    found = _space(request, space_id)
    made = services.create_post(request.user, found, payload.body, organisation_ids=payload.organisation_ids)
    return Created(201, queries.post_for(request.user, made.pk) or made)


@router.post(
    "/spaces/{space_id}/picture-posts",
    response=responses(PostOut, status=201),
    summary="发帖（文字与图片，multipart/form-data）",
    description=f"字段 body（最多 {MAX_POST_CHARS} 字）、organisation_ids（可多个）与 pictures"
    f"（最多 {MAX_PICTURES} 张，JPEG/PNG/WebP/GIF/BMP，每张不超过 10 MB；"
    "检查类型与像素、缩放并去除位置等元数据，与页面相同）。",
)
def create_picture_post(
    request: HttpRequest,
    space_id: Id,
    # May be empty when there are pictures (ninja reads an empty form field as missing: hence the default).
    body: str = Form("", max_length=MAX_POST_CHARS * 4),  # noqa: B008 - ninja declares parameters this way
    organisation_ids: Form[list[int]] = [],  # noqa: B006 - ninja reads the default, never mutates it
    pictures: list[UploadedFile] = File(default=[]),  # noqa: B006, B008 - ninja declares files this way
) -> Created[Post]:
    if not (request.content_type or "").startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        # A JSON body would be read as an empty form (a post with nothing in it): it is a malformed request.
        raise HttpError(422, _("请以表单（multipart/form-data）提交 body 与 pictures；纯文字帖子可用 JSON 发帖接口。"))
    found = _space(request, space_id)
    made = services.create_post(
        request.user, found, body[: MAX_POST_CHARS * 4], pictures=pictures, organisation_ids=organisation_ids
    )
    return Created(201, queries.post_for(request.user, made.pk) or made)


@router.post("/posts/{post_id}/like", response=responses(LikeOut), summary="点赞（重复点赞不重复计数）")
def like(request: HttpRequest, post_id: Id) -> dict:
    found = _post(request, post_id)
    counted = services.like(request.user, found)
    found.refresh_from_db(fields=["like_count"])
    return {"liked": True, "counted": counted, "like_count": found.like_count}


@router.delete("/posts/{post_id}/like", response=responses(LikeOut), summary="取消点赞")
def unlike(request: HttpRequest, post_id: Id) -> dict:
    found = _post(request, post_id)
    counted = services.unlike(request.user, found)
    found.refresh_from_db(fields=["like_count"])
    return {"liked": False, "counted": counted, "like_count": found.like_count}


@router.post("/posts/{post_id}/comments", response=responses(CommentOut, status=201), summary="评论或回复")
def comment(request: HttpRequest, post_id: Id, payload: CommentIn) -> Created[Comment]:
    found = _post(request, post_id)
    parent = found_or_404(queries.comment_for(request.user, found, payload.parent_id)) if payload.parent_id else None
    return Created(201, services.add_comment(request.user, found, payload.body, parent=parent))
