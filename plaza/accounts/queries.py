"""Reads about people's own accounts shared by pages and the API (writes are in ``services.py``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import ApiToken


def tokens_of(person: Any) -> QuerySet[ApiToken]:
    """The person's own API tokens, newest first (only ever one's own: tokens are personal)."""
    return ApiToken.objects.filter(person=person).order_by("-created_at")


def active_token(person: Any, token_id: int) -> ApiToken | None:
    """One of the person's own tokens that is still in use, or None."""
    return ApiToken.objects.filter(pk=token_id, person=person, revoked_at__isnull=True).first()
