"""The web page's figures (issue 17), on loopback only: a week planned on the page against the
command line, and 20 concurrent page loads while a week plan solves.

- **Week on the page**: from the "Plan a week" POST, through the job page (which refreshes itself)
  to the plan page loaded, report included; against ``mealplan plan --days 7 --format html`` in a
  fresh process (the same report). Limit: the CLI's median + 1 s.
- **Pages during a solve**: a week plan is started, then 20 page loads at once (the client list, the
  client page and a plan page, in turn), each timed. Limit: each under 300 ms.

The server is ``mealplan serve`` in a subprocess on a free 127.0.0.1 port, on a fresh database,
started (its workers warmed with one unmeasured day plan) before anything is timed.

    python benchmarks/bench_web.py          # 3 runs of each week
    python benchmarks/bench_web.py -n 1     # short
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "examples" / "profiles" / "vegan_twitching.yaml"
CLIENT = {"client_id": "ana", "name": "Ana", "age": "27", "sex": "female", "weight_kg": "58", "height_cm": "165",
          "activity": "low", "appetite": "normal", "diet": "vegan", "meals": "breakfast, lunch, dinner, snack",
          "dish_max_per_week": "2", "symptoms": "muscle-twitching, eyelid-twitching, tingling",
          "factors": "vegan, high-caffeine, poor-sleep", "symptom_days": "10", "dislikes": "tempeh"}  # fmt: skip
PAGE_LIMIT_S = 0.3
EXTRA_S = 1.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Browser:
    """A cookie-keeping HTTP client that follows redirects, as a browser would."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.csrf = ""

    def get(self, path: str) -> tuple[str, str]:
        with self.opener.open(self.base + path, timeout=600) as r:
            html = r.read().decode()
        found = re.search(r'name="csrf" value="([^"]+)"', html)
        self.csrf = found.group(1) if found else self.csrf
        return r.geturl(), html

    def post(self, path: str, data: dict[str, str]) -> tuple[str, str]:
        body = urllib.parse.urlencode({**data, "csrf": self.csrf}).encode()
        with self.opener.open(self.base + path, data=body, timeout=600) as r:
            return r.geturl(), r.read().decode()

    def until_plan(self, url: str, html: str) -> str:
        """Follow a job page's refreshes until it opens the plan (what the browser does)."""
        while "/jobs/" in url:
            if "could not be made" in html:
                raise SystemExit(f"the plan failed: {html[-1500:]}")
            url, html = self.get(url.removeprefix(self.base))
        return url


def start_server(db: Path, port: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "mealplan", "serve", "--db", str(db), "--port", str(port), "--no-token"]
    proc = subprocess.Popen(command,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("mealplan serve did not start within 60 s")


def cli_week(tmp: Path) -> float:
    out = tmp / "week.html"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mealplan", "-q", "plan", "--profile", str(PROFILE), "--days", "7",
                    "--format", "html", "-o", str(out)], check=True)  # fmt: skip
    return time.perf_counter() - start


def page_week(b: Browser) -> tuple[float, str]:
    b.get("/clients/ana")
    start = time.perf_counter()
    url, html = b.post("/clients/ana/plan", {"days": "7"})
    url = b.until_plan(url, html)
    return time.perf_counter() - start, url


def loads_during_a_solve(b: Browser, plan_path: str, n: int = 20) -> tuple[list[float], bool]:
    """Start a week plan, then ``n`` page loads at once; their seconds, and whether the solve still ran."""
    b.get("/clients/ana")
    job_url, html = b.post("/clients/ana/plan", {"days": "7"})
    time.sleep(0.5)  # the worker is solving now
    paths = ["/", "/clients/ana", plan_path]

    def load(i: int) -> float:
        opener = Browser(b.base)
        start = time.perf_counter()
        opener.get(paths[i % len(paths)])
        return time.perf_counter() - start

    with ThreadPoolExecutor(max_workers=n) as pool:
        times = list(pool.map(load, range(n)))
    with urllib.request.urlopen(job_url, timeout=600) as r:  # a request that returns while the job runs
        still_running = "/jobs/" in r.geturl()
    b.until_plan(job_url, html)
    return times, still_running


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--runs", type=int, default=3, help="weeks planned each way (default 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        port = free_port()
        server = start_server(tmp / "bench.db", port)
        try:
            b = Browser(f"http://127.0.0.1:{port}")
            b.get("/")
            b.post("/clients", CLIENT)
            url, html = b.post("/clients/ana/plan", {"days": "1"})  # warm the workers (unmeasured)
            b.until_plan(url, html)
            cli, page = [], []
            plan_path = "/"
            for _ in range(args.runs):
                cli.append(cli_week(tmp))
                seconds, url = page_week(b)
                page.append(seconds)
                plan_path = urllib.parse.urlparse(url).path
            loads, running = loads_during_a_solve(b, plan_path)
        finally:
            server.terminate()
            server.wait(timeout=30)
    cli_med, page_med = statistics.median(cli), statistics.median(page)
    print(f"week, CLI (mealplan plan --days 7 --format html, fresh process): median {cli_med:.2f} s, "
          f"max {max(cli):.2f} s over {len(cli)} runs")  # fmt: skip
    print(f"week, page (POST to plan page loaded):                           median {page_med:.2f} s, "
          f"max {max(page):.2f} s over {len(page)} runs")  # fmt: skip
    verdict = "ok" if page_med <= cli_med + EXTRA_S else "OVER"
    print(f"  page - CLI = {page_med - cli_med:+.2f} s (limit +{EXTRA_S:.0f} s): {verdict}")
    print(f"20 concurrent page loads while a week solves (solve still running after them: {running}): "
          f"median {statistics.median(loads) * 1000:.0f} ms, max {max(loads) * 1000:.0f} ms "
          f"(limit {PAGE_LIMIT_S * 1000:.0f} ms each): {'ok' if max(loads) < PAGE_LIMIT_S else 'OVER'}")  # fmt: skip


if __name__ == "__main__":
    main()
