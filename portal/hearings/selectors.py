"""Reads about hearings and responses: the public list and its filters, the hearing page, the
private response page, the owner's synthesis. Each keeps its query count independent of the number
of hearings, sections or responses (prefetching, annotations; no query per row)."""

from __future__ import annotations

import copy
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, Revision

from portal.access import generation, membership
from portal.access.roles import is_hearing_owner
from portal.access.users import User, is_active_user
from portal.access.visibility import can_edit_page, viewable_pages, with_rows
from portal.core import revisions
from portal.core.selectors import localized_pages
from portal.organisations.models import OrganisationMembership, OrganisationPage
from portal.organisations.selectors import spaces_by_organisation
from workflows import status as workflow_status

from .diff import diff_counts, diff_html
from .models import (
    CoSignature,
    HearingAttachment,
    HearingFollower,
    HearingOutcome,
    HearingPage,
    HearingResponsePage,
    HearingSection,
    PublicationPolicy,
    PublishedPart,
    PublishedResponse,
    ResponseInput,
    ResponsePart,
    concluded_q,
)

STATUS_FILTERS = workflow_status.HEARING_PUBLIC_STATUSES


# --- countdown ------------------------------------------------------------------------------------


def countdown(deadline: datetime.datetime, now: datetime.datetime | None = None) -> str:
    """Server-rendered time left until the deadline ("3 dager igjen"), or that it has passed."""
    now = now or timezone.now()
    left = deadline - now
    if left.total_seconds() <= 0:
        return _("The deadline has passed")
    days = left.days
    if days >= 2:
        return _("%(count)s days left") % {"count": days}
    if days == 1:
        return _("1 day left")
    hours = int(left.total_seconds() // 3600)
    if hours >= 2:
        return _("%(count)s hours left") % {"count": hours}
    if hours == 1:
        return _("1 hour left")
    return _("Less than an hour left")


# --- the public list ------------------------------------------------------------------------------


def hearings_under(index: Page) -> QuerySet[HearingPage]:
    return HearingPage.objects.child_of(index).annotate(has_outcome=concluded_q())


def filter_by_status(queryset: QuerySet[HearingPage], status: str, now: datetime.datetime) -> QuerySet[HearingPage]:
    """The derived status as a database filter (the same rules as HearingPage.status_at)."""
    not_withdrawn = Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=now)
    if status == "withdrawn":
        return queryset.filter(withdrawn_at__lte=now)
    queryset = queryset.filter(not_withdrawn)
    if status == "concluded":
        return queryset.filter(has_outcome=True)
    queryset = queryset.filter(has_outcome=False)
    if status == "open":
        return queryset.filter(deadline__gt=now)
    if status == "closed":
        return queryset.filter(deadline__lte=now)
    return queryset


def year_choices(index: Page, user: User) -> list[int]:
    deadlines = viewable_pages(user, HearingPage.objects.child_of(index)).values_list("deadline", flat=True)
    return sorted({timezone.localtime(value).year for value in deadlines}, reverse=True)


def owner_choices(index: Page, user: User) -> list[str]:
    owners = viewable_pages(user, HearingPage.objects.child_of(index)).values_list("owner_unit", flat=True)
    return sorted(set(owners))


def hearing_list(
    *, index: Page, user: User, status: str = "", year: int | None = None, owner: str = "",
    now: datetime.datetime | None = None,
) -> list[HearingPage]:
    now = now or timezone.now()
    queryset = viewable_pages(user, hearings_under(index))
    if status in STATUS_FILTERS:
        queryset = filter_by_status(queryset, status, now)
    if year:
        tz = timezone.get_current_timezone()
        start = datetime.datetime(year, 1, 1, tzinfo=tz)
        queryset = queryset.filter(deadline__gte=start, deadline__lt=start.replace(year=year + 1))
    if owner:
        queryset = queryset.filter(owner_unit=owner)
    hearings = list(queryset.order_by("-deadline"))
    for hearing in hearings:
        hearing.current_status = hearing.status_at(now)
        hearing.countdown = countdown(hearing.deadline, now) if hearing.current_status == "open" else ""
    # Open hearings first (soonest deadline first), then the rest, newest first.
    open_ones = sorted((h for h in hearings if h.current_status == "open"), key=lambda h: h.deadline)
    return open_ones + [h for h in hearings if h.current_status != "open"]


# --- organisations and who may do what ------------------------------------------------------------


def memberships(user: User) -> list[Any]:
    """The user's organisation memberships with their organisations (for choosing who answers)."""
    if not is_active_user(user):
        return []
    return list(OrganisationMembership.objects.filter(user=user).select_related("organisation__umbrella"))



