"""Forms for assistive technology: after a failed submission the page title says so and an error
summary at the top links to each field; every ``aria-describedby`` on the form pages names an id that
exists on the page (the one field include, templates/includes/field.html, relies on Django 5.2's own
``{auto_id}_helptext``/``{auto_id}_error`` ids)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.councils.helpers import BERGEN, upload
from tests.hearings.helpers import FFB, FSA, make_hearing, make_response
from tests.helpers import demo_page, text

pytestmark = pytest.mark.django_db

SPACE = f"/brukerutvalg/{BERGEN}/rom/"


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.described: list[tuple[str, str]] = []  # (element's id or tag, referenced id)
        self.title = ""
        self.summary_links: list[str] = []
        self._in_title = False
        self._in_summary = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        for ref in values.get("aria-describedby", "").split():
            self.described.append((values.get("id", tag), ref))
        self._in_title = tag == "title"
        if "data-error-summary" in values:
            self._in_summary = 1
        elif self._in_summary and tag == "div":
            self._in_summary += 1
        elif self._in_summary and tag == "a":
            self.summary_links.append(values.get("href", ""))

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag == "div" and self._in_summary:
            self._in_summary -= 1


def parse(response) -> _Page:
    page = _Page()
    page.feed(text(response))
    return page


def assert_describedby_ids_exist(response) -> _Page:
    page = parse(response)
    missing = [(element, ref) for element, ref in page.described if ref not in page.ids]
    assert not missing, f"aria-describedby names ids that are not on the page: {missing}"
    return page


def assert_failed_submission_is_announced(response, *fields: str) -> None:
    """The title starts with "Feil:", and the summary links to each field in error (ids that exist)."""
    page = assert_describedby_ids_exist(response)
    assert page.title.strip().startswith("Feil:"), page.title
    for field_id in fields:
        assert f"#{field_id}" in page.summary_links, page.summary_links
        assert field_id in page.ids
    for link in page.summary_links:
        assert link.lstrip("#") in page.ids


def test_council_upload_without_a_file_announces_the_error_and_links_to_the_field(login):
    client = login("utvalgsmedlem")
    before = assert_describedby_ids_exist(client.get(SPACE))
    assert not before.title.startswith("Feil"), "a page that was not submitted is no error"
    assert ("id_document-file", "id_document-file_helptext") in before.described

    response = client.post(SPACE, {"action": "upload_document", "document-title": "Uten fil"})
    assert response.status_code == 400
    assert_failed_submission_is_announced(response, "id_document-file")


def test_council_upload_of_a_bad_file_points_at_the_error_and_the_help(login):
    response = login("utvalgsmedlem").post(SPACE, {"action": "upload_document", "document-title": "Falsk",
                                                   "document-file": upload("falsk.odt", b"PK\x03\x04 no zip")})
    page = parse(response)
    assert ("id_document-file", "id_document-file_helptext") in page.described
    assert ("id_document-file", "id_document-file_error") in page.described
    assert_failed_submission_is_announced(response, "id_document-file")


def test_new_thread_without_title_is_summarised_and_the_title_says_so(login):
    response = login("utvalgsmedlem").post(SPACE, {"action": "new_thread", "thread-title": "",
                                                   "thread-body": "Tekst"})
    assert_failed_submission_is_announced(response, "id_thread-title")


def test_hearing_input_form_refers_to_its_own_help_and_error_ids(login):
    hearing = make_hearing("innspill-aria")
    draft = make_response(hearing)
    client = login("medlemsorg-medlem")
    url = hearing.url + f"innspill/{draft.pk}/"
    assert_describedby_ids_exist(client.get(url))
    response = client.post(url, {"organisation": demo_page(FSA).pk, "section_number": "", "text": ""})
    assert response.status_code in (200, 400)
    assert_failed_submission_is_announced(response, "id_text")


def test_the_error_summary_is_in_the_readers_language(login):
    client = login("utvalgsmedlem")
    response = client.post(SPACE, {"action": "new_thread", "thread-title": "", "thread-body": "Tekst"},
                           HTTP_ACCEPT_LANGUAGE="nb")
    body = text(response)
    assert "Det er et problem" in body and "There is a problem" not in body


@pytest.mark.parametrize("username,url", [
    ("utvalgsmedlem", SPACE),
    ("utvalgsmedlem", "/moter/"),
    ("utvalgsleder", f"/brukerutvalg/{BERGEN}/rom/medlemmer/"),
    ("org-leder", "ffb-members"),
    ("utvalgsmedlem", "/accounts/two-step/account/"),
])
def test_every_aria_describedby_on_form_pages_names_an_existing_id(login, url, username):
    if url == "ffb-members":
        url = demo_page(FFB).members_url
    response = login(username).get(url, follow=True)
    assert response.status_code == 200, url
    assert_describedby_ids_exist(response)
