from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from plaza.lib.sections import SECTIONS
from plaza.notify.queries import unread_count


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the mobile shell needs on every page: the sections and the unread count."""
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = unread_count(user)
    return {"plaza_sections": SECTIONS, "plaza_unread": unread}
