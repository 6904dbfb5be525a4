"""Excel exports of 答题: the bank (in the import template's columns, so it can be edited and imported
again), the per-question statistics and a contest's rankings."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from plaza.lib.excel import ExcelWriter

from . import queries
from .imports import COLUMNS
from .models import Contest, Kind, Question


def _answer_text(question: Question) -> str:
    if question.kind == Kind.FILL:
        return "|".join(question.answer)
    if question.kind == Kind.TRUE_FALSE:
        return "正确" if question.answer == [0] else "错误"
    return "".join(chr(65 + i) for i in question.answer)


def bank_xlsx(questions: QuerySet[Question]) -> bytes:
    writer = ExcelWriter()
    sheet = writer.sheet("题目", COLUMNS + ["状态"])
    stats_sheet = writer.sheet("统计", ["题干", "作答次数", "正确率", "平均用时（秒）", "各选项被选次数", "提示"])
    batch: list[Question] = []

    def flush(rows: Iterable[Question]) -> None:
        rows = list(rows)
        stats = queries.question_stats(rows)
        for q in rows:
            options = list(q.options) if q.kind in (Kind.SINGLE, Kind.MULTIPLE) else []
            options += [""] * (6 - len(options))
            sheet.append(
                [
                    q.get_kind_display(),
                    q.text,
                    *options[:6],
                    _answer_text(q),
                    q.explanation,
                    q.source,
                    "、".join(t.name for t in q.tags.all()),
                    q.get_difficulty_display(),
                    q.organisation.code,
                    q.expires_on.isoformat() if q.expires_on else "",
                    "已撤回" if q.withdrawn else "在用",
                ]
            )
            s = stats[q.pk]
            counts = "；".join(f"{chr(65 + i)}:{s.options[i]}" for i in range(len(q.options))) if q.options else ""
            stats_sheet.append(
                [q.text, s.answered, s.right_percent, s.average_seconds, counts, "；".join(queries.flags(q, s))]
            )

    for question in questions.iterator(chunk_size=500):
        batch.append(question)
        if len(batch) == 500:
            flush(batch)
            batch = []
    flush(batch)
    return writer.bytes()


def ranking_xlsx(contest: Contest) -> bytes:
    writer = ExcelWriter()
    sheet = writer.sheet("个人排名", ["名次", "工号", "姓名", "得分", "答对", "疑似机器作答", "合格", "获奖"])
    for row in queries.ranking(contest):
        sheet.append(
            [
                row.rank,
                row.person.employee_no,
                row.person.name,
                row.attempt.score,
                row.attempt.right,
                row.attempt.flagged,
                "是" if row.passed else "否",
                "是" if row.winner else "",
            ]
        )
    if contest.teams.exists():
        teams = writer.sheet("团体排名", ["名次", "队伍", "团体得分", "队员数", "参赛人数", "参与率"])
        for team in queries.team_ranking(contest):
            teams.append([team.rank, team.name, str(team.score), team.members, team.players, team.rate_percent])
    if contest.require_all:
        missing = writer.sheet("尚未参赛", ["工号", "姓名"])
        for person in queries.missing_players(contest).iterator():
            missing.append([person.employee_no, person.name])
    return writer.bytes()
