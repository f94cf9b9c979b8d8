"""Load benchmark (not a test): gunicorn with production settings under wrk, on a scratch database.

For each database it builds a scratch database (migrated, demo loaded, static files collected), starts
gunicorn, checks every page of the mix answers 200, then runs wrk at fixed concurrency in alternating
pairs: the pages for a few seconds, then the trivial ``/ping/`` view for as long, ``--rounds`` times.
The tracked figure is each pair's page throughput divided by its ``/ping/`` throughput (median, with
the lowest and highest pair as the spread): the machine's swings move both halves of a pair alike.
``--each`` measures every page type alone the same way; ``--member NAME`` the page mix (and the
workspace) signed in as that demo user. ``--starter`` also measures a bare Wagtail
starter site (``wagtail start`` into var/bench/starter, same gunicorn settings) in the same run, its
home page against its own ``/ping/``, as the anchor: what the same stack costs without the portal.

Nothing is measured unless the process answering is the gunicorn this script started: the port must
be free before it starts, the server must still be running, and the process listening on the port
must be it (``ss -ltnp``). Figures go to stdout (Markdown) and var/bench/load-*.json.

    .venv/bin/python bench/load/run.py --database sqlite --cache off --each --starter
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
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


def prepare(name: str, *, reuse: bool = False) -> None:
    """A fresh scratch database with the demo content, and collected static files. ``reuse``: keep the
    scratch SQLite database of an earlier run if there is one (the demo loader alone takes minutes on
    a busy machine)."""
    VAR.mkdir(parents=True, exist_ok=True)
    db_url = database_url(name)
    if reuse and name == "sqlite" and (VAR / "load.sqlite3").exists():
        env = server_env(db_url, 0)
        subprocess.run([str(BIN / "python"), "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env,
                       check=True)
        return
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


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def listening_pids(port: int) -> set[int]:
    """PIDs of the processes listening on the port (``ss -ltnp``)."""
    output = subprocess.run(["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True, check=True).stdout
    return {int(pid) for pid in re.findall(r"pid=(\d+)", output)}


def children(pid: int) -> set[int]:
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return set()
    return {int(child) for child in found}


def verify_ours(server: subprocess.Popen, port: int) -> None:
    """Refuse to measure anything but the gunicorn this script started."""
    if server.poll() is not None:
        raise SystemExit(f"gunicorn exited with {server.returncode}: is port {port} taken?")
    ours = {server.pid} | children(server.pid)
    listeners = listening_pids(port)
    if not listeners or not listeners <= ours:
        raise SystemExit(f"port {port} is served by {sorted(listeners)}, not by our gunicorn {sorted(ours)}")


def start_gunicorn(name: str, port: int, workers: int, cache_seconds: int, *, app: str = "portal.wsgi",
                   cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.Popen:
    if not port_is_free(port):
        raise SystemExit(f"port {port} is already in use: refusing to measure whatever answers there")
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), app, "--config", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "error"],
        cwd=cwd, env=env if env is not None else server_env(database_url(name), cache_seconds),
    )
    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/ping/", timeout=2)  # noqa: S310 - local
            verify_ours(server, port)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def memory(server: subprocess.Popen) -> list[dict]:
    """RSS and PSS (shared pages divided among the processes sharing them) of each worker, in MB."""
    rows = []
    for pid in sorted(children(server.pid)):
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        values = {key: int(number) / 1024 for key, number in re.findall(r"^(Rss|Pss):\s+(\d+) kB", text, re.M)}
        rows.append({"pid": pid, "rss_mb": round(values.get("Rss", 0), 1), "pss_mb": round(values.get("Pss", 0), 1)})
    return rows


def check_pages(port: int, pages: dict[str, str]) -> None:
    for label, path in pages.items():
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:  # noqa: S310
            if response.status != 200:
                raise SystemExit(f"{label} ({path}) answered {response.status}")


def wrk(port: int, paths: list[str], *, seconds: int, connections: int, threads: int,
        cookie: str = "") -> dict:
    quoted = ", ".join(json.dumps(path) for path in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"paths": quoted})
    try:
        output = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", script.name,
             *(["-H", f"Cookie: {cookie}"] if cookie else []), f"http://127.0.0.1:{port}"],
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


def drain(port: int, *, limit: float = 60.0) -> None:
    """Wait until the requests wrk left queued in gunicorn are answered (a single /ping/ comes back
    fast): otherwise slow pages still in the queue eat into the next half of the pair."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        start = time.monotonic()
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/ping/", timeout=limit)  # noqa: S310 - local
        except OSError:
            pass
        if time.monotonic() - start < 0.2:
            return


