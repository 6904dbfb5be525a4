"""Encryption at rest for personal information (PIPL): ID-card and phone numbers.

Values are encrypted with Fernet (AES-128-CBC + HMAC) through ``MultiFernet`` so keys can be rotated:
``PLAZA_FIELD_KEYS`` lists keys newest first; the first one encrypts, every one decrypts. A keyed
HMAC "blind index" of the normalised value lets us find duplicates (same ID card imported twice)
without decrypting every row.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("PLAZA_FIELD_KEYS must list at least one Fernet key.")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.PLAZA_FIELD_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a key was removed before the data was rotated
        raise ImproperlyConfigured("Personal data cannot be decrypted with PLAZA_FIELD_KEYS.") from exc


def blind_index(value: str) -> str:
    """A stable keyed hash of ``value`` for equality look-ups; never reversible."""
    key = hashlib.sha256(("plaza-blind-index:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, value.strip().upper().encode(), hashlib.sha256).hexdigest()


def rotate(token: str) -> str:
    """Re-encrypt ``token`` with the newest key (used by ``manage.py rotate_field_keys``)."""
    return fernet().rotate(token.encode()).decode()


class EncryptedTextField(models.TextField):
    """A text column stored encrypted; Python code only ever sees the plain value.

    Encrypted values cannot be filtered on; use a blind index column for look-ups.
    """

    def from_db_value(self, value, expression, connection):  # noqa: ANN001
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_prep_value(self, value):  # noqa: ANN001
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)


def mask_id_card(value: str) -> str:
    """``310101199001011234`` → ``3101**********1234`` (first four, last four kept)."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """``13812345678`` → ``138****5678``."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
