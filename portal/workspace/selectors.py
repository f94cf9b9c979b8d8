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

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from wagtail.models import Locale, Page, TaskState, WorkflowState

from portal.access import generation
from portal.access.users import User, is_active_user, memo
from portal.access.visibility import can_view, viewable_pages
from portal.core.selectors import in_active_language, localized_pages
from portal.councils.models import CouncilMembership, CouncilPage
from portal.hearings.models import (
    CoSignature,
    HearingPage,
    HearingResponsePage,
    ResponseInput,
    concluded_q,
)
from portal.meetings.models import MeetingPage
from portal.organisations import selectors as organisation_selectors
from portal.organisations.models import (
    OrganisationDraftPage,
    OrganisationMembership,
    OrganisationPage,
    OrganisationSpacePage,
)
from portal.positions.models import PositionPaperPage
from workflows import selectors as workflow_selectors
from workflows.models import CouncilChairApprovalTask, ModerationTask, OrganisationApprovalTask

from .registry import WaitingItem, waiting_sources

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
        # The task's class from its (cached) content type: no query for the specific row.
        task_class = task_state.task.specific_class
        if task_class is not None and issubclass(task_class, OrganisationApprovalTask):
            return Status("lead", words["lead"])
        if task_class is not None and issubclass(task_class, ModerationTask):
            return Status("moderation", words["moderation"])
        if task_class is not None and issubclass(task_class, CouncilChairApprovalTask):
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


def _memberships(user: User) -> list[OrganisationMembership]:
    """The person's organisation memberships, read once per request (every section asks)."""
    if not is_active_user(user):
        return []
    return memo(user, "workspace:organisation-memberships", lambda: list(
        OrganisationMembership.objects.filter(user=user).select_related("organisation", "organisation__umbrella")
    ))


def _spaces(user: User) -> dict[Any, list[OrganisationSpacePage]]:
    """The spaces (every language) of the person's organisations and of their umbrellas, by
    organisation translation key: two queries for all of them, once per request."""
    organisations = [membership.organisation for membership in _memberships(user)]
    keys = {org.translation_key for org in organisations}
    keys |= {org.umbrella.translation_key for org in organisations if org.umbrella is not None}
    return memo(user, "workspace:spaces", lambda: organisation_selectors.spaces_by_organisation(keys))


def _my_spaces(user: User) -> dict[Any, list[OrganisationSpacePage]]:
    """The spaces (every language) of the person's own organisations, by organisation translation key."""
    mine = {membership.organisation.translation_key for membership in _memberships(user)}
    return {key: spaces for key, spaces in _spaces(user).items() if key in mine}


def _inside(spaces: list[OrganisationSpacePage]) -> Q:
    """Pages inside these spaces."""
    condition = Q(pk__in=[])
    for space in spaces:
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
    mine = [m.organisation for m in _memberships(user) if m.organisation.umbrella is not None]
    if not mine:
        return []
    umbrella_keys = {org.umbrella.translation_key for org in mine if org.umbrella is not None}
    umbrella_spaces = {key: spaces for key, spaces in _spaces(user).items() if key in umbrella_keys}
    # Every umbrella's drafts for open hearings in one query, each knowing which of my organisations
    # (a person belongs to a few) already sent input to it.
    sent = {
        f"sent_{number}": Exists(ResponseInput.objects.filter(
            response=OuterRef("pk"), organisation__translation_key=org.translation_key))
        for number, org in enumerate(mine)
    }
    all_drafts = list(
        HearingResponsePage.objects.filter(
            _inside([space for spaces in umbrella_spaces.values() for space in spaces]),
            hearing_id__in=_open_hearing_ids(now),
        ).select_related("hearing").annotate(**sent).order_by("path")
    )
    answered = {
        (draft.pk, org.translation_key)
        for draft in all_drafts for number, org in enumerate(mine) if getattr(draft, f"sent_{number}")
    }
    items = []
    for organisation in mine:
        umbrella = organisation.umbrella
        if umbrella is None:  # mine holds only organisations with an umbrella
            continue
        spaces = umbrella_spaces.get(umbrella.translation_key, [])
        drafts = [draft for draft in all_drafts if any(draft.path.startswith(space.path) for space in spaces)]
        hearings = dict(zip([draft.pk for draft in drafts], localized_pages(draft.hearing for draft in drafts),
                            strict=True))
        for draft in drafts:
            hearing = hearings[draft.pk]
            if (draft.pk, organisation.translation_key) in answered or not can_view(user, hearing):
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
    if not is_active_user(user):
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
    # Members work on unpublished revisions: show the title they last saved (Wagtail keeps the
    # latest revision's title in ``draft_title``, so no revision is loaded for it).
    if page.has_unpublished_changes and page.latest_revision_id:
        return page.draft_title or page.title
    return page.title