def pairs(server: subprocess.Popen, port: int, paths: list[str], args, *, cookie: str = "") -> dict:
    """``--rounds`` alternating runs of the paths and of /ping/, each pair's ratio, and the spread.
    ``cookie``: the pages are read signed in (``/ping/`` never is)."""
    rounds = []
    for _ in range(args.rounds):
        verify_ours(server, port)
        drain(port)
        page = wrk(port, paths, seconds=args.seconds, connections=args.connections, threads=args.threads,
                   cookie=cookie)
        drain(port)
        ping = wrk(port, ["/ping/"], seconds=args.seconds, connections=args.connections, threads=args.threads)
        ratio = round(page["rps"] / ping["rps"], 4) if ping["rps"] else 0.0
        rounds.append({"page": page, "ping": ping, "ratio": ratio})
    ratios = [r["ratio"] for r in rounds]
    return {
        "rounds": rounds,
        "ratio_median": round(statistics.median(ratios), 4),
        "ratio_min": min(ratios),
        "ratio_max": max(ratios),
        "page_rps_median": round(statistics.median(r["page"]["rps"] for r in rounds), 1),
        "ping_rps_median": round(statistics.median(r["ping"]["rps"] for r in rounds), 1),
        "p95_ms_median": round(statistics.median(r["page"]["p95_ms"] for r in rounds), 1),
        "errors": sum(r["page"]["errors"] + r["ping"]["errors"] for r in rounds),
    }


MEMBER_SNIPPET = """
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
user = get_user_model().objects.get(username=%(username)r)
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY], store[BACKEND_SESSION_KEY] = str(user.pk), "django.contrib.auth.backends.ModelBackend"
store[HASH_SESSION_KEY] = user.get_session_auth_hash()
store.save()
print("SESSION " + store.session_key)
"""
# The signed-in member's mix: the public pages as they see them, and their own workspace.
MEMBER_PAGES = {"workspace": "/arbeidsrom/"}


def member_cookie(env: dict[str, str], username: str, port: int) -> str:
    """A session for ``username`` (signed with the server's own SECRET_KEY, hence its ``env``), checked
    to be signed in: the workspace answers 200, not the sign-in page."""
    output = subprocess.run([str(BIN / "python"), "manage.py", "shell", "-v0", "-c",
                             MEMBER_SNIPPET % {"username": username}], cwd=ROOT, env=env, check=True,
                            capture_output=True, text=True).stdout
    key = next(line for line in output.splitlines() if line.startswith("SESSION ")).removeprefix("SESSION ")
    cookie = f"sessionid={key}"
    request = urllib.request.Request(f"http://127.0.0.1:{port}/arbeidsrom/", headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - local
        if response.status != 200 or not response.url.endswith("/arbeidsrom/"):  # not sent to sign in
            raise SystemExit(f"{username} is not signed in with the benchmark's session ({response.url})")
    return cookie


def run_one(name: str, cache_seconds: int, args) -> dict:
    pages = page_mix(name)
    env = server_env(database_url(name), cache_seconds)
    server = start_gunicorn(name, args.port, args.workers, cache_seconds, env=env)
    try:
        check_pages(args.port, pages)
        # Warm-up: every worker imports its templates and fills per-process caches.
        wrk(args.port, list(pages.values()), seconds=3, connections=args.connections, threads=args.threads)
        load = {"before": os.getloadavg()[0]}
        measured = {"page mix": pairs(server, args.port, list(pages.values()), args)}
        if args.member:
            cookie = member_cookie(env, args.member, args.port)
            member_paths = list(pages.values()) + list(MEMBER_PAGES.values())
            wrk(args.port, member_paths, seconds=3, connections=args.connections, threads=args.threads, cookie=cookie)
            measured[f"member mix ({args.member})"] = pairs(server, args.port, member_paths, args, cookie=cookie)
        if args.each:
            for label, path in pages.items():
                measured[label] = pairs(server, args.port, [path], args)
        load["after"] = os.getloadavg()[0]
        workers = memory(server)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"site": "portal", "database": name, "cache_seconds": cache_seconds, "pages": pages,
            "measured": measured, "loadavg_1m": load, "workers_memory": workers}


STARTER = VAR / "starter"
STARTER_PING = """
from django.http import HttpResponse
from django.urls import path


def ping(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("ping/", ping)] + urlpatterns
"""


