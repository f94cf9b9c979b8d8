"""Drafting, submitting and publishing responses: the deadline refusal keeps the draft, bad section
references are refused, input and co-signing follow who belongs where, the publication policy is
honoured, and the owner's synthesis, exports and outcome contain only accepted responses."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.utils import timezone
from wagtail.models import WorkflowState

from portal.hearings import actions, selectors
from portal.hearings.models import CoSignature, HearingOutcome, PublishedPart, PublishedResponse, ResponseInput
from tests.hearings.helpers import FFB, FSA, URB, accept, make_hearing, make_response
from tests.helpers import demo_page, demo_user, text

pytestmark = pytest.mark.django_db


# --- submission and the deadline ---------------------------------------------------------------------


def test_members_start_a_draft_in_their_space_from_the_hearing_page(login):
    hearing = make_hearing("start-svar")
    client = login("org-medlem")
    response = client.post(hearing.url + "nytt-svar/", {"organisation": demo_page(FFB).pk})
    drafts = selectors.responses_in_space_for(hearing, demo_page(FFB))
    # Straight into the portal editor.
    assert len(drafts) == 1 and response.url == f"/arbeidsrom/utkast/{drafts[0].pk}/"
    assert drafts[0].get_parent().specific_class.__name__ == "OrganisationSpacePage"
    assert client.get(drafts[0].url).status_code == 200


def test_a_draft_to_a_hearing_with_norwegian_letters_keeps_them_readable_in_its_address(login):
    """The admin gives a hearing titled "Høring om møter" the slug "høring-om-møter"; the response's
    address spells it "svar-horing-om-moter", not "svar-hring-om-mter"."""
    hearing = make_hearing("høring-om-møter-på-nett")
    login("org-medlem").post(hearing.url + "nytt-svar/", {"organisation": demo_page(FFB).pk})
    (draft,) = selectors.responses_in_space_for(hearing, demo_page(FFB))
    assert draft.slug == "svar-horing-om-moter-pa-nett"


def test_a_closed_hearing_gets_no_new_draft(login):
    hearing = make_hearing("start-lukket", days=-1)
    login("org-medlem").post(hearing.url + "nytt-svar/", {"organisation": demo_page(FFB).pk})
    assert selectors.responses_in_space_for(hearing, demo_page(FFB)) == []


def test_submission_before_the_deadline_enters_the_workflow(login):
    hearing = make_hearing("innsending-apen")
    draft = make_response(hearing, user=demo_user("org-medlem"))
    login("org-medlem").post(draft.url + "send-inn/")
    draft.refresh_from_db()
    assert draft.current_workflow_state is not None
    assert draft.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_late_submission_is_refused_with_a_clear_message_and_the_draft_is_kept(login, monkeypatch):
    hearing = make_hearing("innsending-sen", days=1)
    draft = make_response(hearing, remarks="<p>Teksten vi skrev i natt.</p>", user=demo_user("org-medlem"))
    revisions_before = draft.revisions.count()
    later = timezone.now() + datetime.timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    client = login("org-medlem")
    response = client.post(draft.url + "send-inn/", follow=True)
    assert "fristen" in text(response).lower() or "deadline" in text(response).lower()
    draft.refresh_from_db()
    assert draft.current_workflow_state is None
    assert draft.revisions.count() == revisions_before
    assert "Teksten vi skrev i natt." in draft.get_latest_revision_as_object().general_remarks


def test_submission_to_a_withdrawn_hearing_is_refused_and_says_so():
    hearing = make_hearing("innsending-trukket")
    draft = make_response(hearing)
    hearing.withdrawn_at = timezone.now() - datetime.timedelta(minutes=5)
    hearing.save_revision().publish()
    with pytest.raises(actions.HearingRefused, match="withdrawn|trukket"):
        actions.response_submit(response=draft, user=demo_user("org-medlem"))
    assert draft.get_latest_revision_as_object().general_remarks == "<p>Generelle merknader.</p>"


def test_the_workflow_guard_also_refuses_after_the_deadline(monkeypatch):
    """The lead's approval after the deadline is refused too (the workflows' deadline protocol)."""
    from workflows import actions as workflow_actions
    from workflows.exceptions import WorkflowRefused

    hearing = make_hearing("godkjenning-sen", days=1)
    draft = make_response(hearing, user=demo_user("org-medlem"))
    actions.response_submit(response=draft, user=demo_user("org-medlem"))
    later = timezone.now() + datetime.timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    draft.refresh_from_db()
    with pytest.raises(WorkflowRefused):
        workflow_actions.approve(task_state=draft.current_workflow_state.current_task_state,
                                 user=demo_user("org-leder"))
    assert not PublishedResponse.objects.filter(response=draft).exists()


def test_acceptance_through_the_workflow_publishes_a_public_copy(client):
    from workflows import actions as workflow_actions

    hearing = make_hearing("godkjent-svar")
    draft = make_response(hearing, remarks="<p>Vi foreslår Kvitfjellparagrafen.</p>", user=demo_user("org-medlem"))
    assert "Kvitfjellparagrafen" not in text(client.get(hearing.url))
    actions.response_submit(response=draft, user=demo_user("org-medlem"))
    for approver in ("org-leder", "moderator"):
        draft.refresh_from_db()
        workflow_actions.approve(task_state=draft.current_workflow_state.current_task_state, user=demo_user(approver))
    copy = PublishedResponse.objects.get(response=draft)
    assert copy.organisation.translation_key == demo_page(FFB).translation_key
    body = text(client.get(hearing.url))
    assert "Kvitfjellparagrafen" in body and "<del>" in body


# --- bad input ---------------------------------------------------------------------------------------


def _editor_form(draft, parts):
    """The admin editor's form for the draft, filled in as a person would."""
    form_class = type(draft).get_edit_handler().get_form_class()
    data = {
        "title": draft.title, "slug": draft.slug, "hearing": str(draft.hearing_id),
        "general_remarks": json.dumps({"entityMap": {}, "blocks": [{
            "key": "a1b2c", "text": "Merknad.", "type": "unstyled", "depth": 0, "inlineStyleRanges": [],
            "entityRanges": []}]}),
        "parts-TOTAL_FORMS": str(len(parts)), "parts-INITIAL_FORMS": "0", "parts-MIN_NUM_FORMS": "0",
        "parts-MAX_NUM_FORMS": "1000",
        "comments-TOTAL_FORMS": "0", "comments-INITIAL_FORMS": "0", "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    for number, (section, kind, comment, replacement) in enumerate(parts):
        data.update({f"parts-{number}-section_number": section, f"parts-{number}-kind": kind,
                     f"parts-{number}-comment": comment, f"parts-{number}-replacement": replacement,
                     f"parts-{number}-ORDER": str(number + 1)})
    return form_class(data, instance=draft, parent_page=draft.get_parent(), for_user=demo_user("org-medlem"))


def test_the_editor_refuses_an_amendment_to_a_section_that_does_not_exist():
    hearing = make_hearing("ukjent-punkt")
    draft = make_response(hearing)
    form = _editor_form(draft, [("9.9", "amendment", "Begrunnelse.", "Ny tekst.")])
    assert not form.is_valid()
    assert "9.9" in " ".join(form.non_field_errors())
    assert _editor_form(draft, [("2", "amendment", "Begrunnelse.", "Ny tekst.")]).is_valid()


def test_the_editor_refuses_an_amendment_without_replacement_text():
    hearing = make_hearing("tomt-forslag")
    draft = make_response(hearing)
    assert not _editor_form(draft, [("1", "amendment", "Begrunnelse.", "")]).is_valid()


def test_a_section_removed_from_the_hearing_keeps_the_draft_but_refuses_submission():
    hearing = make_hearing("fjernet-punkt")
    draft = make_response(hearing, parts=[("2", "comment", "Om punkt 2.", "")])
    hearing = type(hearing).objects.get(pk=hearing.pk)
    hearing.sections = [s for s in hearing.sections.all() if s.number != "2"]
    hearing.save_revision().publish()
    draft.save_revision()  # saving the draft still works: nothing is lost
    with pytest.raises(actions.HearingRefused, match="2"):
        actions.response_submit(response=draft, user=demo_user("org-medlem"))
    assert draft.current_workflow_state is None
    assert draft.get_latest_revision_as_object().parts.get().comment == "Om punkt 2."


def test_hostile_html_in_general_remarks_is_sanitised_in_the_public_copy(client):
    hearing = make_hearing("fiendtlig-html")
    draft = make_response(hearing, remarks='<p onclick="x()">Merknad<script>alert(1)</script></p>')
    accept(draft)
    body = text(client.get(hearing.url))
    assert "Merknad" in body and "<script>alert(1)" not in body and "onclick" not in body


def test_unknown_ids_in_hearing_urls_are_not_found(login):
    hearing = make_hearing("ukjente-id")
    client = login("medlemsorg-medlem")
    assert client.get(hearing.url + "innspill/999999/").status_code == 404
    assert client.get(hearing.url + "medsignering/999999/").status_code == 404
    assert login("horingseier").get(hearing.url + "svar/eksport/xls/").status_code == 404
    assert login("horingseier").get(hearing.url + "svar/999999/pdf/").status_code == 404
    unknown_job = "svar/eksport/jobb/00000000-0000-0000-0000-000000000000/"
    assert login("horingseier").get(hearing.url + unknown_job).status_code == 404


# --- input from member organisations -----------------------------------------------------------------


def test_a_member_organisation_sends_input_and_the_umbrella_sees_it_beside_the_draft(login):
    hearing = make_hearing("innspill")
    draft = make_response(hearing)
    client = login("medlemsorg-medlem")
    url = hearing.url + f"innspill/{draft.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"organisation": demo_page(FSA).pk, "section_number": "2",
                                 "text": "Skjermleser må testes."})
    assert response.status_code == 302
    item = ResponseInput.objects.get(response=draft)
    assert item.organisation.translation_key == demo_page(FSA).translation_key
    assert "Skjermleser må testes." in text(login("org-medlem").get(draft.url))


