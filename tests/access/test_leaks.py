"""Private means private on every channel.

For every private kind (see leak_cases*.py) and every channel, try as anonymous, as a logged-in
outsider, as a member of another group, and as a member (who must see it where the case says so).
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.core import mail

import tests.access
from tests.access.leak_cases import NOTIFYING_KINDS, OBJECT_CHANNELS, PAST_MEMBER_KINDS, PRIVATE_KINDS, PrivateCase
from tests.access.leak_cases_hearings import document_feed_urls, open_data_urls
from tests.access.leak_cases_meetings import meeting_feed_urls
from tests.helpers import make_user, pdf_text

# Import every leak_cases_<domain> module so its kinds register themselves.
for module in pkgutil.iter_modules(tests.access.__path__):
    if module.name.startswith("leak_cases_"):
        importlib.import_module(f"tests.access.{module.name}")

pytestmark = pytest.mark.django_db

VIEWERS = ("anonymous", "outsider", "other_member", "member")

# Channels that are the same URLs for every case; the secret is searched for in each.
LISTING_URLS = [
    "/", "/nn/", "/en/",
    "/horinger/", "/brukerutvalg/", "/organisasjoner/", "/standpunkt/",
    "/brukerutvalg/brukerutvalget-i-bergen/", "/brukerutvalg/brukerutvalget-i-vestland/",
    "/brukerutvalg/sentralt-brukerutvalg/",
    "/organisasjoner/fellesforbundet-for-brukerorganisasjoner/",
    "/moter/", "/moter/?level=local",
    # Workflows: the review queue and the notification list.
    "/arbeidsflyt/", "/arbeidsflyt/varsler/",
]
GLOBAL_CHANNELS: dict[str, callable] = {
    # Plus public pages of the case that show the object only to those who may see it (e.g. a
    # hearing page listing accepted responses): they answer 200 to everyone, so not "page" URLs.
    "listing": lambda case: LISTING_URLS + case.urls.get("listing", []),
    "search": lambda case: [f"/search/?q={case.secret}", f"/en/search/?q={case.secret}"],
    # "Did you mean": the secret misspelt must never be corrected to the secret (nor searched as it).
    "suggestions": lambda case: [f"/search/?q={_misspelt(case.secret)}"],
    "sitemap": lambda case: ["/sitemap.xml"],
    "api": lambda case: [f"/api/v2/pages/?search={case.secret}", "/api/v2/pages/?limit=100"] + open_data_urls(),
    "feeds": lambda case: meeting_feed_urls() + document_feed_urls(),
}


def _misspelt(secret: str) -> str:
    """The secret with one letter in its middle dropped: one edit away, as a typo is."""
    middle = len(secret) // 2
    return secret[:middle] + secret[middle + 1:]


def _leaks(case: PrivateCase, channel: str, body: str) -> bool:
    if channel == "suggestions":
        return case.secret.lower() in body.lower() or any(word in body for word in case.hidden)
    if channel == "search":
        # The query itself is echoed back; what must not appear is anything else from the object.
        object_urls = [url for url in case.urls.get("page", []) if url]
        return any(word in body for word in case.hidden) or any(f'href="{url}"' in body for url in object_urls)
    return case.secret in body or any(word in body for word in case.hidden)


def _client_for(viewer: str, case: PrivateCase, client):
    if viewer == "anonymous":
        return client
    user = {
        "outsider": lambda: make_user("utenforstaende-leser"),
        "other_member": lambda: case.other_member,
        "past_member": lambda: case.past_member,
        "member": lambda: case.member,
    }[viewer]()
    client.force_login(user)
    return client


def _fetch(client, url: str) -> tuple[int, str]:
    response = client.get(url)
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        # A PDF's text sits in compressed streams under subset fonts: read it as a reader would.
        return response.status_code, pdf_text(body)
    return response.status_code, body.decode("utf-8", errors="replace")


CASES = sorted(PRIVATE_KINDS)
CHANNELS = list(OBJECT_CHANNELS) + list(GLOBAL_CHANNELS)


def _urls(case: PrivateCase, channel: str) -> list[str]:
    return case.urls.get(channel, []) if channel in OBJECT_CHANNELS else GLOBAL_CHANNELS[channel](case)


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("kind", CASES)
def test_private_content_never_reaches_anyone_without_access(kind, viewer, client):
    """Every channel the case has is fetched; a failure lists each channel and URL that leaked."""
    _try_every_channel(kind, viewer, client)


@pytest.mark.parametrize("kind", sorted(PAST_MEMBER_KINDS))
def test_private_content_never_reaches_past_members(kind, client):
    """Someone whose seat has ended is refused like an outsider, whatever they could see before."""
    _try_every_channel(kind, "past_member", client)


def _try_every_channel(kind: str, viewer: str, client) -> None:
    case = PRIVATE_KINDS[kind]()
    client = _client_for(viewer, case, client)
    leaks, wrong_status, seen_by_channel = [], [], {}
    for channel in CHANNELS:
        seen = {url: _fetch(client, url) for url in _urls(case, channel)}
        seen_by_channel[channel] = [url for url, (_s, body) in seen.items() if _leaks(case, channel, body)]
        if viewer == "member":
            continue
        leaks += [f"{channel}: {url}" for url in seen_by_channel[channel]]
        if channel in OBJECT_CHANNELS:
            wrong_status += [f"{channel}: {url} -> {status}" for url, (status, _b) in seen.items()
                             if status not in (302, 403, 404)]
    if viewer == "member":
        unseen = [channel for channel in case.member_sees if not seen_by_channel.get(channel)]
        assert not unseen, f"the member should see {kind} via {unseen}"
        return
    assert not leaks, f"{kind} leaked to {viewer}: {leaks}"
    assert not wrong_status, f"{viewer} was not refused at private URLs of {kind}: {wrong_status}"


@pytest.mark.parametrize("kind", sorted(NOTIFYING_KINDS))
def test_notification_emails_reach_only_members(kind):
    case = PRIVATE_KINDS[kind]()
    assert case.trigger_notifications is not None, f"{kind} is registered with notifies=True"
    mail.outbox.clear()
    case.trigger_notifications()
    allowed = {member.email for member in case.notified_members}
    for message in mail.outbox:
        content = message.subject + message.body + "".join(str(alt[0]) for alt in getattr(message, "alternatives", []))
        if case.secret in content:
            assert set(message.to) <= allowed, f"{kind}: e-mail with private text went to {message.to}"
    assert any(set(m.to) & allowed for m in mail.outbox), f"{kind}: members were not notified"
