"""What waits for a person, collected from every app that has something for them to do.

An app adds a source in its ``AppConfig.ready()``::

    from portal.workspace.registry import WaitingItem, register_waiting

    def mentions(user):
        return [WaitingItem(kind="mention", label=_("Mentioned you in a comment"), title=..., url=...)
                for comment in ...]

    register_waiting("mentions", mentions)

A source returns only items the person may see: the workspace also drops any item whose ``obj``
the visibility service refuses them (``obj`` is optional, for items that are about an object).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class WaitingItem:
    # A short machine word ("approval", "moderation", "chair", "input", "cosign", "mention").
    kind: str
    # What the person is asked to do, translated ("Approve as lead").
    label: str
    title: str
    # The portal page where the action is (never the admin).
    url: str
    since: datetime.datetime | None = None
    # Whose it is (an organisation or a council), for display.
    owner: str = ""
    # The object the item is about, checked again against the visibility service before it is shown.
    obj: Any = None
    # Reviewers may act on an object they otherwise may not see (a moderator on a draft): the source
    # vouches for it, and the visibility check is skipped.
    reviewing: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


WaitingSource = Callable[[Any], Iterable[WaitingItem]]
_sources: dict[str, WaitingSource] = {}


def register_waiting(name: str, source: WaitingSource) -> None:
    """Add (or replace, by name) a source of things waiting for a person."""
    _sources[name] = source


def unregister_waiting(name: str) -> None:
    _sources.pop(name, None)


def waiting_sources() -> dict[str, WaitingSource]:
    return dict(_sources)