def test_input_to_a_section_that_does_not_exist_is_refused(login):
    hearing = make_hearing("innspill-ukjent")
    draft = make_response(hearing)
    response = login("medlemsorg-medlem").post(hearing.url + f"innspill/{draft.pk}/", {
        "organisation": demo_page(FSA).pk, "section_number": "7", "text": "Noe."})
    assert response.status_code == 400
    assert not ResponseInput.objects.filter(response=draft).exists()


def test_an_organisation_that_is_not_a_member_cannot_send_input(login):
    hearing = make_hearing("innspill-fremmed")
    draft = make_response(hearing)
    assert login("urb-leder").get(hearing.url + f"innspill/{draft.pk}/").status_code == 404
    with pytest.raises(actions.HearingRefused):
        actions.input_send(response=draft, organisation=demo_page(URB), user=demo_user("urb-leder"), text="x")


def test_drafters_mark_input_used_or_not_used(login):
    hearing = make_hearing("innspill-merk")
    draft = make_response(hearing)
    item = actions.input_send(response=draft, organisation=demo_page(FSA), user=demo_user("medlemsorg-medlem"),
                              text="Innspill.")
    login("org-medlem").post(draft.url + f"innspill/{item.pk}/merk/", {"use": "not_used", "note": "Utenfor tema."})
    item.refresh_from_db()
    assert (item.use, item.use_note) == ("not_used", "Utenfor tema.")
    with pytest.raises(actions.HearingRefused):
        actions.input_mark(item=item, user=demo_user("medlemsorg-medlem"), use="used")
    with pytest.raises(actions.HearingRefused):
        actions.input_mark(item=item, user=demo_user("org-medlem"), use="maybe")


