"""``{% load points_format %}``: a points ledger source by its label (``{{ row.source_type|points_source }}``)."""

from __future__ import annotations

from django import template

from plaza.points.services import source_label

register = template.Library()


@register.filter
def points_source(source_type: str) -> str:
    return source_label(source_type or "")
