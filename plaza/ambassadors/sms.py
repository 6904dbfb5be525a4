"""The SMS sender behind the landing page's phone check: pluggable, chosen by the setting ``PLAZA_SMS_SENDER``
(a dotted path to a class with ``send(phone, text)``).

- ``plaza.ambassadors.sms.ConsoleSender`` (the default, for the embedded setup and the tests): logs the message
  and keeps the last code per phone in :data:`SENT`, which a test reads.
- ``plaza.ambassadors.sms.HttpSender``: a provider's HTTP API. Settings: ``PLAZA_SMS_HTTP_URL`` (POST JSON
  ``{"phone": …, "text": …, "sign": …}``), ``PLAZA_SMS_HTTP_TOKEN`` (sent as ``Authorization: Bearer …``),
  ``PLAZA_SMS_SIGN`` (the registered signature, e.g. 【上汽通用】), ``PLAZA_SMS_TIMEOUT`` (seconds, default 5).
  A provider needing another body shape gets its own small subclass.
"""

from __future__ import annotations

import logging
from typing import Protocol

import httpx
from django.conf import settings
from django.utils.module_loading import import_string

from plaza.lib.crypto import mask_phone
from plaza.rules.referrals import normalise_phone

log = logging.getLogger(__name__)

DEFAULT_SENDER = "plaza.ambassadors.sms.ConsoleSender"
#: phone → the last text sent to it by the console sender (tests and the embedded demo read it).
SENT: dict[str, str] = {}


class Sender(Protocol):
    def send(self, phone: str, text: str) -> None:
        """Deliver ``text`` to ``phone``; raise on failure (the caller tells the prospect to try again)."""


class ConsoleSender:
    def send(self, phone: str, text: str) -> None:
        SENT[phone] = text
        log.info("SMS to %s: %s", mask_phone(phone), text)


class HttpSender:
    def send(self, phone: str, text: str) -> None:
        url = getattr(settings, "PLAZA_SMS_HTTP_URL", "")
        if not url:
            raise RuntimeError("PLAZA_SMS_HTTP_URL is not set")
        token = getattr(settings, "PLAZA_SMS_HTTP_TOKEN", "")
        response = httpx.post(
            url,
            json={"phone": phone, "text": text, "sign": getattr(settings, "PLAZA_SMS_SIGN", "")},
            headers={"Authorization": f"Bearer {token}"} if token else {},
            timeout=float(getattr(settings, "PLAZA_SMS_TIMEOUT", 5)),
        )
        response.raise_for_status()


def sender() -> Sender:
    return import_string(getattr(settings, "PLAZA_SMS_SENDER", DEFAULT_SENDER))()


def last_code(phone: str) -> str:
    """The code in the last console SMS to ``phone`` ("" when none): for tests and the embedded demo."""
    text = SENT.get(normalise_phone(phone), "")
    digits = "".join(ch for ch in text if ch.isdigit())
    return digits[:6]
