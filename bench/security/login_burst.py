"""Login-burst benchmark (not a test): does a burst of wrong passwords slow the public site down?

Password hashing (PBKDF2, Django's default) costs a lot of CPU per attempt: an unthrottled login
form lets anyone keep the server's cores busy. The benchmark starts gunicorn on a scratch SQLite
database with the demo loaded and the real password hasher, then for each mode (throttling off,
throttling on):

1. measures public-page latency while nothing else happens (quiet);
2. sends --rate wrong passwords per second (open loop, like an attacker) for --seconds, while one
   reader keeps fetching public pages, and reports the reader's latency and the attempts' outcome.

    .venv/bin/python bench/security/login_burst.py --seconds 20 --rate 8
    .venv/bin/python bench/security/login_burst.py --database postgres://postgres@127.0.0.1:5432/portal_security_bench

Figures go to stdout (Markdown) and var/bench/security-login-burst.json.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import math
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var" / "bench"
BIN = Path(sys.executable).parent
PUBLIC_PAGES = ["/", "/horinger/", "/brukerutvalg/", "/organisasjoner/"]
PORT = 8765


def _env(database: str, throttling: bool) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": f"{ROOT / 'bench' / 'security'}:{ROOT}",
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "DATABASE_URL": database,
        "LOGIN_THROTTLING": "1" if throttling else "0",
        "LOG_LEVEL": "ERROR",
    }


def prepare(database: str) -> None:
    if database.startswith("sqlite:///"):
        Path(database.removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        name = database.rsplit("/", 1)[-1]
        server = database.rsplit("/", 1)[0] + "/postgres"
        subprocess.run([BIN / "python", "-c", (
            "import psycopg, sys; c = psycopg.connect(sys.argv[1], autocommit=True); "
            f"c.execute('DROP DATABASE IF EXISTS {name}'); c.execute('CREATE DATABASE {name}')"), server], check=True)
    env = _env(database, True)
    subprocess.run([BIN / "python", "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([BIN / "python", "manage.py", "load_demo"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def start_server(database: str, throttling: bool) -> subprocess.Popen:
    server = subprocess.Popen(
        [BIN / "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "2", "--threads", "4",
         "--log-level", "error"],
        cwd=ROOT, env={**_env(database, throttling), "DJANGO_SETTINGS_MODULE": "bench_settings"},
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/ping/", timeout=2)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def fetch(path: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=60) as response:  # noqa: S310
        response.read()
    return time.perf_counter() - started


def read_public_pages(seconds: float, stop: threading.Event | None = None) -> list[float]:
    timings: list[float] = []
    deadline = time.monotonic() + seconds
    index = 0
    while time.monotonic() < deadline and not (stop and stop.is_set()):
        timings.append(fetch(PUBLIC_PAGES[index % len(PUBLIC_PAGES)]))
        index += 1
    return timings


def _login_opener() -> tuple[urllib.request.OpenerDirector, str]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"http://127.0.0.1:{PORT}/accounts/login/", timeout=60).read().decode()  # noqa: S310
    return opener, re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def attempt(opener: urllib.request.OpenerDirector, token: str, username: str, number: int,
            outcome: dict, lock: threading.Lock) -> None:
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username,
                                   "password": f"gjett-{number}"}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}/accounts/login/", data=data,  # noqa: S310
                                     headers={"Referer": f"http://127.0.0.1:{PORT}/accounts/login/"})
    started = time.perf_counter()
    try:
        status = opener.open(request, timeout=120).status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = "error"
    elapsed = time.perf_counter() - started
    with lock:
        outcome[str(status)] = outcome.get(str(status), 0) + 1
        outcome.setdefault("_times", []).append(elapsed)


def burst(stop: threading.Event, rate: float, outcome: dict, lock: threading.Lock, usernames: list[str]) -> None:
    """Open loop: send ``rate`` attempts per second whatever the server's answers take, as an
    attacker does (a closed loop would slow itself down exactly when the server suffers)."""
    opener, token = _login_opener()
    with ThreadPoolExecutor(max_workers=64) as pool:
        number = 0
        started = time.monotonic()
        while not stop.is_set():
            pool.submit(attempt, opener, token, usernames[number % len(usernames)], number, outcome, lock)
            number += 1
            time.sleep(max(0.0, started + number / rate - time.monotonic()))
        outcome["_sent"] = number


def summary(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    return {
        "requests": len(ordered),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        # Nearest rank: with few samples (a starved reader) this is the slowest one, as it should be.
        "p95_ms": round(ordered[min(len(ordered) - 1, math.ceil(len(ordered) * 0.95) - 1)] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


def run_mode(database: str, throttling: bool, seconds: float, rate: float, usernames: list[str]) -> dict:
    server = start_server(database, throttling)
    try:
        read_public_pages(2)  # warm up
        quiet = summary(read_public_pages(seconds / 2))
        stop, lock = threading.Event(), threading.Lock()
        outcome: dict = {}
        attacker = threading.Thread(target=burst, args=(stop, rate, outcome, lock, usernames))
        attacker.start()
        time.sleep(1)
        during = summary(read_public_pages(seconds))
        stop.set()
        attacker.join()
        attempt_times = outcome.pop("_times", [])
        sent = outcome.pop("_sent", 0)
        return {
            "throttling": throttling,
            "quiet": quiet,
            "during_burst": during,
            "attempts_sent": sent,
            "attempts": sum(outcome.values()),
            "attempt_statuses": outcome,
            "attempt_p50_ms": round(statistics.median(attempt_times) * 1000, 1) if attempt_times else None,
        }
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate", type=float, default=8, help="wrong-password attempts per second")
    parser.add_argument("--database", default=f"sqlite:///{VAR / 'security-login-burst.sqlite3'}",
                        help="scratch database URL (recreated), e.g. postgres://postgres@127.0.0.1:5432/portal_security_bench")
    parser.add_argument("--usernames", default="utvalgsmedlem",
                        help="comma-separated accounts the burst guesses (default: one account)")
    args = parser.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    database = args.database
    prepare(database)
    usernames = args.usernames.split(",")
    results = [run_mode(database, throttling, args.seconds, args.rate, usernames) for throttling in (False, True)]
    (VAR / "security-login-burst.json").write_text(json.dumps(results, indent=2))
    engine = "PostgreSQL" if database.startswith("postgres") else "SQLite"
    print(f"\nLogin burst: {args.rate:g} wrong passwords/s for {args.seconds:.0f} s against {', '.join(usernames)}; "
          f"one reader fetching public pages ({os.cpu_count()} CPUs, {engine}, gunicorn 2x4).\n")
    print("| throttling | public p50 quiet | public p50 during burst | p95 during burst | max during burst "
          "| reader requests | attempts sent / answered | attempt p50 | attempt outcomes |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for result in results:
        print(f"| {'on' if result['throttling'] else 'off'} | {result['quiet']['p50_ms']} ms "
              f"| {result['during_burst']['p50_ms']} ms | {result['during_burst']['p95_ms']} ms "
              f"| {result['during_burst']['max_ms']} ms | {result['during_burst']['requests']} "
              f"| {result['attempts_sent']} / {result['attempts']} | {result['attempt_p50_ms']} ms "
              f"| {result['attempt_statuses']} |")


if __name__ == "__main__":
    main()
