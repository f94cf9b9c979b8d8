"""The same rules through Wagtail's page editor, and workflows that follow the page tree."""

from __future__ import annotations

import pytest
from wagtail.models import Page, Workflow, WorkflowPage, WorkflowState

from portal.core.models import StandardPage
from portal.organisations import actions as organisation_actions
from portal.organisations.models import OrganisationDraftPage, OrganisationPage
from tests.helpers import demo_page, demo_user, text
from tests.workflows.conftest import org_draft, submit, task_state
from workflows import actions
from workflows.models import ModerationTask, OrganisationApprovalTask
from workflows.setup import MINUTES, MODERATION, ORGANISATION, WORKFLOW_NAMES, assign_minutes_workflow, ensure_workflows

pytestmark = pytest.mark.django_db

EMPTY_COMMENTS = {
    "comments-TOTAL_FORMS": "0", "comments-INITIAL_FORMS": "0",
    "comments-MIN_NUM_FORMS": "0", "comments-MAX_NUM_FORMS": "1000",
}


def _edit_post(page, **extra):
    return {"title": page.title, "slug": page.slug, "body": '{"blocks": [], "entityMap": {}}', **EMPTY_COMMENTS,
            **extra}


def test_in_the_editor_a_member_submits_the_lead_approves_and_the_moderator_publishes(login):
    # Members and leads act on the portal (they have no admin); the moderator may use the admin.
    draft = org_draft()
    submit(draft)
    assert isinstance(task_state(draft).task.specific, OrganisationApprovalTask)
    assert login("org-leder").get(f"/admin/pages/{draft.pk}/edit/").status_code in (302, 403)
    actions.approve(task_state=task_state(draft), user=demo_user("org-leder"), comment="OK fra styret")
    assert isinstance(task_state(draft).task.specific, ModerationTask)

    client = login("moderator")
    assert client.get(f"/admin/pages/{draft.pk}/edit/").status_code == 200, "the reviewer reaches the editor"
    # The workflow action of Wagtail's editor, without touching the text.
    response = client.post(f"/admin/pages/workflow/action/{draft.pk}/approve/{task_state(draft).pk}/", {"comment": ""})
    assert response.status_code in (200, 302)
    draft.refresh_from_db()
    assert draft.live
    assert draft.workflow_states.get().status == WorkflowState.STATUS_APPROVED


def test_in_the_editor_a_member_cannot_approve(login):
    draft = org_draft()
    submit(draft)
    client = login("org-medlem")
    client.post(
        f"/admin/pages/{draft.pk}/edit/",
        _edit_post(draft, **{"action-workflow-action": "1", "workflow-action-name": "approve"}),
    )
    assert isinstance(task_state(draft).task.specific, OrganisationApprovalTask)
    draft.refresh_from_db()
    assert not draft.live


