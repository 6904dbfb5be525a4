"""党群小智: the knowledge base staff maintain (documents split into passages under their headings) and the
questions people ask, with the answer given, the passages cited, the feedback and, when the assistant was
not confident, the hand-off to a person (转人工) and the staff's answer.

The retrieval index lives in memory (:mod:`plaza.assistant.index`); these tables are its source of truth.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    MARKDOWN = "md", "Markdown"
    DOCX = "docx", "Word"
    PDF = "pdf", "PDF"
    TEXT = "txt", _("纯文本")
    FAQ = "faq", _("人工解答汇编")


class Document(models.Model):
    """One policy or procedure text. Re-importing the same title or path replaces its passages in place;
    an unchanged file (same checksum) is skipped. Unpublished documents are neither searched nor shown."""

    title = models.CharField(_("标题"), max_length=200, unique=True)
    kind = models.CharField(_("格式"), max_length=8, choices=Kind.choices)
    source_path = models.CharField(_("来源路径"), max_length=500, blank=True, db_index=True)
    file = models.FileField(_("上传的文件"), upload_to="assistant/", blank=True)
    checksum = models.CharField(_("校验和"), max_length=64, blank=True)
    published = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("知识库文档")
        verbose_name_plural = _("知识库文档")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assistant:document", args=[self.pk])


class Passage(models.Model):
    """A section of a document under its heading path (``二、申请条件 > 1. 对象``), the unit that is retrieved
    and cited; ``order`` is its place in the document and gives the link anchor ``#p<order>``."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="passages")
    heading = models.CharField(_("标题路径"), max_length=300, blank=True)
    text = models.TextField(_("内容"))
    order = models.PositiveIntegerField(_("顺序"))

    class Meta:
        verbose_name = _("段落")
        verbose_name_plural = _("段落")
        ordering = ["document", "order"]
        constraints = [models.UniqueConstraint(fields=["document", "order"], name="one_passage_per_place")]

    def __str__(self) -> str:
        return f"{self.document_id} · {self.heading}"

    @property
    def anchor(self) -> str:
        return f"p{self.order}"

    @property
    def url(self) -> str:
        return f"{reverse('assistant:document', args=[self.document_id])}#{self.anchor}"


class Status(models.TextChoices):
    ANSWERED = "answered", _("已回答")
    UNANSWERED = "unanswered", _("未找到答案")
    HANDED_OFF = "handed_off", _("待人工解答")
    STAFF_ANSWERED = "staff_answered", _("人工已解答")


#: The longest question kept as an example question (:class:`Example`) when its asker marks the answer helpful: a
#: long story is no wording to compare with, and the example's unique index stays well within a btree row.
EXAMPLE_LENGTH = 120


class Question(models.Model):
    """A question someone asked, what the assistant answered and from which passages (``sources``: a list of
    ``{"passage": id, "title", "heading", "score", "url"}``, best first, kept as they were when answered)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assistant_questions")
    text = models.CharField(_("问题"), max_length=500)
    answer = models.TextField(_("回答"), blank=True)
    confident = models.BooleanField(_("有把握"), default=False)
    score = models.FloatField(_("最高得分"), default=0)
    sources = models.JSONField(_("引用"), default=list, blank=True)
    used_llm = models.BooleanField(_("经大模型整理"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ANSWERED)
    helpful = models.BooleanField(_("有帮助"), null=True, blank=True)
    feedback_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    handed_off_at = models.DateTimeField(_("转人工时间"), null=True, blank=True)
    staff_answer = models.TextField(_("人工解答"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("解答时间"), null=True, blank=True)
    faq_passage = models.ForeignKey(Passage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("提问时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("提问")
        verbose_name_plural = _("提问")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="staff_answered") | ~Q(staff_answer=""), name="staff_answered_has_answer"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def teaches(self) -> bool:
        """Whether this question, marked helpful, became an example of its answer's section (services.give_feedback)."""
        return bool(self.helpful and self.confident and self.sources and len(self.text) <= EXAMPLE_LENGTH)

    @property
    def pages(self) -> list[dict[str, str]]:
        """The Plaza pages the answer's sections point to (:mod:`plaza.assistant.pages`), once each."""
        seen: dict[str, dict[str, str]] = {}
        for source in self.sources or []:
            for page in source.get("pages") or []:
                seen.setdefault(page["url"], page)
        return list(seen.values())[:3]


class ExampleSource(models.TextChoices):
    CONFIRMED = "confirmed", _("提问人确认有帮助")
    CURATED = "curated", _("工作人员整理")


class Example(models.Model):
    """A way people ask for one section (常见问法): a question whose answer that section is, either confirmed
    by the person who asked it (marked 有帮助 on a confident answer) or written down by staff. The index compares
    a new question with each candidate section's examples (:mod:`plaza.assistant.index`), so the assistant learns
    the words people use for a section that its text does not contain (「生娃」 for 生育, 「钱啥时候到」 for 发放).

    A section is named by its document's title and its heading — as the index names it — so the examples of a
    published rule (党内法规摘要, the 25 steps, 本单位规定), which has no row, are kept the same way; an example
    whose section no longer exists is simply not used.

    An example marked ``off_topic`` (no title, no heading) is a question people ask that the knowledge base does not
    answer (年假几天, 食堂几点开门): a question closer to one of those than to any way of asking for its best section
    is handed off, not answered (:data:`plaza.assistant.services.EXAMPLE_FLOOR` and what follows it)."""

    title = models.CharField(_("文档"), max_length=200, blank=True)
    heading = models.CharField(_("标题路径"), max_length=300, blank=True)
    text = models.CharField(_("问法"), max_length=500)
    off_topic = models.BooleanField(
        _("知识库不回答"), default=False, help_text=_("小智不应回答的问法：不填文档和标题路径。")
    )
    source = models.CharField(_("来源"), max_length=16, choices=ExampleSource.choices)
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("提问记录")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("添加人")
    )
    created_at = models.DateTimeField(_("添加时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("常见问法")
        verbose_name_plural = _("常见问法")
        ordering = ["title", "heading", "id"]
        constraints = [
            models.UniqueConstraint(fields=["title", "heading", "text"], name="one_example_per_section"),
            models.CheckConstraint(
                condition=models.Q(off_topic=True, title="", heading="")
                | (models.Q(off_topic=False) & ~models.Q(title="")),
                name="example_names_its_section_unless_off_topic",
                violation_error_message=_(
                    "标为“知识库不回答”的问法不填文档和标题路径；其他问法必须填写它所对应的文档。"
                ),
            ),
        ]

    def __str__(self) -> str:
        if self.off_topic:
            return f"{self.text[:40]} → （知识库不回答）"
        return f"{self.text[:40]} → {self.title} {self.heading}"
