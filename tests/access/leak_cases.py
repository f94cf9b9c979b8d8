"""The registry of private things the leak tests try on every channel.

Each domain adds its private kinds in its own module (``leak_cases_<domain>.py``) with the
``@private_kind("name")`` decorator: a function that builds one private object inside the test's
transaction and returns a :class:`PrivateCase`. ``test_leaks.py`` then tries every channel as
every kind of viewer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Channels every case is tried on. Object-specific URLs come from the case itself.
# "untranslated" is the notice the language switcher leads to (/ikke-oversatt/<page id>/): asked
# about a page one may not see, it must answer exactly as for an id that does not exist.
OBJECT_CHANNELS = ("page", "preview", "revisions", "document", "admin", "untranslated")


def untranslated_urls(*pages: Any) -> list[str]:
    """The untranslated-page notice for each page, in every language (where the page has a version
    in that language a member is sent on to it; in the others they get the notice with its title)."""
    return [f"{prefix}/ikke-oversatt/{page.pk}/" for page in pages for prefix in ("", "/nn", "/en")]


@dataclass
class PrivateCase:
    """One private object and the people around it."""

    # A word or phrase that occurs ONLY in the private object. It must never appear in anything an
    # outsider receives, on any channel.
    secret: str
    # Someone who may see it (a member of the owning council / organisation).
    member: Any
    # A member of ANOTHER council / organisation (same kind of role, other group).
    other_member: Any
    # Direct URLs by channel: "page" (the object's public-site URL), "preview", "revisions"
    # (revision/compare/history views), "document" (file downloads), "admin" (admin edit/listing),
    # "untranslated" (the untranslated-page notice for the object's page id: see untranslated_urls).
    urls: dict[str, list[str]] = field(default_factory=dict)
    # Other words that occur ONLY in the private object and are never typed into a query. The
    # search channel queries for ``secret`` (which the search page echoes back), so there these
    # words, and the object's URLs, are what must not appear.
    hidden: tuple[str, ...] = ()
    # Channels on which the member must actually see the secret (proves the test can fail).
    member_sees: tuple[str, ...] = ("page",)
    # Optional: perform an action that sends notification e-mails about the object (e.g. a reply in
    # a followed thread); the test then checks who received the secret by e-mail.
    trigger_notifications: Callable[[], None] | None = None
    # People who legitimately receive those e-mails (members); everyone else must get none with the secret.
    notified_members: tuple[Any, ...] = ()
    # Optional: someone whose seat (membership, role) has ended; they are refused like an outsider.
    past_member: Any = None
    # Names of stored files (storage names, e.g. a response's original) that must never be served
    # under ``/media/``; documents named in the "document" URLs are added automatically.
    stored_files: tuple[str, ...] = ()


PRIVATE_KINDS: dict[str, Callable[[], PrivateCase]] = {}
# Kinds whose case sets ``trigger_notifications``: known at collection time, so the e-mail test is
# generated only for them instead of being skipped for the rest.
NOTIFYING_KINDS: set[str] = set()
# Kinds whose case sets ``past_member``: they are also tried as that person.
PAST_MEMBER_KINDS: set[str] = set()
# Viewers of test_leaks.VIEWERS who legitimately see a kind although they are not its members (a
# moderator reads council threads to hide posts; hearing owners read every accepted response; a
# member organisation reads the input it sent): known at collection time, so no test is generated
# for those pairs instead of one being skipped.
INSIDERS: dict[str, frozenset[str]] = {}


CaseBuilder = Callable[[], PrivateCase]


def private_kind(
    name: str, *, notifies: bool = False, past_member: bool = False, insiders: tuple[str, ...] = ()
) -> Callable[[CaseBuilder], CaseBuilder]:
    def register(builder: CaseBuilder) -> CaseBuilder:
        PRIVATE_KINDS[name] = builder
        INSIDERS[name] = frozenset(insiders)
        if notifies:
            NOTIFYING_KINDS.add(name)
        if past_member:
            PAST_MEMBER_KINDS.add(name)
        return builder

    return register
