"""Home page, roster API and subtree queries at enterprise scale, on PostgreSQL, under a real server.

    .venv/bin/python benchmarks/bench_home_roster.py --people 200000 --branches 5000 [--reuse]

What it does, and stops by itself when done (the server is always shut down):

1. creates the database named by ``PLAZA_DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/
   plaza_bench``), migrates it and loads ``seed_demo`` at the given size — with ``--reuse`` it keeps a
   database already loaded at that size;
2. starts Plaza under uvicorn (``plaza.asgi:application``, 2 workers, ``plaza.settings.prod``, DEBUG off)
   on a free port of 127.0.0.1 — through ``plaza/core/server.py``, which keeps the ``TCP_NODELAY`` that
   ``uvicorn --workers`` loses (``--uvicorn-cli`` shows the difference) — with ``PLAZA_BENCH=1`` so
   that ``/_bench/bare`` (a view that touches neither database nor session) is there to compare with;
3. signs in as a branch secretary (``sj001``) and as 党委组织部 staff (``zzb001``) and measures, with an
   asyncio httpx client at concurrency 1 and 16: the bare view, the home page ``/``, and the roster API
   ``/api/v1/people`` as the staff (page 3 of the whole 200,000-person tree) and as the secretary;
4. times the subtree queries in this process (median of 20 runs): head-count of a subtree
   (``subtree_member_count``) and the organisation ids in it (``subtree``), for the roots and one branch;
5. prints a table with the targets and PASS/MISS (a miss never fails the run) and, for a missed query
   target, the ``EXPLAIN ANALYZE`` plan; writes everything as JSON to ``benchmarks/results/``.

The client runs on the same machine as the server and the database; on 2 cores it takes CPU from them,
which is why throughput is also given relative to the bare view measured the same way.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/plaza_bench"
HOST = "127.0.0.1"

#: Fixed keys so that ``--reuse`` can read the personal data a previous run encrypted. Benchmark only.
BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "plaza.settings.prod",
    "PLAZA_SECRET_KEY": "plaza-benchmark-only-secret-key-0123456789-abcdefghij",
    "PLAZA_FIELD_KEYS": "6XEiVa5lYcecJDesF-31IWaKH6rBoU_UfYKBRaRlxeA=",
    "PLAZA_SECURE_SSL_REDIRECT": "false",
    "PLAZA_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "PLAZA_DEBUG": "false",
    "PLAZA_BENCH": "1",
    "PLAZA_IN_PROCESS_SCHEDULER": "false",
    "PLAZA_LOG_LEVEL": "WARNING",
    # Under ASGI every request runs in a thread of its own, so a persistent connection (CONN_MAX_AGE > 0)
    # is left behind by each request until PostgreSQL runs out of connection slots. Django's advice for
    # ASGI: no persistent connections (or a pool). See docs/benchmarks.md.
    "PLAZA_DB_POOL": "true",
}

TARGET_HOME_P95_MS = 50.0
TARGET_RATIO_TO_BARE = 0.5
TARGET_SUBTREE_MS = 50.0


# ----------------------------------------------------------------------------------------------- database


def _admin_url(database_url: str) -> tuple[str, str]:
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if parts.scheme not in ("postgres", "postgresql") or not name:
        sys.exit(f"PLAZA_DATABASE_URL must be a PostgreSQL URL with a database name, not {database_url!r}")
    admin = urlunsplit(("postgresql", parts.netloc, "/postgres", parts.query, ""))
    return admin, name


def _recreate_database(database_url: str, *, drop: bool) -> None:
    import psycopg

    admin, name = _admin_url(database_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and drop:
            print(f"· dropping database {name}")
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            print(f"· creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


def _manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=os.environ, check=True)


def _seeded_at(people: int, branches: int) -> bool:
    from plaza.accounts.models import Person
    from plaza.orgs.models import Level, Organisation

    return (
        Organisation.objects.filter(level=Level.BRANCH).count() == branches
        and Person.objects.exclude(employee_no="admin").count() == people
    )


def prepare_database(database_url: str, people: int, branches: int, seed: int, reuse: bool) -> float | None:
    """Create, migrate and seed; returns the seeding time in seconds (None when reused)."""
    import django
    from django.db import connections

    _recreate_database(database_url, drop=not reuse)
    _manage("migrate", "--noinput", "-v", "0")
    django.setup()
    if reuse and _seeded_at(people, branches):
        print(f"· reusing the database seeded with {people} people and {branches} branches")
        return None
    if reuse:
        connections.close_all()
        _recreate_database(database_url, drop=True)
        _manage("migrate", "--noinput", "-v", "0")
    started = time.perf_counter()
    _manage("seed_demo", "--people", str(people), "--branches", str(branches), "--seed", str(seed))
    return time.perf_counter() - started


# ------------------------------------------------------------------------------------------------- server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server(port: int, workers: int, uvicorn_cli: bool) -> subprocess.Popen:
    if uvicorn_cli:  # plain ``uvicorn --workers N``: Nagle stays on (see plaza/core/server.py)
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "plaza.asgi:application",
            "--host",
            HOST,
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-access-log",
            "--log-level",
            "warning",
        ]
    else:
        command = [sys.executable, "-m", "plaza.core.server", HOST, str(port), str(workers)]
    # A session of its own, so that stopping it stops the workers too.
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server exited with {server.returncode} before it answered")
        try:
            if httpx.get(f"http://{HOST}:{port}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    stop_server(server)
    sys.exit("the server did not answer /healthz within 90 seconds")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


# ------------------------------------------------------------------------------------------------- client


def _cookies(response: httpx.Response) -> dict[str, str]:
    """Cookies the server set, read from the headers: production marks them Secure, and a cookie jar
    would (rightly) not send a Secure cookie back over the plain http of this loopback benchmark."""
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.get_list("set-cookie"):
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


async def sign_in(base: str, employee_no: str, password: str) -> dict[str, str]:
    """Sign in through the login form like a browser; returns the headers that carry the session."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        page = await client.get("/accounts/login/")
        cookies = _cookies(page)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if token is None or "csrftoken" not in cookies:
            raise RuntimeError("the login page has no CSRF token")
        response = await client.post(
            "/accounts/login/",
            data={"username": employee_no, "password": password, "csrfmiddlewaretoken": token.group(1)},
            headers={"Cookie": f"csrftoken={cookies['csrftoken']}"},
        )
        session = _cookies(response).get("sessionid")
        if response.status_code != 302 or not session:
            raise RuntimeError(f"{employee_no} could not sign in (HTTP {response.status_code})")
        return {"Cookie": f"sessionid={session}; csrftoken={cookies['csrftoken']}"}


