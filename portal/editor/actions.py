"""Everything the portal editor changes. Each step runs in a transaction and raises
:class:`EditorRefused` (a translated message safe to show) when it is not allowed; a refused step
changes nothing, and the text the person wrote is given back to them by the view.

The drafts stay Wagtail pages: every save is ``save_revision``, so history, comparison, approval and
the workflow see ordinary revisions."""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass
from functools import partial
from typing import Any

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from pycrdt import Doc, merge_updates
from wagtail.models import Page, Revision, TaskState, WorkflowState

from portal.access.users import Account, User, as_account
from portal.core.edit_conflicts import conflict_message, latest_revision
from portal.hearings import actions as hearing_actions
from portal.hearings.models import ORIGINAL_KINDS, HearingPage, HearingResponsePage, ResponsePart
from portal.organisations.models import OrganisationDraftPage
from portal.positions.models import PositionPaperPage
from portal.security.sanitising import DOCUMENT, has_text, sanitise
from portal.security.text import ascii_slug
from portal.security.uploads import UploadValidator
from workflows import actions as workflow_actions
from workflows.exceptions import WorkflowRefused
from workflows.models import Notification, PortalTask
from workflows.notifications import Announcement, deliver

from . import livetext, selectors
from .models import Autosave, DraftComment, EditorPresence, LiveDocument

# Autosaves by one person within this window update one revision instead of adding new ones.
AUTOSAVE_WINDOW = datetime.timedelta(minutes=10)
MAX_TITLE = 255
MAX_TEXT = 50_000
MAX_COMMENT = 5_000
MAX_PARTS = 100


