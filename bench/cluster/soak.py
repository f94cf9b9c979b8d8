"""Cluster soak (not a test): readers, editors, a publisher, exports and uploads through nginx while one
application server and one task worker are killed midway. Bounded in time; stops everything itself.

    .venv/bin/python bench/cluster/soak.py --seconds 60

Passes when
- no save is lost: every draft save and publish the server confirmed is a revision, and every new
  revision is a confirmed save or one in flight on the killed server (its answer was lost);
- every queued task completed, exactly once in effect: each export the owner started is done with
  its file, each confirmed upload is one document, and nothing is left queued, running or failed
  in the task queue (a task of the killed worker is run again by another);
- no reader got a stale page after a publish for longer than one cache generation
  (PORTAL_PAGE_CACHE_SECONDS): a read that started after a publish was confirmed and still showed
  the old title counts as stale, for the time between the two;
- no 5xx, except requests in flight on the killed server when it died.
Figures go to stdout and var/cluster/soak-<time>.json.
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import json
import re
import secrets
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "load"))

import cluster as cl  # noqa: E402

# The load soak's browser-like client (bench/load/soak.py; loaded by path, as this file is a "soak" too).
_spec = importlib.util.spec_from_file_location("load_soak", HERE.parent / "load" / "soak.py")
load_soak = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(load_soak)
FormFields, Session, csrf_token = load_soak.FormFields, load_soak.Session, load_soak.csrf_token

PASSWORD = "soak-passord-2026-x"  # noqa: S105 - scratch accounts of a scratch database
EDITORS = ("soak-editor-1", "soak-editor-2")
PUBLISHER = "soak-publisher"
UPLOADER = "soak-uploader"
EXPORTER = "horingseier"  # the demo hearing owner: exports are for hearing owners
DRAFT_SLUG = "personvern"
PUBLISH_SLUG = "tilgjengelighet"
KILLED_PORT = cl.APP_PORTS[0]
KILLED_WORKER = "cluster-worker-1"

SETUP = """
import json
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import Collection, Page
from portal.core.documents import simple_pdf
from portal.hearings import exports
from portal.hearings.models import HearingPage
codes = %(codes)r
User = get_user_model()
for username in %(superusers)r:
    user, _ = User.objects.get_or_create(username=username)
    user.is_staff = user.is_superuser = True
    user.set_password(%(password)r)
    user.save()
owner = User.objects.get(username=%(exporter)r)
owner.set_password(%(password)r)
owner.save()
# An export left running by an earlier soak's killed server would be joined instead of started anew.
from portal.hearings.models import ExportJob
ExportJob.objects.filter(requested_by=owner, state__in=["queued", "running"]).update(state="failed")
for username, tokens in codes.items():
    user = User.objects.get(username=username)
    # Enrolled (an app device, as everyone who may publish must be); they sign in with a backup code.
    TOTPDevice.objects.get_or_create(user=user, name="soak", defaults={"confirmed": True})
    device, _ = StaticDevice.objects.get_or_create(user=user, name="soak", defaults={"confirmed": True})
    device.token_set.all().delete()
    StaticToken.objects.bulk_create([StaticToken(device=device, token=t) for t in tokens])
pages = {slug: Page.objects.get(slug=slug, locale__language_code="nb") for slug in %(slugs)r}
hearing = next(h for h in HearingPage.objects.live().filter(locale__language_code="nb")
               if exports.exported_responses(h).exists())
open(%(pdf)r, "wb").write(simple_pdf("Soak upload", "Brukerutvalget drøftet høringssvaret om tilgjengelighet."))
print("SETUP " + json.dumps({
    "pages": {slug: [page.pk, page.url] for slug, page in pages.items()},
    "hearing": hearing.url, "collection": Collection.get_first_root_node().pk,
}))
"""

REPORT = """
import json, time
from django.apps import apps
from django.utils import timezone
from datetime import datetime, timezone as tz
from wagtail.documents.models import Document
from wagtail.models import Page, Revision
from portal.hearings.models import ExportJob
since = datetime.fromtimestamp(%(since)r, tz=tz.utc)
def state(job):  # before the task queue, a job whose thread died only looked failed after a while
    return str(job.effective_state() if hasattr(job, "effective_state") else job.state)
