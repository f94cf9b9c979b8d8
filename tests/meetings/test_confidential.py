"""Confidential agenda items: a placeholder with the legal basis for everyone outside the council,
the full text for its members, and nothing of the text in search, API, feeds or the case trail."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext

from portal.meetings.models import LegalBasis
from tests.helpers import demo_user, make_user, text
from tests.meetings import factories

pytestmark = pytest.mark.django_db

SECRET_TITLE, SECRET_TEXT, SECRET_MINUTES = "Snøreven", "Isbjørnhiet", "Moskusflokken"


@pytest.fixture
def meeting():
    page = factories.meeting(slug="unntatt-test", items=[
        {"title": "Tilgjengelig skilting", "description": "Åpen beskrivelse om teleslynge"},
        factories.confidential(f"Klage {SECRET_TITLE}", f"Opplysninger {SECRET_TEXT}", LegalBasis.OFFL_13),
    ])
    factories.minutes(page, {
        f"Klage {SECRET_TITLE}": (f"Drøftet {SECRET_MINUTES}", f"Vedtak {SECRET_MINUTES}"),
        "Tilgjengelig skilting": ("Åpen drøfting om skilt", "Skilt bestilles"),
    })
    return page


def _placeholder() -> str:
    return gettext("Exempt from public disclosure, %(basis)s") % {"basis": "offl. § 13"}


def _assert_hidden(body: str) -> None:
    for word in (SECRET_TITLE, SECRET_TEXT, SECRET_MINUTES):
        assert word not in body


@pytest.mark.parametrize("viewer", ["anonymous", "outsider", "other council", "past member"])
def test_outsiders_see_the_placeholder_with_the_legal_basis_never_the_text(meeting, client, viewer):
    users = {"outsider": lambda: make_user("leser"), "other council": lambda: demo_user("fylkesutvalgsmedlem"),
             "past member": lambda: demo_user("tidligere-medlem")}
    if viewer in users:
        client.force_login(users[viewer]())
    body = text(client.get(meeting.url))
    assert _placeholder() in body
    assert "Åpen drøfting om skilt" in body  # the public part of the minutes is there
    _assert_hidden(body)


def test_council_members_see_the_full_text(meeting, login):
    body = text(login("utvalgsmedlem").get(meeting.url))
    assert SECRET_TITLE in body and SECRET_TEXT in body and SECRET_MINUTES in body


def test_confidential_text_is_not_in_search_api_or_the_case_trail(meeting, client):
    assert "teleslynge" in meeting.public_agenda_text()
    _assert_hidden(meeting.public_agenda_text() + meeting.public_minutes_text())
    for word in (SECRET_TITLE, SECRET_TEXT, SECRET_MINUTES):
        # The search page echoes the query: what must be absent is the meeting among the results.
        assert f'href="{meeting.url}"' not in text(client.get(f"/search/?q={word}"))
    for url in [f"/api/v2/pages/?search={SECRET_TEXT}", f"/api/v2/pages/?search={SECRET_MINUTES}",
                f"/api/v2/pages/{meeting.pk}/", "/sitemap.xml"]:
        _assert_hidden(text(client.get(url)))
    item = meeting.agenda_items.get(confidential=True)
    trail = text(client.get(f"/moter/sak/{item.pk}/"))
    assert _placeholder() in trail
    _assert_hidden(trail)


def test_published_public_minutes_are_found_by_search(meeting, client):
    """The public part of published minutes is searchable (so the test above can fail)."""
    body = text(client.get("/search/?q=drøfting"))
    assert f'href="{meeting.url}"' in body


def test_confidential_text_stays_out_of_feeds(meeting, client):
    for url in ["/moter/referater.atom", f"/moter/utvalg/{factories.council().pk}/referater.atom"]:
        body = text(client.get(url))
        assert "Skilt bestilles" in body
        assert "offl. § 13" in body
        _assert_hidden(body)


def _pdf_text(response) -> str:
    import io

    from pypdf import PdfReader

    assert response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_pdf_of_published_minutes_has_the_placeholder_for_outsiders_and_text_for_members(meeting, client, login):
    public = _pdf_text(client.get(f"/moter/mote/{meeting.pk}/referat.pdf"))
    assert "Skilt bestilles" in public and "offl. § 13" in public
    _assert_hidden(public)
    member = _pdf_text(login("utvalgsmedlem").get(f"/moter/mote/{meeting.pk}/referat.pdf"))
    assert SECRET_MINUTES in member and "Skilt bestilles" in member


def test_no_pdf_of_unpublished_minutes_or_unknown_meetings(client, login):
    draft = factories.meeting(slug="pdf-utkast", items=[{"title": "Sak"}])
    factories.minutes(draft, {"Sak": ("Utkast", "")}, state="draft")
    assert client.get(f"/moter/mote/{draft.pk}/referat.pdf").status_code == 404
    assert login("utvalgsmedlem").get(f"/moter/mote/{draft.pk}/referat.pdf").status_code == 404
    assert client.get("/moter/mote/999999/referat.pdf").status_code == 404


def _default_collection_document(title: str, words: str):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.models import Collection

    from portal.core.documents import simple_pdf

    document = get_document_model()(title=title, collection=Collection.get_first_root_node())
    document.file.save("vedlegg-sak.pdf", ContentFile(simple_pdf(title, words)), save=False)
    document._set_document_file_metadata()
    document.save()
    return document


def test_confidential_agenda_item_attachment_in_the_default_collection_gets_the_items_protection(client, login):
    """Finding 9 of #17: the attachment of an exempt item sat in the default (unrestricted) collection
    and was downloadable by anyone. It now has the item's protection: council members only."""
    document = _default_collection_document("Klagebrev", f"Klage fra {SECRET_TEXT}")
    factories.meeting(slug="unntatt-vedlegg", items=[
        {**factories.confidential(f"Klage {SECRET_TITLE}"), "attachment": document},
    ])
    anonymous = client.get(document.url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert anonymous["Cache-Control"] == "private, no-store"
    for username in ("fylkesutvalgsmedlem", "tidligere-medlem"):
        assert login(username).get(document.url).status_code == 403, username
    member = login("utvalgsmedlem").get(document.url)
    assert member.status_code == 200
    assert member["Cache-Control"] == "private, no-store"


def test_an_attachment_of_a_public_item_stays_public(client):
    document = _default_collection_document("Skiltplan", "Skilt ved inngangen")
    factories.meeting(slug="apent-vedlegg", items=[{"title": "Skilting", "attachment": document}])
    assert client.get(document.url).status_code == 200
