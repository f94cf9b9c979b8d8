"""Changes to meetings, minutes and referrals. Each checks who may do it and refuses bad input with
a translated ValidationError, changing nothing."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import TaskState, WorkflowState
from wagtail.search import index as wagtail_index

from portal.access.users import User, as_account
from portal.councils.models import CouncilPage
from search import service
from workflows import actions as workflow_actions
from workflows.exceptions import WorkflowRefused

from . import notifications
from .models import (
    CIRCULATE,
    CORRECT,
    AgendaItem,
    CaseReferral,
    MeetingPage,
    Minutes,
    MinutesComment,
    MinutesEntry,
)
from .selectors import is_chair, is_council_member, may_manage


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this for this council."))


def _publish_page_change(page: MeetingPage, user: User) -> None:
    """Save the page as a new revision and publish it when the meeting is already public."""
    revision = page.save_revision(user=user, log_action=True)
    if page.live:
        revision.publish(user=user, skip_permission_checks=True)  # may_manage was checked by the caller


def _editable_copy(meeting: MeetingPage) -> MeetingPage:
    """The latest draft of the meeting as a NEW object: Wagtail returns the very instance when there are
    no unpublished changes, and adding children to it would leave unsaved rows on the caller's object."""
    return MeetingPage.objects.get(pk=meeting.pk).get_latest_revision_as_object()


def reindex_meeting(meeting: MeetingPage) -> None:
    """Minutes are not page content: when they change state, every language version of the meeting
    page is re-indexed so search shows exactly the published, public text."""
    for page in MeetingPage.objects.filter(translation_key=meeting.translation_key):
        service.index_object(page)
        wagtail_index.insert_or_update_object(page)


# --- meetings and agendas ---------------------------------------------------------------------------


@transaction.atomic
def meeting_plan(*, council: CouncilPage, user: User, title: str, start: datetime.datetime,
                 end: datetime.datetime | None = None, place: str = "", online_link: str = "") -> MeetingPage:
    _require(may_manage(user=user, council=council))
    if start <= timezone.now():
        raise ValidationError({"start": _("A planned meeting must start in the future.")})
    if end is not None and end <= start:
        raise ValidationError({"end": _("The meeting must end after it starts.")})
    meeting = MeetingPage(title=title, start=start, end=end, place=place, online_link=online_link,
                          status=MeetingPage.Status.PLANNED)
    council.add_child(instance=meeting)
    meeting.save_revision(user=user, log_action=True).publish(user=user, skip_permission_checks=True)
    return meeting


@transaction.atomic
def agenda_item_add(*, meeting: MeetingPage, user: User, title: str, description: str = "",
                    raised_by: str = AgendaItem.RaisedBy.COUNCIL, raised_by_organisation: Any = None,
                    confidential: bool = False, legal_basis: str = "", number: int | None = None,
                    referred_from: CaseReferral | None = None) -> AgendaItem:
    council = meeting.council
    _require(may_manage(user=user, council=council))
    page = _editable_copy(meeting)
    year = page.local_start.year
    if number is not None and AgendaItem.objects.filter(council=council, year=year, number=number).exists():
        raise ValidationError({"number": _("Case number %(number)s/%(year)s is already used by this council.")
                               % {"number": number, "year": year}})
    item = AgendaItem(title=title, description=description, raised_by=raised_by,
                      raised_by_organisation=raised_by_organisation, confidential=confidential,
                      legal_basis=legal_basis, number=number, referred_from=referred_from)
    item.page = page
    item.full_clean(exclude=["page"])
    page.agenda_items.add(item)
    _publish_page_change(page, user)
    return MeetingPage.objects.get(pk=meeting.pk).agenda_items.order_by("-pk").first()


# --- minutes ------------------------------------------------------------------------------------------------
#
# The minutes are a Wagtail object with revisions and a workflow. Every save is a revision; until the
# chair first approves them the row holds the draft too (members read it there), afterwards the row is
# only ever changed by publishing, so a correction in progress stays in its revision and never shows.


def _locked(minutes_id: int) -> Minutes:
    return Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes_id)


def _not_in_workflow(minutes: Minutes) -> None:
    if minutes.workflow_in_progress:
        raise ValidationError(_("The minutes are waiting for the chair's approval and cannot be changed now."))


