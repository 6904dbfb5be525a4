"""Demo data of 答题 (called by ``seed_demo`` after the enterprise, its branches and the knowledge base).

The story of the seed article: "开展凯迪拉克锐歌、别克E5的系列答题个人赛及团队赛". The committee's bank holds
product (锐歌 / E5 / 奥特能), policy and Party-knowledge questions with explanations and sources, enough for
a week of 每日答题; the 锐歌、E5 product team contest of 东岳动力总成党总支 (teams by branch) is half played; a
live contest 「奥特能知识现场赛」 waits for its host (zzb001) on the big screen; last month's 党章党规 contest is
closed with its rankings and certificates.
"""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path
from typing import Any

from plaza.accounts.models import Person
from plaza.lib import clock
from plaza.orgs.models import Level, Membership, Organisation, Tree
from plaza.rules import quiz as rules

from .models import (
    Attempt,
    Contest,
    ContestAnswer,
    ContestQuestion,
    DailyItem,
    Delivery,
    Draw,
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
    TeamRule,
)

#: The bank, one question a line (kind | difficulty | text | options | answer | explanation | source | tags).
QUESTION_FILE = Path(__file__).with_name("demo_questions.txt")


def _rows() -> list[tuple[str, str, list[str], list[Any], str, str, tuple[str, ...], int]]:
    """QUESTION_FILE read into (kind, text, options, answer, explanation, source, tags, difficulty)."""
    rows = []
    for line in QUESTION_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, difficulty, text, options, answer, explanation, source, tags = (f.strip() for f in line.split(" | "))
        keys = [a.strip() for a in answer.split(" ; ")]
        rows.append(
            (
                kind,
                text,
                [o.strip() for o in options.split(" ; ")] if options else [],
                keys if kind == "fill" else [int(a) for a in keys],
                explanation,
                source,
                tuple(tags.split("、")),
                int(difficulty),
            )
        )
    return rows


QUESTIONS = _rows()


#: Tags whose questions every employee learns (published by the company union).
PRODUCT_TAGS = {"锐歌", "E5", "产品知识", "通星汇"}

TAG_KINDS = {
    "锐歌": TagKind.PRODUCT,
    "E5": TagKind.PRODUCT,
    "产品知识": TagKind.PRODUCT,
    "通星汇": TagKind.PRODUCT,
    "政策制度": TagKind.POLICY,
    "党的知识": TagKind.PARTY,
    "党章": TagKind.PARTY,
}


def _chosen(question: Question, correct: bool, rng: random.Random) -> list[Any]:
    """A made-up answer: the key, or one of the wrong options at random (so the bank's statistics do not flag
    every question for options nobody picks)."""
    if question.kind == "fill":
        return [question.answer[0] if correct else "不知道"]
    if correct:
        return list(question.answer)
    wrong = [i for i in range(len(question.options)) if i not in question.answer]
    return [rng.choice(wrong)] if wrong else [(question.answer[0] + 1) % len(question.options)]


def _attempt_rows(
    contest: Contest, people: list[int], questions: list[Question], rng: random.Random, skill: dict[int, float]
) -> None:
    """Finished attempts with answers scored by plaza.rules.quiz (the server's times made up here)."""
    attempts = []
    for number, person_id in enumerate(people):
        order = [q.pk for q in questions]
        rng.shuffle(order)
        started = contest.opens_at + timedelta(hours=2 + number % 40, minutes=rng.randint(0, 59))
        attempts.append(
            Attempt(
                contest=contest,
                person_id=person_id,
                order=order,
                started_at=started,
                finished_at=started + timedelta(minutes=3),
            )
        )
    Attempt.objects.bulk_create(attempts, batch_size=1000)
    by_id = {q.pk: q for q in questions}
    deliveries, answers = [], []
    for attempt in attempts:
        streak = score = right = 0
        for index, qid in enumerate(attempt.order):
            question = by_id[qid]
            sent = attempt.started_at + timedelta(seconds=25 * index)
            elapsed = rng.randint(2_000, contest.seconds * 1000)
            correct = rng.random() < skill[attempt.person_id]
            base = rules.score(correct=correct, elapsed_ms=elapsed, limit_ms=contest.limit_ms)
            streak = streak + 1 if correct else 0
            bonus = rules.streak_bonus(streak) if contest.streak and base else 0
            chosen = _chosen(question, correct, rng)
            deliveries.append(
                Delivery(
                    attempt=attempt, question=question, sent_at=sent, option_order=list(range(len(question.options)))
                )
            )
            answers.append(
                ContestAnswer(
                    attempt=attempt,
                    contest=contest,
                    question=question,
                    chosen=chosen,
                    correct=correct,
                    received_at=sent + timedelta(milliseconds=elapsed),
                    elapsed_ms=elapsed,
                    points=base,
                    bonus=bonus,
                )
            )
            score += base + bonus
            right += 1 if correct else 0
        attempt.score, attempt.right, attempt.streak = score, right, streak
    Delivery.objects.bulk_create(deliveries, batch_size=2000)
    ContestAnswer.objects.bulk_create(answers, batch_size=2000)
    Attempt.objects.bulk_update(attempts, ["score", "right", "streak"], batch_size=1000)


