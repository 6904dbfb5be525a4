"""The ten most used pages on a workshop's weak signal: bytes and load times, cold and warm (issue 21).

Loads each page in Debian's chromium (Playwright) at 360 × 740 under a slow-3G profile set through the Chrome
DevTools Protocol: 400 kbit/s each way, 400 ms added to every request, the CPU slowed four times. For each page:

* **cold** — the browser cache emptied first (a phone opening Plaza for the first time since a release);
* **warm** — the same page opened again in a new tab (static files come from the cache: hashed names, a year,
  immutable);
* **warm, same tab** — the page opened again from within Plaza (a tap on the tab bar): the tab, its renderer and
  its decoded style sheet are already there, as on a phone in use.

Printed per page: bytes transferred (HTML, CSS, scripts, pictures, headers included, as the browser counted them
with ``transferSize``), the load event, and for a statistics page the moment its chart is seen drawn (the server
writes it into the page as SVG, ``data-drawn``; it is looked for once the page has loaded, so this is at most a
little after the load event), and "HTML wait": from sending the page's
request to its first byte (the 400 ms latency plus the server's own time). Targets: a member page ≤ 25 KB and
≤ 1.2 s cold, ≤ 0.5 s warm; the statistics page ≤ 3 s. The last row, ``/healthz``, is no page but the floor: the
same profile's cost of one request and an empty document in a new tab.

    PLAZA_DATABASE_URL=sqlite:////tmp/bench.sqlite3 PLAZA_VAR_DIR=/tmp/bench-var \\
        .venv/bin/python benchmarks/bench_slow3g.py            # starts plaza.core.server on a free port

The database must hold the demo enterprise and the static files must be collected, as ``scripts/start.sh``
does: ``manage.py migrate && manage.py seed_demo && manage.py collectstatic --noinput`` with the same
environment. ``--url http://127.0.0.1:8000`` measures a server already running instead. Loopback only.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
CHROMIUM = os.environ.get("PLAZA_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "plaza-demo"  # plaza.demo.accounts.DEMO_PASSWORD, kept literal so this script needs no Django set-up
KBIT = 400
LATENCY_MS = 400
CPU_SLOWDOWN = 4
# (who, path, label): the pages members open most (home, the four sections, messages, 我的, learning, points,
# 党群小智) and the statistics page the 组织部 opens. "member" = dy001, a Party member; "staff" = zzb001.
PAGES = [
    ("member", "/", "首页"),
    ("member", "/s/learn/", "学习"),
    ("member", "/s/work/", "党务"),
    ("member", "/s/services/", "服务"),
    ("member", "/notify/inbox/", "消息中心"),
    ("member", "/accounts/me/", "我的"),
    ("member", "/learning/", "学习资料"),
    ("member", "/points/", "我的积分"),
    ("member", "/assistant/", "党群小智"),
    ("staff", "/orgs/stats/", "人员统计"),
    # not a page: the profile's own floor, a 12-byte answer with no CSS, script or Chinese text to lay out (what any
    # page costs on this profile and machine before its own bytes and work)
    ("member", "/healthz", "下限 floor"),
]
ACCOUNTS = {"member": "dy001", "staff": "zzb001"}
SLOW_3G = {
    "offline": False,
    "latency": LATENCY_MS,
    "downloadThroughput": KBIT * 1000 / 8,
    "uploadThroughput": KBIT * 1000 / 8,
}
MEASURE = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const resources = performance.getEntriesByType("resource");
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  return {
    bytes: nav.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0),
    html: nav.transferSize,
    load: nav.loadEventEnd,
    ttfb: nav.responseStart,
    server: nav.responseStart - nav.requestStart,
    fcp: paint ? paint.startTime : null,
    scripts: resources.filter(r => r.initiatorType === "script").map(r => r.name.split("/").pop()),
    requests: 1 + resources.length,
  };
}"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start(port: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "plaza.settings.dev")}
    env.setdefault("PLAZA_IN_PROCESS_SCHEDULER", "false")  # only the web server is measured
    command = [sys.executable, "-m", "plaza.core.server", HOST, str(port), "1"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server exited with {server.returncode}")
        try:
            if httpx.get(f"http://{HOST}:{port}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.3)
    stop(server)
    sys.exit("the server did not answer /healthz within 90 s")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def signed_in_context(browser, base: str, who: str):  # noqa: ANN001, ANN201
    context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=base, locale="zh-CN")
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", ACCOUNTS[who])
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    page.close()
    return context


def measure(context, path: str, cold: bool, throttle: bool = True, same_tab: bool = False) -> dict:  # noqa: ANN001
    """One load of ``path`` in a fresh tab under the slow-3G profile (the cache emptied first when cold); with
    ``same_tab`` the page is opened once and then measured when opened again in that tab."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    if cold:
        cdp.send("Network.clearBrowserCache")
    if throttle:
        cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    if same_tab:
        page.goto(path, wait_until="load", timeout=120_000)
    page.goto(path, wait_until="load", timeout=120_000)
    chart = None
    if page.locator("[data-chart]").count():
        page.wait_for_selector("[data-chart][data-drawn]", timeout=120_000)
        chart = page.evaluate("() => performance.now()")
    result = page.evaluate(MEASURE)
    result["chart"] = chart
    if chart is not None:  # anything a chart fetched after the load event counts too
        result["bytes"] = page.evaluate(MEASURE)["bytes"]
    page.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="measure a running server instead of starting plaza.core.server")
    parser.add_argument("--port", type=int, default=0, help="port for the server this starts (default: a free one)")
    parser.add_argument("--runs", type=int, default=3, help="loads per page and state; the median is printed")
    parser.add_argument(
        "--unthrottled", action="store_true", help="no network or CPU emulation: the machine's own floor, to compare"
    )
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    port = args.port or _free_port()
    server = None if args.url else start(port)
    base = args.url or f"http://{HOST}:{port}"
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic"]
            )
            contexts = {who: signed_in_context(browser, base, who) for who in ACCOUNTS}
            for who, path, label in PAGES:
                runs = {"cold": [], "warm": [], "tab": []}
                for _ in range(args.runs):
                    throttle = not args.unthrottled
                    runs["cold"].append(measure(contexts[who], path, cold=True, throttle=throttle))
                    runs["warm"].append(measure(contexts[who], path, cold=False, throttle=throttle))
                    runs["tab"].append(measure(contexts[who], path, cold=False, throttle=throttle, same_tab=True))
                rows.append((who, path, label, runs))
            browser.close()
    finally:
        if server:
            stop(server)

    def median(values: list) -> float | None:
        values = [v for v in values if v is not None]
        return statistics.median(values) if values else None

    profile = (
        "no emulation" if args.unthrottled else f"slow 3G: {KBIT} kbit/s, {LATENCY_MS} ms latency, CPU ×{CPU_SLOWDOWN}"
    )
    print(f"{profile}; 360 × 740; median of {args.runs} loads; chromium {CHROMIUM}")
    header = (
        f"{'page':<24}{'cold KB':>9}{'cold load s':>13}{'warm KB':>9}{'warm load s':>13}{'same tab s':>12}"
        f"{'chart s':>9}{'HTML wait s':>13}  scripts"
    )
    print(header)
    print("-" * len(header))
    for _who, path, label, runs in rows:
        cold, warm = runs["cold"], runs["warm"]
        chart = median([r["chart"] for r in cold])
        scripts = ", ".join(sorted(set(cold[0]["scripts"])))
        print(
            f"{label + ' ' + path:<24}"
            f"{median([r['bytes'] for r in cold]) / 1024:>9.1f}"
            f"{median([r['load'] for r in cold]) / 1000:>13.2f}"
            f"{median([r['bytes'] for r in warm]) / 1024:>9.1f}"
            f"{median([r['load'] for r in warm]) / 1000:>13.2f}"
            f"{median([r['load'] for r in runs['tab']]) / 1000:>12.2f}"
            f"{(chart / 1000 if chart else 0):>9.2f}"
            f"{median([r['server'] for r in cold + warm]) / 1000:>13.2f}  {scripts}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
