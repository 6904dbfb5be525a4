"""Every write of 答题: the question bank (save, withdraw, restore), 每日答题 and the 错题本, 挑战答题, contests
(create, open, close, teams, attempts, answers, voiding) and the live contest's host actions.

Fairness (issue 15): a question goes out without its answer and the server stamps when it was sent (a
:class:`~plaza.quiz.models.Delivery`, or the live contest's ``question_sent_at``); the answer is scored with
the server's clock through :func:`plaza.rules.quiz.score`; one answer per question and attempt is a database
constraint (a second is refused); answers faster than :func:`bot_ms` are kept, flagged and not scored.
Points go to the one ledger under the activities ``quiz`` (每日答题) and ``quiz_challenge`` (挑战答题) with an
idempotency key per person and question or run.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock
from plaza.orgs.models import Level, Membership, Organisation
from plaza.orgs.permissions import Cap, Scope
from plaza.points import services as points
from plaza.rules import quiz as rules

from . import grants, queries
from .board import board
from .live import notify
from .models import (
    Attempt,
    ChallengeItem,
    ChallengeRun,
    Contest,
    ContestAnswer,
    ContestQuestion,
    DailyItem,
    Delivery,
    Difficulty,
    Draw,
    Kind,
    Mistake,
    Mode,
    Phase,
    Question,
    State,
    Tag,
    TagKind,
    Team,
    TeamBasis,
    TeamMember,
    Void,
)

DAILY_ACTIVITY = "quiz"
CHALLENGE_ACTIVITY = "quiz_challenge"
TRUE_FALSE_OPTIONS = ("正确", "错误")
REPEAT_DAYS = 30  # 每日答题 never repeats a question answered in the last 30 days while others remain
MISTAKE_CLEARED_AFTER = 2  # 错题本: removed once answered right twice


def daily_count() -> int:
    """Questions a person gets each day (``PLAZA_QUIZ_DAILY_COUNT``, default 5)."""
    return int(getattr(settings, "PLAZA_QUIZ_DAILY_COUNT", 5))


def bot_ms() -> int:
    """Answers faster than this (ms from sending) are recorded and flagged, not scored (``PLAZA_QUIZ_BOT_MS``)."""
    return int(getattr(settings, "PLAZA_QUIZ_BOT_MS", 300))


# ------------------------------------------------------------------------------------------------ helpers


def normalise_fill(text: str) -> str:
    return "".join(str(text).split()).replace("，", ",").replace("。", "").lower()


def is_right(question: Question, chosen: Any) -> bool:
    """Whether ``chosen`` (option indexes in the bank's numbering, or the typed text for fill-in) is right."""
    if question.kind == Kind.FILL:
        typed = chosen[0] if isinstance(chosen, list) and chosen else chosen
        if not isinstance(typed, str):
            return False
        return normalise_fill(typed) in {normalise_fill(a) for a in question.answer}
    if not isinstance(chosen, list):
        return False
    return sorted(set(chosen)) == sorted(set(question.answer))


def clean_choice(question: Question, raw: Any) -> list[Any]:
    """The answer as stored: sorted distinct option indexes in range, or ``[text]`` for fill-in. ValidationError
    for anything else (a malformed answer is refused, never counted)."""
    if question.kind == Kind.FILL:
        text = raw[0] if isinstance(raw, list) and len(raw) == 1 else raw
        if not isinstance(text, str) or not text.strip() or len(text) > 200:
            raise ValidationError(_("请填写答案（不超过200字）。"))
        return [text.strip()]
    values = raw if isinstance(raw, list) else [raw]
    picked: set[int] = set()
    for value in values:
        if isinstance(value, bool):
            raise ValidationError(_("答案格式不正确。"))
        try:
            index = int(value)
        except (TypeError, ValueError):
            raise ValidationError(_("答案格式不正确。")) from None
        if not 0 <= index < len(question.options):
            raise ValidationError(_("没有这个选项。"))
        picked.add(index)
    if not picked:
        raise ValidationError(_("请选择答案。"))
    if question.kind != Kind.MULTIPLE and len(picked) > 1:
        raise ValidationError(_("这道题只能选一个答案。"))
    return sorted(picked)


# ------------------------------------------------------------------------------------------ option order


def option_order(question: Question, rng: random.Random) -> list[int]:
    """The order a player is shown the options of ``question`` in: at each position shown, the option's index
    in the bank. Choices of a single- or multiple-choice question are shuffled, so a bank whose authors put the
    key first (as many do) gives nothing away and ticking the same place on every question scores by chance
    only. 正确/错误 keep that order: people expect it, and shuffling two options hides nothing that a statement
    written true or false does not. Fill-in questions have no options (an empty order)."""
    order = list(range(len(question.options)))
    if question.kind in (Kind.SINGLE, Kind.MULTIPLE):
        rng.shuffle(order)
    return order


def person_order(person_id: int, question: Question) -> list[int]:
    """The option order of ``question`` for one person in 每日答题 and 挑战答题 (pages and API alike):
    :func:`option_order` with a generator seeded by the person and the question through an HMAC of the secret
    key. Contests store the order they drew with the delivery; these daily and challenge questions derive it
    instead, so a reload shows the same order without a column or a write on 每日答题's hot path, and nobody
    can work it out from the ids. (Rotating the secret key reshuffles every order: an answer to a question shown
    before the rotation is read in the new one. Rare enough — a key change between showing a question and
    answering it — not to store the order for.)"""
    seed = salted_hmac("plaza.quiz.option_order", f"{person_id}:{question.pk}").hexdigest()
    return option_order(question, random.Random(seed))


def shown_options(question: Question, order: Sequence[int]) -> list[tuple[int, str]]:
    """(value the form posts, text) of each option in the order shown: the value is the position shown, so the
    page never carries the bank's numbering; :func:`from_shown` maps it back."""
    return [(shown, question.options[stored]) for shown, stored in enumerate(order)]


def from_shown(question: Question, order: Sequence[int], raw: Any) -> list[Any]:
    """The answer in the bank's option numbering (as scoring, the 错题本 and the statistics keep it) from one
    given by positions shown in ``order``; checked as :func:`clean_choice` checks it. Fill-in passes through."""
    shown = clean_choice(question, raw)
    if question.kind == Kind.FILL:
        return shown
    return sorted(order[i] for i in shown)


def to_shown(question: Question, order: Sequence[int]) -> list[Any]:
    """The right answer by positions shown in ``order`` (for a caller that was given the options in that
    order, as the API's); fill-in's accepted texts as they are."""
    if question.kind == Kind.FILL:
        return list(question.answer)
    return sorted(order.index(i) for i in question.answer if i in order)


# ------------------------------------------------------------------------------------------- question bank


@dataclass(frozen=True)
class QuestionData:
    kind: str
    text: str
    options: list[str]
    answer: list[Any]
    explanation: str
    source: str
    tags: list[str]
    difficulty: int
    organisation: Organisation
    expires_on: date | None = None


def question_problems(data: QuestionData) -> list[tuple[str, str]]:
    """(field, why) for each problem of a question; empty when it may be saved. Shared by the form and the
    Excel import so both refuse alike."""
    problems: list[tuple[str, str]] = []
    if data.kind not in Kind.values:
        problems.append(("kind", _("题型应为单选题、多选题、判断题或填空题。")))
        return problems
    if not data.text.strip():
        problems.append(("text", _("请填写题干。")))
    elif len(data.text) > 1000:
        problems.append(("text", _("题干不能超过1000字。")))
    if data.kind in (Kind.SINGLE, Kind.MULTIPLE):
        options = [o for o in data.options if o.strip()]
        if len(options) < 2:
            problems.append(("options", _("选择题至少要有两个选项。")))
        elif len(options) > 6:
            problems.append(("options", _("选项最多6个。")))
        elif not data.answer or any(not isinstance(a, int) or not 0 <= a < len(options) for a in data.answer):
            problems.append(("answer", _("答案应为选项字母，如 A 或 ABD，且在选项范围内。")))
        elif data.kind == Kind.SINGLE and len(set(data.answer)) != 1:
            problems.append(("answer", _("单选题只能有一个答案。")))
        elif data.kind == Kind.MULTIPLE and len(set(data.answer)) < 2:
            problems.append(("answer", _("多选题至少要有两个正确选项。")))
    elif data.kind == Kind.TRUE_FALSE:
        if data.answer not in ([0], [1]):
            problems.append(("answer", _("判断题答案应为“正确”或“错误”。")))
    elif not data.answer or not all(isinstance(a, str) and a.strip() for a in data.answer):
        problems.append(("answer", _("填空题请填写答案；多个可接受的答案用 | 分隔。")))
    if data.difficulty not in Difficulty.values:
        problems.append(("difficulty", _("难度应为容易、中等或较难。")))
    if len(data.tags) > 8 or any(len(t) > 32 for t in data.tags):
        problems.append(("tags", _("标签最多8个，每个不超过32字。")))
    return problems


def _tags(names: Iterable[str]) -> list[Tag]:
    found = []
    for name in dict.fromkeys(n.strip() for n in names if n and n.strip()):
        kind = TagKind.PRODUCT if name in ("锐歌", "E5", "凯迪拉克", "别克") else TagKind.OTHER
        if name in ("党的知识", "党史", "党章", "党纪"):
            kind = TagKind.PARTY
        elif name in ("政策", "政策制度", "安全生产", "制度"):
            kind = TagKind.POLICY
        tag, _new = Tag.objects.get_or_create(name=name, defaults={"kind": kind})
        found.append(tag)
    return found


def _fields(data: QuestionData) -> dict[str, Any]:
    options = list(TRUE_FALSE_OPTIONS) if data.kind == Kind.TRUE_FALSE else []
    if data.kind in (Kind.SINGLE, Kind.MULTIPLE):
        options = [o.strip() for o in data.options if o.strip()]
    answer = sorted(set(data.answer)) if data.kind != Kind.FILL else [a.strip() for a in data.answer]
    return {
        "kind": data.kind,
        "text": data.text.strip(),
        "options": options,
        "answer": answer,
        "explanation": data.explanation.strip(),
        "source": data.source.strip(),
        "difficulty": data.difficulty,
        "organisation": data.organisation,
        "expires_on": data.expires_on,
    }


def may_manage(actor: Any, question: Question | None = None) -> bool:
    scope = Scope.of(actor, Cap.QUIZ)
    if question is None:
        return not scope.is_empty
    return scope.covers(question.organisation)


def _require_valid(data: QuestionData) -> None:
    problems = question_problems(data)
    if problems:
        raise ValidationError([why for _field, why in problems])


@transaction.atomic
def save_question(actor: Any, question: Question | None, data: QuestionData) -> Question:
    """Create (``question`` None) or change a question of an organisation in the actor's 答题 scope."""
    scope = Scope.of(actor, Cap.QUIZ)
    scope.require(organisation=data.organisation)
    if question is not None:
        scope.require(organisation=question.organisation)
    _require_valid(data)
    fields = _fields(data)
    if question is None:
        question = Question.objects.create(created_by=actor, **fields)
        question.tags.set(_tags(data.tags))
        record(actor, actions.QUIZ_QUESTION_CREATE, question, after={"text": question.text})
        return question
    before = {k: getattr(question, k) for k in ("text", "options", "answer", "explanation", "source")}
    for key, value in fields.items():
        setattr(question, key, value)
    question.save()
    question.tags.set(_tags(data.tags))
    record(
        actor,
        actions.QUIZ_QUESTION_CHANGE,
        question,
        before={k: str(v) for k, v in before.items()},
        after={k: str(getattr(question, k)) for k in before},
    )
    return question


@transaction.atomic
def import_questions(actor: Any, rows: Sequence[QuestionData], *, filename: str = "") -> list[Question]:
    """Save checked rows all together (the caller checked every row first); audited once."""
    created = [save_question_quiet(actor, data) for data in rows]
    record(actor, actions.QUIZ_IMPORT, object_type="quiz.question", after={"count": len(created), "file": filename})
    return created


def save_question_quiet(actor: Any, data: QuestionData) -> Question:
    """One imported question (scope and validity checked; the import is audited as a whole)."""
    Scope.of(actor, Cap.QUIZ).require(organisation=data.organisation)
    _require_valid(data)
    question = Question.objects.create(created_by=actor, **_fields(data))
    question.tags.set(_tags(data.tags))
    return question


@transaction.atomic
def withdraw_question(actor: Any, question: Question, reason: str) -> Question:
    Scope.of(actor, Cap.QUIZ).require(organisation=question.organisation)
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError(_("请写明撤回原因。"))
    if question.withdrawn:
        raise ValidationError(_("这道题已经撤回。"))
    question.withdrawn = True
    question.save(update_fields=["withdrawn", "updated_at"])
    record(actor, actions.QUIZ_QUESTION_WITHDRAW, question, reason=reason[:200])
    return question


@transaction.atomic
def restore_question(actor: Any, question: Question) -> Question:
    Scope.of(actor, Cap.QUIZ).require(organisation=question.organisation)
    if not question.withdrawn:
        raise ValidationError(_("这道题没有撤回。"))
    question.withdrawn = False
    question.save(update_fields=["withdrawn", "updated_at"])
    record(actor, actions.QUIZ_QUESTION_RESTORE, question)
    return question


# --------------------------------------------------------------------------------------------- 每日答题


def draw_daily(person: Any, day: date, pool: Sequence[int], recent: dict[int, date], n: int) -> list[int]:
    """Today's questions: never one answered (or drawn) in the last 30 days while others remain; when too few
    remain, the ones seen longest ago fill up. Deterministic per person and day (a reload draws the same)."""
    rng = random.Random(f"{person.pk}:{day.isoformat()}")
    fresh = [q for q in pool if q not in recent]
    rng.shuffle(fresh)
    chosen = fresh[:n]
    if len(chosen) < n:
        seen = sorted((q for q in pool if q in recent), key=lambda q: (recent[q], q))
        chosen += seen[: n - len(chosen)]
    return chosen


def daily_set(person: Any, day: date | None = None, *, send_first: bool = False) -> list[DailyItem]:
    """The person's questions of ``day`` (today), drawn on first asking. ``send_first``: the caller shows the first
    question at once (the page, :func:`next_daily`), so a set drawn now is written with its send time already
    stamped — one write, not an insert and then an update.

    Reading a set already drawn is one query. Drawing it: the pool, the last 30 days' questions, one insert, and
    the drawn questions (the insert returns the rows: they are not read back)."""
    day = day or clock.today()
    items = list(DailyItem.objects.filter(person=person, day=day).select_related("question"))
    if items:
        return items
    pool = list(queries.questions_for(person, day).values_list("pk", flat=True))
    recent: dict[int, date] = {}
    for qid, seen in DailyItem.objects.filter(
        person=person, day__gte=day - timedelta(days=REPEAT_DAYS), day__lt=day
    ).values_list("question_id", "day"):
        recent[qid] = max(seen, recent.get(qid, seen))
    chosen = draw_daily(person, day, pool, recent, daily_count())
    if not chosen:
        return []
    now = clock.now() if send_first else None
    drawn = [
        DailyItem(person=person, day=day, position=i + 1, question_id=q, sent_at=now if i == 0 else None)
        for i, q in enumerate(chosen)
    ]
    try:
        with transaction.atomic():
            DailyItem.objects.bulk_create(drawn)
    except IntegrityError:  # another tab drew at the same moment: theirs stands
        return list(DailyItem.objects.filter(person=person, day=day).select_related("question"))
    if any(item.pk is None for item in drawn):  # a database that does not return the inserted rows' ids
        return list(DailyItem.objects.filter(person=person, day=day).select_related("question"))
    questions = Question.objects.in_bulk(chosen)
    for item in drawn:
        item.question = questions[item.question_id]
    return drawn


def next_daily(person: Any, day: date | None = None, items: Sequence[DailyItem] | None = None) -> DailyItem | None:
    """The first unanswered question of today's set (its send time stamped now, once), or None when done.
    ``items``: the set when the caller has just read it (the page shows it too, read with ``send_first``),
    saving a query."""
    for item in items if items is not None else daily_set(person, day, send_first=True):
        if item.answered_at is None:
            if item.sent_at is None:
                now = clock.now()
                if DailyItem.objects.filter(pk=item.pk, sent_at__isnull=True).update(sent_at=now):
                    item.sent_at = now
                else:  # another tab stamped it a moment ago: theirs stands
                    item.refresh_from_db(fields=["sent_at"])
            return item
    return None


@dataclass(frozen=True)
class Outcome:
    """An answer's result. ``answer``: the right choices in the numbering the answer came in (positions shown
    when it was answered with ``shown``, the bank's otherwise)."""

    correct: bool
    points: int
    message: str
    answer: list[Any]


def _note_mistake(person: Any, question: Question, correct: bool, chosen: list[Any]) -> None:
    if correct:
        mistake = Mistake.objects.filter(person=person, question=question).first()
        if mistake is not None:
            if mistake.right_count + 1 >= MISTAKE_CLEARED_AFTER:
                mistake.delete()
            else:
                Mistake.objects.filter(pk=mistake.pk).update(right_count=F("right_count") + 1)
        return
    Mistake.objects.bulk_create(  # one upsert (the unique person + question); right answers so far are kept
        [Mistake(person=person, question=question, chosen=chosen)],
        update_conflicts=True,
        unique_fields=["person", "question"],
        update_fields=["chosen", "updated_at"],
    )


@dataclass(frozen=True)
class DailyStep:
    """A daily question just answered, as the page after it shows it: the outcome, today's set as it now stands
    and the next question (its send time stamped), None when the day's questions are done."""

    outcome: Outcome
    answered: DailyItem
    items: list[DailyItem]
    next: DailyItem | None


@transaction.atomic
def answer_daily_step(person: Any, item_id: int, raw: Any, *, shown: bool = False) -> DailyStep | None:
    """Answer one of today's questions once (None: the person has no such question). ``raw``: the answer, or a
    function of the question giving it (a form reads the text box of a fill-in question, the ticks otherwise);
    with ``shown`` it counts the options as the person was shown them (:func:`person_order`, the page's and
    the API's order) and is mapped back to the bank's numbering here, which is what is stored and scored.

    The request does as little as it can (issue 15: 20,000 people within ten minutes, p95 ≤ 100 ms): one read of
    today's set, row-locked (``FOR UPDATE``, the person's rows only, in position order), serves the double-submit
    check, the day's cap and the next question; one UPDATE records the answer with the points it earned (1 per
    right answer until the cap, rules.daily_points, decided exactly here under the lock); one upsert keeps the
    错题本; one UPDATE stamps the next question's send time.

    The points reach the ledger after the commit, in batches (:func:`grant_daily_points`): each ledger entry
    takes the one lock of the tamper-evident chains (plaza.audit.chain) and about twenty queries, so granting
    inside every answer made all answers of the company queue behind each other (51 answers/s, p95 1.3 s); a batch
    takes that lock once for hundreds. Nothing is lost or doubled: the owed points are in the answer's own row
    until ``granted_at`` is set, the ledger's key per person, day and question adds each once, and the periodic
    pass credits whatever a stopped process left. So the person is told what they earned and that it is being
    credited (稍后计入积分账户), which is true, rather than that their balance already shows it."""
    day = clock.today()
    items = list(
        DailyItem.objects.select_for_update(of=("self",))
        .filter(person=person, day=day)
        .select_related("question")
        .order_by("position")
    )
    item = next((i for i in items if i.pk == item_id), None)
    if item is None:
        if queries.daily_item(person, item_id) is None:
            return None
        raise ValidationError(_("这是以前的题目，今天的题请到每日答题作答。"))
    if item.answered_at is not None:
        raise ValidationError(_("这道题已经作答，不能重复提交。"))
    given = raw(item.question) if callable(raw) else raw
    order = person_order(person.pk, item.question) if shown else None
    chosen = from_shown(item.question, order, given) if order is not None else clean_choice(item.question, given)
    now = clock.now()
    correct = is_right(item.question, chosen)
    elapsed = int((now - item.sent_at).total_seconds() * 1000) if item.sent_at else None
    due = 0
    if correct:
        earned = sum(i.points for i in items)
        due = rules.daily_points(1, earned, per_right=rules.DAILY_PER_RIGHT, cap=_cap(DAILY_ACTIVITY))
    fields = {"answered_at": now, "chosen": chosen, "correct": correct, "elapsed_ms": elapsed, "points": due}
    if not DailyItem.objects.filter(pk=item.pk, answered_at__isnull=True).update(**fields):
        raise ValidationError(_("这道题已经作答，不能重复提交。"))  # the lock makes this a second guard only
    for name, value in fields.items():
        setattr(item, name, value)
    _note_mistake(person, item.question, correct, chosen)
    upcoming = next((i for i in items if i.answered_at is None), None)
    if upcoming is not None and upcoming.sent_at is None:
        upcoming.sent_at = now
        DailyItem.objects.filter(pk=upcoming.pk).update(sent_at=now)
    if due:
        transaction.on_commit(lambda: grants.kick(grant_daily_points))
        message = _("回答正确，得 %(n)s 积分，稍后计入积分账户。") % {"n": due}
    elif correct:
        message = _("回答正确。今日答题积分已达上限。")
    else:
        message = _("回答错误，已加入错题本。")
    key = to_shown(item.question, order) if order is not None else item.question.answer
    return DailyStep(Outcome(correct, due, message, key), item, items, upcoming)


def answer_daily(person: Any, item: DailyItem, raw: Any, *, shown: bool = False) -> Outcome:
    """Answer one daily question once (:func:`answer_daily_step`; ``shown`` as there): scored on the server, 1
    point per right answer under the day's cap (rules.daily_points, ledger activity ``quiz``, credited just after
    the commit), a wrong answer into the 错题本."""
    if item.person_id != person.pk:
        raise PermissionDenied(_("这不是您的题目。"))
    step = answer_daily_step(person, item.pk, raw, shown=shown)
    if step is None:
        raise PermissionDenied(_("这不是您的题目。"))
    return step.outcome


def grant_daily_points(batch: int = 500, rounds: int = 40) -> int:
    """Credit the ledger with the points of answered daily questions not yet credited, ``batch`` answers per
    transaction (one take of the chains' lock, :func:`plaza.points.services.earn_for_activity_many`). Run after
    each answer's commit (queued by :mod:`plaza.quiz.grants`, coalesced) and by the periodic pass, which credits
    whatever a stopped process left. Idempotent: the ledger's key per person, day and question adds each once,
    so two runs at the same moment credit nothing twice. Returns how many answers were credited."""
    done = 0
    for _round in range(rounds):
        pending = list(
            DailyItem.objects.filter(points__gt=0, granted_at__isnull=True)
            .order_by("answered_at", "pk")
            .values_list("pk", "person_id", "day", "question_id", "points", "answered_at")[:batch]
        )
        if not pending:
            break
        with transaction.atomic():
            results = points.earn_for_activity_many(
                [
                    points.Earning(
                        person_id=person_id,
                        activity=DAILY_ACTIVITY,
                        amount=due,
                        key=daily_key(person_id, day, question_id),
                        at=answered_at or clock.now(),  # always set: points come with an answer
                        source_id=question_id,
                        reason=_("每日答题"),
                    )
                    for _pk, person_id, day, question_id, due, answered_at in pending
                ]
            )
            # the rows locked after the ledger's locks and in (person, day, position) order, as an answer locks
            # its person's set: an answer and a batch never wait for each other in a circle
            open_rows = set(
                DailyItem.objects.select_for_update()
                .filter(pk__in=[row[0] for row in pending], granted_at__isnull=True)
                .order_by("person_id", "day", "position")
                .values_list("pk", flat=True)
            )
            now = clock.now()
            whole = []
            for (pk, _person, _day, _question, due, _at), grant in zip(pending, results, strict=True):
                if pk not in open_rows:
                    continue  # another run credited it a moment ago
                credited = grant.entry.amount if grant.entry is not None else 0
                if credited == due:
                    whole.append(pk)
                else:  # the cap was lowered, or the ledger holds other points of the day: the row says what came
                    DailyItem.objects.filter(pk=pk).update(points=credited, granted_at=now)
                done += 1
            DailyItem.objects.filter(pk__in=whole).update(granted_at=now)
        if len(pending) < batch:
            break
    return done


def daily_pass(today: date) -> str:
    """The embedded scheduler's daily catch-up (Celery beat runs :func:`grant_daily_points` every minute)."""
    return f"{grant_daily_points()} daily answers' points credited"


def daily_key(person_id: int, day: date, question_id: int) -> str:
    """The ledger's idempotency key of one daily answer's points."""
    return f"quiz:daily:{person_id}:{day.isoformat()}:{question_id}"


def _cap(activity: str) -> int:
    return points.daily_caps().get(activity, 0)


@transaction.atomic
def review_mistake(person: Any, mistake: Mistake, raw: Any) -> Outcome:
    """Answer a question of the 错题本 again: right twice and it leaves the book (no points)."""
    if mistake.person_id != person.pk:
        raise PermissionDenied(_("这不是您的错题。"))
    chosen = clean_choice(mistake.question, raw)
    correct = is_right(mistake.question, chosen)
    _note_mistake(person, mistake.question, correct, chosen)
    if correct:
        left = Mistake.objects.filter(pk=mistake.pk).exists()
        message = _("回答正确，再答对一次即移出错题本。") if left else _("回答正确，已移出错题本。")
    else:
        message = _("回答错误，继续加油。")
    return Outcome(correct, 0, message, mistake.question.answer)


# --------------------------------------------------------------------------------------------- 挑战答题


def open_run(person: Any) -> ChallengeRun | None:
    return ChallengeRun.objects.filter(person=person, ended_at__isnull=True).first()


@transaction.atomic
def start_challenge(person: Any) -> ChallengeRun:
    """Start a run (or continue the open one)."""
    run = open_run(person)
    if run is not None:
        return run
    if not queries.questions_for(person).exists():
        raise ValidationError(_("暂无可挑战的题目，请等组织发布题库后再来。"))
    try:
        with transaction.atomic():
            return ChallengeRun.objects.create(person=person, day=clock.today(), started_at=clock.now())
    except IntegrityError:
        found = open_run(person)
        if found is None:
            raise
        return found


def challenge_item(person: Any, run: ChallengeRun) -> ChallengeItem | None:
    """The run's current question, drawn when needed (never one already in this run); None when the bank is
    used up (the run then ends as a full score)."""
    if run.ended_at is not None:
        return None
    current = run.items.filter(answered_at__isnull=True).select_related("question").first()
    if current is not None:
        return current
    asked = run.items.values("question_id")
    pool = list(queries.questions_for(person).exclude(pk__in=asked).values_list("pk", flat=True)[:500])
    if not pool:
        _end_run(person, run)
        return None
    position = run.items.count() + 1
    item, _new = ChallengeItem.objects.get_or_create(
        run=run, position=position, defaults={"question_id": random.choice(pool), "sent_at": clock.now()}
    )
    return item


def _end_run(person: Any, run: ChallengeRun) -> int:
    earned_today = (
        ChallengeRun.objects.filter(person=person, day=clock.today()).exclude(pk=run.pk).aggregate(s=Sum("points"))["s"]
        or 0
    )
    due = rules.challenge_points(run.right, earned_today, cap=_cap(CHALLENGE_ACTIVITY))
    granted = 0
    if due:
        grant = points.earn_for_activity(
            person, CHALLENGE_ACTIVITY, due, source_id=run.pk, key=f"quiz:challenge:{run.pk}", reason=_("挑战答题")
        )
        granted = grant.granted
    ChallengeRun.objects.filter(pk=run.pk).update(ended_at=clock.now(), points=granted)
    run.refresh_from_db()
    return granted


@transaction.atomic
def answer_challenge(person: Any, run: ChallengeRun, item: ChallengeItem, raw: Any, *, shown: bool = False) -> Outcome:
    """Answer the run's current question: right → on to the next; wrong → the run ends and earns by the
    rulebook's thresholds (5 right → 3, 10 → 6) under the day's cap (section 9). With ``shown`` the answer counts
    the options as the person was shown them (:func:`person_order`) and is mapped back to the bank's numbering."""
    if run.person_id != person.pk or item.run_id != run.pk:
        raise PermissionDenied(_("这不是您的挑战。"))
    run = ChallengeRun.objects.select_for_update().get(pk=run.pk)
    if run.ended_at is not None:
        raise ValidationError(_("本轮挑战已经结束。"))
    order = person_order(person.pk, item.question) if shown else None
    chosen = from_shown(item.question, order, raw) if order is not None else clean_choice(item.question, raw)
    key = to_shown(item.question, order) if order is not None else item.question.answer
    correct = is_right(item.question, chosen)
    now = clock.now()
    done = ChallengeItem.objects.filter(pk=item.pk, answered_at__isnull=True).update(
        answered_at=now, chosen=chosen, correct=correct, elapsed_ms=int((now - item.sent_at).total_seconds() * 1000)
    )
    if not done:
        raise ValidationError(_("这道题已经作答，不能重复提交。"))
    if correct:
        ChallengeRun.objects.filter(pk=run.pk).update(right=F("right") + 1)
        return Outcome(True, 0, _("回答正确，继续挑战！"), key)
    _note_mistake(person, item.question, False, chosen)
    run.refresh_from_db()
    granted = _end_run(person, run)
    message = _("回答错误，本轮挑战结束：连续答对 %(n)s 题。") % {"n": run.right}
    if granted:
        message += _("获得 %(p)s 积分。") % {"p": granted}
    return Outcome(False, granted, message, key)


# --------------------------------------------------------------------------------------------- contests


def may_host(actor: Any, contest: Contest) -> bool:
    return Scope.of(actor, Cap.QUIZ).covers(contest.organisation)


def entry_problem(person: Any, contest: Contest, now: datetime | None = None) -> str:
    """Why the person cannot start an attempt now, or ""."""
    now = now or clock.now()
    if contest.state == State.DRAFT and contest.mode != Mode.LIVE:
        return _("竞赛尚未发布。")
    if contest.state == State.CLOSED or now > contest.closes_at:
        return _("竞赛已经结束。")
    if now < contest.opens_at and contest.mode != Mode.LIVE:
        return _("竞赛将于 %(t)s 开始。") % {"t": timezone.localtime(contest.opens_at).strftime("%Y-%m-%d %H:%M")}
    if not queries.in_contest(person, contest):
        return _("您不在本次竞赛的参赛组织中。")
    if contest.mode == Mode.TEAM and not TeamMember.objects.filter(contest=contest, person=person).exists():
        return _("您不在本次团队赛的任何队伍中，请联系组织者。")
    return ""


def _bank_for(contest: Contest) -> QuerySet[Question]:
    org = contest.organisation
    above = Q(organisation__path__in=[org.path[:i] for i in range(len(org.path), 0, -4)])
    qs = queries.live_questions().filter(above | Q(organisation__path__startswith=org.path))
    tag_ids = list(contest.tags.values_list("pk", flat=True))
    if tag_ids:
        qs = qs.filter(tags__in=tag_ids).distinct()
    return qs


def draw_contest(contest: Contest, rng: random.Random) -> list[int]:
    """The questions of one attempt: the fixed list, or a random draw from the contest's tags with its
    difficulty mix (as many as the bank holds of each difficulty)."""
    if contest.draw == Draw.FIXED or contest.mode == Mode.LIVE:
        return list(contest.fixed.order_by("position").values_list("question_id", flat=True))
    chosen: list[int] = []
    bank = _bank_for(contest)
    for difficulty, wanted in ((1, contest.easy), (2, contest.medium), (3, contest.hard)):
        pool = sorted(bank.filter(difficulty=difficulty).values_list("pk", flat=True))
        chosen += rng.sample(pool, min(wanted, len(pool)))
    return chosen


@transaction.atomic
def start_attempt(person: Any, contest: Contest) -> Attempt:
    """Start an attempt (or continue the unfinished one): the questions in this player's own order."""
    problem = entry_problem(person, contest)
    if problem:
        raise ValidationError(problem)
    unfinished = Attempt.objects.filter(contest=contest, person=person, finished_at__isnull=True).first()
    if unfinished is not None:
        return unfinished
    used = Attempt.objects.filter(contest=contest, person=person).count()
    if used >= contest.attempts:
        raise ValidationError(_("您已用完本次竞赛的 %(n)s 次答题机会。") % {"n": contest.attempts})
    rng = random.Random(secrets.randbits(64))
    order = draw_contest(contest, rng)
    if not order:
        raise ValidationError(_("本次竞赛题库中暂无题目，请联系组织者。"))
    if contest.mode != Mode.LIVE:
        rng.shuffle(order)
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                contest=contest, person=person, number=used + 1, order=order, started_at=clock.now()
            )
    except IntegrityError:
        raise ValidationError(_("答题已经开始，请刷新页面。")) from None
    if contest.mode == Mode.LIVE:
        transaction.on_commit(lambda: board().add(contest.pk, person.pk, 0))
    return attempt


