"""Login throttling: a burst of wrong passwords locks the account/address out, the lock-out page
says so in the reader's language, and locked-out attempts never reach password hashing."""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.auth.backends import ModelBackend

pytestmark = pytest.mark.django_db

PASSWORD = "demo-passord-2026"
LOGIN = "/en/accounts/login/"


def _attempt(client, username: str, password: str, *, ip: str = "10.0.0.1", url: str = LOGIN):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_wrong_passwords_for_one_account_from_one_address_lock_it(client):
    for _ in range(4):
        assert _attempt(client, "utvalgsmedlem", "feil").status_code == 200
    locked = _attempt(client, "utvalgsmedlem", "feil")
    assert locked.status_code == 429
    # Even the right password is refused now.
    response = _attempt(client, "utvalgsmedlem", PASSWORD)
    assert response.status_code == 429
    assert not _logged_in(client)
    body = response.content.decode()
    assert "too many failed attempts to log in" in body
    assert "paused for 15 min." in body
    assert response["Retry-After"] == str(15 * 60)


def test_lock_out_page_is_translated(client):
    for _ in range(5):
        _attempt(client, "utvalgsmedlem", "feil", url="/accounts/login/")
    response = _attempt(client, "utvalgsmedlem", PASSWORD, url="/accounts/login/")
    assert response.status_code == 429
    body = response.content.decode()
    assert '<html lang="nb">' in body
    assert 'role="alert"' in body
    # The message comes from the catalogue, not from axes' untranslated default text.
    assert "Account locked" not in body


def test_locked_out_attempts_are_refused_before_the_password_is_hashed(client):
    for _ in range(5):
        _attempt(client, "utvalgsmedlem", "feil")
    with mock.patch.object(ModelBackend, "authenticate", autospec=True, return_value=None) as model_backend:
        for _ in range(20):
            assert _attempt(client, "utvalgsmedlem", "feil").status_code == 429
    assert model_backend.call_count == 0


def test_the_same_person_may_still_log_in_from_another_address_before_the_account_limit(client):
    for _ in range(5):
        _attempt(client, "utvalgsmedlem", "feil", ip="10.0.0.1")
    response = _attempt(client, "utvalgsmedlem", PASSWORD, ip="10.0.0.2")
    assert response.status_code == 302
    assert _logged_in(client)


def test_ten_wrong_passwords_for_one_account_from_many_addresses_lock_the_account(client):
    for number in range(10):
        _attempt(client, "utvalgsmedlem", "feil", ip=f"10.0.1.{number}")
    response = _attempt(client, "utvalgsmedlem", PASSWORD, ip="10.0.2.1")
    assert response.status_code == 429
    assert not _logged_in(client)
    # Other accounts are not affected.
    assert _attempt(client, "utvalgsleder", PASSWORD, ip="10.0.2.1").status_code == 302


def test_ten_failures_from_one_address_over_many_accounts_lock_the_address(client):
    for number in range(10):
        _attempt(client, f"gjett-{number}", "feil", ip="10.0.3.1")
    assert _attempt(client, "utvalgsleder", PASSWORD, ip="10.0.3.1").status_code == 429
    assert _attempt(client, "utvalgsleder", PASSWORD, ip="10.0.3.2").status_code == 302


def test_nine_failures_from_one_address_do_not_lock_it(client):
    for number in range(9):
        _attempt(client, f"gjett-{number}", "feil", ip="10.0.4.1")
    assert _attempt(client, "utvalgsleder", PASSWORD, ip="10.0.4.1").status_code == 302