def _contest(
    committee: Organisation,
    staff: Person | None,
    organisations: list[Organisation],
    questions: list[Question],
    **fields: Any,
) -> Contest:
    """A contest of the committee with a fixed draw of ``questions`` (20 seconds each) for ``organisations``."""
    contest = Contest.objects.create(
        organisation=committee,
        draw=Draw.FIXED,
        medium=len(questions),
        easy=0,
        hard=0,
        seconds=20,
        created_by=staff,
        **fields,
    )
    contest.organisations.set(organisations)
    ContestQuestion.objects.bulk_create(
        [ContestQuestion(contest=contest, question=q, position=i + 1) for i, q in enumerate(questions)]
    )
    return contest


def seed_demo_quiz(*, seed: int) -> None:
    """Writes this app's demo records (deterministic by ``seed``)."""
    rng = random.Random(seed * 15 + 1)
    committee = Organisation.objects.filter(tree=Tree.PARTY, depth=1).order_by("path").first()
    if committee is None or Question.objects.exists():
        return
    now = clock.now()
    today = clock.today()
    staff = Person.objects.filter(employee_no="zzb001").first()
    # Product knowledge (锐歌, E5, 通星汇) is for every employee, so the company union publishes it (everyone
    # is a member, 群众 too); Party knowledge and policy stay with the Party committee's members.
    union = Organisation.objects.filter(tree=Tree.UNION, depth=1).order_by("path").first()
    tags = {name: Tag.objects.get_or_create(name=name, defaults={"kind": kind})[0] for name, kind in TAG_KINDS.items()}
    questions = Question.objects.bulk_create(
        [
            Question(
                kind=kind,
                text=text,
                options=options if kind != "true_false" else ["正确", "错误"],
                answer=answer,
                explanation=explanation,
                source=source,
                difficulty=difficulty,
                organisation=union if union is not None and PRODUCT_TAGS & set(tags_of) else committee,
                created_by=staff,
            )
            for kind, text, options, answer, explanation, source, tags_of, difficulty in QUESTIONS
        ]
    )
    Through = Question.tags.through
    Through.objects.bulk_create(
        [
            Through(question_id=q.pk, tag_id=tags[name].pk)
            for q, row in zip(questions, QUESTIONS, strict=True)
            for name in row[6]
        ]
    )
    product = [q for q, row in zip(questions, QUESTIONS, strict=True) if {"锐歌", "E5", "产品知识"} & set(row[6])][:8]
    party = [q for q, row in zip(questions, QUESTIONS, strict=True) if "党的知识" in row[6] or "政策制度" in row[6]]

    # The product team contest of 东岳动力总成党总支 (sj001's branch is one of its teams): half played.
    general = (
        Organisation.objects.filter(path__startswith=committee.path, level=Level.GENERAL_BRANCH, name__contains="东岳")
        .order_by("path")
        .first()
    ) or committee
    team_contest = _contest(
        committee,
        staff,
        [general],
        product,
        title="凯迪拉克锐歌、别克E5产品知识团队赛",
        mode=Mode.TEAM,
        description="学习产品细节亮点，爱我所爱、助力品牌。各支部为一队，按全员平均分计团体成绩。",
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=4),
        attempts=2,
        team_basis=TeamBasis.BRANCH,
        team_rule=TeamRule.PARTICIPATION,
        require_all=True,
        state=State.OPEN,
    )
    team_contest.tags.set([tags["锐歌"], tags["E5"]])
    branches = list(Organisation.objects.filter(path__startswith=general.path, level=Level.BRANCH).order_by("path"))
    members_of: dict[int, list[int]] = {}
    for person_id, path in (
        Membership.objects.current()
        .filter(organisation__path__startswith=general.path, organisation__tree=Tree.PARTY)
        .values_list("person_id", "organisation__path")
    ):
        branch = next((b for b in branches if path.startswith(b.path)), None)
        if branch is not None:
            members_of.setdefault(branch.pk, []).append(person_id)
    teams = Team.objects.bulk_create(
        [Team(contest=team_contest, name=b.name, organisation=b) for b in branches if members_of.get(b.pk)]
    )
    TeamMember.objects.bulk_create(
        [TeamMember(team=t, contest=team_contest, person_id=p) for t in teams for p in members_of[t.organisation_id]],
        ignore_conflicts=True,
    )
    keep_open = {p for p in Person.objects.filter(employee_no__in=["dy001", "jj001"]).values_list("pk", flat=True)}
    players = [p for t in teams for p in members_of[t.organisation_id] if rng.random() < 0.5 and p not in keep_open]
    skill = {p: rng.uniform(0.45, 0.95) for t in teams for p in members_of[t.organisation_id]}
    _attempt_rows(team_contest, players, product, rng, skill)

    # Last month's 党章党规 contest: closed, rankings final, certificates ready.
    everyone = list(
        Membership.objects.current().filter(organisation__tree=Tree.PARTY).values_list("person_id", flat=True)
    )
    closed = _contest(
        committee,
        staff,
        [committee],
        party[:6],
        title="党章党规知识竞赛（个人赛）",
        mode=Mode.INDIVIDUAL,
        description="学党章、守党规，个人赛，答对60%为合格，前3名颁发荣誉证书。",
        opens_at=now - timedelta(days=40),
        closes_at=now - timedelta(days=30),
        state=State.CLOSED,
        phase=Phase.FINISHED,
        closed_at=now - timedelta(days=30),
    )
    sample = sorted(set(rng.sample(everyone, min(len(everyone), 120))) | keep_open)
    _attempt_rows(closed, sample, party[:6], rng, {p: rng.uniform(0.4, 1.0) for p in sample})

    # The live contest, ready for zzb001 to host on the big screen.
    _contest(
        committee,
        staff,
        [committee],
        questions[:5],
        title="奥特能知识现场赛",
        mode=Mode.LIVE,
        description="大屏扫码或输入加入码参赛，每题20秒，答得又快又对得分高。",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=2),
        pin=f"{rng.randint(100_000, 999_999)}",
    )

    # A week of 每日答题 behind some members, so the statistics and the 错题本 have something to show.
    daily_people = sorted(keep_open) + [p for p in sample if p not in keep_open][:58]
    rows = []
    for person_id in daily_people:
        for back in range(1, 7):
            day = today - timedelta(days=back)
            picked = rng.sample(questions, 5)
            for position, question in enumerate(picked, start=1):
                correct = rng.random() < 0.75
                chosen = _chosen(question, correct, rng)
                sent = now - timedelta(days=back, minutes=10 - position)
                rows.append(
                    DailyItem(
                        person_id=person_id,
                        day=day,
                        position=position,
                        question=question,
                        sent_at=sent,
                        answered_at=sent + timedelta(seconds=8),
                        chosen=chosen,
                        correct=correct,
                        elapsed_ms=rng.randint(3_000, 20_000),
                    )
                )
    DailyItem.objects.bulk_create(rows, batch_size=2000)
    Mistake.objects.bulk_create(
        [Mistake(person_id=r.person_id, question=r.question, chosen=r.chosen) for r in rows if not r.correct],
        ignore_conflicts=True,
    )
