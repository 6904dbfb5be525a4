"""Schemas shared by every router."""

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[dict[str, Any]] = []


#: The error answers every authenticated endpoint may give, documented in the schema.
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def responses(ok: Any, status: int = 200) -> dict[int, Any]:
    """``response=`` for an endpoint: its success schema plus the documented errors."""
    return {status: ok, **ERRORS}
