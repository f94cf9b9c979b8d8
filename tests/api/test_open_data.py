"""The open data API (Wagtail API v2): hearings, responses, position papers, councils and meetings,
with filters, pagination, stable ids and one host in every URL, and only what an anonymous reader may
see. Every request goes over HTTP with `requests`."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests

from portal.hearings import actions as hearing_actions
from portal.hearings.models import HearingPage, PublishedPart, PublishedResponse
from portal.meetings.models import AgendaItem, LegalBasis
from portal.positions.models import PublishedPositionPaper
from tests.hearings.helpers import FFB, URB, accept, make_hearing, make_response
from tests.helpers import demo_page, demo_user
from tests.meetings import factories

pytestmark = pytest.mark.django_db

ENDPOINTS = ["pages", "hearings", "responses", "position-papers", "councils", "meetings"]


def get(url: str, **params) -> requests.Response:
    return requests.get(url, params=params, timeout=30)


def _urls(value, found=None) -> list[str]:
    found = [] if found is None else found
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str) and (key == "url" or key.endswith("_url")):
                found.append(item)
            else:
                _urls(item, found)
    elif isinstance(value, list):
        for item in value:
            _urls(item, found)
    return found


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_endpoint_pages_its_items_with_stable_ids_and_one_host(api, endpoint):
    first = get(f"{api}/api/v2/{endpoint}/", limit=2)
    assert first.status_code == 200, first.text
    body = first.json()
    total = body["meta"]["total_count"]
    assert total >= 2 and len(body["items"]) == 2
    second = get(f"{api}/api/v2/{endpoint}/", limit=2, offset=2).json()
    ids = [item["id"] for item in body["items"]] + [item["id"] for item in second["items"]]
    assert len(set(ids)) == len(ids), "pages do not overlap"
    assert [i["id"] for i in get(f"{api}/api/v2/{endpoint}/", limit=2).json()["items"]] == ids[:2], "stable order"
    host = urlsplit(api).netloc
    urls = _urls(body["items"])
    assert urls and all(urlsplit(url).netloc == host for url in urls), urls
    item = body["items"][0]
    detail = get(item["meta"]["detail_url"])
    assert detail.status_code == 200 and detail.json()["id"] == item["id"]
    assert get(item["meta"]["html_url"]).status_code == 200, "html_url opens the public page"


def test_hearings_have_sections_deadline_status_consulted_bodies_and_filters(api):
    hearing = make_hearing("api-horing", days=10)
    hearing.consulted_organisations.add(demo_page(FFB))
    hearing.save_revision().publish()
    found = get(f"{api}/api/v2/hearings/", status="open", limit=100).json()["items"]
    assert hearing.pk in [item["id"] for item in found]
    assert all(item["status"] == "open" for item in found)
    data = get(f"{api}/api/v2/hearings/{hearing.pk}/").json()
    assert data["summary"] == "Et utkast til uttalelse." and data["status"] == "open"
    assert data["deadline"].startswith(str(hearing.deadline.date())[:4])
    assert [(s["number"], s["heading"], s["anchor"]) for s in data["sections"]][0] == ("1", "Formål", "punkt-1")
    assert data["sections"][0]["html_url"] == f"{api}{hearing.url}#punkt-1"
    assert data["consulted_bodies"]["organisations"] == [{"id": demo_page(FFB).pk, "title": demo_page(FFB).title}]
    by_organisation = get(f"{api}/api/v2/hearings/", organisation=demo_page(FFB).pk, limit=100).json()["items"]
    assert hearing.pk in [item["id"] for item in by_organisation]
    assert all(demo_page(FFB).pk in [o["id"] for o in item["consulted_bodies"]["organisations"]]
               for item in by_organisation)
    by_other = get(f"{api}/api/v2/hearings/", organisation=demo_page(URB).pk, limit=100).json()["items"]
    assert hearing.pk not in [item["id"] for item in by_other]
    closed = get(f"{api}/api/v2/hearings/", status="closed", limit=100).json()["items"]
    assert hearing.pk not in [item["id"] for item in closed]
    demo = HearingPage.objects.filter(locale__language_code="nb").exclude(attachments=None).first()
    if demo is not None:
        attachments = get(f"{api}/api/v2/hearings/{demo.pk}/").json()["attachments"]
        assert attachments and all(get(a["url"]).status_code == 200 for a in attachments)


def test_bad_filters_get_a_clear_400(api):
    cases = {"hearings": {"status": "maybe"}, "responses": {"organisation": "abc"}, "meetings": {"from": "1.1.2026"},
             "position-papers": {"colour": "blue"}, "councils": {"level": "galactic"}}
    for endpoint, params in cases.items():
        response = get(f"{api}/api/v2/{endpoint}/", **params)
        assert response.status_code == 400, endpoint
        assert response.json()["message"], endpoint
    message = get(f"{api}/api/v2/meetings/", **{"from": "2026-02-01", "to": "2026-01-01"}).json()["message"]
    assert "to" in message and "from" in message


def test_responses_with_parts_and_dispositions_only_when_public(api):
    concluded = PublishedPart.objects.exclude(disposition="").select_related("published").first()
    assert concluded is not None, "the demo has a concluded hearing with dispositions"
    data = get(f"{api}/api/v2/responses/{concluded.published.pk}/").json()
    part = next(p for p in data["parts"] if p["disposition"])
    assert part["disposition"] == concluded.disposition and part["disposition_reason"] == concluded.disposition_reason
    assert data["organisation"]["id"] == concluded.published.organisation.pk

    held = make_hearing("api-frist", days=5, policy="at_deadline")
    waiting = accept(make_response(held, FFB, slug="api-frist-svar", remarks="<p>Holdt tilbake Blåbærtua.</p>"))
    open_hearing = make_hearing("api-apen")
    public = accept(make_response(open_hearing, URB, slug="api-apen-svar"))
    withdrawn = accept(make_response(open_hearing, FFB, slug="api-trukket-svar", remarks="<p>Trukket Tyttebær.</p>"))
    hearing_actions.published_withdraw(published=PublishedResponse.objects.get(pk=withdrawn.pk),
                                       user=demo_user("org-leder"))
    listing = get(f"{api}/api/v2/responses/", hearing=open_hearing.pk).json()
    assert [item["id"] for item in listing["items"]] == [public.pk]
    assert get(f"{api}/api/v2/responses/{waiting.pk}/").status_code == 404
    assert get(f"{api}/api/v2/responses/{withdrawn.pk}/").status_code == 404
    everything = get(f"{api}/api/v2/responses/", limit=100).text
    assert "Blåbærtua" not in everything and "Tyttebær" not in everything
    by_organisation = get(f"{api}/api/v2/responses/", organisation=demo_page(URB).pk, limit=100).json()["items"]
    assert public.pk in [item["id"] for item in by_organisation]
    assert all(item["organisation"]["id"] == demo_page(URB).pk for item in by_organisation)


def test_position_papers_and_councils_with_their_current_composition(api):
    paper = PublishedPositionPaper.objects.filter(withdrawn_at__isnull=True).first()
    data = get(f"{api}/api/v2/position-papers/", organisation=paper.organisation.pk).json()
    assert paper.pk in [item["id"] for item in data["items"]]
    bergen = factories.council()
    council = get(f"{api}/api/v2/councils/{bergen.pk}/").json()
    names = [member["name"] for member in council["current_members"]]
    assert "Máret Ánne Čiekŋa-Šuđđá" in names
    assert all("email" not in member for member in council["current_members"])
    levels = {item["level"] for item in get(f"{api}/api/v2/councils/", level="national", limit=100).json()["items"]}
    assert levels == {"national"}


def test_meetings_show_confidential_items_only_as_the_placeholder(api):
    meeting = factories.meeting(slug="api-mote", items=[
        {"title": "Åpen sak om skilting", "description": "Offentlig beskrivelse"},
        factories.confidential("Klage Fjellrev", "Opplysninger Lemen", LegalBasis.OFFL_13),
    ])
    factories.minutes(meeting, {"Klage Fjellrev": ("Drøftet Jerv", "Vedtak Jerv"),
                                "Åpen sak om skilting": ("Åpen drøfting", "Skilt bestilles")})
    response = get(f"{api}/api/v2/meetings/{meeting.pk}/")
    assert response.status_code == 200
    for word in ("Fjellrev", "Lemen", "Jerv"):
        assert word not in response.text
    data = response.json()
    hidden = next(item for item in data["agenda"] if item["confidential"])
    assert hidden["legal_basis"] == "offl. § 13" and "offl. § 13" in hidden["title"]
    shown = next(item for item in data["agenda"] if not item["confidential"])
    assert shown["minutes"] == {"discussion": "Åpen drøfting", "conclusion": "Skilt bestilles"}
    assert data["minutes"]["pdf_url"].endswith(f"/moter/mote/{meeting.pk}/referat.pdf")
    day = meeting.local_start.date().isoformat()
    listed = get(f"{api}/api/v2/meetings/", council=factories.council().pk, **{"from": day, "to": day}).json()
    assert meeting.pk in [item["id"] for item in listed["items"]]
    other = get(f"{api}/api/v2/meetings/", council=factories.council(factories.NATIONAL).pk, limit=100).json()
    assert meeting.pk not in [item["id"] for item in other["items"]]
    assert AgendaItem.objects.filter(page=meeting, confidential=True).exists()


def test_a_logged_in_session_does_not_open_private_content(api, client):
    """The API answers as for an anonymous reader even with a member's session cookie."""
    meeting = factories.meeting(slug="api-okt", items=[factories.confidential("Klage Snøugle")])
    client.force_login(demo_user("utvalgsmedlem"))
    cookie = client.cookies["sessionid"].value
    response = requests.get(f"{api}/api/v2/meetings/{meeting.pk}/", cookies={"sessionid": cookie}, timeout=30)
    assert response.status_code == 200 and "Snøugle" not in response.text


def test_the_open_data_page_lists_every_endpoint_with_working_examples(api):
    page = get(f"{api}/apne-data/")
    assert page.status_code == 200
    assert 'href="/apne-data/"' in get(f"{api}/").text, "linked from the footer"
    for endpoint in ENDPOINTS:
        assert f"/{endpoint}/" in page.text
    assert f"{api}/api/v2/hearings/?status=open" in page.text
    assert get(f"{api}/api/v2/hearings/?status=open").status_code == 200
