"""Load benchmark (not a test): gunicorn with production settings under wrk, on a scratch database.

For each database it builds a scratch database (migrated, demo loaded, static files collected), starts
gunicorn, checks every page of the mix answers 200, then runs wrk at fixed concurrency for a fixed time:
once over the mix of public pages and once over the trivial ``/ping/`` view, against the same server
in the same run. The tracked figure is page throughput divided by that baseline, which cancels out
most of the machine's speed and load. ``--cache both`` measures without and with the anonymous page
cache (PORTAL_PAGE_CACHE_SECONDS). Figures go to stdout (a Markdown table) and var/bench/load-*.json.

    .venv/bin/python bench/load/run.py --database sqlite --database postgres --cache both
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var" / "bench"
BIN = Path(sys.executable).parent
PG_URL = "postgres://postgres@127.0.0.1:5432/portal_bench"

PAGES = {
    "home": "/",
    "hearing list": "/horinger/",
    "hearing": "/horinger/strategi-for-brukermedvirkning-2027-2030/",
    "council": "/brukerutvalg/brukerutvalget-i-bergen/",
    "search": "/search/?q=brukerutvalg",
}
# The newest meeting with published minutes, if the meetings feature is there.
MINUTES_SNIPPET = """
url = ""
try:
    from portal.meetings.models import MeetingPage
    from portal.meetings.selectors import published_minutes_for
except ImportError:
    MeetingPage = None
if MeetingPage is not None:
    for page in MeetingPage.objects.live().public().filter(locale__language_code="nb").order_by("-start"):
        if published_minutes_for(meeting=page) is not None:
            url = page.url
            break
print(url)
"""

WRK_SCRIPT = """
local paths = {%(paths)s}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, "p99_us": %%d, ' ..
    '"max_us": %%d, "connect_errors": %%d, "read_errors": %%d, "write_errors": %%d, "non_2xx_3xx": %%d, ' ..
    '"timeouts": %%d}\\n', summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def database_url(name: str) -> str:
    return f"sqlite:///{VAR / 'load.sqlite3'}" if name == "sqlite" else PG_URL


def server_env(db_url: str, cache_seconds: int) -> dict[str, str]:
    return dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=db_url,
        SECURE_SSL_REDIRECT="false",  # plain HTTP on loopback; a proxy terminates TLS in production
        SECURE_HSTS_SECONDS="0",
        # Production caches in Redis (REDIS_URL, default 127.0.0.1:6379); a fresh prefix per server start
        # gives each measured run an empty page cache of its own.
        CACHE_KEY_PREFIX=f"bench-{secrets.token_hex(6)}",
        PORTAL_PAGE_CACHE_SECONDS=str(cache_seconds),
        LOG_LEVEL="ERROR",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",  # a benchmark sends no e-mail
    )


def prepare(name: str) -> None:
    """A fresh scratch database with the demo content, and collected static files."""
    VAR.mkdir(parents=True, exist_ok=True)
    db_url = database_url(name)
    if name == "sqlite":
        for path in VAR.glob("load.sqlite3*"):
            path.unlink()
    else:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "portal_bench"], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "portal_bench"], check=True)
    env = server_env(db_url, 0)
    manage = [str(BIN / "python"), "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "load_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)


def page_mix(name: str) -> dict[str, str]:
    env = server_env(database_url(name), 0)
    output = subprocess.run([str(BIN / "python"), "manage.py", "shell", "-v0", "-c", MINUTES_SNIPPET], cwd=ROOT,
                            env=env, check=True, capture_output=True, text=True).stdout
    found = next((line for line in output.splitlines() if line.startswith("/")), "")
    return {**PAGES, "minutes": found} if found else dict(PAGES)


def start_gunicorn(name: str, port: int, workers: int, cache_seconds: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--log-level", "error"],
        cwd=ROOT, env=server_env(database_url(name), cache_seconds),
    )
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/ping/", timeout=2)  # noqa: S310 - local
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def check_pages(port: int, pages: dict[str, str]) -> None:
    for label, path in pages.items():
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:  # noqa: S310
            if response.status != 200:
                raise SystemExit(f"{label} ({path}) answered {response.status}")


def wrk(port: int, paths: list[str], *, seconds: int, connections: int, threads: int) -> dict:
    quoted = ", ".join(json.dumps(path) for path in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"paths": quoted})
    try:
        output = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", script.name,
             f"http://127.0.0.1:{port}"],
            check=True, capture_output=True, text=True,
        ).stdout
    finally:
        os.unlink(script.name)
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    raw = json.loads(line.removeprefix("RESULT "))
    errors = raw["connect_errors"] + raw["read_errors"] + raw["write_errors"] + raw["non_2xx_3xx"] + raw["timeouts"]
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p95_ms": round(raw["p95_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "max_ms": round(raw["max_us"] / 1000, 1),
        "errors": errors,
        "error_detail": {key: raw[key] for key in ("connect_errors", "read_errors", "write_errors", "non_2xx_3xx",
                                                  "timeouts")},
    }


def run_one(name: str, cache_seconds: int, args) -> dict:
    pages = page_mix(name)
    server = start_gunicorn(name, args.port, args.workers, cache_seconds)
    try:
        check_pages(args.port, pages)
        # Warm-up: every worker imports its templates and fills per-process caches.
        wrk(args.port, list(pages.values()), seconds=3, connections=args.connections, threads=args.threads)
        load = {"before": os.getloadavg()[0]}
        page_result = wrk(args.port, list(pages.values()), seconds=args.seconds, connections=args.connections,
                          threads=args.threads)
        ping_result = wrk(args.port, ["/ping/"], seconds=args.seconds, connections=args.connections,
                          threads=args.threads)
        load["after"] = os.getloadavg()[0]
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "database": name,
        "cache_seconds": cache_seconds,
        "pages": pages,
        "page_mix": page_result,
        "ping": ping_result,
        "ratio": round(page_result["rps"] / ping_result["rps"], 3) if ping_result["rps"] else None,
        "loadavg_1m": load,
    }


def table(results: list[dict]) -> str:
    lines = [
        "| database | page cache | what | req/s | p50 ms | p95 ms | p99 ms | errors | pages ÷ ping |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        cache = f"{result['cache_seconds']} s" if result["cache_seconds"] else "off"
        for what, key in (("page mix", "page_mix"), ("/ping/", "ping")):
            row = result[key]
            ratio = f"**{result['ratio']}**" if key == "page_mix" else ""
            lines.append(f"| {result['database']} | {cache} | {what} | {row['rps']} | {row['p50_ms']} | "
                         f"{row['p95_ms']} | {row['p99_ms']} | {row['errors']} | {ratio} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", action="append", choices=["sqlite", "postgres"])
    parser.add_argument("--cache", choices=["off", "on", "both"], default="both")
    parser.add_argument("--cache-seconds", type=int, default=60)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk (make bench does)")
    caches = {"off": [0], "on": [args.cache_seconds], "both": [0, args.cache_seconds]}[args.cache]
    results = []
    for name in args.database or ["sqlite", "postgres"]:
        prepare(name)
        for seconds in caches:
            results.append(run_one(name, seconds, args))
            print(table(results[-1:]), flush=True)
    summary = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "settings": {key: getattr(args, key) for key in ("seconds", "connections", "threads", "workers")},
        "results": results,
    }
    out = VAR / f"load-{int(time.time())}.json"
    out.write_text(json.dumps(summary, indent=2))
    print()
    print(table(results))
    print(f"\nfull figures: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
