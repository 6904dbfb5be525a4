"""Every write of 互动空间: display names, posts (text, up to nine pictures, topics, audience, official and
pinned), comments and replies, likes, reports, moderation (approve, hide, restore) and the word list.

Each refuses with a Chinese reason and records an audit entry (likes excepted: a like is a unique row and
nothing more). Likes are counted once: the unique ``(post, person)`` row is inserted in a savepoint and the
post's ``like_count`` raised in the same transaction only when the row was new, so two taps, two tabs or two
threads liking at once leave one row and one count. Notices (@mentions, comments, moderation outcomes) go
through :mod:`plaza.notify.services`, which sends them after the commit.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Sequence
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from plaza.accounts.models import Person
from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock, ratelimit
from plaza.lib.images import clean_pictures
from plaza.notify import services as notify
from plaza.orgs.models import Membership, Organisation

from . import queries, words
from .models import (
    MAX_COMMENT_CHARS,
    MAX_DISPLAY_NAME,
    MAX_PICTURES,
    MAX_POST_CHARS,
    MAX_REASON_CHARS,
    MAX_TOPIC_CHARS,
    Comment,
    CommentStatus,
    Decision,
    Like,
    ModerationDecision,
    Post,
    PostAudience,
    PostPicture,
    PostStatus,
    PostTopic,
    Report,
    SensitiveWord,
    Space,
    SpaceProfile,
    Topic,
    WordLevel,
    WordListVersion,
)

NOTICE_KIND = "space"
MAX_MENTIONS = 10
MIN_DISPLAY_NAME = 2
TOPIC_RE = re.compile(rf"#([^#\n]{{1,{MAX_TOPIC_CHARS}}})#")


# ------------------------------------------------------------------------------------------ who may do what


def may_post(person: Any, space: Space) -> bool:
    """An open space of one of the person's organisations (a moderator may post in the spaces they keep)."""
    if not getattr(person, "is_authenticated", False):
        return False
    return queries.open_to(person, space) or queries.moderates(person, space)


def may_moderate(person: Any, space: Space) -> bool:
    return queries.moderates(person, space)


def may_post_officially(person: Any, space: Space) -> bool:
    return queries.moderates(person, space)


def may_delete(person: Any, post: Post) -> bool:
    return post.status != PostStatus.DELETED and (post.author_id == person.pk or queries.moderates(person, post.space))


def may_interact(person: Any, post: Post) -> bool:
    """Like, comment and report: a published post the person can see."""
    return post.status == PostStatus.PUBLISHED and queries.post_for(person, post.pk) is not None


def _require_words_keeper(person: Any) -> None:
    if queries.moderation_scope(person).is_empty:
        raise PermissionDenied(_("只有党委组织部（党群工作部）的互动空间管理员可以维护敏感词。"))


# ------------------------------------------------------------------------------------------ rate limits


def post_rates() -> tuple[ratelimit.Rate, ...]:
    return ratelimit.parse(getattr(settings, "PLAZA_SPACE_POST_RATE", ""))


def comment_rates() -> tuple[ratelimit.Rate, ...]:
    return ratelimit.parse(getattr(settings, "PLAZA_SPACE_COMMENT_RATE", ""))


def report_hide_threshold() -> int:
    """Reports by different people that hide a post or comment until a moderator looks (0: never)."""
    return max(0, int(getattr(settings, "PLAZA_SPACE_REPORT_HIDE_THRESHOLD", 0) or 0))


def _limit_posts(person: Any) -> None:
    rates = post_rates()
    times = queries.recent_post_times(person, ratelimit.needed(rates))
    ratelimit.refuse_if_limited(rates, times, _("发帖"))


def _limit_comments(person: Any) -> None:
    rates = comment_rates()
    times = queries.recent_comment_times(person, ratelimit.needed(rates))
    ratelimit.refuse_if_limited(rates, times, _("评论"))


# ------------------------------------------------------------------------------------------ display names