def deliver(attempt: Attempt) -> tuple[Delivery, Question] | None:
    """Send the attempt's current question: the server stamps the time once (a reload keeps it) and shuffles
    this player's option order once (:func:`option_order`), kept with the delivery."""
    qid = queries.current_question(attempt)
    if qid is None:
        return None
    question = Question.objects.get(pk=qid)
    order = option_order(question, random.Random(secrets.randbits(64)))
    delivery, _new = Delivery.objects.get_or_create(
        attempt=attempt, question=question, defaults={"sent_at": clock.now(), "option_order": order}
    )
    return delivery, question


def seconds_left(delivery: Delivery, contest: Contest) -> float:
    """Seconds left to answer a sent question, by the server's clock (never negative)."""
    return max(round(contest.seconds - (clock.now() - delivery.sent_at).total_seconds(), 1), 0.0)


@dataclass(frozen=True)
class Scored:
    answer: ContestAnswer
    message: str
    position: int = 0


def _scored(
    attempt: Attempt,
    contest: Contest,
    question: Question,
    chosen: list[Any],
    sent_at: datetime,
    now: datetime,
    voided: bool,
) -> ContestAnswer:
    """One answer scored with the server's clock (rules.score), not yet saved; moves the (locked) attempt's
    streak, score, right and flagged counts in memory."""
    elapsed = max(int((now - sent_at).total_seconds() * 1000), 0)
    correct = is_right(question, chosen)
    flagged = elapsed < bot_ms()
    late = elapsed > contest.limit_ms
    counted = not flagged and not voided
    base = rules.score(correct=correct, elapsed_ms=elapsed, limit_ms=contest.limit_ms) if counted else 0
    attempt.streak = attempt.streak + 1 if correct and not late and counted else 0
    bonus = rules.streak_bonus(attempt.streak) if (contest.streak and base) else 0
    attempt.score += base + bonus
    attempt.right += 1 if correct and counted and not late else 0
    attempt.flagged += 1 if flagged else 0
    return ContestAnswer(
        attempt=attempt,
        contest=contest,
        question=question,
        chosen=chosen,
        correct=correct,
        received_at=now,
        elapsed_ms=elapsed,
        points=base,
        bonus=bonus,
        flagged=flagged,
        late=late,
        voided=voided,
    )