def _drafts_in_my_spaces(user: User, model: type[Page]) -> list[tuple[Page, OrganisationPage]]:
    """Pages of ``model`` in my organisations' spaces that I may see, one per translation (in my
    language where it exists), with their organisation: one query for every organisation (with the
    pages' workflow states), whatever the number of drafts or memberships."""
    memberships = _memberships(user)
    spaces_by_key = _my_spaces(user)
    pages = _pages_in_my_spaces(user).get(model, [])
    if not pages:
        return []
    organisations = dict(zip(
        [membership.organisation.translation_key for membership in memberships],
        localized_pages(membership.organisation for membership in memberships), strict=True,
    ))
    language = Locale.get_active().pk
    pairs = []
    for membership in memberships:
        key = membership.organisation.translation_key
        own = spaces_by_key.get(key, [])
        by_key: dict[Any, Page] = {}
        for page in pages:
            if not any(page.path.startswith(space.path) for space in own):
                continue
            current = by_key.get(page.translation_key)
            if current is None or (page.locale_id == language and current.locale_id != language):
                by_key[page.translation_key] = page
        for page in by_key.values():
            if can_view(user, page):
                pairs.append((page, organisations[key]))
    return pairs


_DRAFT_MODELS: tuple[type[Page], ...] = (HearingResponsePage, PositionPaperPage, OrganisationDraftPage)


def _pages_in_my_spaces(user: User) -> dict[type[Page], list[Page]]:
    """Every draft-like page in my organisations' spaces, by type, newest work first, each knowing
    its active workflow state: one query per type and one for all the workflow states, per request."""
    def compute() -> dict[type[Page], list[Page]]:
        spaces = [space for spaces in _my_spaces(user).values() for space in spaces]
        if not spaces:
            return {}
        found = {
            model: list(_with_related(model, model.objects.filter(_inside(spaces)))
                        .order_by("-latest_revision_created_at", "pk"))
            for model in _DRAFT_MODELS
        }
        _attach_workflow_states([page for pages in found.values() for page in pages])
        return found

    return memo(user, "workspace:draft-pages", compute)


def _with_related(model: type[Page], pages: Any) -> Any:
    """What the workspace shows beside each draft, read with it: a response's hearing (whether it is
    concluded) and public copy, a position paper's public copy."""
    if model is HearingResponsePage:
        return pages.select_related("hearing", "published_copy").annotate(
            hearing_has_outcome=concluded_q("hearing__translation_key"))
    if model is PositionPaperPage:
        return pages.select_related("published_copy")
    return pages


def _published_copy(page: Page) -> Any:
    """The public copy read with the draft (``_with_related``), or None."""
    try:
        return page.published_copy
    except ObjectDoesNotExist:
        return None


def _attach_workflow_states(pages: list[Page]) -> None:
    """What Wagtail's ``prefetch_workflow_states`` does for a queryset of base pages, for pages of
    several types at once (Wagtail's prefetch on a queryset of one page type matches nothing: its
    relation compares the base content type with the page type's own)."""
    if not pages:
        return
    states: dict[str, list[WorkflowState]] = {}
    for state in (
        WorkflowState.objects.active()
        .filter(base_content_type=ContentType.objects.get_for_model(Page), object_id__in=[str(p.pk) for p in pages])
        .select_related("current_task_state__task")
    ):
        states.setdefault(state.object_id, []).append(state)
    for page in pages:
        page._current_workflow_states = states.get(str(page.pk), [])


