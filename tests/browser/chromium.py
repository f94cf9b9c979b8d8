"""How the tests (and the docs screenshot) start Debian's Chromium: headless, no downloads, no
background traffic. Playwright never fetches a browser of its own here."""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