def _score_answer(
    attempt: Attempt,
    question: Question,
    chosen: list[Any],
    sent_at: datetime,
    now: datetime,
    *,
    contest: Contest | None = None,
    voided: bool | None = None,
) -> ContestAnswer:
    """Store and score one answer with the server's clock (rules.score); the attempt row is locked so the
    streak and totals move once per answer; a second answer to the question is refused by the constraint.
    Callers are atomic (the refusal rolls their transaction back); the live path passes the attempt already
    locked, its contest and whether the question was voided, read with the question in one query."""
    contest = contest if contest is not None else attempt.contest
    if voided is None:
        attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
        voided = Void.objects.filter(contest=contest, question=question).exists()
    streak = attempt.streak
    answer = _scored(attempt, contest, question, chosen, sent_at, now, voided)
    try:
        # No savepoint of its own (two round trips per answer): a duplicate ends the caller's atomic block.
        answer.save(force_insert=True)
    except IntegrityError:
        attempt.streak = streak
        raise ValidationError(_("这道题您已经作答，不能重复提交。")) from None
    finished = None
    if contest.mode != Mode.LIVE and queries.current_question(attempt) is None:
        finished = now
    gained = answer.points + answer.bonus
    Attempt.objects.filter(pk=attempt.pk).update(
        score=F("score") + gained,
        right=F("right")
        + (1 if answer.correct and not answer.voided and not answer.flagged and not answer.late else 0),
        streak=attempt.streak,
        flagged=F("flagged") + (1 if answer.flagged else 0),
        finished_at=finished,
    )
    if contest.mode == Mode.LIVE and gained:
        transaction.on_commit(lambda: board().add(contest.pk, attempt.person_id, gained))
    return answer