def _alias(space: Space, person: Any, extra: int = 0) -> str:
    """A neutral name nobody can trace back: 网友 and six digits derived with the server's secret (digits, not
    Latin letters, which read as English on a Chinese page)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"space:{space.pk}:{person.pk}:{extra}".encode(), hashlib.sha256)
    code = int.from_bytes(digest.digest()[:8], "big") % 1_000_000
    return _("网友%(code)s") % {"code": f"{code:06d}"}


def profile_for(person: Any, space: Space) -> SpaceProfile:
    """The person's profile in the space, made with a neutral alias the first time."""
    found = queries.profile_of(person, space)
    if found is not None:
        return found
    for extra in range(5):
        try:
            with transaction.atomic():
                alias = _alias(space, person, extra)
                return SpaceProfile.objects.create(space=space, person=person, display_name=alias)
        except IntegrityError:
            found = queries.profile_of(person, space)
            if found is not None:
                return found
    raise ValidationError(_("暂时无法生成显示名称，请稍后再试。"))


def display_name_problem(person: Any, space: Space, name: str) -> str:
    """Why ``name`` cannot be the person's display name in the space, or ""."""
    if len(name) < MIN_DISPLAY_NAME or len(name) > MAX_DISPLAY_NAME:
        return _("显示名称应为 %(min)d 到 %(max)d 个字。") % {"min": MIN_DISPLAY_NAME, "max": MAX_DISPLAY_NAME}
    if "@" in name or "#" in name:
        return _("显示名称不能含有 @ 或 #。")
    if name == space.official_name:
        return _("不能使用官方账号的名称。")
    if name != getattr(person, "name", None) and Person.objects.filter(name=name).exclude(pk=person.pk).exists():
        return _("不能使用他人的真实姓名作为显示名称。")
    found = words.scan(name)
    if found.blocked or found.review:
        return _("显示名称含有不允许使用的词语：%(words)s。") % {"words": "、".join(found.blocked + found.review)}
    if SpaceProfile.objects.filter(space=space, display_name=name).exclude(person=person).exists():
        return _("“%(name)s”已被他人使用，请换一个。") % {"name": name}
    return ""


def set_display_name(person: Any, space: Space, name: str, *, real_name: bool = False) -> SpaceProfile:
    """前台自愿: the person chooses what others see — any free name, or their real name (``real_name``)."""
    if not may_post(person, space):
        raise PermissionDenied(_("您不在该互动空间的范围内。"))
    name = (person.name if real_name else name).strip()
    problem = display_name_problem(person, space, name)
    if problem:
        raise ValidationError(problem)
    with transaction.atomic():
        profile = profile_for(person, space)
        before = profile.display_name
        profile.display_name = name
        try:
            with transaction.atomic():
                profile.save(update_fields=["display_name", "updated_at"])
        except IntegrityError as exc:
            raise ValidationError(_("“%(name)s”已被他人使用，请换一个。") % {"name": name}) from exc
        record(
            person,
            actions.SPACE_DISPLAY_NAME,
            profile,
            before={"display_name": before},
            after={"display_name": name},
        )
    return profile


# ------------------------------------------------------------------------------------------ text checks


def _words_refusal(found: words.Findings) -> None:
    if found.blocked:
        raise ValidationError(
            _("内容含有禁止发布的词语：%(words)s。请修改后再发布。") % {"words": "、".join(found.blocked)},
            code="blocked_words",
        )


def _review_reason(found: words.Findings) -> str:
    if not found.review:
        return ""
    return (_("含有需审核的词语：%(words)s") % {"words": "、".join(found.review)})[:MAX_REASON_CHARS]


def topics_in(body: str) -> list[str]:
    """The #话题# of a text, each once, in order (spaces inside kept, around trimmed)."""
    seen: dict[str, None] = {}
    for raw in TOPIC_RE.findall(body):
        name = raw.strip()
        if name:
            seen[name] = None
    return list(seen)[:10]


def mentioned_profiles(space: Space, body: str) -> list[SpaceProfile]:
    """The display names of the space written after an @ (the longest name that fits, as Weibo reads it)."""
    starts = [m.end() for m in re.finditer("@", body)][:MAX_MENTIONS]
    if not starts:
        return []
    candidates = {body[s : s + n] for s in starts for n in range(MIN_DISPLAY_NAME, MAX_DISPLAY_NAME + 1)}
    known = {
        p.display_name: p
        for p in SpaceProfile.objects.filter(space=space, display_name__in=candidates).select_related("person")
    }
    found: dict[int, SpaceProfile] = {}
    for s in starts:
        for n in range(MAX_DISPLAY_NAME, MIN_DISPLAY_NAME - 1, -1):
            profile = known.get(body[s : s + n])
            if profile is not None:
                found[profile.pk] = profile
                break
    return list(found.values())