queue = None
if apps.is_installed("django_tasks_db"):
    Task = apps.get_model("django_tasks_database", "DBTaskResult")
    deadline = time.time() + %(drain)r
    pending = Task.objects.filter(enqueued_at__gte=since, status__in=["READY", "RUNNING"])
    while time.time() < deadline and pending.exists():
        time.sleep(1)
    tasks = Task.objects.filter(enqueued_at__gte=since)
    statuses = {}
    for status in tasks.values_list("status", flat=True):
        statuses[status] = statuses.get(status, 0) + 1
    by_path = {}
    for path, status in tasks.values_list("task_path", "status"):
        by_path.setdefault(path, {}).setdefault(status, 0)
        by_path[path][status] += 1
    rerun = [[str(t.id), t.task_path, t.worker_ids] for t in tasks if len(t.worker_ids or []) > 1]
    queue = {"statuses": statuses, "by_task": by_path, "run_by_two_workers": rerun}
else:
    deadline = time.time() + %(drain)r
    while time.time() < deadline and any(state(job) in ("queued", "running")
                                         for job in ExportJob.objects.filter(created_at__gte=since)):
        time.sleep(1)
jobs = {str(job.key): [state(job), bool(job.file)]
        for job in ExportJob.objects.filter(created_at__gte=since)}
revisions = {slug: [r.content.get("title") for r in Revision.page_revisions.filter(
    object_id=str(pk), created_at__gte=since)] for slug, pk in %(pages)r.items()}
live = {slug: Page.objects.get(pk=pk).title for slug, pk in %(pages)r.items()}
documents = list(Document.objects.filter(title__startswith=%(upload_prefix)r).values_list("title", flat=True))
print("REPORT " + json.dumps({"queue": queue, "jobs": jobs, "revisions": revisions, "live": live,
                              "documents": documents}))