def _result_message(answer: ContestAnswer) -> str:
    if answer.flagged:
        return _("作答过快，已记录待主持人核查，本题不计分。")
    if answer.late:
        return _("超过答题时限，本题不得分。")
    if answer.correct:
        return _("回答正确，得 %(n)s 分。") % {"n": answer.points + answer.bonus}
    return _("回答错误。")


@transaction.atomic
def answer_attempt(person: Any, attempt: Attempt, question_id: int, raw: Any) -> Scored:
    """Answer the attempt's current question (individual and team contests). Refused: not the current
    question, a question not sent, a second answer, a closed contest. The displayed option numbers are
    mapped back through this player's option order."""
    if attempt.person_id != person.pk:
        raise PermissionDenied(_("这不是您的答题。"))
    now = clock.now()
    contest = attempt.contest
    if contest.state != State.OPEN:
        raise ValidationError(_("竞赛已经结束，答案不再计入。"))
    current = queries.current_question(attempt)
    if current is None:
        raise ValidationError(_("本次答题已经全部完成。"))
    if question_id != current:
        raise ValidationError(_("这不是当前的题目，请刷新页面。"))
    delivery = Delivery.objects.filter(attempt=attempt, question_id=question_id).select_related("question").first()
    if delivery is None:
        raise ValidationError(_("这道题还没有发出，请刷新页面。"))
    question = delivery.question
    chosen = from_shown(question, delivery.option_order, raw)
    answer = _score_answer(attempt, question, chosen, delivery.sent_at, now)
    return Scored(answer, _result_message(answer))


