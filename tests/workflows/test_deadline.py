"""After the deadline nothing moves: no submission, approval or publication; the draft is kept and
the person is told why."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from wagtail.models import TaskState

from portal.core.models import StandardPage
from portal.organisations.models import OrganisationDraftPage
from tests.helpers import demo_page, demo_user, text
from tests.workflows.conftest import submit, task_state
from workflows import actions
from workflows.deadlines import deadline_for
from workflows.exceptions import WorkflowRefused

pytestmark = pytest.mark.django_db

PAST = timezone.now() - datetime.timedelta(days=1)
FUTURE = timezone.now() + datetime.timedelta(days=30)


@pytest.fixture
def deadline(monkeypatch):
    """Gives organisation drafts a deadline through the protocol (``workflow_deadline()``)."""
    current = {"value": FUTURE}
    monkeypatch.setattr(OrganisationDraftPage, "workflow_deadline", lambda self: current["value"], raising=False)
    return current


def test_the_protocol_and_a_hearing_parent_both_give_a_deadline(deadline):
    deadline["value"] = PAST
    assert deadline_for(OrganisationDraftPage()) == PAST
    hearing = demo_page("strategi-for-brukermedvirkning-2027-2030")
    response = StandardPage(title="Svar", slug="svar-frist", live=False)
    hearing.add_child(instance=response)
    assert deadline_for(response) == hearing.deadline
    # The hearing itself is moderated whenever; its deadline is for the responses.
    assert deadline_for(hearing) is None


def test_nothing_can_be_submitted_after_the_deadline_and_the_draft_is_kept(draft, deadline):
    deadline["value"] = PAST
    with pytest.raises(WorkflowRefused) as refused:
        submit(draft)
    assert "Fristen" in str(refused.value)  # the message is in the reader's language (Bokmål here)
    draft.refresh_from_db()
    assert draft.current_workflow_state is None
    assert draft.get_latest_revision().as_object().body == "<p>Vi støtter forslaget.</p>"


def test_nothing_can_be_approved_after_the_deadline(draft, deadline):
    submit(draft)
    deadline["value"] = PAST
    with pytest.raises(WorkflowRefused):
        actions.approve(task_state=task_state(draft), user=demo_user("org-leder"))
    state = task_state(draft)
    assert state.status == TaskState.STATUS_IN_PROGRESS
    assert state.task.specific.__class__.__name__ == "OrganisationApprovalTask"


def test_nothing_is_published_after_the_deadline_even_by_the_last_approval(draft, deadline):
    submit(draft)
    actions.approve(task_state=task_state(draft), user=demo_user("org-leder"))
    deadline["value"] = PAST
    with pytest.raises(WorkflowRefused):
        actions.approve(task_state=task_state(draft), user=demo_user("moderator"))
    draft.refresh_from_db()
    assert not draft.live
    assert task_state(draft).status == TaskState.STATUS_IN_PROGRESS


def test_the_finish_action_itself_refuses_after_the_deadline(draft, deadline):
    """The guard in the finish action rolls the whole approval back, whatever path reached it."""
    from workflows.finish import publish_approved

    submit(draft)
    draft.refresh_from_db()
    deadline["value"] = PAST
    with pytest.raises(WorkflowRefused):
        publish_approved(draft.current_workflow_state, user=demo_user("moderator"))
    draft.refresh_from_db()
    assert not draft.live


def test_submitting_in_the_editor_after_the_deadline_saves_the_draft_and_explains(draft, deadline, login):
    deadline["value"] = PAST
    from django.contrib.auth.models import Permission

    # The admin's guard, for staff who keep the admin (members write on the portal: tests/editor).
    demo_user("org-medlem").user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    client = login("org-medlem")
    response = client.post(
        f"/admin/pages/{draft.pk}/edit/",
        {"title": draft.title, "slug": draft.slug, "body": '{"blocks": [], "entityMap": {}}',
         "action-submit": "1", "comments-TOTAL_FORMS": "0", "comments-INITIAL_FORMS": "0",
         "comments-MIN_NUM_FORMS": "0", "comments-MAX_NUM_FORMS": "1000"},
        follow=True,
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.current_workflow_state is None
    assert draft.revisions.count() == 2, "the text typed in the editor was saved as a draft"
    assert "fristen" in text(response).lower() or "deadline" in text(response).lower()
