"""Reads for a person's workspace: what waits for them, their organisations' drafts (grouped by
hearing, with status and deadline), their organisations' position papers, their councils.

Every list goes through the visibility service (``portal.access.visibility``): nothing is listed
that the person may not open. Memberships are read through the organisations' and councils' own
selectors and models; no rule about who belongs where is written again here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from wagtail.models import Locale, Page, TaskState, WorkflowState

from portal.access.users import User, is_active_user
from portal.access.visibility import can_view, viewable_pages
from portal.councils.models import CouncilMembership, CouncilPage
from portal.hearings.models import CoSignature, HearingPage, HearingResponsePage, PublishedResponse, ResponseInput
from portal.meetings.models import MeetingPage
from portal.organisations import selectors as organisation_selectors
from portal.organisations.models import OrganisationDraftPage, OrganisationMembership, OrganisationPage
from portal.positions.models import PositionPaperPage, PublishedPositionPaper
from workflows import selectors as workflow_selectors
from workflows.models import CouncilChairApprovalTask, ModerationTask, OrganisationApprovalTask

from .registry import WaitingItem, waiting_sources


def _authenticated(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_active", False))


# --- words ------------------------------------------------------------------------------------------


def countdown(deadline: datetime.datetime | None, now: datetime.datetime | None = None) -> str:
    """Time left until a deadline in the reader's language, with proper plural forms ("12 dager
    igjen", "1 dag igjen"); empty without a deadline."""
    if deadline is None:
        return ""
    left = deadline - (now or timezone.now())
    seconds = left.total_seconds()
    if seconds <= 0:
        return _("The deadline has passed")
    if left.days >= 1:
        return ngettext("%(count)s day left", "%(count)s days left", left.days) % {"count": left.days}
    hours = int(seconds // 3600)
    if hours >= 1:
        return ngettext("%(count)s hour left", "%(count)s hours left", hours) % {"count": hours}
    return _("Less than an hour left")


@dataclass(frozen=True)
class Status:
    # "draft", "lead", "moderation", "changes", "published", "withdrawn": also the badge's CSS class.
    key: str
    label: str


def _status_words() -> dict[str, str]:
    # The same words wherever a draft's state is shown (issue #15: "Til godkjenning hos leder",
    # "Til moderering", "Publisert").
    return {
        "draft": pgettext("state of a draft", "Draft"),
        "lead": _("Waiting for the lead's approval"),
        "moderation": _("Waiting for moderation"),
        "chair": _("Waiting for the chair's approval"),
        "changes": _("Changes requested"),
        "published": _("Published"),
        "withdrawn": _("Withdrawn"),
    }


def status_of(page: Page, published: Any = None) -> Status:
    """Where a draft is on its way: in a workflow step, sent back, published (its public copy
    exists), withdrawn, or still a draft."""
    words = _status_words()
    if published is not None and published.withdrawn_at is not None:
        return Status("withdrawn", words["withdrawn"])
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return Status("changes", words["changes"])
    task_state = state.current_task_state if state is not None else None
    if task_state is not None and task_state.status == TaskState.STATUS_IN_PROGRESS:
        task = task_state.task.specific
        if isinstance(task, OrganisationApprovalTask):
            return Status("lead", words["lead"])
        if isinstance(task, ModerationTask):
            return Status("moderation", words["moderation"])
        if isinstance(task, CouncilChairApprovalTask):
            return Status("chair", words["chair"])
    if published is not None:
        return Status("published", words["published"])
    return Status("draft", words["draft"])


# --- where a draft is opened ----------------------------------------------------------------------

DraftLink = Callable[[Page, Any], "str | None"]
_draft_links: list[DraftLink] = []


def register_draft_link(link: DraftLink) -> None:
    """Let an app (the response editor) say where a draft is worked on: ``link(page, user)`` returns
    a portal URL, or None to leave it to the next one (and finally to the page itself)."""
    if link not in _draft_links:
        _draft_links.append(link)


def draft_url(page: Page, user: User) -> str:
    for link in _draft_links:
        url = link(page, user)
        if url:
            return url
    # A page that was never published in the space cannot be opened on the site yet.
    return (page.url or "") if page.live else ""


# --- what waits for me ----------------------------------------------------------------------------


def _review_label(task: Any) -> tuple[str, str]:
    if isinstance(task, OrganisationApprovalTask):
        return "approval", _("Approve as the organisation's lead")
    if isinstance(task, CouncilChairApprovalTask):
        return "chair", _("Approve as the council's chair")
    if isinstance(task, ModerationTask):
        return "moderation", _("Moderate before publication")
    return "review", _("Review")


def reviews_waiting(user: User) -> list[WaitingItem]:
    """Steps waiting for this person's decision: leads' approvals, moderation, chairs' approvals.
    Each links to the portal's comparison (or the object's own workflow page), never the admin."""
    items = []
    for entry in workflow_selectors.moderation_queue(user):
        kind, label = _review_label(entry.task_state.task.specific)
        url = entry.compare_url or entry.edit_url
        if not url or url.startswith("/admin/"):
            continue
        items.append(WaitingItem(
            kind=kind, label=label, title=entry.title, url=url, since=entry.waiting_since,
            owner=entry.owner.title if entry.owner is not None else "", obj=entry.page, reviewing=True,
        ))
    return items


def _localized(pages: list[Page]) -> dict[Any, Page]:
    """One page per translation key, in the reader's language where it exists."""
    found: dict[Any, Page] = {}
    for page in pages:
        found.setdefault(page.translation_key, page.localized)
    return found


def _memberships(user: User) -> list[OrganisationMembership]:
    if not is_active_user(user):
        return []
    return list(OrganisationMembership.objects.filter(user=user).select_related("organisation"))


def _space_q(organisations: list[OrganisationPage]) -> Q:
    """Pages inside the spaces (every language) of these organisations."""
    condition = Q(pk__in=[])
    for organisation in organisations:
        for space in organisation_selectors.spaces_of(organisation=organisation):
            condition |= Q(path__startswith=space.path)
    return condition


def _open_hearing_ids(now: datetime.datetime) -> Any:
    return HearingPage.objects.live().filter(deadline__gt=now).filter(
        Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=now)
    ).values("pk")


