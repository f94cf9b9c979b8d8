"""Demo step: index everything the demo created (signals already index most of it; this also
clears entries left from an earlier database state)."""

from __future__ import annotations

from typing import Any


def load(demo: Any) -> None:
    from .service import rebuild_index

    rebuild_index()
