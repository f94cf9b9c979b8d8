"""The chair's approval of minutes is Wagtail's workflow with the council chair-approval task: the queue,
rejection with a reason, resubmission, approval through the task itself, and the admin's views."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from wagtail.models import TaskState, WorkflowContentType, WorkflowState

from portal.meetings import actions
from portal.meetings.models import Minutes
from tests.helpers import demo_user, text
from tests.meetings import factories
from workflows.models import CouncilChairApprovalTask
from workflows.setup import MINUTES, WORKFLOW_NAMES, ensure_workflows

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting():
    page = factories.meeting(slug="arbeidsflyt-referat", items=[{"title": "Skilting"}])
    return factories.minutes(page, {"Skilting": ("Drøftet Lundefuglen", "Vedtatt")}, state="awaiting_approval")


def test_minutes_use_the_chair_approval_workflow_assigned_to_their_content_type():
    ensure_workflows()
    ensure_workflows()
    content_type = ContentType.objects.get_for_model(Minutes)
    assigned = WorkflowContentType.objects.filter(content_type=content_type)
    assert assigned.count() == 1 and assigned.get().workflow.name == WORKFLOW_NAMES[MINUTES]


def test_sending_for_approval_starts_the_workflow_on_the_chair_task(waiting):
    assert waiting.status == Minutes.Status.AWAITING_APPROVAL
    task_state = waiting.current_workflow_task_state
    assert isinstance(task_state.task.specific, CouncilChairApprovalTask)
    assert task_state.revision_id == waiting.latest_revision_id  # the chair reviews what was sent


def test_the_queue_lists_minutes_for_the_chair_of_their_council_only(waiting, login):
    title = str(waiting)
    assert title in text(login("utvalgsleder").get("/arbeidsflyt/"))
    assert f"/moter/mote/{waiting.meeting_id}/referat/" in text(login("utvalgsleder").get("/arbeidsflyt/"))
    for username in ("utvalgssekretaer", "utvalgsmedlem", "fylkesutvalgsmedlem"):
        assert title not in text(login(username).get("/arbeidsflyt/"))


def test_the_chair_returns_minutes_with_a_reason_that_is_kept_and_resubmission_resumes_the_workflow(
    waiting, login
):
    chair, secretary = demo_user("utvalgsleder"), demo_user("utvalgssekretaer")
    with pytest.raises(PermissionDenied):
        actions.minutes_return(minutes=waiting, user=secretary, reason="Ikke min sak")
    minutes = actions.minutes_return(minutes=waiting, user=chair, reason="Vedtaket mangler frist")
    assert minutes.status == Minutes.Status.DRAFT and not minutes.live
    state = minutes.current_workflow_state
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.current_task_state.comment == "Vedtaket mangler frist"
    page = text(login("utvalgssekretaer").get(f"/moter/mote/{minutes.meeting_id}/referat/"))
    assert "Vedtaket mangler frist" in page
    minutes = actions.minutes_save(minutes=minutes, user=secretary, loaded_version=minutes.version,
                                   texts={minutes.entries.get().agenda_item_id: ("Drøftet", "Vedtatt, frist 1. mai")})
    minutes = actions.minutes_submit_for_approval(minutes=minutes, user=secretary)
    assert minutes.status == Minutes.Status.AWAITING_APPROVAL
    assert minutes.current_workflow_state.pk == state.pk  # the same workflow, resumed
    minutes = actions.minutes_approve(minutes=minutes, user=chair)
    assert minutes.live and minutes.entries.get().conclusion == "Vedtatt, frist 1. mai"


def test_approving_through_the_task_itself_publishes_the_minutes(waiting, client):
    """Whoever calls the task (the admin's workflow buttons do the same) publishes through the workflow."""
    task_state = waiting.current_workflow_task_state
    assert "Lundefuglen" not in text(client.get(waiting.meeting.url))
    task_state.task.specific.on_action(task_state, demo_user("utvalgsleder"), "approve", comment="")
    waiting.refresh_from_db()
    assert waiting.live and TaskState.objects.get(pk=task_state.pk).status == TaskState.STATUS_APPROVED
    assert waiting.approved_by == demo_user("utvalgsleder")
    assert "Lundefuglen" in text(client.get(waiting.meeting.url))


def test_the_chair_of_another_council_cannot_approve_or_see_the_minutes_in_the_queue(waiting):
    task_state = waiting.current_workflow_task_state
    other_chair = factories.council_member("leder-vestland-referat", factories.VESTLAND, role="chair")
    assert not task_state.task.specific.get_task_states_user_can_moderate(other_chair).filter(pk=task_state.pk).exists()
    with pytest.raises(PermissionDenied):
        actions.minutes_approve(minutes=waiting, user=other_chair)
    with pytest.raises(PermissionDenied):
        task_state.task.specific.on_action(task_state, other_chair, "approve", comment="")
    waiting.refresh_from_db()
    assert not waiting.live


def test_minutes_waiting_cannot_be_sent_twice_and_published_minutes_without_changes_not_at_all(waiting):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        actions.minutes_submit_for_approval(minutes=waiting, user=demo_user("utvalgssekretaer"))
    published = actions.minutes_approve(minutes=waiting, user=demo_user("utvalgsleder"))
    with pytest.raises(ValidationError):
        actions.minutes_submit_for_approval(minutes=published, user=demo_user("utvalgssekretaer"))
    assert WorkflowState.objects.for_instance(published).count() == 1


def test_the_admin_dashboard_and_workflow_reports_work_with_minutes_in_a_workflow(waiting, login):
    admin = login("admin")
    base = "/admin/snippets/meetings/minutes"
    for url in ["/admin/", "/admin/reports/workflow/", "/admin/reports/workflow_tasks/", f"{base}/",
                f"{base}/edit/{waiting.pk}/", f"{base}/history/{waiting.pk}/",
                f"{base}/workflow_history/{waiting.pk}/",
                f"{base}/history/{waiting.pk}/revisions/compare/earliest...latest/"]:
        assert admin.get(url).status_code == 200, url
    assert "Lundefuglen" not in text(admin.get("/admin/reports/workflow/"))
    # Council members work on the public site: the admin's minutes views are for administrators only.
    for username in ("utvalgsleder", "moderator"):
        assert login(username).get(f"{base}/edit/{waiting.pk}/").status_code in (302, 403), username


def test_the_workflow_tells_the_chair_in_site_with_a_link_to_the_minutes_and_never_the_text(
    django_capture_on_commit_callbacks, login
):
    from workflows.models import Notification

    page = factories.meeting(slug="varsel-referat", items=[{"title": "Skilting"}])
    minutes = factories.minutes(page, {"Skilting": ("Drøftet Alkekongen", "")}, state="draft")
    with django_capture_on_commit_callbacks(execute=True):
        actions.minutes_submit_for_approval(minutes=minutes, user=demo_user("utvalgssekretaer"))
    url = f"/moter/mote/{page.pk}/referat/"
    notice = Notification.objects.get(user=demo_user("utvalgsleder"), verb=Notification.Verb.WAITING, url=url)
    assert notice.title == str(minutes) and "Alkekongen" not in notice.title + notice.comment
    assert not Notification.objects.filter(user=demo_user("utvalgsmedlem"), url=url).exists()
    chair_page = text(login("utvalgsleder").get(notice.url))
    assert "Alkekongen" in chair_page and 'value="approve"' in chair_page
    assert 'value="approve"' not in text(login("utvalgssekretaer").get(notice.url))