@transaction.atomic
def minutes_start(*, meeting: MeetingPage, user: User) -> Minutes:
    """Open draft minutes for a meeting, one entry per agenda item."""
    _require(may_manage(user=user, council=meeting.council))
    existing = Minutes.objects.filter(meeting__translation_key=meeting.translation_key).first()
    if existing is not None:
        return existing
    if meeting.status == MeetingPage.Status.CANCELLED:
        raise ValidationError(_("A cancelled meeting has no minutes."))
    meeting = MeetingPage.objects.get(pk=meeting.pk)
    minutes = Minutes(meeting=meeting, live=False)
    minutes.entries = [MinutesEntry(agenda_item=item) for item in meeting.agenda_items.all()]
    minutes.save()
    minutes.save_revision(user=user, log_action="wagtail.create")
    return minutes


@transaction.atomic
def minutes_save(*, minutes: Minutes, user: User, texts: dict[int, tuple[str, str]], loaded_version: int,
                 correction_note: str = "") -> Minutes:
    """Save the text of the minutes as a new revision (a draft, or a correction of published minutes).

    ``texts`` maps agenda item ids to (discussion, conclusion). A form loaded at an older revision is
    refused, so two secretaries never silently overwrite each other. A correction of published
    minutes stays a draft until the chair approves it: the public keeps reading the approved text."""
    minutes = _locked(minutes.pk)
    _require(may_manage(user=user, council=minutes.meeting.council))
    if loaded_version != minutes.version:
        raise ValidationError(_("Someone else saved these minutes while you were editing. Reload to see "
                                "their changes; your text is shown below so you can copy it."))
    _not_in_workflow(minutes)
    correcting = minutes.live
    correction_note = correction_note.strip()
    if correcting and not correction_note:
        raise ValidationError({"correction_note": _("Say what you corrected: the note is shown with the minutes.")})
    draft = minutes.get_latest_revision_as_object()
    current = {entry.agenda_item_id: entry for entry in draft.entries.all()}
    entries = []
    for item in minutes.meeting.agenda_items.all():
        entry = current.get(item.pk) or MinutesEntry(agenda_item=item)
        discussion, conclusion = texts.get(item.pk, (None, None))
        if discussion is not None:
            entry.discussion, entry.conclusion = discussion.strip(), (conclusion or "").strip()
        entries.append(entry)
    draft.entries = entries
    if correcting:
        draft.correction_note = correction_note
    else:
        draft.save()  # not yet approved: the row is the draft the council reads
    draft.save_revision(user=user, log_action=CORRECT if correcting else "wagtail.edit")
    return Minutes.objects.select_related("meeting").get(pk=minutes.pk)


@transaction.atomic
def minutes_circulate(*, minutes: Minutes, user: User, comment_deadline: datetime.date) -> Minutes:
    """Send the draft round the attendees for comments (a step before the chair's approval)."""
    minutes = _locked(minutes.pk)
    _require(may_manage(user=user, council=minutes.meeting.council))
    if minutes.status != Minutes.Status.DRAFT:
        raise ValidationError(_("Only draft minutes can be circulated."))
    if comment_deadline < timezone.localdate():
        raise ValidationError({"comment_deadline": _("The comment deadline cannot be in the past.")})
    minutes.circulated = True
    minutes.comment_deadline = comment_deadline
    minutes.save(update_fields=["circulated", "comment_deadline"])
    log(instance=minutes, action=CIRCULATE, user=user, revision=minutes.latest_revision,
        data={"comment_deadline": comment_deadline.isoformat()})
    notifications.minutes_circulated(minutes, user)
    return minutes


def may_comment(*, minutes: Minutes, user: User) -> bool:
    """Attendees (present at the meeting) comment; if no attendance is recorded, every member may."""
    council = minutes.meeting.council
    if not is_council_member(user=user, council=council):
        return False
    attendees = set(minutes.meeting.attendance.filter(status="present").values_list("user_id", flat=True))
    return not attendees or user.pk in attendees or may_manage(user=user, council=council)


@transaction.atomic
def minutes_comment(*, minutes: Minutes, user: User, text: str) -> MinutesComment:
    minutes = _locked(minutes.pk)
    _require(may_comment(minutes=minutes, user=user))
    if minutes.status != Minutes.Status.CIRCULATED:
        raise ValidationError(_("The minutes are not open for comments."))
    if minutes.comment_deadline and timezone.localdate() > minutes.comment_deadline:
        raise ValidationError(_("The comment period ended on %(date)s.")
                              % {"date": date_format(minutes.comment_deadline, "SHORT_DATE_FORMAT")})
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write a comment.")})
    return MinutesComment.objects.create(minutes=minutes, author=as_account(user), text=text)


