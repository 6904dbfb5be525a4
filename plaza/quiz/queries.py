"""Reads of 答题 shared by pages, the API, exports, the live sockets and other apps.

Public for other apps (通星汇): :func:`passed_contest` and :func:`contests_for_tag`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Exists, F, Max, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from plaza.accounts.models import Person
from plaza.lib import clock
from plaza.orgs.models import Membership, Organisation
from plaza.orgs.permissions import Cap, Scope
from plaza.rules import quiz as rules

from .board import board
from .models import (
    Attempt,
    ChallengeItem,
    ChallengeRun,
    Contest,
    ContestAnswer,
    ContestQuestion,
    DailyItem,
    Kind,
    Mistake,
    Mode,
    Phase,
    Question,
    State,
    Tag,
    TeamMember,
    Void,
)

#: Statistics flag a question whose right rate is under 20 % or over 98 % (issue 15), once answered this often.
LOW_RATE = Decimal("0.20")
HIGH_RATE = Decimal("0.98")
MIN_ANSWERS_FOR_FLAGS = 10
TOP = 20


# ------------------------------------------------------------------------------------------------ the bank


def member_q(person: Any, field: str = "organisation__path") -> Q:
    """Rows whose organisation (``field``, a path) is one of the person's current organisations or above it."""
    inside = Membership.objects.current().filter(person=person, organisation__path__startswith=OuterRef(field))
    return Q(Exists(inside))


def live_questions(on: date | None = None) -> QuerySet[Question]:
    """Questions that may be asked: not withdrawn, not past their expiry date."""
    on = on or clock.today()
    return Question.objects.filter(withdrawn=False).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on))


def questions_for(person: Any, on: date | None = None) -> QuerySet[Question]:
    """The questions the person's organisations (and the organisations above them) publish."""
    return live_questions(on).filter(member_q(person))


def managed_questions(
    viewer: Any, *, search: str = "", kind: str = "", tag: str = "", difficulty: int | None = None, state: str = ""
) -> QuerySet[Question]:
    """The bank as staff with 答题 rights over the owner organisation see it, filtered."""
    qs = Question.objects.filter(Scope.of(viewer, Cap.QUIZ).q("organisation__path"))
    if search:
        qs = qs.filter(Q(text__icontains=search) | Q(source__icontains=search) | Q(explanation__icontains=search))
    if kind:
        qs = qs.filter(kind=kind)
    if tag:
        qs = qs.filter(tags__name=tag)
    if difficulty:
        qs = qs.filter(difficulty=difficulty)
    if state == "withdrawn":
        qs = qs.filter(withdrawn=True)
    elif state == "expired":
        qs = qs.filter(expires_on__lt=clock.today())
    elif state == "live":
        qs = qs.filter(withdrawn=False).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=clock.today()))
    return qs.select_related("organisation").prefetch_related("tags").order_by("-id")


def managed_question(viewer: Any, pk: int) -> Question | None:
    return managed_questions(viewer).filter(pk=pk).first()


def quiz_organisations(viewer: Any) -> QuerySet[Organisation]:
    """Organisations the viewer keeps the bank and contests of (答题 rights), in tree order."""
    return Scope.of(viewer, Cap.QUIZ).organisations().order_by("path")


def tags() -> QuerySet[Tag]:
    return Tag.objects.all()


@dataclass
class QuestionStats:
    answered: int = 0
    right: int = 0
    total_ms: int = 0
    timed: int = 0
    options: Counter[int] = field(default_factory=Counter)

    @property
    def right_rate(self) -> Decimal | None:
        return (Decimal(self.right) / Decimal(self.answered)).quantize(Decimal("0.0001")) if self.answered else None

    @property
    def right_percent(self) -> str:
        rate = self.right_rate
        return "—" if rate is None else f"{rate * 100:.1f}%"

    @property
    def average_seconds(self) -> str:
        return f"{self.total_ms / self.timed / 1000:.1f}" if self.timed else "—"