"""


class Record:
    """Every request: who, what, when, answer, and which application server answered."""

    def __init__(self) -> None:
        self.run = f"Soak {time.strftime('%H%M%S')}"  # in every title: runs never count each other's saves
        self.lock = threading.Lock()
        self.requests: list[dict] = []
        self.confirmed: dict[str, list[str]] = collections.defaultdict(list)  # kind -> titles/keys
        self.in_flight_lost: dict[str, list[str]] = collections.defaultdict(list)
        self.publishes: list[tuple[int, float]] = []  # (number, confirmed at)
        self.reads: list[tuple[float, float, int]] = []  # (start, end, number seen) of the published page
        self.kill_at: float | None = None
        self.errors: list[str] = []

    def request(self, session: Session, who: str, method: str, path: str, **kwargs):
        start = time.time()
        try:
            status, location, body, upstream = session.full_request(method, path, **kwargs)
        except OSError as error:
            status, location, body, upstream = 599, "", str(error), ""
        end = time.time()
        with self.lock:
            self.requests.append({"who": who, "method": method, "path": path, "start": start, "end": end,
                                  "status": status, "upstream": upstream})
        return status, location, body, (start, end, upstream)

    def killed_in_flight(self, timing) -> bool:
        start, end, upstream = timing
        return (self.kill_at is not None and start <= self.kill_at + 0.5 and end >= self.kill_at - 0.5
                and str(KILLED_PORT) in upstream)


class ClusterSession(Session):
    """The load soak's client, also reporting nginx's X-Upstream and sending multipart uploads."""

    def full_request(self, method, path, form=None, files=None):
        body, content_type = None, None
        if files:
            boundary = uuid.uuid4().hex
            parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
                     for key, value in form or []]
            for key, (filename, content, file_type) in files.items():
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; filename="{filename}"\r\n'
                             f"Content-Type: {file_type}\r\n\r\n".encode() + content + b"\r\n")
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            content_type = f"multipart/form-data; boundary={boundary}"
        elif form is not None:
            body, content_type = urllib.parse.urlencode(form), "application/x-www-form-urlencoded"
        response, content = self.send(method, path, body, content_type)
        return response.status, response.getheader("Location", ""), content, response.getheader("X-Upstream", "")


def sign_in(record: Record, username: str, code: str) -> ClusterSession:
    session = ClusterSession(cl.FRONT_PORT)
    _s, _l, body, _t = record.request(session, username, "GET", "/admin/login/")
    status, location, _b, _t = record.request(session, username, "POST", "/admin/login/", form=[
        ("csrfmiddlewaretoken", csrf_token(body)), ("username", username), ("password", PASSWORD), ("next", "/admin/")])
    if status != 302:
        raise SystemExit(f"{username} could not sign in ({status})")
    status, location, _b, _t = record.request(session, username, "GET", "/admin/")
    if status == 302 and "two-step" in location:
        path = location.replace(f"http://127.0.0.1:{cl.FRONT_PORT}", "")
        _s, _l, body, _t = record.request(session, username, "GET", path)
        status, location, _b, _t = record.request(session, username, "POST", path, form=[
            ("csrfmiddlewaretoken", csrf_token(body)), ("code", code), ("next", "/admin/")])
        if status != 302:
            raise SystemExit(f"{username} could not pass the second step ({status})")
    return session


def edit_and_save(record: Record, session: ClusterSession, who: str, page_id: int, title: str, *, publish: bool):
    edit = f"/admin/pages/{page_id}/edit/"
    status, _l, body, _t = record.request(session, who, "GET", edit)
    if status != 200:
        return None
    parser = FormFields("page-edit-form")
    parser.feed(body)
    fields = [(key, value) for key, value in parser.fields if key not in ("title", "action-publish")]
    fields.append(("title", title))
    if publish:
        fields.append(("action-publish", "action-publish"))
    status, location, _b, timing = record.request(session, who, "POST", edit, form=fields)
    return status, location, timing


def saver(record: Record, who: str, code: str, page_id: int, until: float, *, publish: bool, every: float = 0) -> None:
    """Saves drafts (``publish=False``: confirmed by a redirect back to the editor) or publishes
    (confirmed by a redirect elsewhere) over and over; each title names the run, the person and a number."""
    session = sign_in(record, who, code)
    kind, name = ("publish", "Tilgjengelighet") if publish else ("draft", "Personvern")
    number = 0
    while time.time() < until:
        number += 1
        title = f"{name} {record.run} {number}" if publish else f"{name} {record.run} {who} {number}"
        result = edit_and_save(record, session, who, page_id, title, publish=publish)
        if result is not None:
            status, location, timing = result
            with record.lock:
                if status == 302 and ("/edit/" in location) != publish:
                    record.confirmed[kind].append(title)
                    if publish:
                        record.publishes.append((number, timing[1]))
                elif record.killed_in_flight(timing):
                    record.in_flight_lost[kind].append(title)
        time.sleep(every)


def reader(record: Record, paths: list[str], watched: str, until: float) -> None:
    session = ClusterSession(cl.FRONT_PORT)
    index = 0
    while time.time() < until:
        path = watched if index % 2 == 0 else paths[index % len(paths)]
        status, _l, body, (start, end, _u) = record.request(session, "reader", "GET", path)
        if path == watched and status == 200:
            found = re.search(rf"Tilgjengelighet {record.run} (\d+)", body)  # 0: an earlier run's title
            with record.lock:
                record.reads.append((start, end, int(found.group(1)) if found else 0))
        index += 1


def exporter(record: Record, code: str, hearing_url: str, until: float, every: float) -> None:
    session = sign_in(record, EXPORTER, code)
    path = f"{hearing_url}svar/eksport/pdf/"  # all responses as one PDF (the demo has no signed originals)
    while time.time() < until:
        _s, _l, body, _t = record.request(session, EXPORTER, "GET", f"{hearing_url}svar/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if token is None:
            record.errors.append(f"no export form on {hearing_url}svar/")
            return
        status, location, _b, timing = record.request(session, EXPORTER, "POST", path,
                                                      form=[("csrfmiddlewaretoken", token.group(1))])
        found = re.search(r"/jobb/([0-9a-f-]{36})/", location)
        with record.lock:
            if status == 302 and found:
                if found.group(1) not in record.confirmed["export"]:
                    record.confirmed["export"].append(found.group(1))
            elif record.killed_in_flight(timing):
                record.in_flight_lost["export"].append(path)
            elif status == 302:
                record.errors.append(f"export refused: {location}")
        time.sleep(every)


def uploader(record: Record, code: str, collection: int, pdf: bytes, until: float, every: float) -> None:
    session = sign_in(record, UPLOADER, code)
    number = 0
    while time.time() < until:
        number += 1
        title = f"{record.run} upload {number}"
        _s, _l, body, _t = record.request(session, UPLOADER, "GET", "/admin/documents/add/")
        status, location, _b, timing = record.request(
            session, UPLOADER, "POST", "/admin/documents/add/",
            form=[("csrfmiddlewaretoken", csrf_token(body)), ("title", title), ("collection", str(collection))],
            files={"file": (f"soak-{number}.pdf", pdf, "application/pdf")})
        with record.lock:
            if status == 302:
                record.confirmed["upload"].append(title)
            elif record.killed_in_flight(timing):
                record.in_flight_lost["upload"].append(title)
            else:
                record.errors.append(f"upload {title} answered {status}")
        time.sleep(every)


def worker_busy_within(worker: str, seconds: float) -> str | None:
    """The task the worker is running, waiting up to ``seconds`` for it to take one (psql, no Django start)."""
    query = ("SELECT task_path FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING' "  # noqa: S608
             f"AND worker_ids::jsonb ? '{worker}' LIMIT 1")  # our own worker's name, not input
    deadline = time.time() + seconds
    while time.time() < deadline:
        found = subprocess.run(["psql", *cl.PG, "-d", cl.DATABASE_NAME, "-Atc", query],  # noqa: S603
                               capture_output=True, text=True, check=False).stdout.strip()
        if found:
            return found
        time.sleep(0.1)
    return None


def shell(snippet: str) -> dict:
    result = cl.manage("shell", "-v0", "-c", snippet, capture=True, check=False)
    if result.returncode:
        raise SystemExit(f"manage.py shell failed:\n{result.stderr[-3000:]}")
    output = result.stdout
    line = next(line for line in output.splitlines() if line.startswith(("SETUP ", "REPORT ")))
    return json.loads(line.split(" ", 1)[1])


def judge(record: Record, report: dict, cache_seconds: int, has_workers: bool) -> dict:
    checks: dict[str, dict] = {}
    # Saves: confirmed ⊆ revisions ⊆ confirmed ∪ lost-in-flight.
    for kind, slug in (("draft", DRAFT_SLUG), ("publish", PUBLISH_SLUG)):
        revisions = collections.Counter(report["revisions"][slug])
        confirmed = set(record.confirmed[kind])
        lost = [title for title in confirmed if revisions[title] != 1]
        invented = [title for title in revisions if title not in confirmed and title not in record.in_flight_lost[kind]]
        checks[f"{kind} saves"] = {"confirmed": len(confirmed), "revisions": sum(revisions.values()),
                                   "in_flight_on_killed_server": len(record.in_flight_lost[kind]),
                                   "lost": lost, "unexplained": invented,
                                   "ok": bool(confirmed) and not lost and not invented}
    # Exports: every job the owner started is done with its file, once.
    jobs = report["jobs"]
    unfinished = {key: jobs.get(key) for key in record.confirmed["export"] if jobs.get(key) != ["done", True]}
    extra = [key for key in jobs if key not in record.confirmed["export"]]
    checks["exports"] = {"started": len(record.confirmed["export"]), "done_with_file": len(record.confirmed["export"])
                         - len(unfinished), "unfinished": unfinished, "jobs_nobody_started": extra,
                         "ok": not unfinished and not extra and bool(record.confirmed["export"])}
    documents = collections.Counter(report["documents"])
    missing = [title for title in record.confirmed["upload"] if documents[title] != 1]
    checks["uploads"] = {"confirmed": len(record.confirmed["upload"]), "documents": sum(documents.values()),
                         "missing_or_doubled": missing, "ok": not missing and bool(record.confirmed["upload"])}
    queue = report["queue"]
    if queue is None:
        checks["task queue"] = {"ok": False, "detail": "no task queue on this branch (issue #20 item 1)"}
    else:
        left = {status: n for status, n in queue["statuses"].items() if status != "SUCCESSFUL"}
        checks["task queue"] = {**queue, "ok": not left, "left_unfinished_or_failed": left}
    # Staleness after publishes.
    stale = []
    for number, confirmed_at in record.publishes:
        for start, _end, seen in record.reads:
            if start > confirmed_at and seen < number:
                stale.append(start - confirmed_at)
    checks["stale reads after a publish"] = {
        "publishes": len(record.publishes), "watched_reads": len(record.reads), "stale_reads": len(stale),
        "longest_stale_s": round(max(stale), 2) if stale else 0, "limit_s": cache_seconds,
        "ok": bool(record.publishes) and (max(stale) if stale else 0) <= cache_seconds}
    # 5xx: only requests in flight on the killed server.
    bad = [r for r in record.requests if r["status"] >= 500
           and not record.killed_in_flight((r["start"], r["end"], r["upstream"]))]
    allowed = [r for r in record.requests if r["status"] >= 500 and r not in bad]
    checks["5xx"] = {"in_flight_on_killed_server": len(allowed), "other": len(bad),
                     "examples": [{k: r[k] for k in ("who", "method", "path", "status", "upstream")} for r in bad[:5]],
                     "ok": not bad}
    if not has_workers:
        checks["task queue"]["ok"] = False
    return checks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="length of the load (the kill is halfway)")
    parser.add_argument("--readers", type=int, default=3)
    parser.add_argument("--cache-seconds", type=int, default=60)
    parser.add_argument("--drain", type=int, default=45, help="most seconds to wait for the queue afterwards")
    args = parser.parse_args()
    started = time.time()
    codes = {name: [f"soak{secrets.token_hex(3)}" for _ in range(3)] for name in (*EDITORS, PUBLISHER, UPLOADER,
                                                                               EXPORTER)}
    cluster = cl.Cluster(env=cl.portal_env(PORTAL_PAGE_CACHE_SECONDS=str(args.cache_seconds)))
    record = Record()
    try:
        cluster.start()
        pdf_path = cl.VAR / "soak-upload.pdf"
        setup = shell(SETUP % {"codes": codes, "superusers": [*EDITORS, PUBLISHER, UPLOADER], "password": PASSWORD,
                               "exporter": EXPORTER, "slugs": [DRAFT_SLUG, PUBLISH_SLUG], "pdf": str(pdf_path)})
        pages = {slug: pk for slug, (pk, _url) in setup["pages"].items()}
        watched = setup["pages"][PUBLISH_SLUG][1]
        mix = ["/", "/horinger/", setup["hearing"], "/brukerutvalg/brukerutvalget-i-bergen/", "/search/?q=bergen"]
        since = time.time()
        until = since + args.seconds
        threads = [threading.Thread(target=reader, args=(record, mix, watched, until)) for _ in range(args.readers)]
        threads += [threading.Thread(target=saver, args=(record, name, codes[name][0], pages[DRAFT_SLUG], until),
                                     kwargs={"publish": False}) for name in EDITORS]
        threads += [
            threading.Thread(target=saver, args=(record, PUBLISHER, codes[PUBLISHER][0], pages[PUBLISH_SLUG], until),
                             kwargs={"publish": True, "every": 4}),
            threading.Thread(target=exporter, args=(record, codes[EXPORTER][0], setup["hearing"], until, 6)),
            threading.Thread(target=uploader, args=(record, codes[UPLOADER][0], setup["collection"],
                                                    pdf_path.read_bytes(), until, 5)),
        ]
        for thread in threads:
            thread.start()
        time.sleep(args.seconds / 2)
        busy = None
        if cluster.has_worker_command:
            # Kill the worker in the middle of a task if it gets one within 15 s (an export takes seconds),
            # so "a task whose worker died is run again" is exercised, not only an idle worker's death.
            busy = worker_busy_within(KILLED_WORKER, 15)
            cluster.kill_worker(KILLED_WORKER)
        record.kill_at = time.time()
        cluster.kill_app(KILLED_PORT)
        for thread in threads:
            thread.join(timeout=args.seconds + 90)
        cl.log(f"load over; waiting up to {args.drain} s for queued work, then counting")
        report = shell(REPORT % {"since": since - 1, "drain": args.drain, "pages": pages,
                                 "upload_prefix": f"{record.run} upload"})
    finally:
        cluster.stop()
    checks = judge(record, report, args.cache_seconds, cluster.has_worker_command)
    statuses = collections.Counter(f"{r['who'] if r['who'] == 'reader' else 'signed-in'} {r['status']}"
                                   for r in record.requests)
    result = {
        "seconds": args.seconds, "readers": args.readers, "cache_seconds": args.cache_seconds,
        "task_workers": cluster.workers if cluster.has_worker_command else 0,
        "requests": dict(sorted(statuses.items())), "requests_total": len(record.requests),
        "killed": {"app_server": KILLED_PORT, "task_worker": KILLED_WORKER if cluster.has_worker_command else None,
                   "worker_was_running": busy, "at_s": round(record.kill_at - since, 1) if record.kill_at else None},
        "checks": checks, "errors": record.errors, "wall_clock_s": round(time.time() - started, 1),
        "ok": all(check["ok"] for check in checks.values()),
    }
    out = cl.VAR / f"soak-{int(time.time())}.json"
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    print(f"full figures: {out.relative_to(cl.ROOT)}")
    if not result["ok"]:
        raise SystemExit("cluster soak FAILED: " + ", ".join(name for name, c in checks.items() if not c["ok"]))
    print("cluster soak passed")


if __name__ == "__main__":
    main()
