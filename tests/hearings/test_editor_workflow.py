"""Reviewing a response in the admin (moderators keep it; leads decide on the portal, tests/editor): the
reviewer's comparison shows
the parts that were added, and approving from the page editor moves the response on to the next
step (it used to send it back to the first step for ever, because the editor counted the draft's
unsaved parts as changes and saved a new revision that voided the approval)."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.hearings import actions
from portal.hearings.models import PublishedResponse
from tests.hearings.helpers import accept, make_hearing, make_response
from tests.helpers import demo_user, text

pytestmark = pytest.mark.django_db

REMARKS_HTML = '<p data-block-key="a1b2c">Vi støtter forslaget.</p>'
REMARKS_DRAFTAIL = json.dumps({"entityMap": {}, "blocks": [{
    "key": "a1b2c", "text": "Vi støtter forslaget.", "type": "unstyled", "depth": 0, "inlineStyleRanges": [],
    "entityRanges": []}]})
PART = ("2", "amendment", "Organisasjonene må nevnes først.", "Brukerrepresentanter rekrutteres fra organisasjoner.")


def _submitted_draft(slug: str):
    hearing = make_hearing(slug)
    draft = make_response(hearing, remarks=REMARKS_HTML, parts=[PART], user=demo_user("org-medlem"))
    actions.response_submit(response=draft, user=demo_user("org-medlem"))
    draft.refresh_from_db()
    return draft


def _editor_post(draft, action: str, **extra: str) -> dict[str, str]:
    """What the page editor posts when a reviewer picks a workflow action without changing anything:
    the draft's part has no database id yet (the page is live, so it lives only in the revision)."""
    latest = draft.get_latest_revision()
    section, kind, comment, replacement = PART
    return {
        "loaded_revision_id": str(latest.pk), "loaded_revision_created_at": latest.created_at.isoformat(),
        "title": draft.title, "slug": draft.slug, "hearing": str(draft.hearing_id),
        "general_remarks": REMARKS_DRAFTAIL,
        "parts-TOTAL_FORMS": "1", "parts-INITIAL_FORMS": "1", "parts-MIN_NUM_FORMS": "0",
        "parts-MAX_NUM_FORMS": "1000", "parts-0-id": "", "parts-0-ORDER": "1", "parts-0-DELETE": "",
        "parts-0-section_number": section, "parts-0-kind": kind, "parts-0-comment": comment,
        "parts-0-replacement": replacement,
        "comments-TOTAL_FORMS": "0", "comments-INITIAL_FORMS": "0", "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "",
        "action-workflow-action": "true", "workflow-action-name": action, **extra,
    }


def _step(draft) -> str:
    draft.refresh_from_db()
    state = draft.current_workflow_state
    return state.current_task_state.task.name if state is not None else ""


def _lead_approves_on_the_portal(client, draft) -> None:
    client.force_login(demo_user("org-leder"))
    assert client.post(f"/arbeidsrom/utkast/{draft.pk}/godkjenning/",
                       {"decision": "approve", "comment": "Godkjent for FFB."}).status_code == 302


def test_approving_in_the_page_editor_moves_the_response_on_and_the_moderator_publishes_it(client, login):
    draft = _submitted_draft("godkjent-i-editoren")
    revisions = draft.revisions.count()
    first_step = _step(draft)
    assert login("org-leder").get(f"/admin/pages/{draft.pk}/edit/").status_code in (302, 403)

    _lead_approves_on_the_portal(client, draft)
    assert draft.revisions.count() == revisions, "approving without changes saves no new revision"
    assert _step(draft) not in ("", first_step), "the response went on to moderation"

    response = login("moderator").post(f"/admin/pages/{draft.pk}/edit/", _editor_post(draft, "approve"))
    assert _step(draft) == ""
    # The moderator may not browse FFB's space: back to the queue, not to a "no access" page.
    assert response.status_code == 302 and response.url == reverse("workflows:queue")
    assert login("moderator").get(response.url).status_code == 200
    assert PublishedResponse.objects.get(response=draft).parts.get().replacement == PART[3]


def test_a_reviewer_who_changes_the_draft_in_the_editor_still_needs_approval_again(client, login):
    draft = _submitted_draft("endret-i-editoren")
    first_step = _step(draft)
    _lead_approves_on_the_portal(client, draft)
    data = _editor_post(draft, "approve")
    data["parts-0-comment"] = "Moderatoren har skrevet om begrunnelsen."
    login("moderator").post(f"/admin/pages/{draft.pk}/edit/", data)
    assert _step(draft) == first_step, "an edit voids the approval (WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT)"
    assert draft.get_latest_revision_as_object().parts.get().comment == "Moderatoren har skrevet om begrunnelsen."


def test_the_reviewers_comparison_shows_the_added_part(login):
    draft = _submitted_draft("sammenlign-deler")
    state = draft.current_workflow_state.current_task_state
    response = login("org-leder").get(f"/arbeidsflyt/{state.pk}/sammenlign/")
    assert response.status_code == 200
    body = text(response)
    assert "Lagt til" in body and "<ins>" in body and PART[3] in body
    assert "Vi støtter forslaget." in body


def test_the_outcome_form_names_each_amendment_by_its_hearing_section(login, monkeypatch):
    """"section" of a hearing reads "punkt", not the moderator scope's "del av portalen"."""
    hearing = make_hearing("punkt-i-utfallet")
    accept(make_response(hearing, parts=[PART]))
    later = timezone.now() + datetime.timedelta(days=11)
    monkeypatch.setattr(timezone, "now", lambda: later)
    body = text(login("horingseier").get(hearing.url + "utfall/"))
    assert "– punkt 2</legend>" in body
    assert "del av portalen" not in body
