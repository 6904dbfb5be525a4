"""Reads of 互动空间 shared by the pages and the API: the spaces a person may enter, the feed (keyset paginated,
pinned official posts on top), one post, its comments, pictures, and the moderators' queue and word list.

Every read takes the viewer. A person reaches an organisation's posts when one of their current memberships
lies in its subtree; :func:`reach` lists the paths that makes true (every prefix of every membership path), so
visibility is ``audience.path IN reach`` — an equality lookup on an index, however large the enterprise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from plaza.lib import memo
from plaza.orgs.models import Membership, Organisation
from plaza.orgs.permissions import Cap, Scope

from .models import (
    Comment,
    CommentStatus,
    Like,
    ModerationDecision,
    Post,
    PostAudience,
    PostPicture,
    PostStatus,
    Report,
    SensitiveWord,
    Space,
    SpaceProfile,
    Topic,
)

FEED_PAGE = 20
MAX_PINNED = 3


#: The audience path of a post for everyone (an enterprise-wide space's default).
EVERYONE = ""


def reach(person: Any) -> tuple[str, ...]:
    """Every organisation path whose subtree holds one of the person's current memberships, and the empty path
    of posts for everyone (read once per request and person)."""
    if not getattr(person, "is_authenticated", False) or not person.is_active:
        return ()

    def work_out() -> tuple[str, ...]:
        paths = Membership.objects.current().filter(person=person).values_list("organisation__path", flat=True)
        found = {up for path in paths for up in Organisation.paths_above(path)}
        return (EVERYONE, *sorted(found))

    return memo.remembered(person, "space_reach", work_out)


def open_to(person: Any, space: Space) -> bool:
    """An open space for everyone, or of one of the person's organisations."""
    return space.active and bool(reach(person)) and (space.everyone or space.organisation.path in reach(person))


def moderation_scope(person: Any) -> Scope:
    return Scope.of(person, Cap.SPACE)


def visible_spaces(person: Any) -> QuerySet[Space]:
    """Open spaces for everyone and of the person's organisations, and every space the person moderates."""
    paths = reach(person)
    shown = Q(active=True, organisation__path__in=paths) | moderated_q(person)
    if paths:
        shown |= Q(active=True, everyone=True)
    return Space.objects.filter(shown).select_related("organisation")


def member_spaces(person: Any) -> QuerySet[Space]:
    """The open spaces for everyone and of the person's own organisations (the tabs of the feed; a moderator
    reaches the other spaces they keep from the office)."""
    paths = reach(person)
    if not paths:
        return Space.objects.none()
    return (
        Space.objects.filter(Q(everyone=True) | Q(organisation__path__in=paths), active=True)
        .select_related("organisation")
        .order_by("-everyone", "organisation__path", "id")
    )


def moderated_q(person: Any) -> Q:
    scope = moderation_scope(person)
    return scope.q("organisation__path") if not scope.is_empty else Q(pk__in=[])


def moderated_spaces(person: Any) -> QuerySet[Space]:
    return Space.objects.filter(moderated_q(person)).select_related("organisation")


def space_for(person: Any, space_id: int) -> Space | None:
    return visible_spaces(person).filter(pk=space_id).first()


def moderates(person: Any, space: Space) -> bool:
    return moderation_scope(person).covers(space.organisation)


def _sees(person: Any) -> Exists:
    return Exists(PostAudience.objects.filter(post=OuterRef("pk"), path__in=reach(person)))


def _with_display(qs: QuerySet[Post]) -> QuerySet[Post]:
    return qs.select_related("profile", "space").prefetch_related(
        Prefetch("pictures", queryset=PostPicture.objects.only("id", "post_id", "position")),
        Prefetch("topics", queryset=Topic.objects.only("id", "name")),
    )


def visible_posts(person: Any) -> QuerySet[Post]:
    """Published posts meant for one of the person's organisations."""
    return Post.objects.filter(_sees(person), status=PostStatus.PUBLISHED, space__active=True)


@dataclass
class FeedPage:
    pinned: list[Post] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    next_cursor: int | None = None
    liked: set[int] = field(default_factory=set)


