"""Formatting filters for every page (issue 14 "nothing raw"): ``{% load plaza_format %}``.

``money``: an amount of money always with two decimals (299 → 299.00), so a column never shows "299" beside
"299.00"; empty stays a dash. Amounts of points are whole numbers and do not use it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()

CENT = Decimal("0.01")


@register.filter
def money(value: Any, empty: str = "—") -> str:
    """``{{ amount|money }}``: 299 → "299.00", Decimal("12.5") → "12.50", None or "" → "—" (or ``empty``)."""
    if value is None or value == "":
        return empty
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not amount.is_finite():
        return str(value)
    return f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):.2f}"
