"""Sealed envelopes for secret ballots (换届选举 phone ballots, 民主评议 测评表) while a vote is open.

A ballot cannot be written as a readable row in its voter's transaction: on PostgreSQL that row's ``xmin`` is the
voter record's, its ``ctid`` follows the order of voting, and on SQLite its rowid does too. So while voting is
open each ballot is stored *sealed* — encrypted with AES-256-GCM under a key of its own election — and only when
voting closes are the sealed ballots opened, put in random order and written as plain rows in one transaction
(see ``docs/secret-ballots.md``).

* The election's key is random, made when voting opens, and kept in the database only *wrapped* with
  ``PLAZA_FIELD_KEYS`` (the keys that protect ID numbers, which live in the environment, never in the database or
  its backups). It is erased when voting closes.
* Every sealed ballot of an election has the same length: the plain text is padded to ``size`` bytes, a bound the
  caller computes from the election (candidates, seats), so the length of a ciphertext says nothing about its
  content. GCM with a random nonce carries no timestamp (Fernet would: its tokens start with the time).
* ``context`` (e.g. ``"elections.ballot:42"``) is authenticated with the ciphertext, so a sealed ballot cannot be
  moved to another election.
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from plaza.lib import crypto

NONCE_BYTES = 12


class SealBroken(Exception):
    """A sealed ballot cannot be opened: the key is gone or the ciphertext was changed."""


def new_key() -> str:
    """A fresh random key for one election, returned wrapped with the field keys (safe to store in a row)."""
    return crypto.encrypt(base64.b64encode(AESGCM.generate_key(bit_length=256)).decode())


def _aead(wrapped: str) -> AESGCM:
    if not wrapped:
        raise SealBroken("no key")
    return AESGCM(base64.b64decode(crypto.decrypt(wrapped)))


def seal(wrapped: str, payload: Any, *, size: int, context: str) -> str:
    """``payload`` as JSON, padded to exactly ``size`` bytes, encrypted; text safe for a TextField."""
    plain = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    if len(plain) > size:
        raise ValueError(f"sealed payload of {len(plain)} bytes exceeds the bound of {size}")
    nonce = os.urandom(NONCE_BYTES)
    sealed = _aead(wrapped).encrypt(nonce, plain.ljust(size, b" "), context.encode())
    return base64.b64encode(nonce + sealed).decode()


def unseal(wrapped: str, token: str, *, context: str) -> Any:
    raw = base64.b64decode(token)
    try:
        plain = _aead(wrapped).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
    except InvalidTag as exc:
        raise SealBroken("a sealed ballot was altered or belongs elsewhere") from exc
    return json.loads(plain.decode())
