"""Building meetings, agendas and minutes for the meetings tests and leak cases."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from portal.councils.models import CouncilMembership
from portal.meetings import actions
from portal.meetings.models import OSLO, AgendaItem, LegalBasis, MeetingPage, Minutes
from tests.helpers import demo_page, demo_user, make_user

BERGEN = "brukerutvalget-i-bergen"
VESTLAND = "brukerutvalget-i-vestland"
NATIONAL = "sentralt-brukerutvalg"


def council(slug: str = BERGEN) -> Any:
    return demo_page(slug)


def admin() -> Any:
    return demo_user("admin")


def at(days: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=OSLO)


def meeting(*, slug: str, council_slug: str = BERGEN, days: int = -7, status: str = "held",
            items: list[dict[str, Any]] = ()) -> MeetingPage:
    """A published meeting with the given agenda items (dicts of AgendaItem fields)."""
    page = MeetingPage(
        title=f"Testmøte {slug}", slug=slug, start=at(days), status=status, place="Rådhuset",
        agenda_items=[AgendaItem(**fields) for fields in items],
    )
    council(council_slug).add_child(instance=page)
    page.save_revision().publish()
    return MeetingPage.objects.get(pk=page.pk)


def confidential(title: str, description: str = "", basis: str = LegalBasis.OFFL_13) -> dict[str, Any]:
    return {"title": title, "description": description, "confidential": True, "legal_basis": basis}


def minutes(page: MeetingPage, texts: dict[str, tuple[str, str]], *, state: str = "published") -> Minutes:
    """Minutes for the meeting, with texts keyed by agenda item title, taken to ``state``."""
    user = admin()
    record = actions.minutes_start(meeting=page, user=user)
    by_id = {item.pk: texts.get(item.title, ("", "")) for item in page.agenda_items.all()}
    record = actions.minutes_save(minutes=record, user=user, texts=by_id, loaded_version=record.version)
    if state == "draft":
        return record
    if state == "circulated":
        return actions.minutes_circulate(minutes=record, user=user,
                                         comment_deadline=timezone.localdate() + datetime.timedelta(days=7))
    record = actions.minutes_submit_for_approval(minutes=record, user=user)
    if state == "awaiting_approval":
        return record
    return actions.minutes_approve(minutes=record, user=user)


def council_member(username: str, council_slug: str, role: str = CouncilMembership.Role.MEMBER) -> Any:
    user = make_user(username)
    CouncilMembership.objects.create(council=council(council_slug), user=user, role=role,
                                     start=timezone.localdate() - datetime.timedelta(days=30))
    return user