def question_stats(questions: Sequence[Question]) -> dict[int, QuestionStats]:
    """Times answered, right rate, average time and how often each option was chosen, over the daily quiz,
    挑战答题 and contests (void and flagged contest answers left out). Three queries whatever the count."""
    ids = [q.pk for q in questions]
    stats: dict[int, QuestionStats] = {pk: QuestionStats() for pk in ids}
    sources: list[Iterable[tuple[int, Any, Any, Any]]] = [
        DailyItem.objects.filter(question_id__in=ids, answered_at__isnull=False).values_list(
            "question_id", "chosen", "correct", "elapsed_ms"
        ),
        ChallengeItem.objects.filter(question_id__in=ids, answered_at__isnull=False).values_list(
            "question_id", "chosen", "correct", "elapsed_ms"
        ),
        ContestAnswer.objects.filter(question_id__in=ids, voided=False, flagged=False).values_list(
            "question_id", "chosen", "correct", "elapsed_ms"
        ),
    ]
    for rows in sources:
        for qid, chosen, correct, elapsed in rows:
            s = stats[qid]
            s.answered += 1
            s.right += 1 if correct else 0
            if elapsed is not None:
                s.total_ms += elapsed
                s.timed += 1
            for value in chosen or []:
                if isinstance(value, int):
                    s.options[value] += 1
    return stats


#: The limits of the bands of right rate the bank's chart counts questions in: under the first and over the last
#: are the rates :func:`flags` calls too hard and too easy (under ``LOW_RATE``, over ``HIGH_RATE``).
RATE_BAND_LIMITS = (LOW_RATE, Decimal("0.60"), Decimal("0.80"), HIGH_RATE)


def _rate_band_names() -> list[str]:
    return [_("低于20％"), _("20％～60％"), _("60％～80％"), _("80％～98％"), _("高于98％"), _("未作答")]


def rate_bands(questions: QuerySet[Question], total: int) -> dict[str, list[Any]]:
    """How many of ``questions`` (the bank as the office filters it, every page; ``total`` of them, as the
    page already counted) fall in each band of right rate, over the same answers as :func:`question_stats`,
    and how many nobody answered yet: one grouped query per source whatever the bank's size. No categories
    for an empty bank, so the page leaves the chart out."""
    ids = questions.order_by().values("pk")
    answered: Counter[int] = Counter()
    right: Counter[int] = Counter()
    sources = [
        DailyItem.objects.filter(question_id__in=ids, answered_at__isnull=False),
        ChallengeItem.objects.filter(question_id__in=ids, answered_at__isnull=False),
        ContestAnswer.objects.filter(question_id__in=ids, voided=False, flagged=False),
    ]
    for rows in sources:
        grouped = (
            rows.order_by()
            .values("question_id")
            .annotate(n=Count("pk"), r=Count("pk", filter=Q(correct=True)))
            .values_list("question_id", "n", "r")
        )
        for qid, n, r in grouped:
            answered[qid] += n
            right[qid] += r
    counts = [0] * (len(RATE_BAND_LIMITS) + 2)
    for qid, n in answered.items():
        rate = QuestionStats(answered=n, right=right[qid]).right_rate or Decimal(0)
        over = rate > HIGH_RATE  # 98 % itself is not flagged: it stays in the band below
        counts[len(RATE_BAND_LIMITS) if over else bisect_right(RATE_BAND_LIMITS[:-1], rate)] += 1
    counts[-1] = max(total - sum(counts[:-1]), 0)
    return {"bands": _rate_band_names() if total else [], "questions": counts}


def flags(question: Question, stats: QuestionStats) -> list[str]:
    """Why a question looks bad: right rate under 20 % or over 98 %, an option nobody picks (issue 15)."""
    found: list[str] = []
    rate = stats.right_rate
    if rate is None or stats.answered < MIN_ANSWERS_FOR_FLAGS:
        return found
    if rate < LOW_RATE:
        found.append(_("正确率低于20％，请检查答案或题干"))
    if rate > HIGH_RATE:
        found.append(_("正确率高于98％，题目过于简单"))
    if question.kind in (Kind.SINGLE, Kind.MULTIPLE):
        letters = [chr(65 + i) for i in range(len(question.options)) if not stats.options[i]]
        if letters:
            found.append(_("选项 %(letters)s 无人选择") % {"letters": "、".join(letters)})
    return found


# --------------------------------------------------------------------------------------------- 每日答题


def daily_today(person: Any, day: date | None = None) -> list[DailyItem]:
    return list(DailyItem.objects.filter(person=person, day=day or clock.today()).select_related("question"))


def daily_item(person: Any, pk: int) -> DailyItem | None:
    return DailyItem.objects.filter(person=person, pk=pk).select_related("question").first()


def daily_points_today(person: Any) -> int:
    return DailyItem.objects.filter(person=person, day=clock.today()).aggregate(s=Sum("points"))["s"] or 0


def mistakes_of(person: Any) -> QuerySet[Mistake]:
    return Mistake.objects.filter(person=person).select_related("question")


