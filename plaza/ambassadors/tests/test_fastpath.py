"""The landing page answered in front of Django's stack (``plaza.core.fastpath``, issue 17's ≥ 300 requests/s): the
same page, headers and cookies as Django's stack gives, a new visitor counted once, and every request it must
not answer (cold copy, session, query string, POST, token, bad host, unknown code) left to Django."""

from __future__ import annotations

import asyncio
import gzip

import pytest
from django.core.handlers.asgi import ASGIHandler
from django.test import Client
from django.urls import reverse

from plaza.ambassadors import visits
from plaza.ambassadors.models import Visit
from plaza.core import fastpath

from .helpers import make_programme
from .test_cost import _NoThread


class _Django(ASGIHandler):
    """Stands for Django's stack behind the fast path: records that it was asked, answers 299."""

    def __init__(self) -> None:
        super().__init__()
        self.asked = 0

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001
        self.asked += 1
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def _get(app, path: str, cookies: str = "", method: str = "GET", query: bytes = b"", **headers: str):  # noqa: ANN001, ANN003, ANN202
    """One request through the ASGI app: (status, headers as a list of (name, value), body)."""
    raw = [(b"host", headers.pop("host", "testserver").encode()), (b"accept-encoding", b"gzip")]
    raw += [(name.replace("_", "-").encode(), value.encode()) for name, value in headers.items()]
    if cookies:
        raw.append((b"cookie", cookies.encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": raw,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    names = [(k.decode().lower(), v.decode()) for k, v in start["headers"]]
    if ("content-encoding", "gzip") in names:
        body = gzip.decompress(body)
    return start["status"], names, body.decode()


def _cookies(headers: list[tuple[str, str]]) -> dict[str, str]:
    found = {}
    for name, value in headers:
        if name == "set-cookie":
            key, _, rest = value.partition("=")
            found[key] = rest.split(";")[0]
    return found


@pytest.fixture
def embedded(settings, monkeypatch):  # noqa: ANN001, ANN201
    """The embedded server's mode: visits queued (the test writes the queue itself), the cache in this process."""
    settings.PLAZA_IN_PROCESS_SCHEDULER = True
    monkeypatch.setattr(visits.threading, "Thread", _NoThread)
    monkeypatch.setattr(visits, "_thread", None)
    monkeypatch.setattr(visits, "_pending", [])
    assert fastpath.inline()


def test_a_warm_copy_is_answered_with_the_headers_and_cookies_of_djangos_stack(world, embedded):
    p = make_programme(world)
    path = reverse("ambassadors:landing", args=[p.target.code])
    by_django = Client().get(path, HTTP_ACCEPT_ENCODING="gzip")  # renders and caches the copy
    django = _Django()
    status, headers, page = _get(fastpath.LandingFastPath(django), path)
    assert status == 200 and django.asked == 0
    assert p.rui.name in page and "张师傅 为您推荐" in page and "@@plaza" not in page
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert len(token) == 64
    got = dict(headers)
    for name, value in by_django.items():  # security headers, CSP, language, compression, Vary: all the same
        if name.lower() not in ("content-length", "content-security-policy"):
            assert got[name.lower()] == value, name
    assert sorted(got["content-security-policy"].split("; ")) == sorted(
        by_django["Content-Security-Policy"].split("; ")
    )
    assert got["x-frame-options"] == "DENY" and got["x-content-type-options"] == "nosniff"
    assert got["content-language"] == "zh-hans" and got["content-encoding"] == "gzip"
    cookies = _cookies(headers)
    assert set(cookies) == {"amb_v", "csrftoken"} == set(by_django.cookies)
    assert "HttpOnly" in [v for n, v in headers if n == "set-cookie" and v.startswith("amb_v=")][0]


def test_a_new_visitor_is_counted_once_and_a_returning_one_not_again(world, embedded):
    p = make_programme(world)
    path = reverse("ambassadors:landing", args=[p.target.code])
    Client().get(path)  # the copy (and one visit, queued)
    visits.flush()
    app = fastpath.LandingFastPath(_Django())
    status, headers, _page = _get(app, path)
    assert status == 200 and len(visits._pending) == 1
    cookies = _cookies(headers)
    again = f"amb_v={cookies['amb_v']}; csrftoken={cookies['csrftoken']}"
    status, headers, page = _get(app, path, cookies=again)
    assert status == 200 and len(visits._pending) == 1  # the same visitor: not queued again
    # no visitor cookie anew; the CSRF cookie keeps its secret (Django renews its expiry on every page with a form)
    assert _cookies(headers) == {"csrftoken": cookies["csrftoken"]}
    assert 'name="csrfmiddlewaretoken"' in page
    assert visits.flush() == 1
    assert Visit.objects.count() == 2


def test_visits_are_written_at_once_where_they_are_not_queued(world, settings):
    """Elsewhere (Redis, several workers) the answer is made in a worker thread; here its sync part directly."""
    settings.PLAZA_IN_PROCESS_SCHEDULER = False
    assert not fastpath.inline()
    p = make_programme(world)
    path = reverse("ambassadors:landing", args=[p.target.code])
    Client().get(path)
    app = fastpath.LandingFastPath(_Django())
    scope = {"type": "http", "method": "GET", "path": path, "query_string": b"", "root_path": "", "headers": []}
    scope |= {"server": ("testserver", 80), "client": ("127.0.0.1", 1), "scheme": "http"}
    scope["headers"] = [(b"host", b"testserver")]
    code = app._code(scope)
    assert code == p.target.code
    response = app.answer(scope, code)
    assert response.status_code == 200 and response["X-Frame-Options"] == "DENY"
    assert Visit.objects.count() == 2  # the view's visitor and this one, each written at once


@pytest.mark.parametrize(
    "case",
    ["cold", "session", "messages", "query", "post", "token", "bad host", "unknown code", "off"],
)
def test_what_the_fast_path_leaves_to_django(world, embedded, settings, case):
    p = make_programme(world)
    path = reverse("ambassadors:landing", args=[p.target.code])
    if case != "cold":
        Client().get(path)
    kwargs: dict = {}
    if case == "session":
        kwargs["cookies"] = "sessionid=abc"
    elif case == "messages":
        kwargs["cookies"] = "messages=abc"
    elif case == "query":
        kwargs["query"] = b"sent=1"
    elif case == "post":
        kwargs["method"] = "POST"
    elif case == "token":
        kwargs["authorization"] = "Bearer x"
    elif case == "bad host":
        kwargs["host"] = "evil.example"
    elif case == "unknown code":
        path = reverse("ambassadors:landing", args=["zzzzzzzz"])
    elif case == "off":
        settings.PLAZA_FAST_LANDING = False
    django = _Django()
    queued = len(visits._pending)
    app = fastpath.LandingFastPath(django)
    status, _headers, _page = _get(app, path, **kwargs)
    assert (status, django.asked) == (299, 1)
    assert len(visits._pending) == queued  # nothing counted by the fast path