async def measure(base: str, path: str, headers: dict[str, str], requests: int, concurrency: int) -> dict:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    latencies: list[float] = []
    errors = 0
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=60) as client:
        warm = await asyncio.gather(*(client.get(path) for _ in range(max(concurrency, 4))))
        if any(r.status_code != 200 for r in warm):
            raise RuntimeError(f"{path}: HTTP {[r.status_code for r in warm]} while warming up")
        todo = iter(range(requests))

        async def worker() -> None:
            nonlocal errors
            for _ in todo:
                started = time.perf_counter()
                response = await client.get(path)
                latencies.append((time.perf_counter() - started) * 1000)
                errors += response.status_code != 200

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "requests": requests,
        "concurrency": concurrency,
        "errors": errors,
        "rps": requests / wall,
        "p50_ms": cuts[49],
        "p95_ms": cuts[94],
        "p99_ms": cuts[98],
        "mean_ms": statistics.fmean(latencies),
    }


# --------------------------------------------------------------------------------------------- in process


def _median_ms(function: Callable[[], Any], runs: int) -> float:
    function()  # warm caches and the connection
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def subtree_timings(runs: int) -> list[dict]:
    from plaza.orgs.models import Organisation
    from plaza.orgs.queries import subtree, subtree_member_count

    chosen = [
        ("party root (党委)", Organisation.objects.get(code="P0001")),
        ("union root (工会)", Organisation.objects.get(code="U0001")),
        ("one branch", Organisation.objects.filter(name="装调车间党支部").order_by("path").first()),
    ]
    rows = []
    for label, org in chosen:
        ids = list(subtree(org).values_list("pk", flat=True))
        rows.append(
            {
                "subtree": f"{label}: {org.name}",
                "code": org.code,
                "people": subtree_member_count(org),
                "organisations": len(ids),
                "member_count_ms": _median_ms(lambda org=org: subtree_member_count(org), runs),
                "organisation_ids_ms": _median_ms(
                    lambda org=org: list(subtree(org).values_list("pk", flat=True)), runs
                ),
            }
        )
    return rows