def _reaching(people: Iterable[Any], paths: Sequence[str]) -> list[Any]:
    """Those of ``people`` with a current membership inside one of the subtrees ``paths``."""
    people = list(people)
    if not people or not paths:
        return []
    if queries.EVERYONE in paths:
        return [p for p in people if p.is_active]
    inside = Q()
    for path in paths:
        inside |= Q(organisation__path__startswith=path)
    ids = set(
        Membership.objects.current()
        .filter(inside, person__in=[p.pk for p in people])
        .values_list("person_id", flat=True)
    )
    return [p for p in people if p.pk in ids and p.is_active]


def _post_url(post: Post) -> str:
    return reverse("space:post", args=[post.pk])


def _announce_post(post: Post) -> None:
    """Tell the people @mentioned in a post that has just become public (and can see it)."""
    mentioned = [p.person for p in mentioned_profiles(post.space, post.body) if p.person_id != post.author_id]
    paths = list(post.audience.values_list("path", flat=True))
    recipients = _reaching(mentioned, paths)
    if recipients:
        notify.notify(
            recipients,
            kind=NOTICE_KIND,
            title=_("“%(name)s”在互动空间提到了您") % {"name": post.shown_name},
            body=post.body[:200],
            url=_post_url(post),
        )


def _announce_comment(comment: Comment) -> None:
    post = comment.post
    paths = list(post.audience.values_list("path", flat=True))
    told: set[int] = {comment.author_id}
    name = comment.profile.display_name
    url = _post_url(post)
    if comment.parent is not None and comment.parent.author_id not in told:
        told.add(comment.parent.author_id)
        notify.notify(
            [comment.parent.author],
            kind=NOTICE_KIND,
            title=_("“%(name)s”回复了您的评论") % {"name": name},
            body=comment.body[:200],
            url=url,
        )
    if post.author_id not in told:
        told.add(post.author_id)
        notify.notify(
            [post.author],
            kind=NOTICE_KIND,
            title=_("“%(name)s”评论了您的帖子") % {"name": name},
            body=comment.body[:200],
            url=url,
        )
    mentioned = [p.person for p in mentioned_profiles(post.space, comment.body) if p.person_id not in told]
    recipients = _reaching(mentioned, paths)
    if recipients:
        notify.notify(
            recipients,
            kind=NOTICE_KIND,
            title=_("“%(name)s”在评论中提到了您") % {"name": name},
            body=comment.body[:200],
            url=url,
        )


# ------------------------------------------------------------------------------------------ posts


def _audience(person: Any, space: Space, organisation_ids: Sequence[int] | None) -> list[Organisation | None]:
    """The organisations a post is for (None: everyone, in an enterprise-wide space)."""
    if not organisation_ids:
        return [None if space.everyone else space.organisation]
    allowed = {o.pk: o for o in queries.addressable_organisations(person, space)}
    chosen = []
    for pk in dict.fromkeys(organisation_ids):
        organisation = allowed.get(pk)
        if organisation is None:
            raise ValidationError(_("只能选择本空间内您所在的组织（或您负责管理的组织）作为可见范围。"))
        chosen.append(organisation)
    kept: list[Organisation | None] = []
    for organisation in sorted(chosen, key=lambda o: o.path):  # a subtree inside another chosen one adds nothing
        last = kept[-1] if kept else None
        if last is None or not organisation.path.startswith(last.path):
            kept.append(organisation)
    return kept


