"""``{% icon "name" %}``: a Lucide icon inline (plaza.lib.icons), read once per process and cached."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from plaza.lib.icons import svg
from plaza.lib.sections import SECTION_ICONS

register = template.Library()


@register.simple_tag
def icon(name: str, css_class: str = "icon-svg", label: str = "") -> SafeString:
    """``{% icon "house" %}``, ``{% icon f.icon "tile-icon" %}``; ``label="…"`` when the icon alone carries
    meaning (otherwise it is hidden from screen readers: the text beside it says it)."""
    return svg(str(name), css_class, str(label))


@register.simple_tag
def section_icon(key: str, css_class: str = "icon-svg") -> SafeString:
    """A section's icon in the tab bar, as its registry declares it (plaza.lib.sections.SECTION_ICONS)."""
    return svg(SECTION_ICONS.get(str(key), "house"), css_class, "")