# --- co-signing --------------------------------------------------------------------------------------


def test_another_organisations_lead_co_signs_and_the_copy_names_them(login):
    hearing = make_hearing("medsignering")
    draft = make_response(hearing)
    login("org-medlem").post(draft.url + "medsignering/", {"organisation": demo_page(URB).pk})
    signature = CoSignature.objects.get(response=draft)
    assert signature.state == "requested"
    with pytest.raises(actions.HearingRefused):
        actions.cosign_decide(signature=signature, user=demo_user("org-leder"), approve=True)
    client = login("urb-leder")
    assert client.get(hearing.url + f"medsignering/{signature.pk}/").status_code == 200
    client.post(hearing.url + f"medsignering/{signature.pk}/", {"decision": "approve"})
    signature.refresh_from_db()
    assert signature.state == "approved"
    assert demo_page(URB).title in accept(draft).cosigners


# --- publication policy ------------------------------------------------------------------------------


def test_responses_wait_for_the_deadline_when_the_policy_says_so(client, monkeypatch):
    hearing = make_hearing("ved-frist", days=2, policy="at_deadline")
    accept(make_response(hearing, remarks="<p>Svalbardsetningen.</p>"))
    assert "Svalbardsetningen" not in text(client.get(hearing.url))
    later = timezone.now() + datetime.timedelta(days=3)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "Svalbardsetningen" in text(client.get(hearing.url))


