"""Search across articles and resources that works for Chinese.

Text is cut into terms with ``jieba`` when it is installed (search mode, so 党员教育 also yields 党员 and 教育),
otherwise into character bigrams of each run of Chinese characters plus whole Latin words and numbers. A
document matches when it contains at least one term; it is ranked by the terms it contains, a match in the
title counting ``TITLE_WEIGHT`` times, so words need not be next to each other in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import Q

from . import queries

TITLE_WEIGHT = 5
MAX_TERMS = 12
MAX_CANDIDATES = 500
_HAN = re.compile(r"[\u3400-\u9fff]+")
_WORD = re.compile(r"[A-Za-z0-9]+|[\u3400-\u9fff]+")
#: Words too common to say anything about a document.
STOP = frozenset("的了和与及在是有为对把被也都就而之其或等要我你他们这那中")


@cache
def _jieba() -> Any:
    try:
        import jieba  # reason: optional, and 0.6 s to import: loaded at the first search
    except ImportError:
        return None
    jieba.setLogLevel(60)
    return jieba


def bigrams(text: str) -> list[str]:
    terms: list[str] = []
    for chunk in _WORD.findall(text):
        if _HAN.fullmatch(chunk):
            terms.extend(chunk if len(chunk) == 1 else [chunk[i : i + 2] for i in range(len(chunk) - 1)])
        else:
            terms.append(chunk.lower())
    return terms


def terms(query: str) -> list[str]:
    """The distinct search terms of a query, in order, at most ``MAX_TERMS``."""
    query = (query or "").strip()[:200]
    jieba = _jieba()
    if jieba is not None:
        raw = [w.strip().lower() for w in jieba.lcut_for_search(query)]
        raw = [w for w in raw if w and _WORD.fullmatch(w)]
    else:
        raw = bigrams(query)
    seen: list[str] = []
    for term in raw:
        if term not in STOP and term not in seen:
            seen.append(term)
    return seen[:MAX_TERMS]


def score(query_terms: list[str], title: str, body: str) -> int:
    title, body = title.lower(), body.lower()
    return sum(TITLE_WEIGHT * (term in title) + min(body.count(term), 5) for term in query_terms)


@dataclass(frozen=True)
class Hit:
    kind: str  # "article" or "resource"
    obj: Any
    score: int


def _candidates(qs: Any, query_terms: list[str], fields: tuple[str, ...]) -> list[Any]:
    q = Q()
    for term in query_terms:
        for field in fields:
            q |= Q(**{f"{field}__icontains": term})
    return list(qs.filter(q)[:MAX_CANDIDATES])


def search(person: Any, query: str, *, limit: int = 50) -> list[Hit]:
    """Articles and resources the person may see that match the query, best first."""
    query_terms = terms(query)
    if not query_terms:
        return []
    hits = [
        Hit("article", a, score(query_terms, a.title, f"{a.summary}\n{a.topics}\n{a.body}"))
        for a in _candidates(queries.articles_for(person), query_terms, ("title", "summary", "topics", "body"))
    ]
    hits += [
        Hit("resource", r, score(query_terms, r.title, r.description))
        for r in _candidates(queries.resources_for(person), query_terms, ("title", "description"))
    ]
    hits = [h for h in hits if h.score > 0]
    hits.sort(key=lambda h: (-h.score, h.kind, -h.obj.pk))
    return hits[:limit]
