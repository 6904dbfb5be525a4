"""The JSON API (django-ninja), over the same services and queries as the pages, scoped the same way.

Its OpenAPI schema is served at ``/api/v1/openapi.json`` and browsable at ``/api/v1/docs`` (Swagger UI, self-hosted),
both to a signed-in person or a valid token only.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from plaza.activities.api import router as activities_router
from plaza.ambassadors.api import router as ambassadors_router
from plaza.assistant.api import router as assistant_router
from plaza.booking.api import router as booking_router
from plaza.dues.api import router as dues_router
from plaza.league.api import router as league_router
from plaza.learning.api import router as learning_router
from plaza.meetings.api import router as meetings_router
from plaza.notify.api import router as notify_router
from plaza.orgs.api import router as orgs_router
from plaza.points.api import router as points_router
from plaza.quiz.api import router as quiz_router
from plaza.recruitment.api import router as recruitment_router
from plaza.retreats.api import router as retreats_router
from plaza.space.api import router as space_router
from plaza.studios.api import router as studios_router
from plaza.union.api import router as union_router
from plaza.vanguard.api import router as vanguard_router
from plaza.voice.api import router as voice_router

from .auth import SessionAuth, TokenAuth


class SelfHostedSwagger(Swagger):
    """Swagger UI from our own /static/vendor/ (npm ``swagger-ui-dist``, copied by scripts/build_assets.py).

    django-ninja falls back to a public CDN when ``ninja`` is not an installed app; an intranet cannot reach
    it, and our Content-Security-Policy allows scripts only from our own origin.
    """

    template = "api/swagger.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": self.settings, "api": api, "add_csrf": True}
        return render(request, self.template, context)


def signed_in_or_token(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The docs page and the schema are for people who may use the API: a session, or a valid personal token.

    The page sends a browser to the login page; the schema answers a client 401, as every endpoint does.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated or TokenAuth()(request) is not None:
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            return JsonResponse({"detail": "请先登录，或提供有效的令牌。"}, status=401)
        return redirect_to_login(request.get_full_path())

    return wrapped


api = NinjaAPI(
    title="Plaza 党群服务广场 API",
    version="1",
    description="党群服务广场的 JSON 接口：与页面使用相同的服务与权限范围。认证：会话 Cookie 或个人令牌 (Bearer)。",
    auth=[TokenAuth(), SessionAuth(csrf=True)],
    urls_namespace="api",
    docs=SelfHostedSwagger(),
    docs_decorator=signed_in_or_token,
)


def _error(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return api.create_response(request, {"detail": message}, status=status)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, str(exc) or "您没有权限执行此操作。", 403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, "未找到，或不在您的权限范围内。", 404)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _error(request, "；".join(exc.messages), 400)


@api.exception_handler(NinjaValidationError)
def invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": "请求参数不正确。", "errors": exc.errors}, status=422)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, "请先登录，或提供有效的令牌。", 401)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, str(exc), exc.status_code)


def _register_routers() -> None:

    api.add_router("/", orgs_router)
    api.add_router("/recruitment", recruitment_router)
    api.add_router("/meetings", meetings_router)
    api.add_router("/dues", dues_router)
    api.add_router("/notify", notify_router)
    api.add_router("/points", points_router)
    api.add_router("/learning", learning_router)
    api.add_router("/booking", booking_router)
    api.add_router("/assistant", assistant_router)
    api.add_router("/quiz", quiz_router)
    api.add_router("/voice", voice_router)
    api.add_router("/space", space_router)
    api.add_router("/activities", activities_router)
    api.add_router("/ambassadors", ambassadors_router)
    api.add_router("/union", union_router)
    api.add_router("/league", league_router)
    api.add_router("/vanguard", vanguard_router)
    api.add_router("/studios", studios_router)
    api.add_router("/retreats", retreats_router)


_register_routers()
