"""Per-page profile (not a test): SQL queries and time per page type, anonymous and signed in, with
Django's test client against an existing database (the demo). Prints a Markdown table.

    DATABASE_URL=sqlite:///var/perf.sqlite3 .venv/bin/python bench/profile/pages.py [--repeat 10] [--html DIR]

``--html DIR`` writes each page's HTML there (compare two runs byte for byte with ``diff -r``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

settings.ALLOWED_HOSTS = ["*"]
settings.PORTAL_PAGE_CACHE_SECONDS = 0


def _pages() -> dict[str, str]:
    from wagtail.models import Locale, Page

    def page(slug: str, language: str = "nb") -> str:
        found = Page.objects.get(slug=slug, locale__language_code="nb")
        if language != "nb":
            found = found.get_translation(Locale.objects.get(language_code=language))
        return found.url

    from portal.meetings.models import MeetingPage

    meeting = MeetingPage.objects.child_of(Page.objects.get(slug="brukerutvalget-i-bergen",
                                                           locale__language_code="nb")).live().order_by("path").first()
    from django.urls import reverse

    from portal.councils.models import CouncilPage, Thread

    bergen = CouncilPage.objects.get(slug="brukerutvalget-i-bergen", locale__language_code="nb")
    thread = Thread.objects.filter(council__translation_key=bergen.translation_key).order_by("pk").first()
    hearing = page("strategi-for-brukermedvirkning-2027-2030")
    return {
        "responses": hearing + "svar/",
        "council space": bergen.space_url("space"),
        **({"thread": thread.url_in(bergen)} if thread else {}),
        "workspace": reverse("workspace:home"),
        "draft response": page("fellesforbundet-for-brukerorganisasjoner") + "arbeidsrom/svar-strategi/",
        "organisation space": page("fellesforbundet-for-brukerorganisasjoner") + "arbeidsrom/",
        "training courses": "/kurs/",
        "training module": page("modul-2-etaten-og-utvalget"),
        "login": "/accounts/login/",
        "not found": "/finnes-ikke/",
        "umbrella organisation": page("fellesforbundet-for-brukerorganisasjoner"),
        "county council": page("brukerutvalget-i-vestland"),
        "position paper index": page("standpunkt"),
        "home": page("hjem"),
        "home (en)": page("hjem", "en"),
        "hearing index": page("horinger"),
        "hearing": page("strategi-for-brukermedvirkning-2027-2030"),
        "council index": page("brukerutvalg"),
        "council": page("brukerutvalget-i-bergen"),
        "organisation index": page("organisasjoner"),
        "organisation": page("fellesforbundet-for-brukerorganisasjoner"),
        "meeting": meeting.url,
        "standard page": page("tilgjengelighet"),
        "search": "/search/?q=brukerutvalg",
    }


def measure(client: Client, url: str, repeat: int) -> tuple[int, int, float]:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    count = len(queries)  # read now: every request empties Django's query log
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return response.status_code, count, statistics.median(times) if times else 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--user", default="utvalgsmedlem")
    parser.add_argument("--html")
    parser.add_argument("--only")
    parser.add_argument("--show-queries", action="store_true")
    args = parser.parse_args()
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    pages = _pages()
    try:
        pages["meetings archive"] = reverse("meetings:archive")
    except Exception:  # noqa: BLE001
        pages.pop("meetings archive")
    anonymous = Client()
    member = Client()
    member.force_login(get_user_model().objects.get(username=args.user))
    print(f"| page | anonymous queries | ms | {args.user} queries | ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, url in pages.items():
        if args.only and args.only not in name:
            continue
        row = [name]
        for who, client in (("anon", anonymous), ("member", member)):
            status, count, ms = measure(client, url, args.repeat)
            row += [f"{count}" + ("" if status == 200 else f" ({status})"), f"{ms:.1f}"]
            if args.html:
                out = Path(args.html) / f"{name}-{who}.html".replace(" ", "_").replace("(", "").replace(")", "")
                out.parent.mkdir(parents=True, exist_ok=True)
                body = client.get(url).content
                out.write_bytes(body)
            if args.show_queries:
                with CaptureQueriesContext(connection) as queries:
                    client.get(url)
                for q in queries.captured_queries:
                    print("   ", who, q["sql"][:300])
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