def create_post(
    person: Any,
    space: Space,
    body: str,
    *,
    pictures: Sequence[IO[bytes] | bytes] = (),
    organisation_ids: Sequence[int] | None = None,
    official: bool = False,
    pinned: bool = False,
) -> Post:
    """Publish a post — or hold it for moderation when the space pre-moderates or a review-level word is in it.
    A blocked word refuses the post and names the word(s)."""
    if not may_post(person, space):
        raise PermissionDenied(_("您不在该互动空间的范围内，不能发帖。"))
    if (official or pinned) and not may_post_officially(person, space):
        raise PermissionDenied(_("只有互动空间管理员可以发布官方帖子或置顶。"))
    body = (body or "").strip()
    if not body and not pictures:
        raise ValidationError(_("帖子不能为空：请写点内容或添加图片。"), code="empty")
    if len(body) > MAX_POST_CHARS:
        raise ValidationError(
            _("帖子最多 %(max)d 字，现在有 %(n)d 字，请删减后再发。") % {"max": MAX_POST_CHARS, "n": len(body)},
            code="too_long",
        )
    found = words.scan(body)
    _words_refusal(found)
    if not official:
        _limit_posts(person)
    audience = _audience(person, space, organisation_ids)
    cleaned = clean_pictures(pictures, at_most=MAX_PICTURES, name_prefix="p")
    held = ""
    if not official:
        held = _review_reason(found) or (_("本空间先审后发") if space.premoderation else "")
    with transaction.atomic():
        post = Post.objects.create(
            space=space,
            author=person,
            profile=profile_for(person, space),
            body=body,
            status=PostStatus.PENDING if held else PostStatus.PUBLISHED,
            held_reason=held,
            official=official or pinned,
            pinned=pinned,
            picture_count=len(cleaned),
        )
        PostAudience.objects.bulk_create(
            [PostAudience(post=post, organisation=o, path=o.path if o else queries.EVERYONE) for o in audience]
        )
        for position, content in enumerate(cleaned):
            picture = PostPicture(post=post, position=position)
            picture.image.save(content.name or "p.jpg", content, save=False)
            picture.save()
        names = topics_in(body)
        if names:
            for name in names:
                Topic.objects.get_or_create(name=name)
            topics = Topic.objects.filter(name__in=names)
            PostTopic.objects.bulk_create([PostTopic(post=post, topic=t) for t in topics], ignore_conflicts=True)
        record(
            person,
            actions.SPACE_POST,
            post,
            after={
                "space": space.name,
                "status": post.status,
                "official": post.official,
                "pinned": pinned,
                "audience": [o.name if o else _("全体员工") for o in audience],
                "pictures": len(cleaned),
            },
            reason=held,
        )
        if post.status == PostStatus.PUBLISHED:
            _announce_post(post)
    return post


def delete_post(person: Any, post: Post) -> Post:
    if not may_delete(person, post):
        raise PermissionDenied(_("只能删除自己的帖子。"))
    with transaction.atomic():
        before = post.status
        post.status = PostStatus.DELETED
        post.pinned = False
        post.save(update_fields=["status", "pinned"])
        record(person, actions.SPACE_POST_DELETE, post, before={"status": before}, after={"status": post.status})
    return post


def set_pinned(person: Any, post: Post, pinned: bool) -> Post:
    """Pin (or unpin) an official post at the top of its space."""
    if not may_moderate(person, post.space):
        raise PermissionDenied(_("只有互动空间管理员可以置顶帖子。"))
    if pinned and not post.official:
        raise ValidationError(_("只有官方帖子可以置顶。"))
    if pinned and post.status != PostStatus.PUBLISHED:
        raise ValidationError(_("帖子尚未发布，不能置顶。"))
    with transaction.atomic():
        post.pinned = pinned
        post.save(update_fields=["pinned"])
        record(person, actions.SPACE_PIN, post, after={"pinned": pinned})
    return post


# ------------------------------------------------------------------------------------------ likes


def like(person: Any, post: Post) -> bool:
    """Like a post once. Liking again changes nothing (idempotent): returns whether this call added the like."""
    if not may_interact(person, post):
        raise ValidationError(_("该帖子不存在或尚未发布，不能点赞。"))
    with transaction.atomic():
        try:
            with transaction.atomic():
                Like.objects.create(post=post, person=person)
        except IntegrityError:
            return False
        Post.objects.filter(pk=post.pk).update(like_count=F("like_count") + 1)
    return True


def unlike(person: Any, post: Post) -> bool:
    with transaction.atomic():
        removed, _detail = Like.objects.filter(post=post, person=person).delete()
        if removed:
            Post.objects.filter(pk=post.pk, like_count__gt=0).update(like_count=F("like_count") - 1)
    return bool(removed)


# ------------------------------------------------------------------------------------------ comments


