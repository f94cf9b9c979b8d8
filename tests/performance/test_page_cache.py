"""The anonymous page cache (portal/core/page_cache.py) makes repeated public pages cheap and never
serves or keeps anything private: signed-in readers bypass it, private pages are never stored, and
any edit (publishing, making a page private) is visible at once, while drafts leave it alone."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from tests.helpers import demo_page, restrict_to_groups, text

pytestmark = pytest.mark.django_db

HIT = "X-Portal-Page-Cache"


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def test_a_repeated_public_page_is_served_from_the_cache_without_queries(client, django_assert_num_queries):
    first = client.get("/")
    assert first[HIT] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second[HIT] == "hit"
    assert second.content == first.content
    assert second["Content-Language"] == "nb"


def test_languages_and_search_words_are_kept_apart(client):
    client.get("/")
    assert '<html lang="nn">' in text(client.get("/nn/"))
    client.get("/search/?q=bergen")
    other = client.get("/search/?q=vestland")
    assert other.get(HIT) != "hit"
    assert "vestland" in text(other)


def test_signed_in_readers_never_get_or_fill_the_cache(client, login, settings):
    member = login("utvalgsmedlem")
    session = member.cookies[settings.SESSION_COOKIE_NAME].value
    page = member.get("/")
    assert HIT not in page
    assert "Logg ut" in text(page)

    client.cookies.clear()
    client.get("/")
    anonymous = client.get("/")
    assert anonymous[HIT] == "hit"
    assert "Logg ut" not in text(anonymous)

    # The same signed-in reader comes back while the anonymous copy is cached: not served it.
    client.cookies[settings.SESSION_COOKIE_NAME] = session
    again = client.get("/")
    assert HIT not in again
    assert "Logg ut" in text(again)


def test_private_pages_are_never_stored(client, login):
    space = demo_page("fellesforbundet-for-brukerorganisasjoner").url + "arbeidsrom/"
    member = login("org-medlem")
    inside = member.get(space)
    assert inside.status_code == 200
    assert HIT not in inside
    client.cookies.clear()
    assert client.get(space).status_code == 302


def test_a_page_made_private_is_refused_at_once(client):
    page = demo_page("personvern")
    assert client.get(page.url).status_code == 200
    assert client.get(page.url)[HIT] == "hit"
    restrict_to_groups(page, Group.objects.create(name="Lukket gruppe"))
    assert client.get(page.url).status_code == 302


def test_a_published_edit_shows_at_once(client):
    hearing = demo_page("strategi-for-brukermedvirkning-2027-2030")
    client.get(hearing.url)
    hearing.title = "Høring – ny tittel etter endring"
    hearing.save_revision().publish()
    assert "Høring – ny tittel etter endring" in text(client.get(hearing.url))


def test_pages_that_set_cookies_are_not_stored(client):
    client.get("/accounts/login/")
    client.cookies.clear()
    assert HIT not in client.get("/accounts/login/")


def test_cache_is_off_unless_configured(client, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    client.get("/")
    assert HIT not in client.get("/")


def test_an_owners_export_does_not_empty_the_readers_cache(client):
    """An export saves its progress every few moments; readers' cached pages stay (nothing they see changed)."""
    from portal.hearings import export_jobs
    from portal.hearings.models import HearingPage
    from tests.helpers import demo_user

    assert client.get("/")[HIT] == "miss"
    hearing = HearingPage.objects.get(slug="strategi-for-brukermedvirkning-2027-2030", locale__language_code="nb")
    job = export_jobs.export_start(hearing=hearing, user=demo_user("horingseier"), kind="pdf")
    assert job.state == "done"
    assert client.get("/")[HIT] == "hit"


def test_a_downloaded_response_pdf_is_never_stored(client):
    """A response can be withdrawn: its PDF must not outlive that in the cache."""
    from portal.hearings.models import HearingPage

    hearing = HearingPage.objects.get(slug="strategi-for-brukermedvirkning-2027-2030", locale__language_code="nb")
    url = hearing.url + f"svar/{hearing.published_responses.first().pk}/pdf/"
    assert client.get(url).status_code == 200
    assert client.get(url).get(HIT) != "hit"


def test_an_editors_draft_keeps_the_readers_cached_pages_and_publishing_replaces_them(client):
    """Saving a draft (a revision, the page's draft title) changes nothing readers see: their cached
    pages stay while editors work; publishing the draft shows it at once."""
    hearing = demo_page("strategi-for-brukermedvirkning-2027-2030")
    assert client.get(hearing.url)[HIT] == "miss"
    hearing.title = "Utkast som ingen leser ser ennå"
    revision = hearing.save_revision()
    cached = client.get(hearing.url)
    assert cached[HIT] == "hit"
    assert "Utkast som ingen leser ser ennå" not in text(cached)
    revision.publish()
    fresh = client.get(hearing.url)
    assert fresh[HIT] == "miss"
    assert "Utkast som ingen leser ser ennå" in text(fresh)


def test_pages_cached_while_a_publish_commits_are_forgotten_when_it_commits(django_capture_on_commit_callbacks):
    from portal.core import page_cache

    page = demo_page("personvern")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        page.title = "Personvern (ny)"
        page.save_revision().publish()
        # Another server's reader, between the save and the commit, still reads the old page and
        # stores it under the generation that is current now.
        during = page_cache._generation()
    assert len(callbacks) >= 1
    assert page_cache._generation() != during  # so that old page is never served
