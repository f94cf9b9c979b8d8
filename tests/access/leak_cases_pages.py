"""Private kinds provided by the foundation: restricted pages, their translations and aliases.

Their titles carry the secret: the admin's page search, chooser and site history list titles, and
staff outside the restriction (moderators, hearing owners) must not find them there. The untranslated
notice is compared whole with a missing id's; its positive control is the group's member."""

from __future__ import annotations

from django.contrib.auth.models import Group
from wagtail.models import Locale

from portal.core.models import StandardPage
from tests.access.leak_cases import PrivateCase, private_kind, untranslated_urls
from tests.helpers import demo_page, make_user, restrict_to_groups


def _restricted_page(title: str, secret: str):
    group = Group.objects.create(name=f"Lukket gruppe {secret}")
    other = Group.objects.create(name=f"Annen gruppe {secret}")
    page = StandardPage(title=title, slug=secret.lower(), intro=f"Internt: {secret}",
                        body=f"<p>{secret} ved Kvitvatnet{secret[:3]}</p>")
    demo_page("hjem").add_child(instance=page)
    page.save_revision().publish()
    restrict_to_groups(page, group)
    member = make_user(f"medlem-{secret.lower()}", groups=(group,))
    other_member = make_user(f"annen-{secret.lower()}", groups=(other,))
    return page, member, other_member


@private_kind("restricted page")
def restricted_page() -> PrivateCase:
    page, member, other = _restricted_page("Lukket arbeidsnotat om Fjellrevhiet", "Fjellrevhiet")
    # Positive control for search counts: the group's member does find it.
    return PrivateCase(secret="Fjellrevhiet", hidden=("KvitvatnetFje",), member=member, other_member=other,
                       urls={"page": [page.url], "untranslated": untranslated_urls(page)},
                       member_sees=("page", "untranslated", "search counts"))


@private_kind("translation of page made private after translating")
def translation_made_private_later() -> PrivateCase:
    secret = "Myrsnipereir"
    page = StandardPage(title=f"Notat om {secret}", slug="notat-om-reir", body=f"<p>{secret} i Lomtjernet</p>")
    demo_page("hjem").add_child(instance=page)
    page.save_revision().publish()
    translation = page.copy_for_translation(Locale.objects.get(language_code="en"))
    translation.body = f"<p>{secret} by Lomtjernet</p>"
    translation.save_revision().publish()
    group, other = Group.objects.create(name="Reirgruppa"), Group.objects.create(name="Andre")
    restrict_to_groups(page, group)  # only the source is restricted, after the translation exists
    member = make_user("reir-medlem", groups=(group,))
    return PrivateCase(secret=secret, hidden=("Lomtjernet",), member=member,
                       other_member=make_user("reir-annen", groups=(other,)),
                       urls={"page": [translation.url], "untranslated": untranslated_urls(page, translation)})


@private_kind("alias of private page")
def alias_of_private_page() -> PrivateCase:
    page, member, other = _restricted_page("Lukket sak om Oterspor", "Oterspor")
    alias = page.create_alias(parent=demo_page("horinger"), update_slug="alias-oterspor")
    return PrivateCase(secret="Oterspor", hidden=("KvitvatnetOte",), member=member, other_member=other,
                       urls={"page": [alias.url], "untranslated": untranslated_urls(alias)})
