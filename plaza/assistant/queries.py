"""Reads for 党群小智's pages: a person's own questions, the documents people may read, and for staff the
转人工 queue and the report of unanswered and unhelpful questions — questions of people inside the staff's
``Cap.ASSISTANT`` scope only."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plaza.orgs.permissions import Cap, Scope, can

from . import index
from .models import Document, Example, ExampleSource, Question, Status

#: Shown on the conversation page before the first question, and under it as shortcuts: each one answered with
#: confidence from the demo's knowledge base (plaza/assistant/tests/test_pages.py), since a suggestion that ends in
#: 「没有找到」 tells a newcomer the assistant does not work. 「党费每个月交多少？」 was one: its answer depends on
#: whether the asker is 在职 or 退休, so it is a choice between two sections, not an answer.
SUGGESTED = [
    "生孩子工会给多少慰问金？",
    "每月工资5000元党费交多少？",
    "党组织关系转到外单位要开介绍信吗？",
    "家里困难可以申请什么补助？",
    "得了大病互助金怎么申请？",
    "开党员证明要带什么？",
]


def is_staff(person: Any) -> bool:
    return can(person, Cap.ASSISTANT)


def questions_of(person: Any) -> QuerySet[Question]:
    return Question.objects.filter(person=person)


def own_question(person: Any, question_id: int) -> Question | None:
    return questions_of(person).filter(pk=question_id).first()


def readable_documents(person: Any) -> QuerySet[Document]:
    """Published documents for everyone signed in; staff also see the unpublished ones."""
    if is_staff(person):
        return Document.objects.all()
    return Document.objects.filter(published=True)


def managed_documents(viewer: Any) -> QuerySet[Document]:
    if not is_staff(viewer):
        return Document.objects.none()
    return Document.objects.annotate(passage_count=Count("passages")).order_by("title", "id")


def staff_questions(viewer: Any) -> QuerySet[Question]:
    """Questions of the people inside the viewer's ``Cap.ASSISTANT`` scope."""
    scope = Scope.of(viewer, Cap.ASSISTANT)
    if scope.is_empty:
        return Question.objects.none()
    rows = Question.objects.select_related("person")
    return rows if scope.everything else rows.filter(person__in=scope.people())


def queue(viewer: Any) -> QuerySet[Question]:
    return staff_questions(viewer).filter(status=Status.HANDED_OFF).order_by("handed_off_at", "id")


def report(viewer: Any) -> QuerySet[Question]:
    """Unanswered (no confident answer, handed off or not yet) and unhelpful questions, newest first."""
    return (
        staff_questions(viewer)
        .filter(Q(status__in=[Status.UNANSWERED, Status.HANDED_OFF]) | Q(helpful=False))
        .order_by("-created_at", "-id")
    )


def report_figures(viewer: Any) -> dict[str, int]:
    rows = staff_questions(viewer)
    found = rows.aggregate(
        n_total=Count("id"),
        n_confident=Count("id", filter=Q(confident=True)),
        n_unanswered=Count("id", filter=Q(status=Status.UNANSWERED)),
        n_waiting=Count("id", filter=Q(status=Status.HANDED_OFF)),
        n_staff_answered=Count("id", filter=Q(status=Status.STAFF_ANSWERED)),
        n_helpful=Count("id", filter=Q(helpful=True)),
        n_unhelpful=Count("id", filter=Q(helpful=False)),
    )
    return {key.removeprefix("n_"): value for key, value in found.items()}


def report_chart(figures: dict[str, int]) -> dict[str, list[Any]]:
    """The report's figures (:func:`report_figures`) as two bar charts: how the questions ended (answered with
    confidence, not found, waiting for staff, answered by staff) and the feedback (helpful or not). A chart
    with nothing to draw has no categories, so the page leaves it out."""
    ended = [
        (_("有把握回答"), figures["confident"]),
        (_("未找到答案"), figures["unanswered"]),
        (_("待人工解答"), figures["waiting"]),
        (_("人工已解答"), figures["staff_answered"]),
    ]
    feedback = [(_("有帮助"), figures["helpful"]), (_("没帮助"), figures["unhelpful"])]
    if not any(n for _label, n in ended):
        ended = []
    if not any(n for _label, n in feedback):
        feedback = []
    return {
        "ended": [label for label, _n in ended],
        "ended_counts": [n for _label, n in ended],
        "feedback": [label for label, _n in feedback],
        "feedback_counts": [n for _label, n in feedback],
    }


#: The 常见问法 list's filter: every example, those confirmed by their askers, those written by staff, or the
#: questions marked as not answered by the knowledge base.
EXAMPLE_KINDS = {
    "confirmed": gettext_lazy("提问人确认"),
    "curated": gettext_lazy("工作人员整理"),
    "off_topic": gettext_lazy("知识库不回答"),
}


def examples(search: str = "", kind: str = "") -> QuerySet[Example]:
    """The example questions (常见问法), newest first: the wording, the document or the heading containing
    ``search``; one ``kind`` of :data:`EXAMPLE_KINDS` or all. They are the whole enterprise's (the index is one),
    so staff with the 党群小智 right see them all."""
    found = Example.objects.select_related("added_by")
    if search:
        found = found.filter(Q(text__icontains=search) | Q(title__icontains=search) | Q(heading__icontains=search))
    if kind == "off_topic":
        found = found.filter(off_topic=True)
    elif kind in (ExampleSource.CONFIRMED, ExampleSource.CURATED):
        found = found.filter(source=kind, off_topic=False)
    return found.order_by("-created_at", "-id")


def example(example_id: int) -> Example | None:
    """One 常见问法 for the staff's page (None: not there)."""
    return Example.objects.filter(pk=example_id).first()


def example_sections() -> list[tuple[str, str]]:
    """Every section an example may name, as the index names them (title, heading), in the index's order: the
    published documents' passages and Plaza's own published rules (党内法规摘要, the 25 steps, 本单位规定).
    Read without building the index (one query)."""
    return list(dict.fromkeys((entry.title, entry.heading) for entry in index.entries()))
