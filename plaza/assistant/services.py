"""Every write of 党群小智: importing documents into the knowledge base and publishing them (staff with
``Cap.ASSISTANT``), asking (anyone signed in), feedback and 转人工 (the asker), the staff's answer, which
reaches the asker as a notification, and turning that answer into an FAQ passage. Staff writes are audited.

:func:`respond` is the answering itself, without storing anything: the ``ask`` and ``evaluate_assistant``
commands and the benchmark use it directly.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock
from plaza.notify import services as notify
from plaza.orgs.permissions import Cap, Scope, can, holders

from . import importers, index, kinds, llm, pages, published, queries
from .models import Document, Example, ExampleSource, Kind, Passage, Question, Status

#: Calibrated on ``knowledge/eval.json`` (all answerable) and ``knowledge/unanswerable.json``: the combined
#: score (see :mod:`plaza.assistant.index`) above which the best passage may be offered as the answer — if it
#: is also about the question (:func:`confident`). ``knowledge/holdout.json`` is never used to calibrate.
THRESHOLD = 0.18
#: A best section whose rank another section comes within this share of, with a cue for the kind asked at
#: least as strong, is a near-tie: neither the words nor the kind tell which of the two answers, so neither is
#: offered as *the* answer (issue 12, item 13: many confident wrong answers were such near-ties, 到会人数 before
#: 当选). Since the fitted order (:mod:`plaza.assistant.rerank`) a rank ratio is the ratio of the two sections'
#: probabilities under the model: 0.5 means the second is at least half as likely as the best. Chosen on the older
#: sets (docs/benchmarks.md): at 0.5 they were answered confidently more often, wrongly less often and off-topic
#: less often than with the hand-set order at 0.12; 0.7 declined a fifth more right answers for a few wrong ones.
#: 0.7 since the order reads the example questions (:class:`~plaza.assistant.models.Example`), chosen on the nine
#: older sets (774 questions, each set against the other sets' examples): the model's probabilities are steeper
#: there, and at 0.5 confident wrong answers and off-topic ones rose (27, 11 of 205); at 0.7 the sets are answered
#: confidently more often than before the examples (648 against 641) and wrongly less often (22 against 31),
#: off-topic 10 of 205 against 8; 0.8 cut 21 more right answers for one wrong one.
MARGIN = 0.7
MAX_QUESTION = 500
FAQ_TITLE = "常见问题（人工解答）"
FAQ_PATH = "faq:"
SUBJECT = "assistant"


def threshold() -> float:
    return float(getattr(settings, "PLAZA_ASSISTANT_THRESHOLD", THRESHOLD))


def margin() -> float:
    return float(getattr(settings, "PLAZA_ASSISTANT_MARGIN", MARGIN))


#: A section that people have asked for (it has example questions, 常见问法) is offered as the answer only when the
#: question is at least this close to one of them (:attr:`index.Hit.asked`). Chosen on the learned sets' questions,
#: each measured against the *other* questions' examples: at 0.35 the off-topic questions answered confidently fell
#: from 13 to 5 of 235 while 8 of 720 right confident answers became hand-offs (0.3: 7 and 5; 0.4: 5 and 19). A
#: section without examples keeps the other rules alone, so a document just imported is still answered.
EXAMPLE_FLOOR = 0.35
#: Nor when the question is nearly as close (within this margin) to a question the knowledge base does not answer
#: (:attr:`Example.off_topic`, :attr:`index.Hit.outside`) as to any way of asking for that section, unless the
#: section names a subject of the question the off-topic one lacks (:func:`_nearer_off_topic`). Chosen with the
#: learned sets' questions and 120 off-topic calibration questions that are neither examples nor in any set
#: (``knowledge/offtopic_calibration.json``): without the rule 9 of the 120 were answered confidently; at 0.1, 4
#: (confident answers on the learned sets 739 → 730 of 968); at 0.15, 4 (704); 0.1 without the exception, 3 (706).
OFF_TOPIC_MARGIN = 0.1


def _nearer_off_topic(question: str, best: index.Hit, idx: index.Index) -> bool:
    """Whether the question is nearly as close to an off-topic example as to any way of asking for the best section
    (:data:`OFF_TOPIC_MARGIN`) — unless the section's title or heading names a subject of the question that the
    off-topic example lacks: 「年终奖要不要交党费」 is near 「年终奖啥时候发」, but 党费 names the section and is not
    in it."""
    if best.asked is None or best.outside <= best.asked - OFF_TOPIC_MARGIN:
        return False
    return all(pieces & best.outside_terms for pieces in idx.named(question, best.entry))


#: What :func:`verdict` says of a reply: an answer; a choice between sections that each answer the question, the
#: asker's own situation deciding which (「党费每个月交多少」: 在职党员 or 退休党员); or nothing reliable found.
CONFIDENT, CHOOSE, UNSURE = "confident", "choose", "unsure"


def confident(question: str, hits: list[index.Hit], idx: index.Index | None = None) -> bool:
    """Whether the best passage is offered as the answer: it must score at least :func:`threshold` *and* be
    about the question (:attr:`index.Support.about`: its title or heading names one of the question's
    subject words, or it contains two of them). A high score from one word a passage mentions in passing —
    年终奖 in the 党费 base rule, 年假 in the 疗休养 rules — gives a hand-off, not a confident wrong answer.
    Nor is a near-tie: when another section scores within :func:`margin` of the best and gives the kind of
    answer asked at least as well, the best is offered as "possibly related" with it, not as the answer. A
    section of Plaza's published rules that restates a document's section (:func:`restates`: the dues table is
    in both) is no rival to it. Nor is a section people have asked for in words unlike the question's
    (:data:`EXAMPLE_FLOOR`): that is how an off-topic question that happens to share words is told apart."""
    return verdict(question, hits, idx) == CONFIDENT


def verdict(question: str, hits: list[index.Hit], idx: index.Index | None = None) -> str:
    """:data:`CONFIDENT` when :func:`confident`; :data:`CHOOSE` when the only thing that stops it is a near-tie
    with sections that are about the question too (each names the question's subject): the person is then told
    that several rules may answer it and that their situation decides, rather than that nothing was found while
    the right sections are listed under the words 「没有找到」; :data:`UNSURE` otherwise. The rules are the same
    and all must hold for an answer; only the order they are checked in differs from the docstring above."""
    if not hits or hits[0].score < threshold():
        return UNSURE
    idx = idx or index.current()
    question = idx.rewrite(question)
    if kinds.asked(question) in kinds.CHECKED and not hits[0].cue:
        return UNSURE
    best = hits[0]
    if best.asked is not None and (best.asked < EXAMPLE_FLOOR or _nearer_off_topic(question, best, idx)):
        return UNSURE
    if _other_organisation(question, best.entry, idx) or not idx.support(question, best.entry).about:
        return UNSURE
    rivals = [
        h
        for h in hits[1:]
        if h.rank >= best.rank * (1 - margin()) and h.cue >= best.cue and not restates(h.entry, best.entry)
    ]
    if not rivals:
        return CONFIDENT
    return CHOOSE if all(idx.support(question, h.entry).about for h in rivals) else UNSURE


#: The three organisations a question may be about, by the words that name them unambiguously (「团」 alone is
#: also 团队, 团购; 「会员」 is also a shop's; 「党内」 is in every 本单位规定's
#: 「党内法规对此没有统一规定」). The Party's, the union's and the league's rules share their words (选举, 任期,
#: 组织关系, 会费/党费/团费), so a section of one answers a question about another only by accident.
ORGANISATIONS: dict[str, tuple[str, ...]] = {
    "party": ("党组织", "党支部", "党委", "党小组", "入党", "党费", "党章", "党籍"),
    "union": ("工会", "职代会", "职工代表"),
    "league": ("团组织", "团支部", "团委", "共青团", "入团", "团费", "团干部", "团籍", "推优"),
}
#: Words for what the asker is rather than whose rules they ask about: 「我是党员，能申请困难补助吗」 asks the union's
#: rules, which are every employee's. They name an organisation only against a section of the Party's or the league's.
STATUS: dict[str, tuple[str, ...]] = {"party": ("党员",), "league": ("团员",)}


def _organisations(text: str, status: bool = True) -> set[str]:
    found = {name for name, words in ORGANISATIONS.items() if any(word in text for word in words)}
    if status:
        found |= {name for name, words in STATUS.items() if any(word in text for word in words)}
    return found


def _other_organisation(question: str, entry: index.Entry, idx: index.Index) -> bool:
    """Whether the question names an organisation (the Party, the union, the league) and the section is another's:
    「分工会主席任期几年」 against the Party's 换届选举 > 任期, 「团员的组织关系怎么转」 against the Party members'
    transfer guide. Offered as possibly related, not as the answer. A section that names no organisation belongs
    to those its document names (大病互助's 给付标准 is the union's: its document says so once); one whose document
    names none either, or all of them (本单位规定), is nobody's in particular and answers anyone. A section of the
    union's answers every employee, so the asker's own status (党员, 团员) does not make it another's
    (:data:`STATUS`); nor does a section's mention of one (疗休养's 优秀共产党员 优先) make it the Party's."""
    named = _organisations(f"{entry.title} {entry.heading} {entry.text}", status=False) or _organisations(
        idx.document_words.get(entry.document, ""), status=False
    )
    asked = _organisations(question, status="union" not in named)
    return bool(asked) and bool(named) and not asked & named


