from django.test import override_settings

from plaza.accounts.sso import PlazaOIDCBackend
from plaza.testing.factories import PersonFactory

OIDC = {
    "OIDC_RP_CLIENT_ID": "plaza",
    "OIDC_RP_CLIENT_SECRET": "s",
    "OIDC_OP_TOKEN_ENDPOINT": "http://127.0.0.1/t",
    "OIDC_OP_USER_ENDPOINT": "http://127.0.0.1/u",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "http://127.0.0.1/a",
    "OIDC_EMPLOYEE_NO_CLAIM": "employee_number",
}


@override_settings(**OIDC)
def test_oidc_matches_people_by_employee_number_and_never_creates_them(db):
    person = PersonFactory(employee_no="10000001")
    backend = PlazaOIDCBackend()
    assert list(backend.filter_users_by_claims({"employee_number": "10000001"})) == [person]
    assert not backend.filter_users_by_claims({"employee_number": "99999999"}).exists()
    assert not backend.verify_claims({"email": "x@example.com"})
    assert backend.create_user({"employee_number": "99999999"}) is None


@override_settings(**OIDC)
def test_oidc_refuses_inactive_people(db):
    PersonFactory(employee_no="10000002", is_active=False)
    assert not PlazaOIDCBackend().filter_users_by_claims({"employee_number": "10000002"}).exists()
