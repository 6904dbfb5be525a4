"""本单位规定 pages: everyone reads the values that apply to them with their source; 组织部 staff set an
organisation's own values (and take them back) for the organisations inside their scope. Thin: the writes
are :mod:`plaza.localrules.services`; an organisation outside the scope is 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plaza.lib.refusals import flash_outcome
from plaza.orgs import queries as org_queries
from plaza.orgs.models import Organisation
from plaza.orgs.permissions import Cap, Scope
from plaza.rules.local import RULES

from . import services
from .forms import RuleForm

SEARCH_LIMIT = 20


def _managed(request: HttpRequest) -> Scope:
    return Scope.of(request.user, Cap.MANAGE_ORGS)


def _organisation(request: HttpRequest, org_id: int) -> Organisation:
    scope = _managed(request)
    if scope.is_empty:
        raise PermissionDenied
    return get_object_or_404(scope.organisations(), pk=org_id)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The values that apply to the viewer's Party organisation, and for staff a way to their organisations."""
    organisation = org_queries.party_branch_of(request.user)
    scope = _managed(request)
    found = []
    q = request.GET.get("q", "").strip()[:40]
    if not scope.is_empty:  # a search, or the top of the staff member's scope and the level below it
        orgs = scope.organisations().order_by("path")
        top = orgs.order_by("depth").values_list("depth", flat=True).first() or 1
        found = list((orgs.filter(name__icontains=q) if q else orgs.filter(depth__lte=top + 1))[:SEARCH_LIMIT])
    return render(
        request,
        "localrules/mine.html",
        {
            "organisation": organisation,
            "rules": services.explain_all(organisation),
            "upcoming": services.upcoming(organisation),
            "staff": not scope.is_empty,
            "found": found,
            "q": q,
            "active_tab": "learn",
        },
    )


@login_required
def organisation(request: HttpRequest, org_id: int) -> HttpResponse:
    """One organisation's rules: what applies, where it was set, a form per rule, and the history."""
    org = _organisation(request, org_id)
    return render(
        request,
        "localrules/organisation.html",
        {
            "org": org,
            "rules": [
                (found, RuleForm(prefix=found.rule.key, initial={"value": found.shown}))
                for found in services.explain_all(org)
            ],
            "history": services.history(org),
            "active_tab": "learn",
        },
    )


def _rule_of(request: HttpRequest, org_id: int, key: str) -> tuple[Organisation, str]:
    org = _organisation(request, org_id)
    if key not in RULES:
        raise Http404
    return org, key


@login_required
@require_POST
def set_rule(request: HttpRequest, org_id: int, key: str) -> HttpResponse:
    org, key = _rule_of(request, org_id, key)
    form = RuleForm(request.POST, prefix=key)
    if not form.is_valid():
        messages.error(request, _("请填写取值和依据。"))
    else:
        flash_outcome(
            request,
            lambda: services.set_rule(
                request.user,
                org,
                key,
                form.cleaned_data["value"],
                form.cleaned_data["note"],
                effective_from=form.cleaned_data.get("effective_from"),
                decided_by=form.cleaned_data.get("decided_by") or "",
            ),
            _("已设置“%(label)s”，本组织及下级组织自生效日期起适用；此前办理的事项不变。")
            % {"label": RULES[key].label},
        )
    return redirect("localrules:organisation", org.pk)


@login_required
@require_POST
def clear_rule(request: HttpRequest, org_id: int, key: str) -> HttpResponse:
    org, key = _rule_of(request, org_id, key)
    flash_outcome(
        request,
        lambda: services.clear_rule(request.user, org, key),
        lambda now: (
            _("“%(label)s”已恢复为 %(value)s %(unit)s。")
            % {"label": RULES[key].label, "value": now.shown, "unit": now.rule.unit}
        ),
    )
    return redirect("localrules:organisation", org.pk)
