"""Flood protection of the public landing page, in Django's cache: counters per IP and per phone, and a simple
arithmetic challenge after repeated failures. Nothing here stores an IP or a phone in the clear: keys are keyed
hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import cache

#: (limit, window seconds) per kind of counter; a setting may override: PLAZA_AMBASSADORS_LIMITS = {kind: (n, s)}.
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "code_ip": (20, 3600),  # SMS codes asked from one address an hour
    "code_phone": (5, 3600),  # SMS codes sent to one phone an hour
    "submit_ip": (30, 3600),  # leads sent from one address an hour
    "fail_ip": (3, 3600),  # wrong codes from one address before the challenge is asked
}
#: Seconds before another code may be sent to the same phone.
RESEND_SECONDS = 60
#: Leads from one address in 72 hours above which a lead is flagged for review.
FLAG_LEADS_PER_ADDRESS = 5
CHALLENGE_SALT = "plaza.ambassadors.challenge"


def hashed(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), ("amb:" + value).encode(), hashlib.sha256).hexdigest()


def _limit(kind: str) -> tuple[int, int]:
    configured = getattr(settings, "PLAZA_AMBASSADORS_LIMITS", {}) or {}
    limit, window = configured.get(kind, DEFAULT_LIMITS[kind])
    return int(limit), int(window)


def _key(kind: str, who: str) -> str:
    return f"amb:{kind}:{hashed(who)[:32]}"


def count(kind: str, who: str) -> int:
    return int(cache.get(_key(kind, who), 0))


def exceeded(kind: str, who: str) -> bool:
    return count(kind, who) >= _limit(kind)[0]


def hit(kind: str, who: str) -> int:
    """Count one more; returns the new count (the window starts with the first hit)."""
    key = _key(kind, who)
    if cache.add(key, 1, _limit(kind)[1]):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, _limit(kind)[1])
        return 1


def hit_once(key: str, seconds: int = 86400) -> bool:
    """True the first time ``key`` is seen in ``seconds`` (a visit counted once a day per visitor and link)."""
    return bool(cache.add(f"amb:once:{hashed(key)[:32]}", 1, seconds))


def recently_sent(phone_index: str) -> bool:
    return not cache.add(f"amb:resend:{phone_index[:32]}", 1, RESEND_SECONDS)


def needs_challenge(ip: str) -> bool:
    return exceeded("fail_ip", ip)


def new_challenge() -> tuple[str, str]:
    """(the question, a signed token holding its answer)."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    return f"{a} + {b} = ?", signing.dumps(a + b, salt=CHALLENGE_SALT)


def challenge_passed(token: str, answer: str) -> bool:
    try:
        expected = signing.loads(token or "", salt=CHALLENGE_SALT, max_age=900)
    except signing.BadSignature:
        return False
    return (answer or "").strip() == str(expected)
