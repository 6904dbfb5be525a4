"""How pages tell a person why something was refused: the messages of a ValidationError or PermissionDenied,
shown on the form that was sent, or flashed after one action from a button."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

T = TypeVar("T")


def messages_of(exc: Exception) -> list[str]:
    """The reasons a service gave (a ValidationError's messages), or the permission refusal's text."""
    return list(getattr(exc, "messages", None) or [str(exc) or _("您没有权限。")])


def refuse_on_form(form: Any, exc: Exception) -> None:
    """Show a service's refusal at the top of the form it came from, the person's input kept."""
    for message in messages_of(exc):
        form.add_error(None, message)


def flash_outcome(request: HttpRequest, action: Callable[[], T], done: str | Callable[[T], str]) -> T | None:
    """Run ``action``; flash ``done`` (or ``done(result)``) when it worked, the reasons when it was refused."""
    try:
        result = action()
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(messages_of(exc)))
        return None
    messages.success(request, done(result) if callable(done) else done)
    return result


__all__ = ["flash_outcome", "messages_of", "refuse_on_form"]