def may_see_all_responses(user: User) -> bool:
    """Hearing owners (agency staff) read every accepted response, released or not."""
    return is_active_user(user) and is_hearing_owner(user)


def responses_in_space_for(hearing: HearingPage, organisation: Any) -> list[HearingResponsePage]:
    return responses_in_spaces_for(hearing, [organisation]).get(organisation.translation_key, [])


def responses_in_spaces_for(hearing: HearingPage, organisations: list[Any]) -> dict[Any, list[HearingResponsePage]]:
    """The drafts for this hearing (any language version) in each organisation's space, by the
    organisation's translation key: one query for all of them (where the spaces are is cached)."""
    spaces = spaces_by_organisation({organisation.translation_key for organisation in organisations})
    if not spaces:
        return {}
    condition = Q(pk__in=[])
    for own in spaces.values():
        for space in own:
            condition |= Q(path__startswith=space.path)
    keys = HearingPage.objects.filter(translation_key=hearing.translation_key).values("pk")
    found: dict[Any, list[HearingResponsePage]] = {}
    for draft in HearingResponsePage.objects.filter(condition, hearing_id__in=keys).order_by("pk"):
        for key, own in spaces.items():
            if any(draft.path.startswith(space.path) for space in own):
                found.setdefault(key, []).append(draft)
    return found


# --- the public hearing page ----------------------------------------------------------------------


@dataclass
class ShownPart:
    part: Any
    section: HearingSection | None
    diff: Any = None
    removed: int = 0
    added: int = 0


@dataclass
class ShownResponse:
    response: PublishedResponse
    parts: list[ShownPart] = field(default_factory=list)
    organisation: Any = None  # the response's organisation in the page's language, set once all are known


def show_parts(parts: list[Any], sections: dict[str, HearingSection], *, original_from_part: bool) -> list[ShownPart]:
    shown = []
    for part in parts:
        section = sections.get(part.section_number.strip())
        item = ShownPart(part=part, section=section)
        if part.kind == ResponsePart.Kind.AMENDMENT:
            original = part.original if original_from_part else (section.text if section else "")
            item.diff = diff_html(original, part.replacement)
            item.removed, item.added = diff_counts(original, part.replacement)
        shown.append(item)
    return shown


def published_responses(hearing: HearingPage) -> QuerySet[PublishedResponse]:
    """Every accepted response to any language version of the hearing, parts prefetched."""
    return (
        PublishedResponse.objects.filter(hearing__translation_key=hearing.translation_key)
        .select_related("organisation", "hearing")
        .prefetch_related(Prefetch("parts", queryset=PublishedPart.objects.order_by("sort_order", "pk")))
        .order_by("accepted_at", "pk")
    )


def visible_responses(
    hearing: HearingPage, user: User, now: datetime.datetime | None = None
) -> list[PublishedResponse]:
    """Accepted responses this user may read on the hearing page: all of them once released by the
    hearing's policy; before that only the hearing owners' and each organisation's own."""
    responses = list(published_responses(hearing))
    if hearing.responses_released(now) or may_see_all_responses(user):
        return responses
    keys = {m.organisation.translation_key for m in memberships(user)}
    return [r for r in responses if r.organisation.translation_key in keys]