def feed(
    person: Any,
    *,
    space: Space | None = None,
    topic: Topic | None = None,
    mine: bool = False,
    before: int | None = None,
    limit: int = FEED_PAGE,
) -> FeedPage:
    """Newest first, ``limit`` posts older than the post ``before`` (keyset pagination: the same cost on page
    1,000 as on page 1). Pinned official posts come first on the first page of a space and are not repeated.
    ``mine``: the person's own posts in every state but deleted (what waits for moderation too)."""
    qs = Post.objects.filter(author=person).exclude(status=PostStatus.DELETED) if mine else visible_posts(person)
    if space is not None:
        qs = qs.filter(space=space)
    if topic is not None:
        qs = qs.filter(topics=topic)
    page = FeedPage()
    if space is not None and topic is None and not mine:
        if before is None:
            page.pinned = list(_with_display(qs.filter(pinned=True)).order_by("-id")[:MAX_PINNED])
        qs = qs.filter(pinned=False)
    if before is not None:
        qs = qs.filter(pk__lt=before)
    rows = list(_with_display(qs).order_by("-id")[: limit + 1])
    page.posts = rows[:limit]
    if len(rows) > limit:
        page.next_cursor = rows[limit - 1].pk
    page.liked = liked_ids(person, [p.pk for p in page.pinned + page.posts])
    for post in page.pinned + page.posts:
        post.is_liked = post.pk in page.liked  # type: ignore[attr-defined]
    return page


def liked_ids(person: Any, post_ids: list[int]) -> set[int]:
    if not post_ids or not getattr(person, "is_authenticated", False):
        return set()
    return set(Like.objects.filter(person=person, post_id__in=post_ids).values_list("post_id", flat=True))


def post_for(person: Any, post_id: int) -> Post | None:
    """A post the person may open: published and meant for them, their own (not deleted), or in a space they
    moderate. None otherwise (404)."""
    if not getattr(person, "is_authenticated", False):
        return None
    qs = _with_display(Post.objects.filter(pk=post_id))
    found = qs.filter(_sees(person), status=PostStatus.PUBLISHED, space__active=True).first()
    if found is None:
        found = qs.filter(author=person).exclude(status=PostStatus.DELETED).first()
    if found is None and not moderation_scope(person).is_empty:
        found = qs.filter(space__in=moderated_spaces(person)).first()
    return found


def comments_of(person: Any, post: Post) -> list[Comment]:
    """Published comments with their replies; the person's own held ones; every one for a moderator."""
    qs = post.comments.select_related("profile", "parent__profile")
    if not moderates(person, post.space):
        qs = qs.filter(Q(status=CommentStatus.PUBLISHED) | Q(author=person, status=CommentStatus.PENDING))
    return list(qs.order_by("id"))


def comment_for(person: Any, post: Post, comment_id: int) -> Comment | None:
    return post.comments.filter(pk=comment_id, status=CommentStatus.PUBLISHED).first()


def picture_for(person: Any, picture_id: int) -> PostPicture | None:
    """A picture of a post the person may open (the same rule as :func:`post_for`)."""
    found = PostPicture.objects.filter(pk=picture_id).only("id", "post_id", "image").first()
    if found is None or post_for(person, found.post_id) is None:
        return None
    return found


def topic_named(name: str) -> Topic | None:
    return Topic.objects.filter(name=name).first() if name else None


def topic_by_id(topic_id: int | None) -> Topic | None:
    return Topic.objects.filter(pk=topic_id).first() if topic_id else None


def popular_topics(person: Any, space: Space | None = None, limit: int = 12) -> list[Topic]:
    """Topics of posts the person can see, most used first (the latest 500 posts)."""
    posts = visible_posts(person)
    if space is not None:
        posts = posts.filter(space=space)
    recent = list(posts.order_by("-id").values_list("pk", flat=True)[:500])
    counts: dict[int, int] = {}
    for topic_id in Post.topics.through.objects.filter(post_id__in=recent).values_list("topic_id", flat=True):
        counts[topic_id] = counts.get(topic_id, 0) + 1
    top = sorted(counts, key=lambda pk: (-counts[pk], pk))[:limit]
    by_id = Topic.objects.in_bulk(top)
    return [by_id[pk] for pk in top if pk in by_id]


def profile_of(person: Any, space: Space) -> SpaceProfile | None:
    return SpaceProfile.objects.filter(space=space, person=person).first()


def addressable_organisations(person: Any, space: Space) -> QuerySet[Organisation]:
    """The organisations a person may address a post to in the space: their own organisations and those
    above them inside the space; a moderator any organisation of the space in their scope."""
    inside = Organisation.objects.filter(path__startswith="" if space.everyone else space.organisation.path)
    own = Q(path__in=[p for p in reach(person) if p])
    if moderates(person, space):
        return inside.filter(own | moderation_scope(person).q("path")).order_by("path")[:300]
    return inside.filter(own).order_by("path")


# ------------------------------------------------------------------------------------------ rate limits


def recent_post_times(person: Any, n: int) -> list[datetime]:
    """When the person's latest ``n`` posts (official ones apart) were written, newest first."""
    if n <= 0:
        return []
    qs = Post.objects.filter(author=person, official=False).order_by("-id")
    return list(qs.values_list("created_at", flat=True)[:n])