def input_requests_waiting(user: User) -> list[WaitingItem]:
    """Drafts of my organisations' umbrellas for open hearings that my organisation has not yet
    sent input to."""
    now = timezone.now()
    mine = [m.organisation for m in _memberships(user) if m.organisation.umbrella_id]
    items = []
    for organisation in mine:
        umbrella = organisation.umbrella
        if umbrella is None:  # mine holds only organisations with an umbrella
            continue
        drafts = HearingResponsePage.objects.filter(_space_q([umbrella]), hearing_id__in=_open_hearing_ids(now))
        answered = set(
            ResponseInput.objects.filter(
                response__in=drafts, organisation__translation_key=organisation.translation_key,
            ).values_list("response_id", flat=True)
        )
        for draft in drafts.select_related("hearing"):
            hearing = draft.hearing.localized
            if draft.pk in answered or not can_view(user, hearing):
                continue
            items.append(WaitingItem(
                kind="input",
                label=_("Input from %(organisation)s to %(umbrella)s") % {
                    "organisation": organisation.localized.title, "umbrella": umbrella.localized.title},
                title=hearing.title,
                url=hearing.url + hearing.reverse_subpage("input_view", args=(draft.pk,)),
                since=draft.first_published_at, owner=umbrella.localized.title, obj=hearing,
            ))
    return items


def cosign_requests_waiting(user: User) -> list[WaitingItem]:
    """Requests to co-sign another organisation's response, for the leads of the asked one."""
    lead = OrganisationMembership.Role.LEAD
    lead_keys = [m.organisation.translation_key for m in _memberships(user) if m.role == lead]
    if not lead_keys:
        return []
    signatures = CoSignature.objects.filter(
        organisation__translation_key__in=lead_keys, state=CoSignature.State.REQUESTED,
    ).select_related("response__hearing", "organisation")
    items = []
    for signature in signatures:
        hearing = signature.response.hearing.localized
        if not can_view(user, hearing):
            continue
        items.append(WaitingItem(
            kind="cosign",
            label=_("Co-sign as %(organisation)s") % {"organisation": signature.organisation.localized.title},
            title=hearing.title,
            url=hearing.url + hearing.reverse_subpage("cosign_view", args=(signature.pk,)),
            since=signature.created_at,
            obj=hearing,
        ))
    return items


def waiting_for(user: User) -> list[WaitingItem]:
    """Everything every registered source says waits for this person, oldest first, each checked
    once more against the visibility service."""
    if not _authenticated(user):
        return []
    items: list[WaitingItem] = []
    for source in waiting_sources().values():
        for item in source(user):
            if item.obj is not None and not item.reviewing and not can_view(user, item.obj):
                continue
            items.append(item)
    far_future = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    return sorted(items, key=lambda item: item.since or far_future)


# --- my organisations' drafts -----------------------------------------------------------------------


@dataclass
class DraftRow:
    page: Page
    title: str
    url: str
    status: Status
    organisation: str
    changed_at: datetime.datetime | None


@dataclass
class HearingGroup:
    hearing: HearingPage
    deadline_text: str
    is_open: bool
    drafts: list[DraftRow] = field(default_factory=list)


def _working_title(page: Page) -> str:
    # Members work on unpublished revisions: show the title they last saved.
    if page.has_unpublished_changes and page.latest_revision_id:
        return page.get_latest_revision_as_object().title
    return page.title


