"""Fault runs (not tests): what readers get while Redis, the database or Elasticsearch is down.

    .venv/bin/python bench/cluster/faults.py

1. **Redis down.** The cluster (bench/cluster/cluster.py) runs with its own Redis on 8379; this stops
   it, reads pages through nginx (they must be 200, served uncached), asks /ready/ (503 naming the
   cache), starts Redis again and reads until pages are cached again.
2. **Database connections killed.** ``pg_terminate_backend`` on every connection to the scratch
   database portal_cluster (the shared server keeps running; other engineers use it): the
   application servers' persistent connections are dead, the health check before reuse notices,
   and the next requests reconnect. Every request must still answer 200.
3. **Database restart.** A scratch PostgreSQL server of our own (initdb under var/cluster/pg, port
   8390, a copy of portal_cluster) with one more gunicorn (8303) on it; stopped with ``pg_ctl stop``
   and started again. While it is down requests must fail fast (503 with Retry-After, well under
   the proxy timeout) and /ready/ must say "database"; after it is back, requests must answer 200
   without restarting gunicorn.
4. **Elasticsearch down.** One more gunicorn (8304) with ELASTICSEARCH_URL at a closed port
   (8392): search must answer 200 with results, from the database index.

Figures go to stdout and var/cluster/faults-<time>.json.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cluster as cl  # noqa: E402

PG_PORT = 8390
PG_DIR = cl.VAR / "pg"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PG_APP_PORT = 8303
ES_APP_PORT = 8304
CLOSED_ES_PORT = 8392
PAGES = ["/", "/horinger/", "/brukerutvalg/brukerutvalget-i-bergen/", "/search/?q=bergen"]


def get(port: int, path: str, timeout: float = 30) -> dict:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as response:  # noqa: S310
            status, headers, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, error.headers, error.read()
    except OSError as error:
        status, headers, body = 599, {}, str(error).encode()
    return {"path": path, "status": status, "ms": round((time.monotonic() - started) * 1000, 1),
            "cache": headers.get("X-Portal-Page-Cache", "") if headers else "",
            "retry_after": headers.get("Retry-After", "") if headers else "", "body": body}


def summary(results: list[dict]) -> dict:
    statuses: dict[str, int] = {}
    for result in results:
        statuses[str(result["status"])] = statuses.get(str(result["status"]), 0) + 1
    times = sorted(result["ms"] for result in results)
    return {"requests": len(results), "statuses": statuses, "max_ms": times[-1] if times else None,
            "median_ms": times[len(times) // 2] if times else None}


def ready(port: int) -> dict:
    result = get(port, "/ready/")
    try:
        body = json.loads(result["body"])
    except ValueError:
        body = {}
    return {"status": result["status"], "failed": body.get("failed"), "ms": result["ms"]}


def redis_down(cluster: cl.Cluster) -> dict:
    front = cl.FRONT_PORT
    for path in PAGES:
        get(front, path)
    before = [get(front, path) for path in PAGES]
    if cluster.redis is None:
        return {"ok": False, "detail": "Redis on 8379 was not started by the cluster: not stopping someone else's"}
    cl.log("FAULT: stopping Redis")
    os.killpg(cluster.redis.pid, signal.SIGKILL)
    cluster.redis.wait()
    during = [get(front, path) for path in PAGES for _ in range(3)]
    ready_during = ready(front)
    cl.log("starting Redis again")
    cluster.redis = None
    cluster.start_redis()
    time.sleep(6)  # RETRY_SECONDS: each process tries Redis again after its pause
    for _ in range(2):
        for path in PAGES:
            get(front, path)
    after = [get(front, path) for path in PAGES]
    ready_after = ready(front)
    return {
        "before": {**summary(before), "cache": sorted({r["cache"] for r in before})},
        "during": {**summary(during), "cache_hits": sum(r["cache"] == "hit" for r in during)},
        "ready_during": ready_during,
        "after": {**summary(after), "cache_hits": sum(r["cache"] == "hit" for r in after)},
        "ready_after": ready_after,
        "ok": all(r["status"] == 200 for r in during) and ready_during["status"] == 503
        and ready_during["failed"] == ["cache"] and ready_after["status"] == 200
        and any(r["cache"] == "hit" for r in after),
    }


def connections_killed() -> dict:
    front = cl.FRONT_PORT
    # Query strings of their own: never in the page cache, so every request needs the database.
    for number in range(8):  # every worker of both servers holds a connection now
        get(front, f"/horinger/?before={number}")
    output = subprocess.run(  # noqa: S603 - psql with a fixed query on our scratch database
        ["psql", *cl.PG, "-d", "postgres", "-Atc",
         "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = 'portal_cluster' "
         "AND pid <> pg_backend_pid()"], check=True, capture_output=True, text=True).stdout.strip()
    cl.log(f"FAULT: terminated {output} connections to {cl.DATABASE_NAME}")
    after = [get(front, f"/horinger/?after={number}") for number in range(12)]
    return {"terminated_connections": int(output or 0), "after": summary(after),
            "ok": all(r["status"] == 200 for r in after)}


def pg(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    # PostgreSQL refuses to run as root: our scratch server runs as the postgres user.
    command = " ".join([str(PG_BIN / args[0]), *args[1:]])
    prefix = ["su", "postgres", "-c"] if os.geteuid() == 0 else ["sh", "-c"]
    return subprocess.run([*prefix, command], check=check, capture_output=True, text=True)


def start_scratch_postgres() -> None:
    if PG_DIR.exists():
        pg("pg_ctl", "-D", str(PG_DIR / "data"), "stop", "-m", "immediate", check=False)
        shutil.rmtree(PG_DIR)
    (PG_DIR / "socket").mkdir(parents=True)
    if os.geteuid() == 0:
        shutil.chown(PG_DIR, "postgres")
        shutil.chown(PG_DIR / "socket", "postgres")
    cl.log(f"initdb of a scratch PostgreSQL server in {PG_DIR.relative_to(cl.ROOT)} (port {PG_PORT})")
    pg("initdb", "-D", str(PG_DIR / "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
    start_postgres()
    cl.log(f"copying {cl.DATABASE_NAME} into it (pg_dump | psql)")
    subprocess.run(["createdb", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", cl.DATABASE_NAME], check=True)
    dump = subprocess.Popen(["pg_dump", *cl.PG, "--no-owner", cl.DATABASE_NAME], stdout=subprocess.PIPE)
    subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-d", cl.DATABASE_NAME],
                   stdin=dump.stdout, check=True, stdout=subprocess.DEVNULL)
    dump.wait()


def start_postgres() -> None:
    pg("pg_ctl", "-D", str(PG_DIR / "data"), "-l", str(PG_DIR / "log"), "-w", "start",
       "-o", f"'-p {PG_PORT} -k {PG_DIR / 'socket'} -c listen_addresses=127.0.0.1 -c fsync=off'")


def stop_postgres() -> None:
    pg("pg_ctl", "-D", str(PG_DIR / "data"), "-w", "stop", "-m", "fast", check=False)


def gunicorn(port: int, env: dict[str, str], *, workers: int) -> subprocess.Popen:
    """One more application server beside the cluster, on settings of the fault's own."""
    server = subprocess.Popen([str(cl.BIN / "gunicorn"), "portal.wsgi", "--bind", f"127.0.0.1:{port}",
                               "--workers", str(workers), "--log-level", "warning",
                               "--error-logfile", str(cl.VAR / f"gunicorn-{port}.log")],
                              cwd=cl.ROOT, env=env, start_new_session=True)
    cl.wait_for(f"http://127.0.0.1:{port}/ping/")
    return server


