"""Pages for people and organisations: thin, everything scoped through ``queries`` and ``services``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plaza.accounts.models import PoliticalStatus
from plaza.lib import clock
from plaza.lib.params import int_param
from plaza.lib.refusals import messages_of, refuse_on_form

from . import queries, services
from .forms import MembershipForm, OrganisationForm, PersonForm, PositionForm, StatusForm
from .models import Organisation
from .permissions import Cap, Scope, can, may_grant


def _require(request: HttpRequest, cap: Cap) -> None:
    if not can(request.user, cap):
        raise PermissionDenied


@login_required
def my_organisation(request: HttpRequest) -> HttpResponse:
    """我的组织: the person's branch, group, union and league, with their officers to contact."""
    memberships = queries.memberships_of(request.user)
    return render(
        request,
        "orgs/mine.html",
        {
            "items": [(m, queries.officers_of(m.organisation)) for m in memberships],
            "active_tab": "work",
        },
    )


@login_required
def tree(request: HttpRequest, org_id: int | None = None) -> HttpResponse:
    _require(request, Cap.VIEW_PEOPLE)
    node = None
    if org_id is not None:
        node = get_object_or_404(queries.visible_organisations(request.user), pk=org_id)
    ancestors = queries.visible_ancestors(request.user, node) if node is not None else []
    officers = queries.officers_of(node) if node else []
    return render(
        request,
        "orgs/tree.html",
        {
            "node": node,
            "ancestors": ancestors,
            "children": queries.children_with_counts(request.user, node),
            "officers": officers,
            "endable": {  # 免职 only where the viewer may end it (never their own, never a leader beside them)
                p.pk for p in officers if may_grant(request.user, p.person, node, p.title, ending=True)
            },
            "can_manage": node is not None and can(request.user, Cap.MANAGE_ORGS, node),
            "can_appoint": node is not None and can(request.user, Cap.MANAGE_POSITIONS, node),
            "member_count": queries.subtree_member_count(node) if node else None,
            "active_tab": "work",
        },
    )


@login_required
def people(request: HttpRequest) -> HttpResponse:
    _require(request, Cap.VIEW_PEOPLE)
    org = None
    if int_param(request, "org") is not None:
        org = get_object_or_404(queries.visible_organisations(request.user), pk=int_param(request, "org"))
    q = request.GET.get("q", "")[:64]
    status = request.GET.get("status", "")
    status = status if status in PoliticalStatus.values else ""
    roster = queries.roster(request.user, organisation=org, q=q, status=status)
    page = Paginator(roster, 20).get_page(request.GET.get("page"))
    template = "orgs/_people_rows.html" if request.htmx else "orgs/people.html"
    return render(
        request,
        template,
        {
            "page": page,
            "org": org,
            "q": q,
            "status": status,
            "statuses": PoliticalStatus.choices,
            "can_export": can(request.user, Cap.EXPORT_PEOPLE),
            "active_tab": "work",
        },
    )


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    _require(request, Cap.VIEW_PEOPLE)
    person = get_object_or_404(queries.visible_people(request.user), pk=person_id)
    return render(
        request,
        "orgs/person.html",
        {
            "person": person,
            "memberships": queries.memberships_of(person),
            "positions": queries.positions_of(person),
            "history": person.status_changes.all(),
            "can_reveal": Scope.of(request.user, Cap.VIEW_PERSONAL).covers_person(person),
            "can_change": Scope.of(request.user, Cap.CHANGE_PEOPLE).covers_person(person),
            "active_tab": "work",
        },
    )