_FIGURE = re.compile(r"\d+(?:\.\d+)?")


def restates(one: index.Entry, other: index.Entry) -> bool:
    """Whether one of two sections, a document's and a section of Plaza's published rules, restates the other:
    at least half of the figures the published one gives are in the document's too. The digest and the 25-step guide
    retell the organisation's documents (the dues table, the three months of 审批), so the two agreeing is not
    the ambiguity a near-tie means; two sections with different figures are rivals."""
    if one.stored == other.stored:
        return False
    document, rules = (one, other) if one.stored else (other, one)
    figures = set(_FIGURE.findall(rules.text))
    return bool(figures) and len(figures & set(_FIGURE.findall(document.text))) * 2 >= len(figures)


def _require_staff(actor: Any) -> Scope:
    scope = Scope.of(actor, Cap.ASSISTANT)
    if scope.is_empty:
        raise PermissionDenied(_("只有党群小智的维护人员可以这样做。"))
    return scope


# ------------------------------------------------------------------------------------------ the knowledge base


@dataclass
class Imported:
    document: Document
    created: bool
    skipped: bool
    passages: int


@transaction.atomic
def import_document(
    actor: Any, name: str, content: bytes, *, source_path: str = "", upload: bool = False, title: str = ""
) -> Imported:
    """Store a file's passages. The same title or source path updates that document in place (its passages
    replaced in this one transaction); the same checksum as stored skips it. ``actor`` None is the system
    (the ``import_knowledge`` command, demo data)."""
    if actor is not None:
        _require_staff(actor)
    try:
        parsed = importers.parse(name, content)
    except importers.UnsupportedFile as exc:
        raise ValidationError(_("不支持的文件格式：%(name)s（支持 .md .docx .pdf .txt）") % {"name": name}) from exc
    except Exception as exc:  # a damaged docx/pdf: the libraries raise many kinds
        raise ValidationError(_("无法读取文件 %(name)s：%(error)s") % {"name": name, "error": exc}) from exc
    title = (title or parsed.title).strip()[:200]
    if not parsed.sections:
        raise ValidationError(_("文件 %(name)s 中没有可用的内容。") % {"name": name})
    checksum = hashlib.sha256(content).hexdigest()
    match = Q(title=title) | Q(source_path=source_path) if source_path else Q(title=title)
    existing = list(Document.objects.select_for_update().filter(match).exclude(kind=Kind.FAQ))
    document = next((d for d in existing if d.title == title), existing[0] if existing else None)
    if document is not None and document.checksum == checksum and document.title == title:
        return Imported(document, created=False, skipped=True, passages=document.passages.count())
    if Document.objects.filter(title=title).exclude(pk=getattr(document, "pk", None)).exists():  # type: ignore[misc]
        raise ValidationError(_("已有另一份题为《%(title)s》的文档。") % {"title": title})
    created = document is None
    before = (
        None
        if document is None
        else {"title": document.title, "checksum": document.checksum, "passages": document.passages.count()}
    )
    document = document or Document()
    document.title, document.kind, document.checksum = title, parsed.kind, checksum
    if source_path:
        document.source_path = source_path[:500]
    if upload:
        document.file.save(Path(name).name, ContentFile(content), save=False)
    document.save()
    document.passages.all().delete()
    Passage.objects.bulk_create(
        Passage(document=document, heading=s.heading[:300], text=s.text, order=n)
        for n, s in enumerate(parsed.sections, 1)
    )
    after = {"title": title, "checksum": checksum, "passages": len(parsed.sections)}
    record(
        actor,
        actions.ASSISTANT_IMPORT if created else actions.ASSISTANT_REIMPORT,
        document,
        before=before or {},
        after=after,
    )
    return Imported(document, created=created, skipped=False, passages=len(parsed.sections))


