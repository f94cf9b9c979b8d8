"""Who may move what: organisation approval, moderation and council chair approval, every
transition and every refusal."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from wagtail.models import TaskState, WorkflowState

from portal.access.roles import MODERATORS
from portal.councils.models import CouncilMembership
from tests.helpers import demo_page, demo_user, make_user
from tests.workflows.conftest import BERGEN, URB, VESTLAND, council_draft, make_chair, org_draft, submit, task_state
from workflows import actions
from workflows.exceptions import WorkflowRefused
from workflows.models import (
    CouncilChairApprovalTask,
    ModerationTask,
    ModeratorScope,
    OrganisationApprovalTask,
)

pytestmark = pytest.mark.django_db


def test_an_organisation_draft_goes_through_organisation_approval_then_moderation_then_is_published(draft):
    submit(draft)
    first = task_state(draft)
    assert isinstance(first.task.specific, OrganisationApprovalTask)

    actions.approve(task_state=first, user=demo_user("org-leder"), comment="Ser bra ut.")
    second = task_state(draft)
    assert isinstance(second.task.specific, ModerationTask)
    draft.refresh_from_db()
    assert not draft.live, "an organisation approval alone publishes nothing"

    assert not draft.permissions_for_user(demo_user("org-leder")).can_publish()
    actions.approve(task_state=second, user=demo_user("moderator"))
    draft.refresh_from_db()
    assert draft.live
    assert draft.current_workflow_state is None
    assert draft.workflow_states.get().status == WorkflowState.STATUS_APPROVED


def test_a_member_cannot_approve_their_organisations_draft(draft):
    submit(draft)
    state = task_state(draft)
    member = demo_user("org-medlem")
    assert state.task.specific.get_actions(draft, member) == []
    with pytest.raises(WorkflowRefused):
        actions.approve(task_state=state, user=member)
    assert task_state(draft).status == TaskState.STATUS_IN_PROGRESS


def test_a_lead_of_another_organisation_cannot_approve_or_reject(draft):
    submit(draft)
    state = task_state(draft)
    other_lead = demo_user("urb-leder")
    with pytest.raises(WorkflowRefused):
        actions.approve(task_state=state, user=other_lead)
    with pytest.raises(WorkflowRefused):
        actions.reject(task_state=state, user=other_lead, comment="Nei.")
    assert task_state(draft).status == TaskState.STATUS_IN_PROGRESS
    assert not state.task.specific.get_task_states_user_can_moderate(other_lead).filter(pk=state.pk).exists()
    assert state.task.specific.get_task_states_user_can_moderate(demo_user("org-leder")).filter(pk=state.pk).exists()


def test_a_lead_of_the_owning_organisation_approves_in_every_language_of_the_membership():
    """Leads are found by the organisation's translation key, so the URB lead approves URB drafts."""
    page = org_draft(organisation=URB, author="org-medlem")
    submit(page, "admin")
    actions.approve(task_state=task_state(page), user=demo_user("urb-leder"))
    assert isinstance(task_state(page).task.specific, ModerationTask)


def test_a_lead_may_not_approve_a_draft_only_they_wrote():
    page = org_draft(author="org-leder")
    submit(page, "org-leder")
    state = task_state(page)
    lead = demo_user("org-leder")
    assert [name for name, _label, _modal in state.task.specific.get_actions(page, lead)] == ["reject"]
    with pytest.raises(WorkflowRefused) as refused:
        actions.approve(task_state=state, user=lead)
    assert "bare du har skrevet" in str(refused.value)  # Bokmål: "only you wrote"
    assert task_state(page).status == TaskState.STATUS_IN_PROGRESS


def test_self_approval_can_be_allowed_per_task():
    task = OrganisationApprovalTask.objects.get()
    task.allow_self_approval = True
    task.save()
    page = org_draft(author="org-leder")
    submit(page, "org-leder")
    actions.approve(task_state=task_state(page), user=demo_user("org-leder"))
    assert isinstance(task_state(page).task.specific, ModerationTask)


def test_a_lead_may_approve_a_draft_a_member_also_wrote():
    page = org_draft(author="org-leder")
    page.body = "<p>Medlemmet har lagt til et avsnitt.</p>"
    page.save_revision(user=demo_user("org-medlem"))
    submit(page, "org-leder")
    actions.approve(task_state=task_state(page), user=demo_user("org-leder"))
    assert isinstance(task_state(page).task.specific, ModerationTask)


def test_rejection_requires_a_reason_and_changes_nothing_without_one(draft):
    submit(draft)
    state = task_state(draft)
    with pytest.raises(WorkflowRefused):
        actions.reject(task_state=state, user=demo_user("org-leder"), comment="   ")
    assert task_state(draft).status == TaskState.STATUS_IN_PROGRESS


def test_the_rejection_form_refuses_an_empty_reason():
    form_class = OrganisationApprovalTask().get_form_for_action("reject")
    form = form_class(data={"comment": ""})
    assert not form.is_valid()
    assert "comment" in form.errors


