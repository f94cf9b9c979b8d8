"""A page as a revision saved it (portal/core/revisions.py): the working copy of a draft response is
built with its references checked in bulk, and is the page Wagtail itself builds from the revision,
also when the revision refers to a row deleted since."""

from __future__ import annotations

import pytest

from portal.core import revisions
from portal.hearings.models import HearingResponsePage

pytestmark = pytest.mark.django_db


def _draft() -> HearingResponsePage:
    draft = HearingResponsePage.objects.filter(has_unpublished_changes=True, latest_revision__isnull=False).first()
    assert draft is not None, "the demo has a response with unpublished changes"
    return draft


def test_the_working_copy_is_the_page_wagtail_builds_from_the_revision():
    draft = _draft()
    content = draft.latest_revision.content
    ours = revisions.with_content(draft, content)
    assert ours.serializable_data() == draft.with_content_json(content).serializable_data()
    assert [part.comment for part in ours.parts.all()] == [part["comment"] for part in content["parts"]]


def test_a_reference_to_a_row_deleted_since_is_dropped_as_wagtail_drops_it():
    draft = _draft()
    content = {**draft.latest_revision.content, "live_revision": 10**9}
    ours = revisions.with_content(draft, content)
    assert ours.live_revision_id is None
    assert ours.serializable_data() == draft.with_content_json(content).serializable_data()