def prepare_starter() -> dict[str, str]:
    """A bare ``wagtail start`` site (same Wagtail, Django and Python), production settings, migrated,
    with a /ping/ view like the portal's; its home page is the starter's welcome page."""
    shutil.rmtree(STARTER, ignore_errors=True)
    STARTER.mkdir(parents=True)
    subprocess.run([str(BIN / "wagtail"), "start", "starter", str(STARTER)], check=True, stdout=subprocess.DEVNULL)
    # The starter's app "search" shares its name with the portal's, and the portal's editable install
    # (make install) maps every "search.*" module to the portal's files: Django then found the
    # portal's search/apps.py for the starter. Under another name the starter is itself again.
    (STARTER / "search").rename(STARTER / "starter_search")
    for name, old, new in (("settings/base.py", '"search",', '"starter_search",'),
                           ("urls.py", "from search import", "from starter_search import")):
        path = STARTER / "starter" / name
        path.write_text(path.read_text().replace(old, new))
    (STARTER / "starter" / "settings" / "local.py").write_text(
        f"SECRET_KEY = {secrets.token_urlsafe(40)!r}\nALLOWED_HOSTS = ['127.0.0.1', 'localhost']\n"
    )
    with (STARTER / "starter" / "urls.py").open("a") as urls:
        urls.write(STARTER_PING)
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="starter.settings.production")
    for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"]):
        subprocess.run([str(BIN / "python"), "manage.py", *command], cwd=STARTER, env=env, check=True)
    return env


def run_starter(env: dict[str, str], args) -> dict:
    port = args.port + 1
    server = start_gunicorn("starter", port, args.workers, 0, app="starter.wsgi", cwd=STARTER, env=env)
    try:
        check_pages(port, {"home": "/"})
        wrk(port, ["/"], seconds=3, connections=args.connections, threads=args.threads)
        measured = {"home": pairs(server, port, ["/"], args)}
        workers = memory(server)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"site": "wagtail starter", "database": "sqlite", "cache_seconds": 0, "pages": {"home": "/"},
            "measured": measured, "workers_memory": workers}


def table(results: list[dict]) -> str:
    lines = [
        "| site | database | page cache | what | page req/s | ping req/s | page p95 ms | errors "
        "| ratio (median) | ratio min–max |",
        "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for result in results:
        cache = f"{result['cache_seconds']} s" if result["cache_seconds"] else "off"
        for what, row in result["measured"].items():
            lines.append(f"| {result['site']} | {result['database']} | {cache} | {what} | {row['page_rps_median']} | "
                         f"{row['ping_rps_median']} | {row['p95_ms_median']} | {row['errors']} | "
                         f"**{row['ratio_median']}** | {row['ratio_min']}–{row['ratio_max']} |")
    return "\n".join(lines)


def memory_table(results: list[dict]) -> str:
    lines = ["| site | database | worker | RSS MB | PSS MB |", "| --- | --- | --- | ---: | ---: |"]
    for result in results:
        for number, row in enumerate(result.get("workers_memory", []), 1):
            lines.append(f"| {result['site']} | {result['database']} | {number} | {row['rss_mb']} | {row['pss_mb']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", action="append", choices=["sqlite", "postgres"])
    parser.add_argument("--cache", choices=["off", "on", "both"], default="both")
    parser.add_argument("--cache-seconds", type=int, default=60)
    parser.add_argument("--seconds", type=int, default=5, help="length of each half of a pair")
    parser.add_argument("--rounds", type=int, default=3, help="alternating page and /ping/ pairs per row")
    parser.add_argument("--each", action="store_true", help="also measure every page type alone")
    parser.add_argument("--starter", action="store_true", help="also measure a bare Wagtail starter site")
    parser.add_argument("--reuse", action="store_true", help="keep an existing scratch SQLite database")
    parser.add_argument("--member", default="", help="also measure the page mix signed in as this demo user "
                                                     "(with their workspace), e.g. utvalgsmedlem")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk (make bench does)")
    caches = {"off": [0], "on": [args.cache_seconds], "both": [0, args.cache_seconds]}[args.cache]
    results = []
    starter_env = prepare_starter() if args.starter else None
    for name in args.database or ["sqlite", "postgres"]:
        prepare(name, reuse=args.reuse)
        for seconds in caches:
            results.append(run_one(name, seconds, args))
            print(table(results[-1:]), flush=True)
            if starter_env is not None:
                # Right after the portal's row, so both ratios come from the same minutes of the machine.
                results.append(run_starter(starter_env, args))
                print(table(results[-1:]), flush=True)
    summary = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "settings": {key: getattr(args, key) for key in ("seconds", "rounds", "connections", "threads", "workers")},
        "results": results,
    }
    out = VAR / f"load-{int(time.time())}.json"
    out.write_text(json.dumps(summary, indent=2))
    print()
    print(table(results))
    print()
    print(memory_table(results))
    print(f"\nfull figures: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
