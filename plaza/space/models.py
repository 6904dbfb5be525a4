"""Tables of 互动空间: spaces, the display names people choose in them, posts (text, pictures, topics, the
organisations each is meant for), comments and replies, likes, reports, moderation decisions and the
sensitive-word list.

后台实名、前台自愿: every post and comment keeps its real author (``author``) for moderation and abuse handling,
and is shown under the author's :class:`SpaceProfile` (the display name they chose in that space). Pages and the
API read the profile, never the author; only the moderation queue shows the real person (audited).

Visibility: a post is meant for one or more organisations (:class:`PostAudience`, the organisation's path
copied). A person sees it when one of their current memberships lies inside one of those subtrees, i.e. when
an audience path is one of the prefixes of a membership path: one indexed ``path IN (…)`` lookup per post.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

#: Limits people meet (checked by the services with a Chinese message, and by the database where it can).
MAX_POST_CHARS = 2000
MAX_COMMENT_CHARS = 500
MAX_PICTURES = 9
MAX_DISPLAY_NAME = 20
MAX_TOPIC_CHARS = 20
MAX_REASON_CHARS = 200


class Space(models.Model):
    """An interaction space for the people of one organisation's subtree (the enterprise-wide 员工互动空间 on the
    top organisation; a branch's or a union's own space on theirs)."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="spaces")
    name = models.CharField(_("空间名称"), max_length=60)
    description = models.CharField(_("简介"), max_length=200, blank=True)
    everyone = models.BooleanField(
        _("面向全体员工"), default=False, help_text=_("开启后所有员工可见（不限党组织、工会、团组织）。")
    )
    premoderation = models.BooleanField(_("先审后发"), default=False, help_text=_("开启后，新帖经审核通过才公开。"))
    official_name = models.CharField(
        _("官方账号名称"), max_length=40, default=_("党群工作部"), help_text=_("官方帖子以此名称和“官方”标识显示。")
    )
    active = models.BooleanField(_("开放"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("互动空间")
        verbose_name_plural = _("互动空间")
        ordering = ["organisation__path", "id"]

    def __str__(self) -> str:
        return self.name


class SpaceProfile(models.Model):
    """The name a person shows in a space (前台自愿): chosen freely, unique in the space, never another
    person's real name. Created with a neutral alias the first time the person writes there."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="profiles")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="space_profiles")
    display_name = models.CharField(_("显示名称"), max_length=MAX_DISPLAY_NAME)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("空间昵称")
        verbose_name_plural = _("空间昵称")
        constraints = [
            models.UniqueConstraint(fields=["space", "person"], name="space_one_profile_per_person"),
            models.UniqueConstraint(fields=["space", "display_name"], name="space_display_name_unique"),
        ]

    def __str__(self) -> str:
        return self.display_name


class Topic(models.Model):
    """A #话题# written in posts (created the first time someone uses it)."""

    name = models.CharField(_("话题"), max_length=MAX_TOPIC_CHARS, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("话题")
        verbose_name_plural = _("话题")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PostStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    PUBLISHED = "published", _("已发布")
    HIDDEN = "hidden", _("已隐藏")
    DELETED = "deleted", _("已删除")


class Post(models.Model):
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="space_posts")
    profile = models.ForeignKey(SpaceProfile, on_delete=models.PROTECT, related_name="posts")
    body = models.TextField(_("内容"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=PostStatus.choices, default=PostStatus.PUBLISHED)
    held_reason = models.CharField(_("待审原因"), max_length=MAX_REASON_CHARS, blank=True)
    official = models.BooleanField(_("官方发布"), default=False)
    pinned = models.BooleanField(_("置顶"), default=False)
    like_count = models.PositiveIntegerField(_("点赞数"), default=0)
    comment_count = models.PositiveIntegerField(_("评论数"), default=0)
    picture_count = models.PositiveSmallIntegerField(_("图片数"), default=0)
    topics = models.ManyToManyField(Topic, through="PostTopic", related_name="posts", blank=True)
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("帖子")
        verbose_name_plural = _("帖子")
        ordering = ["-id"]
        indexes = [
            # The feed: newest first inside a space (keyset on id), and across spaces.
            models.Index(fields=["space", "status", "-id"], name="space_post_feed"),
            models.Index(fields=["status", "-id"], name="space_post_all"),
            models.Index(fields=["author", "-id"], name="space_post_author"),
            models.Index(fields=["space", "-id"], condition=Q(pinned=True), name="space_post_pinned"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(picture_count__lte=MAX_PICTURES), name="space_post_at_most_9_pictures"),
            models.CheckConstraint(condition=Q(pinned=False) | Q(official=True), name="space_only_official_pinned"),
        ]

    def __str__(self) -> str:
        return self.body[:30] or f"#{self.pk}"

    @property
    def shown_name(self) -> str:
        """The name others see: the space's official account for an official post, else the author's chosen
        display name (never the real name, unless the author chose it)."""
        return self.space.official_name if self.official else self.profile.display_name


class PostAudience(models.Model):
    """One organisation a post is meant for; ``path`` is the organisation's path, copied for the feed. A post
    for everyone in an enterprise-wide space has one row with no organisation and the empty path."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="audience")
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, null=True, related_name="+")
    path = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("可见范围")
        verbose_name_plural = _("可见范围")
        constraints = [models.UniqueConstraint(fields=["post", "organisation"], name="space_audience_once")]
        indexes = [models.Index(fields=["post", "path"], name="space_audience_post_path")]

    def __str__(self) -> str:
        return f"{self.post_id} → {self.path}"


class PostTopic(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "topic"], name="space_post_topic_once")]
        indexes = [models.Index(fields=["topic", "-post"], name="space_topic_posts")]

    def __str__(self) -> str:
        return f"{self.post_id} #{self.topic_id}"


class PostPicture(models.Model):
    """A picture of a post, cleaned by :func:`plaza.lib.images.clean_picture`; served only through the
    permission-checked view of this app (the folder is not public media)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="pictures")
    image = models.FileField(_("图片"), upload_to="space/%Y/%m/")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("图片")
        verbose_name_plural = _("图片")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.image.name


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    PUBLISHED = "published", _("已发布")
    HIDDEN = "hidden", _("已隐藏")


class Comment(models.Model):
    """A comment on a post, or a reply to a comment (``parent``)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="space_comments")
    profile = models.ForeignKey(SpaceProfile, on_delete=models.PROTECT, related_name="comments")
    body = models.TextField(_("评论"))
    status = models.CharField(_("状态"), max_length=16, choices=CommentStatus.choices, default=CommentStatus.PUBLISHED)
    held_reason = models.CharField(_("待审原因"), max_length=MAX_REASON_CHARS, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评论")
        verbose_name_plural = _("评论")
        ordering = ["id"]
        indexes = [models.Index(fields=["post", "status", "id"], name="space_comment_post")]

    def __str__(self) -> str:
        return self.body[:30]


class Like(models.Model):
    """One like of one person on one post: a unique row, so a second like counts nothing."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="space_likes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("点赞")
        verbose_name_plural = _("点赞")
        constraints = [models.UniqueConstraint(fields=["post", "person"], name="space_one_like_per_person")]
        indexes = [models.Index(fields=["person", "post"], name="space_like_person")]

    def __str__(self) -> str:
        return f"{self.person_id} ♥ {self.post_id}"


class Report(models.Model):
    """Someone reports a post or a comment as abusive; it waits in the moderation queue until decided."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("举报理由"), max_length=MAX_REASON_CHARS)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("举报")
        verbose_name_plural = _("举报")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=Q(comment__isnull=True, resolved_at__isnull=True),
                name="space_one_open_post_report",
            ),
            models.UniqueConstraint(
                fields=["comment", "reporter"],
                condition=Q(comment__isnull=False, resolved_at__isnull=True),
                name="space_one_open_comment_report",
            ),
        ]
        indexes = [models.Index(fields=["resolved_at", "post"], name="space_report_open")]

    def __str__(self) -> str:
        return self.reason[:30]


class Decision(models.TextChoices):
    APPROVE = "approve", _("通过")
    HIDE = "hide", _("隐藏")
    RESTORE = "restore", _("恢复")


class ModerationDecision(models.Model):
    """What a moderator decided about a post or a comment, and why."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="decisions")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="decisions")
    decision = models.CharField(_("处理"), max_length=16, choices=Decision.choices)
    reason = models.CharField(_("理由"), max_length=MAX_REASON_CHARS)
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} {self.post_id}"


class WordLevel(models.TextChoices):
    BLOCK = "block", _("禁止发布")
    REVIEW = "review", _("先审后发")


class SensitiveWord(models.Model):
    word = models.CharField(_("敏感词"), max_length=40, unique=True)
    level = models.CharField(_("级别"), max_length=16, choices=WordLevel.choices, default=WordLevel.REVIEW)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("敏感词")
        verbose_name_plural = _("敏感词")
        ordering = ["word"]
        constraints = [models.CheckConstraint(condition=~Q(word=""), name="space_word_not_empty")]

    def __str__(self) -> str:
        return self.word


class WordListVersion(models.Model):
    """One row: raised on every change of the word list, so each process rebuilds its automaton once.

    The number alone is not enough to name a list: a database restored from a backup (or emptied between two
    tests) counts up again from a lower number, and a process that built version 3 before would keep that
    automaton for a different version 3. So each change also draws a fresh random ``token``, and a process's
    automaton is kept only while the token is the same."""

    version = models.PositiveBigIntegerField(default=0)
    token = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(version__gte=0), name="space_word_version_positive")]

    def __str__(self) -> str:
        return str(self.version)

    @classmethod
    def bump(cls) -> None:
        updated = cls.objects.filter(pk=1).update(version=F("version") + 1, token=uuid.uuid4())
        if not updated:
            cls.objects.get_or_create(pk=1, defaults={"version": 1, "token": uuid.uuid4()})
