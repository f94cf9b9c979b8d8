"""Rules that change hearings and responses. Each runs in a transaction and raises
:class:`HearingRefused` (a translated message safe to show) when it is not allowed; a refused step
changes nothing, and a draft response is never touched by a refusal."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log

from portal.access import membership
from portal.access.grants import grant, revoke_all
from portal.access.roles import HEARING_OWNERS
from portal.access.users import User, as_account
from portal.access.visibility import can_edit_page
from portal.organisations.actions import ensure_groups
from portal.organisations.models import OrganisationPage
from portal.organisations.selectors import space_for
from portal.security.sanitising import has_text, sanitise
from portal.security.text import ascii_slug
from search.service import index_object
from workflows.actions import submit_for_moderation
from workflows.deadlines import deadline_message
from workflows.exceptions import WorkflowRefused

from . import notifications, selectors
from .models import (
    CoSignature,
    HearingFollower,
    HearingOutcome,
    HearingPage,
    HearingResponsePage,
    PublishedPart,
    PublishedResponse,
    ResponseInput,
)

INPUT_SENT = "hearings.input_sent"
INPUT_MARKED = "hearings.input_marked"
COSIGN_REQUESTED = "hearings.cosign_requested"
COSIGN_DECIDED = "hearings.cosign_decided"
# The per-object grant that lets the asked organisation's leads read the shared draft.
READ_SHARED_DRAFT = "hearings.read_shared_draft"
RESPONSE_WITHDRAWN = "hearings.response_withdrawn"
OUTCOME_PUBLISHED = "hearings.outcome_published"

MAX_INPUT_LENGTH = 10_000
MAX_REASON_LENGTH = 2_000


class HearingRefused(PermissionDenied):
    """A refused step; ``message`` is translated and safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = str(message)

    def __str__(self) -> str:
        return self.message


def _refuse_unless_open(hearing: HearingPage) -> None:
    status = hearing.status
    if status == HearingPage.Status.WITHDRAWN:
        raise HearingRefused(
            _("This hearing has been withdrawn, so nothing more can be submitted to it. Your draft has been kept.")
        )
    if status != HearingPage.Status.OPEN:
        raise HearingRefused(deadline_message(hearing.deadline))


def sanitise_html(html: str) -> str:
    """Rich text from people: only what a published response renders survives."""
    return sanitise(html)


# --- drafting ---------------------------------------------------------------------------------------


@transaction.atomic
def response_start(
    *, hearing: HearingPage, organisation: Any, user: User, another: bool = False
) -> HearingResponsePage:
    """Create the organisation's draft response in its private space: one per hearing, unless
    someone deliberately asks for another (``another=True``, after being shown the existing one)."""
    if not membership.is_member(user, organisation):
        raise HearingRefused(_("Only the organisation's members can draft its response."))
    _refuse_unless_open(hearing)
    existing = selectors.responses_in_space_for(hearing, organisation)
    if existing and not another:
        raise HearingRefused(_("Your organisation already has a draft response to this hearing."))

    local = OrganisationPage.objects.filter(
        translation_key=organisation.translation_key, locale=hearing.locale
    ).first() or organisation
    space = space_for(organisation=local) or space_for(organisation=organisation)
    if space is None:
        raise HearingRefused(_("Your organisation has no workspace yet."))
    title = _("Response: %(hearing)s") % {"hearing": hearing.title}
    slug = ascii_slug(f"svar-{hearing.slug}")[:80]
    if existing:
        # Said in the title, so nobody takes the second draft for the first.
        number = len(existing) + 1
        title = _("Response (draft %(number)s): %(hearing)s") % {"number": number, "hearing": hearing.title}
        taken = set(space.get_children().values_list("slug", flat=True))
        while f"{slug[:75]}-{number}" in taken:
            number += 1
        slug = f"{slug[:75]}-{number}"
    page = HearingResponsePage(title=title[:255], slug=slug, hearing=hearing, owner=user)
    space.add_child(instance=page)
    # Live inside the space (members read it on the site; the space's restriction keeps it
    # private). Acceptance is the workflow's approval, not this publication.
    page.save_revision(user=user, log_action=True).publish(user=user, skip_permission_checks=True)
    return page


