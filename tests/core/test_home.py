"""The home page: the editors' introduction, then what is happening now (open hearings by nearest
deadline, upcoming public meetings, the newest minutes and published responses), a search box, and
for a signed-in reader the way to their workspace. Private things never appear; the page costs the
same number of queries however much content there is."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.councils.models import CouncilSpace
from portal.hearings.models import PublicationPolicy
from tests.hearings.helpers import FFB, accept, make_hearing, make_response
from tests.helpers import demo_page, restrict_to_groups
from tests.meetings import factories

pytestmark = pytest.mark.django_db


def _block(client, key: str, path: str = "/") -> list[str]:
    soup = BeautifulSoup(client.get(path).content, "html.parser")
    block = soup.find(id=f"home-{key}").parent
    return [li.a.get_text(strip=True) for li in block.select("ul.home-list > li")]


def test_open_hearings_come_by_nearest_deadline_and_closed_ones_are_left_out(client):
    later = make_hearing("hjem-senere", days=2.5, title="Høring Senere")
    sooner = make_hearing("hjem-snart", days=0.5, title="Høring Snart")
    make_hearing("hjem-lukket", days=-2, title="Høring Lukket")
    titles = _block(client, "open-hearings")
    assert titles.index(sooner.title) < titles.index(later.title)
    assert "Høring Lukket" not in titles
    assert titles[0] == sooner.title  # nothing in the demo closes sooner than in half a day


def test_upcoming_meetings_are_public_ones_only(client):
    public = factories.meeting(slug="hjem-offentlig", days=1, status="planned")
    private = factories.meeting(slug="hjem-privat", days=1, status="planned")
    restrict_to_groups(private, CouncilSpace.objects.get(council_key=factories.council().translation_key).members)
    body = client.get("/").content.decode()
    assert public.url in body
    assert private.url not in body


def test_newest_minutes_and_released_responses_appear_and_unreleased_ones_do_not(client):
    meeting = factories.meeting(slug="hjem-referat", days=-1, items=[{"title": "Skilting"}])
    factories.minutes(meeting, {"Skilting": ("Drøftet", "Vedtatt")})
    released = accept(make_response(make_hearing("hjem-svar"), FFB))
    held_back = accept(make_response(make_hearing("hjem-holdt", policy=PublicationPolicy.AT_DEADLINE), FFB))
    body = client.get("/").content.decode()
    soup = BeautifulSoup(body, "html.parser")
    minutes_links = [a["href"] for a in soup.find(id="home-new-minutes").parent.select("ul.home-list a")]
    assert minutes_links[0] == meeting.url
    response_links = [a["href"] for a in soup.find(id="home-new-responses").parent.select("ul.home-list a")]
    assert response_links[0] == released.get_absolute_url()
    assert held_back.get_absolute_url() not in body


def test_search_box_and_the_workspace_link_for_signed_in_readers(client, login):
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    form = soup.find("form", role="search")
    assert form["action"] == "/search/" and form.find("input", attrs={"name": "q"}) is not None
    assert "/arbeidsrom/" not in str(soup.find(class_="hero"))
    signed_in = BeautifulSoup(login("org-medlem").get("/nn/").content, "html.parser")
    assert signed_in.select_one('.home-workspace a[href$="/arbeidsrom/"]') is not None


def test_the_intro_is_the_editors_and_the_blocks_follow_the_readers_language(client):
    home = demo_page("hjem").specific
    home.intro = "Velkommen til portalen for brukermedvirkning."
    home.save_revision().publish()
    assert "Velkommen til portalen for brukermedvirkning." in client.get("/").content.decode()
    english = client.get("/en/").content.decode()
    assert "Open hearings" in english and "Upcoming council meetings" in english
    assert "Åpne høringer" in client.get("/").content.decode()


def test_the_home_page_costs_the_same_queries_with_ten_times_the_content(client, django_assert_max_num_queries):
    for n in range(2):
        make_hearing(f"hjem-lite-{n}", days=3 + n)
    client.get("/")  # warm caches (site root paths, locales)
    with CaptureQueriesContext(connection) as baseline:
        client.get("/")
    hearings = [make_hearing(f"hjem-mye-{n}", days=1 + n / 10) for n in range(20)]
    for n, hearing in enumerate(hearings[:10]):
        accept(make_response(hearing, FFB, slug=f"svar-hjem-mye-{n}"))
    for n in range(10):
        meeting = factories.meeting(slug=f"hjem-mote-{n}", days=2 + n, status="planned")
        assert meeting.live
    for n in range(10):
        held = factories.meeting(slug=f"hjem-holdt-{n}", days=-1 - n, items=[{"title": "Sak"}])
        factories.minutes(held, {"Sak": ("Drøftet", "Vedtatt")})
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        response = client.get("/")
    assert response.status_code == 200
    # The blocks are full (five items each) with the added content.
    assert len(_block(client, "open-hearings")) == 5 and len(_block(client, "new-responses")) == 5