def import_paths(actor: Any, paths: Iterable[str | Path]) -> list[Imported]:
    """Import files, and the supported files inside folders (recursively, in name order)."""
    found: list[Imported] = []
    for raw in paths:
        path = Path(raw)
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.suffix.lower() not in importers.KINDS:
                continue
            found.append(import_document(actor, file.name, file.read_bytes(), source_path=str(file.resolve())))
    return found


@transaction.atomic
def set_published(actor: Any, document: Document, published: bool) -> Document:
    _require_staff(actor)
    document = Document.objects.select_for_update().get(pk=document.pk)
    before = {"published": document.published}
    document.published = published
    document.save(update_fields=["published", "updated_at"])
    record(actor, actions.ASSISTANT_PUBLISH, document, before=before, after={"published": published})
    return document


# ------------------------------------------------------------------------------------------ answering


@dataclass
class Reply:
    question: str
    answer: str
    confident: bool
    hits: list[index.Hit] = field(default_factory=list)
    used_llm: bool = False

    def sources(self) -> list[dict[str, Any]]:
        return [
            {
                "passage": h.entry.passage if h.entry.stored else None,
                "title": h.entry.title,
                "heading": h.entry.heading,
                "score": round(h.rank, 4),  # the order's measure (index.Hit.rank), so the sources read best first
                "url": h.entry.url,
                "pages": pages.pages_for(h.entry.title, h.entry.heading),
            }
            for h in self.hits
        ]


