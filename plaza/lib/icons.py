"""Icons: Lucide SVGs (npm ``lucide-static``, self-hosted in build/vendor/icons/ by scripts/build_assets.py) put
inline in the page, so they take the text colour, need no extra request and no script (the CSP allows no inline
script; inline SVG is markup, not script).

A function's icon is named with the function where its app registers it (:mod:`plaza.lib.sections`), so it no
longer depends on the order a template happens to loop in.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_NAME = re.compile(r"^[a-z0-9-]{1,64}$")
_OPEN_TAG = re.compile(r"^<svg\b[^>]*>")


class MissingIcon(LookupError):
    """An icon named in code or a template that build_assets did not copy (not in assets/icons.txt)."""


def _read(name: str) -> str | None:
    relative = f"vendor/icons/{name}.svg"
    path = finders.find(relative)
    if path is None and settings.STATIC_ROOT:
        try:
            path = staticfiles_storage.path(relative)
        except NotImplementedError:  # storage without local files
            return None
    try:
        with open(path, encoding="utf-8") as handle:  # type: ignore[arg-type]
            return handle.read()
    except (OSError, TypeError):
        return None


@lru_cache(maxsize=256)
def svg(name: str, css_class: str = "icon-svg", label: str = "") -> SafeString:
    """The icon's ``<svg>`` with our class; hidden from screen readers unless ``label`` names it.

    A missing icon is an error under DEBUG and draws nothing otherwise (a page without one icon beats a 500);
    plaza/core/tests/test_icons.py checks every icon named in code and templates is listed and built."""
    text = _read(name) if _NAME.match(name) else None
    if text is None:
        if settings.DEBUG:
            raise MissingIcon(f"icon {name!r} is not in build/vendor/icons (assets/icons.txt, build_assets.py)")
        return mark_safe("")
    a11y = f'role="img" aria-label="{escape(label)}"' if label else 'aria-hidden="true"'
    opening = f'<svg class="{escape(css_class)} icon-{name}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" focusable="false" {a11y}>'  # noqa: E501
    return mark_safe(_OPEN_TAG.sub(opening, text.strip(), count=1))  # noqa: S308 - our own vendored file


__all__ = ["MissingIcon", "svg"]