def recent_comment_times(person: Any, n: int) -> list[datetime]:
    """When the person's latest ``n`` comments and replies were written, newest first."""
    if n <= 0:
        return []
    return list(Comment.objects.filter(author=person).order_by("-id").values_list("created_at", flat=True)[:n])


def open_report_count(post: Post, comment: Comment | None) -> int:
    """Open reports on a post (``comment`` None) or on one of its comments: one per reporter (a constraint)."""
    return Report.objects.filter(post=post, comment=comment, resolved_at__isnull=True).count()


# ------------------------------------------------------------------------------------------ moderation


@dataclass
class QueueItem:
    post: Post
    comment: Comment | None
    reports: list[Report]

    @property
    def author(self) -> Any:
        return self.comment.author if self.comment else self.post.author

    @property
    def display_name(self) -> str:
        return (self.comment.profile if self.comment else self.post.profile).display_name

    @property
    def status(self) -> str:
        return self.comment.status if self.comment else self.post.status

    @property
    def status_label(self) -> str:
        return str((self.comment or self.post).get_status_display())

    @property
    def body(self) -> str:
        return self.comment.body if self.comment else self.post.body

    @property
    def held_reason(self) -> str:
        return (self.comment or self.post).held_reason


def queue(person: Any, *, space: Space | None = None, limit: int = 50) -> list[QueueItem]:
    """What waits for a moderator: posts and comments held (先审后发 or a review-level word) and everything with
    an open report, oldest first, in the spaces the person moderates."""
    spaces = moderated_spaces(person)
    if space is not None:
        spaces = spaces.filter(pk=space.pk)
    posts = Post.objects.filter(space__in=spaces).select_related("author", "profile", "space")
    reports = Report.objects.filter(resolved_at__isnull=True, post__space__in=spaces)
    held_posts = list(posts.filter(status=PostStatus.PENDING).order_by("id")[:limit])
    held_comments = list(
        Comment.objects.filter(post__space__in=spaces, status=CommentStatus.PENDING)
        .select_related("author", "profile", "post__space", "post__profile")
        .order_by("id")[:limit]
    )
    open_reports = list(reports.select_related("comment__author", "comment__profile").order_by("id")[: limit * 4])
    items: dict[tuple[int, int | None], QueueItem] = {}
    for post in held_posts:
        items[(post.pk, None)] = QueueItem(post, None, [])
    for comment in held_comments:
        items[(comment.post_id, comment.pk)] = QueueItem(comment.post, comment, [])
    reported_posts = {
        p.pk: p for p in posts.filter(pk__in={r.post_id for r in open_reports if r.comment_id is None} | {0})
    }
    commented_posts = {
        p.pk: p for p in posts.filter(pk__in={r.post_id for r in open_reports if r.comment_id is not None} | {0})
    }
    for report in open_reports:
        key = (report.post_id, report.comment_id)
        if key not in items:
            found = reported_posts.get(report.post_id) or commented_posts.get(report.post_id)
            if found is None:
                continue
            items[key] = QueueItem(found, report.comment, [])
        items[key].reports.append(report)
    return sorted(items.values(), key=lambda item: (item.comment or item.post).created_at)[:limit]


def recently_hidden(person: Any, *, space: Space | None = None, limit: int = 20) -> list[Post]:
    """Hidden posts of the spaces the person moderates, latest first: where a wrong decision is restored."""
    spaces = moderated_spaces(person)
    if space is not None:
        spaces = spaces.filter(pk=space.pk)
    return list(
        Post.objects.filter(space__in=spaces, status=PostStatus.HIDDEN)
        .select_related("space", "profile", "author")
        .order_by("-id")[:limit]
    )


def decisions_of(post: Post) -> QuerySet[Any]:
    return post.decisions.select_related("moderator", "comment").order_by("-id")


def decisions_in_scope(person: Any) -> QuerySet[ModerationDecision]:
    """Every moderation decision in the spaces the person moderates, newest first (for the Excel log)."""
    return (
        ModerationDecision.objects.filter(post__space__in=moderated_spaces(person))
        .select_related(
            "post__space", "post__author", "post__profile", "comment__author", "comment__profile", "moderator"
        )
        .order_by("-id")
    )


def creatable_organisations(person: Any) -> QuerySet[Organisation]:
    """Organisations the person may open a space for: those in their moderation scope, top levels first."""
    scope = moderation_scope(person)
    if scope.is_empty:
        return Organisation.objects.none()
    return scope.organisations(Organisation.objects.filter(is_active=True, depth__lte=3)).order_by("path")


def word_list(person: Any, search: str = "") -> QuerySet[SensitiveWord]:
    if moderation_scope(person).is_empty:
        return SensitiveWord.objects.none()
    qs = SensitiveWord.objects.all()
    if search:
        qs = qs.filter(word__contains=search)
    return qs.order_by("level", "word")
