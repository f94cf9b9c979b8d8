"""Take docs/home.png, the README's picture of the home page (1280 px wide, Bokmål), and the
workspace as a lead sees it (docs/workspace-desktop.png at 1280 px, docs/workspace-phone.png at 360 px).

Run from the project root: ``.venv/bin/python docs/screenshot.py``. It builds a scratch SQLite
database in var/ (migrated, demo loaded), serves it with the development server on a free port,
photographs the home page with Debian's Chromium and stops the server. ``--url`` photographs an
already running portal instead.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

OUTPUT = ROOT / "docs" / "home.png"
WORKSPACE_SHOTS = {"workspace-desktop.png": 1280, "workspace-phone.png": 360}
WORKSPACE_USER = "org-leder"
DEMO_PASSWORD = "demo-passord-2026"  # noqa: S105 - the documented demo password


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve_scratch_portal() -> tuple[subprocess.Popen, str]:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="portal.settings.dev",
               DATABASE_URL=f"sqlite:///{ROOT / 'var' / 'screenshot.sqlite3'}")
    (ROOT / "var").mkdir(exist_ok=True)
    python = sys.executable
    # Our own interpreter and manage.py, no outside input.
    subprocess.run([python, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    subprocess.run([python, "manage.py", "load_demo"], cwd=ROOT, env=env, check=True,  # noqa: S603
                   stdout=subprocess.DEVNULL)
    port = _free_port()
    server = subprocess.Popen([python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"], cwd=ROOT,  # noqa: S603
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own local server
            return server, url
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"the scratch portal did not answer at {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="photograph this running portal instead of a scratch one")
    args = parser.parse_args()
    server = None
    url = args.url
    if url is None:
        server, url = _serve_scratch_portal()
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
            page.goto(url)
            page.screenshot(path=str(OUTPUT), full_page=True)
            _workspace(page, url)
            browser.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
    print(f"wrote {OUTPUT.relative_to(ROOT)} and {', '.join(WORKSPACE_SHOTS)}")


def _workspace(page, url: str) -> None:
    page.goto(url.rstrip("/") + "/accounts/login/")
    page.locator("#id_username").fill(WORKSPACE_USER)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    for name, width in WORKSPACE_SHOTS.items():
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(url.rstrip("/") + "/arbeidsrom/")
        page.screenshot(path=str(ROOT / "docs" / name), full_page=True)


if __name__ == "__main__":
    main()
