"""A page as a revision saved it (portal/core/revisions.py): the working copy of a draft response is
built with its references checked in bulk, and is the page Wagtail itself builds from the revision,
also when the revision refers to a row deleted since."""

from __future__ import annotations

import pytest

from portal.core import revisions
from portal.hearings.models import HearingResponsePage

pytestmark = pytest.mark.django_db


def _content(page: HearingResponsePage) -> dict:
    """The page's data as a revision would save it, without the editor comments' ``updated_at``
    (an auto_now field: filled in when the data is made, so two calls never agree)."""
    data = page.serializable_data()
    for comment in data.get("wagtail_admin_comments", []):
        comment.pop("updated_at", None)
    return data


def _draft() -> HearingResponsePage:
    draft = HearingResponsePage.objects.filter(has_unpublished_changes=True, latest_revision__isnull=False).first()
    assert draft is not None, "the demo has a response with unpublished changes"
    return draft


def test_the_working_copy_is_the_page_wagtail_builds_from_the_revision():
    draft = _draft()
    content = draft.latest_revision.content
    ours = revisions.with_content(draft, content)
    assert _content(ours) == _content(draft.with_content_json(content))
    assert [part.comment for part in ours.parts.all()] == [part["comment"] for part in content["parts"]]


def test_a_reference_to_a_row_deleted_since_is_dropped_as_wagtail_drops_it():
    draft = _draft()
    content = {**draft.latest_revision.content, "live_revision": 10**9}
    ours = revisions.with_content(draft, content)
    assert ours.live_revision_id is None
    assert _content(ours) == _content(draft.with_content_json(content))