class EditorRefused(PermissionDenied):
    def __init__(self, message: str, *, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = str(message)
        self.problems = problems or []

    def __str__(self) -> str:
        return self.message


class StaleDraft(EditorRefused):
    """Someone saved since this editor was loaded: nothing was saved."""


@dataclass(frozen=True)
class PartInput:
    section_number: str
    kind: str
    comment: str
    replacement: str
    pk: int | None = None


# --- text ------------------------------------------------------------------------------------------

# What the toolbar sends starts with a block element; anything else was typed as plain text.
_HTML_START = re.compile(r"^<(p|h[1-6]|ul|ol|blockquote|div)\b", re.IGNORECASE)


def clean_rich_text(html: str) -> str:
    """Rich text as the public page renders it (headings, lists, links, emphasis), through the
    hearings' nh3 policy. Text typed without any markup (no JavaScript) becomes paragraphs."""
    html = (html or "").strip()
    if not html:
        return ""
    if not _HTML_START.match(html):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", html.replace("\r\n", "\n")) if p.strip()]
        html = "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return sanitise(html, DOCUMENT)


def clean_plain_text(text: str) -> str:
    """Comments between colleagues are plain text: any markup is removed, nothing is interpreted."""
    # Stored as text (unescaped) and escaped when shown, like every other text field.
    return html.unescape(nh3.clean((text or "").replace("\r\n", "\n"), tags=set())).strip()


def _plain(text: str, label: str) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_TEXT:
        raise EditorRefused(
            _("%(field)s is too long (at most %(max)s characters).") % {"field": label, "max": MAX_TEXT}
        )
    return text


# --- who may write ----------------------------------------------------------------------------------


def _require_writer(page: Page, user: User) -> None:
    if not selectors.may_write(user, page):
        raise EditorRefused(_("Only the organisation's members can change this draft."))
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        task = selectors.current_task(page)
        if task is None or not isinstance(task, PortalTask) or task.locked_for_user(page, user):
            raise EditorRefused(_(
                "This draft is waiting for approval and cannot be changed now. If it needs changes, the "
                "reviewer can return it to you."
            ))


def _require_fresh(page: Page, loaded_revision_id: str, loaded_revision_created_at: str) -> None:
    latest = latest_revision(page)
    if latest is None:
        return
    if str(loaded_revision_id or "") != str(latest.pk) or (loaded_revision_created_at or "") != (
        latest.created_at.isoformat()
    ):
        raise StaleDraft(conflict_message(latest))


def _writable_draft(model: Any, page: Page, user: User, loaded_revision_id: str,
                    loaded_revision_created_at: str) -> Any:
    """Lock the page, check that the user may write and that nobody saved since this editor was
    loaded; the newest revision, to be changed and saved as the next one."""
    page = model.objects.select_for_update().get(pk=page.pk)
    _require_writer(page, user)
    _require_fresh(page, loaded_revision_id, loaded_revision_created_at)
    return page.get_latest_revision_as_object()


def _title(title: str, missing: str) -> str:
    title = (title or "").strip()
    if not title:
        raise EditorRefused(missing)
    if len(title) > MAX_TITLE:
        raise EditorRefused(_("The title is too long (at most %(max)s characters).") % {"max": MAX_TITLE})
    return title


def _save(draft: Page, user: User, *, autosave: bool) -> Revision:
    overwrite = None
    if autosave:
        latest = latest_revision(draft)
        mark = Autosave.objects.filter(revision=latest).first() if latest is not None else None
        if (
            mark is not None and latest is not None and latest.user_id == user.pk
            and timezone.now() - mark.started_at < AUTOSAVE_WINDOW
        ):
            overwrite = latest
    revision = draft.save_revision(user=user, log_action=True, overwrite_revision=overwrite)
    if autosave and overwrite is None:
        Autosave.objects.create(revision=revision, started_at=timezone.now())
    return revision


# --- saving -----------------------------------------------------------------------------------------


@transaction.atomic
def response_save(
    *, page: HearingResponsePage, user: User, title: str, general_remarks: str | None, parts: list[PartInput],
    loaded_revision_id: str, loaded_revision_created_at: str, autosave: bool = False, original: Any = None,
) -> Revision:
    """Save the response as a new revision (or, for an autosave, update this person's recent autosave).
    ``general_remarks=None`` keeps the remarks as they are: live editing writes them (``live_save``)."""
    draft = _writable_draft(HearingResponsePage, page, user, loaded_revision_id, loaded_revision_created_at)
    hearing = HearingPage.objects.get(pk=draft.hearing_id)
    known = {section.number.strip() for section in hearing.sections.all()}
    title = _title(title, _("Give the response a title."))
    if len(parts) > MAX_PARTS:
        raise EditorRefused(_("A response can have at most %(max)s parts.") % {"max": MAX_PARTS})
    existing = {part.pk: part for part in draft.parts.all() if part.pk is not None}
    new_parts = []
    for order, item in enumerate(parts):
        number = (item.section_number or "").strip()
        if number not in known:
            raise EditorRefused(
                _("Choose the section from the hearing's list; “%(number)s” is not one of its sections.")
                % {"number": number or "–"}
            )
        if item.kind not in ResponsePart.Kind.values:
            raise EditorRefused(_("Choose whether the part is a comment or an amendment."))
        part = ResponsePart(
            pk=item.pk if item.pk in existing else None, section_number=number, kind=item.kind,
            comment=_plain(item.comment, _("The comment")), replacement=_plain(item.replacement, _("The amendment")),
            sort_order=order,
        )
        new_parts.append(part)
    draft.title = title
    if general_remarks is not None:
        draft.general_remarks = clean_rich_text(_plain(general_remarks, _("The general remarks")))
    draft.parts = new_parts
    if original is not None:
        # The signed letter is part of the revision, like the text: checked as the admin checked it.
        try:
            UploadValidator(allowed=ORIGINAL_KINDS)(original)
        except ValidationError as invalid:
            raise EditorRefused(" ".join(invalid.messages)) from invalid
        original.seek(0)
        draft.original.save(original.name, original, save=False)
    return _save(draft, user, autosave=autosave)


@transaction.atomic
def position_paper_save(
    *, page: PositionPaperPage, user: User, title: str, summary: str, body: str | None,
    loaded_revision_id: str, loaded_revision_created_at: str, autosave: bool = False,
) -> Revision:
    draft = _writable_draft(PositionPaperPage, page, user, loaded_revision_id, loaded_revision_created_at)
    draft.title = _title(title, _("Give the position paper a title."))
    draft.summary = _plain(summary, _("The summary"))
    if body is not None:  # None: written live (live_save)
        draft.body = clean_rich_text(_plain(body, _("The text")))
    return _save(draft, user, autosave=autosave)


@transaction.atomic
def position_paper_start(*, space: Page, user: User) -> PositionPaperPage:
    """A new, empty position paper in the organisation's space, written on the portal. It is shared
    with the members (live inside the space, whose restriction keeps it private); publication is
    the workflow's approval."""
    if not selectors.may_write(user, space) or not space.permissions_for_user(user).can_add_subpage():
        raise EditorRefused(_("Only the organisation's members can start a position paper."))
    title = _("New position paper")
    slug = ascii_slug(f"standpunkt-{timezone.now():%Y%m%d%H%M%S}-{user.pk}")[:80]
    page = PositionPaperPage(title=title, slug=slug, summary="", body="", owner=user)
    space.add_child(instance=page)
    page.save_revision(user=user, log_action=True).publish(user=user, skip_permission_checks=True)
    return page


@transaction.atomic
def working_draft_save(
    *, page: OrganisationDraftPage, user: User, title: str, body: str | None,
    loaded_revision_id: str, loaded_revision_created_at: str, autosave: bool = False,
) -> Revision:
    draft = _writable_draft(OrganisationDraftPage, page, user, loaded_revision_id, loaded_revision_created_at)
    draft.title = _title(title, _("Give the draft a title."))
    if body is not None:  # None: written live (live_save)
        draft.body = clean_rich_text(_plain(body, _("The text")))
    return _save(draft, user, autosave=autosave)


# --- submitting -------------------------------------------------------------------------------------


def _has_text(html: str) -> bool:
    return has_text(sanitise(html or "", DOCUMENT))


def submission_problems(draft: Page) -> list[str]:
    """What is missing before the draft can go to the lead (empty when nothing is)."""
    problems: list[str] = []
    if isinstance(draft, HearingResponsePage):
        parts = list(draft.parts.all())
        if not _has_text(draft.general_remarks) and not parts:
            problems.append(_("The response says nothing yet: write general remarks or at least one part."))
        problems += draft.part_errors()
    elif isinstance(draft, OrganisationDraftPage):
        if not _has_text(draft.body):
            problems.append(_("The draft has no text yet."))
    elif isinstance(draft, PositionPaperPage):
        if not (draft.summary or "").strip():
            problems.append(_("Write a summary."))
        if not _has_text(draft.body):
            problems.append(_("The position paper has no text yet."))
    return problems


@transaction.atomic
def submit(*, page: Page, user: User) -> WorkflowState:
    """Send the latest revision to the organisation's lead (or back to them after changes were
    requested). Refused, with everything that is missing listed, if the draft says nothing, a part
    has no text or points at a section the hearing does not have; refused for a closed hearing. The
    draft is kept as it is in every case."""
    # Read again: the caller's object may predate the revision just saved.
    page = Page.objects.get(pk=page.pk).specific
    if not selectors.may_write(user, page):
        raise EditorRefused(_("Only the organisation's members can send this draft for approval."))
    draft = page.get_latest_revision_as_object()
    if isinstance(draft, HearingResponsePage):
        hearing = HearingPage.objects.get(pk=draft.hearing_id)
        if not hearing.accepts_responses():
            try:
                hearing_actions._refuse_unless_open(hearing)  # its message names the deadline or withdrawal
            except hearing_actions.HearingRefused as refused:
                raise EditorRefused(refused.message) from refused
    problems = submission_problems(draft)
    if problems:
        raise EditorRefused(_("The draft cannot be sent for approval yet:"), problems=problems)
    try:
        return workflow_actions.submit_for_moderation(page=page, user=user)
    except WorkflowRefused as refused:
        raise EditorRefused(refused.message) from refused


def waiting_task_state(page: Page) -> TaskState | None:
    state = page.current_workflow_state
    task_state = state.current_task_state if state is not None else None
    if task_state is None or task_state.status != TaskState.STATUS_IN_PROGRESS:
        return None
    return task_state


@transaction.atomic
def decide(*, page: Page, user: User, approve: bool, comment: str = "") -> TaskState:
    """The reviewer of the step the draft waits in approves it, or returns it with a comment; the
    workflow's own task decides who may (``on_action``)."""
    task_state = waiting_task_state(page)
    if task_state is None:
        raise EditorRefused(_("This draft is not waiting for a decision (it may already have been decided)."))
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise EditorRefused(_("The comment is too long (at most %(max)s characters).") % {"max": MAX_COMMENT})
    try:
        if approve:
            return workflow_actions.approve(task_state=task_state, user=user, comment=comment)
        return workflow_actions.reject(task_state=task_state, user=user, comment=comment)
    except WorkflowRefused as refused:
        raise EditorRefused(refused.message) from refused


# --- working together -------------------------------------------------------------------------------

_MENTION = re.compile(r"@([\w.\-]+)", re.UNICODE)


@transaction.atomic
def comment_add(
    *, page: Page, user: User, body: str, anchor: str = "", quote: str = "", parent: DraftComment | None = None,
) -> DraftComment:
    if not selectors.may_write(user, page):
        raise EditorRefused(_("Only the organisation's members can comment on this draft."))
    body = clean_plain_text(body)
    if not body:
        raise EditorRefused(_("Write the comment before sending it."))
    if len(body) > MAX_COMMENT:
        raise EditorRefused(_("The comment is too long (at most %(max)s characters).") % {"max": MAX_COMMENT})
    if parent is not None:
        if parent.page_id != page.pk:
            raise EditorRefused(_("That comment belongs to another draft."))
        parent = parent.parent or parent  # one level of replies
        anchor, quote = parent.anchor, ""
    anchor = (anchor or "").strip()[:40]
    if anchor and anchor not in selectors.anchors(page.get_latest_revision_as_object()):
        raise EditorRefused(_("Choose what the comment is about from the list."))
    author = as_account(user)
    comment = DraftComment.objects.create(
        page=page, parent=parent, anchor=anchor, quote=clean_plain_text(quote)[:2000], body=body, author=author,
    )
    _notify_mentions(page=page, user=author, comment=comment)
    return comment


def _notify_mentions(*, page: Page, user: Account, comment: DraftComment) -> list[Any]:
    """Co-members named with @username get an in-site notification and an e-mail in their language.
    Names that are not co-members are ignored (they would learn the draft exists)."""
    names = {name.rstrip(".-").lower() for name in _MENTION.findall(comment.body)}
    if not names:
        return []
    colleagues = [person for person in selectors.co_members(page) if person.get_username().lower() in names]
    recipients = [person for person in colleagues if person != user and selectors.may_write(person, page)]
    title = page.get_latest_revision_as_object().title
    announcements = [
        Announcement(recipient=person, verb=Notification.Verb.MENTIONED, page=page, title=title,
                     step=selectors.display_name(user), comment=comment.body)
        for person in recipients
    ]
    if announcements:
        transaction.on_commit(partial(deliver, announcements))
    return recipients


@transaction.atomic
def comment_resolve(*, comment: DraftComment, user: User, resolved: bool) -> DraftComment:
    page = Page.objects.get(pk=comment.page_id).specific
    if not selectors.may_write(user, page):
        raise EditorRefused(_("Only the organisation's members can resolve comments on this draft."))
    if comment.parent_id is not None:
        raise EditorRefused(_("Resolve the conversation from its first comment."))
    comment.resolved_at = timezone.now() if resolved else None
    comment.resolved_by = as_account(user) if resolved else None
    comment.save(update_fields=["resolved_at", "resolved_by"])
    return comment


def presence_touch(*, page: Page, user: User, where: str = "") -> None:
    if not selectors.may_write(user, page):
        raise EditorRefused(_("Only the organisation's members can edit this draft."))
    where = (where or "").strip()[:40]
    if where and where not in selectors.anchors(page.get_latest_revision_as_object()):
        where = ""
    EditorPresence.objects.update_or_create(page=page, user=as_account(user),
                                            defaults={"where": where, "seen_at": timezone.now()})


def presence_leave(*, page: Page, user: User) -> None:
    EditorPresence.objects.filter(page=page, user=as_account(user)).delete()


# --- live editing (portal/editor/consumers.py) ------------------------------------------------------


def live_refusal(*, page: Page, user: User) -> str | None:
    """Why ``user`` may not write ``page`` live now, or None when they may: the same rule as a save
    (a current member; not while the draft waits for approval unless the step lets them)."""
    try:
        _require_writer(page, user)
    except EditorRefused as refused:
        return refused.message
    return None


def _live_text(draft: Page) -> str:
    return clean_rich_text(getattr(draft, selectors.live_field(draft)) or "")


@transaction.atomic
def live_open(*, page: Page) -> bytes:
    """The draft's live document as one Yjs update. Made from the latest revision the first time,
    and brought up to date when a revision was saved without live editing since (its text replaces
    the live text, as a save of the whole form always did). Serialised per draft, so two servers
    opening it at once make one document, not two copies of the text."""
    page = Page.objects.select_for_update().get(pk=page.pk).specific
    field = selectors.live_field(page)
    text = _live_text(page.get_latest_revision_as_object())
    row, created = LiveDocument.objects.get_or_create(page=page, defaults={"field": field})
    state = bytes(row.state or b"")
    if created or row.html != text or row.field != field:
        doc: Doc[Any] = Doc()
        if state and row.field == field:
            doc.apply_update(state)
        livetext.replace_from_html(doc, field, text)
        state = doc.get_update()
        row.state, row.html, row.field = state, text, field
        row.save()
    return state


@dataclass(frozen=True)
class LiveSaved:
    revision: Revision | None = None
    # For everyone in the document: a revision saved without live editing, taken into the document.
    update: bytes | None = None
    refusal: str = ""


@transaction.atomic
def live_save(*, page: Page, user: User, state: bytes) -> LiveSaved:
    """Keep the live document (merged with what is stored, so several servers never undo each
    other) and, if its text differs from the latest revision, write a revision through the same rules
    and the same coalescing as an autosave by ``user`` (the last person who typed). A draft waiting
    for approval is not changed (the document is kept; ``refusal`` says why)."""
    page = Page.objects.select_for_update().get(pk=page.pk).specific
    field = selectors.live_field(page)
    draft = page.get_latest_revision_as_object()
    text = _live_text(draft)
    row, _created = LiveDocument.objects.get_or_create(page=page, defaults={"field": field, "html": text})
    merged = merge_updates(bytes(row.state), state) if row.state else state
    doc: Doc[Any] = Doc()
    doc.apply_update(merged)
    if row.html != text:
        # Saved without live editing since the document last matched: that text wins, visibly.
        livetext.replace_from_html(doc, field, text)
        update = doc.get_update()
        row.state, row.html = update, text
        row.save()
        return LiveSaved(update=update)
    row.state = merged
    live = livetext.to_html(doc, field)
    refusal = live_refusal(page=page, user=user)
    if refusal or clean_rich_text(live) == text:
        row.save()
        return LiveSaved(refusal=refusal or "")
    try:
        live = clean_rich_text(_plain(live, _("The text")))
    except EditorRefused as refused:
        row.save()
        return LiveSaved(refusal=refused.message)
    setattr(draft, field, live)
    revision = _save(draft, user, autosave=True)
    row.html = live
    row.save()
    return LiveSaved(revision=revision)