def add_comment(person: Any, post: Post, body: str, *, parent: Comment | None = None) -> Comment:
    """Comment on a post or reply to a comment. A blocked word refuses it; a review-level word holds it."""
    if not may_interact(person, post):
        raise ValidationError(_("该帖子不存在或尚未发布，不能评论。"))
    if parent is not None and (parent.post_id != post.pk or parent.status != CommentStatus.PUBLISHED):
        raise ValidationError(_("要回复的评论不存在。"))
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("评论不能为空。"), code="empty")
    if len(body) > MAX_COMMENT_CHARS:
        raise ValidationError(
            _("评论最多 %(max)d 字，现在有 %(n)d 字。") % {"max": MAX_COMMENT_CHARS, "n": len(body)}, code="too_long"
        )
    found = words.scan(body)
    _words_refusal(found)
    _limit_comments(person)
    held = _review_reason(found)
    with transaction.atomic():
        comment = Comment.objects.create(
            post=post,
            parent=parent,
            author=person,
            profile=profile_for(person, post.space),
            body=body,
            status=CommentStatus.PENDING if held else CommentStatus.PUBLISHED,
            held_reason=held,
        )
        if not held:
            Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
            _announce_comment(comment)
        record(person, actions.SPACE_COMMENT, comment, after={"post": post.pk, "status": comment.status}, reason=held)
    return comment


# ------------------------------------------------------------------------------------------ reports


def report(person: Any, post: Post, reason: str, *, comment: Comment | None = None) -> Report:
    """Anyone who can see a post reports it (or one of its comments) as abusive, once while it is open. When
    the open reports by different people reach :func:`report_hide_threshold`, the item is hidden at once and
    waits in the moderation queue (:func:`_hide_when_reported`)."""
    if queries.post_for(person, post.pk) is None or post.status != PostStatus.PUBLISHED:
        raise ValidationError(_("该帖子不存在或尚未发布。"))
    if comment is not None and (comment.post_id != post.pk or comment.status != CommentStatus.PUBLISHED):
        raise ValidationError(_("要举报的评论不存在。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请写明举报理由。"), code="empty")
    if len(reason) > MAX_REASON_CHARS:
        raise ValidationError(_("举报理由最多 %(max)d 字。") % {"max": MAX_REASON_CHARS}, code="too_long")
    try:
        with transaction.atomic():
            # The reported row is locked first, so the reports on one item are counted one after another: two
            # sent at once neither both miss the threshold nor both hide the item (nor count twice).
            if comment is not None:
                Comment.objects.select_for_update().filter(pk=comment.pk).first()
            else:
                Post.objects.select_for_update().filter(pk=post.pk).first()
            found = Report.objects.create(post=post, comment=comment, reporter=person, reason=reason)
            where = {"post": post.pk, "comment": getattr(comment, "pk", None)}
            record(person, actions.SPACE_REPORT, found, after=where)
            _hide_when_reported(post, comment)
    except IntegrityError as exc:
        raise ValidationError(_("您已举报过该内容，管理员正在处理。"), code="duplicate") from exc
    return found


def _hide_when_reported(post: Post, comment: Comment | None) -> bool:
    """Hide a published post or comment whose open reports reached the threshold, pending review; the change is
    a conditional UPDATE (published → hidden), so it happens once however many reports arrive. Audited as the
    system's act; the author is told. Returns whether this call hid it."""
    threshold = report_hide_threshold()
    count = queries.open_report_count(post, comment)
    if not threshold or count < threshold:
        return False
    reason = (_("已被 %(n)d 人举报，暂时隐藏，等待管理员审核") % {"n": count})[:MAX_REASON_CHARS]
    target: Post | Comment
    if comment is not None:
        hidden = Comment.objects.filter(pk=comment.pk, status=CommentStatus.PUBLISHED).update(
            status=CommentStatus.HIDDEN, held_reason=reason
        )
        if hidden:
            Post.objects.filter(pk=post.pk, comment_count__gt=0).update(comment_count=F("comment_count") - 1)
        target = comment
    else:
        hidden = Post.objects.filter(pk=post.pk, status=PostStatus.PUBLISHED).update(
            status=PostStatus.HIDDEN, held_reason=reason, pinned=False
        )
        target = post
    if not hidden:
        return False
    record(
        None,
        actions.SPACE_AUTO_HIDE,
        target,
        before={"status": PostStatus.PUBLISHED},
        after={"status": PostStatus.HIDDEN, "reports": count, "threshold": threshold},
        reason=reason,
    )
    notify.notify(
        [target.author],
        kind=NOTICE_KIND,
        title=_("您的评论已暂时隐藏") if comment is not None else _("您的帖子已暂时隐藏"),
        body=_("多人举报了该内容，管理员审核后会告诉您结果。"),
        url=_post_url(post),
    )
    return True


