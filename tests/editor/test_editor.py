"""The portal editor's core path without JavaScript: open, save (a revision), stale saves refused,
submission checked, the lead's and the moderator's decisions on the portal, and every refusal."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.models import Revision, WorkflowState

from portal.editor.models import Autosave, DraftComment
from portal.hearings.models import HearingResponsePage, PublishedResponse
from tests.editor.helpers import loaded, response_post
from tests.hearings.helpers import make_hearing, make_response
from tests.helpers import demo_user, text
from workflows.models import Notification

pytestmark = pytest.mark.django_db


def url(page, suffix: str = "", language: str = "") -> str:
    prefix = f"/{language}" if language else ""
    return f"{prefix}/arbeidsrom/utkast/{page.pk}/{suffix}"


@pytest.fixture
def response():
    hearing = make_hearing("redigeringstest")
    return make_response(hearing, remarks="", parts=[], user=demo_user("org-medlem"))


def revisions(page) -> int:
    return Revision.objects.for_instance(page).count()


def test_a_member_opens_the_draft_and_chooses_sections_from_the_hearings_list(login, response):
    body = text(login("org-medlem").get(url(response)))
    assert response.title in body
    assert '<option value="1">1 Formål</option>' in body
    assert '<option value="2">2 Organisasjonene</option>' in body
    assert "/admin/" not in body


def test_save_makes_a_revision_with_sanitised_rich_text_and_the_parts(login, response):
    client = login("org-medlem")
    before = revisions(response)
    answer = client.post(url(response), response_post(
        response, remarks='<h2>Innledning</h2><p>Vi <em>støtter</em> <a href="https://example.org">dette</a>.'
                          '<script>alert(1)</script><img src=x onerror=alert(2)></p>',
        parts=[("1", "comment", "Bra formål.", ""), ("2", "amendment", "Bedre.", "Ny tekst for punkt 2.")],
    ))
    assert answer.status_code == 302
    assert revisions(response) == before + 1
    draft = HearingResponsePage.objects.get(pk=response.pk).get_latest_revision_as_object()
    remarks = draft.general_remarks
    assert remarks.startswith("<h2>Innledning</h2><p>Vi <em>støtter</em> <a href=\"https://example.org\"")
    assert "<script" not in remarks and "alert" not in remarks and "onerror" not in remarks and "<img" not in remarks
    assert [(p.section_number, p.kind, p.replacement) for p in draft.parts.all()] == [
        ("1", "comment", ""), ("2", "amendment", "Ny tekst for punkt 2.")]
    assert Revision.objects.for_instance(response).order_by("-pk").first().user == demo_user("org-medlem")


def test_plain_text_without_the_toolbar_becomes_paragraphs(login, response):
    login("org-medlem").post(url(response), response_post(response, remarks="Første avsnitt.\n\nAndre <avsnitt>."))
    draft = HearingResponsePage.objects.get(pk=response.pk).get_latest_revision_as_object()
    assert draft.general_remarks == "<p>Første avsnitt.</p><p>Andre &lt;avsnitt&gt;.</p>"


def test_a_section_the_hearing_does_not_have_is_refused_and_nothing_is_saved(login, response):
    client = login("org-medlem")
    before = revisions(response)
    answer = client.post(url(response), response_post(response, parts=[("9.9", "comment", "Fritekst.", "")]))
    assert answer.status_code == 400
    assert "Velg et gyldig valg" in text(answer)
    assert revisions(response) == before


def test_a_stale_save_is_refused_with_the_text_kept_and_a_clear_message(login, response, client):
    old = loaded(response)
    client.force_login(demo_user("org-leder"))
    client.post(url(response), response_post(response, remarks="Lederens versjon."))
    client.force_login(demo_user("org-medlem"))
    before = revisions(response)
    answer = client.post(url(response), response_post(response, remarks="Medlemmets tekst som ikke må forsvinne.",
                                                       loaded_from=old))
    assert answer.status_code == 409
    body = text(answer)
    assert "Medlemmets tekst som ikke må forsvinne." in body
    assert "Liv Lunde lagret denne siden mens du redigerte" in body
    assert revisions(response) == before


def test_the_stale_message_is_translated(client, response):
    old = loaded(response)
    client.force_login(demo_user("org-leder"))
    client.post(url(response), response_post(response, remarks="Lederens versjon."))
    client.force_login(demo_user("org-medlem"))
    answer = client.post(url(response, language="nn"), response_post(response, loaded_from=old))
    assert answer.status_code == 409
    assert "så endringane dine er ikkje lagra" in text(answer)


@pytest.mark.parametrize("parts, remarks, expected", [
    ([], "", "Svaret sier ingenting ennå"),
    ([("1", "comment", "", "")], "<p>Merknad.</p>", "Kommentaren til punkt 1 er tom"),
    ([("2", "amendment", "Begrunnelse.", "")], "", "Endringsforslaget til punkt 2 mangler ny tekst"),
])
def test_submitting_lists_what_is_missing_and_keeps_the_draft(login, response, parts, remarks, expected):
    client = login("org-medlem")
    answer = client.post(url(response), response_post(response, remarks=remarks, parts=parts, action="submit"))
    assert answer.status_code == 400
    assert expected in text(answer)
    assert "Endringene dine er lagret som utkast" in text(answer)
    response.refresh_from_db()
    assert response.current_workflow_state is None


def test_a_part_for_a_section_removed_from_the_hearing_blocks_submission(response):
    from portal.editor import actions

    member = demo_user("org-medlem")
    actions.response_save(page=response, user=member, title="Svar", general_remarks="Tekst.",
                          parts=[actions.PartInput("2", "comment", "Om punkt 2.", "")], **loaded(response))
    response.hearing.sections.filter(number="2").delete()
    with pytest.raises(actions.EditorRefused) as refused:
        actions.submit(page=response, user=member)
    assert any("Punkt 2 finnes ikke" in problem for problem in refused.value.problems), refused.value.problems
    assert HearingResponsePage.objects.get(pk=response.pk).current_workflow_state is None


def test_a_response_to_a_closed_hearing_is_refused_and_the_draft_kept(login):
    hearing = make_hearing("lukket-redigering", days=1)
    response = make_response(hearing, parts=[("1", "comment", "Tekst.", "")], user=demo_user("org-medlem"))
    hearing.deadline = timezone.now() - datetime.timedelta(hours=1)
    hearing.save_revision().publish()
    client = login("org-medlem")
    answer = client.post(url(response), response_post(response, remarks="Sent, men lagret.",
                                                       parts=[("1", "comment", "Tekst.", "")], action="submit"))
    assert answer.status_code == 400
    assert "Fristen" in text(answer)
    assert "Sent, men lagret." in HearingResponsePage.objects.get(pk=response.pk).get_latest_revision_as_object(
    ).general_remarks
    assert HearingResponsePage.objects.get(pk=response.pk).current_workflow_state is None


def _submit(client, response, parts=(("1", "comment", "Godt formål.", ""),), remarks="<p>Generelt.</p>"):
    answer = client.post(url(response), response_post(response, remarks=remarks, parts=list(parts), action="submit"))
    assert answer.status_code == 302, text(answer)


def test_the_whole_path_on_the_portal_lead_returns_member_fixes_lead_and_moderator_approve(client, response):
    client.force_login(demo_user("org-medlem"))
    _submit(client, response, parts=[("1", "comment", "Godt formål.", ""), ("2", "comment", "Uendret del.", "")])
    response.refresh_from_db()
    assert response.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert "Til godkjenning hos leder" in text(client.get(url(response)))
    # While waiting, the member cannot change it.
    refused = client.post(url(response), response_post(response, remarks="Endring under godkjenning."))
    assert refused.status_code == 400
    assert "venter på godkjenning" in text(refused)

    client.force_login(demo_user("org-leder"))
    review = client.get(url(response, "godkjenning/"))
    assert review.status_code == 200
    assert "Godt formål." in text(review)
    # A return needs a comment.
    assert client.post(url(response, "godkjenning/"), {"decision": "reject", "comment": ""}).status_code == 400
    returned = client.post(url(response, "godkjenning/"), {"decision": "reject", "comment": "Skriv mer om punkt 1."})
    assert returned.status_code == 302
    response.refresh_from_db()
    assert response.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES

    client.force_login(demo_user("org-medlem"))
    page = text(client.get(url(response)))
    assert "Skriv mer om punkt 1." in page
    assert "Sendt tilbake med ønske om endringer" in page
    _submit(client, response, parts=[("1", "comment", "Godt formål, og mer til.", ""),
                                     ("2", "comment", "Uendret del.", "")])

    client.force_login(demo_user("org-leder"))
    review = text(client.get(url(response, "godkjenning/")))
    assert "mer til" in review
    assert client.post(url(response, "godkjenning/"), {"decision": "approve", "comment": "Fint."}).status_code == 302
    response.refresh_from_db()
    assert "Til moderering" in text(client.get(url(response)))

    client.force_login(demo_user("moderator"))
    assert client.get(url(response)).status_code == 302  # a reviewer who is not a member goes to the review
    assert client.post(url(response, "godkjenning/"), {"decision": "approve"}).status_code == 302
    assert PublishedResponse.objects.filter(response=response).exists()
    client.force_login(demo_user("org-medlem"))
    assert "Publisert" in text(client.get(url(response)))


def test_the_reviewers_comparison_shows_only_what_changed_since_the_last_approval(client, response):
    client.force_login(demo_user("org-medlem"))
    _submit(client, response, parts=[("1", "comment", "Stabil del.", ""), ("2", "comment", "Første tanke.", "")])
    for approver in ("org-leder", "moderator"):
        client.force_login(demo_user(approver))
        client.post(url(response, "godkjenning/"), {"decision": "approve"})
    client.force_login(demo_user("org-medlem"))
    _submit(client, response, parts=[("1", "comment", "Stabil del.", ""), ("2", "comment", "Andre tanke.", "")])
    client.force_login(demo_user("org-leder"))
    review = text(client.get(url(response, "godkjenning/")))
    assert "Andre" in review
    assert "Stabil del." not in review
    assert "Generelt." not in review


def test_a_lead_may_not_approve_what_only_they_wrote(client):
    response = make_response(make_hearing("egen-tekst"), remarks="", parts=[], user=demo_user("org-leder"))
    client.force_login(demo_user("org-leder"))
    _submit(client, response)
    answer = client.post(url(response, "godkjenning/"), {"decision": "approve"})
    assert answer.status_code == 400
    assert "bare du har skrevet" in text(answer)


@pytest.mark.parametrize("username", ["urb-leder", "medlemsorg-medlem", "utvalgsleder", "moderator"])
def test_others_cannot_open_save_or_review_a_draft(client, response, username):
    client.force_login(demo_user(username))
    for suffix in ("", "godkjenning/", "tilstede/"):
        assert client.get(url(response, suffix)).status_code == 404
    assert client.post(url(response), response_post(response, remarks="Innbrudd.")).status_code == 404
    assert client.post(url(response, "kommentarer/"), {"body": "Hei"}).status_code == 404
    assert "Innbrudd" not in HearingResponsePage.objects.get(pk=response.pk).get_latest_revision_as_object(
    ).general_remarks


def test_anonymous_is_sent_to_log_in(client, response):
    answer = client.get(url(response))
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]


@pytest.mark.parametrize("language", ["", "nn", "en"])
def test_switching_language_on_the_draft_page_never_404s(login, response, language):
    client = login("org-medlem")
    answer = client.get(url(response, language=language))
    assert answer.status_code == 200
    links = {"": f'href="/arbeidsrom/utkast/{response.pk}/"', "nn": f'href="/nn/arbeidsrom/utkast/{response.pk}/"',
             "en": f'href="/en/arbeidsrom/utkast/{response.pk}/"'}
    for code, link in links.items():
        if code != language:
            assert link in text(answer)


def test_autosave_coalesces_into_one_revision_and_a_save_makes_a_new_one(login, response):
    client = login("org-medlem")
    before = revisions(response)
    first = client.post(url(response), response_post(response, remarks="Første", action="autosave")).json()
    assert first["ok"]
    state = {"loaded_revision_id": first["loaded_revision_id"],
             "loaded_revision_created_at": first["loaded_revision_created_at"]}
    second = client.post(url(response), response_post(response, remarks="Første og andre", action="autosave",
                                                      loaded_from=state)).json()
    assert second["ok"] and second["loaded_revision_id"] == first["loaded_revision_id"]
    assert revisions(response) == before + 1
    assert Autosave.objects.count() >= 1
    client.post(url(response), response_post(response, remarks="Lagret for hånd"))
    assert revisions(response) == before + 2
    # A stale autosave is refused as JSON, and saves nothing.
    stale = client.post(url(response), response_post(response, remarks="x", action="autosave", loaded_from=state))
    assert stale.status_code == 409 and stale.json()["stale"] is True
    assert revisions(response) == before + 2


def test_an_autosave_after_the_window_makes_a_new_revision(login, response, monkeypatch):
    client = login("org-medlem")
    first = client.post(url(response), response_post(response, remarks="A", action="autosave")).json()
    Autosave.objects.update(started_at=timezone.now() - datetime.timedelta(hours=1))
    before = revisions(response)
    state = {k: first[k] for k in ("loaded_revision_id", "loaded_revision_created_at")}
    second = client.post(url(response), response_post(response, remarks="B", action="autosave", loaded_from=state))
    assert second.json()["loaded_revision_id"] != first["loaded_revision_id"]
    assert revisions(response) == before + 1


def test_comments_with_replies_resolve_reopen_and_a_mention_in_the_recipients_language(
    client, response, django_capture_on_commit_callbacks,
):
    client.force_login(demo_user("org-leder"))
    mail.outbox.clear()
    with_parts = response_post(response, parts=[("1", "comment", "Del.", "")])
    client.post(url(response), with_parts)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url(response, "kommentarer/"), {
            "body": "Kan @org-medlem se på dette? <script>alert(1)</script>", "anchor": "1", "quote": "Del."})
    assert answer.status_code == 302
    comment = DraftComment.objects.get(page=response)
    assert "<script" not in comment.body and comment.anchor == "1"
    notification = Notification.objects.get(user=demo_user("org-medlem"), verb="mentioned")
    assert notification.url == f"/arbeidsrom/utkast/{response.pk}/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [demo_user("org-medlem").email]
    assert "nemner deg" in mail.outbox[0].body  # org-medlem reads Nynorsk
    assert "/admin/" not in mail.outbox[0].body

    client.force_login(demo_user("org-medlem"))
    client.post(url(response, "kommentarer/"), {"body": "Ja, fikser.", "parent": comment.pk})
    assert DraftComment.objects.get(parent=comment).body == "Ja, fikser."
    client.post(url(response, f"kommentarer/{comment.pk}/status/"), {"resolved": "1"})
    comment.refresh_from_db()
    assert comment.resolved_at is not None and comment.resolved_by == demo_user("org-medlem")
    client.post(url(response, f"kommentarer/{comment.pk}/status/"), {"resolved": "0"})
    comment.refresh_from_db()
    assert comment.resolved_at is None
    page = text(client.get(url(response)))
    assert "Kan @org-medlem se på dette?" in page and "Ja, fikser." in page


def test_a_mention_of_someone_outside_the_organisation_notifies_nobody(login, response,
                                                                      django_capture_on_commit_callbacks):
    client = login("org-medlem")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(response, "kommentarer/"), {"body": "Hei @urb-leder og @moderator"})
    assert DraftComment.objects.filter(page=response).exists()
    assert not Notification.objects.filter(verb="mentioned").exists()
    assert mail.outbox == []


def test_an_empty_comment_or_one_on_an_unknown_part_is_refused(login, response):
    client = login("org-medlem")
    client.post(url(response, "kommentarer/"), {"body": "   "})
    client.post(url(response, "kommentarer/"), {"body": "Om punkt 7", "anchor": "7"})
    assert not DraftComment.objects.filter(page=response).exists()


def test_presence_says_who_edits_which_part(client, response):
    client.force_login(demo_user("org-leder"))
    client.post(url(response), response_post(response, parts=[("1", "comment", "Del.", "")]))
    client.post(url(response, "tilstede/"), {"where": "1"})
    client.force_login(demo_user("org-medlem"))
    present = client.get(url(response, "tilstede/")).json()["present"]
    assert present == ["Liv Lunde redigerer punkt 1 nå"]


def test_the_diff_preview_compares_an_amendment_with_the_section(login, response):
    answer = login("org-medlem").post(url(response, "endringer/"), {
        "section_number": "1", "replacement": "Strategien skal sikre svært gode brukermøter."})
    data = answer.json()
    assert "<ins>" in data["html"] and "svært" in data["html"]
    assert data["summary"] == "0 ord fjernet, 1 ord lagt til"


def test_a_signed_original_is_attached_in_the_editor_and_a_disguised_file_is_refused(login, response):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.core.documents import simple_pdf

    client = login("org-medlem")
    before = revisions(response)
    fake = SimpleUploadedFile("svar.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    refused = client.post(url(response), {**response_post(response), "original": fake})
    assert refused.status_code == 400
    assert revisions(response) == before
    letter = simple_pdf("brev", "Signert.")
    client.post(url(response), {**response_post(response), "original": SimpleUploadedFile("brev.pdf", letter)})
    assert revisions(response) == before + 1
    assert HearingResponsePage.objects.get(pk=response.pk).get_latest_revision_as_object().original.read() == letter
