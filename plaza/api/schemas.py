"""Schemas shared by every router."""

from typing import Annotated, Any

from annotated_types import Ge, Le
from ninja import Schema
from pydantic import BeforeValidator


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


def _not_bool(value: Any) -> Any:
    """JSON true/false are not numbers (pydantic's lax mode would read them as 1/0)."""
    if isinstance(value, bool):
        raise ValueError("应为整数，不能是 true/false")
    return value


#: A whole number in a request body (2.0 is accepted, true is not); bounds go on the field.
BodyInt = Annotated[int, BeforeValidator(_not_bool)]
#: A database id in a request body: a positive 64-bit integer (2028.0 is accepted, true is not).
BodyId = Annotated[int, Ge(1), Le(2**62), BeforeValidator(_not_bool)]