# ------------------------------------------------------------------------------------------ moderation

#: decision -> the states it applies to
_FROM: dict[str, tuple[str, ...]] = {
    Decision.APPROVE: (PostStatus.PENDING,),
    Decision.HIDE: (PostStatus.PENDING, PostStatus.PUBLISHED),
    Decision.RESTORE: (PostStatus.HIDDEN,),
}


def decisions_open(item: Post | Comment) -> list[str]:
    """The decisions a moderator may take on a post or comment in its state (a published item with an open
    report may be hidden, or kept: "approve" closes its reports; an item hidden by reports may be restored, or
    kept hidden: "hide" closes its reports)."""
    open_: list[str] = [d for d, states in _FROM.items() if item.status in states]
    if item.status == PostStatus.PUBLISHED:
        open_.insert(0, Decision.APPROVE)
    if item.status == PostStatus.HIDDEN and item.held_reason:
        open_.insert(0, Decision.HIDE)
    return open_


def moderate(person: Any, post: Post, decision: str, reason: str, *, comment: Comment | None = None) -> Post | Comment:
    """Approve, hide or restore a post or a comment, with a reason; closes the open reports on it; tells the
    author. Approving a published item keeps it and closes its reports."""
    if not may_moderate(person, post.space):
        raise PermissionDenied(_("您没有审核该互动空间内容的权限。"))
    if decision not in Decision.values:
        raise ValidationError(_("请选择处理方式。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请写明处理理由。"), code="empty")
    if len(reason) > MAX_REASON_CHARS:
        raise ValidationError(_("处理理由最多 %(max)d 字。") % {"max": MAX_REASON_CHARS}, code="too_long")
    with transaction.atomic():
        target: Post | Comment
        if comment is not None:
            target = Comment.objects.select_for_update().get(pk=comment.pk, post=post)
        else:
            target = Post.objects.select_for_update().get(pk=post.pk)
        if decision not in decisions_open(target):
            raise ValidationError(
                _("该内容当前为“%(state)s”，不能%(what)s。")
                % {"state": target.get_status_display(), "what": Decision(decision).label}
            )
        before: str = target.status
        was_held = bool(target.held_reason)  # held for review (a word, 先审后发, or hidden by reports)
        after: str = PostStatus.HIDDEN if decision == Decision.HIDE else PostStatus.PUBLISHED
        target.status = after
        target.held_reason = ""
        fields = ["status", "held_reason"]
        if isinstance(target, Post) and after == PostStatus.HIDDEN and target.pinned:
            target.pinned = False
            fields.append("pinned")
        target.save(update_fields=fields)
        if isinstance(target, Comment) and before != after:
            step = 1 if after == CommentStatus.PUBLISHED else (-1 if before == CommentStatus.PUBLISHED else 0)
            if step:
                Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + step)
        ModerationDecision.objects.create(
            post=post, comment=comment, decision=decision, reason=reason, moderator=person
        )
        open_reports = Report.objects.filter(post=post, comment=comment, resolved_at__isnull=True)
        closed = open_reports.update(resolved_at=clock.now(), resolved_by=person)
        record(
            person,
            actions.SPACE_MODERATE,
            target,
            before={"status": before},
            after={"status": after, "decision": decision, "reports_closed": closed},
            reason=reason,
        )
        if before == PostStatus.PENDING and after == PostStatus.PUBLISHED:
            if isinstance(target, Post):
                _announce_post(target)
            else:
                _announce_comment(target)
        if before != after or was_held:
            what = _("您的评论") if comment is not None else _("您的帖子")
            outcome = {
                Decision.APPROVE: _("已审核通过"),
                Decision.HIDE: _("已被隐藏"),
                Decision.RESTORE: _("已恢复显示"),
            }[Decision(decision)]
            notify.notify(
                [target.author],
                kind=NOTICE_KIND,
                title=f"{what}{outcome}",
                body=_("理由：%(reason)s") % {"reason": reason},
                url=_post_url(post),
            )
    return target


