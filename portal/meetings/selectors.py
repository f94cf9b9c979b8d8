"""Reads for meetings and minutes: who belongs to a council, what a viewer may see of a meeting,
the public archive, feeds and the trail of a case across councils."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from portal.access import generation, membership
from portal.access.users import User, is_active_user, is_superuser
from portal.access.visibility import can_view, viewable_pages
from portal.core.selectors import localized_pages
from portal.councils.models import CouncilMembership, CouncilPage

from .models import AgendaItem, Attendance, CaseReferral, MeetingPage, Minutes

# --- council roles ----------------------------------------------------------------------------------


def council_roles(*, user: User, council: Page | None) -> frozenset[str]:
    """The user's current roles on the council (any language version of it), remembered on the user
    object for the rest of the request: a meeting page asks several times."""
    if council is None or not is_active_user(user):
        return frozenset()
    cache = user.__dict__.setdefault("_meetings_roles", {})
    key = council.translation_key
    if key not in cache:
        cache[key] = membership.roles(user, council)
    return cache[key]


def is_council_member(*, user: User, council: Page | None) -> bool:
    return is_superuser(user) or bool(council_roles(user=user, council=council))


def is_secretary(*, user: User, council: Page | None) -> bool:
    kind = membership.group_kind(membership.COUNCIL)
    return is_superuser(user) or bool(kind.manager_roles & council_roles(user=user, council=council))


def is_chair(*, user: User, council: Page | None) -> bool:
    kind = membership.group_kind(membership.COUNCIL)
    return is_superuser(user) or bool(kind.lead_roles & council_roles(user=user, council=council))


def may_manage(*, user: User, council: Page | None) -> bool:
    """Secretaries and chairs plan meetings, refer cases and draft minutes."""
    return is_secretary(user=user, council=council) or is_chair(user=user, council=council)


# --- meetings and minutes ----------------------------------------------------------------------------


def minutes_for(*, meeting: Page) -> Minutes | None:
    """The minutes of a meeting, in whichever language version of the meeting they were written."""
    return (
        Minutes.objects.filter(meeting__translation_key=meeting.translation_key)
        .select_related("meeting").first()
    )


def published_minutes_for(*, meeting: Page) -> Minutes | None:
    """The approved minutes: the row of live minutes holds exactly the approved (live) text; a
    correction in progress lives in a revision and is not read here."""
    minutes = minutes_for(meeting=meeting)
    return minutes if minutes is not None and minutes.is_published else None


def can_view_minutes(*, user: User, minutes: Minutes) -> bool:
    return minutes.is_published or is_council_member(user=user, council=minutes.meeting.council)


def sees_confidential(*, user: User, meeting: MeetingPage) -> bool:
    return is_council_member(user=user, council=meeting.council)


@dataclass
class ItemView:
    """One agenda item as a given viewer may see it."""

    item: AgendaItem
    hidden: bool
    entry: Any = None
    referrals: list[dict[str, Any]] = field(default_factory=list)
    origin: dict[str, Any] | None = None


def _meeting_links(meetings: list[MeetingPage]) -> dict[int, dict[str, Any]]:
    """Each meeting (by id) in the reader's language, with its council's title and its URL: two
    queries at most for all of them (a meeting's translation and its parent were a query each)."""
    unique = list({meeting.pk: meeting for meeting in meetings}.values())
    if not unique:
        return {}
    localized = localized_pages(unique)
    parents = {page.path: page for page in Page.objects.filter(
        path__in={meeting.path[: -meeting.steplen] for meeting in localized})}
    links = {}
    for meeting, local in zip(unique, localized, strict=True):
        council = parents.get(local.path[: -local.steplen])
        links[meeting.pk] = {"meeting": local, "council_title": council.title if council else "", "url": local.url}
    return links


def _localized_councils(pages: list[CouncilPage]) -> dict[int, Page]:
    """Each council (by id) in the reader's language, in one query for all of them at most."""
    unique = list({page.pk: page for page in pages}.values())
    return {page.pk: local for page, local in zip(unique, localized_pages(unique), strict=True)}


def _taken_up(referral: CaseReferral, user: User | None) -> list[AgendaItem]:
    return [item for item in referral.taken_up_items.all() if can_view(user or AnonymousUser(), item.page)]


def referral_public_view(referral: CaseReferral, user: User | None = None, *,
                         links: dict[int, dict[str, Any]] | None = None,
                         councils: dict[int, Page] | None = None) -> dict[str, Any]:
    """What anyone may know about a referral: where it went, when, and where it was taken up (the
    referral comes with its councils and taken-up items, see ``_REFERRALS``; ``links`` and
    ``councils``: the meetings and councils worked out for a whole list of referrals at once)."""
    taken_up = _taken_up(referral, user)
    if links is None:
        links = _meeting_links([item.page for item in taken_up])
    if councils is None:
        councils = _localized_councils([referral.to_council, referral.from_council])
    return {"referral": referral, "to_council": councils[referral.to_council_id], "date": referral.created_at,
            "from_council": councils[referral.from_council_id],
            "taken_up": [{"item": item, **links[item.page_id]} for item in taken_up]}


# Each agenda item's referrals with what a public view of them shows: two queries for all items of a
# meeting, not two per item.
_REFERRALS = Prefetch(
    "referrals",
    queryset=CaseReferral.objects.select_related("to_council", "from_council").prefetch_related(
        Prefetch("taken_up_items", queryset=AgendaItem.objects.select_related("page"))),
)


def item_views(*, meeting: MeetingPage, user: User, minutes: Minutes | None,
               full: bool | None = None) -> list[ItemView]:
    """``full``: whether the viewer sees confidential items, when the caller knows already (whether
    they are a member of the meeting's council)."""
    if full is None:
        full = sees_confidential(user=user, meeting=meeting)
    entries = {}
    if minutes is not None and can_view_minutes(user=user, minutes=minutes):
        # The row: the live text once approved (or the draft, for members, before that).
        for entry in minutes.entries.select_related("agenda_item"):
            entries[entry.agenda_item.sort_order, entry.agenda_item.number] = entry
    items = list(meeting.agenda_items.select_related(
        "referred_from__item__page", "referred_from__from_council", "raised_by_organisation",
    ).prefetch_related(_REFERRALS))
    # The meetings and councils every item links to, each in the reader's language, worked out
    # together: a query or two for the meeting, not one or two per referral.
    origins = {item.pk: item.referred_from for item in items
               if item.referred_from_id and can_view(user or AnonymousUser(), item.referred_from.item.page)}
    referrals = [referral for item in items for referral in item.referrals.all()]
    links = _meeting_links([source.item.page for source in origins.values()]
                           + [taken.page for referral in referrals for taken in _taken_up(referral, user)])
    councils = _localized_councils([source.from_council for source in origins.values()]
                                   + [council for referral in referrals
                                      for council in (referral.to_council, referral.from_council)])
    views = []
    for item in items:
        origin = None
        if (source := origins.get(item.pk)) is not None:
            origin = {"item": source.item, "from_council": councils[source.from_council_id],
                      **links[source.item.page_id]}
        views.append(ItemView(
            item=item,
            hidden=item.confidential and not full,
            entry=entries.get((item.sort_order, item.number)),
            referrals=[referral_public_view(r, user, links=links, councils=councils) for r in item.referrals.all()],
            origin=origin,
        ))
    return views


@dataclass
class AttendanceGroup:
    """People at (or away from) a meeting under the heading of what happened to them."""

    status: str
    heading: str
    rows: list[Attendance]


def attendance_for(*, meeting: MeetingPage, council: Page | None = None) -> list[Attendance]:
    """The meeting's attendance rows, without anyone whose seats on the council all lie outside the
    meeting's date: a member whose period ended in 2024 is not listed (as absent or present) at a
    meeting in 2026. People without any seat (agency staff invited to one meeting) stay listed.
    One query, whatever the number of rows (``council``: the meeting's, when the caller has it)."""
    if council is None:
        council = meeting.council
    rows = meeting.attendance.select_related("user")
    if council is None:
        return list(rows)
    on = meeting.local_start.date()
    if not isinstance(rows, QuerySet):  # a preview's rows, held in memory: ask for their seats
        return _seated_on(list(rows), council, on)
    seats = CouncilMembership.objects.filter(council__translation_key=council.translation_key,
                                             user_id=OuterRef("user_id"))
    rows = rows.annotate(has_seat=Exists(seats),
                         seated=Exists(seats.filter(Q(start__lte=on), Q(end__isnull=True) | Q(end__gte=on))))
    return [row for row in rows if row.seated or not row.has_seat]


def _seated_on(rows: list[Attendance], council: Page, on: datetime.date) -> list[Attendance]:
    seats: dict[int, bool] = {}
    for user_id, start, end in CouncilMembership.objects.filter(
        council__translation_key=council.translation_key, user_id__in={row.user_id for row in rows}
    ).values_list("user_id", "start", "end"):
        covers = start <= on and (end is None or end >= on)
        seats[user_id] = seats.get(user_id, False) or covers
    return [row for row in rows if seats.get(row.user_id, True)]


ATTENDANCE_ORDER = (Attendance.Status.PRESENT, Attendance.Status.SUBSTITUTE, Attendance.Status.APOLOGIES)


def attendance_groups(rows: list[Attendance]) -> list[AttendanceGroup]:
    """Attendance under headings by what happened (present, substitute attended, sent apologies),
    empty headings left out: nobody who sent apologies is ever listed under "present"."""
    headings = {
        Attendance.Status.PRESENT: _("Present"),
        Attendance.Status.SUBSTITUTE: _("Substitute attended"),
        Attendance.Status.APOLOGIES: _("Sent apologies"),
    }
    groups = []
    for status in ATTENDANCE_ORDER:
        members = [row for row in rows if row.status == status]
        if members:
            groups.append(AttendanceGroup(status=str(status), heading=str(headings[status]), rows=members))
    return groups


def meeting_context(*, meeting: MeetingPage, user: User) -> dict[str, Any]:
    council = meeting.council
    minutes = minutes_for(meeting=meeting)
    member = is_council_member(user=user, council=council)
    return {
        "council": council,
        "is_member": member,
        "may_manage": may_manage(user=user, council=council),
        "minutes": minutes if minutes is not None and can_view_minutes(user=user, minutes=minutes) else None,
        "items": item_views(meeting=meeting, user=user, minutes=minutes, full=member),
        "attendance_groups": attendance_groups(attendance_for(meeting=meeting, council=council)),
    }


@dataclass(frozen=True)
class MinutesEvent:
    action: str
    label: str
    user: str
    timestamp: datetime.datetime
    note: str


def minutes_history(*, minutes: Minutes, user: User) -> list[MinutesEvent]:
    """Every step of the minutes from Wagtail's audit log (saves, circulation, the workflow's
    submissions and decisions with the chair's reason), oldest first; empty for anyone outside the
    council, since draft steps and reasons are internal."""
    from wagtail.log_actions import registry as log_registry

    from .models import CORRECT, MINUTES_ACTIONS

    if not is_council_member(user=user, council=minutes.meeting.council):
        return []
    entries = (
        log_registry.get_logs_for_instance(minutes).filter(action__in=[*MINUTES_ACTIONS, "wagtail.publish"])
        .select_related("user").order_by("timestamp", "pk")
    )
    events = []
    for entry in entries:
        if entry.action == "wagtail.publish":
            continue  # the approval that published it is already listed as "approved and published"
        data = entry.data or {}
        note = str(data.get("comment") or "")
        if entry.action == CORRECT and entry.revision_id:
            note = str((entry.revision.content or {}).get("correction_note") or "") if entry.revision else ""
        name = entry.user.get_full_name() or entry.user.get_username() if entry.user else ""
        events.append(MinutesEvent(entry.action, str(MINUTES_ACTIONS[entry.action]), name, entry.timestamp, note))
    return events


# --- councils, archive and feeds ------------------------------------------------------------------------


def _council_paths(councils: QuerySet[CouncilPage] | list[CouncilPage]) -> Q:
    """Meetings directly under any language version of these councils."""
    keys = {council.translation_key for council in councils}

    def versions() -> list[tuple[str, int]]:
        return list(CouncilPage.objects.filter(translation_key__in=keys).values_list("path", "depth"))

    # One council (its page, its feeds): where its language versions stand changes only with content.
    places = generation.cached("council-paths", tuple(keys), versions) if len(keys) == 1 else versions()
    condition = Q(pk__in=[])
    for path, depth in places:
        condition |= Q(path__startswith=path, depth=depth + 1)
    return condition


def _localized_unique(meetings: list[MeetingPage]) -> list[MeetingPage]:
    """One entry per meeting (not per language version), in the active language where it exists."""
    seen: set = set()
    result = []
    for meeting in meetings:
        if meeting.translation_key in seen:
            continue
        seen.add(meeting.translation_key)
        result.append(meeting.localized)
    return result


def public_meetings(user: User | None = None) -> QuerySet[MeetingPage]:
    # MeetingPage has no subclasses: its rows are already specific (``.specific()`` would only add a
    # query for the content types).
    return viewable_pages(user or AnonymousUser(), MeetingPage.objects.all())


def council_meetings(*, council: CouncilPage, user: User) -> QuerySet[MeetingPage]:
    return public_meetings(user).filter(_council_paths([council]))


def next_meeting(*, council: CouncilPage, user: User,
                 visible: QuerySet[MeetingPage] | None = None) -> MeetingPage | None:
    """``visible``: the council's meetings this user may see, when the caller has them already."""
    visible = visible if visible is not None else council_meetings(council=council, user=user)
    upcoming = visible.filter(status=MeetingPage.Status.PLANNED, start__gte=timezone.now()).order_by("start")
    found = _localized_unique(list(upcoming[:5]))
    return found[0] if found else None


def latest_minutes(*, council: CouncilPage, user: User,
                   visible: QuerySet[MeetingPage] | None = None) -> Minutes | None:
    visible = visible if visible is not None else council_meetings(council=council, user=user)
    return (
        Minutes.objects.filter(live=True, meeting__translation_key__in=visible.values("translation_key"))
        .select_related("meeting").order_by("-meeting__start").first()
    )


def meetings_summary(*, council: CouncilPage, user: User) -> dict[str, Any]:
    """The council page's next meeting and latest minutes, from one visible-meetings queryset (its
    council paths and the viewer's visibility worked out once)."""
    visible = council_meetings(council=council, user=user)
    latest = latest_minutes(council=council, user=user, visible=visible)
    return {
        "next_meeting": next_meeting(council=council, user=user, visible=visible),
        "latest_minutes": latest,
        "latest_meeting": latest.meeting.localized if latest else None,
    }


@dataclass
class ArchiveFilters:
    council: str = ""
    level: str = ""
    region: str = ""
    year: int | None = None


def archive(*, user: User, filters: ArchiveFilters) -> list[MeetingPage]:
    meetings = public_meetings(user)
    councils = CouncilPage.objects.all()
    if filters.council:
        councils = councils.filter(translation_key=filters.council)
    if filters.level:
        councils = councils.filter(level=filters.level)
    if filters.region:
        councils = councils.filter(region__iexact=filters.region)
    if filters.council or filters.level or filters.region:
        meetings = meetings.filter(_council_paths(list(councils)))
    if filters.year:
        meetings = meetings.filter(start__year=filters.year)
    return _localized_unique(list(meetings.order_by("-start")))


def archive_choices() -> dict[str, Any]:
    councils = _localized_unique_councils(CouncilPage.objects.live().order_by("title"))
    regions = sorted({c.region for c in CouncilPage.objects.live() if c.region})
    years = sorted({m.local_start.year for m in public_meetings().only("start")}, reverse=True)
    return {"councils": councils, "levels": CouncilPage.Level.choices, "regions": regions, "years": years}


def _localized_unique_councils(councils: QuerySet[CouncilPage]) -> list[CouncilPage]:
    seen: set = set()
    result = []
    for council in councils:
        if council.translation_key not in seen:
            seen.add(council.translation_key)
            result.append(council.localized)
    return sorted(result, key=lambda c: c.title)


def feed_meetings(*, council: CouncilPage | None) -> list[MeetingPage]:
    """Planned and cancelled meetings for the calendar feed: public meetings only, whoever asks. A
    cancelled meeting stays in the feed (as CANCELLED) so calendars that hold it learn of it."""
    meetings = public_meetings().filter(status__in=[MeetingPage.Status.PLANNED, MeetingPage.Status.CANCELLED],
                                        start__gte=timezone.now() - datetime.timedelta(days=30))
    if council is not None:
        meetings = meetings.filter(_council_paths([council]))
    return _localized_unique(list(meetings.order_by("start")))


def feed_minutes(*, council: CouncilPage | None, limit: int = 50) -> list[Minutes]:
    """Published minutes of public meetings for the Atom feed, newest first."""
    meetings = public_meetings()
    if council is not None:
        meetings = meetings.filter(_council_paths([council]))
    return list(
        Minutes.objects.filter(live=True, meeting__translation_key__in=meetings.values("translation_key"))
        .select_related("meeting").order_by("-first_published_at")[:limit]
    )


# --- referrals and the case trail ---------------------------------------------------------------------------


def referrals_for_council(*, council: CouncilPage) -> dict[str, list[CaseReferral]]:
    key = council.translation_key
    base = CaseReferral.objects.select_related("item__page", "from_council", "to_council", "created_by")
    return {
        "incoming": list(base.filter(to_council__translation_key=key).order_by("-created_at")),
        "outgoing": list(base.filter(from_council__translation_key=key).order_by("-created_at")),
    }


def can_view_referral(*, user: User, referral: CaseReferral) -> bool:
    return is_council_member(user=user, council=referral.from_council) or is_council_member(
        user=user, council=referral.to_council
    )


@dataclass
class TrailStep:
    kind: str  # raised, referred, discussed, concluded
    date: Any
    council: Any
    item: AgendaItem | None = None
    meeting: MeetingPage | None = None
    text: str = ""
    hidden: bool = False


def case_root(item: AgendaItem) -> AgendaItem:
    seen = {item.pk}
    while item.referred_from_id and item.referred_from is not None:
        item = item.referred_from.item
        if item.pk in seen:
            break
        seen.add(item.pk)
    return item


def case_trail(*, item: AgendaItem, user: User) -> list[TrailStep]:
    """raised → referred → discussed → concluded, for the case and every council it went to.

    Confidential items show as hidden steps to anyone outside their council, and only published
    minutes contribute "discussed" and "concluded" steps."""
    steps: list[TrailStep] = []
    queue = [case_root(item)]
    visited: set[int] = set()
    while queue:
        current = queue.pop(0)
        if current.pk in visited:
            continue
        visited.add(current.pk)
        meeting = current.page
        if not can_view(user or AnonymousUser(), meeting):
            continue
        council = meeting.get_parent().specific.localized
        hidden = current.confidential and not sees_confidential(user=user, meeting=meeting)
        if current.referred_from_id is None:
            steps.append(TrailStep("raised", meeting.start, council, current, meeting.localized, hidden=hidden))
        minutes = published_minutes_for(meeting=meeting)
        if minutes is not None and meeting.status == MeetingPage.Status.HELD:
            entry = minutes.entries.filter(agenda_item__number=current.number, agenda_item__year=current.year).first()
            if entry is None:
                entry = minutes.entries.filter(agenda_item=current).first()
            steps.append(TrailStep("discussed", meeting.start, council, current, meeting.localized, hidden=hidden))
            if entry is not None and entry.conclusion:
                steps.append(TrailStep("concluded", meeting.start, council, current, meeting.localized,
                                       text="" if hidden else entry.conclusion, hidden=hidden))
        for referral in current.referrals.select_related("to_council", "from_council"):
            steps.append(TrailStep("referred", referral.created_at, referral.to_council.localized, current,
                                   meeting.localized, hidden=hidden))
            queue.extend(referral.taken_up_items.select_related("page"))
    return steps
