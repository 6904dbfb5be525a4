from datetime import date

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from plaza.accounts.models import Person
from plaza.accounts.validators import id_card_check_digit, id_card_problem, phone_problem
from plaza.lib import crypto
from plaza.testing.factories import PASSWORD, PersonFactory


def _raw(person: Person, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM accounts_person WHERE id = %s", [person.pk])
        return cursor.fetchone()[0]


def test_personal_data_is_encrypted_at_rest(db):
    person = PersonFactory(phone="13812345678", id_card="11010519491231002X")
    assert "13812345678" not in _raw(person, "phone")
    assert "11010519491231002X" not in _raw(person, "id_card")
    fresh = Person.objects.get(pk=person.pk)
    assert (fresh.phone, fresh.id_card) == ("13812345678", "11010519491231002X")


def test_masks():
    assert crypto.mask_id_card("310101199001011234") == "3101**********1234"
    assert crypto.mask_phone("13812345678") == "138****5678"
    assert crypto.mask_phone("") == "" and crypto.mask_id_card("12") == "**"


def test_blind_index_finds_duplicates_without_decrypting(db):
    person = PersonFactory(id_card="11010519491231002x")
    assert person.id_card_index == crypto.blind_index("11010519491231002X")


def test_key_rotation(db, settings):
    person = PersonFactory(phone="13900001111")
    new_key = Fernet.generate_key().decode()
    old_keys = list(settings.PLAZA_FIELD_KEYS)
    with override_settings(PLAZA_FIELD_KEYS=[new_key, *old_keys]):
        call_command("rotate_field_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with override_settings(PLAZA_FIELD_KEYS=[new_key]):
        assert Person.objects.get(pk=person.pk).phone == "13900001111"


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("11010519491231002X", True),
        ("11010519491231002x", True),
        ("110105194912310021", False),
        ("1101051949123100", False),
        ("110105194913310028", False),
        ("abcdefghijklmnopqr", False),
    ],
)
def test_id_card_validation(value, ok):
    assert (id_card_problem(value) is None) is ok


def test_check_digit_round_trip():
    assert id_card_check_digit("11010519491231002") == "X"


@pytest.mark.parametrize(("value", "ok"), [("13812345678", True), ("12812345678", False), ("1381234567", False)])
def test_phone_validation(value, ok):
    assert (phone_problem(value) is None) is ok


def test_login_with_employee_number(client, db):
    PersonFactory(employee_no="10000001")
    response = client.post("/accounts/login/", {"username": "10000001", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"


def test_wrong_password_shows_chinese_error(client, db):
    PersonFactory(employee_no="10000001")
    response = client.post("/accounts/login/", {"username": "10000001", "password": "nope"})
    assert "工号或密码不正确" in response.content.decode()


def test_lockout_after_five_failures(client, db):
    PersonFactory(employee_no="10000001")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "10000001", "password": "nope"})
    response = client.post("/accounts/login/", {"username": "10000001", "password": PASSWORD})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()


def test_language_preference_switches_interface(client, db):
    person = PersonFactory()
    client.force_login(person)
    client.post("/accounts/me/language/", {"language": "en"})
    person.refresh_from_db()
    assert person.language == "en"
    assert 'lang="en"' in client.get("/").content.decode()


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://evil.example/accounts/me/",
        "/\\evil.example/",
        "https:///evil.example/",
        "javascript:alert(1)",
    ],
)
def test_language_switch_never_redirects_off_site(client, db, target):
    """Issue 11 item 11: ``next`` taken from the form must not send the person to another site."""
    client.force_login(PersonFactory())
    response = client.post("/accounts/me/language/", {"language": "en", "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/me/"


def test_language_switch_returns_to_own_page(client, db):
    client.force_login(PersonFactory())
    response = client.post("/accounts/me/language/", {"language": "en", "next": "/points/?tab=mall"})
    assert response["Location"] == "/points/?tab=mall"


def test_profile_masks_own_numbers(client, db):
    person = PersonFactory(phone="13812345678", birth_date=date(1990, 1, 1))
    client.force_login(person)
    body = client.get("/accounts/me/").content.decode()
    assert "138****5678" in body and "13812345678" not in body


def test_tokens_page_creates_shows_once_and_revokes(client, db):
    person = PersonFactory()
    other = PersonFactory()
    client.force_login(person)
    body = client.post("/accounts/me/tokens/", {"name": "报表系统"}).content.decode()
    token = body.split('data-testid="new-token"')[0].rsplit('value="', 1)[1].split('"')[0]
    assert token.startswith("plz_")
    client.logout()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    client.force_login(person)
    assert token not in client.get("/accounts/me/tokens/").content.decode()
    from plaza.accounts.models import ApiToken

    mine = ApiToken.objects.get(person=person)
    client.force_login(other)
    assert client.post(f"/accounts/me/tokens/{mine.pk}/revoke/").status_code == 404
    client.force_login(person)
    client.post(f"/accounts/me/tokens/{mine.pk}/revoke/")
    client.logout()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
