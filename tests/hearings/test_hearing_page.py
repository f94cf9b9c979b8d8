"""A hearing page as good as regjeringen.no's: sent date, contact person, consulted bodies with
whether they have answered, the number of responses, each response on its own page labelled
"Publisert", the outcome per section, following by feed and by e-mail, one status vocabulary, and a
table of contents that numbers once."""

from __future__ import annotations

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core import mail

from portal.hearings import actions
from portal.hearings.models import HearingFollower, HearingPage, HearingSection, PublicationPolicy
from tests.hearings.helpers import FFB, URB, accept, make_hearing, make_response
from tests.helpers import demo_page, demo_user

pytestmark = pytest.mark.django_db


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def _with_details(hearing: HearingPage) -> HearingPage:
    hearing.sent_out = datetime.date(2026, 9, 1)
    hearing.contact_name, hearing.contact_email = "Ingrid Solberg", "ingrid@etaten.example.no"
    hearing.consulted_organisations.set([demo_page(FFB), demo_page(URB)])
    hearing.save_revision().publish()
    return HearingPage.objects.get(pk=hearing.pk)


def test_the_page_shows_sent_date_contact_consulted_bodies_who_answered_and_the_count(client):
    hearing = _with_details(make_hearing("detaljer"))
    accept(make_response(hearing, FFB))
    soup = _soup(client.get(hearing.url))
    facts = soup.find(class_="hearing-facts").get_text(" ", strip=True)
    assert "Sendt ut" in facts and "1. september 2026" in facts
    assert "Ingrid Solberg" in facts and soup.find("a", href="mailto:ingrid@etaten.example.no")
    assert soup.find(class_="response-count").get_text(strip=True) == "1"
    consulted = {li.a.get_text(strip=True): li.get_text(" ", strip=True)
                 for li in soup.find(id="consulted-heading").parent.find_all("li") if li.a}
    assert consulted[demo_page(FFB).title].endswith("har svart")
    assert consulted[demo_page(URB).title].endswith("har ikke svart")


def test_each_published_response_has_its_own_page_labelled_published(client):
    hearing = make_hearing("eget-svar")
    copy = accept(make_response(hearing, FFB, remarks="<p>Merknaden om Skarvehylla.</p>"))
    url = copy.get_absolute_url()
    assert url == f"{hearing.url}svar/{copy.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    soup = _soup(page)
    assert demo_page(FFB).title in soup.h1.get_text()
    body = page.content.decode()
    assert "Skarvehylla" in body and "Publisert" in body and "Godkjent" not in body
    assert soup.find("a", href=f"{hearing.url}svar/{copy.pk}/pdf/") is not None
    hearing_page = client.get(hearing.url).content.decode()
    assert f'href="{url}"' in hearing_page and "Godkjent" not in hearing_page


def test_a_response_not_yet_released_has_no_page_and_a_withdrawn_one_keeps_a_marker(client, login):
    held = accept(make_response(make_hearing("holdt", policy=PublicationPolicy.AT_DEADLINE), FFB))
    assert client.get(held.get_absolute_url()).status_code == 404
    copy = accept(make_response(make_hearing("trukket"), FFB, remarks="<p>Tiurleiken-teksten.</p>"))
    actions.published_withdraw(published=copy, user=demo_user("org-leder"))
    gone = client.get(copy.get_absolute_url())
    assert gone.status_code == 410
    assert "Tiurleiken" not in gone.content.decode() and "Trukket tilbake" in gone.content.decode()


def test_a_concluded_hearing_keeps_its_consulted_bodies_and_shows_the_outcome_per_section(client):
    hearing = _with_details(make_hearing("konkludert"))
    copy = accept(make_response(hearing, FFB, parts=[("2", "amendment", "Begrunnelse.", "Ny tekst.")]))
    HearingPage.objects.filter(translation_key=hearing.translation_key).update(
        deadline=hearing.deadline - datetime.timedelta(days=30))
    hearing.refresh_from_db()
    part = copy.parts.get()
    actions.outcome_publish(hearing=hearing, user=demo_user("horingseier"), summary="Vi tar det inn.",
                            dispositions={part.pk: ("adopted", "Godt forslag om organisasjonene.")})
    soup = _soup(client.get(hearing.url))
    assert soup.find(class_="badge").get_text(strip=True) == "Konkludert"
    assert soup.find(id="consulted-heading") is not None
    section = soup.find(id="punkt-2")
    assert "Godt forslag om organisasjonene." in section.find(class_="section-outcome").get_text()
    assert soup.find(id="punkt-1").find(class_="section-outcome") is None


