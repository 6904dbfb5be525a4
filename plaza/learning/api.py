"""API for reading: the articles the caller may read (with the app's Chinese search), one article with its body
cleaned as the reading page shows it, and the caller's required reading.

Read-only on purpose: 阅读豆 are granted only through the reading page, whose session is timed by the server
(the anti-farming rule of :mod:`plaza.learning.services`), so nothing here starts or finishes a reading session.
"""

from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from plaza.lib.pagination import Pages
from plaza.lib.schemas import responses

from . import queries
from . import search as searching
from .markup import render_body
from .models import Article, ArticleFile

router = Router(tags=["learning"])

#: Ids are positive 64-bit integers; anything else is a 422, never a 500.
Id = Annotated[int, Path(ge=1, le=2**62)]


class LearningArticleOut(Schema):
    id: int
    title: str
    summary: str
    category: str | None
    topics: list[str]
    cover: str | None
    media_url: str
    pinned: bool
    publish_at: datetime
    required: bool
    due_on: date | None

    @staticmethod
    def resolve_category(obj: Article) -> str | None:
        return obj.category.name if obj.category_id else None

    @staticmethod
    def resolve_topics(obj: Article) -> list[str]:
        return obj.topic_list

    @staticmethod
    def resolve_cover(obj: Article) -> str | None:
        return obj.cover.url if obj.cover else None


class ArticleFileOut(Schema):
    id: int
    name: str
    url: str

    @staticmethod
    def resolve_url(obj: ArticleFile) -> str:
        return reverse("learning:article_file", args=[obj.article_id, obj.pk])


class LearningArticleDetailOut(LearningArticleOut):
    body_html: str = Field(..., description="正文，已按阅读页面的方式清理并转换为 HTML")
    files: list[ArticleFileOut]
    completed_on: date | None = Field(..., description="本人读完的日期；未读完为空")


class RequiredReadingOut(LearningArticleOut):
    done: bool
    completed_on: date | None


class LearningArticleFilter(Schema):
    # NUL is refused up front: PostgreSQL cannot compare text with it, and no real query contains one.
    q: str = Field("", max_length=100, pattern=r"^[^\x00]*$", description="搜索词（中文分词，按相关度排序）")
    category: int | None = Field(None, ge=1, le=2**62, description="栏目编号")


@router.get("/articles", response=responses(list[LearningArticleOut]), summary="我可以阅读的学习文章")
@paginate(Pages, page_size=20)
def articles(request: HttpRequest, filters: LearningArticleFilter = Query(...)) -> Any:  # noqa: B008
    q = filters.q.strip()
    if q:
        found = [hit.obj for hit in searching.search(request.user, q) if hit.kind == "article"]
        if filters.category is not None:
            found = [a for a in found if a.category_id == filters.category]
        return found
    qs = queries.articles_for(request.user)
    if filters.category is not None:
        qs = qs.filter(category_id=filters.category)
    return qs


@router.get("/articles/{article_id}", response=responses(LearningArticleDetailOut), summary="文章详情")
def article(request: HttpRequest, article_id: Id) -> Article:
    found = get_object_or_404(queries.articles_for(request.user), pk=article_id)
    completion = found.completions.filter(person=request.user).first()
    found.body_html = str(render_body(found.body, found.body_format))
    found.completed_on = completion.completed_on if completion else None
    return found


@router.get("/required", response=responses(list[RequiredReadingOut]), summary="我的必学文章")
def required(request: HttpRequest) -> list[Article]:
    rows = []
    for found, completion in queries.required_for(request.user):
        found.done, found.completed_on = completion is not None, completion.completed_on if completion else None
        rows.append(found)
    return rows
