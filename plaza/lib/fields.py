"""Form fields shared by the apps."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from .params import MAX_DATE, MIN_DATE


def _message() -> str:
    return _("日期应在 %(low)s 年到 %(high)s 年之间。") % {"low": MIN_DATE.year, "high": MAX_DATE.year}


def _bounds(low: Any, high: Any) -> list:
    message = lazy(_message, str)()  # in the language of the request, not of the import
    return [MinValueValidator(low, message=message), MaxValueValidator(high, message=message)]


class DateField(forms.DateField):
    """A date someone can mean: 1900–2100. Django takes 0001-01-01 and 9999-12-31, and the procedures' date
    arithmetic (a deadline a year later, the day before) then overflows into a 500; a typo is refused instead,
    with the reason, like any other invalid value."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.validators.extend(_bounds(MIN_DATE, MAX_DATE))


class DateTimeField(forms.DateTimeField):
    """A time someone can mean, within the same years as :class:`DateField`."""

    def to_python(self, value: Any) -> datetime | None:
        parsed = super().to_python(value)
        if parsed is not None and not MIN_DATE <= parsed.date() <= MAX_DATE:
            raise forms.ValidationError(_message(), code="out_of_range")
        return parsed


__all__ = ["DateField", "DateTimeField"]