def database_restart(cluster: cl.Cluster) -> dict:
    start_scratch_postgres()
    env = cl.portal_env(DATABASE_URL=cl.database_url(PG_PORT), CACHE_KEY_PREFIX="cluster-pg-fault")
    server = gunicorn(PG_APP_PORT, env, workers=2)
    try:
        path = "/horinger/"
        # A query string of its own per request: never in the page cache, so each needs the database.
        fresh = iter(range(10_000))
        before = [get(PG_APP_PORT, f"{path}?fault={next(fresh)}") for _ in range(4)]
        get(PG_APP_PORT, path)  # this one is cached now
        cl.log(f"FAULT: stopping the scratch PostgreSQL server on {PG_PORT} (pg_ctl stop -m fast)")
        stop_postgres()
        during = [get(PG_APP_PORT, f"{path}?fault={next(fresh)}") for _ in range(6)]
        cached_during = [get(PG_APP_PORT, path) for _ in range(3)]  # anonymous readers' cached copy
        ready_during = ready(PG_APP_PORT)
        cl.log("starting it again (gunicorn is not restarted)")
        down_for = time.monotonic()
        start_postgres()
        recovered_after = None
        after = []
        for _ in range(60):
            result = get(PG_APP_PORT, f"{path}?fault={next(fresh)}")
            after.append(result)
            if result["status"] == 200 and recovered_after is None:
                recovered_after = round(time.monotonic() - down_for, 2)
            if len(after) >= 6 and all(r["status"] == 200 for r in after[-4:]):
                break
            time.sleep(0.25)
        ready_after = ready(PG_APP_PORT)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        stop_postgres()
    return {
        "before": summary(before),
        "during": {**summary(during), "retry_after": sorted({r["retry_after"] for r in during})},
        "cached_page_during": {**summary(cached_during), "cache": sorted({r["cache"] for r in cached_during})},
        "ready_during": ready_during,
        "after_start": {**summary(after), "first_200_after_start_s": recovered_after},
        "ready_after": ready_after,
        "ok": all(r["status"] == 200 for r in before) and all(r["status"] == 503 for r in during)
        and max(r["ms"] for r in during) < 5000 and ready_during["failed"] is not None
        and "database" in ready_during["failed"] and all(r["status"] == 200 for r in after[-4:])
        and ready_after["status"] == 200,
    }