def reveal_queue(person: Any, *, space: Space | None = None) -> list[queries.QueueItem]:
    """The moderation queue with the real authors (后台实名): records who looked at whose names."""
    if queries.moderation_scope(person).is_empty:
        raise PermissionDenied(_("您没有审核互动空间内容的权限。"))
    items = queries.queue(person, space=space)
    if items:
        record(
            person,
            actions.SPACE_VIEW_IDENTITY,
            object_type="space.post",
            object_id=",".join(str(i.post.pk) for i in items)[:64],
            object_repr=_("审核队列（%(n)d 条）") % {"n": len(items)},
            after={
                "items": [
                    {"post": i.post.pk, "comment": getattr(i.comment, "pk", None), "author": i.author.pk} for i in items
                ]
            },
        )
    return items


# ------------------------------------------------------------------------------------------ spaces


def create_space(
    person: Any,
    organisation: Organisation,
    name: str,
    *,
    description: str = "",
    premoderation: bool = False,
    official_name: str = "",
    everyone: bool = False,
) -> Space:
    if not queries.moderation_scope(person).covers(organisation):
        raise PermissionDenied(_("您不能为该组织开设互动空间。"))
    name = name.strip()
    if not name:
        raise ValidationError(_("请填写空间名称。"))
    with transaction.atomic():
        space = Space.objects.create(
            organisation=organisation,
            name=name[:60],
            description=description.strip()[:200],
            premoderation=premoderation,
            official_name=(official_name.strip() or _("党群工作部"))[:40],
            everyone=everyone,
        )
        after = {"organisation": organisation.name, "premoderation": premoderation}
        record(person, actions.SPACE_SETTINGS, space, after=after)
    return space


def update_space(
    person: Any, space: Space, *, name: str, description: str, premoderation: bool, official_name: str, active: bool
) -> Space:
    """Change a space's settings, among them the pre-moderation switch (先审后发)."""
    if not may_moderate(person, space):
        raise PermissionDenied(_("您没有管理该互动空间的权限。"))
    if not name.strip():
        raise ValidationError(_("请填写空间名称。"))
    with transaction.atomic():
        before = {"name": space.name, "premoderation": space.premoderation, "active": space.active}
        space.name = name.strip()[:60]
        space.description = description.strip()[:200]
        space.premoderation = premoderation
        space.official_name = (official_name.strip() or space.official_name)[:40]
        space.active = active
        space.save()
        record(
            person,
            actions.SPACE_SETTINGS,
            space,
            before=before,
            after={"name": space.name, "premoderation": premoderation, "active": active},
        )
    return space


# ------------------------------------------------------------------------------------------ word list


def add_words(person: Any, text: str, level: str) -> int:
    """Add one or more words (one a line, or separated by commas); a word already listed takes the new level."""
    _require_words_keeper(person)
    if level not in WordLevel.values:
        raise ValidationError(_("请选择敏感词级别。"))
    entries = [w.strip() for w in re.split(r"[\n,，、]+", text or "") if w.strip()]
    if not entries:
        raise ValidationError(_("请输入至少一个敏感词。"))
    too_long = [w for w in entries if len(w) > 40]
    if too_long:
        raise ValidationError(_("敏感词最多 40 个字：%(words)s") % {"words": "、".join(too_long[:5])})
    if any(not words.normalise(w) for w in entries):
        raise ValidationError(_("敏感词不能只由空格或分隔符组成。"))
    with transaction.atomic():
        for word in dict.fromkeys(entries):
            SensitiveWord.objects.update_or_create(word=word, defaults={"level": level, "created_by": person})
        WordListVersion.bump()
        record(
            person,
            actions.SPACE_WORDS,
            object_type="space.sensitiveword",
            object_repr=_("添加敏感词 %(n)d 个") % {"n": len(entries)},
            after={"added": entries[:100], "level": level},
        )
    return len(entries)


def remove_word(person: Any, word: SensitiveWord) -> None:
    _require_words_keeper(person)
    with transaction.atomic():
        word.delete()
        WordListVersion.bump()
        record(
            person,
            actions.SPACE_WORDS,
            object_type="space.sensitiveword",
            object_repr=_("删除敏感词"),
            before={"word": word.word, "level": word.level},
        )


# ------------------------------------------------------------------------------------------ exports


def record_export(person: Any, what: str) -> None:
    """A moderator downloaded the word list (``words``) or the moderation log with real names (``decisions``):
    audited (views never write)."""
    labels = {"words": (_("敏感词表"), "space.sensitiveword"), "decisions": (_("审核记录"), "space.moderationdecision")}
    label, object_type = labels[what]
    record(person, actions.SPACE_EXPORT, object_type=object_type, object_repr=label)
