"""Share codes: a short sqids code over (ambassador id, product id, campaign id or 0) — no personal data in a
URL, nothing a prospect could read a name or phone from. The alphabet is shuffled by the secret key so codes
are not guessable by counting ids (sqids is an encoding, not encryption: a code names a link, it grants
nothing)."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from sqids import Sqids

_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@lru_cache(maxsize=2)
def _coder(secret: str) -> Sqids:
    letters = list(_ALPHABET)
    random.Random(hashlib.sha256(("plaza-share:" + secret).encode()).digest()).shuffle(letters)
    return Sqids(alphabet="".join(letters), min_length=6)


@dataclass(frozen=True)
class Link:
    """What a share code names."""

    ambassador_id: int
    product_id: int
    campaign_id: int | None


def encode(ambassador_id: int, product_id: int, campaign_id: int | None = None) -> str:
    return _coder(settings.SECRET_KEY).encode([ambassador_id, product_id, campaign_id or 0])


def decode(code: str) -> Link | None:
    """The link a code names, or None for anything that is not a code we made (never an exception). Remembered
    for the most recent codes: the landing page asks on every visit, and sqids shuffles its alphabet each time."""
    if not code or len(code) > 32:
        return None
    return _decode(settings.SECRET_KEY, code)


@lru_cache(maxsize=4096)
def _decode(secret: str, code: str) -> Link | None:
    coder = _coder(secret)
    try:
        numbers = coder.decode(code)
    except Exception:  # noqa: BLE001 - a hostile code is simply not found
        return None
    if len(numbers) != 3 or coder.encode(numbers) != code or not numbers[0] or not numbers[1]:
        return None
    return Link(numbers[0], numbers[1], numbers[2] or None)
