from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from plaza.lib.params import MAX_ID, BadParameter


class PersonLanguageMiddleware:
    """Chinese for everyone unless a signed-in person chose English in 我的.

    The browser's Accept-Language is deliberately not consulted: phones set to English in a Chinese enterprise
    should still see the Chinese the organisation works in, until the person asks otherwise.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class HostileInputMiddleware:
    """What nobody types by accident is refused before a view sees it, with the reason, never a 500.

    - a query parameter or a posted form value containing a NUL character: PostgreSQL cannot store or compare
      it (400);
    - a path id (``<int:pk>``) beyond :data:`plaza.lib.params.MAX_ID`: no row can have it, and the databases
      cannot even compare it (404, as for any id that does not exist);
    - :class:`plaza.lib.params.BadParameter` raised by a view: the parameter's reason (400).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request.GET):
            return _bad_request(request, _("请求参数中含有不允许的字符。"))
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> HttpResponse | None:

        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ID:
                raise Http404
        # A CSRF-exempt view (the dealers' webhook) reads its raw body: parsing a multipart POST here would consume
        # the stream and make request.body raise (a 500 for anyone posting a form to it).
        reads_raw_body = getattr(view, "csrf_exempt", False)
        if (
            request.method == "POST"
            and request.content_type in _FORMS
            and not reads_raw_body
            and _has_nul(request.POST)
        ):
            # Forms refuse NUL themselves; this covers the few values views read from request.POST directly.
            return _bad_request(request, _("提交的内容中含有不允许的字符。"))
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:

        if isinstance(exception, BadParameter):
            return _bad_request(request, str(exception))
        return None


_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(data: Any) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())


def _bad_request(request: HttpRequest, reason: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": reason}, status=400)
    return render(request, "core/bad_request.html", {"reason": reason}, status=400)
