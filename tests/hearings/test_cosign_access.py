"""Finding 5 of #17: co-signing access outlived a decline. After the asked organisation declined,
its lead still opened the co-sign page and read every later revision of the draft.

Access now follows the state: a per-object grant (django-guardian) to the asked organisation's
leads, given on request and revoked on decline; the page shows the text as it was when asked, and
after agreeing, versions accepted since — never the drafts in between."""

from __future__ import annotations

import pytest

from portal.access.visibility import can_view
from portal.hearings.models import CoSignature, CoSignatureGroupObjectPermission, HearingResponsePage
from tests.hearings.helpers import URB, make_hearing, make_response
from tests.helpers import demo_page, demo_user, text
from workflows import actions as workflow_actions

pytestmark = pytest.mark.django_db


def _ask(login, slug: str):
    hearing = make_hearing(slug)
    draft = make_response(hearing, remarks="<p>Slik det var: Rondeslottet.</p>")
    login("org-medlem").post(draft.url + "medsignering/", {"organisation": demo_page(URB).pk})
    signature = CoSignature.objects.get(response=draft)
    return hearing, draft, signature, hearing.url + f"medsignering/{signature.pk}/"


def _edit(draft, remarks: str) -> None:
    page = HearingResponsePage.objects.get(pk=draft.pk).get_latest_revision_as_object()
    page.general_remarks = remarks
    page.save_revision(user=demo_user("org-medlem"))


def test_cosigning_access_ends_when_the_asked_organisation_declines(login):
    _hearing, draft, signature, url = _ask(login, "avslag-medsignering")
    client = login("urb-leder")
    assert "Rondeslottet" in text(client.get(url))
    # A later draft is not shared: only the text as it was when asked.
    _edit(draft, "<p>Senere utkast: Storen.</p>")
    body = text(client.get(url))
    assert "Rondeslottet" in body and "Storen" not in body

    client.post(url, {"decision": "decline"})
    signature.refresh_from_db()
    assert signature.state == "declined"
    assert not CoSignatureGroupObjectPermission.objects.filter(content_object=signature).exists()
    assert not can_view(demo_user("urb-leder"), signature)
    _edit(draft, "<p>Etter avslaget: Skagastølstind.</p>")
    response = client.get(url)
    assert response.status_code == 404
    assert "Skagastølstind" not in text(response) and "Rondeslottet" not in text(response)


def test_only_the_asked_organisations_leads_hold_the_grant(login):
    _hearing, _draft, signature, url = _ask(login, "hvem-medsignering")
    grant = CoSignatureGroupObjectPermission.objects.get(content_object=signature)
    assert grant.permission.codename == "read_shared_draft"
    assert set(grant.group.user_set.all()) == {demo_user("urb-leder")}
    for username in ("medlemsorg-medlem", "utvalgsmedlem", "moderator"):
        assert login(username).get(url).status_code == 404, username
    # A model-wide permission does not open any co-signature (guardian's global permissions are off).
    from django.contrib.auth.models import Permission

    outsider = demo_user("utvalgsmedlem")
    outsider.user_permissions.add(Permission.objects.get(codename="read_shared_draft"))
    assert not can_view(outsider, signature)


def test_after_co_signing_the_lead_sees_accepted_versions_not_drafts_in_between(login):
    _hearing, draft, signature, url = _ask(login, "godkjent-medsignering")
    client = login("urb-leder")
    client.post(url, {"decision": "approve"})
    _edit(draft, "<p>Mellomutkast: Trollveggen.</p>")
    assert "Trollveggen" not in text(client.get(url))
    _edit(draft, "<p>Endelig tekst: Romsdalshorn.</p>")
    page = HearingResponsePage.objects.get(pk=draft.pk)
    workflow_actions.submit_for_moderation(page=page, user=demo_user("org-medlem"))
    for username in ("org-leder", "moderator"):
        page.refresh_from_db()
        workflow_actions.approve(task_state=page.current_workflow_state.current_task_state,
                                 user=demo_user(username))
    body = text(client.get(url))
    assert "Rondeslottet" in body and "Romsdalshorn" in body and "Trollveggen" not in body
