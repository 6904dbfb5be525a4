"""API authentication: the browser session (with CSRF) or a personal token (``Authorization: Bearer``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from plaza.accounts.models import ApiToken
from plaza.accounts.services import digest, issue_token
from plaza.lib import clock
from plaza.lib.sections import may_open, outsider_prefixes

__all__ = ["SessionAuth", "TokenAuth", "digest", "issue_token"]  # tokens are made by plaza.accounts.services


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("person")
            .filter(digest=digest(token), revoked_at__isnull=True, person__is_active=True)
            .first()
        )
        if found is None:
            return None
        if not may_open(outsider_prefixes(found.person), request.path):  # a dealer's staff: their own API only
            raise HttpError(403, _("您的账号只用于经销商线索跟进，不能打开企业内部的这个页面。"))
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=clock.now())
        request.user = found.person
        return found.person


class SessionAuth(NinjaSessionAuth):
    """The Django session; unsafe methods also need the CSRF token, as for any page."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None