@transaction.atomic
def response_submit(*, response: HearingResponsePage, user: User) -> Any:
    """Send the latest draft into the organisation's workflow (lead approval, then moderation).
    Refused for a closed or withdrawn hearing; the draft is kept either way."""
    draft = response.get_latest_revision_as_object()
    hearing = HearingPage.objects.get(pk=draft.hearing_id)
    _refuse_unless_open(hearing)
    errors = draft.part_errors()
    if not has_text(sanitise_html(draft.general_remarks)) and not draft.parts.all():
        errors.insert(0, _("The response says nothing yet: write general remarks or at least one part."))
    if errors:
        raise HearingRefused(" ".join(errors))
    try:
        return submit_for_moderation(page=response, user=user)
    except WorkflowRefused as refused:
        raise HearingRefused(refused.message) from refused


# --- input from member organisations ----------------------------------------------------------------


def may_send_input(user: User, response: HearingResponsePage, organisation: Any) -> bool:
    """Members of a member organisation of the response's organisation (its umbrella)."""
    umbrella = membership.organisation_of(response)
    if umbrella is None or organisation is None or not membership.is_member(user, organisation):
        return False
    umbrella_id = getattr(organisation, "umbrella_id", None)
    if umbrella_id is None:
        return False

    return OrganisationPage.objects.filter(pk=umbrella_id, translation_key=umbrella.translation_key).exists()


@transaction.atomic
def input_send(
    *, response: HearingResponsePage, organisation: Any, user: User, text: str, section_number: str = ""
) -> ResponseInput:
    if not may_send_input(user, response, organisation):
        raise HearingRefused(_("Only members of a member organisation can send input to this draft."))
    _refuse_unless_open(response.hearing)
    text = (text or "").strip()
    if not text:
        raise HearingRefused(_("Write your input before sending it."))
    if len(text) > MAX_INPUT_LENGTH:
        raise HearingRefused(_("The input is too long (at most %(max)s characters).") % {"max": MAX_INPUT_LENGTH})
    section_number = (section_number or "").strip()
    if section_number and response.hearing.section_by_number(section_number) is None:
        raise HearingRefused(
            _("Section %(number)s does not exist in this hearing.") % {"number": section_number}
        )
    item = ResponseInput.objects.create(
        response=response, organisation=organisation, author=as_account(user), text=text, section_number=section_number
    )
    log(instance=response, action=INPUT_SENT, user=user, data={"organisation": organisation.title})
    return item


@transaction.atomic
def input_mark(*, item: ResponseInput, user: User, use: str, note: str = "") -> ResponseInput:
    """The umbrella's drafters record whether an input was used."""
    if not can_edit_page(user, item.response):
        raise HearingRefused(_("Only the drafters of this response can mark its input."))
    if use not in ResponseInput.Use.values:
        raise HearingRefused(_("Choose whether the input was used."))
    if len(note or "") > MAX_REASON_LENGTH:
        raise HearingRefused(_("The note is too long (at most %(max)s characters).") % {"max": MAX_REASON_LENGTH})
    item.use, item.use_note, item.marked_by = use, (note or "").strip(), as_account(user)
    item.save(update_fields=["use", "use_note", "marked_by"])
    log(instance=item.response, action=INPUT_MARKED, user=user, data={"use": use})
    return item


# --- co-signing ---------------------------------------------------------------------------------------


@transaction.atomic
def cosign_request(*, response: HearingResponsePage, organisation: Any, user: User) -> CoSignature:
    if not can_edit_page(user, response):
        raise HearingRefused(_("Only the drafters of this response can ask others to co-sign it."))
    own = membership.organisation_of(response)
    if organisation is None or (own is not None and organisation.translation_key == own.translation_key):
        raise HearingRefused(_("Choose another organisation to co-sign."))
    if CoSignature.objects.filter(
        response=response, organisation__translation_key=organisation.translation_key
    ).exists():
        raise HearingRefused(_("That organisation has already been asked."))
    signature = CoSignature.objects.create(response=response, organisation=organisation, requested_by=as_account(user),
                                           revision=response.get_latest_revision())
    # The asked organisation's leads (whoever they are while it lasts) may read the draft as shared.
    grant(READ_SHARED_DRAFT, signature, group=ensure_groups(organisation=organisation).leads)
    log(instance=response, action=COSIGN_REQUESTED, user=user, data={"organisation": organisation.title})
    return signature


