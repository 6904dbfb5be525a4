"""组织生活 pages: my meetings, an organisation's meetings, planning, QR sign-in, minutes, the compliance board."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock, listing
from plaza.lib.http import attachment as download
from plaza.lib.params import choice_param, int_list, int_param, month_param, year_param
from plaza.lib.refusals import flash_outcome, refuse_on_form
from plaza.lib.refusals import messages_of as _errors
from plaza.lib.schemas import found_or_404
from plaza.orgs import queries as org_queries
from plaza.orgs.models import Level
from plaza.orgs.permissions import Cap, Scope, can
from plaza.rules import meetings as rules

from . import queries, services
from .forms import ChangeForm, MinutesForm, PlanForm, ResolutionForm, SeriesForm
from .models import Attendance, AttendanceState, Kind, Meeting, Status
from .pdf import minutes_pdf as build


def _organisation(request: HttpRequest, org_id: int):  # noqa: ANN202
    return get_object_or_404(queries.kept_organisations(request.user), pk=org_id)


def _meeting_for(request: HttpRequest, meeting_id: int) -> tuple[Meeting, bool]:
    return found_or_404(queries.meeting_for(request.user, meeting_id))


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    rows = queries.meetings_of(request.user)
    now = clock.now()
    upcoming = [a for a in rows.filter(meeting__ends_at__gte=now).exclude(meeting__status=Status.CANCELLED)]
    upcoming.reverse()
    page = Paginator(rows.filter(meeting__ends_at__lt=now), 20).get_page(request.GET.get("page"))
    makeup = rows.filter(makeup_due_on__isnull=False, makeup_done_on__isnull=True)
    return render(
        request,
        "meetings/mine.html",
        {
            "upcoming": upcoming,
            "page": page,
            "makeup": makeup,
            "active_tab": "work",
            "keeps": can(request.user, Cap.MEETINGS),
        },
    )


@login_required
def office(request: HttpRequest) -> HttpResponse:
    organisations = queries.kept_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    scope = Scope.of(request.user, Cap.MEETINGS)
    top = organisations.filter(path__in=scope.paths) if not scope.everything and len(scope.paths) == 1 else None
    if top is not None and top.exists():  # one organisation (with its groups): straight to it
        return redirect("meetings:organisation", top.first().pk)
    q = request.GET.get("q", "").strip()[:40]
    if q:
        organisations = organisations.filter(name__contains=q)
    page = Paginator(organisations, 30).get_page(request.GET.get("page"))
    return render(request, "meetings/office.html", {"page": page, "q": q, "active_tab": "work"})


#: An organisation's meeting list (issue 14): its orders (?sort=), its filter by state, its page length.
MEETING_SORTS = listing.Sorts(
    ("date", gettext_lazy("时间"), ("starts_at", "id")),
    ("kind", gettext_lazy("类型"), ("kind", "-starts_at", "-id")),
    ("topic", gettext_lazy("议题"), ("topic", "-starts_at", "-id")),
    default="-date",
)
MEETING_STATE_LABELS = [
    ("coming", gettext_lazy("待召开")),
    ("over", gettext_lazy("已召开")),
    ("no_minutes", gettext_lazy("缺会议记录")),
    ("cancelled", gettext_lazy("已取消")),
]
MEETINGS_PAGE = 20


@login_required
def organisation(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _organisation(request, org_id)
    year = _year(request)
    kinds = services.kinds_for(org)
    kind = request.GET.get("kind", "")
    if kind not in {value for value, _label in kinds}:
        kind = ""
    state = choice_param(request, "state", queries.MEETING_STATES)
    search = listing.search_text(request.GET)
    sort = MEETING_SORTS.read(request.GET)
    now = clock.now()
    with_later = year == clock.today().year  # this year's list also shows what is already planned in the next
    meetings = queries.organisation_meetings(
        org, year, kind, state=state, search=search, order=sort.order_by, now=now, with_later_planned=with_later
    )
    page = Paginator(meetings, MEETINGS_PAGE).get_page(request.GET.get("page"))
    listed = {
        "org": org,
        "page": page,
        "kinds": kinds,
        "kind": kind,
        "year": year,
        "state": state,
        "states": MEETING_STATE_LABELS,
        "q": search,
        "sort": sort,
        "now": now,
        "with_later": with_later,
    }
    if request.htmx:
        return render(request, "meetings/_organisation_list.html", listed)
    board = None
    if org.level == Level.BRANCH:
        board = queries.compliance([org], year)[org.pk]
    return render(
        request,
        "meetings/organisation.html",
        {
            **listed,
            "active_tab": "work",
            "board": [(rules.LABELS[k], cells) for k, cells in board.items()] if board else None,
            "series": queries.active_series(org),
            "children": queries.kept_organisations(request.user).filter(path__startswith=org.path, depth=org.depth + 1),
        },
    )


def _year(request: HttpRequest) -> int:
    return year_param(request, default=clock.today().year)


@login_required
def plan(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _organisation(request, org_id)
    initial = {"kind": request.GET.get("kind") or services.default_kind(org)}
    form = PlanForm(request.POST or None, initial=initial, kinds=services.kinds_for(org))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            guests = org_queries.people_by_numbers(request.user, data["guests"])
            meeting = services.plan_meeting(
                request.user,
                org,
                kind=data["kind"],
                topic=data["topic"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                format=data["format"],
                place=data["place"],
                route=data["route"],
                online_link=data["online_link"],
                guests=guests,
            )
        except (ValidationError, PermissionDenied) as exc:
            refuse_on_form(form, exc)
        else:
            # the service tells people only of a meeting still ahead; what it did is what the message says
            now = clock.now()
            if meeting.starts_at > now:
                messages.success(request, _("会议已安排，已通知 %(n)s 人。") % {"n": meeting.attendance.count()})
            elif meeting.ends_at > now:
                messages.success(request, _("会议已经开始，未发送会议通知。请组织到场人员扫码签到，会后登记会议记录。"))
            else:  # a meeting already held is recorded (补录)
                messages.success(request, _("会议时间已过，已作为补录保存，未发送通知。请登记出席情况和会议记录。"))
            return redirect("meetings:detail", meeting.pk)
    return render(request, "form_page.html", {"form": form, "title": _("安排会议"), "org": org, "active_tab": "work"})


@login_required
def change(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Change a planned meeting before it starts; everyone on its list is told."""
    meeting, keeps = _meeting_for(request, meeting_id)
    if not keeps:
        raise Http404
    local = timezone.localtime(meeting.starts_at)
    form = ChangeForm(
        request.POST or None,
        initial={
            "topic": meeting.topic,
            "starts_at": local.replace(tzinfo=None),
            "duration": int((meeting.ends_at - meeting.starts_at).total_seconds() // 60),
            "format": meeting.format,
            "place": meeting.place,
            "route": meeting.route,
            "online_link": meeting.online_link,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_meeting(
                request.user,
                meeting,
                topic=data["topic"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                format=data["format"],
                place=data["place"],
                route=data["route"],
                online_link=data["online_link"],
            )
        except (ValidationError, PermissionDenied) as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, _("会议已修改，已通知 %(n)s 人。") % {"n": meeting.attendance.count()})
            return redirect("meetings:detail", meeting.pk)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": _("修改会议"),
            "org": meeting.organisation,
            "active_tab": "work",
            "note": _(
                "修改后将通知所有参会人员，会前提醒随之调整。会议类型和参会名单不变；需要改变的，请取消后重新安排。"
            ),
        },
    )


@login_required
def series(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _organisation(request, org_id)
    kind = services.default_kind(org)
    form = SeriesForm(
        request.POST or None, initial={"kind": kind, "topic": Kind(kind).label}, kinds=services.kinds_for(org)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.create_series(request.user, org, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, _("固定会议计划已保存，本月和下月的会议已安排。"))
            return redirect("meetings:organisation", org.pk)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": _("固定会议计划"),
            "org": org,
            "active_tab": "work",
            "note": _("例如每月固定一天的%(kind)s。系统每天提前安排下个月的会议并通知参会人员。")
            % {"kind": Kind(kind).label},
        },
    )


@login_required
def detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting, keeps = _meeting_for(request, meeting_id)
    mine = queries.attendance_of(meeting, request.user)
    minutes = queries.minutes_of(meeting)
    attendance = (
        meeting.attendance.select_related("person").order_by("guest", "state", "person__employee_no") if keeps else None
    )
    counts = queries.attendance_counts(meeting)
    now = clock.now()
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "keeps": keeps,
            "mine": mine,
            "minutes": minutes,
            "attendance": attendance,
            "counts": counts,
            "expected": sum(counts.values()),
            "active_tab": "work",
            "signing": services.signing_open(meeting, now),
            "started": meeting.starts_at <= now,
            "over": meeting.ends_at < now,
            "can_cancel": keeps and services.may_cancel(meeting, now),
            "minutes_form": MinutesForm(initial=minutes.__dict__ if minutes else None)
            if keeps and services.minutes_open(meeting, minutes, now)
            else None,
            "resolution_form": ResolutionForm() if keeps and services.resolutions_open(meeting, minutes, now) else None,
            "states": [
                (AttendanceState.PRESENT, _("签到")),
                (AttendanceState.LEAVE, _("请假")),
                (AttendanceState.ABSENT, _("缺席")),
            ],
        },
    )


