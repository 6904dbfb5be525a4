"""A bare view for ``benchmarks/bench_home_roster.py``: the floor a Django request cannot go below.

Mounted only when ``PLAZA_BENCH=1`` (see ``plaza/urls.py``); it touches no database and no session.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
