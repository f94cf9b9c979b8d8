"""Soak (not a test): concurrent readers and editors against gunicorn with production settings.

Readers fetch the public page mix; editors, each signed in to the Wagtail admin with their own session,
save drafts of standard pages over and over through the real edit form (two editors share one page,
so their saves interleave). At the end: no 5xx anywhere, and the number of new revisions equals
the number of saves the server confirmed (a 302 back to the editor) — nothing lost, nothing invented.

    .venv/bin/python bench/load/soak.py --database sqlite --seconds 120
"""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import re
import secrets
import sys
import threading
import time
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as load  # noqa: E402 - the load benchmark's scratch database and server helpers

PASSWORD = "demo-passord-2026"  # noqa: S105 - the documented demo password
# Editor -> Bokmål slug of the standard page they edit. The first two share a page.
EDITORS = {"editor-1": "personvern", "editor-2": "personvern", "editor-3": "tilgjengelighet"}
COUNT_SNIPPET = """
import json
from wagtail.models import Page, Revision
ids = {slug: Page.objects.get(slug=slug, locale__language_code="nb").pk for slug in %(slugs)r}
counts = {slug: [pk, Revision.page_revisions.filter(object_id=str(pk)).count()] for slug, pk in ids.items()}
print("COUNTS " + json.dumps(counts))
"""


