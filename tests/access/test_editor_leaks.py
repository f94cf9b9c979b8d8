"""The portal editor's URLs for people the general leak matrix does not cover: a past member of
the organisation (removed since) and a moderator while the draft is not in moderation. A current
member is the positive control: the same URLs show them the draft."""

from __future__ import annotations

import pytest

from portal.editor import actions
from portal.organisations import actions as organisation_actions
from portal.organisations.models import OrganisationMembership
from tests.access.leak_cases_organisations import FFB, editor_urls, member_of
from tests.hearings.helpers import make_hearing, make_response
from tests.helpers import demo_page, demo_user

pytestmark = pytest.mark.django_db

SECRET = "Jostedalsbreforslaget"


@pytest.fixture
def draft():
    page = make_response(make_hearing("lekk-redigering"), remarks=f"<p>{SECRET} i merknadene.</p>",
                         user=demo_user("org-medlem"))
    actions.comment_add(page=page, user=demo_user("org-medlem"), body=f"{SECRET} i en kommentar.")
    return page


def _past_member():
    user = member_of(FFB, "ffb-tidligere")
    membership = OrganisationMembership.objects.get(user=user)
    organisation_actions.membership_remove(membership=membership, actor=demo_user("org-leder"))
    return user


def _urls(page) -> list[tuple[str, str]]:
    base = f"/arbeidsrom/utkast/{page.pk}/"
    return [("get", url) for url in editor_urls(page)] + [
        ("post", base), ("post", base + "kommentarer/"), ("post", base + "tilstede/"), ("post", base + "endringer/"),
    ]


@pytest.mark.parametrize("who", ["past member", "moderator outside moderation", "anonymous"])
def test_the_editor_refuses_people_without_access(client, draft, who):
    if who == "past member":
        client.force_login(_past_member())
    elif who == "moderator outside moderation":
        client.force_login(demo_user("moderator"))
    for method, url in _urls(draft):
        answer = getattr(client, method)(url, {"body": "x", "section_number": "1", "replacement": "y"}
                                         if method == "post" else None)
        assert answer.status_code in (302, 403, 404), f"{who}: {method} {url} -> {answer.status_code}"
        assert SECRET not in answer.content.decode(), f"{who}: {method} {url} showed the draft"
        if answer.status_code == 302:
            assert "/accounts/login/" in answer["Location"]


def test_a_member_sees_the_draft_and_its_comments_at_the_same_urls(client, draft):
    client.force_login(member_of(FFB, "ffb-naa"))
    body = client.get(f"/arbeidsrom/utkast/{draft.pk}/").content.decode()
    assert body.count(SECRET) >= 2  # the remarks and the comment


def test_a_removed_member_is_refused_even_with_the_page_open(client, draft):
    """Someone removed while the editor is open: their next save is refused and changes nothing."""
    user = member_of(FFB, "ffb-fjernes")
    client.force_login(user)
    assert client.get(f"/arbeidsrom/utkast/{draft.pk}/").status_code == 200
    organisation_actions.membership_remove(
        membership=OrganisationMembership.objects.get(user=user, organisation=demo_page(FFB)),
        actor=demo_user("org-leder"))
    assert client.post(f"/arbeidsrom/utkast/{draft.pk}/", {"title": "Kapret"}).status_code == 404
    assert draft.get_latest_revision_as_object().title != "Kapret"