def test_a_withdrawn_response_leaves_a_dated_marker(client):
    hearing = make_hearing("trukket-svar")
    copy = accept(make_response(hearing, remarks="<p>Lofotsetningen.</p>"))
    with pytest.raises(actions.HearingRefused):
        actions.published_withdraw(published=copy, user=demo_user("org-medlem"))
    actions.published_withdraw(published=copy, user=demo_user("org-leder"))
    body = text(client.get(hearing.url))
    assert "Lofotsetningen" not in body
    assert f'id="svar-{copy.pk}"' in body


# --- the owner's side --------------------------------------------------------------------------------


def test_synthesis_counts_comments_and_amendments_per_section(login):
    hearing = make_hearing("syntese")
    accept(make_response(hearing, FFB, slug="s1", parts=[("1", "amendment", "a", "Ny."), ("2", "comment", "b", "")]))
    accept(make_response(hearing, URB, slug="s2", parts=[("1", "comment", "c", "")]))
    make_response(hearing, "landsforeningen-for-kronisk-syke", slug="s3", parts=[("1", "comment", "Utkast.", "")])
    data = selectors.synthesis(hearing=hearing)
    counts = {row.number: (row.comments, row.amendments) for row in data["rows"]}
    assert counts == {"1": (1, 1), "2": (1, 0)}
    only_urb = selectors.synthesis(hearing=hearing, organisation_key=str(demo_page(URB).translation_key))
    assert {row.number: (row.comments, row.amendments) for row in only_urb["rows"]} == {"1": (1, 0), "2": (0, 0)}
    assert login("horingseier").get(hearing.url + "svar/").status_code == 200
    assert login("org-leder").get(hearing.url + "svar/").status_code == 404


def test_exports_contain_only_accepted_responses(login):
    from docx import Document

    hearing = make_hearing("eksport")
    accept(make_response(hearing, FFB, slug="e1", remarks="<p>Godkjentsetning.</p>"))
    make_response(hearing, URB, slug="e2", remarks="<p>Kladdesetning.</p>")
    client = login("horingseier")
    rows = list(csv.reader(io.StringIO(client.get(hearing.url + "svar/eksport/csv/").content.decode("utf-8-sig")),
                           delimiter=";"))
    flat = ";".join(";".join(row) for row in rows)
    assert "Godkjentsetning." in flat and "Kladdesetning" not in flat
    assert len(rows) == 1 + 2  # header, general remarks, one part
    document = Document(io.BytesIO(client.get(hearing.url + "svar/eksport/docx/").content))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert "Godkjentsetning." in paragraphs and "Kladdesetning" not in paragraphs
    assert login("org-leder").get(hearing.url + "svar/eksport/csv/").status_code == 404