@transaction.atomic
def minutes_submit_for_approval(*, minutes: Minutes, user: User) -> Minutes:
    """Start the minutes' workflow (the chair-approval task), or resume it after the chair sent the
    minutes back. The workflow tells the chairs."""
    minutes = _locked(minutes.pk)
    _require(may_manage(user=user, council=minutes.meeting.council))
    _not_in_workflow(minutes)
    if minutes.live and not minutes.has_unpublished_changes:
        raise ValidationError(_("These minutes cannot be sent for approval now."))
    if minutes.circulated:
        # The comment round ends when the minutes go to the chair.
        minutes.circulated = False
        minutes.save(update_fields=["circulated"])
    try:
        state = minutes.current_workflow_state
        if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            state.resume(user=user)
        else:
            workflow = minutes.get_workflow()
            if workflow is None:
                raise ValidationError(_("No approval is set up for this part of the portal."))
            workflow.start(minutes, user)
    except WorkflowRefused as refused:
        raise ValidationError(refused.message) from refused
    return Minutes.objects.select_related("meeting").get(pk=minutes.pk)


def _current_task_state(minutes: Minutes, message: str) -> TaskState:
    task_state = minutes.current_workflow_task_state
    if task_state is None:
        raise ValidationError(message)
    return task_state


@transaction.atomic
def minutes_return(*, minutes: Minutes, user: User, reason: str) -> Minutes:
    """The chair rejects in the chair-approval task: the minutes go back to draft, the reason is kept
    with the task (and shown in the history)."""
    minutes = _locked(minutes.pk)
    _require(is_chair(user=user, council=minutes.meeting.council))
    task_state = _current_task_state(minutes, _("Only minutes awaiting approval can be returned."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for returning the minutes.")})
    workflow_actions.reject(task_state=task_state, user=user, comment=reason.strip()[:500])
    return Minutes.objects.select_related("meeting").get(pk=minutes.pk)


@transaction.atomic
def minutes_approve(*, minutes: Minutes, user: User) -> Minutes:
    """The chair approves in the chair-approval task; finishing the workflow publishes the minutes
    (confidential items stay inside the council)."""
    minutes = _locked(minutes.pk)
    _require(is_chair(user=user, council=minutes.meeting.council))
    task_state = _current_task_state(minutes, _("Only minutes awaiting approval can be approved."))
    workflow_actions.approve(task_state=task_state, user=user)
    return Minutes.objects.select_related("meeting").get(pk=minutes.pk)


def after_publish(*, minutes_id: int, correction: bool) -> None:
    """Called by ``Minutes.publish`` (whoever publishes: our views, the admin's workflow actions):
    date a correction, mark the meeting held and re-index the meeting with the now-public text."""
    minutes = Minutes.objects.select_related("meeting").get(pk=minutes_id)
    if correction:
        Minutes.objects.filter(pk=minutes.pk).update(corrected_at=minutes.last_published_at or timezone.now())
    meeting = minutes.meeting
    if meeting.status == MeetingPage.Status.PLANNED:
        MeetingPage.objects.filter(translation_key=meeting.translation_key).update(status=MeetingPage.Status.HELD)
    reindex_meeting(meeting)


# --- cases across councils ------------------------------------------------------------------------------------


@transaction.atomic
def case_refer(*, item: AgendaItem, to_council: CouncilPage, user: User, note: str = "") -> CaseReferral:
    from_council = item.page.council
    _require(may_manage(user=user, council=from_council))
    if to_council.translation_key == from_council.translation_key:
        raise ValidationError({"to_council": _("A case cannot be referred to the council it comes from.")})
    if CaseReferral.objects.filter(item=item, to_council__translation_key=to_council.translation_key).exists():
        raise ValidationError({"to_council": _("This case has already been referred to that council.")})
    return CaseReferral.objects.create(item=item, from_council=from_council, to_council=to_council,
                                       note=note.strip(), created_by=as_account(user))


@transaction.atomic
def referral_put_on_agenda(*, referral: CaseReferral, meeting: MeetingPage, user: User) -> AgendaItem:
    """The receiving council takes up a referred case on one of its meetings' agendas."""
    council = meeting.council
    if council is None or council.translation_key != referral.to_council.translation_key:
        raise ValidationError({"meeting": _("Choose a meeting of the council the case was referred to.")})
    if referral.taken_up_items.filter(page__translation_key=meeting.translation_key).exists():
        raise ValidationError({"meeting": _("The case is already on that meeting's agenda.")})
    source = referral.item
    return agenda_item_add(
        meeting=meeting, user=user, title=source.title,
        description="" if source.confidential else source.description,
        raised_by=AgendaItem.RaisedBy.COUNCIL, confidential=source.confidential, legal_basis=source.legal_basis,
        referred_from=referral,
    )
