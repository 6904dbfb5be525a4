"""QR codes as pictures of their own (``<img src=…>``): an SVG document, namespace and all.

``segno``'s ``svg_inline()`` leaves out ``xmlns`` because markup placed inside an HTML page needs none; served on its
own as ``image/svg+xml`` such a picture is not SVG to the browser, and an ``<img>`` shows it broken (the union
card's and the booking's check-in codes were). Pages that put a code in their own markup keep ``svg_inline()``.
"""

from __future__ import annotations

import io

import segno
from django.http import HttpResponse


def svg_response(text: str, *, scale: int = 6, border: int = 2, private: bool = False) -> HttpResponse:
    """The QR code of ``text`` as an SVG picture; ``private``: never kept by a cache (a member's own card)."""
    picture = io.BytesIO()
    segno.make(text, error="m").save(picture, kind="svg", scale=scale, border=border, xmldecl=False)
    headers = {"Cache-Control": "private, no-store"} if private else {}
    return HttpResponse(picture.getvalue(), content_type="image/svg+xml", headers=headers)
