"""Registered non-page models (how council threads, posts and organisation documents plug in):
saving indexes, the adapter's audience decides who finds it, hiding or deleting removes it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.access.audience import council_token
from search.models import SearchEntry
from search.registry import Adapter, Entry, register, unregister
from tests.helpers import demo_page, demo_user
from tests.search.helpers import run, titles

pytestmark = pytest.mark.django_db


class PrivateNoteAdapter(Adapter):
    """A stand-in for a council's private thread: a Group whose name is the text, visible to the
    Bergen council's members only; names starting with "skjult" are hidden (not searchable)."""

    kind = "thread"
    kind_label = _("discussion thread")

    def entry(self, group: Group) -> Entry | None:
        if group.name.startswith("skjult"):
            return None
        council = demo_page("brukerutvalget-i-bergen")
        return Entry(title=f"Tråd {group.pk}", text=group.name, url="/tråd/", language="nb",
                     audience={council_token(council)}, council=council, status="active")


@pytest.fixture
def registered():
    register(Group, PrivateNoteAdapter())
    yield
    unregister(Group)


def test_council_thread_is_found_by_members_only_including_facets(registered):
    thread = Group.objects.create(name="Møtene om Kvamskogen")
    member = demo_user("utvalgsmedlem")
    with translation.override("en"):
        results = run("møte Kvamskogen", member)
        assert {value.label for value in results.facets["type"]} == {"discussion thread"}
    results = run("møte Kvamskogen", member)
    assert titles(results) == {f"Tråd {thread.pk}"}
    assert {value.label for value in results.facets["type"]} == {"diskusjonstråd"}
    assert [value.count for value in results.facets["council"]] == [1]
    for outsider in (AnonymousUser(), demo_user("fylkesutvalgsmedlem"), demo_user("org-leder")):
        outsider_results = run("Kvamskogen", outsider)
        assert outsider_results.total == 0 and all(v == [] for v in outsider_results.facets.values())


def test_hiding_and_deleting_remove_the_entry_at_once(registered):
    thread = Group.objects.create(name="Kvamskogen tråd")
    member = demo_user("utvalgsmedlem")
    assert run("Kvamskogen", member).total == 1
    thread.name = "skjult Kvamskogen"
    thread.save()
    assert run("Kvamskogen", member).total == 0
    thread.name = "Kvamskogen igjen"
    thread.save()
    assert run("Kvamskogen", member).total == 1
    thread.delete()
    assert run("Kvamskogen", member).total == 0


def test_unregistered_models_are_not_indexed():
    Group.objects.create(name="Uregistrert Kvamskogen")
    assert not SearchEntry.objects.filter(title__startswith="Tråd").exists()
    assert run("Kvamskogen", demo_user("admin")).total == 0
