"""学习: articles and news (with 阅读豆 for real reading), required reading (必学), the resource library and
study plans (学习计划).

Who sees an article, a resource or a plan: its ``organisations`` (empty: everyone); a person sees it when one of
their current memberships lies under one of them (:mod:`plaza.learning.queries`). A :class:`ReadingSession` is
opened on the server when the reading page is shown, so the time spent reading is measured by the server, never
reported by the phone. :class:`Completion` says a person read an article to the end (once).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """A heading articles and resources are filed under (时政要闻, 党章党规, 发展党员表格, …)."""

    name = models.CharField(_("名称"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("学习栏目")
        verbose_name_plural = _("学习栏目")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    """An article or piece of news written by staff. Shown from ``publish_at``; ``pinned`` ones first. When
    ``required`` (必学), everyone under ``required_for`` (empty: the article's audience) gets a to-do, due
    ``due_on``, closed when they read it to the end. ``body`` is Markdown, rendered without raw HTML."""

    title = models.CharField(_("标题"), max_length=120)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    body = models.TextField(_("正文"))
    body_format = models.CharField(
        max_length=8,
        default="markdown",
        choices=[("markdown", "Markdown"), ("html", "HTML")],
        help_text="html: written in the rich-text editor and cleaned (nh3) when saved",
    )
    cover = models.ImageField(_("封面图"), upload_to="learning/covers/", blank=True)
    media_url = models.URLField(_("音视频链接"), blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="articles", verbose_name=_("栏目")
    )
    topics = models.CharField(_("主题"), max_length=200, blank=True, help_text=_("多个主题用逗号分隔"))
    organisations = models.ManyToManyField(
        "orgs.Organisation", blank=True, related_name="+", verbose_name=_("发布范围"), help_text=_("不选表示所有人可见")
    )
    pinned = models.BooleanField(_("置顶"), default=False)
    withdrawn_at = models.DateTimeField(
        _("撤回时间"), null=True, blank=True, help_text="withdrawn articles are hidden from readers; nothing is deleted"
    )
    publish_at = models.DateTimeField(_("发布时间"), default=timezone.now, db_index=True)
    required = models.BooleanField(_("必学"), default=False)
    required_for = models.ManyToManyField(
        "orgs.Organisation",
        blank=True,
        related_name="+",
        verbose_name=_("必学范围"),
        help_text=_("不选表示发布范围内的所有人"),
    )
    due_on = models.DateField(_("必学截止日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("学习文章")
        verbose_name_plural = _("学习文章")
        ordering = ["-pinned", "-publish_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def topic_list(self) -> list[str]:
        return [t.strip() for t in self.topics.replace("，", ",").split(",") if t.strip()]


class ArticleFile(models.Model):
    """A file attached to an article (讲话原文, 学习材料)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("附件"), upload_to="learning/files/")
    name = models.CharField(_("文件名"), max_length=200)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("文章附件")
        verbose_name_plural = _("文章附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ReadingSession(models.Model):
    """One opening of an article's reading page. ``started_at`` is set by the server when the page is served;
    when the phone reports the end, the server computes the seconds itself and records what came of it. Old rows
    are deleted by the daily pass (:func:`plaza.learning.services.purge_reading_sessions`)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sessions")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.PositiveIntegerField(default=0)
    progress = models.FloatField(default=0)
    granted = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("阅读记录")
        verbose_name_plural = _("阅读记录")
        indexes = [models.Index(fields=["person", "article"]), models.Index(fields=["started_at"])]

    def __str__(self) -> str:
        return f"{self.person} {self.article}"


class Completion(models.Model):
    """The person read the article to the end (for required reading and study plans); at most once."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="completions")
    completed_on = models.DateField(_("完成日期"))

    class Meta:
        verbose_name = _("阅读完成")
        verbose_name_plural = _("阅读完成")
        constraints = [models.UniqueConstraint(fields=["person", "article"], name="learning_completion_once")]

    def __str__(self) -> str:
        return f"{self.person} {self.article}"


class Resource(models.Model):
    """A document or template in the resource library (e.g. the forms the 25 recruitment steps need)."""

    title = models.CharField(_("标题"), max_length=120)
    description = models.TextField(_("说明"), blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="resources", verbose_name=_("栏目")
    )
    file = models.FileField(_("文件"), upload_to="learning/resources/")
    organisations = models.ManyToManyField(
        "orgs.Organisation", blank=True, related_name="+", verbose_name=_("可见范围"), help_text=_("不选表示所有人可见")
    )
    downloads = models.PositiveIntegerField(_("下载次数"), default=0)
    withdrawn_at = models.DateTimeField(
        _("撤回时间"),
        null=True,
        blank=True,
        help_text="withdrawn resources are neither listed nor downloadable; nothing is deleted",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("学习资料")
        verbose_name_plural = _("学习资料")
        ordering = ["category__order", "title", "id"]

    def __str__(self) -> str:
        return self.title


class PlanKind(models.TextChoices):
    THEME = "theme", _("主题教育")
    CENTRAL_GROUP = "central_group", _("党委中心组学习")
    BRANCH = "branch", _("支部学习")
    OTHER = "other", _("其他")


class Plan(models.Model):
    """A study plan (学习计划) for the people under ``organisations`` (empty: everyone)."""

    title = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=16, choices=PlanKind.choices, default=PlanKind.THEME)
    description = models.TextField(_("说明"), blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    organisations = models.ManyToManyField(
        "orgs.Organisation", blank=True, related_name="+", verbose_name=_("学习对象"), help_text=_("不选表示所有人")
    )
    withdrawn_at = models.DateTimeField(
        _("撤回时间"),
        null=True,
        blank=True,
        help_text="withdrawn plans are hidden from members and send no reminders; nothing is deleted",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("学习计划")
        verbose_name_plural = _("学习计划")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="learning_plan_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.title


class PlanItem(models.Model):
    """One thing to study in a plan by ``due_on``: an article (done when read to the end), a resource (done when
    downloaded) or neither (集中学习, 研讨: the person ticks it off)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("学习内容"), max_length=120)
    article = models.ForeignKey(
        Article, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("文章")
    )
    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("资料")
    )
    due_on = models.DateField(_("完成日期"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("学习计划内容")
        verbose_name_plural = _("学习计划内容")
        ordering = ["due_on", "order", "id"]

    def __str__(self) -> str:
        return self.title


class ItemDone(models.Model):
    """A person finished one plan item; at most once."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="done")
    done_on = models.DateField(_("完成日期"))

    class Meta:
        verbose_name = _("学习计划完成")
        verbose_name_plural = _("学习计划完成")
        constraints = [models.UniqueConstraint(fields=["person", "item"], name="learning_item_done_once")]

    def __str__(self) -> str:
        return f"{self.person} {self.item}"