def _excerpt(text: str, limit: int = 360) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit].rstrip() + "……"


def plain_answer(hits: list[index.Hit]) -> str:
    best = hits[0].entry
    where = f"《{best.title}》" + (f"「{best.heading}」" if best.heading else "")
    return _("根据%(where)s：\n%(text)s") % {"where": where, "text": _excerpt(best.text)}


def for_asker(hits: list[index.Hit], person: Any = None) -> list[index.Hit]:
    """The hits with each 本单位规定 written for the asker: the value that applies to their organisation, where
    it was set and why (:func:`published.answer_for`), read now — so a rule changed a moment ago is answered
    with its new value. Other sections are unchanged."""
    return [
        replace(h, entry=replace(h.entry, text=published.answer_for(h.entry.rule, person))) if h.entry.rule else h
        for h in hits
    ]


def respond(question: str, *, limit: int = 3, use_llm: bool = True, person: Any = None) -> Reply:
    """Answer from the knowledge base and Plaza's published rules: the best sections, best first; confident as
    :func:`confident` says. A 本单位规定 is answered with the value that applies to ``person`` (when given).
    The optional model rewrites only a confident answer, from those sections."""
    question = question.strip()[:MAX_QUESTION]
    idx = index.current()
    hits = idx.search(question, limit=limit)
    found = verdict(question, hits, idx)
    if found == CHOOSE:
        return Reply(
            question,
            _(
                "知识库里有几处规定都可能回答这个问题，要看您的具体情况。请在下面“可能相关”中查看符合您情况的"
                "一处；如果仍不清楚，可以转人工，由工作人员解答后通知您。"
            ),
            False,
            hits,
        )
    if found != CONFIDENT:
        return Reply(
            question,
            _(
                "抱歉，知识库里没有找到能可靠回答这个问题的内容。您可以换个说法再问，"
                "或者转人工，由工作人员解答后通知您。"
            ),
            False,
            hits,
        )
    hits = for_asker(hits, person)
    if use_llm and llm.enabled():
        written = llm.complete(question, hits)
        if written:
            return Reply(question, written, True, hits, used_llm=True)
    return Reply(question, plain_answer(hits), True, hits)


