from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from plaza.core.office_nav import side_nav
from plaza.lib.sections import SECTIONS
from plaza.notify.queries import unread_count


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the mobile shell needs on every page: the sections and the unread count."""
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = unread_count(user)
    # the desktop back office's side navigation (issue 14): a callable, so a template that never shows it (or a
    # member's page, where it is empty) costs nothing; worked out once where base.html asks for it
    return {"plaza_sections": SECTIONS, "plaza_unread": unread, "plaza_office_nav": lambda: side_nav(request)}
