"""Outsiders (a dealer's sales staff) open only what is given to them (``plaza.lib.sections.register_outsiders``).

Every other page — the enterprise's sections 学习/党务/服务/互动, its news, its people, the back office — answers
403 with the reason on the friendly error page (JSON for the API), whatever the page itself would allow: a page
open to every signed-in employee is still not for someone from outside the enterprise (design.md: dealer sales
staff "follow up the 通星汇 leads assigned to their dealership, and nothing else")."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from plaza.lib.sections import may_open, session_outsider


class OutsiderMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not may_open(session_outsider(request), request.path):
            reason = _("您的账号只用于经销商线索跟进，不能打开企业内部的这个页面。")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": reason}, status=403)
            return render(request, "403.html", {"exception": reason, "outsider": True}, status=403)
        return self.get_response(request)
