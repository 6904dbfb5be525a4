from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plaza.audit.services import record
from plaza.core import clock
from plaza.core.views import office_links
from plaza.orgs import queries as org_queries

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
            "active_tab": "me",
        },
    )


@login_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    if language in {"zh-hans", "en"}:
        request.user.language = language
        request.user.save(update_fields=["language"])
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
    from plaza.api.auth import issue_token

    from .models import ApiToken

    new_token = None
    if request.method == "POST":
        name = request.POST.get("name", "").strip()[:64]
        if not name:
            messages.error(request, _("请为令牌起一个名称，例如“手机”或“报表系统”。"))
        else:
            new_token = issue_token(request.user, name)
            record(request.user, "accounts.token_create", request.user, after={"name": name})
    return render(
        request,
        "accounts/tokens.html",
        {
            "tokens": ApiToken.objects.filter(person=request.user).order_by("-created_at"),
            "new_token": new_token,
            "active_tab": "me",
        },
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    from django.shortcuts import get_object_or_404

    from .models import ApiToken

    token = get_object_or_404(ApiToken, pk=token_id, person=request.user, revoked_at__isnull=True)
    token.revoked_at = clock.now()
    token.save(update_fields=["revoked_at"])
    record(request.user, "accounts.token_revoke", request.user, after={"name": token.name})
    messages.success(request, _("已停用令牌“%(name)s”。") % {"name": token.name})
    return redirect("accounts:tokens")
