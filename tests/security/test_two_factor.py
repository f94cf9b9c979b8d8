"""Two-step sign-in (issue #17, finding 1): required for people who can publish or manage people,
offered to everyone else; wrong codes get a clear translated error and are throttled."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.access.roles import HEARING_OWNERS
from portal.security.demo import current_code
from tests.helpers import demo_page, demo_user, make_user, second_factor_code, text

pytestmark = pytest.mark.django_db

PASSWORD = "demo-passord-2026"


def _password_step(client, username: str, password: str = PASSWORD, prefix: str = "/en"):
    response = client.post(f"{prefix}/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 302, username
    return response


def _code_step(client, code: str, next_url: str = "/admin/", prefix: str = "/en"):
    return client.post(f"{prefix}/accounts/two-step/", {"code": code, "next": next_url})


def _space_url() -> str:
    """The demo umbrella organisation's member list: only its members (org-medlem) see it."""
    return demo_page("fellesforbundet-for-brukerorganisasjoner").members_url


@pytest.mark.parametrize("username", ["moderator", "horingseier", "admin"])
def test_people_who_can_publish_must_enter_a_code_before_the_admin(client, username):
    _password_step(client, username)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-step/?next=%2Fadmin%2F")
    done = _code_step(client, second_factor_code(demo_user(username)))
    assert done.status_code == 302 and done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_session_that_owes_its_code_reaches_no_page_that_needs_the_role(client):
    client.force_login(demo_user("admin"), second_factor=False)
    for url in ("/admin/", "/admin/pages/", _space_url(), "/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/two-step/" in response["Location"], url
    # The way out stays open.
    assert client.post("/accounts/logout/").status_code == 302


def test_a_wrong_code_gets_a_clear_translated_error_and_signs_nothing_in(client):
    _password_step(client, "moderator", prefix="")
    response = _code_step(client, "000000", prefix="")
    assert response.status_code == 400
    assert "Koden er ikke riktig." in text(response)
    assert client.get("/admin/").status_code == 302


def test_code_guesses_are_throttled(client):
    user = demo_user("moderator")
    _password_step(client, "moderator")
    assert _code_step(client, "123456").status_code == 400
    # Even the right code is refused straight after a wrong one: guessing takes ever longer.
    response = _code_step(client, second_factor_code(user))
    assert response.status_code == 400
    assert "Too many wrong codes. Wait" in text(response)
    assert client.get("/admin/").status_code == 302


def test_a_new_hearing_owner_must_enrol_before_anything_else(client):
    owner = make_user("ny-horingseier", groups=(Group.objects.get(name=HEARING_OWNERS),))
    owner.set_password(PASSWORD)
    owner.save()
    _password_step(client, "ny-horingseier")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-step/setup/")
    setup = client.get(response["Location"].replace("/accounts/", "/en/accounts/", 1))
    assert setup.status_code == 200
    body = text(setup)
    assert 'src="data:image/svg+xml;base64,' in body
    assert "Your role lets you publish or manage people" in body
    device = TOTPDevice.objects.get(user=owner, confirmed=False)
    enrolled = client.post("/en/accounts/two-step/setup/", {"code": current_code(device), "next": "/admin/"})
    assert enrolled.status_code == 200
    assert "Two-step sign-in is turned on." in text(enrolled)
    codes = list(StaticToken.objects.filter(device__user=owner).values_list("token", flat=True))
    assert len(codes) == 10 and all(code in text(enrolled) for code in codes)
    assert client.get("/admin/").status_code == 200

    # Next time a backup code works, once.
    client.post("/en/accounts/logout/")
    _password_step(client, "ny-horingseier")
    assert _code_step(client, codes[0].upper()).status_code == 302
    assert client.get("/admin/").status_code == 200
    client.post("/en/accounts/logout/")
    _password_step(client, "ny-horingseier")
    reused = _code_step(client, codes[0])
    assert reused.status_code == 400
    assert "not valid, or it has been used already" in text(reused)


def test_enrolment_refuses_a_wrong_first_code(client):
    owner = make_user("ny-moderator", groups=(Group.objects.get(name="Moderators"),))
    client.force_login(owner, second_factor=False)
    client.get("/en/accounts/two-step/setup/")
    response = client.post("/en/accounts/two-step/setup/", {"code": "12345", "next": "/admin/"})
    assert response.status_code == 400
    assert "That code is not right." in text(response)
    assert not TOTPDevice.objects.filter(user=owner, confirmed=True).exists()


def test_a_second_device_cannot_be_enrolled_with_the_password_alone(client):
    client.force_login(demo_user("moderator"), second_factor=False)
    response = client.get("/en/accounts/two-step/setup/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/two-step/?")


def test_ordinary_members_are_not_asked_for_a_code(client):
    _password_step(client, "org-medlem")
    assert client.get(_space_url()).status_code == 200


def test_members_may_turn_it_on_and_are_asked_for_a_code_from_then_on(client):
    member = demo_user("org-medlem")
    _password_step(client, "org-medlem")
    page = client.get("/en/accounts/two-step/account/")
    assert page.status_code == 200 and "Two-step sign-in is off." in text(page)
    client.get("/en/accounts/two-step/setup/")
    device = TOTPDevice.objects.get(user=member, confirmed=False)
    assert client.post("/en/accounts/two-step/setup/", {"code": current_code(device)}).status_code == 200
    assert "Two-step sign-in is on" in text(client.get("/en/accounts/two-step/account/"))

    client.post("/en/accounts/logout/")
    _password_step(client, "org-medlem")
    response = client.get(_space_url())
    assert response.status_code == 302 and "/accounts/two-step/?" in response["Location"]


def test_members_may_turn_it_off_with_a_code_but_required_roles_may_not(client):
    member = demo_user("org-medlem")
    device = TOTPDevice.objects.create(user=member, name="test", confirmed=True)
    client.force_login(member)
    refused = client.post("/en/accounts/two-step/account/", {"action": "turn_off", "off-code": "000000"})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=member).exists()
    device.throttle_reset()
    done = client.post("/en/accounts/two-step/account/", {"action": "turn_off", "off-code": current_code(device)})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=member).exists()

    moderator = demo_user("moderator")
    client.force_login(moderator)
    response = client.post("/en/accounts/two-step/account/",
                           {"action": "turn_off", "off-code": second_factor_code(moderator)})
    assert response.status_code == 400
    assert "Your role requires two-step sign-in" in text(response)
    assert TOTPDevice.objects.filter(user=moderator, confirmed=True).exists()


def test_the_code_page_is_in_the_readers_language(client):
    client.force_login(demo_user("moderator"), second_factor=False)
    response = client.get("/nn/accounts/two-step/")
    assert response.status_code == 200
    assert '<html lang="nn">' in text(response)
    assert "Totrinnsinnlogging" in text(response)
