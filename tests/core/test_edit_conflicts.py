"""No lost work: two members editing the same draft never silently overwrite each other.

Both open the edit page, A saves, then B saves from the form loaded before A's save. B's save is
refused, B's text comes back in the form with a translated message, nothing is written, and B can
save again deliberately. Every successful save is a revision."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext, override
from wagtail.models import Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text
from wagtail.users.models import UserProfile

from portal.core import edit_conflicts
from tests.helpers import PortalClient, demo_page, demo_user, text

pytestmark = pytest.mark.django_db

DRAFT_SLUG = "utkast-innspill-strategi-brukermedvirkning"  # FFB's draft, in FFB's private space
REFUSED_NB = "så endringene dine er ikke lagret. Teksten din er beholdt nedenfor"
REFUSED_NN = "så endringane dine er ikkje lagra. Teksten din er teken vare på nedanfor"


def _client_for(username: str, language: str) -> PortalClient:
    user = demo_user(username)
    # Members write on the portal now (its editor has the same guard: tests/editor); the admin's
    # guard still protects the staff who keep the admin, so these two get it as a site editor has it.
    user.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client = PortalClient()
    client.force_login(user)
    return client


def _open_editor(client: PortalClient, page) -> dict[str, str]:
    """GET the edit page as a browser would and read the hidden revision fields it carries."""
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    html = text(response)
    loaded_id = re.search(r'name="loaded_revision_id" value="([^"]*)"', html).group(1)
    loaded_at = re.search(r'name="loaded_revision_created_at" value="([^"]*)"', html).group(1)
    return {"loaded_revision_id": loaded_id, "loaded_revision_created_at": loaded_at}


def _save(client: PortalClient, page, editor: dict[str, str], body: str):
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "body": rich_text(f"<p>{body}</p>"),
            "comments": inline_formset([]),
        }
    )
    data.update(editor)
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def _shows_refusal(html: str, page, language: str) -> bool:
    """Whether the page carries the refusal message (in the editor's language) naming who saved."""
    with override(language):
        message = edit_conflicts.conflict_message(edit_conflicts.latest_revision(page))
    return escape(message) in html


def _revisions(page) -> int:
    return Revision.objects.for_instance(page).count()


def _latest_body(page) -> str:
    """The body of the newest revision, read afresh (the test's page object does not see new saves)."""
    return page.__class__.objects.get(pk=page.pk).get_latest_revision_as_object().body


def test_wagtail_alone_lets_a_stale_form_overwrite_a_colleagues_save(monkeypatch):
    """Why the guard exists: with it switched off, Wagtail 8 saves B's stale form on top of A's work."""
    monkeypatch.setattr(edit_conflicts, "is_stale_save", lambda request, page: False)
    page = demo_page(DRAFT_SLUG)
    a, b = _client_for("org-leder", "nb"), _client_for("org-medlem", "nb")
    editor_a, editor_b = _open_editor(a, page), _open_editor(b, page)
    before = _revisions(page)

    assert _save(a, page, editor_a, "Avsnitt fra A").status_code == 302
    assert _save(b, page, editor_b, "Avsnitt fra B").status_code == 302

    assert _revisions(page) == before + 2
    assert "Avsnitt fra A" not in _latest_body(page)


def test_stale_save_is_refused_and_keeps_the_text_with_a_message_in_bokmal():
    page = demo_page(DRAFT_SLUG)
    a, b = _client_for("org-leder", "nb"), _client_for("org-medlem", "nb")
    editor_a, editor_b = _open_editor(a, page), _open_editor(b, page)
    before = _revisions(page)

    assert _save(a, page, editor_a, "Avsnitt fra A").status_code == 302
    response = _save(b, page, editor_b, "Avsnitt fra B")

    # B is not redirected: the edit form comes back with B's text and the reason.
    assert response.status_code == 200
    html = text(response)
    assert "Avsnitt fra B" in html
    assert _shows_refusal(html, page, "nb")
    assert REFUSED_NB in html  # Bokmål, not the English msgid
    # Nothing of B's was written; A's save is the newest revision.
    assert _revisions(page) == before + 1
    assert "Avsnitt fra A" in _latest_body(page)
    assert "Avsnitt fra B" not in _latest_body(page)
    # The re-rendered form is based on A's revision, so saving again is a deliberate choice.
    latest = page.__class__.objects.get(pk=page.pk).latest_revision_id
    assert f'name="loaded_revision_id" value="{latest}"' in html


def test_stale_save_message_follows_the_editors_language_nynorsk():
    page = demo_page(DRAFT_SLUG)
    a, b = _client_for("org-leder", "nb"), _client_for("org-medlem", "nn")
    editor_a, editor_b = _open_editor(a, page), _open_editor(b, page)

    _save(a, page, editor_a, "Avsnitt fra A")
    response = _save(b, page, editor_b, "Avsnitt fra B")

    assert response.status_code == 200
    assert _shows_refusal(text(response), page, "nn")
    assert REFUSED_NN in text(response)  # Nynorsk, not the English msgid


def test_saving_again_after_the_conflict_works_and_every_save_is_a_revision():
    page = demo_page(DRAFT_SLUG)
    a, b = _client_for("org-leder", "nb"), _client_for("org-medlem", "nb")
    editor_a, editor_b = _open_editor(a, page), _open_editor(b, page)
    before = _revisions(page)

    _save(a, page, editor_a, "Avsnitt fra A")
    refused = _save(b, page, editor_b, "Avsnitt fra B")
    assert refused.status_code == 200
    # B compares and saves again from the refreshed form: this time it is saved.
    refreshed = {
        "loaded_revision_id": re.search(r'name="loaded_revision_id" value="([^"]*)"', text(refused)).group(1),
        "loaded_revision_created_at": re.search(
            r'name="loaded_revision_created_at" value="([^"]*)"', text(refused)
        ).group(1),
    }
    assert _save(b, page, refreshed, "Avsnitt fra A og B").status_code == 302

    assert _revisions(page) == before + 2  # two successful saves, two revisions
    assert "Avsnitt fra A og B" in _latest_body(page)


def test_fresh_saves_one_after_another_are_not_refused():
    """The guard only stops out-of-date forms: an editor who reloads after a colleague saves can save."""
    page = demo_page(DRAFT_SLUG)
    a, b = _client_for("org-leder", "nb"), _client_for("org-medlem", "nb")
    before = _revisions(page)

    assert _save(a, page, _open_editor(a, page), "Første").status_code == 302
    assert _save(b, page, _open_editor(b, page), "Andre").status_code == 302
    assert _save(a, page, _open_editor(a, page), "Tredje").status_code == 302

    assert _revisions(page) == before + 3
    assert "Tredje" in _latest_body(page)


def test_stale_publish_is_refused_too():
    """Publishing from an out-of-date form would put a colleague's lost changes live: refused alike."""
    page = demo_page(DRAFT_SLUG)
    a, b = _client_for("org-leder", "nb"), _client_for("org-leder", "nb")
    editor_a, editor_b = _open_editor(a, page), _open_editor(b, page)
    live_before = page.__class__.objects.get(pk=page.pk).body

    _save(a, page, editor_a, "Avsnitt fra A")
    data = nested_form_data(
        {"title": page.title, "slug": page.slug, "body": rich_text("<p>Publisert av B</p>"),
         "comments": inline_formset([]), "action-publish": "action-publish"}
    )
    data.update(editor_b)
    response = b.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)

    assert response.status_code == 200
    assert _shows_refusal(text(response), page, "nb")
    assert page.__class__.objects.get(pk=page.pk).body == live_before


