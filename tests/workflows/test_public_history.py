"""Finding 6 of #17: a public page's workflow history showed anonymous readers a reviewer's reason
for requesting changes and staff names. Public readers now see public transitions only (submitted,
published, withdrawn, with dates); members who may see the object keep the full history."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.helpers import demo_user, make_user, text
from tests.workflows.conftest import council_draft, submit, task_state
from workflows import actions, selectors

pytestmark = pytest.mark.django_db

REASON = "Fjern navnet på brukeren Tindeklatreren fra punkt 3"


def _published_after_a_rejection():
    page = council_draft(title="Referat med historikk")
    submit(page, "utvalgssekretaer")
    actions.reject(task_state=task_state(page), user=demo_user("utvalgsleder"), comment=REASON)
    submit(page, "utvalgssekretaer")
    actions.approve(task_state=task_state(page), user=demo_user("utvalgsleder"), comment="Godkjent, Brattkanten.")
    page.refresh_from_db()
    assert page.live
    return page


def test_public_workflow_history_shows_no_internal_comments_or_staff_names(client):
    page = _published_after_a_rejection()
    staff = [demo_user(name).get_full_name() for name in ("utvalgsleder", "utvalgssekretaer")]
    for viewer in (None, make_user("historikk-leser"), demo_user("fylkesutvalgsmedlem")):
        if viewer is not None:
            client.force_login(viewer)
        response = client.get(f"/arbeidsflyt/historikk/{page.pk}/")
        assert response.status_code == 200
        body = text(response)
        for secret in (REASON, "Brattkanten", *staff):
            assert secret not in body, (viewer, secret)
        entries = selectors.history_for(page, viewer or AnonymousUser())
        # (The resubmission after the requested changes is an internal step too.)
        assert [entry.action for entry in entries] == ["wagtail.workflow.start", "wagtail.publish"]
        assert all(not entry.user and not entry.comment and not entry.step for entry in entries)
        # The dates are there.
        assert body.count("<time datetime=") == 2


def test_members_who_may_see_the_object_keep_the_full_history(client):
    page = _published_after_a_rejection()
    for username in ("utvalgssekretaer", "utvalgsleder", "moderator"):
        client.force_login(demo_user(username))
        body = text(client.get(f"/arbeidsflyt/historikk/{page.pk}/"))
        assert REASON in body, username
        assert demo_user("utvalgsleder").get_full_name() in body, username
