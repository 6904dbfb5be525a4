"""A local WeCom server on 127.0.0.1 that speaks the gettoken and message/send request and response format."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest


class FakeWeCom:
    def __init__(self) -> None:
        self.tokens_issued = 0
        self.sent: list[dict] = []
        self.expire_next_send = False
        self.fail_with: tuple[int, str] | None = None
        self.lock = threading.Lock()

    def token(self) -> str:
        return f"token-{self.tokens_issued}"


@pytest.fixture
def wecom(settings):  # noqa: ANN001, ANN201
    fake = FakeWeCom()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # noqa: ANN002, ANN202
            return

        def _answer(self, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):  # noqa: ANN202, N802
            url = urlparse(self.path)
            query = parse_qs(url.query)
            if url.path != "/cgi-bin/gettoken":
                self.send_error(404)
                return
            if query.get("corpid") != ["ww-plaza"] or query.get("corpsecret") != ["s3cret"]:
                self._answer({"errcode": 40001, "errmsg": "invalid credential"})
                return
            with fake.lock:
                fake.tokens_issued += 1
                self._answer({"errcode": 0, "errmsg": "ok", "access_token": fake.token(), "expires_in": 7200})

        def do_POST(self):  # noqa: ANN202, N802
            url = urlparse(self.path)
            token = parse_qs(url.query).get("access_token", [""])[0]
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            with fake.lock:
                if fake.expire_next_send:
                    fake.expire_next_send = False
                    self._answer({"errcode": 42001, "errmsg": "access_token expired"})
                    return
                if token != fake.token():
                    self._answer({"errcode": 40014, "errmsg": "invalid access_token"})
                    return
                if fake.fail_with:
                    code, message = fake.fail_with
                    self._answer({"errcode": code, "errmsg": message})
                    return
                fake.sent.append(body)
                self._answer({"errcode": 0, "errmsg": "ok", "invaliduser": "", "invalidparty": "", "invalidtag": ""})

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.PLAZA_WECOM = {
        "BASE_URL": f"http://127.0.0.1:{server.server_port}",
        "CORP_ID": "ww-plaza",
        "CORP_SECRET": "s3cret",
        "AGENT_ID": 1000002,
        "TIMEOUT_SECONDS": 5,
    }
    from django.core.cache import cache

    cache.delete("plaza:wecom:access_token")
    yield fake
    server.shutdown()
    server.server_close()