def mistake_for(person: Any, pk: int) -> Mistake | None:
    return mistakes_of(person).filter(pk=pk).first()


def open_run(person: Any) -> ChallengeRun | None:
    return ChallengeRun.objects.filter(person=person, ended_at__isnull=True).first()


def challenge_best(person: Any) -> int:
    return ChallengeRun.objects.filter(person=person).aggregate(m=Max("right"))["m"] or 0


def challenge_points_today(person: Any) -> int:
    return ChallengeRun.objects.filter(person=person, day=clock.today()).aggregate(s=Sum("points"))["s"] or 0


def recent_runs(person: Any) -> QuerySet[ChallengeRun]:
    return ChallengeRun.objects.filter(person=person, ended_at__isnull=False).order_by("-started_at")[:5]


# --------------------------------------------------------------------------------------------- contests


def contest_q(person: Any) -> Q:
    """Contests whose organisations hold one of the person's current memberships (their subtrees)."""
    inside = Membership.objects.current().filter(
        person=person, organisation__path__startswith=OuterRef("organisations__path")
    )
    return Q(Exists(inside))


def in_contest(person: Any, contest: Contest) -> bool:
    """Whether the person belongs to one of the contest's organisations (their subtrees)."""
    q = Q()
    paths = [o.path for o in contest.organisations.all()]
    if not paths:
        return False
    for path in paths:
        q |= Q(organisation__path__startswith=path)
    return Membership.objects.current().filter(q, person=person).exists()


def contests_for(person: Any) -> QuerySet[Contest]:
    """Published contests of the person's organisations (and live contests waiting for their host), newest first."""
    published = ~Q(state=State.DRAFT) | Q(mode=Mode.LIVE)
    return Contest.objects.filter(contest_q(person), published).distinct().order_by("-opens_at")


def managed_contests(viewer: Any) -> QuerySet[Contest]:
    return Contest.objects.filter(Scope.of(viewer, Cap.QUIZ).q("organisation__path")).select_related("organisation")


def managed_contest(viewer: Any, pk: int) -> Contest | None:
    return managed_contests(viewer).filter(pk=pk).first()


def contest_for(person: Any, pk: int) -> Contest | None:
    """A contest the person may play or manages; None otherwise."""
    found = managed_contest(person, pk)
    if found is not None:
        return found
    return contests_for(person).filter(pk=pk).first()


def attempts_of(person: Any, contest: Contest) -> QuerySet[Attempt]:
    return Attempt.objects.filter(contest=contest, person=person).order_by("number")


def attempt_for(person: Any, contest: Contest) -> Attempt | None:
    """The person's unfinished attempt of the contest, if any."""
    return attempts_of(person, contest).filter(finished_at__isnull=True).first()


def current_question(attempt: Attempt) -> int | None:
    """The first question of the attempt not yet answered, or None when all are."""
    answered = set(attempt.answers.values_list("question_id", flat=True))
    for qid in attempt.order:
        if qid not in answered:
            return qid
    return None


def counted_questions(attempt: Attempt) -> int:
    voided = set(Void.objects.filter(contest_id=attempt.contest_id).values_list("question_id", flat=True))
    return len([q for q in attempt.order if q not in voided])


def passed(attempt: Attempt | None) -> bool:
    """Right answers reach the contest's pass rate of the questions that count (void ones left out)."""
    if attempt is None:
        return False
    total = counted_questions(attempt)
    return total > 0 and attempt.right * 100 >= attempt.contest.pass_percent * total


@dataclass(frozen=True)
class Ranked:
    rank: int
    person: Person
    attempt: Attempt
    passed: bool
    winner: bool


def ranking(contest: Contest) -> list[Ranked]:
    """Each player's best attempt, best first (ties: right answers, then who finished first)."""
    best: dict[int, Attempt] = {}
    rows = Attempt.objects.filter(contest=contest).select_related("person", "contest").order_by("-score", "-right")
    for attempt in rows:
        best.setdefault(attempt.person_id, attempt)
    ordered = sorted(best.values(), key=lambda a: (-a.score, -a.right, a.finished_at or a.started_at, a.pk))
    voided = set(Void.objects.filter(contest=contest).values_list("question_id", flat=True))
    result = []
    rank = 0
    previous: tuple[int, int] | None = None
    for index, attempt in enumerate(ordered, start=1):
        key = (attempt.score, attempt.right)
        if key != previous:
            rank = index
            previous = key
        total = len([q for q in attempt.order if q not in voided])
        ok = total > 0 and attempt.right * 100 >= contest.pass_percent * total
        result.append(Ranked(rank, attempt.person, attempt, ok, rank <= contest.winners and attempt.score > 0))
    return result