def test_a_rejected_draft_goes_back_to_the_author_with_the_reason_and_can_be_resubmitted(draft):
    submit(draft)
    actions.reject(task_state=task_state(draft), user=demo_user("org-leder"), comment="Legg inn tallene.")
    draft.refresh_from_db()
    workflow_state = draft.current_workflow_state
    assert workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert workflow_state.current_task_state.comment == "Legg inn tallene."

    draft.body = "<p>Med tallene fra undersøkelsen.</p>"
    draft.save_revision(user=demo_user("org-medlem"))
    submit(draft)
    resumed = task_state(draft)
    assert resumed.status == TaskState.STATUS_IN_PROGRESS
    assert isinstance(resumed.task.specific, OrganisationApprovalTask)
    assert resumed.revision == draft.get_latest_revision()


def test_submitting_twice_is_refused(draft):
    submit(draft)
    with pytest.raises(WorkflowRefused):
        submit(draft)


def test_an_outsider_cannot_submit_an_organisations_draft(draft):
    with pytest.raises(WorkflowRefused):
        submit(draft, "urb-leder")
    draft.refresh_from_db()
    assert draft.current_workflow_state is None


def test_someone_outside_the_moderators_group_cannot_moderate(draft):
    submit(draft)
    actions.approve(task_state=task_state(draft), user=demo_user("org-leder"))
    state = task_state(draft)
    for username in ("org-leder", "horingseier", "utvalgsleder"):
        with pytest.raises(WorkflowRefused):
            actions.approve(task_state=state, user=demo_user(username))
    assert task_state(draft).status == TaskState.STATUS_IN_PROGRESS


def test_a_moderator_limited_to_a_section_moderates_only_there(draft):
    submit(draft)
    actions.approve(task_state=task_state(draft), user=demo_user("org-leder"))
    state = task_state(draft)
    limited = make_user("hoeringsmoderator", groups=(Group.objects.get(name=MODERATORS),))
    ModeratorScope.objects.create(user=limited, section=demo_page("horinger"))
    with pytest.raises(WorkflowRefused):
        actions.approve(task_state=state, user=limited)
    assert not ModerationTask.objects.get().get_task_states_user_can_moderate(limited).filter(pk=state.pk).exists()

    ModeratorScope.objects.create(user=limited, section=demo_page("organisasjoner"))
    actions.approve(task_state=state, user=limited)
    draft.refresh_from_db()
    assert draft.live


def test_an_edit_after_an_approval_must_be_approved_again(draft):
    submit(draft)
    actions.approve(task_state=task_state(draft), user=demo_user("org-leder"))
    # The moderator corrects a typo while reviewing: the lead's approval was of another text.
    draft.body = "<p>Rettet skrivefeil.</p>"
    draft.save_revision(user=demo_user("moderator"))
    actions.approve(task_state=task_state(draft), user=demo_user("moderator"))
    state = task_state(draft)
    assert isinstance(state.task.specific, OrganisationApprovalTask)
    draft.refresh_from_db()
    assert not draft.live


def test_the_chair_of_the_owning_council_approves_and_publishes_minutes():
    page = council_draft()
    submit(page, "utvalgssekretaer")
    state = task_state(page)
    assert isinstance(state.task.specific, CouncilChairApprovalTask)
    for username in ("utvalgssekretaer", "utvalgsmedlem", "fylkesutvalgsmedlem", "moderator"):
        with pytest.raises(WorkflowRefused):
            actions.approve(task_state=state, user=demo_user(username))
    # The chair holds no publish permission: the finish action publishes for them.
    assert not page.permissions_for_user(demo_user("utvalgsleder")).can_publish()
    actions.approve(task_state=state, user=demo_user("utvalgsleder"))
    page.refresh_from_db()
    assert page.live


def test_the_chair_of_another_council_cannot_approve():
    page = council_draft(council=BERGEN)
    submit(page, "utvalgssekretaer")
    other_chair = make_chair("leder-vestland", VESTLAND)
    with pytest.raises(WorkflowRefused):
        actions.approve(task_state=task_state(page), user=other_chair)
    # (Vestland's own demo minutes wait for this chair: what must be absent is Bergen's draft.)
    reviewable = CouncilChairApprovalTask.objects.get().get_task_states_user_can_moderate(other_chair)
    assert not reviewable.filter(pk=task_state(page).pk).exists()


def test_a_deputy_chair_approves_but_a_past_chair_does_not():
    page = council_draft(council=BERGEN)
    submit(page, "utvalgssekretaer")
    past = make_chair("tidligere-leder", BERGEN, end=datetime.date(2025, 1, 1))
    with pytest.raises(WorkflowRefused):
        actions.approve(task_state=task_state(page), user=past)
    deputy = make_chair("nestleder-bergen", BERGEN, role=CouncilMembership.Role.DEPUTY_CHAIR)
    actions.approve(task_state=task_state(page), user=deputy)
    page.refresh_from_db()
    assert page.live


def test_the_author_may_withdraw_a_submission_and_keeps_the_draft(draft):
    submit(draft)
    actions.withdraw(page=draft, user=demo_user("org-medlem"), comment="Vi venter på flere innspill.")
    draft.refresh_from_db()
    assert draft.current_workflow_state is None
    assert draft.get_latest_revision().as_object().body == "<p>Vi støtter forslaget.</p>"


def test_a_stranger_may_not_withdraw_a_submission(draft):
    submit(draft)
    with pytest.raises(WorkflowRefused):
        actions.withdraw(page=draft, user=demo_user("urb-leder"))
    draft.refresh_from_db()
    assert draft.current_workflow_state is not None
