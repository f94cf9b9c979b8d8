"""Signals keep the index current: publishing, unpublishing, deleting, moving, and every change
to who may see a page (restrictions added, removed, groups changed) reaches the index at once."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from wagtail.models import Locale

from search.models import SearchEntry
from tests.helpers import demo_page, make_user, restrict_to_groups
from tests.search.helpers import publish_page, run, titles

pytestmark = pytest.mark.django_db


def test_published_page_is_found_and_unpublished_page_is_not():
    page = publish_page("Synlig side", "Gaustatoppen er høy")
    assert "Synlig side" in titles(run("Gaustatoppen"))
    page.unpublish()
    assert run("Gaustatoppen").total == 0


def test_deleted_page_leaves_the_index():
    page = publish_page("Slettes", "Snøhetta forsvinner")
    page_id = page.pk
    page.delete()
    assert run("Snøhetta").total == 0
    assert not SearchEntry.objects.filter(object_id=str(page_id)).exists()


def test_deleting_a_private_section_with_pages_under_it_works_and_empties_the_index():
    group = Group.objects.create(name="Slettegruppe")
    container = publish_page("Lukket rom", "Rommet")
    restrict_to_groups(container, group)
    child = publish_page("Under lukket rom", "Jostedalsbreen smelter", parent=container)
    member = make_user("slette-medlem", groups=(group,))
    assert run("Jostedalsbreen", member).total == 1
    container.delete()
    assert run("Jostedalsbreen", member).total == 0
    assert not SearchEntry.objects.filter(object_id=str(child.pk)).exists()


def test_new_revision_replaces_old_text():
    page = publish_page("Endres", "Galdhøpiggen først")
    page.body = "<p>Glittertind etterpå</p>"
    page.save_revision().publish()
    assert run("Galdhøpiggen").total == 0
    assert "Endres" in titles(run("Glittertind"))


def test_restricting_a_page_later_hides_it_and_its_subtree_at_once():
    parent = publish_page("Forelder", "Trolltunga forelder")
    child = publish_page("Barn", "Trolltunga barn", parent=parent)
    group = Group.objects.create(name="Trollgruppe")
    member = make_user("troll-medlem", groups=(group,))
    assert run("Trolltunga").total == 2
    restriction = restrict_to_groups(parent, group)
    assert run("Trolltunga").total == 0
    assert run("Trolltunga", member).total == 2
    # Changing the restriction's groups moves the audience with it.
    other = Group.objects.create(name="Ny trollgruppe")
    restriction.groups.set([other])
    assert run("Trolltunga", member).total == 0
    assert run("Trolltunga", make_user("ny-troll", groups=(other,))).total == 2
    restriction.delete()
    assert run("Trolltunga").total == 2
    del child


def test_translation_of_a_page_restricted_later_is_hidden_too():
    page = publish_page("Kilde", "Preikestolen kilde")
    translation = page.copy_for_translation(Locale.objects.get(language_code="en"))
    translation.body = "<p>Preikestolen source</p>"
    translation.save_revision().publish()
    both = {"language": ["nb", "en"]}  # a reader who asks for both versions (else one hit per page)
    assert run("Preikestolen", filters=both).total == 2
    restrict_to_groups(page, Group.objects.create(name="Stolgruppe"))
    assert run("Preikestolen", filters=both).total == 0
    assert run("Preikestolen").total == 0


def test_moving_a_page_under_a_restricted_parent_hides_it():
    closed = publish_page("Lukket mappe", "mappe")
    restrict_to_groups(closed, Group.objects.create(name="Mappegruppe"))
    page = publish_page("Flyttes", "Kjeragbolten flyttes")
    assert run("Kjeragbolten").total == 1
    page.move(closed, pos="last-child")
    assert run("Kjeragbolten").total == 0
    assert run("Kjeragbolten", AnonymousUser()).hits == []


def test_login_restriction_admits_any_logged_in_user_only():
    from wagtail.models import PageViewRestriction

    page = publish_page("Innlogget", "Besseggen innlogget")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert run("Besseggen").total == 0
    assert run("Besseggen", make_user("besseggen-leser")).total == 1


def test_password_restricted_pages_are_for_superusers_only():
    from wagtail.models import PageViewRestriction

    page = publish_page("Passord", "Romsdalseggen passord")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password="x")
    assert run("Romsdalseggen", make_user("eggen-leser")).total == 0


def test_hearing_gets_status_and_deadline_facets():
    hearing = demo_page("horinger").get_children().live().first().specific
    results = run(hearing.title.split()[-1], filters={"type": ["hearingpage"]})
    assert results.total >= 1
    assert {value.value for value in results.facets["status"]} == {hearing.status}
    assert {value.value for value in results.facets["year"]} == {str(hearing.deadline.year)}


def test_hearing_status_follows_the_deadline_without_reindexing():
    import datetime

    from django.utils import timezone

    from search.models import SearchEntry

    hearing = demo_page("horinger").get_children().live().first().specific
    # As if indexed while open, and the deadline (the entry's date) has since passed, in every language.
    SearchEntry.objects.filter(kind="hearingpage").update(
        status="open", date=timezone.now() - datetime.timedelta(days=1)
    )
    word = hearing.title.split()[-1]
    results = run(word, filters={"type": ["hearingpage"], "status": ["closed"]})
    assert hearing.title in titles(results)
    assert run(word, filters={"type": ["hearingpage"], "status": ["open"]}).total == 0


def test_aliases_are_not_indexed_twice():
    page = publish_page("Original", "Jotunheimen original")
    page.create_alias(parent=demo_page("horinger"), update_slug="alias-jotunheimen")
    from search.service import reindex_page_tree

    reindex_page_tree(demo_page("horinger"))
    assert run("Jotunheimen").total == 1


def test_a_large_visibility_change_takes_its_pages_out_at_once_and_a_worker_writes_them_back(run_worker,
                                                                                            monkeypatch):
    """Re-indexing a big subtree is a task; what the request does at once (taking the entries out)
    can only hide pages for a moment, never show them to someone who may no longer see them."""
    from search import service

    monkeypatch.setattr(service, "TREE_INLINE_LIMIT", 1)
    parent = publish_page("Foreldreside Trollheimen", "Trollheimen forelder")
    publish_page("Underside Trollheimen", "Trollheimen underside", parent=parent)
    assert run("Trollheimen").total == 2
    group = Group.objects.create(name="Trollheimengruppen")
    member = make_user("trollheimen-medlem", groups=(group,))
    restrict_to_groups(parent, group)
    assert run("Trollheimen").total == 0, "anonymous readers lose the pages in the same request"
    assert run("Trollheimen", user=member).total == 0, "out for everyone until a worker writes them back"
    assert run_worker() >= 1
    assert run("Trollheimen").total == 0
    assert titles(run("Trollheimen", user=member)) == {"Foreldreside Trollheimen", "Underside Trollheimen"}