def explain_member_count(code: str) -> str:
    from django.db import connection

    from plaza.orgs.models import Membership, Organisation

    org = Organisation.objects.get(code=code)
    sql, params = (
        Membership.objects.filter(until__isnull=True, organisation__path__startswith=org.path)
        .values("pk")
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) SELECT COUNT(*) FROM ({sql}) counted", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def explain_roster(employee_no: str, page: int) -> str:
    from plaza.accounts.models import Person
    from plaza.orgs.queries import roster

    viewer = Person.objects.get(employee_no=employee_no)
    return roster(viewer)[(page - 1) * 20 : page * 20].explain(analyze=True, buffers=True)


# ---------------------------------------------------------------------------------------------------- run


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


async def run_http(base: str, requests: int, concurrencies: list[int], password: str) -> list[dict]:
    secretary = await sign_in(base, "sj001", password)
    staff = await sign_in(base, "zzb001", password)
    scenarios = [
        ("bare view (no DB)", "/_bench/bare", {}),
        ("home / (branch secretary)", "/", secretary),
        ("roster API page 3 (党委 staff, whole tree)", "/api/v1/people?page=3", staff),
        ("roster API page 1 (branch secretary)", "/api/v1/people?page=1", secretary),
    ]
    results = []
    for concurrency in concurrencies:
        for label, path, headers in scenarios:
            result = await measure(base, path, headers, requests, concurrency)
            results.append({"scenario": label, "path": path, **result})
            print(f"  c={concurrency:<3} {label:<45} p95 {result['p95_ms']:7.1f} ms  {result['rps']:7.1f} req/s")
    return results