@transaction.atomic
def time_out(person: Any, attempt: Attempt, question_id: int) -> Scored:
    """The time of the current question ran out with no answer (the page says so): recorded as a late blank."""
    if attempt.person_id != person.pk:
        raise PermissionDenied(_("这不是您的答题。"))
    if queries.current_question(attempt) != question_id:
        raise ValidationError(_("这不是当前的题目，请刷新页面。"))
    delivery = Delivery.objects.filter(attempt=attempt, question_id=question_id).select_related("question").first()
    if delivery is None:
        raise ValidationError(_("这道题还没有发出，请刷新页面。"))
    now = clock.now()
    if (now - delivery.sent_at).total_seconds() * 1000 <= attempt.contest.limit_ms:
        raise ValidationError(_("答题时间还没有结束。"))
    answer = _score_answer(attempt, delivery.question, [], delivery.sent_at, now)
    return Scored(answer, _("超过答题时限，本题不得分。"))


# ------------------------------------------------------------------------------------------ contest admin


@dataclass(frozen=True)
class ContestData:
    title: str
    mode: str
    organisation: Organisation
    organisations: list[Organisation]
    opens_at: datetime
    closes_at: datetime
    draw: str = Draw.RANDOM
    tags: Sequence[Tag] = ()
    easy: int = 0
    medium: int = 5
    hard: int = 0
    seconds: int = 20
    attempts: int = 1
    streak: bool = True
    pass_percent: int = 60
    winners: int = 3
    team_basis: str = ""
    team_rule: str = "participation"
    team_best: int = 3
    require_all: bool = False
    description: str = ""
    question_ids: Sequence[int] = ()


