"""Accepted responses are found by search once the hearing's policy releases them, and not before
(except by the organisation's own members and the hearing owners)."""

from __future__ import annotations

import pytest

from tests.hearings.helpers import accept, make_hearing, make_response
from tests.helpers import demo_user
from tests.search.helpers import run

pytestmark = pytest.mark.django_db


def test_a_released_response_is_found_by_anyone():
    hearing = make_hearing("sok-apen")
    accept(make_response(hearing, remarks="<p>Vi foreslår Nordkappmodellen for brukerutvalg.</p>"))
    assert run("Nordkappmodellen").total == 1


def test_a_response_waiting_for_the_deadline_is_found_only_by_its_organisation_and_the_owners():
    hearing = make_hearing("sok-frist", policy="at_deadline")
    accept(make_response(hearing, remarks="<p>Vi foreslår Lindesnesmodellen for brukerutvalg.</p>"))
    assert run("Lindesnesmodellen").total == 0
    assert run("Lindesnesmodellen", demo_user("urb-leder")).total == 0
    # Members also find their own draft page in the workspace; the public copy is the one at the hearing.
    member_urls = {hit.url for hit in run("Lindesnesmodellen", demo_user("org-medlem")).hits}
    assert any(url.startswith(hearing.url + "svar/") for url in member_urls)
    assert run("Lindesnesmodellen", demo_user("horingseier")).total == 1


def test_a_withdrawn_response_leaves_the_index():
    from portal.hearings import actions

    hearing = make_hearing("sok-trukket")
    copy = accept(make_response(hearing, remarks="<p>Vi foreslår Skagerrakmodellen.</p>"))
    assert run("Skagerrakmodellen").total == 1
    actions.published_withdraw(published=copy, user=demo_user("org-leder"))
    assert run("Skagerrakmodellen").total == 0
