"""Sessions end when an account is deactivated or its password changes, and the password-reset
pages never reveal whether an account exists."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.utils import timezone

from tests.helpers import demo_user

pytestmark = pytest.mark.django_db

PRIVATE_SPACE_OWNER = "utvalgsmedlem"


def _is_signed_in(client) -> bool:
    """Ask the server (not the test client's cookie jar) whether the session still signs the user in."""
    response = client.get("/en/")
    return "Log out" in response.content.decode()


def test_a_deactivated_users_open_session_ends_at_the_next_request(client):
    user = demo_user(PRIVATE_SPACE_OWNER)
    client.force_login(user)
    assert _is_signed_in(client)
    user.is_active = False
    user.save()
    assert not _is_signed_in(client)


def test_changing_the_password_ends_the_users_other_sessions(client):
    from tests.helpers import PortalClient

    user = demo_user(PRIVATE_SPACE_OWNER)
    other_browser = PortalClient()
    other_browser.force_login(user)
    assert _is_signed_in(other_browser)
    user.set_password("et-nytt-og-langt-passord-2026")
    user.save()
    assert not _is_signed_in(other_browser)


def test_a_password_reset_ends_every_session_of_the_account(client):
    from tests.helpers import PortalClient

    user = demo_user(PRIVATE_SPACE_OWNER)
    other_browser = PortalClient()
    other_browser.force_login(user)
    client.post("/en/accounts/password-reset/", {"email": user.email})
    link = re.search(r"https?://[^/\s]+(/\S+/reset/\S+/)", mail.outbox[-1].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_password_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = client.post(set_password_url, {"new_password1": "Blåbærsyltetøy-i-mai-2026",
                                          "new_password2": "Blåbærsyltetøy-i-mai-2026"})
    assert done.status_code == 302
    assert not _is_signed_in(other_browser)
    user.refresh_from_db()
    assert user.check_password("Blåbærsyltetøy-i-mai-2026")


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client):
    user = demo_user(PRIVATE_SPACE_OWNER)
    assert user.email
    known = client.post("/en/accounts/password-reset/", {"email": user.email})
    unknown = client.post("/en/accounts/password-reset/", {"email": "finnes-ikke@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    known_page = client.get(known["Location"]).content.decode()
    unknown_page = client.get(unknown["Location"]).content.decode()
    assert known_page == unknown_page
    assert "If an account with that e-mail address exists" in known_page
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]


def test_password_reset_sends_nothing_to_a_deactivated_account(client):
    user = demo_user(PRIVATE_SPACE_OWNER)
    user.is_active = False
    user.save()
    response = client.post("/en/accounts/password-reset/", {"email": user.email})
    assert response.status_code == 302
    assert mail.outbox == []


def test_a_used_or_forged_reset_link_is_refused_with_a_clear_message(client):
    response = client.get("/en/accounts/reset/MQ/forfalsket-token/", follow=True)
    assert response.status_code == 200
    assert "no longer valid" in response.content.decode()


def test_reset_pages_exist_in_every_language(client):
    for prefix in ("", "/nn", "/en"):
        response = client.get(f"{prefix}/accounts/password-reset/")
        assert response.status_code == 200, prefix
        assert 'for="id_email"' in response.content.decode()



# --- rate limit (issue #17, finding 12) -------------------------------------------------------------


def _reset(client, email: str, ip: str = "10.1.0.1"):
    response = client.post("/en/accounts/password-reset/", {"email": email}, REMOTE_ADDR=ip)
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


def test_the_fourth_reset_request_for_one_account_in_an_hour_sends_no_email(client):
    user = demo_user(PRIVATE_SPACE_OWNER)
    pages = [_reset(client, user.email, ip=f"10.1.1.{number}") for number in range(4)]
    assert len(mail.outbox) == 3
    # The page gives nothing away: the fourth answer is the same as the first.
    assert pages[3] == pages[0]
    assert "If an account with that e-mail address exists" in pages[3]


def test_reset_emails_resume_after_an_hour(client):
    from datetime import timedelta

    from portal.security.models import PasswordResetRequest

    user = demo_user(PRIVATE_SPACE_OWNER)
    for _ in range(4):
        _reset(client, user.email)
    assert len(mail.outbox) == 3
    PasswordResetRequest.objects.update(requested_at=timezone.now() - timedelta(minutes=61))
    _reset(client, user.email)
    assert len(mail.outbox) == 4


def test_one_address_asking_for_many_accounts_is_limited(client, settings):
    user = demo_user(PRIVATE_SPACE_OWNER)
    limit = settings.PORTAL_PASSWORD_RESET_LIMITS["address"]
    for number in range(limit):
        _reset(client, f"gjett-{number}@example.org", ip="10.1.2.1")
    refused = _reset(client, user.email, ip="10.1.2.1")
    assert mail.outbox == []
    assert "If an account with that e-mail address exists" in refused
    # Another address is not affected.
    _reset(client, user.email, ip="10.1.2.2")
    assert [message.to for message in mail.outbox] == [[user.email]]