def test_formula_like_cells_are_neutralised_in_the_spreadsheet(login):
    hearing = make_hearing("eksport-formel")
    accept(make_response(hearing, parts=[("1", "comment", "=HYPERLINK(\"http://x\")", "")]))
    body = login("horingseier").get(hearing.url + "svar/eksport/csv/").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body


def test_outcome_records_dispositions_and_concludes(login, client):
    hearing = make_hearing("utfall", days=-1)
    copy = accept(make_response(hearing, parts=[("1", "amendment", "Fordi.", "Ny tekst for punkt 1.")]))
    part = copy.parts.get()
    owner = login("horingseier")
    response = owner.post(hearing.url + "utfall/", {
        "summary": "Direktoratet tok inn forslaget delvis.",
        f"disposition_{part.pk}": "partly", f"reason_{part.pk}": "Vi endret ordlyden litt.",
    })
    assert response.status_code == 302
    part.refresh_from_db()
    assert (part.disposition, part.disposition_reason) == ("partly", "Vi endret ordlyden litt.")
    hearing.refresh_from_db()
    assert hearing.status == "concluded"
    body = text(client.get(hearing.url))
    assert "Direktoratet tok inn forslaget delvis." in body and "Vi endret ordlyden litt." in body


def test_outcome_before_the_deadline_or_with_a_bad_disposition_changes_nothing(login):
    hearing = make_hearing("utfall-tidlig", days=3)
    copy = accept(make_response(hearing))
    part = copy.parts.get()
    owner = login("horingseier")
    response = owner.post(hearing.url + "utfall/", {"summary": "For tidlig.", f"disposition_{part.pk}": "adopted"})
    assert response.status_code == 400
    assert not HearingOutcome.objects.filter(hearing_key=hearing.translation_key).exists()
    with pytest.raises(actions.HearingRefused):
        actions.outcome_publish(hearing=hearing, user=demo_user("horingseier"), summary="x",
                                dispositions={part.pk: ("maybe", "")})
    assert PublishedPart.objects.get(pk=part.pk).disposition == ""
    with pytest.raises(actions.HearingRefused):
        actions.outcome_publish(hearing=hearing, user=demo_user("org-leder"), summary="x", dispositions={})


def test_outcome_is_refused_while_an_amendment_has_no_disposition_and_names_it(login):
    hearing = make_hearing("utfall-mangler", days=-1)
    first = accept(make_response(hearing, FFB, slug="m1", parts=[("1", "amendment", "Fordi.", "Ny tekst 1.")]))
    second = accept(make_response(hearing, URB, slug="m2", parts=[("2", "amendment", "Fordi.", "Ny tekst 2.")]))
    decided, undecided = first.parts.get(), second.parts.get()
    owner = login("horingseier")
    response = owner.post(hearing.url + "utfall/", {
        "summary": "Vi tok inn det ene forslaget.", f"disposition_{decided.pk}": "adopted",
        f"disposition_{undecided.pk}": "",
    }, HTTP_ACCEPT_LANGUAGE="nb")
    assert response.status_code == 400
    body = text(response)
    assert "Et endringsforslag mangler avgjørelse" in body
    assert f"{undecided.published.organisation.title}, punkt 2" in body
    assert decided.published.organisation.title + ", punkt 1" not in body
    # Nothing changed: the decided disposition was rolled back with the refusal, and no outcome exists.
    assert PublishedPart.objects.get(pk=decided.pk).disposition == ""
    assert not HearingOutcome.objects.filter(hearing_key=hearing.translation_key).exists()
    hearing.refresh_from_db()
    assert hearing.status != "concluded"
