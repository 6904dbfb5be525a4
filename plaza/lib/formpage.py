"""The one form page: GET shows the form, POST asks one service, a refusal goes onto the form, success redirects.

Most pages that write are this shape; writing it once keeps each view to "which form, which service, where
next" and makes every refusal behave the same way (the reasons on the form, the person's input kept)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from plaza.lib.refusals import refuse_on_form

T = TypeVar("T")


def form_page(
    request: HttpRequest,
    form_class: Callable[..., Any],
    template: str,
    *,
    save: Callable[[Any], T],
    done: str | Callable[[T], str],
    next_url: str | Callable[[T], str],
    context: Mapping[str, Any] | None = None,
    form_kwargs: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """Show ``form_class`` on ``template``; on a valid POST call ``save(form)`` (one service call).

    A ``ValidationError`` or ``PermissionDenied`` from the service is shown at the top of the form that was
    sent (:func:`plaza.lib.refusals.refuse_on_form`), so nothing the person typed is lost; success flashes
    ``done`` (or ``done(result)``) and redirects to ``next_url`` (or ``next_url(result)``). The form is in the
    template's context as ``form`` beside ``context``.
    """
    kwargs = dict(form_kwargs or {})
    if request.method == "POST":
        form = form_class(request.POST, request.FILES or None, **kwargs)
        if form.is_valid():
            try:
                result = save(form)
            except (ValidationError, PermissionDenied) as exc:
                refuse_on_form(form, exc)
            else:
                messages.success(request, done(result) if callable(done) else done)
                return redirect(next_url(result) if callable(next_url) else next_url)
    else:
        form = form_class(**kwargs)
    return render(request, template, {**(context or {}), "form": form})


__all__ = ["form_page"]
