"""Finding 3 of #17: search showed a private document's text through a public page.

A document link inside a public page's rich text was indexed with the page's audience, not the
document's, and an editor could link any document by id. Now only a public document's text joins
a page's entry, and the editor refuses to save a link to a document the editor may not see."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from portal.core.documents import simple_pdf
from portal.core.models import StandardPage
from portal.councils import actions
from tests.access.leak_cases_councils import seated
from tests.helpers import demo_page, demo_user
from tests.search.helpers import publish_page, run, titles

pytestmark = pytest.mark.django_db

BERGEN = "brukerutvalget-i-bergen"
SECRET = "Stormfuglskjeret"


def _private_attachment():
    member = seated(BERGEN, "lenke-medlem")
    upload = SimpleUploadedFile("notat.pdf", simple_pdf("Notat", f"{SECRET} ved Lomvikjerka"),
                                content_type="application/pdf")
    thread = actions.thread_start(council=demo_page(BERGEN), author=member, title="Internt notat",
                                  body="Se vedlegg.", files=[upload])
    return member, thread.posts.first().attachments.first().document


def _link(document) -> str:
    return f'Les <a linktype="document" id="{document.pk}">notatet</a> om Trollkirka.'


def test_search_does_not_show_private_document_text_through_a_public_page(client):
    member, document = _private_attachment()
    page = publish_page("Offentlig side med lenke", _link(document))
    # The page itself is indexed and public (its own words find it)...
    assert titles(run("Trollkirka")) == {page.title}
    # ...but the linked private document's words find nothing, and count nowhere.
    for query, other_word in ((SECRET, "Lomvikjerka"), ("Lomvikjerka", SECRET)):
        results = run(query)
        assert results.total == 0, query
        assert all(value.count == 0 for values in results.facets.values() for value in values), query
        # The page echoes the query; the document's other words must not appear (no snippet).
        assert other_word not in client.get(f"/search/?q={query}").content.decode()
    # Positive control: the council's member finds the text, through the post it belongs to.
    found = run(SECRET, member)
    assert found.total == 1 and found.hits[0].title == "Internt notat"


def test_a_public_document_linked_from_a_public_page_is_still_searchable():
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    document = get_document_model().objects.create(
        title="Brosjyre", file=ContentFile(simple_pdf("Brosjyre", "Kvitingskjølen"), name="brosjyre.pdf"))
    page = publish_page("Side med brosjyre", _link(document))
    assert titles(run("Kvitingskjølen")) == {page.title}


def _editor_form(page, user, body_html: str):
    form_class = StandardPage.get_edit_handler().get_form_class()
    widget = form_class.base_fields["body"].widget
    data = {"title": page.title, "slug": page.slug, "intro": "", "body": widget.format_value(body_html)}
    return form_class(data, instance=page, for_user=user, parent_page=page.get_parent())


def test_editor_refuses_to_save_a_link_to_a_document_the_editor_may_not_see():
    _member, document = _private_attachment()
    page = publish_page("Side for redaktør", "Tekst")
    editor = demo_user("moderator")
    with translation.override("en"):
        form = _editor_form(page, editor, f"<p>{_link(document)}</p>")
        assert not form.is_valid()
        assert "links to a document you do not have access to" in json.dumps(form.errors)
        assert document.title not in json.dumps(form.errors)
    # A document the editor may see can be linked.
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    public = get_document_model().objects.create(
        title="Offentlig", file=ContentFile(simple_pdf("Offentlig", "Tekst"), name="offentlig.pdf"))
    assert _editor_form(page, editor, f"<p>{_link(public)}</p>").is_valid()
