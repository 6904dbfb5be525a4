"""Pages that show the rules of Party procedure to people, straight from ``plaza.rules``."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from plaza.rules import dues, recruitment

from .forms import DuesForm


@login_required
def recruitment_guide(request: HttpRequest) -> HttpResponse:
    stages: dict[str, list] = {}
    for step in recruitment.STEPS:
        stages.setdefault(step.stage, []).append(step)
    return render(request, "handbook/recruitment.html", {"stages": stages, "active_tab": "learn"})


@login_required
def rulebook(request: HttpRequest) -> HttpResponse:
    return render(request, "handbook/rules.html", {"active_tab": "learn"})


@login_required
def dues_calculator(request: HttpRequest) -> HttpResponse:
    form = DuesForm(request.GET or None)
    result = None
    if form.is_valid():
        base = form.cleaned_data["base"] or Decimal("0")
        result = {"monthly": dues.monthly_dues(base, form.cleaned_data["category"])}
        result["quarterly"] = result["monthly"] * 3
    template = "handbook/_dues_result.html" if request.htmx else "handbook/dues.html"
    return render(request, template, {"form": form, "result": result, "active_tab": "services"})
