"""Schemas shared by every router."""

import re
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from annotated_types import Ge, Le
from django.http import Http404
from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, ModelWrapValidatorHandler, model_validator


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


T = TypeVar("T")


def found_or_404(found: T | None) -> T:
    """What a query found for the caller, or the API's 404 (queries return None for "not there or not yours";
    the services' refusals are ValidationError / PermissionDenied, which the API answers as 400 / 403)."""
    if found is None:
        raise Http404
    return found


def _not_bool(value: Any) -> Any:
    """JSON true/false are not numbers (pydantic's lax mode would read them as 1/0)."""
    if isinstance(value, bool):
        raise ValueError("应为整数，不能是 true/false")
    return value


#: A whole number in a request body (2.0 is accepted, true is not); bounds go on the field.
BodyInt = Annotated[int, BeforeValidator(_not_bool)]
#: A database id in a request body: a positive 64-bit integer (2028.0 is accepted, true is not).
BodyId = Annotated[int, Ge(1), Le(2**62), BeforeValidator(_not_bool)]


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class BodyIn(Schema):
    """A request body, validated by its schema and nothing looser (issue 11 item 9).

    ninja's Schema reads its input by attribute, so a JSON array or a number was taken for an object whose
    every field has its default (``[null, null]`` sent to redeem ordered one item). A body must be a JSON
    object with only the documented fields; text may not contain NUL (PostgreSQL cannot store it).
    """

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="wrap")
    @classmethod
    def _a_json_object(cls, value: Any, handler: ModelWrapValidatorHandler) -> Any:
        if value is None or isinstance(value, list | tuple | str | bytes | int | float | bool):
            raise ValueError("请求体应为 JSON 对象")
        if isinstance(value, dict) and _has_nul(value):
            raise ValueError("文本中不能含有 NUL 字符")
        return handler(value)


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}")  # the rest is pydantic's to read


def _iso_date(value: Any) -> Any:
    """Only ``YYYY-MM-DD`` text (what the schema's ``format: date`` says): pydantic would read 0 or "0" as
    1970-01-01, a Unix timestamp. Any real date is accepted; what a day far away means is the endpoint's rule."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("应为日期，格式 YYYY-MM-DD")
    return value


def _iso_datetime(value: Any) -> Any:
    """Only ISO 8601 text (``format: date-time``): no Unix timestamps (0 is not 1970-01-01 00:00)."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATETIME.match(value):
        raise ValueError("应为 ISO 8601 时间，例如 2026-03-01T09:30:00+08:00")
    return value


#: A date in a query or a body: ``YYYY-MM-DD`` text, never a number.
StrictDate = Annotated[date, BeforeValidator(_iso_date)]
#: A time in a body: ISO 8601 text, never a number.
StrictDateTime = Annotated[datetime, BeforeValidator(_iso_datetime)]