def test_autosave_from_a_stale_editor_is_still_refused_by_wagtail():
    """The JSON (autosave) path is Wagtail's own check; the guard leaves it alone and it still holds."""
    page = demo_page(DRAFT_SLUG)
    a, b = _client_for("org-leder", "nb"), _client_for("org-medlem", "nb")
    editor_a, editor_b = _open_editor(a, page), _open_editor(b, page)
    before = _revisions(page)

    _save(a, page, editor_a, "Avsnitt fra A")
    data = nested_form_data(
        {"title": page.title, "slug": page.slug, "body": rich_text("<p>Autolagret B</p>"),
         "comments": inline_formset([])}
    )
    data.update(editor_b)
    response = b.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data, HTTP_ACCEPT="application/json")

    assert response.status_code == 400
    assert response.json()["error_code"] == "invalid_revision"
    assert _revisions(page) == before + 1


def test_two_saves_at_the_same_moment_both_stay_and_the_second_editor_is_told(monkeypatch):
    """If both saves pass the check at once (a race), nothing is lost: both are revisions, and the
    second editor is warned to compare them in the history."""
    monkeypatch.setattr(edit_conflicts, "is_stale_save", lambda request, page: False)  # the race
    page = demo_page(DRAFT_SLUG)
    a, b = _client_for("org-leder", "nb"), _client_for("org-medlem", "nb")
    editor_a, editor_b = _open_editor(a, page), _open_editor(b, page)
    before = _revisions(page)

    _save(a, page, editor_a, "Avsnitt fra A")
    data = nested_form_data(
        {"title": page.title, "slug": page.slug, "body": rich_text("<p>Avsnitt fra B</p>"),
         "comments": inline_formset([])}
    )
    data.update(editor_b)
    response = b.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data, follow=True)

    assert _revisions(page) == before + 2
    bodies = [r.as_object().body for r in Revision.objects.for_instance(page).order_by("-pk")[:2]]
    assert any("Avsnitt fra A" in body for body in bodies) and any("Avsnitt fra B" in body for body in bodies)
    with override("nb"):
        warning = gettext(
            "Someone else saved this page at the same moment as you. Both versions are kept in the "
            "page history: compare them there."
        )
    assert escape(warning) in text(response)