def _hearings(pages: list[HearingResponsePage]) -> dict[int, HearingPage]:
    """The drafts' hearings (read with them) by id, each in the reader's language where it exists,
    knowing whether they are concluded: no query when they are in the reader's language."""
    hearings = list({page.hearing_id: page.hearing for page in pages}.values())
    concluded = {page.hearing_id: page.hearing_has_outcome for page in pages}
    found = {}
    for hearing, localized in zip(hearings, localized_pages(hearings), strict=True):
        # Whether a hearing is concluded is a property of every language version alike.
        localized.has_outcome = concluded[hearing.pk]
        found[hearing.pk] = localized
    return found


def response_drafts(user: User, now: datetime.datetime | None = None) -> list[HearingGroup]:
    """My organisations' hearing responses grouped by hearing, open hearings first (nearest
    deadline first), then the rest (latest deadline first)."""
    now = now or timezone.now()
    pairs = _drafts_in_my_spaces(user, HearingResponsePage)
    published = {page.pk: _published_copy(page) for page, _org in pairs}
    hearings = _hearings([page for page, _org in pairs])
    groups: dict[Any, HearingGroup] = {}
    for page, organisation in pairs:
        hearing = hearings[page.hearing_id]
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
    published = {page.pk: _published_copy(page) for page, _org in pairs}
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
    memberships = _memberships(user)
    spaces_by_key = _my_spaces(user)
    for membership, organisation in zip(memberships, localized_pages(m.organisation for m in memberships),
                                        strict=True):
        # The space in the organisation page's language, as its own page links to.
        space = next((space for space in spaces_by_key.get(organisation.translation_key, [])
                      if space.path[: -Page.steplen] == organisation.path), None)
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
    if not is_active_user(user):
        return []
    now = now or timezone.now()
    seats = list(CouncilMembership.objects.current().filter(user=user).select_related("council"))
    by_key: dict[Any, CouncilRow] = {}
    for seat, council in zip(seats, localized_pages(seat.council for seat in seats), strict=True):
        row = by_key.get(council.translation_key)
        if row is None:
            if not can_view(user, council):
                continue
            row = by_key[council.translation_key] = CouncilRow(
                council=council, roles=[], space_url=council.space_url(), meetings=[],
            )
        row.roles.append(seat.get_role_display())
    _add_next_meetings(list(by_key.values()), user, now, meetings_per_council)
    return sorted(by_key.values(), key=lambda row: row.council.title)


def _add_next_meetings(rows: list[CouncilRow], user: User, now: datetime.datetime, limit: int) -> None:
    """The next planned meetings I may see of every council at once (two queries, however many
    councils), each meeting in my language where it exists."""
    if not rows:
        return
    keys = sorted({str(row.council.translation_key) for row in rows})

    def versions() -> list[tuple[str, int, Any]]:
        versions = CouncilPage.objects.filter(translation_key__in=keys)
        return list(versions.values_list("path", "depth", "translation_key"))

    # Where the councils' language versions stand is content: once per content generation.
    council_key: dict[str, Any] = {}
    condition = Q(pk__in=[])
    for path, depth, key in generation.cached("council-versions", tuple(keys), versions):
        council_key[path] = key
        condition |= Q(path__startswith=path, depth=depth + 1)
    upcoming = viewable_pages(user, MeetingPage.objects.filter(condition)).filter(
        status=MeetingPage.Status.PLANNED, start__gte=now,
    ).order_by("start", "pk")
    by_council: dict[Any, list[MeetingPage]] = {}
    for meeting in upcoming:
        by_council.setdefault(council_key.get(meeting.path[: -MeetingPage.steplen]), []).append(meeting)
    for row in rows:
        # Every language version of a meeting is a child of the council's version in that language.
        row.meetings = list(in_active_language(by_council.get(row.council.translation_key, [])).values())[:limit]