def print_report(http: list[dict], subtrees: list[dict]) -> list[dict]:
    print()
    print(f"{'scenario':<45} {'c':>3} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>8} {'÷bare':>6} err")
    bare = {r["concurrency"]: r["rps"] for r in http if r["path"] == "/_bench/bare"}
    for r in http:
        ratio = r["rps"] / bare[r["concurrency"]]
        r["ratio_to_bare"] = ratio
        print(
            f"{r['scenario']:<45} {r['concurrency']:>3} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} {r['p99_ms']:8.1f} "
            f"{r['rps']:8.1f} {ratio:6.2f} {r['errors']}"
        )
    print()
    print(f"{'subtree (median of runs)':<45} {'people':>8} {'orgs':>6} {'count ms':>9} {'ids ms':>8}")
    for s in subtrees:
        print(
            f"{s['subtree']:<45} {s['people']:>8} {s['organisations']:>6} {s['member_count_ms']:9.1f} "
            f"{s['organisation_ids_ms']:8.1f}"
        )

    targets = []
    for r in http:
        if r["path"] == "/":
            targets.append(
                {
                    "target": f"home p95 ≤ {TARGET_HOME_P95_MS:.0f} ms (c={r['concurrency']})",
                    "value": f"{r['p95_ms']:.1f} ms",
                    "ok": r["p95_ms"] <= TARGET_HOME_P95_MS,
                }
            )
        if r["path"] != "/_bench/bare":
            targets.append(
                {
                    "target": f"{r['scenario']} ≥ {TARGET_RATIO_TO_BARE:.0%} of bare req/s (c={r['concurrency']})",
                    "value": f"{r['ratio_to_bare']:.0%}",
                    "ok": r["ratio_to_bare"] >= TARGET_RATIO_TO_BARE,
                }
            )
    for s in subtrees:
        if s["people"] >= 100_000:
            targets.append(
                {
                    "target": f"subtree of {s['people']:,} people ≤ {TARGET_SUBTREE_MS:.0f} ms (count)",
                    "value": f"{s['member_count_ms']:.1f} ms",
                    "ok": s["member_count_ms"] <= TARGET_SUBTREE_MS,
                }
            )
            targets.append(
                {
                    "target": f"subtree of {s['people']:,} people ≤ {TARGET_SUBTREE_MS:.0f} ms (org ids)",
                    "value": f"{s['organisation_ids_ms']:.1f} ms",
                    "ok": s["organisation_ids_ms"] <= TARGET_SUBTREE_MS,
                }
            )
    print()
    for t in targets:
        print(f"{_verdict(t['ok'])}  {t['target']:<75} {t['value']}")
    return targets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--branches", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="keep a database already seeded at this size")
    parser.add_argument("--requests", type=int, default=500, help="requests per scenario and concurrency")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 16])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=20, help="runs per subtree query (median)")
    parser.add_argument(
        "--uvicorn-cli",
        action="store_true",
        help="start the server with plain `uvicorn --workers N` (TCP_NODELAY lost, ~40 ms a request)",
    )
    args = parser.parse_args()

    os.environ.update(BENCH_ENV)
    database_url = os.environ.setdefault("PLAZA_DATABASE_URL", DEFAULT_DATABASE_URL)
    sys.path.insert(0, str(ROOT))
    from plaza.demo.accounts import DEMO_PASSWORD

    seed_seconds = prepare_database(database_url, args.people, args.branches, args.seed, args.reuse)

    port = _free_port()
    print(f"· starting uvicorn with {args.workers} workers on {HOST}:{port}")
    server = start_server(port, args.workers, args.uvicorn_cli)
    try:
        http = asyncio.run(run_http(f"http://{HOST}:{port}", args.requests, args.concurrency, DEMO_PASSWORD))
    finally:
        stop_server(server)
        print("· server stopped")

    subtrees = subtree_timings(args.runs)
    targets = print_report(http, subtrees)
    plans = {}
    for s in subtrees:
        if s["people"] >= 100_000 and s["member_count_ms"] > TARGET_SUBTREE_MS:
            plans[f"member count {s['code']}"] = explain_member_count(s["code"])
    if any(not t["ok"] for t in targets if "roster" in t["target"]):
        plans["roster zzb001 page 3"] = explain_roster("zzb001", 3)
    for title, plan in plans.items():
        print(f"\nEXPLAIN ANALYZE — {title}\n{plan}")

    from django import get_version
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"home_roster-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(
        json.dumps(
            {
                "when": datetime.now().isoformat(timespec="seconds"),
                "people": args.people,
                "branches": args.branches,
                "seed": args.seed,
                "seed_seconds": seed_seconds,
                "workers": args.workers,
                "requests": args.requests,
                "server": "uvicorn --workers (CLI)" if args.uvicorn_cli else "uvicorn Multiprocess, TCP_NODELAY socket",
                "machine": {
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "django": get_version(),
                    "postgresql": pg_version,
                    "platform": platform.platform(),
                },
                "http": http,
                "subtrees": subtrees,
                "targets": targets,
                "explain": plans,
            },
            ensure_ascii=False,
            indent=2,
        )
    )
    print(f"\nresults written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