def certificate_for(person: Any, contest: Contest) -> Ranked | None:
    """The person's ranking row when a certificate is due: the contest is closed (results final) and they won
    a place or passed; None otherwise."""
    if contest.state != State.CLOSED:
        return None
    row = next((r for r in ranking(contest) if r.person.pk == person.pk), None)
    return row if row is not None and (row.passed or row.winner) else None


@dataclass(frozen=True)
class TeamRow:
    rank: int
    name: str
    score: Decimal
    members: int
    players: int
    rate: Decimal | None

    @property
    def rate_percent(self) -> str:
        return "—" if self.rate is None else f"{self.rate * 100:.1f}%"


def team_ranking(contest: Contest) -> list[TeamRow]:
    """Team scores by the contest's rule (plaza.rules.quiz.team_score) with the participation rate always
    shown (rulebook section 9); each member counts with their best attempt."""
    best = dict(
        Attempt.objects.filter(contest=contest)
        .values("person_id")
        .annotate(b=Max("score"))
        .values_list("person_id", "b")
    )
    rows = []
    for team in contest.teams.all().prefetch_related("members"):
        member_ids = [m.person_id for m in team.members.all()]
        scores = [max(best[p], 0) for p in member_ids if p in best]
        score = rules.team_score(scores, members=len(member_ids), rule=contest.team_rule, best=contest.team_best)
        rate = rules.participation_rate(len(scores), len(member_ids))
        rows.append((team.name, score, len(member_ids), len(scores), rate))
    rows.sort(key=lambda r: (-r[1], -(r[4] or 0), r[0]))
    return [TeamRow(i, *r) for i, r in enumerate(rows, start=1)]


def missing_players(contest: Contest) -> QuerySet[Person]:
    """Team members who have not played (for contests that require everyone)."""
    played = Attempt.objects.filter(contest=contest).values("person_id")
    members = TeamMember.objects.filter(contest=contest).exclude(person_id__in=played).values("person_id")
    return Person.objects.filter(pk__in=members).order_by("employee_no")


def flagged_answers(contest: Contest) -> QuerySet[ContestAnswer]:
    return (
        ContestAnswer.objects.filter(contest=contest, flagged=True)
        .select_related("attempt__person", "question")
        .order_by("-received_at")
    )


def contest_questions(contest: Contest) -> QuerySet[Question]:
    """Questions that appear in the contest (fixed, or drawn for someone)."""
    fixed = ContestQuestion.objects.filter(contest=contest).values("question_id")
    drawn = ContestAnswer.objects.filter(contest=contest).values("question_id")
    return Question.objects.filter(Q(pk__in=fixed) | Q(pk__in=drawn)).distinct()


def voids(contest: Contest) -> QuerySet[Void]:
    return Void.objects.filter(contest=contest).select_related("question", "created_by")


# ------------------------------------------------------------------------------------------ for other apps


def passed_contest(person: Any, contest: Contest, *, final_only: bool = False) -> bool:
    """Whether ``person`` passed ``contest``: their best attempt's right answers reach the contest's pass rate
    (``pass_percent`` of the questions that count; voided questions left out). With ``final_only`` only a
    closed contest counts (results are final when the contest closes). For 通星汇 and other apps."""
    if final_only and contest.state != State.CLOSED:
        return False
    attempts = Attempt.objects.filter(contest=contest, person=person).select_related("contest")
    return any(passed(a) for a in attempts)


def contests_for_tag(tag: str | Tag) -> QuerySet[Contest]:
    """Published contests drawing from ``tag`` (a name such as "锐歌" or "E5", or a Tag), newest first: the
    tag is one of the contest's draw tags, or a fixed question of the contest carries it."""
    name = tag.name if isinstance(tag, Tag) else str(tag)
    fixed = ContestQuestion.objects.filter(question__tags__name=name).values("contest_id")
    return (
        Contest.objects.filter(Q(tags__name=name) | Q(pk__in=fixed))
        .exclude(state=State.DRAFT)
        .distinct()
        .order_by("-opens_at")
    )


# ------------------------------------------------------------------------------------------- live contest


def live_by_pin(pin: str) -> Contest | None:
    pin = (pin or "").strip()
    if len(pin) != 6 or not pin.isdigit():
        return None
    return Contest.objects.filter(pin=pin, mode=Mode.LIVE).exclude(state=State.CLOSED).first()


