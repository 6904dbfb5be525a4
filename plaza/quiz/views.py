"""答题 pages: 每日答题, 错题本, 挑战答题, contests (play, rankings, certificates), live contests (phones and the
host's big screen, with a polling fallback), and the staff's bank and contest office."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import qr
from plaza.lib.http import attachment
from plaza.lib.params import choice_param, int_param, text_param
from plaza.lib.refusals import messages_of, refuse_on_form
from plaza.lib.schemas import found_or_404
from plaza.orgs.permissions import Cap, Scope

from . import exports, imports, pdf, queries, services
from .forms import ContestForm, ImportForm, PinForm, QuestionForm, TeamsForm, VoidForm, WithdrawForm
from .models import Contest, Kind, Mode, Question, State


def _choice(request: HttpRequest, question: Question) -> Any:
    if question.kind == Kind.FILL:
        return request.POST.get("text", "")
    return request.POST.getlist("choice")


def _refused(request: HttpRequest, exc: Exception) -> None:
    messages.error(request, "；".join(messages_of(exc)))


def _scope(request: HttpRequest) -> Scope:
    scope = Scope.of(request.user, Cap.QUIZ)
    if scope.is_empty:
        raise PermissionDenied(
            _("题库与竞赛由党组织的书记、委员和组织部（工会、团组织的负责人）管理；您目前没有管理答题的职务。")
        )
    return scope


def _organisations(request: HttpRequest) -> Any:
    _scope(request)
    return queries.quiz_organisations(request.user)


# ------------------------------------------------------------------------------------------ people


@login_required
def index(request: HttpRequest) -> HttpResponse:
    person = request.user
    return render(
        request,
        "quiz/index.html",
        {
            "today": queries.daily_today(person),
            "best": queries.challenge_best(person),
            "contests": queries.contests_for(person)[:5],
            "mistakes": queries.mistakes_of(person).count(),
            "pin_form": PinForm(),
            "manages": not Scope.of(person, Cap.QUIZ).is_empty,
            "active_tab": "learn",
        },
    )


def _options(person: Any, question: Question) -> list[tuple[int, str]]:
    """The question's options in the order this person is shown them (the form posts their positions)."""
    return services.shown_options(question, services.person_order(person.pk, question))


def _daily_context(person: Any, items: list[Any], item: Any, answered: Any) -> dict[str, Any]:
    return {
        "item": item,
        "options": _options(person, item.question) if item else None,
        "answered": answered,
        "answered_order": services.person_order(person.pk, answered.question) if answered else None,
        "items": items,
        "done": sum(1 for i in items if i.answered_at),
        "points_today": sum(i.points for i in items),
        "active_tab": "learn",
    }


@login_required
def daily(request: HttpRequest) -> HttpResponse:
    """Today's questions one at a time; after an answer the right answer, the explanation and the source."""
    shown = int_param(request, "shown")
    # one read of today's set serves the whole page (drawn now: the first question written already sent)
    items = services.daily_set(request.user, send_first=True)
    item = services.next_daily(request.user, items=items)
    answered = next((i for i in items if i.pk == shown and i.answered_at), None) if shown else None
    return render(request, "quiz/daily.html", _daily_context(request.user, items, item, answered))


