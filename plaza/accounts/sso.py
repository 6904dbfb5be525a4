"""Single sign-on. OIDC (mozilla-django-oidc) matches the identity provider's employee-number claim to a
Person; it never creates accounts (people come from the HR import), so an unknown employee is refused.
LDAP (django-auth-ldap) is configured entirely by settings; see docs/production.md."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class PlazaOIDCBackend(OIDCAuthenticationBackend):
    def _employee_no(self, claims: dict[str, Any]) -> str:
        return str(claims.get(getattr(settings, "OIDC_EMPLOYEE_NO_CLAIM", "employee_number"), "")).strip()

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(self._employee_no(claims))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet:
        employee_no = self._employee_no(claims)
        if not employee_no:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(employee_no=employee_no, is_active=True)

    def create_user(self, claims: dict[str, Any]) -> None:
        """Accounts are not created by signing in: refuse people Plaza does not know."""
        return None

    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        email = claims.get("email", "")
        if email and email != user.email:
            user.email = email
            user.save(update_fields=["email"])
        return user