def live_current(contest: Contest) -> ContestQuestion | None:
    if not contest.current:
        return None
    return contest.fixed.filter(position=contest.current).select_related("question").first()


def live_running(contest_id: int) -> ContestQuestion | None:
    """The running question of a live contest for an answer, in one query: the contest (``.contest``, fresh),
    the question (``.question``) and whether it was voided (``.is_void``). None between questions."""
    return (
        ContestQuestion.objects.filter(
            contest_id=contest_id, position=F("contest__current"), contest__phase=Phase.QUESTION
        )
        .select_related("contest", "question")
        .annotate(is_void=Exists(Void.objects.filter(contest_id=contest_id, question_id=OuterRef("question_id"))))
        .first()
    )


def live_counts(contest: Contest) -> dict[str, Any]:
    """How many answered the running question and how often each option was chosen (one query)."""
    current = live_current(contest)
    if current is None:
        return {"answered": 0, "counts": []}
    counts = [0] * len(current.question.options)
    answered = 0
    for chosen in ContestAnswer.objects.filter(contest=contest, question_id=current.question_id).values_list(
        "chosen", flat=True
    ):
        answered += 1
        for value in chosen:
            if isinstance(value, int) and 0 <= value < len(counts):
                counts[value] += 1
    return {"answered": answered, "counts": counts, "position": contest.current}


def live_players(contest: Contest) -> int:
    return Attempt.objects.filter(contest=contest).count()


def _names(ids: Sequence[int]) -> dict[int, str]:
    return dict(Person.objects.filter(pk__in=ids).values_list("pk", "name"))


def live_shared(contest: Contest) -> dict[str, Any]:
    """What every screen of the live contest shows now (never an answer before the reveal)."""
    contest = Contest.objects.get(pk=contest.pk)
    total = contest.fixed.count()
    data: dict[str, Any] = {
        "type": "state",
        "phase": contest.phase if contest.state != State.CLOSED else Phase.FINISHED,
        "position": contest.current,
        "total": total,
        "players": Attempt.objects.filter(contest=contest).count(),
        "seconds": contest.seconds,
    }
    current = live_current(contest)
    if current is not None and data["phase"] in (Phase.QUESTION, Phase.REVEAL):
        question = current.question
        elapsed = (clock.now() - contest.question_sent_at).total_seconds() if contest.question_sent_at else 0
        data["question"] = {
            "id": question.pk,
            "kind": question.kind,
            "kind_label": str(Kind(question.kind).label),
            "text": question.text,
            "options": question.options,
            "remaining": max(round(contest.seconds - elapsed, 1), 0),
            "voided": current.voided or Void.objects.filter(contest=contest, question=question).exists(),
        }
        if data["phase"] == Phase.REVEAL:
            data["question"]["answer"] = question.answer
            data["question"]["explanation"] = question.explanation
            data.update(live_counts(contest))
    if data["phase"] in (Phase.REVEAL, Phase.FINISHED):
        top = board().top(contest.pk, TOP)
        names = _names([p for p, _s in top])
        data["top"] = [{"rank": i, "name": names.get(p, ""), "score": s} for i, (p, s) in enumerate(top, start=1)]
    return data


def live_me(contest: Contest, person: Any) -> dict[str, Any]:
    """One player's own part: joined, their rank and score, their answer to the running question."""
    attempt = Attempt.objects.filter(contest_id=contest.pk, person=person).first()
    if attempt is None:
        return {"joined": False}
    contest = Contest.objects.get(pk=contest.pk)  # the socket's copy is from when it connected
    place = board().rank(contest.pk, person.pk)
    me: dict[str, Any] = {"joined": True, "rank": place[0] if place else None, "score": place[1] if place else 0}
    current = live_current(contest)
    if current is not None:
        me["answer"] = (
            ContestAnswer.objects.filter(attempt=attempt, question_id=current.question_id)
            .values("chosen", "correct", "points", "bonus", "flagged", "late")
            .first()
        )
    return me


def live_question_ids(contest: Contest) -> list[int]:
    return list(contest.fixed.order_by("position").values_list("question_id", flat=True))


def live_summary(contest: Contest) -> dict[str, Any]:
    """Counts for the host page's first paint."""
    return {
        "players": Attempt.objects.filter(contest=contest).count(),
        "answers": ContestAnswer.objects.filter(contest=contest).aggregate(n=Count("id"), t=Avg("elapsed_ms")),
        "now": clock.now(),
    }