def test_a_successful_login_resets_the_count(client):
    for _ in range(4):
        _attempt(client, "utvalgsmedlem", "feil")
    assert _attempt(client, "utvalgsmedlem", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert _attempt(client, "utvalgsmedlem", "feil").status_code == 200
    assert _attempt(client, "utvalgsmedlem", PASSWORD).status_code == 302


def test_the_wagtail_admin_login_is_throttled_too(client):
    for _ in range(5):
        _attempt(client, "admin", "feil", url="/admin/login/")
    response = _attempt(client, "admin", PASSWORD, url="/admin/login/")
    assert response.status_code == 429
    assert not _logged_in(client)


def test_public_pages_answer_while_an_address_is_locked_out(client):
    for _ in range(5):
        _attempt(client, "utvalgsmedlem", "feil")
    assert client.get("/", REMOTE_ADDR="10.0.0.1").status_code == 200
    assert client.get("/horinger/", REMOTE_ADDR="10.0.0.1").status_code == 200


def test_forwarded_addresses_are_trusted_only_from_our_own_proxy(client, settings):
    """Behind the proxy, failures are counted per real client; a client cannot dodge the limit by
    writing its own X-Forwarded-For entries (only the right-most, added by our proxy, counts)."""
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    for number in range(5):
        client.post(LOGIN, {"username": "utvalgsmedlem", "password": "feil"}, REMOTE_ADDR="192.0.2.10",
                    HTTP_X_FORWARDED_FOR=f"203.0.113.{number}, 198.51.100.7")
    response = client.post(LOGIN, {"username": "utvalgsmedlem", "password": PASSWORD}, REMOTE_ADDR="192.0.2.10",
                           HTTP_X_FORWARDED_FOR="203.0.113.99, 198.51.100.7")
    assert response.status_code == 429
    # Another real client behind the same proxy is not locked out by it.
    other = client.post(LOGIN, {"username": "utvalgsmedlem", "password": PASSWORD}, REMOTE_ADDR="192.0.2.10",
                        HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert other.status_code == 302


# --- a success resets only its own (address, account) pair (issue #17, finding 1) ------------------


def test_own_login_between_guesses_does_not_reset_another_accounts_failures(client):
    """Four guesses at someone else's password, a login to one's own account, four more...: the
    victim's count from this address keeps growing and locks at five."""
    for _ in range(4):
        assert _attempt(client, "utvalgsmedlem", "feil", ip="10.0.5.1").status_code == 200
    assert _attempt(client, "utvalgsleder", PASSWORD, ip="10.0.5.1").status_code == 302
    client.logout()
    assert _attempt(client, "utvalgsmedlem", "feil", ip="10.0.5.1").status_code == 429
    assert _attempt(client, "utvalgsmedlem", PASSWORD, ip="10.0.5.1").status_code == 429
    assert not _logged_in(client)


def test_successful_login_does_not_unlock_a_locked_account(client):
    for _ in range(5):
        _attempt(client, "utvalgsmedlem", "feil", ip="10.0.6.1")
    assert _attempt(client, "utvalgsleder", PASSWORD, ip="10.0.6.1").status_code == 302
    client.logout()
    response = _attempt(client, "utvalgsmedlem", PASSWORD, ip="10.0.6.1")
    assert response.status_code == 429
    assert not _logged_in(client)


def test_own_success_from_one_address_does_not_clear_the_accounts_failures_from_others(client):
    """The account's own login from a third address forgets only that address's failures: the
    eight guesses from elsewhere still count towards the account's limit of ten."""
    for ip in ("10.0.7.1", "10.0.7.2"):
        for _ in range(4):
            _attempt(client, "utvalgsmedlem", "feil", ip=ip)
    assert _attempt(client, "utvalgsmedlem", PASSWORD, ip="10.0.7.3").status_code == 302
    client.logout()
    for _ in range(2):
        _attempt(client, "utvalgsmedlem", "feil", ip="10.0.7.4")
    assert _attempt(client, "utvalgsmedlem", PASSWORD, ip="10.0.7.5").status_code == 429


def test_a_success_still_clears_its_own_pair(client):
    for _ in range(4):
        _attempt(client, "utvalgsmedlem", "feil", ip="10.0.8.1")
    assert _attempt(client, "utvalgsmedlem", PASSWORD, ip="10.0.8.1").status_code == 302
    client.logout()
    for _ in range(4):
        assert _attempt(client, "utvalgsmedlem", "feil", ip="10.0.8.1").status_code == 200
    assert _attempt(client, "utvalgsmedlem", PASSWORD, ip="10.0.8.1").status_code == 302