def test_publishing_around_moderation_is_refused_and_the_changes_are_kept(login):
    """Someone with publish permission who is not a moderator (here: granted on the hearings
    section) must submit; the click on Publish saves a draft instead."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    hearings = demo_page("horinger")
    page = StandardPage(title="Om høringer", slug="om-horinger-test", body="<p>Gammel</p>")
    hearings.add_child(instance=page)
    page.save_revision().publish()
    publishers = Group.objects.create(name="Publiserer høringer")
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(group=publishers, page=hearings,
                                           permission=Permission.objects.get(codename=codename))
    owner = demo_user("horingseier")
    owner.groups.add(publishers)
    response = login("horingseier").post(
        f"/admin/pages/{page.pk}/edit/",
        {**_edit_post(page, **{"action-publish": "1"}), "intro": ""},
        follow=True,
    )
    assert response.status_code == 200
    page.refresh_from_db()
    assert page.get_latest_revision().user == owner, "the edit was saved as a draft revision"
    assert page.live_revision != page.get_latest_revision(), "but not published"
    assert "approved" in text(response) or "godkjen" in text(response).lower()


def test_a_new_organisation_gets_the_organisation_workflow_without_an_administrator():
    index = demo_page("organisasjoner")
    organisation = OrganisationPage(title="Foreningen for nye brukere", slug="nye-brukere", short_name="FNB")
    index.add_child(instance=organisation)
    organisation.save_revision().publish()  # the organisations app creates the space on publish
    space = organisation_actions.ensure_space(organisation=organisation)
    draft = OrganisationDraftPage(title="Første utkast", slug="forste", live=False)
    space.add_child(instance=draft)
    assert draft.get_workflow().name == WORKFLOW_NAMES[ORGANISATION]


def test_hearings_are_moderated_and_everything_else_is_moderated_by_default():
    hearing = demo_page("strategi-for-brukermedvirkning-2027-2030")
    assert hearing.get_workflow().name == WORKFLOW_NAMES[MODERATION]
    assert demo_page("hjem").get_workflow().name == WORKFLOW_NAMES[MODERATION]
    assert not Workflow.objects.filter(workflow_pages__page=Page.get_first_root_node(), name="Moderators approval")


def test_the_minutes_parent_gets_chair_approval_in_one_call():
    council = demo_page("brukerutvalget-i-bergen")
    parent = StandardPage(title="Referater", slug="referater-oppsett")
    council.add_child(instance=parent)
    assign_minutes_workflow(parent)
    child = StandardPage(title="Referat", slug="referat-1", live=False)
    parent.add_child(instance=child)
    assert child.get_workflow().name == WORKFLOW_NAMES[MINUTES]


def test_setting_up_twice_changes_nothing():
    before = (Workflow.objects.count(), WorkflowPage.objects.count(),
              list(WorkflowPage.objects.order_by("page_id").values_list("page_id", "workflow_id")))
    ensure_workflows()
    ensure_workflows()
    after = (Workflow.objects.count(), WorkflowPage.objects.count(),
             list(WorkflowPage.objects.order_by("page_id").values_list("page_id", "workflow_id")))
    assert before == after


def test_the_demo_shows_a_published_response_with_its_history_and_one_item_waiting():
    from workflows import selectors

    published = OrganisationDraftPage.objects.get(slug="horingssvar-strategi-brukermedvirkning")
    assert published.live
    steps = [entry.action for entry in selectors.history_for(published, demo_user("org-medlem"))]
    assert steps == ["wagtail.workflow.start", "wagtail.workflow.approve", "wagtail.workflow.approve",
                     "wagtail.publish"]
    queue = selectors.moderation_queue(demo_user("moderator"))
    assert [item.page.slug for item in queue] == ["standpunkt-opplaering-brukerrepresentanter"]
    sent_back = OrganisationDraftPage.objects.get(slug="utkast-innspill-moteplan-2027")
    assert sent_back.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES


def test_the_demo_item_sent_back_can_be_changed_and_resubmitted():
    page = OrganisationDraftPage.objects.get(slug="utkast-innspill-moteplan-2027")
    page.body = "<p>Møtene bør også kunne følges digitalt.</p>"
    page.save_revision(user=demo_user("org-medlem"))
    submit(page)
    actions.approve(task_state=task_state(page), user=demo_user("org-leder"))
    assert isinstance(task_state(page).task.specific, ModerationTask)


def test_only_administrators_limit_moderators_to_sections(login):
    assert login("admin").get("/admin/snippets/portal_workflows/moderatorscope/").status_code == 200
    assert login("moderator").get("/admin/snippets/portal_workflows/moderatorscope/").status_code in (302, 403)


def test_the_admin_menu_offers_the_queue_to_reviewers_only(login):
    draft = org_draft()
    submit(draft)
    actions.approve(task_state=task_state(draft), user=demo_user("org-leder"))
    assert "/arbeidsflyt/" in text(login("moderator").get("/admin/"))
    assert "/arbeidsflyt/" not in text(login("horingseier").get("/admin/"))


def test_rejecting_in_the_admin_without_a_reason_is_refused_and_changes_nothing(login):
    draft = org_draft()
    submit(draft)
    actions.approve(task_state=task_state(draft), user=demo_user("org-leder"))
    state = task_state(draft)
    client = login("moderator")
    url = f"/admin/pages/workflow/action/{draft.pk}/reject/{state.pk}/"
    client.post(url, {"comment": ""})
    assert task_state(draft).status == "in_progress"
    client.post(url, {"comment": "Mangler punkt 3."})
    draft.refresh_from_db()
    assert draft.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
