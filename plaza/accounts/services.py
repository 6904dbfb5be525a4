"""Writes about one's own account: personal API tokens and the interface language.

Views call these and only render; each write is audited (``plaza.audit.services.record``). Password changes go
through Django's own form (``accounts.views.PasswordChangeView``); message preferences are notify's
(``plaza.notify.services.set_preferences``).
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock

from .models import ApiToken

LANGUAGES = ("zh-hans", "en")
TOKEN_NAME_LENGTH = 64


def digest(token: str) -> str:
    """What is kept of a token: its SHA-256, so a copy of the database does not hold usable tokens."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(person: Any, name: str) -> str:
    """Create a token and return it; only its digest is kept, so this is the one time it is shown."""
    token = "plz_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(person=person, name=name, digest=digest(token), prefix=token[4:12])
    return token


@transaction.atomic
def create_token(person: Any, name: str) -> str:
    """A new personal API token for ``person`` (returned once). Refused without a name."""
    name = (name or "").strip()[:TOKEN_NAME_LENGTH]
    if not name:
        raise ValidationError(_("请为令牌起一个名称，例如“手机”或“报表系统”。"))
    token = issue_token(person, name)
    record(person, actions.ACCOUNTS_TOKEN_CREATE, person, after={"name": name})
    return token


@transaction.atomic
def revoke_token(person: Any, token: ApiToken) -> ApiToken:
    """Stop one of ``person``'s own tokens from working; someone else's is refused."""
    if token.person_id != person.pk:
        raise ValidationError(_("只能停用自己的令牌。"))
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        record(person, actions.ACCOUNTS_TOKEN_REVOKE, person, after={"name": token.name})
    return token


def set_language(person: Any, language: str) -> bool:
    """Keep ``person``'s interface language (Chinese or English); False for any other value (nothing changes)."""
    if language not in LANGUAGES:
        return False
    if person.language != language:
        before = person.language
        person.language = language
        person.save(update_fields=["language"])
        record(person, actions.ACCOUNTS_LANGUAGE, person, before={"language": before}, after={"language": language})
    return True