@transaction.atomic
def cosign_decide(*, signature: CoSignature, user: User, approve: bool) -> CoSignature:
    """A lead of the asked organisation approves or declines the co-signature."""
    signature = CoSignature.objects.select_for_update().select_related("organisation", "response").get(pk=signature.pk)
    if not membership.is_lead(user, signature.organisation):
        raise HearingRefused(_("Only a lead of the asked organisation can decide on co-signing."))
    if signature.state != CoSignature.State.REQUESTED:
        raise HearingRefused(_("This request has already been decided."))
    signature.state = CoSignature.State.APPROVED if approve else CoSignature.State.DECLINED
    signature.decided_by, signature.decided_at = as_account(user), timezone.now()
    signature.save(update_fields=["state", "decided_by", "decided_at"])
    if not approve:
        # A decline ends the asked organisation's access to the draft at once.
        revoke_all(READ_SHARED_DRAFT, signature)
    log(instance=signature.response, action=COSIGN_DECIDED, user=user,
        data={"organisation": signature.organisation.title, "state": signature.state})
    return signature


# --- acceptance and publication ---------------------------------------------------------------------


@transaction.atomic
def publish_copy(*, response: HearingResponsePage) -> PublishedResponse:
    """Make (or refresh) the public copy of an accepted response: its text, its parts with the
    section text they answer (so a later edit of the hearing does not change what was answered),
    and the organisations that co-signed it."""
    response = HearingResponsePage.objects.get(pk=response.pk)
    hearing = HearingPage.objects.get(pk=response.hearing_id)
    organisation = membership.organisation_of(response)
    if organisation is None:  # the copy's organisation is required: fail here, not on the database
        raise ValueError(f"Response {response.pk} is not in an organisation's space.")
    cosigners = CoSignature.objects.filter(response=response, state=CoSignature.State.APPROVED).select_related(
        "organisation"
    )
    copy, _created = PublishedResponse.objects.update_or_create(
        response=response,
        defaults={
            "hearing": hearing,
            "organisation": organisation,
            "title": response.title,
            "general_remarks": sanitise_html(response.general_remarks),
            "cosigners": "\n".join(c.organisation.title for c in cosigners),
            "accepted_at": timezone.now(),
            "withdrawn_at": None,
            # The same stored file: an upload is never overwritten (each has a directory of its own).
            "original": response.original.name or "",
        },
    )
    previous = {(p.section_number, p.sort_order): p for p in copy.parts.all()}
    copy.parts.all().delete()
    for order, part in enumerate(response.parts.all()):
        section = hearing.section_by_number(part.section_number)
        kept = previous.get((part.section_number.strip(), order))
        PublishedPart.objects.create(
            published=copy, sort_order=order, section_number=part.section_number.strip(), kind=part.kind,
            comment=part.comment, replacement=part.replacement, original=section.text if section else "",
            disposition=kept.disposition if kept else "", disposition_reason=kept.disposition_reason if kept else "",
        )
    _reindex_copy(copy)
    notifications.response_published(published=copy)
    return copy


def _reindex_copy(copy: PublishedResponse) -> None:
    """The copy was saved before its parts: index it again with them."""
    index_object(copy)


@transaction.atomic
def published_withdraw(*, published: PublishedResponse, user: User) -> PublishedResponse:
    """The organisation's lead withdraws a published response: its text leaves the public pages, a
    dated "withdrawn" marker stays."""
    if not membership.is_lead(user, published.organisation) and not getattr(user, "is_superuser", False):
        raise HearingRefused(_("Only a lead of the organisation can withdraw its response."))
    if published.withdrawn_at is not None:
        raise HearingRefused(_("This response has already been withdrawn."))
    published.withdrawn_at = timezone.now()
    published.save(update_fields=["withdrawn_at"])
    if published.response_id:
        log(instance=published.response, action=RESPONSE_WITHDRAWN, user=user)
    return published


