import pytest

from plaza.api.auth import issue_token
from plaza.audit.models import AuditEntry
from plaza.testing.factories import PersonFactory


def test_openapi_schema_is_served(client, db):
    client.force_login(PersonFactory())  # the schema and its docs are for signed-in people and tokens
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"].startswith("Plaza")
    assert "/api/v1/people" in schema["paths"]


def test_anonymous_gets_401_with_a_clear_message(client, db):
    response = client.get("/api/v1/people")
    assert response.status_code == 401
    assert "登录" in response.json()["detail"]


def test_token_authentication(world, client):
    token = issue_token(world.secretary_a, "手机")
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    body = response.json()
    assert body["employee_no"] == "A0001" and "people.view" in body["capabilities"]
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer plz_wrong").status_code == 401


def test_revoked_token_is_refused(world, client):
    from django.utils import timezone

    from plaza.accounts.models import ApiToken

    token = issue_token(world.secretary_a, "旧手机")
    ApiToken.objects.update(revoked_at=timezone.now())
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_roster_is_masked_and_scoped(world, client):
    client.force_login(world.secretary_a)
    rows = client.get("/api/v1/people").json()["items"]
    assert {r["employee_no"] for r in rows} == {"A0001", "A0002", "A0003"}
    member = next(r for r in rows if r["employee_no"] == "A0002")
    assert "*" in member["id_card_masked"] and "*" in member["phone_masked"]
    assert world.member_a.id_card not in str(rows) and world.member_a.phone not in str(rows)


def test_roster_filters(world, client):
    client.force_login(world.staff)
    rows = client.get("/api/v1/people", {"status": "probationary"}).json()["items"]
    assert [r["employee_no"] for r in rows] == ["B0002"]
    rows = client.get("/api/v1/people", {"organisation_id": world.branch_a.pk, "q": "张"}).json()["items"]
    assert [r["employee_no"] for r in rows] == ["A0002"]


@pytest.mark.parametrize(
    "params",
    [{"status": "nonsense"}, {"organisation_id": "x"}, {"organisation_id": -1}, {"page": "abc"}, {"q": "x" * 500}],
)
def test_bad_input_is_4xx_not_500(world, client, params):
    client.force_login(world.staff)
    assert 400 <= client.get("/api/v1/people", params).status_code < 500


def test_reveal_needs_purpose_and_is_audited(world, client):
    client.force_login(world.secretary_a)
    url = f"/api/v1/people/{world.member_a.pk}/reveal"
    assert client.post(url, {}, content_type="application/json").status_code == 422
    response = client.post(url, {"purpose": "政治审查"}, content_type="application/json")
    assert response.json()["id_card"] == world.member_a.id_card
    assert AuditEntry.objects.filter(action="people.reveal", reason="政治审查").count() == 1


def test_session_post_needs_csrf(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.secretary_a)
    response = client.post(
        f"/api/v1/people/{world.member_a.pk}/reveal", {"purpose": "政治审查"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_schema_names_are_unique_across_the_apis():
    """django-ninja names an OpenAPI component after its class and silently keeps only one of two classes with
    the same name, so a second ``MeOut`` in another app would describe ``/me`` wrongly."""
    import importlib

    from ninja import Schema

    from plaza.api.api import api

    api.get_openapi_schema()  # imports every router
    for name in ("orgs", "notify", "recruitment", "meetings", "dues", "points", "learning", "booking", "assistant"):
        importlib.import_module(f"plaza.{name}.api")

    def subclasses(cls: type) -> list[type]:
        return [sub for direct in cls.__subclasses__() for sub in (direct, *subclasses(direct))]

    ours = [cls for cls in subclasses(Schema) if cls.__module__.startswith("plaza.")]
    seen: dict[str, str] = {}
    for cls in ours:
        where = f"{cls.__module__}.{cls.__qualname__}"
        assert seen.setdefault(cls.__name__, where) == where, f"{where} and {seen[cls.__name__]} share a name"
