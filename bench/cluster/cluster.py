"""A small production-like cluster on this machine (`make cluster`): one address, several processes.

    nginx :8380 (Debian's package, a non-daemon child; config, pid and logs in var/cluster/)
      ├─ gunicorn portal.wsgi :8301  (production settings)
      └─ gunicorn portal.wsgi :8302
    task workers ×2 (`manage.py task_worker`, when the task queue is installed)
    Redis :8379 (started here if nothing answers there; our own, so the fault run may stop it)
    PostgreSQL 127.0.0.1:5432, scratch database portal_cluster (migrated, demo loaded once)
    shared file roots var/cluster/shared/{media,private} (one path for all servers, as NFS would be)

`python bench/cluster/cluster.py` starts it all, prints what it does, and stops everything on Ctrl-C.
bench/cluster/soak.py and bench/cluster/faults.py import ``Cluster`` and drive it themselves.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var" / "cluster"
BIN = Path(sys.executable).parent
PYTHON = str(BIN / "python")

FRONT_PORT = 8380
APP_PORTS = (8301, 8302)
REDIS_PORT = 8379
DATABASE_NAME = "portal_cluster"
PG = ["-h", "127.0.0.1", "-U", "postgres"]

NGINX_CONF = """\
# Written by bench/cluster/cluster.py: nginx as one address in front of the application servers.
worker_processes 1;
pid {var}/nginx.pid;
error_log {var}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log {var}/nginx-access.log;
    client_body_temp_path {var}/nginx-tmp/body;
    proxy_temp_path {var}/nginx-tmp/proxy;
    fastcgi_temp_path {var}/nginx-tmp/fastcgi;
    uwsgi_temp_path {var}/nginx-tmp/uwsgi;
    scgi_temp_path {var}/nginx-tmp/scgi;
    # Uploads up to PORTAL_UPLOAD_MAX_BYTES (10 MB) and the form around them.
    client_max_body_size 12m;

    upstream portal {{
        # A server that refuses connections is left alone for 10 s, then tried again.
{servers}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{front};
        location / {{
            proxy_pass http://portal;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host:$server_port;
            # The portal counts login failures per client address from this (TRUSTED_PROXY_COUNT=1).
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            # A dead server: retry the request on the other one. nginx never retries a POST that
            # reached a server (it may have been done), only connections that failed.
            proxy_next_upstream error timeout;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
            # Which server answered (the soak attributes every error to a server with it).
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


def log(message: str) -> None:
    print(f"[cluster {time.strftime('%H:%M:%S')}] {message}", flush=True)


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - local
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")


def database_url(port: int = 5432, name: str = DATABASE_NAME) -> str:
    return f"postgres://postgres@127.0.0.1:{port}/{name}"


def secret_key() -> str:
    # One key for every server (sessions and CSRF tokens must be valid on all), kept between starts.
    path = VAR / "secret-key"
    if not path.exists():
        VAR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


def portal_env(**overrides: str) -> dict[str, str]:
    shared = VAR / "shared"
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY=secret_key(),
        DATABASE_URL=database_url(),
        REDIS_URL=f"redis://127.0.0.1:{REDIS_PORT}/0",
        CACHE_KEY_PREFIX="cluster",
        MEDIA_ROOT=str(shared / "media"),
        PORTAL_PRIVATE_ROOT=str(shared / "private"),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CSRF_TRUSTED_ORIGINS=f"http://127.0.0.1:{FRONT_PORT},http://localhost:{FRONT_PORT}",
        WAGTAILADMIN_BASE_URL=f"http://127.0.0.1:{FRONT_PORT}",
        SECURE_SSL_REDIRECT="false",  # plain HTTP on loopback; in production the proxy terminates TLS
        SECURE_HSTS_SECONDS="0",
        TRUSTED_PROXY_COUNT="1",  # nginx
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",  # a local cluster sends no e-mail
        LOG_LEVEL="WARNING",
        # A task whose worker was killed is run again after this long (the soak kills one).
        PORTAL_TASK_STALE_SECONDS="20",
        PYTHONUNBUFFERED="1",
    )
    env.update(overrides)
    return env


def manage(*args: str, env: dict[str, str] | None = None, quiet: bool = False, check: bool = True,
           capture: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env or portal_env(), check=check, text=True,
                          stdout=subprocess.PIPE if capture or quiet else None,
                          stderr=subprocess.PIPE if capture or quiet else None)


def worker_command_available(env: dict[str, str] | None = None) -> bool:
    return manage("help", "task_worker", env=env, quiet=True, check=False).returncode == 0


def prepare_database(*, fresh: bool = False) -> None:
    exists = DATABASE_NAME in subprocess.run(["psql", *PG, "-Atc", "SELECT datname FROM pg_database"],
                                             check=True, capture_output=True, text=True).stdout.split()
    if fresh and exists:
        log(f"dropping the scratch database {DATABASE_NAME}")
        subprocess.run(["dropdb", *PG, DATABASE_NAME], check=True)
        exists = False
    if not exists:
        log(f"creating the scratch database {DATABASE_NAME} on 127.0.0.1:5432")
        subprocess.run(["createdb", *PG, DATABASE_NAME], check=True)
    log("migrating")
    manage("migrate", "--no-input", "-v0")
    marker = VAR / f"demo-loaded-{DATABASE_NAME}"
    if not exists or not marker.exists():
        log("loading the demo content (once per scratch database, about a minute)")
        manage("load_demo", quiet=True)
        marker.write_text("yes")
    manifest = ROOT / "var" / "static" / "staticfiles.json"
    if fresh or not manifest.exists() or any(path.stat().st_mtime > manifest.stat().st_mtime
                                             for path in (ROOT / "static").rglob("*") if path.is_file()):
        log("collecting static files (compressing them takes a minute)")
        manage("collectstatic", "--no-input", "-v0")


class Cluster:
    def __init__(self, *, workers: int = 2, app_workers: int = 2, env: dict[str, str] | None = None) -> None:
        self.workers = workers
        self.app_workers = app_workers
        self.env = env or portal_env()
        self.apps: dict[int, subprocess.Popen] = {}
        self.task_workers: dict[str, subprocess.Popen] = {}
        self.redis: subprocess.Popen | None = None
        self.nginx: subprocess.Popen | None = None
        self.has_worker_command = False

    # --- starting -------------------------------------------------------------------------------
    def start_redis(self) -> None:
        if port_open(REDIS_PORT):
            log(f"Redis already answers on {REDIS_PORT}: using it")
            return
        binary = shutil.which("redis-server")
        if binary is None:
            raise SystemExit("redis-server is missing: apt-get install redis-server")
        log(f"starting Redis on {REDIS_PORT} (no persistence: it only holds a cache)")
        self.redis = subprocess.Popen([binary, "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "",
                                       "--appendonly", "no", "--logfile", str(VAR / "redis.log")],
                                      start_new_session=True)
        for _ in range(50):
            if port_open(REDIS_PORT):
                return
            time.sleep(0.1)
        raise SystemExit("Redis did not start")

    def start_app(self, port: int) -> None:
        log(f"starting gunicorn on {port} ({self.app_workers} workers)")
        # Its own process group, so the soak can kill the server with all its workers at once.
        self.apps[port] = subprocess.Popen(
            [str(BIN / "gunicorn"), "portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(self.app_workers),
             "--timeout", "60", "--graceful-timeout", "10", "--log-level", "warning",
             "--error-logfile", str(VAR / f"gunicorn-{port}.log")],
            cwd=ROOT, env=self.env, start_new_session=True)

    def start_worker(self, name: str) -> None:
        log(f"starting task worker {name}")
        with open(VAR / f"{name}.log", "a") as output:
            self.task_workers[name] = subprocess.Popen(
                [PYTHON, "manage.py", "task_worker", "--worker-id", name, "--interval", "0.5"],
                cwd=ROOT, env=self.env, start_new_session=True, stdout=output, stderr=subprocess.STDOUT)

    def start_nginx(self) -> None:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            log("nginx is missing: installing Debian's nginx-light")
            subprocess.run(["apt-get", "install", "-y", "-qq", "nginx-light"], check=False)
            if not Path(nginx).exists():
                subprocess.run(["apt-get", "update", "-qq"], check=True)
                subprocess.run(["apt-get", "install", "-y", "-qq", "nginx-light"], check=True)
        (VAR / "nginx-tmp").mkdir(parents=True, exist_ok=True)
        servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;" for port in APP_PORTS)
        conf = VAR / "nginx.conf"
        conf.write_text(NGINX_CONF.format(var=VAR, servers=servers, front=FRONT_PORT))
        log(f"starting nginx on {FRONT_PORT} (config {conf.relative_to(ROOT)})")
        self.nginx = subprocess.Popen([nginx, "-p", str(VAR), "-e", str(VAR / "nginx-error.log"), "-c", str(conf),
                                       "-g", "daemon off;"], start_new_session=True)

    def start(self, *, fresh: bool = False) -> None:
        """Redis first (migrations and the demo loader start page cache generations), then the database,
        the application servers, the task workers and nginx."""
        VAR.mkdir(parents=True, exist_ok=True)
        (VAR / "shared" / "media").mkdir(parents=True, exist_ok=True)
        (VAR / "shared" / "private").mkdir(parents=True, exist_ok=True)
        for port in (FRONT_PORT, *APP_PORTS):
            if port_open(port):
                raise SystemExit(f"port {port} is taken: is another cluster running? (stop it first)")
        self.start_redis()
        prepare_database(fresh=fresh)
        for port in APP_PORTS:
            self.start_app(port)
        self.has_worker_command = bool(self.workers) and worker_command_available(self.env)
        if not self.workers:
            log("no task workers asked for")
        elif self.has_worker_command:
            for number in range(1, self.workers + 1):
                self.start_worker(f"cluster-worker-{number}")
        else:
            log("NOT starting task workers: `manage.py task_worker` does not exist on this branch yet "
                "(issue #20 item 1); exports still run in a thread of the web worker")
        for port in APP_PORTS:
            wait_for(f"http://127.0.0.1:{port}/ping/")
        self.start_nginx()
        wait_for(f"http://127.0.0.1:{FRONT_PORT}/ready/")
        log(f"ready: http://localhost:{FRONT_PORT}/ (readiness: /ready/)")

    # --- faults ---------------------------------------------------------------------------------
    def kill_app(self, port: int) -> None:
        """SIGKILL a whole application server (master and workers), as a crashed machine would."""
        process = self.apps[port]
        log(f"KILLING gunicorn on {port} (SIGKILL to its process group)")
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def kill_worker(self, name: str) -> None:
        process = self.task_workers[name]
        log(f"KILLING task worker {name} (SIGKILL)")
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    # --- stopping -------------------------------------------------------------------------------
    def stop(self) -> None:
        processes = [self.nginx, *self.apps.values(), *self.task_workers.values(), self.redis]
        for process in processes:
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.time() + 15
        for process in processes:
            if process is None:
                continue
            try:
                process.wait(timeout=max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log("stopped everything")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="drop and rebuild the scratch database")
    args = parser.parse_args()
    cluster = Cluster()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        cluster.start(fresh=args.fresh)
        log("Ctrl-C stops everything")
        while True:
            time.sleep(1)
            for port, process in cluster.apps.items():
                if process.poll() is not None:
                    raise SystemExit(f"gunicorn on {port} stopped (see var/cluster/gunicorn-{port}.log)")
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
