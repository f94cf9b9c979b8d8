"""Rebuild the search index (database table, and Elasticsearch behind a fresh alias)."""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand

from search.service import apply_pending_updates, count_searchable, rebuild_index


class Command(BaseCommand):
    help = "Rebuild the search index from every live page and registered model, with a progress bar."

    def add_arguments(self, parser):
        parser.add_argument("--pending", action="store_true",
                            help="Only replay index updates queued while Elasticsearch was down.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar (for logs).")

    def handle(self, *args, **options):
        if options["pending"]:
            done = apply_pending_updates(limit=1_000_000)
            self.stdout.write(f"Applied {done} queued index updates.")
            return
        total = max(1, count_searchable())
        started = time.monotonic()
        show = not options["no_progress"]
        width = 30

        def progress(done: int) -> None:
            if not show or (done % 25 and done != total):
                return
            filled = min(width, width * done // total)
            rate = done / max(time.monotonic() - started, 1e-6)
            self.stdout.write(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} ({rate:.0f}/s)", ending=""
            )
            self.stdout.flush() if hasattr(self.stdout, "flush") else sys.stdout.flush()

        count = rebuild_index(progress=progress)
        if show:
            self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(
            f"Indexed {count} objects in {time.monotonic() - started:.1f} s."
        ))