def _new_pin() -> str:
    for _n in range(20):
        pin = f"{secrets.randbelow(900_000) + 100_000}"
        if not Contest.objects.filter(pin=pin).exclude(state=State.CLOSED).exists():
            return pin
    raise ValidationError(_("暂时无法生成加入码，请稍后再试。"))


@transaction.atomic
def create_contest(actor: Any, data: ContestData) -> Contest:
    """A contest in draft, for organisations inside the actor's 答题 scope."""
    scope = Scope.of(actor, Cap.QUIZ)
    scope.require(organisation=data.organisation)
    for org in data.organisations:
        scope.require(organisation=org)
    if not data.title.strip():
        raise ValidationError(_("请填写竞赛名称。"))
    if not data.organisations:
        raise ValidationError(_("请选择参赛组织。"))
    if data.closes_at <= data.opens_at:
        raise ValidationError(_("结束时间应晚于开始时间。"))
    if not 5 <= data.seconds <= 300:
        raise ValidationError(_("每题限时应在5到300秒之间。"))
    if not 1 <= data.attempts <= 10:
        raise ValidationError(_("可答次数应在1到10次之间。"))
    if data.mode == Mode.TEAM and data.team_basis not in TeamBasis.values:
        raise ValidationError(_("团队赛请选择组队方式。"))
    found = {q.pk: q for q in Question.objects.filter(pk__in=list(data.question_ids), withdrawn=False)}
    missing = [
        str(pk)
        for pk in data.question_ids
        if pk not in found
        or not (scope.covers(found[pk].organisation) or data.organisation.path.startswith(found[pk].organisation.path))
    ]
    if missing:
        raise ValidationError(_("找不到这些题目（或不在您的管理范围、已撤回）：%(ids)s") % {"ids": "、".join(missing)})
    fixed = [found[pk] for pk in dict.fromkeys(data.question_ids)]
    if (data.draw == Draw.FIXED or data.mode == Mode.LIVE) and not fixed:
        raise ValidationError(_("固定题目和现场赛请选择题目。"))
    if data.draw == Draw.RANDOM and data.mode != Mode.LIVE and data.easy + data.medium + data.hard < 1:
        raise ValidationError(_("请设置抽题数量。"))
    contest = Contest.objects.create(
        title=data.title.strip(),
        mode=data.mode,
        organisation=data.organisation,
        description=data.description.strip(),
        opens_at=data.opens_at,
        closes_at=data.closes_at,
        draw=Draw.FIXED if data.mode == Mode.LIVE else data.draw,
        easy=data.easy,
        medium=data.medium if not fixed else len(fixed),
        hard=data.hard,
        seconds=data.seconds,
        attempts=1 if data.mode == Mode.LIVE else data.attempts,
        streak=data.streak,
        pass_percent=data.pass_percent,
        winners=data.winners,
        team_basis=data.team_basis if data.mode == Mode.TEAM else "",
        team_rule=data.team_rule,
        team_best=data.team_best,
        require_all=data.require_all,
        pin=_new_pin() if data.mode == Mode.LIVE else "",
        created_by=actor,
    )
    if fixed:
        contest.easy = contest.hard = 0
        contest.medium = len(fixed)
        contest.save(update_fields=["easy", "medium", "hard"])
    contest.organisations.set(data.organisations)
    contest.tags.set(data.tags)
    ContestQuestion.objects.bulk_create(
        [ContestQuestion(contest=contest, question=q, position=i + 1) for i, q in enumerate(fixed)]
    )
    record(actor, actions.QUIZ_CONTEST_CREATE, contest, after={"title": contest.title, "mode": contest.mode})
    return contest


