"""Organisation members and leads, council members, secretaries and chairs do their work on the
portal: none of them gets an admin page, the admin API or a chooser. The admin stays for site
editors, hearing owners and moderators."""

from __future__ import annotations

import pytest

from tests.helpers import demo_user

pytestmark = pytest.mark.django_db

MEMBERS = [
    "org-medlem", "org-leder", "medlemsorg-medlem", "urb-leder", "utvalgsleder", "utvalgssekretaer",
    "utvalgsmedlem", "fylkesutvalgsmedlem", "fylkessekretaer", "sentralt-utvalgsleder", "sentralt-sekretaer",
]
ADMIN_URLS = ["/admin/", "/admin/api/main/pages/", "/admin/choose-page/", "/admin/pages/search/?q=utkast"]


@pytest.mark.parametrize("username", MEMBERS)
def test_members_get_no_admin_page_api_or_chooser(client, username):
    client.force_login(demo_user(username))
    for url in ADMIN_URLS:
        answer = client.get(url)
        assert answer.status_code in (302, 403), f"{username} got {answer.status_code} for {url}"
        if answer.status_code == 302:
            assert "/admin/login/" in answer["Location"] or "/accounts/login/" in answer["Location"]


@pytest.mark.parametrize("username", ["org-medlem", "utvalgsleder"])
def test_the_portal_shows_members_no_way_into_the_admin(client, username):
    client.force_login(demo_user(username))
    assert "/admin/" not in client.get("/").content.decode()


@pytest.mark.parametrize("username", ["admin", "moderator", "horingseier"])
def test_the_admin_stays_for_editors_hearing_owners_and_moderators(client, username):
    client.force_login(demo_user(username))
    assert client.get("/admin/").status_code == 200
