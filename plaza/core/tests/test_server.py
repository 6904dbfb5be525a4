"""The embedded default on uvicorn (issue 13): one process serving HTTP through Django and static files through
WhiteNoise, the in-process scheduler started once beside it and stopped with it; WebSockets reach Channels."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from asgiref.sync import async_to_sync
from cryptography.fernet import Fernet

from plaza.testing.database import sqlite_template

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_embedded_server_serves_pages_and_static_files_and_runs_the_scheduler_once(tmp_path):
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "plaza.settings.dev",
        "PLAZA_VAR_DIR": str(tmp_path),
        "PLAZA_DATABASE_URL": f"sqlite:///{tmp_path / 'embedded.sqlite3'}",
        "PLAZA_FIELD_KEYS": Fernet.generate_key().decode(),
        "PLAZA_IN_PROCESS_SCHEDULER": "true",
        "PLAZA_SCHEDULER_INTERVAL_SECONDS": "3600",
        "PLAZA_REDIS_URL": "",
    }
    # The migrated template the suite copies its databases from (plaza/testing/database.py) instead of 34
    # migrations from scratch (30–40 s here); migrate then finds nothing left to apply under the dev settings.
    shutil.copyfile(sqlite_template(), tmp_path / "embedded.sqlite3")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "plaza.core.server", "127.0.0.1", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"{base}/healthz", timeout=2)
                break
            except httpx.HTTPError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "no answer within 60 s"
                time.sleep(0.3)
        assert health.status_code == 200 and health.json() == {"ok": True}
        login = httpx.get(f"{base}/accounts/login/", timeout=10)
        assert login.status_code == 200 and "登录" in login.text
        css = httpx.get(f"{base}/static/plaza/plaza.css", timeout=10)
        assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    assert server.returncode == 0, output
    assert output.count("in-process scheduler: sweeping") == 1, output
    assert "in-process scheduler stopped" in output
    assert "development server" not in output.lower()


def test_several_workers_never_start_the_scheduler_in_a_worker(monkeypatch):
    """With workers the scheduler belongs to the supervisor: the ASGI application itself starts nothing."""
    from plaza.asgi import application
    from plaza.core import scheduler

    started: list[bool] = []
    monkeypatch.setattr(scheduler, "start", lambda *a, **k: started.append(True))

    async def lifespan() -> list[dict]:
        sent: list[dict] = []
        messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])

        async def receive() -> dict:
            return next(messages)

        async def send(message: dict) -> None:
            sent.append(message)

        await application({"type": "lifespan"}, receive, send)
        return sent

    sent = async_to_sync(lifespan)()
    assert [m["type"] for m in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert started == []


@pytest.mark.django_db
def test_websockets_are_routed_to_channels_and_foreign_origins_refused():
    from plaza.asgi import application

    async def attempt(origin: bytes) -> list[dict] | Exception:
        scope = {
            "type": "websocket",
            "path": "/ws/nothing-yet/",
            "raw_path": b"/ws/nothing-yet/",
            "query_string": b"",
            "headers": [(b"host", b"127.0.0.1"), (b"origin", origin)],
            "subprotocols": [],
            "client": ("127.0.0.1", 5000),
            "server": ("127.0.0.1", 8000),
        }
        sent: list[dict] = []
        messages = iter([{"type": "websocket.connect"}])

        async def receive() -> dict:
            return next(messages, {"type": "websocket.disconnect", "code": 1000})

        async def send(message: dict) -> None:
            sent.append(message)

        try:
            await application(scope, receive, send)
        except ValueError as exc:  # URLRouter: no consumer for this path (the router is empty for now)
            return exc
        return sent

    refused = async_to_sync(attempt)(b"https://evil.example")
    assert isinstance(refused, list) and refused[0]["type"] == "websocket.close"  # before any route is tried
    routed = async_to_sync(attempt)(b"http://127.0.0.1")
    assert isinstance(routed, ValueError) and "No route found" in str(routed)