def team_groups(contest: Contest) -> list[tuple[str, Organisation | None, list[int]]]:
    """(name, organisation, person ids) of the teams a branch- or department-based contest forms: the branches
    (or 班组/departments: the level below) inside its organisations, each with its current members."""
    levels = [Level.BRANCH] if contest.team_basis == TeamBasis.BRANCH else [Level.GROUP]
    teams = []
    for root in contest.organisations.all():
        for org in Organisation.objects.filter(path__startswith=root.path, level__in=levels).order_by("path"):
            people = list(
                Membership.objects.current()
                .filter(organisation__path__startswith=org.path)
                .values_list("person_id", flat=True)
                .distinct()
            )
            if people:
                teams.append((org.name, org, people))
    return teams


@transaction.atomic
def form_teams(actor: Any, contest: Contest, custom: Sequence[tuple[str, Sequence[str]]] = ()) -> int:
    """(Re)form the teams of a team contest before anyone plays: by branch / department, or the hand-made
    ``custom`` list of (team name, employee numbers) of people in the actor's scope. Returns how many teams."""
    scope = Scope.of(actor, Cap.QUIZ)
    scope.require(organisation=contest.organisation)
    if contest.mode != Mode.TEAM:
        raise ValidationError(_("只有团队赛需要组队。"))
    if Attempt.objects.filter(contest=contest).exists():
        raise ValidationError(_("已经有人参赛，不能再调整队伍。"))
    contest.teams.all().delete()
    groups: list[tuple[str, Organisation | None, list[int]]]
    if contest.team_basis == TeamBasis.CUSTOM:
        groups = []
        for name, numbers in custom:
            found = dict(scope.people().filter(employee_no__in=list(numbers)).values_list("employee_no", "pk"))
            unknown = [n for n in numbers if n not in found]
            if unknown:
                raise ValidationError(
                    _("队伍“%(team)s”中找不到这些工号：%(nos)s") % {"team": name, "nos": "、".join(unknown)}
                )
            groups.append((name, None, list(found.values())))
        if not groups:
            raise ValidationError(_("请填写队伍：每行一队，队名：工号、工号。"))
    else:
        groups = team_groups(contest)
    seen: set[int] = set()
    for name, org, people in groups:
        team = Team.objects.create(contest=contest, name=name[:100], organisation=org)
        members = [p for p in people if p not in seen]
        seen.update(members)
        TeamMember.objects.bulk_create([TeamMember(team=team, contest=contest, person_id=p) for p in members])
    record(actor, actions.QUIZ_TEAMS, contest, after={"teams": len(groups)})
    return len(groups)


@transaction.atomic
def open_contest(actor: Any, contest: Contest) -> Contest:
    Scope.of(actor, Cap.QUIZ).require(organisation=contest.organisation)
    if contest.state != State.DRAFT:
        raise ValidationError(_("只有未发布的竞赛可以发布。"))
    if contest.mode == Mode.TEAM and not contest.teams.exists():
        raise ValidationError(_("团队赛请先组队。"))
    contest.state = State.OPEN
    contest.save(update_fields=["state"])
    record(actor, actions.QUIZ_CONTEST_OPEN, contest)
    return contest


@transaction.atomic
def close_contest(actor: Any, contest: Contest) -> Contest:
    """Close the contest: from now its results are final (rankings, certificates)."""
    Scope.of(actor, Cap.QUIZ).require(organisation=contest.organisation)
    if contest.state == State.CLOSED:
        raise ValidationError(_("竞赛已经结束。"))
    contest.state = State.CLOSED
    contest.phase = Phase.FINISHED
    contest.closed_at = clock.now()
    contest.save(update_fields=["state", "phase", "closed_at"])
    Attempt.objects.filter(contest=contest, finished_at__isnull=True).update(finished_at=contest.closed_at)
    record(actor, actions.QUIZ_CONTEST_CLOSE, contest)
    _broadcast(contest, "quiz.state")
    return contest


@transaction.atomic
def void_question(actor: Any, contest: Contest, question: Question, reason: str) -> int:
    """Void a question of a contest (a wrong key, an ambiguous text): everyone's score for it is removed,
    the answers are kept marked void; audited with the reason. Returns how many answers were voided."""
    Scope.of(actor, Cap.QUIZ).require(organisation=contest.organisation)
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError(_("请写明作废原因。"))
    if contest.state == State.CLOSED:
        raise ValidationError(_("竞赛已经结束，结果为最终结果，不能再作废题目。"))
    try:
        with transaction.atomic():
            Void.objects.create(contest=contest, question=question, reason=reason[:200], created_by=actor)
    except IntegrityError:
        raise ValidationError(_("这道题已经作废。")) from None
    answers = ContestAnswer.objects.filter(contest=contest, question=question, voided=False)
    count = 0
    for answer in answers.select_related("attempt"):
        Attempt.objects.filter(pk=answer.attempt_id).update(
            score=F("score") - answer.points - answer.bonus,
            right=F("right") - (1 if answer.correct and not answer.late and not answer.flagged else 0),
        )
        count += 1
    answers.update(voided=True)
    record(actor, actions.QUIZ_VOID, contest, reason=reason[:200], after={"question": question.pk, "answers": count})
    transaction.on_commit(lambda: board().rebuild(contest.pk))
    return count


# ------------------------------------------------------------------------------------------- live contest