def ask(person: Any, text: str) -> Question:
    """Answer a question and keep it, with its sources, for the person's conversation and the reports."""
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError(_("请输入问题。"))
    if len(text) > MAX_QUESTION:
        raise ValidationError(_("问题太长了，请控制在 %(n)s 字以内。") % {"n": MAX_QUESTION})
    reply = respond(text, person=person)
    return Question.objects.create(
        person=person,
        text=text,
        answer=reply.answer,
        confident=reply.confident,
        score=reply.hits[0].score if reply.hits else 0.0,
        sources=reply.sources(),
        used_llm=reply.used_llm,
        status=Status.ANSWERED if reply.confident else Status.UNANSWERED,
    )


def _own(person: Any, question: Question) -> Question:
    found = Question.objects.select_for_update().filter(pk=question.pk, person=person).first()
    if found is None:
        raise PermissionDenied(_("这不是您的提问。"))
    return found


@transaction.atomic
def give_feedback(person: Any, question: Question, helpful: bool) -> Question:
    """有帮助 / 没帮助 on an answer. A confident answer marked helpful teaches the assistant a way people ask for
    the section it came from: the question becomes one of that section's examples (:class:`Example`, 常见问法),
    which the order reads for the next person (:mod:`plaza.assistant.index`); changed to 没帮助, it is taken back."""
    question = _own(person, question)
    question.helpful, question.feedback_at = helpful, clock.now()
    question.save(update_fields=["helpful", "feedback_at"])
    best = (question.sources or [{}])[0]
    if question.teaches and best.get("title"):
        Example.objects.get_or_create(
            title=best["title"],
            heading=best.get("heading") or "",
            text=question.text,
            defaults={"source": ExampleSource.CONFIRMED, "question": question, "added_by": person},
        )
    elif not helpful:
        Example.objects.filter(question=question, source=ExampleSource.CONFIRMED).delete()
    return question


def _section_name(title: str, heading: str) -> str:
    return f"{title} › {heading}" if heading else title


@transaction.atomic
def add_example(person: Any, text: str, title: str = "", heading: str = "", *, off_topic: bool = False) -> Example:
    """Staff write down a way people ask for a section (常见问法), or a question the knowledge base should not
    answer (``off_topic``: no section). The next question is ordered with it (the index's signature counts the
    examples, so every process rebuilds on its next question).

    Refused with the reason: an empty wording; one already written for this section; one that is already another
    section's (a wording names one section: the nearest examples vote for their sections, and one wording voting
    for two would only blur the vote — the old one is removed first); a section the knowledge base does not have
    (a document withdrawn since the page was opened)."""
    if not can(person, Cap.ASSISTANT):
        raise PermissionDenied(_("常见问法由党群小智的管理人员维护。"))
    text = " ".join(str(text).split())
    if not text:
        raise ValidationError(_("请填写问法。"))
    if len(text) > 500:
        raise ValidationError(_("问法不能超过 500 个字。"))
    if off_topic:
        title = heading = ""
    elif (title, heading) not in set(queries.example_sections()):
        raise ValidationError(_("知识库里已没有这个章节（文档可能已停用），请重新选择。"))
    same = Example.objects.select_for_update().filter(text=text).first()
    if same is not None:
        if (same.title, same.heading) == (title, heading):
            raise ValidationError(_("这个问法已经在常见问法里了。"))
        where = _("知识库不回答的问题") if same.off_topic else _section_name(same.title, same.heading)
        raise ValidationError(
            _("这个问法已是「%(where)s」的常见问法；一个问法只对应一处，请先删除原来的那条。") % {"where": where}
        )
    example = Example.objects.create(
        title=title, heading=heading, text=text, off_topic=off_topic, source=ExampleSource.CURATED, added_by=person
    )
    record(
        person,
        actions.ASSISTANT_EXAMPLE_ADD,
        example,
        after={"text": text, "title": title, "heading": heading, "off_topic": off_topic},
    )
    return example