@login_required
def qr(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The sign-in screen shown at the meeting: a QR code that changes every half minute."""
    meeting, keeps = _meeting_for(request, meeting_id)
    if not keeps:
        raise Http404
    return render(request, "meetings/qr.html", {"meeting": meeting, "active_tab": "work"})


@login_required
def qr_code(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The htmx fragment of the sign-in screen: the current code and how many have signed in."""

    meeting, keeps = _meeting_for(request, meeting_id)
    if not keeps:
        raise Http404
    problem = services.sign_in_problem(meeting, clock.now())
    url = request.build_absolute_uri(
        reverse("meetings:sign_in", args=[meeting.pk]) + "?t=" + services.qr_token(meeting)
    )
    svg = "" if problem else segno.make(url, error="m").svg_inline(scale=6, border=2)
    present = meeting.attendance.filter(state=AttendanceState.PRESENT).count()
    return render(
        request,
        "meetings/_qr_code.html",
        {
            "meeting": meeting,
            "svg": svg,
            "problem": problem,
            "present": present,
            "url": url,
            "expected": meeting.attendance.filter(guest=False).count(),
        },
    )


@login_required
def sign_in(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Where the QR code leads: a confirmation page, then one tap signs in."""
    token = request.POST.get("t") or request.GET.get("t", "")
    meeting = queries.meeting_by_code(meeting_id, token)
    if meeting is None:  # without this meeting's code, the page does not exist
        raise Http404
    result, problem = None, ""
    if request.method == "POST":
        try:
            attendance, first = services.sign_in(request.user, meeting, token)
        except ValidationError as exc:
            problem = "；".join(exc.messages)
        else:
            result = _("签到成功") if first else _("您已签到，无需重复签到")
            result += f"（{timezone.localtime(attendance.signed_in_at):%H:%M}）"
    return render(
        request,
        "meetings/sign_in.html",
        {"meeting": meeting, "token": token, "result": result, "problem": problem, "active_tab": "work"},
        status=400 if problem else 200,
    )


def _act(
    request: HttpRequest,
    meeting_id: int,
    action: Callable[[Meeting], Any],
    done: str | Callable[[Any], str],
    *,
    keepers_only: bool = True,
) -> HttpResponse:
    """Run one action on a meeting from a button; say what happened or why not, and go back to the meeting."""
    meeting, keeps = _meeting_for(request, meeting_id)
    if keepers_only and not keeps:
        raise Http404
    flash_outcome(request, lambda: action(meeting), done)
    return redirect("meetings:detail", meeting.pk)


@login_required
@require_POST
def leave(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _act(
        request,
        meeting_id,
        lambda meeting: services.request_leave(request.user, meeting, request.POST.get("reason", "")),
        _("已请假。会后请按期完成补学。"),
        keepers_only=False,
    )


@login_required
@require_POST
def attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    ids = int_list(request.POST, "attendance")
    return _act(
        request,
        meeting_id,
        lambda meeting: services.set_attendance(
            request.user, meeting, ids, request.POST.get("state", ""), reason=request.POST.get("reason", "")
        ),
        lambda count: _("已更新 %(n)s 人的参会情况。") % {"n": count},
    )


@login_required
@require_POST
def makeup(request: HttpRequest, meeting_id: int) -> HttpResponse:
    def complete(meeting: Meeting) -> Attendance:
        mine = queries.attendance_of(meeting, request.user)
        if mine is None:
            raise Http404
        return services.complete_makeup(request.user, mine, request.POST.get("note", ""))

    return _act(request, meeting_id, complete, _("补学已登记。"), keepers_only=False)


@login_required
@require_POST
def cancel(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _act(
        request,
        meeting_id,
        lambda meeting: services.cancel_meeting(request.user, meeting, request.POST.get("reason", "")),
        _("会议已取消，已通知参会人员。"),
    )


@login_required
@require_POST
def approve(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _act(
        request,
        meeting_id,
        lambda meeting: services.approve_minutes(request.user, meeting),
        _("会议记录已审定并锁定；缺席和请假人员已收到补学提醒。"),
    )


@login_required
@require_POST
def minutes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting, keeps = _meeting_for(request, meeting_id)
    if not keeps:
        raise Http404
    form = MinutesForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(m for errors in form.errors.values() for m in errors))
        return redirect("meetings:detail", meeting.pk)
    try:
        services.write_minutes(request.user, meeting, **form.cleaned_data, files=request.FILES.getlist("files"))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(_errors(exc)))
    else:
        messages.success(request, _("会议记录已保存。"))
    return redirect("meetings:detail", meeting.pk)


@login_required
@require_POST
def resolution(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting, keeps = _meeting_for(request, meeting_id)
    if not keeps:
        raise Http404
    form = ResolutionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写表决事项和各项人数。"))
        return redirect("meetings:detail", meeting.pk)
    try:
        outcome = services.add_resolution(request.user, meeting, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(_errors(exc)))
    else:
        (messages.success if outcome.passed else messages.warning)(
            request, (_("表决通过：%(t)s") if outcome.passed else _("表决未通过：%(t)s")) % {"t": outcome.title}
        )
    return redirect("meetings:detail", meeting.pk)


@login_required
def minutes_pdf(request: HttpRequest, meeting_id: int) -> HttpResponse:

    meeting, keeps = _meeting_for(request, meeting_id)
    if not keeps or queries.minutes_of(meeting) is None:
        raise Http404
    record(request.user, actions.MEETINGS_MINUTES_PDF, meeting)
    return download(build(meeting), f"会议记录-{meeting.topic}.pdf")


@login_required
def attachment(request: HttpRequest, attachment_id: int) -> HttpResponse:
    found = queries.attachment_for(request.user, attachment_id)
    if found is None:
        raise Http404
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)


#: The compliance board's orders (?sort=, plaza.lib.listing; the rows are sorted by queries.compliance_rows).
COMPLIANCE_SORTS = listing.Sorts(
    ("path", gettext_lazy("组织顺序"), ("path",)),
    ("name", gettext_lazy("党支部"), ("name",)),
    ("gaps", gettext_lazy("未落实"), ("gaps",)),
    default="path",
)
COMPLIANCE_STATE_LABELS = [
    ("gaps", gettext_lazy("有未落实的")),
    ("missing", gettext_lazy("有期满未召开的")),
    ("done", gettext_lazy("全部已落实")),
]
COMPLIANCE_PAGE = 50
#: The most branches one bulk reminder takes (two pages' worth).
REMIND_MAX = 100


@login_required
def compliance(request: HttpRequest) -> HttpResponse:
    """The committee's view: every branch in scope, one colour per required kind for the chosen month; a filter
    bar (subtree, name, state) and sortable columns (htmx swaps only the table), and 提醒 for the ticked branches:
    a POST shows whom it would remind of what and why the others cannot be, the confirmed POST sends it."""
    scope = Scope.of(request.user, Cap.MEETINGS)
    if scope.is_empty:
        raise PermissionDenied
    posted = request.method == "POST"
    source = request.POST if posted else request.GET
    day = month_param(source, default=clock.today())
    scopes = queries.compliance_scopes(request.user)
    within_id = int_param(source, "org")
    within = scopes.filter(pk=within_id).first() if within_id else None
    confirming: dict[str, Any] | None = None
    if posted:
        picked = queries.compliance_branches(request.user, ids=int_list(request.POST, "pick")[:REMIND_MAX])
        board = queries.compliance_on(picked, day)
        rows = [(branch, board[branch.pk]) for branch in picked]
        if not picked:
            messages.error(request, _("请先勾选要提醒的党支部。"))
        elif request.POST.get("confirm") != "1":
            refusals = services.reminder_refusals(request.user, rows)
            confirming = {
                "ready": [(b, services.due_cells(cells)) for b, cells in rows if b.pk not in refusals],
                "refused": [(b, refusals[b.pk]) for b, _cells in rows if b.pk in refusals],
            }
        else:
            done, refused = services.remind_branches(request.user, rows, day)
            if done:
                messages.success(request, _("已提醒 %(n)s 个党支部的书记和组织委员。") % {"n": len(done)})
            names = {branch.pk: branch.name for branch in picked}
            for pk, why in refused.items():
                messages.error(request, _("%(branch)s 未提醒：%(why)s") % {"branch": names[pk], "why": why})
            back = f"?month={day:%Y-%m}" + (f"&org={within.pk}" if within else "")
            return redirect(request.path + back)
    search = listing.search_text(request.GET)
    state = choice_param(request, "state", queries.COMPLIANCE_STATES)
    if not state and request.GET.get("missing") == "1":  # the earlier "只看未落实" address
        state = "gaps"
    sort = COMPLIANCE_SORTS.read(request.GET)
    branches = queries.compliance_branches(request.user, within=within, search=search)
    board = queries.compliance_on(branches, day)
    rows = [(branch, board[branch.pk]) for branch in branches]
    totals = {s: sum(1 for _b, cells in rows for c in cells if c.state == s) for s in ("held", "open", "missing")}
    chart = queries.compliance_chart(rows)
    rows = queries.compliance_rows(rows, state=state, order=sort.value)
    page = Paginator(rows, COMPLIANCE_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "kinds": [Kind(k).label for k in queries.BRANCH_KINDS],
        "month": f"{day:%Y-%m}",
        "day": day,
        "totals": totals,
        "chart": chart,
        "branches": len(branches),
        "shown": len(rows),
        "scopes": org_queries.labelled(scopes[:500]),
        "within": within,
        "q": search,
        "state": state,
        "states": COMPLIANCE_STATE_LABELS,
        "sort": sort,
        "confirming": confirming,
        "bulk_actions": [("remind", _("提醒所选党支部按时召开"))],
        "active_tab": "work",
    }
    if request.htmx and not posted:
        return render(request, "meetings/_compliance_list.html", context)
    return render(request, "meetings/compliance.html", context)


@login_required
def rates(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _organisation(request, org_id)
    year = _year(request)
    people, overall = queries.attendance_rates(org, year)
    branches = queries.branch_rates(org, year) if org.level not in (Level.BRANCH, Level.GROUP) else []
    return render(
        request,
        "meetings/rates.html",
        {
            "org": org,
            "year": year,
            "overall": overall,
            "active_tab": "work",
            "branches": Paginator(branches, 50).get_page(request.GET.get("page")) if branches else None,
            "page": None if branches else Paginator(people, 50).get_page(request.GET.get("page")),
        },
    )
