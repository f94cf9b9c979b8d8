"""Dates by locale, e-mails in the recipient's language down to the footer, and the Wagtail admin in
Bokmål (not English) for a reader of Nynorsk, whose own preference stays Nynorsk."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.template import Context, Template
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from portal.access.users import language_of
from portal.core import mail as portal_mail
from tests.helpers import demo_user

pytestmark = pytest.mark.django_db

MOMENT = datetime.datetime(2026, 11, 27, 17, 29, tzinfo=datetime.UTC).astimezone(timezone.get_fixed_timezone(60))


def _render(template: str, language: str) -> str:
    with translation.override(language), timezone.override("Europe/Oslo"):
        return Template("{% load l10n %}" + template).render(Context({"when": MOMENT}))


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "27 November 2026, 18:29"),
    ("nb", "27. november 2026 18:29"),
    ("nn", "27. november 2026 18:29"),
])
def test_date_and_time_read_as_each_language_writes_them(language, expected):
    assert _render('{{ when|date:"DATETIME_FORMAT" }}', language) == expected


def test_english_dates_are_never_american():
    short = _render('{{ when|date:"SHORT_DATETIME_FORMAT" }}', "en")
    long = _render('{{ when|date:"DATE_FORMAT" }}', "en")
    assert short == "27 Nov 2026, 18:29" and long == "27 November 2026"
    assert "p.m." not in short and "/" not in short and "Nov." not in long


def test_a_nynorsk_reader_gets_a_nynorsk_footer():
    user = demo_user("org-medlem")
    assert language_of(user) == "nn"
    mail.outbox.clear()

    def compose() -> tuple[str, str]:
        from django.template.loader import render_to_string

        body = render_to_string("workflows/email/notification.txt", {
            "verb": "approved", "title": "Utkast", "url": "http://testserver/", "comment": "",
            "site_name": "Brukermedvirkning", "recipient": user})
        return "Emne", body

    assert portal_mail.send(user, compose)
    body = mail.outbox[-1].body
    assert "Denne meldinga er send frå" in body and "Denne meldingen er sendt" not in body


def test_the_admin_is_in_bokmal_where_it_has_no_nynorsk_never_english(login):
    """Wagtail ships no Nynorsk: for a Nynorsk reader, its strings come in Bokmål (the default language's
    catalogue is the fallback) in the page and in the JavaScript catalogue; the portal's own admin
    strings stay Nynorsk."""
    client = login("admin")
    profile = UserProfile.get_for_user(demo_user("admin"))
    profile.preferred_language = "nn"
    profile.save(update_fields=["preferred_language"])

    body = client.get("/admin/").content.decode()
    title = re.search(r"<title>(.*?)</title>", body, re.S).group(1)
    assert "Kontrollpanel" in title and "Dashboard" not in title
    assert '"label": "Innstillinger"' in body and '"label": "Settings"' not in body
    assert "Ventar p\\u00e5 godkjenning" in body, "the portal's own menu item is in Nynorsk"
    catalogue = client.get("/admin/jsi18n/").content.decode()
    assert '"Actions": "Handlinger"' in catalogue

    profile.preferred_language = "en"
    profile.save(update_fields=["preferred_language"])
    assert "Dashboard" in re.search(r"<title>(.*?)</title>", client.get("/admin/").content.decode(), re.S).group(1)
