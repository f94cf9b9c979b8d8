"""Changes to meetings, minutes and referrals. Each checks who may do it and refuses bad input with
a translated ValidationError, changing nothing."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.search import index as wagtail_index

from portal.councils.models import CouncilPage

from . import notifications
from .models import (
    AgendaItem,
    CaseReferral,
    MeetingPage,
    Minutes,
    MinutesComment,
    MinutesEntry,
    MinutesRevision,
)
from .selectors import is_chair, is_council_member, may_manage


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this for this council."))


def _publish_page_change(page: MeetingPage, user: Any) -> None:
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
    from search import service

    for page in MeetingPage.objects.filter(translation_key=meeting.translation_key):
        service.index_object(page)
        wagtail_index.insert_or_update_object(page)


# --- meetings and agendas ---------------------------------------------------------------------------


@transaction.atomic
def meeting_plan(*, council: CouncilPage, user: Any, title: str, start: datetime.datetime,
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
def agenda_item_add(*, meeting: MeetingPage, user: Any, title: str, description: str = "",
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


def _snapshot(minutes: Minutes, *, user: Any, action: str, note: str = "") -> MinutesRevision:
    content = {
        "entries": [
            {"item": entry.agenda_item_id, "discussion": entry.discussion, "conclusion": entry.conclusion}
            for entry in minutes.entries.all()
        ],
        "comment_deadline": minutes.comment_deadline.isoformat() if minutes.comment_deadline else None,
    }
    return MinutesRevision.objects.create(minutes=minutes, created_by=user if user and user.is_authenticated else None,
                                          status=minutes.status, action=action, note=note, content=content)


@transaction.atomic
def minutes_start(*, meeting: MeetingPage, user: Any) -> Minutes:
    """Open draft minutes for a meeting, one entry per agenda item."""
    _require(may_manage(user=user, council=meeting.council))
    existing = Minutes.objects.filter(meeting__translation_key=meeting.translation_key).first()
    if existing is not None:
        return existing
    if meeting.status == MeetingPage.Status.CANCELLED:
        raise ValidationError(_("A cancelled meeting has no minutes."))
    meeting = MeetingPage.objects.get(pk=meeting.pk)
    minutes = Minutes.objects.create(meeting=meeting)
    for item in meeting.agenda_items.all():
        MinutesEntry.objects.create(minutes=minutes, agenda_item=item)
    _snapshot(minutes, user=user, action="created")
    return minutes


def _locked(minutes_id: int) -> Minutes:
    return Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes_id)


@transaction.atomic
def minutes_save(*, minutes: Minutes, user: Any, texts: dict[int, tuple[str, str]], loaded_version: int,
                 correction_note: str = "") -> Minutes:
    """Save the text of the minutes (a draft, or a correction of published minutes).

    ``texts`` maps agenda item ids to (discussion, conclusion). A form loaded at an older version is
    refused, so two secretaries never silently overwrite each other."""
    minutes = _locked(minutes.pk)
    _require(may_manage(user=user, council=minutes.meeting.council))
    if loaded_version != minutes.version:
        raise ValidationError(_("Someone else saved these minutes while you were editing. Reload to see "
                                "their changes; your text is shown below so you can copy it."))
    if minutes.status == Minutes.Status.AWAITING_APPROVAL:
        raise ValidationError(_("The minutes are waiting for the chair's approval and cannot be changed now."))
    correcting = minutes.status == Minutes.Status.PUBLISHED
    correction_note = correction_note.strip()
    if correcting and not correction_note:
        raise ValidationError({"correction_note": _("Say what you corrected: the note is shown with the minutes.")})
    for item in minutes.meeting.agenda_items.all():
        discussion, conclusion = texts.get(item.pk, (None, None))
        if discussion is None:
            continue
        entry, _created = MinutesEntry.objects.get_or_create(minutes=minutes, agenda_item=item)
        entry.discussion, entry.conclusion = discussion.strip(), conclusion.strip()
        entry.save()
    minutes.version += 1
    if correcting:
        minutes.corrected_at = timezone.now()
        minutes.correction_note = correction_note
    minutes.save()
    _snapshot(minutes, user=user, action="corrected" if correcting else "saved", note=correction_note)
    if correcting:
        reindex_meeting(minutes.meeting)
    return minutes


@transaction.atomic
def minutes_circulate(*, minutes: Minutes, user: Any, comment_deadline: datetime.date) -> Minutes:
    minutes = _locked(minutes.pk)
    _require(may_manage(user=user, council=minutes.meeting.council))
    if minutes.status != Minutes.Status.DRAFT:
        raise ValidationError(_("Only draft minutes can be circulated."))
    if comment_deadline < timezone.localdate():
        raise ValidationError({"comment_deadline": _("The comment deadline cannot be in the past.")})
    minutes.status = Minutes.Status.CIRCULATED
    minutes.comment_deadline = comment_deadline
    minutes.save()
    _snapshot(minutes, user=user, action="circulated")
    notifications.minutes_circulated(minutes, user)
    return minutes


def may_comment(*, minutes: Minutes, user: Any) -> bool:
    """Attendees (present at the meeting) comment; if no attendance is recorded, every member may."""
    council = minutes.meeting.council
    if not is_council_member(user=user, council=council):
        return False
    attendees = set(minutes.meeting.attendance.filter(status="present").values_list("user_id", flat=True))
    return not attendees or user.pk in attendees or may_manage(user=user, council=council)


@transaction.atomic
def minutes_comment(*, minutes: Minutes, user: Any, text: str) -> MinutesComment:
    minutes = _locked(minutes.pk)
    _require(may_comment(minutes=minutes, user=user))
    if minutes.status != Minutes.Status.CIRCULATED:
        raise ValidationError(_("The minutes are not open for comments."))
    if minutes.comment_deadline and timezone.localdate() > minutes.comment_deadline:
        raise ValidationError(_("The comment period ended on %(date)s.")
                              % {"date": minutes.comment_deadline.strftime("%d.%m.%Y")})
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write a comment.")})
    return MinutesComment.objects.create(minutes=minutes, author=user, text=text)


@transaction.atomic
def minutes_submit_for_approval(*, minutes: Minutes, user: Any) -> Minutes:
    minutes = _locked(minutes.pk)
    _require(may_manage(user=user, council=minutes.meeting.council))
    if minutes.status not in (Minutes.Status.DRAFT, Minutes.Status.CIRCULATED):
        raise ValidationError(_("These minutes cannot be sent for approval now."))
    minutes.status = Minutes.Status.AWAITING_APPROVAL
    minutes.save()
    _snapshot(minutes, user=user, action="submitted")
    notifications.minutes_awaiting_approval(minutes, user)
    return minutes


@transaction.atomic
def minutes_return(*, minutes: Minutes, user: Any, reason: str) -> Minutes:
    """The chair sends the minutes back to draft, with a reason."""
    minutes = _locked(minutes.pk)
    _require(is_chair(user=user, council=minutes.meeting.council))
    if minutes.status != Minutes.Status.AWAITING_APPROVAL:
        raise ValidationError(_("Only minutes awaiting approval can be returned."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for returning the minutes.")})
    minutes.status = Minutes.Status.DRAFT
    minutes.save()
    _snapshot(minutes, user=user, action="returned", note=reason.strip()[:500])
    return minutes


@transaction.atomic
def minutes_approve(*, minutes: Minutes, user: Any) -> Minutes:
    """The chair approves: the minutes are published (confidential items stay inside the council)."""
    minutes = _locked(minutes.pk)
    _require(is_chair(user=user, council=minutes.meeting.council))
    if minutes.status != Minutes.Status.AWAITING_APPROVAL:
        raise ValidationError(_("Only minutes awaiting approval can be approved."))
    now = timezone.now()
    minutes.status = Minutes.Status.PUBLISHED
    minutes.approved_by, minutes.approved_at, minutes.published_at = user, now, now
    minutes.save()
    _snapshot(minutes, user=user, action="approved")
    meeting = minutes.meeting
    if meeting.status == MeetingPage.Status.PLANNED:
        MeetingPage.objects.filter(translation_key=meeting.translation_key).update(status=MeetingPage.Status.HELD)
    reindex_meeting(meeting)
    return minutes


# --- cases across councils ------------------------------------------------------------------------------------


@transaction.atomic
def case_refer(*, item: AgendaItem, to_council: CouncilPage, user: Any, note: str = "") -> CaseReferral:
    from_council = item.page.council
    _require(may_manage(user=user, council=from_council))
    if to_council.translation_key == from_council.translation_key:
        raise ValidationError({"to_council": _("A case cannot be referred to the council it comes from.")})
    if CaseReferral.objects.filter(item=item, to_council__translation_key=to_council.translation_key).exists():
        raise ValidationError({"to_council": _("This case has already been referred to that council.")})
    return CaseReferral.objects.create(item=item, from_council=from_council, to_council=to_council,
                                       note=note.strip(), created_by=user)


@transaction.atomic
def referral_put_on_agenda(*, referral: CaseReferral, meeting: MeetingPage, user: Any) -> AgendaItem:
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