class Session:
    """One browser-like HTTP client: its own cookies (production cookies are Secure-flagged, and this
    runs over plain HTTP on loopback, so they are kept by hand)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.last_cache = ""

    def request(self, method: str, path: str, form: list[tuple[str, str]] | None = None):
        body, content_type = (urllib.parse.urlencode(form), "application/x-www-form-urlencoded") if form is not None \
            else (None, None)
        response, content = self.send(method, path, body, content_type)
        self.last_cache = response.getheader("X-Portal-Page-Cache", "")
        return response.status, response.getheader("Location", ""), content

    def send(self, method: str, path: str, body: str | bytes | None, content_type: str | None):
        """One request with this client's cookies; keeps the cookies the answer sets."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if content_type:
            headers["Content-Type"] = content_type
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read().decode("utf-8", "replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response, content


class FormFields(HTMLParser):
    """The fields a browser would submit from the form with the given id."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self._textarea: str | None = None
        self._select: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image") or (kind in ("checkbox", "radio")
                                                                    and "checked" not in attrs):
                return
            self.fields.append((attrs["name"], attrs.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "textarea":
            self._textarea, self._text = attrs["name"], []
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self.inside:
            self.inside = False


def csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: collections.Counter = collections.Counter()
        self.saves: collections.Counter = collections.Counter()
        self.failed_saves: collections.Counter = collections.Counter()
        # The readers' answers by the page cache's header (hit, miss, none): an editor's draft must
        # not empty the readers' cache (#24 item 5), so hits should stay the rule during the soak.
        self.cache: collections.Counter = collections.Counter()

    def status(self, who: str, status: int) -> None:
        with self.lock:
            self.statuses[(who, status)] += 1


def reader(port: int, paths: list[str], until: float, tally: Tally) -> None:
    session = Session(port)
    index = 0
    while time.time() < until:
        status, _location, _body = session.request("GET", paths[index % len(paths)])
        tally.status("reader", status)
        with tally.lock:
            tally.cache[session.last_cache or "none"] += 1
        index += 1


def editor(name: str, code: str, port: int, page_id: int, until: float, tally: Tally) -> None:
    session = Session(port)
    _status, _location, body = session.request("GET", "/admin/login/")
    status, _location, _body = session.request("POST", "/admin/login/", [
        ("csrfmiddlewaretoken", csrf_token(body)), ("username", name), ("password", PASSWORD), ("next", "/admin/"),
    ])
    if status != 302:
        raise SystemExit(f"{name} could not sign in to the admin ({status})")
    status, location, _body = session.request("GET", "/admin/")
    if status == 302 and "two-step" in location:
        path = urllib.parse.urlsplit(location).path
        _status, _location, body = session.request("GET", path)
        status, _location, _body = session.request("POST", path, [
            ("csrfmiddlewaretoken", csrf_token(body)), ("code", code), ("next", "/admin/")])
        if status != 302:
            raise SystemExit(f"{name} could not pass the second step ({status})")
    edit = f"/admin/pages/{page_id}/edit/"
    number = 0
    while time.time() < until:
        status, _location, body = session.request("GET", edit)
        tally.status("editor", status)
        parser = FormFields("page-edit-form")
        parser.feed(body)
        number += 1
        fields = [(key, value) for key, value in parser.fields if key != "title"]
        fields.append(("title", f"Soak {name} {number}"))
        status, location, _body = session.request("POST", edit, fields)
        tally.status("editor", status)
        with tally.lock:
            if status == 302 and "/edit/" in location:
                tally.saves[page_id] += 1
            else:
                tally.failed_saves[(page_id, status)] += 1


def revision_counts(name: str) -> dict[str, list[int]]:
    env = load.server_env(load.database_url(name), 0)
    snippet = COUNT_SNIPPET % {"slugs": sorted(set(EDITORS.values()))}
    output = load.subprocess.run([str(load.BIN / "python"), "manage.py", "shell", "-v0", "-c", snippet],
                                 cwd=load.ROOT, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(next(line for line in output.splitlines() if line.startswith("COUNTS ")).removeprefix("COUNTS "))


def make_editors(name: str) -> dict[str, str]:
    """Three editors with full edit rights (superusers of the scratch database), the demo password and
    a second factor (everyone who may publish needs one): an app device and one backup code each,
    which they sign in with. Returns each editor's code."""
    codes = {username: f"soak{secrets.token_hex(4)}" for username in sorted(EDITORS)}
    snippet = (
        "from django.contrib.auth import get_user_model\n"
        "from django_otp.plugins.otp_static.models import StaticDevice, StaticToken\n"
        "from django_otp.plugins.otp_totp.models import TOTPDevice\n"
        f"for username, code in {codes!r}.items():\n"
        "    user, created = get_user_model().objects.get_or_create(username=username)\n"
        "    user.is_staff = user.is_superuser = True\n"
        f"    user.set_password({PASSWORD!r}); user.save()\n"
        "    TOTPDevice.objects.get_or_create(user=user, name='soak', defaults={'confirmed': True})\n"
        "    device, _ = StaticDevice.objects.get_or_create(user=user, name='soak', defaults={'confirmed': True})\n"
        "    device.token_set.all().delete()\n"
        "    StaticToken.objects.create(device=device, token=code)\n"
    )
    env = load.server_env(load.database_url(name), 0)
    load.subprocess.run([str(load.BIN / "python"), "manage.py", "shell", "-v0", "-c", snippet], cwd=load.ROOT,
                        env=env, check=True)
    return codes


def soak(name: str, args) -> dict:
    load.prepare(name)
    codes = make_editors(name)
    before = revision_counts(name)
    pages = load.page_mix(name)
    server = load.start_gunicorn(name, args.port, args.workers, args.cache_seconds)
    tally = Tally()
    until = time.time() + args.seconds
    threads = [threading.Thread(target=reader, args=(args.port, list(pages.values()), until, tally))
               for _ in range(args.readers)]
    threads += [threading.Thread(target=editor, args=(user, codes[user], args.port, before[slug][0], until, tally))
                for user, slug in EDITORS.items()]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    after = revision_counts(name)
    rows = []
    for slug, (page_id, count) in after.items():
        rows.append({"page": slug, "confirmed_saves": tally.saves[page_id], "new_revisions": count - before[slug][1]})
    server_errors = sum(n for (_who, status), n in tally.statuses.items() if status >= 500)
    read = sum(tally.cache.values())
    return {
        "database": name,
        "seconds": args.seconds,
        "readers": args.readers,
        "editors": len(EDITORS),
        "page_cache_seconds": args.cache_seconds,
        "requests": {f"{who} {status}": n for (who, status), n in sorted(tally.statuses.items())},
        "server_errors": server_errors,
        "reader_requests_per_second": round(read / args.seconds, 1),
        "reader_cache": dict(tally.cache),
        "reader_cache_hit_share": round(tally.cache["hit"] / read, 3) if read else 0.0,
        "failed_saves": {f"page {page} status {status}": n for (page, status), n in tally.failed_saves.items()},
        "pages": rows,
        "ok": server_errors == 0 and all(row["confirmed_saves"] == row["new_revisions"] for row in rows),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", action="append", choices=["sqlite", "postgres"])
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--cache-seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    results = [soak(name, args) for name in args.database or ["sqlite", "postgres"]]
    out = load.VAR / f"soak-{int(time.time())}.json"
    out.write_text(json.dumps(results, indent=2))
    for result in results:
        print(json.dumps(result, indent=2))
    print(f"full figures: {out.relative_to(load.ROOT)}")
    if not all(result["ok"] for result in results):
        raise SystemExit("soak FAILED: a 5xx, or revisions that do not match the confirmed saves")


if __name__ == "__main__":
    main()