@transaction.atomic
def join_live(person: Any, contest: Contest) -> Attempt:
    """Join a live contest (or come back to it: the same attempt, whatever the device)."""
    found = Attempt.objects.filter(contest=contest, person=person).first()
    if found is not None:
        return found
    if contest.mode != Mode.LIVE:
        raise ValidationError(_("这不是现场赛。"))
    return start_attempt(person, contest)


def _require_host(actor: Any, contest: Contest) -> Contest:
    if not may_host(actor, contest):
        raise PermissionDenied(_("只有竞赛的组织者可以主持。"))
    if contest.mode != Mode.LIVE:
        raise ValidationError(_("这不是现场赛。"))
    locked = Contest.objects.select_for_update().get(pk=contest.pk)
    if locked.state == State.CLOSED:
        raise ValidationError(_("竞赛已经结束。"))
    return locked


@transaction.atomic
def next_question(actor: Any, contest: Contest) -> Contest:
    """Host: send the next question to every player (the server stamps the time)."""
    contest = _require_host(actor, contest)
    if contest.phase == Phase.QUESTION:
        raise ValidationError(_("请先公布本题答案。"))
    total = contest.fixed.count()
    if contest.current >= total:
        raise ValidationError(_("题目已经全部答完，请结束竞赛。"))
    if contest.state == State.DRAFT:
        contest.state = State.OPEN
        record(actor, actions.QUIZ_CONTEST_OPEN, contest)
    contest.current += 1
    contest.phase = Phase.QUESTION
    contest.question_sent_at = clock.now()
    contest.save(update_fields=["current", "phase", "question_sent_at", "state"])
    _broadcast(contest, "quiz.state")
    return contest


@transaction.atomic
def reveal(actor: Any, contest: Contest) -> Contest:
    """Host: show the right answer, the count of each option and the top of the leaderboard."""
    contest = _require_host(actor, contest)
    if contest.phase != Phase.QUESTION:
        raise ValidationError(_("当前没有正在作答的题目。"))
    contest.phase = Phase.REVEAL
    contest.save(update_fields=["phase"])
    _broadcast(contest, "quiz.state")
    return contest


@transaction.atomic
def finish_live(actor: Any, contest: Contest) -> Contest:
    """Host: end the live contest; the results become final."""
    _require_host(actor, contest)
    return close_contest(actor, contest)


@transaction.atomic
def answer_live(person: Any, contest: Contest, question_id: Any, raw: Any) -> Scored:
    """A player's answer to the live question, scored from the moment the server sent it. The hot path of a
    live contest (thousands of phones within seconds): the running question, its contest and its void in
    one query, the player's attempt locked in a second, then one insert and one update."""
    now = clock.now()
    current = queries.live_running(contest.pk)
    attempt = Attempt.objects.select_for_update().filter(contest_id=contest.pk, person=person).first()
    if attempt is None:
        raise ValidationError(_("请先加入竞赛。"))
    if current is None:
        fresh = Contest.objects.filter(pk=contest.pk).values_list("state", flat=True).first()
        if fresh == State.CLOSED:
            raise ValidationError(_("竞赛已经结束。"))
        raise ValidationError(_("现在没有正在作答的题目。"))
    live = current.contest
    if live.state == State.CLOSED:
        raise ValidationError(_("竞赛已经结束。"))
    if live.question_sent_at is None:
        raise ValidationError(_("现在没有正在作答的题目。"))
    if not isinstance(question_id, int) or isinstance(question_id, bool) or question_id != current.question_id:
        raise ValidationError(_("这不是当前的题目。"))
    chosen = clean_choice(current.question, raw)
    answer = _score_answer(
        attempt,
        current.question,
        chosen,
        live.question_sent_at,
        now,
        contest=live,
        voided=bool(getattr(current, "is_void", False)),
    )
    return Scored(answer, _result_message(answer), live.current)


@dataclass(frozen=True)
class LiveEntry:
    """One answer a phone sent, waiting in a batch (:func:`answer_live_many`)."""

    person: Any
    question_id: Any
    raw: Any


@transaction.atomic
def answer_live_many(contest: Contest, entries: Sequence[LiveEntry]) -> list[Scored | ValidationError]:
    """The answers that arrived together while the previous batch was being written, stored in one
    transaction: the running question read once, the players' attempts locked in one query (in id order, so
    two batches never deadlock), their earlier answers to this question checked in one query, one insert for
    all, one update for all. Each entry is judged as :func:`answer_live` judges one (the same refusals, a
    second answer refused even when both arrive in the same batch); a refused entry comes back as its
    ValidationError and does not stop the others. Returns one result per entry, in order."""
    now = clock.now()
    current = queries.live_running(contest.pk)
    people = {entry.person.pk for entry in entries}
    attempts = {
        a.person_id: a
        for a in Attempt.objects.select_for_update().filter(contest_id=contest.pk, person_id__in=people).order_by("pk")
    }
    closed = False
    if current is None:
        closed = Contest.objects.filter(pk=contest.pk, state=State.CLOSED).exists()
    answered: set[int] = set()
    if current is not None and attempts:
        answered = set(
            ContestAnswer.objects.filter(
                question_id=current.question_id, attempt_id__in=[a.pk for a in attempts.values()]
            ).values_list("attempt_id", flat=True)
        )
    results: list[Scored | ValidationError] = []
    rows: list[ContestAnswer] = []
    moved: dict[int, Attempt] = {}
    for entry in entries:
        attempt = attempts.get(entry.person.pk)
        try:
            if attempt is None:
                raise ValidationError(_("请先加入竞赛。"))
            sent_at = current.contest.question_sent_at if current is not None else None
            if current is None or sent_at is None:
                raise ValidationError(_("竞赛已经结束。") if closed else _("现在没有正在作答的题目。"))
            live = current.contest
            if live.state == State.CLOSED:
                raise ValidationError(_("竞赛已经结束。"))
            question_id = entry.question_id
            if not isinstance(question_id, int) or isinstance(question_id, bool) or question_id != current.question_id:
                raise ValidationError(_("这不是当前的题目。"))
            if attempt.pk in answered:
                raise ValidationError(_("这道题您已经作答，不能重复提交。"))
            chosen = clean_choice(current.question, entry.raw)
        except ValidationError as exc:
            results.append(exc)
            continue
        answered.add(attempt.pk)
        answer = _scored(attempt, live, current.question, chosen, sent_at, now, bool(getattr(current, "is_void", 0)))
        rows.append(answer)
        moved[attempt.pk] = attempt
        results.append(Scored(answer, _result_message(answer), live.current))
    if rows:
        ContestAnswer.objects.bulk_create(rows)
        Attempt.objects.bulk_update(list(moved.values()), ["score", "right", "streak", "flagged"])
        gained = {a.person_id: a.score for a in moved.values()}
        transaction.on_commit(lambda: board().set_many(contest.pk, gained))
    return results


def _broadcast(contest: Contest, kind: str) -> None:
    """Tell every socket of the contest, after the commit, that its state changed (each fetches its view)."""
    pk = contest.pk
    transaction.on_commit(lambda: notify(pk, kind))


def rebroadcast(contest: Contest) -> None:
    """Send every screen of a live contest its state again (after a void)."""
    _broadcast(contest, "quiz.state")