def hearing_page_context(*, hearing: HearingPage, user: User, now: datetime.datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    sections = list(hearing.sections.all())
    by_number = {s.number.strip(): s for s in sections}
    responses = visible_responses(hearing, user, now)
    shown = [
        ShownResponse(response=r, parts=show_parts(list(r.parts.all()), by_number, original_from_part=True))
        for r in responses
    ]
    organisations = localized_pages({r.organisation for r in responses})
    names = {o.translation_key: o for o in organisations}
    for item in shown:
        item.organisation = names.get(item.response.organisation.translation_key, item.response.organisation)
    outcome = HearingOutcome.objects.filter(hearing_key=hearing.translation_key, published_at__isnull=False).first()
    # Whether it is concluded, as ``concluded_q`` annotates it: the status here and in the template
    # need not ask again.
    hearing.has_outcome = outcome is not None
    status = hearing.status_at(now)
    standing = [item for item in shown if item.response.withdrawn_at is None]
    answered = {item.response.organisation.translation_key for item in standing}
    if outcome is not None:
        # What the agency decided about each section, beside the section it answers.
        decided: dict[str, list[Any]] = defaultdict(list)
        for item in standing:
            for part in item.parts:
                if part.part.disposition:
                    decided[part.part.section_number.strip()].append({"organisation": item.organisation,
                                                                      "part": part.part})
        for section in sections:
            section.outcome_parts = decided.get(section.number.strip(), [])
    context: dict[str, Any] = {
        "sections": sections,
        "attachments": list(
            HearingAttachment.objects.filter(page=hearing).select_related("document").order_by("sort_order")
        ),
        # Listed before and after the deadline (a concluded hearing keeps its consulted bodies), each
        # with whether it has answered.
        "consulted": [
            {"organisation": organisation, "answered": organisation.translation_key in answered}
            for organisation in localized_pages(hearing.consulted_organisations.live().order_by("title"))
        ],
        "consulted_other": hearing.consulted_other_list(),
        "response_count": len(standing),
        "sent_out": hearing.sent_out or (
            timezone.localtime(hearing.first_published_at).date() if hearing.first_published_at else None
        ),
        "follows": is_active_user(user) and HearingFollower.objects.filter(
            hearing_key=hearing.translation_key, user=user).exists(),
        "current_status": status,
        "countdown": countdown(hearing.deadline, now) if status == "open" else "",
        "responses": shown,
        "released": hearing.responses_released(now),
        "waiting_release": (
            hearing.publication_policy == PublicationPolicy.AT_DEADLINE and not hearing.responses_released(now)
        ),
        "outcome": outcome,
        "is_owner": may_see_all_responses(user),
        # A response on the portal is published, never "approved" (a reader would take that to mean
        # the agency agreed): the workflows' word for it.
        "published_label": workflow_status.Status(workflow_status.PUBLISHED).label,
    }
    context.update(participation(hearing=hearing, user=user, status=status))
    return context


def published_response_context(*, hearing: HearingPage, published: PublishedResponse) -> dict[str, Any]:
    """A published response on its own page: its organisation in the reader's language, its parts
    beside the section text they answered, and the hearing it belongs to."""
    by_number = {s.number.strip(): s for s in hearing.sections.all()}
    organisation = localized_pages([published.organisation])[0]
    return {
        "published": published,
        "organisation": organisation,
        "parts": show_parts(list(published.parts.all()), by_number, original_from_part=True),
        "published_label": workflow_status.Status(workflow_status.PUBLISHED).label,
        "withdrawn_label": workflow_status.Status(workflow_status.WITHDRAWN).label,
    }


def followers(hearing: HearingPage) -> list[Any]:
    """Who follows any language version of the hearing (active accounts), one query."""
    return [
        follower.user for follower in HearingFollower.objects.filter(
            hearing_key=hearing.translation_key, user__is_active=True).select_related("user").order_by("pk")
    ]


def participation(*, hearing: HearingPage, user: User, status: str) -> dict[str, Any]:
    """What the signed-in person can do on the hearing page: start or open their organisation's
    draft, send input to their umbrella's draft, decide co-signature requests."""
    if not is_active_user(user):
        return {"drafting": [], "input_targets": [], "cosign_requests": []}
    mine = memberships(user)
    # Umbrellas of the organisations the user belongs to, in the hearing's language (read with the
    # memberships; a query only for those in another language).
    umbrella_keys = {own.organisation.umbrella.translation_key for own in mine if own.organisation.umbrella}
    umbrellas = [own.organisation.umbrella for own in mine if own.organisation.umbrella
                 and own.organisation.umbrella.locale_id == hearing.locale_id]
    elsewhere = umbrella_keys - {umbrella.translation_key for umbrella in umbrellas}
    if elsewhere:
        umbrellas.extend(OrganisationPage.objects.filter(translation_key__in=elsewhere, locale_id=hearing.locale_id))
    umbrellas = list({umbrella.translation_key: umbrella for umbrella in umbrellas}.values())
    # Every organisation's and umbrella's drafts for this hearing in one query.
    drafts = responses_in_spaces_for(hearing, [own.organisation for own in mine] + umbrellas)
    drafting = [
        {"organisation": own.organisation, "drafts": drafts.get(own.organisation.translation_key, []),
         "can_start": status == "open"}
        for own in mine
    ]
    input_targets = [
        {"umbrella": umbrella, "response": draft}
        for umbrella in umbrellas for draft in drafts.get(umbrella.translation_key, [])
    ]
    lead_roles = membership.group_kind(membership.ORGANISATION).lead_roles
    lead_keys = [m.organisation.translation_key for m in mine if m.role in lead_roles]
    cosign_requests = list(
        CoSignature.objects.filter(
            organisation__translation_key__in=lead_keys, state=CoSignature.State.REQUESTED,
            response__hearing__translation_key=hearing.translation_key,
        ).select_related("response", "organisation")
    )
    return {"drafting": drafting, "input_targets": input_targets, "cosign_requests": cosign_requests}


# --- the private response page --------------------------------------------------------------------


def working_copy(response: HearingResponsePage, user: User) -> HearingResponsePage:
    """The latest saved draft for those who may edit it (members work on unpublished revisions);
    the page as it is for everyone else."""
    if can_edit_page(user, response) and response.latest_revision_id:
        # The revision's content on top of the page already loaded (what Wagtail's
        # get_latest_revision_as_object does, without loading the page a second time through the
        # revision's generic relation), its references checked in one query per model.
        content = Revision.objects.filter(pk=response.latest_revision_id).values_list("content", flat=True).first()
        if content is None:
            return response
        latest = revisions.with_content(response, content)
        latest.pk = response.pk
        return latest
    return response


def _organisation_of(response: HearingResponsePage) -> Any:
    """The organisation whose space holds the response (membership.organisation_of): where a page
    stands is content, so it is looked up once per content generation for each parent page; the
    response's parent (its space) comes along from the cached spaces, for Wagtail's working copy."""
    parent_path = response.path[: -Page.steplen]
    found = generation.cached("response-organisation", (parent_path,), lambda: membership.organisation_of(response))
    if found is None:
        return None
    organisation = copy.copy(found)
    for space in spaces_by_organisation({organisation.translation_key}).get(organisation.translation_key, []):
        if space.path == parent_path:
            # Treebeard's cache of the parent: Wagtail's with_content_json reads it for the URL path.
            response._cached_parent_obj = space
    return organisation


def _attach_sections(hearing: HearingPage) -> None:
    """The hearing's sections as if prefetched (``hearing.sections.all()`` asks no query). They are
    the published hearing's text, the same for every reader: read once per content generation
    (a publish or any saved section advances it)."""
    rows = generation.cached("hearing-sections", (hearing.pk,),
                             lambda: list(HearingSection.objects.filter(page_id=hearing.pk)))
    sections = [copy.copy(section) for section in rows]
    for section in sections:
        section.page = hearing
    hearing._prefetched_objects_cache = {
        "sections": with_rows(HearingSection.objects.filter(page=hearing), sections),
    }


def response_page_context(*, response: HearingResponsePage, user: User, request: Any = None) -> dict[str, Any]:
    organisation = _organisation_of(response)
    draft = working_copy(response, user)
    # Sections as if prefetched: the parts are shown and checked against them (two reads, no query).
    hearing = HearingPage.objects.annotate(has_outcome=concluded_q()).get(pk=draft.hearing_id)
    _attach_sections(hearing)
    # Read once: the status words, the history's reviewer check and the template all ask for it
    # (Wagtail's property queries on every access unless the states are prefetched).
    state = response.current_workflow_state
    response._current_workflow_states = [state] if state is not None else []
    draft.hearing = hearing
    sections = {s.number.strip(): s for s in hearing.sections.all()}
    inputs = list(
        ResponseInput.objects.filter(response=response).select_related("organisation", "author", "marked_by")
    )
    published_copy = PublishedResponse.objects.filter(response=response).first()
    cosignatures = list(CoSignature.objects.filter(response=response).select_related("organisation"))
    return {
        "draft": draft,
        "hearing": hearing,
        "hearing_status": hearing.status,
        "organisation": organisation,
        "parts": show_parts(list(draft.parts.all()), sections, original_from_part=False),
        "inputs": inputs,
        "input_uses": ResponseInput.Use.choices,
        "cosignatures": cosignatures,
        "cosign_candidates": cosign_candidates(response, organisation, cosignatures=cosignatures),
        "can_edit": can_edit_page(user, response),
        "published_copy": published_copy,
        "workflow_state": state,
        # The same status words as the editor and the workspace, from the public copy read above.
        "workflow_status": workflow_status.status_of(
            response,
            published=published_copy is not None and published_copy.withdrawn_at is None
            and not response.has_unpublished_changes,
            withdrawn=published_copy is not None and published_copy.withdrawn_at is not None,
        ),
        "part_errors": draft.part_errors(),
    }


@dataclass
class SharedVersion:
    """One version of a draft as shown on the co-sign page."""

    label: str
    draft: Any
    parts: list[Any]


def accepted_revisions(response: HearingResponsePage) -> QuerySet[Any]:
    """Revisions of the response its workflow approved (lead, then moderator), newest first."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Revision, TaskState, WorkflowState

    states = TaskState.objects.filter(
        status=TaskState.STATUS_APPROVED,
        workflow_state__status=WorkflowState.STATUS_APPROVED,
        workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
        workflow_state__object_id=str(response.pk),
    )
    return Revision.objects.filter(pk__in=states.values("revision_id")).order_by("-created_at", "-pk")


def shared_versions(signature: CoSignature, hearing: HearingPage) -> list[SharedVersion]:
    """What the co-sign page shows: the draft as it was when the organisation was asked and, once
    it has agreed to co-sign, the latest version accepted since. Never the drafts in between."""
    from django.utils.formats import date_format

    sections = {s.number.strip(): s for s in hearing.sections.all()}
    revisions = []
    if signature.revision is not None:
        revisions.append((_("As shared when you were asked (%(date)s)"), signature.revision))
    if signature.state == CoSignature.State.APPROVED:
        accepted = accepted_revisions(signature.response)
        if signature.revision is not None:
            accepted = accepted.filter(created_at__gt=signature.revision.created_at)
        if (latest := accepted.first()) is not None:
            revisions.append((_("Accepted version (%(date)s)"), latest))
    versions = []
    for label, revision in revisions:
        draft = revision.as_object()
        when = date_format(timezone.localtime(revision.created_at), "SHORT_DATETIME_FORMAT")
        versions.append(SharedVersion(
            label=label % {"date": when}, draft=draft,
            parts=show_parts(list(draft.parts.all()), sections, original_from_part=False),
        ))
    return versions


def _live_organisations(locale_id: int) -> list[OrganisationPage]:
    """Every live organisation in a language by title: content, read once per content generation."""
    return generation.cached("live-organisations", (locale_id,), lambda: list(
        OrganisationPage.objects.live().filter(locale_id=locale_id).order_by("title")))


def cosign_candidates(response: HearingResponsePage, organisation: Any,
                      cosignatures: list[CoSignature] | None = None) -> list[Any]:
    """Organisations that may be asked to co-sign: every other live organisation in the response's
    organisation's language not asked yet (``cosignatures``: the response's requests, if read)."""
    if organisation is None:
        return []
    if cosignatures is None:
        cosignatures = list(CoSignature.objects.filter(response=response).select_related("organisation"))
    taken = {signature.organisation.translation_key for signature in cosignatures}
    return [
        copy.copy(candidate) for candidate in _live_organisations(organisation.locale_id)
        if candidate.translation_key != organisation.translation_key and candidate.translation_key not in taken
    ]


# --- the owner's synthesis ------------------------------------------------------------------------


@dataclass
class SectionSynthesis:
    section: HearingSection | None
    number: str
    parts: list[ShownPart] = field(default_factory=list)
    comments: int = 0
    amendments: int = 0


def synthesis(*, hearing: HearingPage, organisation_key: str = "") -> dict[str, Any]:
    """Per section, every accepted (not withdrawn) response's comments and amendments side by side,
    with counts, and the general remarks. Optionally only one organisation's."""
    responses = [r for r in published_responses(hearing) if r.withdrawn_at is None]
    all_organisations = sorted({r.organisation for r in responses}, key=lambda o: o.title)
    if organisation_key:
        responses = [r for r in responses if str(r.organisation.translation_key) == organisation_key]
    sections = list(hearing.sections.all())
    by_number = {s.number.strip(): s for s in sections}
    rows: dict[str, SectionSynthesis] = {
        s.number.strip(): SectionSynthesis(section=s, number=s.number.strip()) for s in sections
    }
    grouped: dict[str, list[Any]] = defaultdict(list)
    for response in responses:
        for part in response.parts.all():
            part.response = response
            grouped[part.section_number.strip()].append(part)
    for number, parts in grouped.items():
        row = rows.setdefault(number, SectionSynthesis(section=None, number=number))
        row.parts = show_parts(parts, by_number, original_from_part=True)
        row.comments = sum(1 for p in parts if p.kind == ResponsePart.Kind.COMMENT)
        row.amendments = sum(1 for p in parts if p.kind == ResponsePart.Kind.AMENDMENT)
    return {
        "rows": list(rows.values()),
        "responses": responses,
        "organisations": all_organisations,
        "total_comments": sum(r.comments for r in rows.values()),
        "total_amendments": sum(r.amendments for r in rows.values()),
    }


def amendments_for_outcome(hearing: HearingPage) -> list[PublishedPart]:
    return list(
        PublishedPart.objects.filter(
            published__hearing__translation_key=hearing.translation_key,
            published__withdrawn_at__isnull=True,
            kind=ResponsePart.Kind.AMENDMENT,
        ).select_related("published__organisation").order_by("published__accepted_at", "sort_order", "pk")
    )
