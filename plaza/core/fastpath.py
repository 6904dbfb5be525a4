"""通星汇's landing page answered in front of Django's stack when its cached copy is warm (issue 17: ≥ 300 requests/s).

The landing page takes the traffic of every shared link and poster, almost all of it prospects who are not signed
in. Its view already answers them from a copy rendered once per share code (``ambassadors.views``); what a request
still cost was Django's ASGI handler around it: a thread made per request for the request's sync work
(``ThreadSensitiveContext``), a hop between the event loop and that thread for each async-capable middleware, the
request signals, and eighteen middleware, most of which have nothing to do for a visitor without a session.

:class:`LandingFastPath` wraps the Django ASGI application (``plaza/asgi.py``). A request that the view would
answer from the cached copy — ``GET`` of a share link, no query string, no session or messages cookie, no
``Authorization`` header, a code we made, the copy cached — is answered here by the same functions the view uses
(:func:`plaza.ambassadors.views.answer_from_copy`: the visitor's CSRF token put in, a new visitor counted once
and given the visitor cookie) inside the response-side middleware of ``settings.MIDDLEWARE`` that act on such a
request (:data:`MIDDLEWARE`: security headers, CSP, compression, the host check, the CSRF cookie, the language,
framing), in their configured order. Everything else, and anything that goes wrong here, goes to Django as before
(a cold copy is rendered by the view, which caches it for the next visitor).

Where the cache lives in this process and visits are queued (the embedded server: LocMem cache, in-process
scheduler) the answer is made in the event loop itself, with no thread at all. Elsewhere (Redis cache, visits
written at once) it is made in one trip to a worker thread, with the database connections closed as Django's
request signals would. ``PLAZA_FAST_LANDING=false`` turns the fast path off (the benchmark compares both).
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import SuspiciousOperation
from django.core.handlers.asgi import ASGIHandler, ASGIRequest
from django.db import close_old_connections
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils import translation
from django.utils.module_loading import import_string

from plaza.ambassadors import links, views, visits

log = logging.getLogger(__name__)

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[Mapping[str, Any]], Awaitable[None]]

#: The middleware of ``settings.MIDDLEWARE`` that act on a landing page answered from its copy, run here in the
#: order settings give them. The others have nothing to do for it: static files and media (other paths), the
#: session and messages (the request has neither cookie), authentication, outsiders and no-store (nobody signed
#: in, no token), the request size and hostile input (a GET without query string or body), htmx, axes (login).
MIDDLEWARE = frozenset(
    {
        "django.middleware.security.SecurityMiddleware",
        "csp.middleware.CSPMiddleware",
        "django.middleware.gzip.GZipMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "plaza.core.middleware.PersonLanguageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "plaza.lib.http.PreloadMiddleware",
    }
)

_CODE = re.compile(r"[A-Za-z0-9]{1,32}")


class _Cold(Exception):
    """No cached copy (or none to answer from): Django's stack answers."""


def _chain(view: Callable[[HttpRequest], HttpResponseBase]) -> Callable[[HttpRequest], HttpResponseBase]:
    handler = view
    for path in reversed([m for m in settings.MIDDLEWARE if m in MIDDLEWARE]):
        handler = import_string(path)(handler)
    return handler


class LandingFastPath:
    """ASGI middleware: the warm landing page answered here, every other request passed to ``app``."""

    def __init__(self, app: ASGIHandler) -> None:
        self.app = app
        self._prefix = ""
        self._handler: Callable[[HttpRequest], HttpResponseBase] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        code = self._code(scope) if scope["type"] == "http" else None
        if code is not None:
            response = None
            try:
                if inline():
                    response = self.answer(scope, code)
                else:
                    response = await sync_to_async(self._answer_in_thread, thread_sensitive=False)(scope, code)
            except (_Cold, SuspiciousOperation):  # e.g. a host not allowed: Django answers (400) and logs it
                pass
            except Exception:  # noqa: BLE001 - Django answers instead (and reports what it finds wrong)
                log.exception("landing page fast path failed; Django's stack answers")
            if response is not None:
                await self.app.send_response(response, send)
                return
        await self.app(scope, receive, send)

    def _code(self, scope: Scope) -> str | None:
        """The share code when this request is one the fast path may answer, else None."""
        if scope["method"] != "GET" or scope.get("query_string") or scope.get("root_path"):
            return None
        if not settings.PLAZA_FAST_LANDING:
            return None
        if not self._prefix:
            self._prefix = reverse("ambassadors:landing", args=["x"])[:-2]  # "/ambassadors/s/"
        path = scope["path"]
        if not (path.startswith(self._prefix) and path.endswith("/")):
            return None
        code = path[len(self._prefix) : -1]
        if not _CODE.fullmatch(code) or links.decode(code) is None:
            return None
        for name, _value in scope["headers"]:
            if name == b"authorization":
                return None
        return code

    def answer(self, scope: Scope, code: str) -> HttpResponseBase:
        """The response from the cached copy (raises :class:`_Cold` when Django's stack must answer)."""
        request = ASGIRequest(scope, io.BytesIO())
        if not views.first_visit(request):  # a session or messages: the view renders the page for them
            raise _Cold
        if self._handler is None:
            self._handler = _chain(_from_copy)
        request.landing_code = code  # type: ignore[attr-defined]
        try:
            return self._handler(request)
        finally:
            translation.deactivate()

    def _answer_in_thread(self, scope: Scope, code: str) -> HttpResponseBase:
        close_old_connections()  # what Django's request_started and request_finished do around a request
        try:
            return self.answer(scope, code)
        finally:
            close_old_connections()


def _from_copy(request: HttpRequest) -> HttpResponseBase:
    code = request.landing_code  # type: ignore[attr-defined]
    cached = views.cached_copy(request, code)
    if not cached:
        raise _Cold
    return views.answer_from_copy(request, code, cached)


def inline() -> bool:
    """Whether the answer needs no I/O (cache in this process, visits queued) and is made in the event loop."""
    return visits.batched() and isinstance(caches["default"], (LocMemCache, DummyCache))
