"""Delivery channels beyond the in-app inbox: email and 企业微信 (WeCom) application messages.

WeCom: ``GET /cgi-bin/gettoken?corpid=…&corpsecret=…`` gives an access token (cached until shortly before it
expires); ``POST /cgi-bin/message/send?access_token=…`` sends a text or text-card message to ``touser``
(user ids joined by ``|``). A non-zero ``errcode`` is an error; an expired or invalid token (40014, 42001)
is refreshed once and the send retried.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx
from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail

TOKEN_CACHE_KEY = "plaza:wecom:access_token"
TOKEN_ERRORS = {40014, 42001, 41001}


class ChannelError(Exception):
    """A channel refused or failed to deliver; the message says why (shown to administrators)."""


def send_email(to: str, subject: str, body: str, url: str = "", *, connection: Any = None) -> None:
    text = f"{body}\n\n{url}" if url else body
    try:
        send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False, connection=connection)
    except Exception as exc:  # SMTP errors come in many classes
        raise ChannelError(f"email: {exc}") from exc


def wecom_enabled() -> bool:
    return bool(settings.PLAZA_WECOM.get("CORP_ID"))


class WeComClient:
    def __init__(self, config: dict[str, Any] | None = None) -> None:
        self.config = config or settings.PLAZA_WECOM
        self.base_url = self.config["BASE_URL"].rstrip("/")
        self.timeout = self.config.get("TIMEOUT_SECONDS", 5.0)

    def _json(self, response: httpx.Response) -> dict[str, Any]:
        if response.status_code != 200:
            raise ChannelError(f"wecom: HTTP {response.status_code}")
        try:
            return response.json()
        except ValueError as exc:
            raise ChannelError("wecom: the answer is not JSON") from exc

    def access_token(self, *, refresh: bool = False) -> str:
        token = None if refresh else cache.get(TOKEN_CACHE_KEY)
        if token:
            return token
        try:
            response = httpx.get(
                f"{self.base_url}/cgi-bin/gettoken",
                timeout=self.timeout,
                params={"corpid": self.config["CORP_ID"], "corpsecret": self.config["CORP_SECRET"]},
            )
        except httpx.HTTPError as exc:
            raise ChannelError(f"wecom: {exc}") from exc
        data = self._json(response)
        if data.get("errcode", 0) != 0 or not data.get("access_token"):
            raise ChannelError(f"wecom gettoken: {data.get('errcode')} {data.get('errmsg', '')}")
        # Keep it a little shorter than WeCom does, so we never send with a token about to expire.
        cache.set(TOKEN_CACHE_KEY, data["access_token"], max(60, int(data.get("expires_in", 7200)) - 300))
        return data["access_token"]

    def send(self, userids: Sequence[str], title: str, description: str, url: str = "") -> dict[str, Any]:
        if not userids:
            raise ChannelError("wecom: no recipients")
        payload: dict[str, Any] = {"touser": "|".join(userids), "agentid": self.config["AGENT_ID"]}
        if url:
            payload |= {
                "msgtype": "textcard",
                "textcard": {"title": title, "description": description or title, "url": url, "btntxt": "详情"},
            }
        else:
            payload |= {"msgtype": "text", "text": {"content": f"{title}\n{description}".strip()}}
        for attempt in (0, 1):
            token = self.access_token(refresh=attempt == 1)
            try:
                response = httpx.post(
                    f"{self.base_url}/cgi-bin/message/send",
                    params={"access_token": token},
                    json=payload,
                    timeout=self.timeout,
                )
            except httpx.HTTPError as exc:
                raise ChannelError(f"wecom: {exc}") from exc
            data = self._json(response)
            code = data.get("errcode", 0)
            if code == 0:
                if data.get("invaliduser"):
                    raise ChannelError(f"wecom: invalid user {data['invaliduser']}")
                return data
            if code not in TOKEN_ERRORS or attempt == 1:
                raise ChannelError(f"wecom send: {code} {data.get('errmsg', '')}")
        raise AssertionError("unreachable")  # pragma: no cover