def test_following_a_hearing_sends_emails_in_the_followers_language(client, login, django_capture_on_commit_callbacks):
    hearing = make_hearing("folg")
    page = login("org-medlem")  # prefers Nynorsk
    assert "Følg høringen" in page.get(hearing.url).content.decode()
    page.post(hearing.url + "folg/", {"follow": "1"})
    assert HearingFollower.objects.filter(hearing_key=hearing.translation_key, user=demo_user("org-medlem")).exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        copy = accept(make_response(hearing, URB, parts=[("1", "comment", "Vi støtter punktet.", "")]))
    to_follower = [m for m in mail.outbox if m.to == [demo_user("org-medlem").email]]
    assert len(to_follower) == 1
    assert to_follower[0].subject.startswith("Nytt svar på") and "har svart på høyringa" in to_follower[0].body
    assert copy.get_absolute_url() in to_follower[0].body
    HearingPage.objects.filter(pk=hearing.pk).update(deadline=hearing.deadline - datetime.timedelta(days=30))
    hearing.refresh_from_db()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.outcome_publish(hearing=hearing, user=demo_user("horingseier"), summary="Ferdig.",
                                dispositions={})
    outcome_mails = [m for m in mail.outbox if m.to == [demo_user("org-medlem").email]]
    assert len(outcome_mails) == 1 and "utfallet av høyringa" in outcome_mails[0].body
    page.post(hearing.url + "folg/", {"follow": "0"})
    assert not HearingFollower.objects.filter(hearing_key=hearing.translation_key).exists()


def test_following_needs_sign_in_and_the_feed_is_linked_visibly(client):
    hearing = make_hearing("folg-anonym")
    response = client.post(hearing.url + "folg/", {"follow": "1"})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not HearingFollower.objects.filter(hearing_key=hearing.translation_key).exists()
    soup = _soup(client.get(hearing.url))
    assert soup.find("a", class_="feed-link")["href"] == f"/strommer/horing/{hearing.pk}.atom"


def test_badge_and_filter_use_the_same_word_for_each_status(client):
    make_hearing("ordliste-lukket", days=-1)
    for status, word in (("open", "Åpen"), ("closed", "Lukket"), ("concluded", "Konkludert")):
        soup = _soup(client.get(f"/horinger/?status={status}"))
        option = soup.find("select", attrs={"name": "status"}).find("option", value=status)
        assert option.get_text(strip=True) == word
        badges = {badge.get_text(strip=True) for badge in soup.select("ol .badge, ul .badge, .badge")}
        assert badges == {word}, status
    api = client.get("/api/v2/hearings/?status=concluded").json()
    assert {item["status_label"] for item in api["items"]} == {"Konkludert"}


def test_the_table_of_contents_numbers_each_section_once(client):
    hearing = make_hearing("innhold")
    hearing.sections.add(HearingSection(number="2.1", heading="Digital arbeidsflate", text="Tekst.", sort_order=9))
    hearing.save_revision().publish()
    toc = _soup(client.get(hearing.url)).select_one(".section-toc")
    # An unnumbered list: the browser adds no "3." in front of "2.1".
    assert toc.name == "ul" and toc.parent.find("ol") is None
    assert "2.1 Digital arbeidsflate" in [li.get_text(" ", strip=True) for li in toc.find_all("li")]


def test_search_facets_and_hits_name_a_hearing_status_with_the_badges_word():
    from tests.search.helpers import run

    make_hearing("ordliste-sok", title="Høring om Gaupeskaret")
    results = run("Gaupeskaret")
    statuses = {value.value: value.label for value in results.facets.get("status", [])}
    assert statuses.get("open") == "Åpen"
    assert {hit.status for hit in results.hits} == {"Åpen"}


def test_a_response_held_until_the_deadline_is_announced_to_followers_once_released(
        login, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    hearing = make_hearing("folg-frist", policy=PublicationPolicy.AT_DEADLINE, days=3)
    follower = demo_user("urb-leder")
    HearingFollower.objects.create(hearing_key=hearing.translation_key, user=follower)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        accept(make_response(hearing, FFB, parts=[("1", "comment", "Kommentar.", "")]))
    assert [m for m in mail.outbox if m.to == [follower.email]] == []  # not public yet: nothing said
    call_command("announce_released_responses", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [m for m in mail.outbox if m.to == [follower.email]] == []
    HearingPage.objects.filter(pk=hearing.pk).update(deadline=hearing.deadline - datetime.timedelta(days=4))
    call_command("announce_released_responses", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("announce_released_responses", stdout=open("/dev/null", "w"))  # noqa: SIM115
    sent = [m for m in mail.outbox if m.to == [follower.email]]
    assert len(sent) == 1 and "New response to" in sent[0].subject  # urb-leder reads English
