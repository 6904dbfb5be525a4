from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plaza.lib.sections import mine_links
from plaza.orgs import queries as org_queries
from plaza.orgs.queries import office_links

from . import queries, services
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
    return render(
        request,
        "accounts/profile.html",
        {
            "person": person,
            "memberships": org_queries.memberships_of(person),
            "positions": org_queries.positions_of(person),
            "show_office": bool(office_links(request)),  # only when the office has something they may open
            "mine_links": mine_links(person),  # the union card, the League membership … (apps register them)
            "active_tab": "me",
        },
    )


@login_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    if services.set_language(request.user, language):
        translation.activate(language)
    # ``next`` comes from the form, so anyone can put any address in it: only our own pages are followed.
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("accounts:profile")
    return redirect(target)


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """Personal API tokens: create one (shown once), see when each was last used, revoke."""

    new_token = None
    if request.method == "POST":
        try:
            new_token = services.create_token(request.user, request.POST.get("name", ""))
        except ValidationError as error:
            messages.error(request, error.messages[0])
    return render(
        request,
        "accounts/tokens.html",
        {
            "tokens": queries.tokens_of(request.user),
            "new_token": new_token,
            "active_tab": "me",
        },
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:

    token = queries.active_token(request.user, token_id)
    if token is None:
        raise Http404
    services.revoke_token(request.user, token)
    messages.success(request, _("已停用令牌“%(name)s”。") % {"name": token.name})
    return redirect("accounts:tokens")
