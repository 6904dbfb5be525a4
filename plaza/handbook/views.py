"""Pages that show the rules of Party procedure to people, straight from ``plaza.rules``."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from plaza.dues.queries import farmer_amount_of
from plaza.lib import clock
from plaza.localrules import services as local_rules
from plaza.orgs.queries import party_branch_of
from plaza.rules import dues, elections, meetings, recruitment
from plaza.rules.dates import month_start

from .forms import DuesForm


@login_required
def recruitment_guide(request: HttpRequest) -> HttpResponse:
    # A step whose figure is a 本单位规定 says the reader's own value, as the procedure reads it.
    review = local_rules.explain(party_branch_of(request.user), "recruitment.political_review_years")
    local = {recruitment.Step.POLITICAL_REVIEW: _("本单位规定：%(n)s 年内有效") % {"n": review.shown}}
    stages: dict[str, list] = {}
    for step in recruitment.STEPS:
        stages.setdefault(step.stage, []).append((step, local.get(step.number, "")))
    return render(request, "handbook/recruitment.html", {"stages": stages, "active_tab": "learn"})


@login_required
def rulebook(request: HttpRequest) -> HttpResponse:
    """A digest of the rules, rendered from the figures in ``plaza.rules`` (never restated by hand)."""
    labels = {"in_service": _("在岗职工"), "retired": _("离退休人员")}
    dues_rows = []
    for category, brackets in dues.BRACKETS.items():
        rows, lower = [], None
        for upper, rate in brackets:
            rows.append((upper, lower, f"{(rate * 100).normalize():f}%"))
            lower = upper
        dues_rows.append((category, labels[category], rows))
    return render(
        request,
        "handbook/rules.html",
        {
            "dues_rows": dues_rows,
            "flat": dues.FLAT_AMOUNT,
            "terms": elections.TERM_YEARS,
            "candidates": [(seats, elections.min_candidates(seats)) for seats in (3, 5, 7, 9)],
            # the values that apply to the reader, as the procedures read them (本单位规定 in force today)
            "farmer_rule": local_rules.explain(party_branch_of(request.user), "dues.farmer_monthly"),
            "request_rule": local_rules.explain(party_branch_of(request.user), "elections.request_months_before"),
            "meetings": [(kind, meetings.LABELS[kind], months) for kind, months in meetings.PERIOD_MONTHS.items()],
            "active_tab": "learn",
        },
    )


@login_required
def dues_calculator(request: HttpRequest) -> HttpResponse:
    """The calculator charges what the ledger would charge the viewer: a farmer at the 本单位规定 of the viewer's
    own Party organisation in force this month (``dues.queries.farmer_amount_of``), not the rulebook's default."""

    form = DuesForm(request.GET or None)
    result = None
    if form.is_valid():
        base = form.cleaned_data["base"] or Decimal("0")
        category = form.cleaned_data["category"]
        farmer = farmer_amount_of(request.user, on=month_start(clock.today())) if category == "farmer" else None
        kwargs = {"farmer_amount": farmer} if farmer is not None else {}
        result = {"monthly": dues.monthly_dues(base, category, **kwargs), "farmer_rule": farmer is not None}
        result["quarterly"] = result["monthly"] * 3
    template = "handbook/_dues_result.html" if request.htmx else "handbook/dues.html"
    return render(request, template, {"form": form, "result": result, "active_tab": "services"})
