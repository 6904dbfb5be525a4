"""HTTP-level protections that hold for every page: nothing personal kept in a cache.

Middleware, so that no view can forget it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers, patch_vary_headers


class NoStoreForPeopleMiddleware:
    """``Cache-Control: no-store, private`` on every response to a signed-in person or an API token.

    Pages and JSON of a signed-in person carry personal data (ID numbers, political status, votes, points);
    a shared proxy or the browser's back-forward cache must not keep them. Static files never reach this
    middleware (WhiteNoise answers them before).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated  # an API token sets request.user too
        if signed_in or "HTTP_AUTHORIZATION" in request.META:
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private, max-age=0
            patch_vary_headers(response, ("Cookie", "Authorization"))
        return response
