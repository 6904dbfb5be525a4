"""The API's answer to a request whose form is right but which the data refuses: 409 with the reason.

A body the schema accepts can still be refused for what is in the database or in the calendar (a category that
was switched off, a date after today, an item not yet answered, a person who is not a union member). That is not
a malformed request (400/422: the schema says what would have been right), so the API answers 409 Conflict with
the service's reason (429 when a posting limit is full), and the route declares it
(``response={**responses(Out), **DATA_REFUSALS}``): a client reading the OpenAPI schema knows the answer and its
JSON, and the schema-driven tests (schemathesis) can tell a refusal by the data from a request the schema should
have refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from ninja.errors import HttpError

from .schemas import ErrorOut

#: The status of a refusal by the data, and of one by a posting limit (plaza.lib.ratelimit's ``rate_limited``).
CONFLICT = 409
TOO_MANY = 429
#: ``response=`` entries for a route whose refusals depend on the data.
DATA_REFUSALS: dict[int, Any] = {CONFLICT: ErrorOut, TOO_MANY: ErrorOut}


@contextmanager
def refused_by_data() -> Iterator[None]:
    """A service's ValidationError inside the block becomes the API's 409 (429 for a posting limit) with the
    service's reasons."""
    try:
        yield
    except ValidationError as exc:
        limited = any(error.code == "rate_limited" for error in exc.error_list) if hasattr(exc, "error_list") else False
        raise HttpError(TOO_MANY if limited else CONFLICT, "；".join(exc.messages)) from exc


__all__ = ["CONFLICT", "DATA_REFUSALS", "TOO_MANY", "refused_by_data"]