@login_required
@require_POST
def reveal(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(queries.visible_people(request.user), pk=person_id)
    data = services.reveal_personal_data(
        request.user, person, purpose=request.POST.get("purpose", ""), ip_address=request.META.get("REMOTE_ADDR")
    )
    return render(request, "orgs/_revealed.html", {"data": data})


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    _require(request, Cap.VIEW_STATS)
    org = None
    if int_param(request, "org") is not None:
        org = get_object_or_404(queries.visible_organisations(request.user), pk=int_param(request, "org"))
    counts = queries.status_counts(request.user, org)
    stages = None
    counter = queries.stage_counter()  # 党员发展 by stage, counted as its board counts (one definition)
    if counter is not None and can(request.user, Cap.RECRUIT):
        stages = counter(request.user, org)
    return render(
        request,
        "orgs/stats.html",
        {
            "org": org,
            "counts": counts,
            "stages": stages,
            "active_tab": "work",
            "chart_data": {"labels": [str(label) for _, label, _ in counts], "values": [n for *_, n in counts]},
        },
    )


def _submit(request: HttpRequest, form: Any, write: Callable[[dict], object], done: str) -> bool:
    """Run ``write`` with a valid POSTed form; a service's refusal goes onto the form. True when saved."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        refuse_on_form(form, exc)
        return False
    messages.success(request, done)
    return True


def _form_page(
    request: HttpRequest, form: Any, title: str, subject: object, cancel_url: str, note: str = ""
) -> HttpResponse:
    return render(
        request,
        "orgs/form.html",
        {
            "form": form,
            "title": title,
            "subject": subject,
            "cancel_url": cancel_url,
            "note": note,
            "active_tab": "work",
        },
    )


@login_required
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(Scope.of(request.user, Cap.CHANGE_PEOPLE).people(), pk=person_id)
    initial = {
        f: getattr(person, f)
        for f in ("name", "gender", "birth_date", "ethnicity", "education", "department", "job_title", "email")
    }
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and not form.changes(person):
        messages.info(request, _("没有需要保存的修改。"))
        return redirect("orgs:person", person.pk)

    def write(data: dict) -> None:
        services.update_person(request.user, person, reason=data["reason"], **form.changes(person))

    if _submit(request, form, write, _("已保存 %(name)s 的资料。") % {"name": person.name}):
        return redirect("orgs:person", person.pk)
    return _form_page(request, form, _("编辑资料"), person, reverse("orgs:person", args=[person.pk]))


@login_required
def person_status(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(Scope.of(request.user, Cap.CHANGE_PEOPLE).people(), pk=person_id)
    form = StatusForm(request.POST or None, initial={"to_status": person.political_status})

    def write(data: dict) -> None:
        services.change_political_status(
            request.user, person, data["to_status"], effective_on=data["effective_on"], reason=data["reason"]
        )

    if _submit(request, form, write, _("已变更政治面貌。")):
        return redirect("orgs:person", person.pk)
    return _form_page(
        request,
        form,
        _("变更政治面貌"),
        person,
        reverse("orgs:person", args=[person.pk]),
        _(
            "入党申请人、入党积极分子、发展对象、预备党员和正式党员之间的变更由「党员发展」随步骤自动记录，"
            "这里不能直接变更；这里用于群众和共青团员之间的变更。历史数据有误时，由上级党委组织部门写明理由更正，"
            "更正记入审计日志并列入越过规则的记录。"
        ),
    )


@login_required
def person_move(request: HttpRequest, person_id: int) -> HttpResponse:
    scope = Scope.of(request.user, Cap.CHANGE_PEOPLE)
    person = get_object_or_404(scope.people(), pk=person_id)
    form = MembershipForm(request.POST or None, organisations=scope.organisations())

    def write(data: dict) -> None:
        services.assign_membership(request.user, person, data["organisation"], since=data["since"])

    if _submit(request, form, write, _("已调整组织关系。")):
        return redirect("orgs:person", person.pk)
    return _form_page(
        request,
        form,
        _("调整组织关系"),
        person,
        reverse("orgs:person", args=[person.pk]),
        _("在本单位范围内调整所在支部或党小组；跨单位转接请使用组织关系转接。"),
    )


@login_required
def org_add_child(request: HttpRequest, org_id: int) -> HttpResponse:
    parent = get_object_or_404(Scope.of(request.user, Cap.MANAGE_ORGS).organisations(), pk=org_id)
    form = OrganisationForm(request.POST or None, parent=parent)
    created: list[Organisation] = []

    def write(data: dict) -> None:
        created.append(services.create_organisation(request.user, parent=parent, **data))

    if _submit(request, form, write, _("已新建组织「%(name)s」。") % {"name": form.data.get("name", "")}):
        return redirect("orgs:tree_node", created[0].pk)
    return _form_page(request, form, _("新建下级组织"), parent, reverse("orgs:tree_node", args=[parent.pk]))


@login_required
def org_appoint(request: HttpRequest, org_id: int) -> HttpResponse:
    scope = Scope.of(request.user, Cap.MANAGE_POSITIONS)
    org = get_object_or_404(scope.organisations(), pk=org_id)
    form = PositionForm(request.POST or None, organisation=org)

    def write(data: dict) -> None:
        person = queries.visible_people(request.user).filter(employee_no=data["employee_no"]).first()
        if person is None:
            raise ValidationError(_("在您的管理范围内没有这个工号。"))
        services.appoint(request.user, person, org, data["title"], since=data["since"], until=data["until"])

    if _submit(request, form, write, _("已任命 %(no)s。") % {"no": form.data.get("employee_no", "")}):
        return redirect("orgs:tree_node", org.pk)
    return _form_page(request, form, _("任命职务"), org, reverse("orgs:tree_node", args=[org.pk]))


@login_required
@require_POST
def position_end(request: HttpRequest, position_id: int) -> HttpResponse:
    position = queries.position_to_end(request.user, position_id)
    if position is None:
        raise Http404
    try:
        services.end_position(request.user, position, on=clock.today(), reason=request.POST.get("reason", "")[:200])
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(messages_of(exc)))
    else:
        messages.success(request, _("已免去 %(name)s 的职务。") % {"name": position.person.name})
    return redirect("orgs:tree_node", position.organisation_id)