# --- the outcome ------------------------------------------------------------------------------------


@transaction.atomic
def outcome_publish(
    *, hearing: HearingPage, user: User, summary: str, dispositions: dict[int, tuple[str, str]],
) -> HearingOutcome:
    """Conclude the hearing: record what happened to each amendment and publish the outcome."""
    if not selectors.may_see_all_responses(user):
        raise HearingRefused(_("Only hearing owners can publish the outcome."))
    if hearing.status_at() in (HearingPage.Status.DRAFT, HearingPage.Status.OPEN, HearingPage.Status.WITHDRAWN):
        raise HearingRefused(_("The outcome can be published only after the deadline has passed."))
    parts = {p.pk: p for p in selectors.amendments_for_outcome(hearing)}
    unknown = [pk for pk in dispositions if pk not in parts]
    if unknown:
        raise HearingRefused(_("Unknown amendment: %(ids)s") % {"ids": ", ".join(map(str, unknown))})
    for pk, (disposition, reason) in dispositions.items():
        if disposition not in PublishedPart.Disposition.values:
            raise HearingRefused(_("Choose a valid disposition."))
        if len(reason or "") > MAX_REASON_LENGTH:
            raise HearingRefused(_("The reason is too long (at most %(max)s characters).") % {"max": MAX_REASON_LENGTH})
        part = parts[pk]
        part.disposition, part.disposition_reason = disposition, (reason or "").strip()
        part.save(update_fields=["disposition", "disposition_reason"])
    # The outcome tells every organisation what happened to its proposals: one left undecided would
    # be published as silence. The transaction undoes the dispositions saved above.
    undecided = [part for part in parts.values() if not part.disposition]
    if undecided:
        names = "; ".join(_("%(organisation)s, section %(number)s") % {
            "organisation": p.published.organisation.title, "number": p.section_number} for p in undecided)
        raise HearingRefused(
            ngettext(
                "An amendment has no disposition yet: %(names)s. Decide it before publishing the outcome.",
                "%(count)s amendments have no disposition yet: %(names)s. Decide them before publishing the outcome.",
                len(undecided),
            ) % {"count": len(undecided), "names": names}
        )
    outcome, _created = HearingOutcome.objects.get_or_create(hearing_key=hearing.translation_key)
    was_published = outcome.published_at is not None
    outcome.summary = (summary or "").strip()
    outcome.published_at = outcome.published_at or timezone.now()
    outcome.published_by = as_account(user)
    outcome.save()
    log(instance=hearing, action=OUTCOME_PUBLISHED, user=user)
    _reindex(hearing)
    if _created or not was_published:
        notifications.outcome_published(hearing=hearing)
    return outcome


@transaction.atomic
def follow_set(*, hearing: HearingPage, user: User, follow: bool) -> bool:
    """Start or stop following a hearing (every language version of it); returns whether the user
    follows it now. Only signed-in people can follow: the e-mails go to their account."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise HearingRefused(_("Sign in to follow a hearing."))
    if follow:
        HearingFollower.objects.get_or_create(hearing_key=hearing.translation_key, user=user)
    else:
        HearingFollower.objects.filter(hearing_key=hearing.translation_key, user=user).delete()
    return follow


def _reindex(hearing: HearingPage) -> None:
    """The status facet in search follows the conclusion at once, in every language."""
    for page in HearingPage.objects.filter(translation_key=hearing.translation_key):
        index_object(page)


# --- setup ------------------------------------------------------------------------------------------

OWNER_PAGE_PERMISSIONS = ("add_page", "change_page")


def grant_hearing_owners(*, index: Any) -> None:
    """Hearing owners create and edit hearings under the hearing index (publishing goes through
    moderation). Idempotent; called by the demo loader and whenever an index is saved."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission


    group, _created = Group.objects.get_or_create(name=HEARING_OWNERS)
    for codename in OWNER_PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=index, permission=permission)
