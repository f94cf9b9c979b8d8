"""``manage.py task_worker``: run the background tasks (exports, attachment text, e-mails, search
updates) and enqueue the periodic work once a minute. Start one or more beside the web servers."""

from __future__ import annotations

import logging
import signal
import sys
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string

from portal.core import background


class Command(BaseCommand):
    help = "Run background tasks from the queue (and enqueue the periodic ones every minute)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval", type=float, default=1.0,
                            help="Seconds to wait when the queue is empty (default 1).")
        parser.add_argument("--worker-id", default="",
                            help="A name unique among the workers (default: random).")
        parser.add_argument("--batch", action="store_true", help="Run what is ready, then exit.")
        parser.add_argument("--no-scheduler", action="store_false", dest="scheduler",
                            help="Do not enqueue the periodic work from this worker.")

    def handle(self, *args: Any, interval: float, worker_id: str, batch: bool, scheduler: bool,
               verbosity: int, **options: Any) -> None:
        worker_id = worker_id or f"{get_random_string(12)}"
        if verbosity > 0:
            logging.getLogger("portal.core.background").setLevel(logging.INFO)
            handler = logging.StreamHandler(sys.stderr)
            logging.getLogger("portal.core.background").addHandler(handler)
        stop = {"asked": False}

        def ask_to_stop(signum: int, frame: Any) -> None:
            if stop["asked"]:
                sys.exit(1)  # asked twice: stop now, the running task is picked up again later
            stop["asked"] = True
            self.stderr.write(f"task worker {worker_id}: stopping after the running task "
                              "(press Ctrl+C again to stop at once)")

        previous = {signum: signal.signal(signum, ask_to_stop) for signum in (signal.SIGINT, signal.SIGTERM)}
        if verbosity > 0:
            self.stderr.write(f"task worker {worker_id}: waiting for tasks"
                              f"{'' if scheduler else ' (no periodic work)'}")
        try:
            ran = background.work(worker_id=worker_id, interval=interval, batch=batch, scheduler=scheduler,
                                  stopping=lambda: stop["asked"])
        finally:
            for signum, previous_handler in previous.items():
                signal.signal(signum, previous_handler)  # called in-process (tests): leave signals as they were
        if verbosity > 0:
            self.stderr.write(f"task worker {worker_id}: ran {ran} tasks, stopped")
