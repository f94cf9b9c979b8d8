"""The channels whose URLs are the same for every private kind (listings, the open data API, feeds,
the sitemap, the workspace), read once per viewer with every kind built side by side: none may carry any case's
secret to a viewer outside that case. test_leaks.py tries every other channel per case, and reads
these per case too as the viewers who differ from case to case (the member, whose positive control
covers them, the other group's member and the past member).

A module of its own: its every-case transaction lasts the module, so no other test runs inside it.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from tests.access.leak_cases import INSIDERS, PRIVATE_KINDS
from tests.access.test_leaks import CASES, SHARED_CHANNELS, SHARED_VIEWERS, _fetch, _leaks, _urls, _viewer
from tests.access.test_leaks_workspace import WORKSPACE_URLS

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def every_case(django_db_setup, django_db_blocker):
    """Every private kind built side by side, once per module (and xdist worker), in a transaction
    that is rolled back at the end; each test's own transaction nests inside it."""

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield {kind: PRIVATE_KINDS[kind]() for kind in CASES}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_every_case_has_words_of_its_own(every_case):
    """A case's secret and hidden words occur in no other case's: with every case built side by
    side, a word two cases share would make an insider of one look like a leak of the other."""
    words = {kind: {case.secret.lower(), *(word.lower() for word in case.hidden)} for kind, case in every_case.items()}
    shared = [f"{kind} and {other}: {word!r} in {their!r}" for kind, mine in words.items()
              for other, theirs in words.items() if other != kind
              for word in mine for their in theirs if word in their]
    assert not shared, shared


@pytest.mark.parametrize("viewer", SHARED_VIEWERS)
def test_shared_channels_show_no_private_content(viewer, every_case, client):
    """The listings, open data API, feeds and sitemap, read once with every private kind present:
    none of them may carry any case's secret to a viewer outside that case."""
    user = _viewer(viewer, next(iter(every_case.values())))
    if user.is_authenticated:
        client.force_login(user)
    outside = {kind: case for kind, case in every_case.items() if viewer not in INSIDERS[kind]}
    urls = {url for case in every_case.values() for channel in SHARED_CHANNELS for url in _urls(case, channel, viewer)}
    seen = {url: _fetch(client, url) for url in sorted(urls)}
    # The channels were really read: the sitemap and the API's listings answer everyone.
    unread = [url for url in ("/sitemap.xml", "/api/v2/hearings/?limit=100") if seen[url][0] != 200]
    assert not unread, f"{viewer} could not read {unread}"
    leaks = [f"{kind}: {url}" for kind, case in outside.items() for url, (status, body) in seen.items()
             if _leaks(case, "listing", status, body)]
    # The signed-in person's workspace, in each language: there even the roles that read a kind
    # elsewhere (a moderator hiding council posts) see only what they act on, so only the case's
    # own reviewer is exempt (a draft waiting for moderation is the moderator's task).
    workspace = {url: _fetch(client, url) for url in WORKSPACE_URLS}
    leaks += [f"{kind}: {url}" for kind, case in every_case.items() if case.member != user
              for url, (status, body) in workspace.items() if _leaks(case, "listing", status, body)]
    assert not leaks, f"private content leaked to {viewer} on shared channels: {leaks}"
