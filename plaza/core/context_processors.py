from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from plaza.core.office_nav import side_nav
from plaza.lib.sections import SECTIONS, functions_for, session_outsider
from plaza.notify.queries import unread_count


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the mobile shell needs on every page: the sections and the unread count."""
    user = getattr(request, "user", None)
    unread = 0
    sections = SECTIONS
    outsider = False
    if user is not None and user.is_authenticated:
        unread = unread_count(user)
        outsider = session_outsider(request) is not None
        if outsider:  # a dealer's staff: only the sections holding their functions
            sections = {key: label for key, label in SECTIONS.items() if functions_for(key, user)}
    # the desktop back office's side navigation (issue 14): a callable, so a template that never shows it (or a
    # member's page, where it is empty) costs nothing; worked out once where base.html asks for it
    return {
        "plaza_sections": sections,
        "plaza_outsider": outsider,
        "plaza_unread": unread,
        "plaza_office_nav": lambda: side_nav(request),
    }
