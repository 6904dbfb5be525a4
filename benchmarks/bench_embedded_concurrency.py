"""50 concurrent logged-in POSTs against the embedded default: how many connections are reset?

Issue 11 item 10: Django's development server (the embedded default before uvicorn) reset 7–20 of 50
concurrent POSTs. This starts the embedded server as ``scripts/start.sh`` does (``plaza.core.server``, one
uvicorn process, SQLite) — or Django's ``runserver`` with ``--runserver``, or uses ``--url`` of a running one —
signs in a demo account, then sends ROUNDS bursts of CONCURRENCY simultaneous POSTs (each on its own
connection) to the language switch (a real write: the person's row), and prints status and reset counts.

    PLAZA_DATABASE_URL=sqlite:////tmp/plaza-demo.sqlite3 .venv/bin/python benchmarks/bench_embedded_concurrency.py

The database must hold the demo enterprise (``manage.py migrate && manage.py seed_demo``). Bounded and
loopback only: 127.0.0.1, at most ROUNDS × CONCURRENCY requests.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start(port: int, runserver: bool) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "plaza.settings.dev")}
    env.setdefault("PLAZA_IN_PROCESS_SCHEDULER", "false")  # only the web server is measured
    if runserver:
        command = [sys.executable, "manage.py", "runserver", f"{HOST}:{port}", "--noreload"]
    else:
        command = [sys.executable, "-m", "plaza.core.server", HOST, str(port), "1"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server exited with {server.returncode}")
        try:
            if httpx.get(f"http://{HOST}:{port}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.3)
    stop(server)
    sys.exit("the server did not answer /healthz within 60 s")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def sign_in(base: str, username: str, password: str) -> httpx.Cookies:
    with httpx.Client(base_url=base, timeout=30) as client:
        page = client.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        answer = client.post(
            "/accounts/login/",
            data={"username": username, "password": password, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{base}/accounts/login/"},
        )
        if answer.status_code != 302:
            sys.exit(f"could not sign in as {username}: {answer.status_code}")
        return client.cookies


async def burst(base: str, cookies: httpx.Cookies, concurrency: int, counts: collections.Counter) -> float:
    csrf = cookies.get("csrftoken")
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base, cookies=cookies, limits=limits, timeout=60) as client:
        gate = asyncio.Event()

        async def one(i: int) -> None:
            await gate.wait()
            try:
                answer = await client.post(
                    "/accounts/me/language/",
                    data={"language": "zh-hans", "next": "/", "csrfmiddlewaretoken": csrf},
                    headers={"Referer": f"{base}/accounts/me/", "X-CSRFToken": csrf},
                )
                counts[f"HTTP {answer.status_code}"] += 1
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError, httpx.ConnectError) as exc:
                counts[f"reset ({type(exc).__name__})"] += 1
            except httpx.TimeoutException:
                counts["timeout"] += 1

        tasks = [asyncio.create_task(one(i)) for i in range(concurrency)]
        await asyncio.sleep(0.1)
        started = time.perf_counter()
        gate.set()
        await asyncio.gather(*tasks)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running embedded server (else one is started)")
    parser.add_argument("--runserver", action="store_true", help="start Django's development server instead")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--username", default="sj001")
    parser.add_argument("--password", default="plaza-demo")
    args = parser.parse_args()
    if args.concurrency > 200 or args.rounds > 50:
        sys.exit("kept small: at most 200 at once and 50 rounds")
    server = None
    base = args.url
    if base is None:
        port = _free_port()
        server = start(port, args.runserver)
        base = f"http://{HOST}:{port}"
    try:
        cookies = sign_in(base, args.username, args.password)
        for round_no in range(1, args.rounds + 1):
            counts: collections.Counter = collections.Counter()
            seconds = asyncio.run(burst(base, cookies, args.concurrency, counts))
            resets = sum(n for k, n in counts.items() if not k.startswith("HTTP"))
            print(
                f"round {round_no}: {args.concurrency} POSTs in {seconds:.2f} s, "
                f"resets/timeouts {resets}, {dict(counts)}"
            )
    finally:
        if server is not None:
            stop(server)
    print(
        "server:",
        "Django runserver" if args.runserver else ("given URL" if args.url else "plaza.core.server (uvicorn)"),
    )


if __name__ == "__main__":
    main()
