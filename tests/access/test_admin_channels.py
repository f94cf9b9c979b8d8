"""Issue #17 finding 4: the Wagtail admin's tree-wide listings are scoped for the people who keep
the admin (moderators, hearing owners). They see an organisation's draft only while it waits in a
step they act on; outside that, no admin listing, search, API, report, usage list, dashboard panel
or chooser shows its title or text. Positive controls prove the channels can show it.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.test import TestCase

import tests.access
from tests.access.leak_cases import PRIVATE_KINDS
from tests.access.leak_cases_organisations import FFB
from tests.helpers import demo_page, demo_user
from tests.workflows.conftest import org_draft, space_of
from workflows import actions

for module in pkgutil.iter_modules(tests.access.__path__):
    if module.name.startswith("leak_cases_"):
        importlib.import_module(f"tests.access.{module.name}")

pytestmark = pytest.mark.django_db

SECRET = "Fjellrevhiet"
# Only in the draft's title and text, never typed into a query (search pages echo the query back).
TITLE_WORD = "Lirekassen"
HIDDEN = "Polarlysmyra"


def _channels(draft, space) -> list[str]:
    organisation = demo_page(FFB)
    return [
        f"/admin/pages/search/?q={SECRET}", f"/admin/pages/search/results/?q={SECRET}",
        f"/admin/api/main/pages/?child_of={space.pk}", f"/admin/api/main/pages/?descendant_of={organisation.pk}",
        f"/admin/api/main/pages/?search={SECRET}", f"/admin/api/main/pages/{draft.pk}/",
        f"/admin/api/main/pages/?child_of={space.pk}&for_explorer=1",
        "/admin/api/main/pages/?limit=1000",
        "/admin/reports/site-history/", "/admin/reports/site-history/results/",
        "/admin/reports/workflow/", "/admin/reports/workflow/results/",
        "/admin/reports/workflow_tasks/", "/admin/reports/workflow_tasks/results/",
        "/admin/reports/locked/", "/admin/reports/aging-pages/", "/admin/reports/page-types-usage/",
        "/admin/pages/usage/organisations/organisationdraftpage/",
        "/admin/pages/usage/organisations/organisationdraftpage/results/",
        "/admin/", "/admin/choose-page/", f"/admin/choose-page/search/?q={SECRET}",
        f"/admin/choose-page/{space.pk}/", f"/admin/pages/{space.pk}/",
        f"/admin/pages/{draft.pk}/edit/", f"/admin/pages/{draft.pk}/history/",
    ]


def _draft():
    draft = org_draft(title=f"Utkast {SECRET} {TITLE_WORD}", body=f"<p>{HIDDEN} i teksten.</p>")
    # Saved and edited by its author, so site history and "recent edits" have something to show.
    draft.save_revision(user=demo_user("org-medlem"), log_action=True)
    return draft


def _leaking(client, urls: list[str]) -> list[str]:
    found = []
    for url in urls:
        response = client.get(url)
        body = response.content.decode("utf-8", errors="replace")
        if TITLE_WORD in body or HIDDEN in body:
            found.append(f"{url} -> {response.status_code}")
    return found


@pytest.mark.parametrize("viewer", ["moderator", "horingseier"])
def test_admin_channels_never_show_a_draft_outside_the_viewers_task(viewer, client):
    draft = _draft()
    # Waiting for the organisation's lead: not a step the moderator or the hearing owner acts on.
    with TestCase.captureOnCommitCallbacks(execute=True):
        actions.submit_for_moderation(page=draft, user=demo_user("org-medlem"))
    client.force_login(demo_user(viewer))
    assert _leaking(client, _channels(draft, space_of(FFB))) == []


def test_a_moderator_sees_the_draft_while_it_waits_for_their_moderation(client):
    """Positive control: the same channels the test above reads do show the draft to the moderator
    whose task it is in (dashboard, editor, page search, the admin API)."""
    draft = _draft()
    with TestCase.captureOnCommitCallbacks(execute=True):
        actions.submit_for_moderation(page=draft, user=demo_user("org-medlem"))
        draft.refresh_from_db()
        actions.approve(task_state=draft.current_workflow_state.current_task_state, user=demo_user("org-leder"))
    client.force_login(demo_user("moderator"))
    seen = _leaking(client, [f"/admin/pages/{draft.pk}/edit/", "/admin/", f"/admin/api/main/pages/{draft.pk}/",
                             f"/admin/pages/search/results/?q={SECRET}"])
    assert len(seen) == 4, seen
    # And once moderated, it is gone from them again.
    with TestCase.captureOnCommitCallbacks(execute=True):
        draft.refresh_from_db()
        actions.approve(task_state=draft.current_workflow_state.current_task_state, user=demo_user("moderator"))
    assert _leaking(client, _channels(draft, space_of(FFB))) == []


def test_the_superuser_still_sees_everything(client):
    draft = _draft()
    client.force_login(demo_user("admin"))
    assert _leaking(client, [f"/admin/pages/search/results/?q={SECRET}", f"/admin/api/main/pages/{draft.pk}/"])


# Tree-wide admin channels for any private kind: what they must never show is the kind's secret
# (search pages echo the query, so there only the kind's other words count).
ADMIN_LISTINGS = [
    "/admin/api/main/pages/?limit=1000", "/admin/reports/site-history/results/",
    "/admin/reports/workflow/results/", "/admin/reports/workflow_tasks/results/", "/admin/reports/locked/",
    "/admin/reports/aging-pages/", "/admin/", "/admin/choose-page/",
    "/admin/pages/usage/organisations/organisationdraftpage/results/",
    "/admin/pages/usage/hearings/hearingresponsepage/results/",
    "/admin/pages/usage/positions/positionpaperpage/results/",
]


def _admin_search_urls(secret: str) -> list[str]:
    return [f"/admin/pages/search/results/?q={secret}", f"/admin/api/main/pages/?search={secret}",
            f"/admin/choose-page/search/?q={secret}"]


@pytest.mark.parametrize("viewer", ["moderator", "horingseier"])
@pytest.mark.parametrize("kind", sorted(PRIVATE_KINDS))
def test_leak_matrix_admin_channels_for_moderators_outside_their_task_and_hearing_owners(kind, viewer, client):
    case = PRIVATE_KINDS[kind]()
    user = demo_user(viewer)
    if case.member == user:
        pytest.skip("this viewer reviews the case (see the positive control above)")
    client.force_login(user)
    leaks = []
    direct = case.urls.get("admin", []) + case.urls.get("preview", []) + case.urls.get("revisions", [])
    for url in ADMIN_LISTINGS + direct:
        body = client.get(url).content.decode("utf-8", errors="replace")
        if case.secret in body or any(word in body for word in case.hidden):
            leaks.append(url)
    for url in _admin_search_urls(case.secret):
        body = client.get(url).content.decode("utf-8", errors="replace")
        if any(word in body for word in case.hidden) or any(
            f'href="{page_url}"' in body for page_url in case.urls.get("page", []) if page_url
        ):
            leaks.append(url)
    assert leaks == [], f"{kind} leaked to {viewer} in the admin: {leaks}"
