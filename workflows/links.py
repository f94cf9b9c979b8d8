"""Where on the portal a person works on, or decides about, an object in a workflow.

A higher layer (the portal editor) registers its views here for the page types it edits; the
workflow code (queue, notifications) asks here without knowing about that layer. Without a
registration the answer is None and callers fall back to what they did before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

LinkMaker = Callable[[Any], str]

_editors: dict[type, LinkMaker] = {}
_reviews: dict[type, LinkMaker] = {}


def register(model: type, *, editor: LinkMaker, review: LinkMaker) -> None:
    _editors[model] = editor
    _reviews[model] = review


def _find(registry: dict[type, LinkMaker], obj: Any) -> str | None:
    for klass in type(obj).__mro__:
        if klass in registry:
            return registry[klass](obj)
    return None


def editor_url(obj: Any) -> str | None:
    """Where the object's authors write it (and everyone who may see it opens it)."""
    return _find(_editors, obj)


def review_url(obj: Any) -> str | None:
    """Where the reviewer of the step the object waits in reads the change and decides."""
    return _find(_reviews, obj)