def _daily_in_place(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    """The body of 每日答题 alone, for htmx to put in place of the old one. Rendered without the request's context
    processors: they are the shell's (sections, the unread count: a query) and the body shows none of them; the
    form's CSRF token is the one thing it needs from the request."""
    context["csrf_token"] = get_token(request)
    return HttpResponse(loader.get_template("quiz/_daily.html").render(context))


@login_required
@require_POST
def daily_answer(request: HttpRequest, item_id: int) -> HttpResponse:
    """One answer. From the page (htmx) the answer comes back in place: the feedback and the next question in one
    small response, no redirect and no second page (issue 15: p95 per answer ≤ 100 ms). Without JavaScript: the
    result as a message and the page again (post/redirect/get)."""
    partial = bool(request.headers.get("HX-Request"))
    try:
        step = services.answer_daily_step(
            request.user, item_id, lambda question: _choice(request, question), shown=True
        )
    except (ValidationError, PermissionDenied) as exc:
        if partial:
            items = services.daily_set(request.user, send_first=True)
            context = _daily_context(request.user, items, services.next_daily(request.user, items=items), None)
            context["refusal"] = "；".join(messages_of(exc))
            return _daily_in_place(request, context)
        _refused(request, exc)
        return redirect("quiz:daily")
    if step is None:
        raise Http404
    if partial:
        context = _daily_context(request.user, step.items, step.next, step.answered)
        context["outcome"] = step.outcome
        return _daily_in_place(request, context)
    (messages.success if step.outcome.correct else messages.warning)(request, step.outcome.message)
    return redirect(f"{reverse('quiz:daily')}?shown={item_id}")


@login_required
def mistakes(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.mistakes_of(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "quiz/mistakes.html", {"page": page, "active_tab": "learn"})


@login_required
def mistake(request: HttpRequest, mistake_id: int) -> HttpResponse:
    found = queries.mistake_for(request.user, mistake_id)
    if found is None:
        if request.method == "POST":
            messages.info(request, _("这道题已经移出错题本。"))
            return redirect("quiz:mistakes")
        raise Http404
    outcome = None
    if request.method == "POST":
        try:
            outcome = services.review_mistake(request.user, found, _choice(request, found.question))
        except (ValidationError, PermissionDenied) as exc:
            _refused(request, exc)
    return render(
        request,
        "quiz/mistake.html",
        {"mistake": found, "question": found.question, "outcome": outcome, "active_tab": "learn"},
    )


@login_required
def challenge(request: HttpRequest) -> HttpResponse:
    """挑战答题: start, the current question, the end of a run with its points; the personal best."""
    if request.method == "POST":
        try:
            services.start_challenge(request.user)
        except ValidationError as exc:
            _refused(request, exc)
        return redirect("quiz:challenge")
    run = queries.open_run(request.user)
    item = services.challenge_item(request.user, run) if run else None
    return render(
        request,
        "quiz/challenge.html",
        {
            "run": run if item else None,
            "item": item,
            "options": _options(request.user, item.question) if item else None,
            # nothing to start when the person's organisations publish no questions: say so, offer no button
            "available": bool(item) or queries.questions_for(request.user).exists(),
            "best": queries.challenge_best(request.user),
            "points_today": queries.challenge_points_today(request.user),
            "recent": queries.recent_runs(request.user),
            "active_tab": "learn",
        },
    )


@login_required
@require_POST
def challenge_answer(request: HttpRequest) -> HttpResponse:
    run = queries.open_run(request.user)
    item = services.challenge_item(request.user, run) if run else None
    if run is None or item is None or str(item.pk) != request.POST.get("item"):
        messages.error(request, _("这道题已经作答或挑战已结束。"))
        return redirect("quiz:challenge")
    try:
        outcome = services.answer_challenge(request.user, run, item, _choice(request, item.question), shown=True)
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
        return redirect("quiz:challenge")
    (messages.success if outcome.correct else messages.warning)(request, outcome.message)
    if not outcome.correct:
        return render(
            request,
            "quiz/challenge_over.html",
            {
                "item": item,
                "question": item.question,
                "order": services.person_order(request.user.pk, item.question),
                "outcome": outcome,
                "active_tab": "learn",
            },
        )
    return redirect("quiz:challenge")


@login_required
def contests(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.contests_for(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "quiz/contests.html", {"page": page, "pin_form": PinForm(), "active_tab": "learn"})


def _contest(request: HttpRequest, pk: int) -> Contest:
    return found_or_404(queries.contest_for(request.user, pk))


@login_required
def contest(request: HttpRequest, pk: int) -> HttpResponse:
    found = _contest(request, pk)
    if found.mode == Mode.LIVE:
        return redirect("quiz:live", found.pk)
    if request.method == "POST":
        try:
            services.start_attempt(request.user, found)
        except (ValidationError, PermissionDenied) as exc:
            _refused(request, exc)
            return redirect("quiz:contest", found.pk)
        return redirect("quiz:play", found.pk)
    attempts = list(queries.attempts_of(request.user, found))
    ranked = queries.ranking(found)
    mine = next((r for r in ranked if r.person.pk == request.user.pk), None)
    return render(
        request,
        "quiz/contest.html",
        {
            "contest": found,
            "attempts": attempts,
            "problem": services.entry_problem(request.user, found),
            "left": max(found.attempts - len(attempts), 0),
            "unfinished": queries.attempt_for(request.user, found),
            "mine": mine,
            "certificate": queries.certificate_for(request.user, found) is not None,
            "top": ranked[:10],
            "teams": queries.team_ranking(found) if found.mode == Mode.TEAM else [],
            "active_tab": "learn",
        },
    )


@login_required
def play(request: HttpRequest, pk: int) -> HttpResponse:
    """The attempt's current question with the time left; answers and time-outs are posted here."""
    found = _contest(request, pk)
    attempt = queries.attempt_for(request.user, found)
    if attempt is None:
        return redirect("quiz:contest", found.pk)
    if request.method == "POST":
        question_id = int_param(request.POST, "question") or 0
        try:
            if request.POST.get("timeout"):
                scored = services.time_out(request.user, attempt, question_id)
            else:
                raw = request.POST.get("text", "") if "text" in request.POST else request.POST.getlist("choice")
                scored = services.answer_attempt(request.user, attempt, question_id, raw)
        except (ValidationError, PermissionDenied) as exc:
            _refused(request, exc)
            return redirect("quiz:play", found.pk)
        (messages.success if scored.answer.correct and scored.answer.points else messages.warning)(
            request, scored.message
        )
        return redirect("quiz:play", found.pk)
    sent = services.deliver(attempt)
    if sent is None:
        messages.success(request, _("本次答题已完成。"))
        return redirect("quiz:contest", found.pk)
    delivery, question = sent
    options = services.shown_options(question, delivery.option_order)
    position = attempt.order.index(question.pk) + 1
    return render(
        request,
        "quiz/play.html",
        {
            "contest": found,
            "attempt": attempt,
            "question": question,
            "options": options,
            "position": position,
            "total": len(attempt.order),
            "remaining": services.seconds_left(delivery, found),
            "active_tab": "learn",
        },
    )


@login_required
def ranking(request: HttpRequest, pk: int) -> HttpResponse:
    found = _contest(request, pk)
    page = Paginator(queries.ranking(found), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "quiz/ranking.html",
        {
            "contest": found,
            "page": page,
            "teams": queries.team_ranking(found) if found.teams.exists() else [],
            "active_tab": "learn",
        },
    )


@login_required
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    found = _contest(request, pk)
    row = queries.certificate_for(request.user, found)
    if row is None:
        raise Http404
    record(request.user, actions.QUIZ_CERTIFICATE, found)
    return attachment(pdf.certificate_pdf(row), f"{found.title}-证书-{row.person.name}.pdf")


# ------------------------------------------------------------------------------------------ live


@login_required
def live_join(request: HttpRequest) -> HttpResponse:
    form = PinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        found = queries.live_by_pin(form.cleaned_data["pin"])
        if found is None:
            form.add_error("pin", _("没有找到这个加入码对应的现场赛，请核对大屏上的6位数字。"))
        else:
            try:
                services.join_live(request.user, found)
            except (ValidationError, PermissionDenied) as exc:
                refuse_on_form(form, exc)
            else:
                return redirect("quiz:live", found.pk)
    pin = text_param(request, "pin", 6)
    if request.method == "GET" and pin:
        form = PinForm(initial={"pin": pin})
    return render(request, "quiz/live_join.html", {"form": form, "active_tab": "learn"})


def _live(request: HttpRequest, pk: int) -> Contest:
    found = queries.contest_for(request.user, pk)
    if found is None or found.mode != Mode.LIVE:
        raise Http404
    return found


@login_required
def live(request: HttpRequest, pk: int) -> HttpResponse:
    """The player's phone: the socket (or polling) fills it."""
    found = _live(request, pk)
    try:
        services.join_live(request.user, found)
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
        return redirect("quiz:contests")
    return render(request, "quiz/live.html", {"contest": found, "active_tab": "learn"})


@login_required
def live_state(request: HttpRequest, pk: int) -> JsonResponse:
    """The polling fallback: the same state the socket sends."""
    found = _live(request, pk)
    data = queries.live_shared(found)
    data["me"] = queries.live_me(found, request.user)
    return JsonResponse(data)


@login_required
@require_POST
def live_answer(request: HttpRequest, pk: int) -> JsonResponse:
    found = _live(request, pk)
    try:
        body = json.loads(request.body or b"{}")
        if not isinstance(body, dict):
            raise ValueError
    except ValueError:
        return JsonResponse({"type": "error", "message": _("消息格式不正确。")}, status=400)
    try:
        scored = services.answer_live(request.user, found, body.get("question"), body.get("choice"))
    except (ValidationError, PermissionDenied) as exc:
        return JsonResponse({"type": "error", "message": "；".join(messages_of(exc))}, status=400)
    return JsonResponse({"type": "answered", "message": scored.message, "me": queries.live_me(found, request.user)})


def _hosted(request: HttpRequest, pk: int) -> Contest:
    found = queries.managed_contest(request.user, pk)
    if found is None or found.mode != Mode.LIVE:
        raise Http404
    return found


@login_required
def host(request: HttpRequest, pk: int) -> HttpResponse:
    """The host's big screen: PIN and QR code, players, the question, counts, the leaderboard."""
    found = _hosted(request, pk)
    join = request.build_absolute_uri(f"{reverse('quiz:live_join')}?pin={found.pin}")
    return render(
        request,
        "quiz/host.html",
        {"contest": found, "join": join, "body_class": "big-screen"},
    )


@login_required
@require_POST
def host_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The host's buttons without a socket (the polling fallback) and for tests."""
    found = _hosted(request, pk)
    try:
        if action == "next":
            services.next_question(request.user, found)
        elif action == "reveal":
            services.reveal(request.user, found)
        elif action == "finish":
            services.finish_live(request.user, found)
    except (ValidationError, PermissionDenied) as exc:
        if request.headers.get("accept", "").startswith("application/json"):
            return JsonResponse({"type": "error", "message": "；".join(messages_of(exc))}, status=400)
        _refused(request, exc)
    if request.headers.get("accept", "").startswith("application/json"):
        return JsonResponse({"type": "done", "action": action})
    return redirect("quiz:host", found.pk)


@login_required
def live_qr(request: HttpRequest, pk: int) -> HttpResponse:
    found = _hosted(request, pk)
    join = request.build_absolute_uri(f"{reverse('quiz:live_join')}?pin={found.pin}")
    return qr.svg_response(join, scale=8, border=4)  # the <img> of the big screen: a picture of its own


# ------------------------------------------------------------------------------------------ office


@login_required
def office(request: HttpRequest) -> HttpResponse:
    """The bank: search, filters, pages of 20 with each question's statistics and flags."""
    _scope(request)
    search = text_param(request, "q", 50)
    kind = choice_param(request, "kind", Kind.values)
    tag = text_param(request, "tag", 32)
    difficulty = int_param(request, "difficulty", maximum=3)
    state = choice_param(request, "state", ["live", "withdrawn", "expired"])
    rows = queries.managed_questions(
        request.user, search=search, kind=kind, tag=tag, difficulty=difficulty, state=state
    )
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    stats = queries.question_stats(list(page.object_list))
    listed = [(q, stats[q.pk], queries.flags(q, stats[q.pk])) for q in page.object_list]
    return render(
        request,
        "quiz/office.html",
        {
            "page": page,
            "listed": listed,
            "search": search,
            "kind": kind,
            "tag": tag,
            "difficulty": difficulty,
            "state": state,
            "kinds": Kind.choices,
            "tags": queries.tags(),
            "chart": queries.rate_bands(rows, page.paginator.count),
            "active_tab": "learn",
        },
    )


@login_required
def question_new(request: HttpRequest) -> HttpResponse:
    organisations = _organisations(request)
    form = QuestionForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_question(request.user, None, form.data_object())
        except (ValidationError, PermissionDenied) as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, _("题目已保存。"))
            return redirect("quiz:office")
    return render(request, "form_page.html", {"form": form, "title": _("新增题目"), "active_tab": "learn"})


@login_required
def question_edit(request: HttpRequest, question_id: int) -> HttpResponse:
    found = queries.managed_question(request.user, question_id)
    if found is None:
        raise Http404
    organisations = _organisations(request)
    if request.method == "POST":
        form = QuestionForm(request.POST, organisations=organisations)
        if form.is_valid():
            try:
                services.save_question(request.user, found, form.data_object())
            except (ValidationError, PermissionDenied) as exc:
                refuse_on_form(form, exc)
            else:
                messages.success(request, _("题目已保存。"))
                return redirect("quiz:office")
    else:
        form = QuestionForm(organisations=organisations, question=found)
    stats = queries.question_stats([found])[found.pk]
    return render(
        request,
        "quiz/question_edit.html",
        {
            "form": form,
            "question": found,
            "stats": stats,
            "flags": queries.flags(found, stats),
            "option_counts": [(chr(65 + i), text, stats.options[i]) for i, text in enumerate(found.options)],
            "withdraw_form": WithdrawForm(),
            "active_tab": "learn",
        },
    )


@login_required
@require_POST
def question_withdraw(request: HttpRequest, question_id: int) -> HttpResponse:
    found = queries.managed_question(request.user, question_id)
    if found is None:
        raise Http404
    try:
        if request.POST.get("restore"):
            services.restore_question(request.user, found)
            messages.success(request, _("题目已恢复。"))
        else:
            services.withdraw_question(request.user, found, request.POST.get("reason", ""))
            messages.success(request, _("题目已撤回，不再出现在答题中。"))
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    return redirect("quiz:question_edit", found.pk)


@login_required
def bank_import(request: HttpRequest) -> HttpResponse:
    _scope(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = imports.import_questions(request.user, upload, upload.name)
        except PermissionDenied as exc:
            report = imports.Report(0, messages_of(exc))
        if report.errors:
            errors = report.errors
        else:
            messages.success(request, _("已导入 %(n)s 道题目。") % {"n": report.created})
            return redirect("quiz:office")
    return render(
        request,
        "quiz/import.html",
        {"form": form, "errors": errors[:200], "more": len(errors) > 200, "active_tab": "learn"},
    )


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    _scope(request)
    return attachment(imports.template(), "题库导入模板.xlsx")


@login_required
def bank_export(request: HttpRequest) -> HttpResponse:
    _scope(request)
    rows = queries.managed_questions(
        request.user,
        search=text_param(request, "q", 50),
        kind=choice_param(request, "kind", Kind.values),
        tag=text_param(request, "tag", 32),
        state=choice_param(request, "state", ["live", "withdrawn", "expired"]),
    )
    record(request.user, actions.QUIZ_EXPORT, object_type="quiz.question", after={"count": rows.count()})
    return attachment(exports.bank_xlsx(rows), "题库.xlsx")


@login_required
def office_contests(request: HttpRequest) -> HttpResponse:
    _scope(request)
    page = Paginator(queries.managed_contests(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "quiz/office_contests.html", {"page": page, "active_tab": "learn"})


@login_required
def contest_new(request: HttpRequest) -> HttpResponse:
    organisations = _organisations(request)
    form = ContestForm(request.POST or None, organisations=organisations, tags=queries.tags())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            created = services.create_contest(
                request.user,
                services.ContestData(
                    title=d["title"],
                    mode=d["mode"],
                    organisation=d["organisation"],
                    organisations=list(d["organisations"]),
                    opens_at=d["opens_at"],
                    closes_at=d["closes_at"],
                    draw=d["draw"],
                    tags=list(d["tags"]),
                    easy=d["easy"],
                    medium=d["medium"],
                    hard=d["hard"],
                    seconds=d["seconds"],
                    attempts=d["attempts"],
                    streak=d["streak"],
                    pass_percent=d["pass_percent"],
                    winners=d["winners"],
                    team_basis=d["team_basis"],
                    team_rule=d["team_rule"],
                    team_best=d["team_best"],
                    require_all=d["require_all"],
                    description=d["description"],
                    question_ids=d["questions"],
                ),
            )
        except (ValidationError, PermissionDenied) as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, _("竞赛已创建。"))
            return redirect("quiz:manage", created.pk)
    return render(request, "form_page.html", {"form": form, "title": _("新建竞赛"), "active_tab": "learn"})


@login_required
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    """A contest in the office: publish, teams, close, void a question, flagged answers, rankings."""
    found = queries.managed_contest(request.user, pk)
    if found is None:
        raise Http404
    teams_form = TeamsForm(request.POST or None) if request.POST.get("action") == "teams" else TeamsForm()
    asked = list(queries.contest_questions(found).order_by("pk")) if found.state != State.CLOSED else []
    void_form = VoidForm(request.POST if request.POST.get("action") == "void" else None, questions=asked)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "open":
                services.open_contest(request.user, found)
                messages.success(request, _("竞赛已发布。"))
            elif action == "close":
                services.close_contest(request.user, found)
                messages.success(request, _("竞赛已结束，成绩为最终结果。"))
            elif action == "teams" and teams_form.is_valid():
                n = services.form_teams(request.user, found, _custom_teams(teams_form.cleaned_data["teams"]))
                messages.success(request, _("已组成 %(n)s 支队伍。") % {"n": n})
            elif action == "void" and void_form.is_valid():
                question = next((q for q in asked if q.pk == void_form.cleaned_data["question"]), None)
                if question is None:
                    raise ValidationError(_("没有找到这道题。"))
                n = services.void_question(request.user, found, question, void_form.cleaned_data["reason"])
                messages.success(request, _("已作废该题，%(n)s 份作答不再计分。") % {"n": n})
            else:
                raise ValidationError(_("请检查填写的内容。"))
        except (ValidationError, PermissionDenied) as exc:
            _refused(request, exc)
        else:
            return redirect("quiz:manage", found.pk)
    ranked = queries.ranking(found)
    return render(
        request,
        "quiz/manage.html",
        {
            "contest": found,
            "top": ranked[:20],
            "players": len(ranked),
            "teams": queries.team_ranking(found) if found.mode == Mode.TEAM else [],
            "missing": queries.missing_players(found)[:50] if found.require_all else [],
            "missing_count": queries.missing_players(found).count() if found.require_all else 0,
            "flagged": queries.flagged_answers(found)[:50],
            "voids": queries.voids(found),
            "teams_form": teams_form,
            "void_form": void_form,
            "active_tab": "learn",
        },
    )


def _custom_teams(text: str) -> list[tuple[str, list[str]]]:
    teams = []
    for line in text.splitlines():
        if not line.strip():
            continue
        name, _sep, rest = line.replace(":", "：").partition("：")
        numbers = [n.strip() for n in rest.replace(",", "、").replace("，", "、").split("、") if n.strip()]
        teams.append((name.strip() or _("未命名队伍"), numbers))
    return teams


@login_required
def ranking_export(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.managed_contest(request.user, pk)
    if found is None:
        raise Http404
    record(request.user, actions.QUIZ_EXPORT, found)
    return attachment(exports.ranking_xlsx(found), f"{found.title}-成绩.xlsx")