def elasticsearch_down() -> dict:
    # LOG_LEVEL=ERROR: the Elasticsearch client logs every refused connection with its traceback.
    env = cl.portal_env(ELASTICSEARCH_URL=f"http://127.0.0.1:{CLOSED_ES_PORT}", CACHE_KEY_PREFIX="cluster-es-fault",
                        LOG_LEVEL="ERROR")
    server = gunicorn(ES_APP_PORT, env, workers=1)
    try:
        cl.log(f"FAULT: search with ELASTICSEARCH_URL at a closed port ({CLOSED_ES_PORT})")
        results = [get(ES_APP_PORT, f"/search/?q={quote(word)}") for word in ("bergen", "brukerutvalg", "høring")]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    found = ["Brukerutvalget i Bergen" in r["body"].decode("utf-8", "replace") for r in results]
    return {**summary(results), "first_query_found_the_council": found[0],
            "ok": all(r["status"] == 200 for r in results) and found[0]}


def main() -> None:
    cluster = cl.Cluster(workers=0)
    results: dict[str, dict] = {}
    try:
        cluster.start()
        results["redis down"] = redis_down(cluster)
        results["database connections killed"] = connections_killed()
        results["database restart (scratch server on 8390)"] = database_restart(cluster)
        results["elasticsearch down"] = elasticsearch_down()
    finally:
        cluster.stop()
    out = cl.VAR / f"faults-{int(time.time())}.json"
    out.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    print(f"full figures: {out.relative_to(cl.ROOT)}")
    failed = [name for name, result in results.items() if not result["ok"]]
    if failed:
        raise SystemExit("fault run FAILED: " + ", ".join(failed))
    print("fault run passed")


if __name__ == "__main__":
    main()
