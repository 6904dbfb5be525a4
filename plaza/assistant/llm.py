"""The optional large language model: off unless ``PLAZA_ASSISTANT_LLM_URL`` is set. It sees only the
retrieved passages and the question, through an OpenAI-compatible ``/chat/completions``; on any failure or
after ``TIMEOUT`` seconds the caller falls back to the plain answer. The citations are always shown."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import httpx
from django.conf import settings

log = logging.getLogger(__name__)
TIMEOUT = 10.0

SYSTEM = (
    "你是“党群小智”，回答职工关于党务、工会福利和办事流程的问题。只能依据用户消息中给出的资料作答，"
    "资料没有写到的内容要直说“资料中没有写明”，不要编造金额、期限和条件。回答简洁，使用简体中文，"
    "在句末用 [1] [2] 标明所依据的资料编号。"
)


def enabled() -> bool:
    return bool(getattr(settings, "PLAZA_ASSISTANT_LLM_URL", ""))


def endpoint() -> str:
    url = getattr(settings, "PLAZA_ASSISTANT_LLM_URL", "").rstrip("/")
    return url if url.endswith("/chat/completions") else url + "/chat/completions"


def prompt(question: str, hits: Sequence) -> str:
    material = "\n\n".join(
        f"[{n}]《{hit.entry.title}》{hit.entry.heading}\n{hit.entry.text}" for n, hit in enumerate(hits, 1)
    )
    return f"资料：\n{material}\n\n问题：{question}"


def complete(question: str, hits: Sequence) -> str | None:
    """The model's answer from the passages, or None when it is off, fails, times out or says nothing."""
    if not enabled() or not hits:
        return None

    headers = {}
    key = getattr(settings, "PLAZA_ASSISTANT_LLM_KEY", "")
    if key:
        headers["Authorization"] = f"Bearer {key}"
    payload = {
        "model": getattr(settings, "PLAZA_ASSISTANT_LLM_MODEL", "") or "default",
        "messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": prompt(question, hits)}],
        "temperature": 0.2,
    }
    try:
        response = httpx.post(endpoint(), json=payload, headers=headers, timeout=TIMEOUT)
        response.raise_for_status()
        content = response.json()["choices"][0]["message"]["content"]
    except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as exc:
        log.warning("assistant LLM unavailable, plain answer given: %s", exc)
        return None
    content = (content or "").strip() if isinstance(content, str) else ""
    return content or None