def _drafts_in_my_spaces(user: User, model: type[Page]) -> list[tuple[Page, OrganisationPage]]:
    """Pages of ``model`` in my organisations' spaces that I may see, one per translation (in my
    language where it exists), with their organisation."""
    pairs = []
    for membership in _memberships(user):
        organisation = membership.organisation
        pages = model.objects.filter(_space_q([organisation])).order_by("-latest_revision_created_at", "pk")
        language = Locale.get_active().pk
        by_key: dict[Any, Page] = {}
        for page in pages:
            current = by_key.get(page.translation_key)
            if current is None or (page.locale_id == language and current.locale_id != language):
                by_key[page.translation_key] = page
        for page in by_key.values():
            if can_view(user, page):
                pairs.append((page, organisation.localized))
    return pairs


def response_drafts(user: User, now: datetime.datetime | None = None) -> list[HearingGroup]:
    """My organisations' hearing responses grouped by hearing, open hearings first (nearest
    deadline first), then the rest (latest deadline first)."""
    now = now or timezone.now()
    pairs = _drafts_in_my_spaces(user, HearingResponsePage)
    published = {
        copy.response_id: copy
        for copy in PublishedResponse.objects.filter(response_id__in=[page.pk for page, _org in pairs])
    }
    groups: dict[Any, HearingGroup] = {}
    for page, organisation in pairs:
        hearing = HearingPage.objects.get(pk=page.hearing_id).localized
        group = groups.get(hearing.translation_key)
        if group is None:
            is_open = hearing.status_at(now) == HearingPage.Status.OPEN
            group = groups[hearing.translation_key] = HearingGroup(
                hearing=hearing, deadline_text=countdown(hearing.deadline, now) if is_open else "", is_open=is_open,
            )
        group.drafts.append(DraftRow(
            page=page, title=_working_title(page), url=draft_url(page, user),
            status=status_of(page, published.get(page.pk)), organisation=organisation.title,
            changed_at=page.latest_revision_created_at,
        ))
    open_groups = sorted((g for g in groups.values() if g.is_open), key=lambda g: g.hearing.deadline)
    others = sorted((g for g in groups.values() if not g.is_open), key=lambda g: g.hearing.deadline, reverse=True)
    return open_groups + others


def position_drafts(user: User) -> list[DraftRow]:
    pairs = _drafts_in_my_spaces(user, PositionPaperPage)
    published = {
        copy.source_id: copy
        for copy in PublishedPositionPaper.objects.filter(source_id__in=[page.pk for page, _org in pairs])
    }
    return _rows(user, pairs, published)


def other_drafts(user: User) -> list[DraftRow]:
    """Working documents in my organisations' spaces (neither responses nor position papers)."""
    return _rows(user, _drafts_in_my_spaces(user, OrganisationDraftPage), {})


def _rows(user: User, pairs: list[tuple[Page, OrganisationPage]], published: dict[Any, Any]) -> list[DraftRow]:
    rows = [
        DraftRow(page=page, title=_working_title(page), url=draft_url(page, user),
                 status=status_of(page, published.get(page.pk)), organisation=organisation.title,
                 changed_at=page.latest_revision_created_at)
        for page, organisation in pairs
    ]
    return sorted(rows, key=lambda row: row.changed_at or timezone.now(), reverse=True)


def my_organisations(user: User) -> list[dict[str, Any]]:
    rows = []
    for membership in _memberships(user):
        organisation = membership.organisation.localized
        space = organisation_selectors.space_for(organisation=organisation)
        rows.append({
            "organisation": organisation,
            "role": membership.get_role_display(),
            "space": space if space is not None and can_view(user, space) else None,
        })
    return rows


# --- my councils ------------------------------------------------------------------------------------


@dataclass
class CouncilRow:
    council: CouncilPage
    roles: list[str]
    space_url: str
    meetings: list[MeetingPage]


def my_councils(user: User, now: datetime.datetime | None = None, *, meetings_per_council: int = 3) -> list[CouncilRow]:
    """Councils I sit on now (a past member's seat gives nothing), with the private space and the
    next meetings I may see."""
    if not _authenticated(user):
        return []
    now = now or timezone.now()
    seats = CouncilMembership.objects.current().filter(user=user).select_related("council")
    by_key: dict[Any, CouncilRow] = {}
    for seat in seats:
        council = seat.council.localized
        row = by_key.get(council.translation_key)
        if row is None:
            if not can_view(user, council):
                continue
            row = by_key[council.translation_key] = CouncilRow(
                council=council, roles=[], space_url=council.space_url(), meetings=_next_meetings(
                    council, user, now, meetings_per_council),
            )
        row.roles.append(seat.get_role_display())
    return sorted(by_key.values(), key=lambda row: row.council.title)


def _next_meetings(council: CouncilPage, user: User, now: datetime.datetime, limit: int) -> list[MeetingPage]:
    councils = CouncilPage.objects.filter(translation_key=council.translation_key)
    condition = Q(pk__in=[])
    for each in councils:
        condition |= Q(path__startswith=each.path, depth=each.depth + 1)
    upcoming = viewable_pages(user, MeetingPage.objects.filter(condition)).filter(
        status=MeetingPage.Status.PLANNED, start__gte=now,
    ).order_by("start")
    return list(_localized(list(upcoming[: limit * 3])).values())[:limit]