@transaction.atomic
def remove_example(person: Any, example: Example) -> None:
    """Take a 常见问法 away (a wording that taught the wrong section, an asker's 有帮助 on a question that was not
    really about it). Audited with what it said, so the log shows what was removed."""
    if not can(person, Cap.ASSISTANT):
        raise PermissionDenied(_("常见问法由党群小智的管理人员维护。"))
    found = Example.objects.select_for_update().filter(pk=example.pk).first()
    if found is None:
        raise ValidationError(_("这条常见问法已经删除了。"))
    record(
        person,
        actions.ASSISTANT_EXAMPLE_REMOVE,
        found,
        before={"text": found.text, "title": found.title, "heading": found.heading, "off_topic": found.off_topic},
    )
    found.delete()


@transaction.atomic
def hand_off(person: Any, question: Question) -> Question:
    """转人工: the question joins the staff's queue and the 党群小智 staff over the person are told at once; the
    staff's answer will be sent to the person."""
    question = _own(person, question)
    if question.status in (Status.HANDED_OFF, Status.STAFF_ANSWERED):
        raise ValidationError(_("这个问题已经转人工了。"))
    question.status, question.handed_off_at = Status.HANDED_OFF, clock.now()
    question.save(update_fields=["status", "handed_off_at"])
    record(person, actions.ASSISTANT_HAND_OFF, question, after={"status": Status.HANDED_OFF})
    notify.notify(
        holders(Cap.ASSISTANT, person).exclude(pk=person.pk),
        kind=SUBJECT,
        title=_("党群小智：%(name)s 转人工提问") % {"name": person.name},
        body=question.text[:200],
        url=reverse("assistant:queue"),
    )
    return question


def _in_queue_scope(actor: Any, question: Question) -> Question:

    found = queries.staff_questions(actor).select_for_update(of=("self",)).filter(pk=question.pk).first()
    if found is None:
        raise PermissionDenied(_("该提问不在您的管理范围内。"))
    return found


@transaction.atomic
def answer_question(actor: Any, question: Question, text: str) -> Question:
    """The staff's answer to a handed-off (or unanswered) question; the asker is notified."""
    _require_staff(actor)
    question = _in_queue_scope(actor, question)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("请填写解答内容。"))
    before = {"status": question.status, "staff_answer": question.staff_answer}
    question.staff_answer, question.answered_by, question.answered_at = text, actor, clock.now()
    question.status = Status.STAFF_ANSWERED
    question.save(update_fields=["staff_answer", "answered_by", "answered_at", "status"])
    record(
        actor,
        actions.ASSISTANT_ANSWER,
        question,
        before=before,
        after={"status": question.status, "staff_answer": text},
    )
    url = reverse("assistant:question", args=[question.pk])
    notify.notify(
        [question.person], kind=SUBJECT, title=_("党群小智：您的问题已有工作人员解答"), body=text[:200], url=url
    )
    return question


@transaction.atomic
def make_faq(actor: Any, question: Question) -> Passage:
    """One click: the question and the staff's answer become a passage of the FAQ document, so the
    assistant answers the next person who asks the same."""
    _require_staff(actor)
    question = _in_queue_scope(actor, question)
    if question.status != Status.STAFF_ANSWERED:
        raise ValidationError(_("请先解答这个问题。"))
    if question.faq_passage_id:
        raise ValidationError(_("这个问题已经加入常见问题。"))
    document, _created = Document.objects.select_for_update().get_or_create(
        title=FAQ_TITLE, defaults={"kind": Kind.FAQ, "source_path": FAQ_PATH}
    )
    last = document.passages.aggregate(last=Max("order"))["last"] or 0
    passage = Passage.objects.create(
        document=document, heading=question.text[:300], text=question.staff_answer, order=last + 1
    )
    document.save(update_fields=["updated_at"])
    question.faq_passage = passage
    question.save(update_fields=["faq_passage"])
    record(actor, actions.ASSISTANT_FAQ, passage, after={"question": question.pk, "heading": passage.heading})
    return passage
