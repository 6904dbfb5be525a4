from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plaza.orgs import queries as org_queries
from plaza.orgs.permissions import Cap, can

from .forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):  # noqa: ANN001, ANN201
        messages.success(self.request, _("密码已修改。"))
        return super().form_valid(form)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    person = request.user
    return render(request, "accounts/profile.html", {
        "person": person,
        "memberships": org_queries.memberships_of(person),
        "positions": org_queries.positions_of(person),
        "show_office": person.is_staff or can(person, Cap.VIEW_PEOPLE),
        "active_tab": "me",
    })


@login_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    if language in {"zh-hans", "en"}:
        request.user.language = language
        request.user.save(update_fields=["language"])
        translation.activate(language)
    return redirect(request.POST.get("next") or "accounts:profile")
