"""Private kinds of the organisations area: a draft in an organisation's space (its page, its
translation and alias, previews, revisions and comparisons, admin views) and the contact details
on an organisation's member list."""

from __future__ import annotations

from wagtail.models import Locale

from portal.organisations import actions, selectors
from portal.organisations.models import OrganisationDraftPage, OrganisationMembership
from tests.access.leak_cases import PrivateCase, private_kind, untranslated_urls
from tests.helpers import demo_page, make_user

FFB = "fellesforbundet-for-brukerorganisasjoner"
URB = "ungdomsradet-for-brukermedvirkning"


def member_of(slug: str, username: str, *, role: str = OrganisationMembership.Role.MEMBER, **fields):
    """A new account made a member through the same action leads use (groups synced by it)."""
    user = make_user(username)
    if fields:
        for name, value in fields.items():
            setattr(user, name, value)
        user.save()
    actions.membership_add(organisation=demo_page(slug), user=user, role=role)
    return user


def draft_in_space(slug: str, *, title: str, live_body: str, working_body: str) -> OrganisationDraftPage:
    """A draft published inside the space (members read it there), then edited further: the newest
    revision is unpublished, as while members are working on it."""
    space = selectors.space_for(organisation=demo_page(slug))
    draft = OrganisationDraftPage(title=title, slug=title.lower().replace(" ", "-"), body=live_body)
    space.add_child(instance=draft)
    draft.save_revision().publish()
    draft.body = working_body
    draft.save_revision()
    return draft


def admin_urls(draft: OrganisationDraftPage) -> dict[str, list[str]]:
    pk = draft.pk
    first, latest = draft.revisions.order_by("pk")[0].pk, draft.latest_revision.pk
    return {
        "preview": [f"/admin/pages/{pk}/view_draft/", f"/admin/pages/{pk}/edit/preview/"],
        "revisions": [
            f"/admin/pages/{pk}/revisions/", f"/admin/pages/{pk}/history/", f"/admin/pages/{pk}/history/results/",
            f"/admin/pages/{pk}/revisions/{latest}/view/",
            f"/admin/pages/{pk}/revisions/compare/{first}...{latest}/",
            f"/admin/pages/{pk}/revisions/compare/live...latest/",
            f"/admin/pages/{pk}/workflow_history/",
        ],
        "admin": [
            f"/admin/pages/{pk}/edit/", f"/admin/pages/{pk}/usage/", f"/admin/pages/{pk}/delete/",
            f"/admin/pages/{pk}/copy/", f"/admin/pages/{pk}/move/", f"/admin/pages/{pk}/unpublish/",
            f"/admin/pages/{pk}/privacy/",
            f"/admin/api/main/pages/{pk}/",
        ],
    }


def editor_urls(draft) -> list[str]:
    """The portal editor's views of a draft (GET): the editor, the review page, presence."""
    base = f"/arbeidsrom/utkast/{draft.pk}/"
    return [base, f"/nn{base}", f"/en{base}", base + "godkjenning/", base + "tilstede/"]


@private_kind("organisation draft")
def organisation_draft() -> PrivateCase:
    secret = "Lirypekvist"
    member = member_of(FFB, "ffb-skribent")
    other = member_of(URB, "urb-skribent")
    draft = draft_in_space(
        FFB, title=f"Utkast {secret}",
        live_body=f"<p>{secret} og Tyttebaerlia i første versjon.</p>",
        working_body=f"<p>{secret} og Tyttebaerlia, nå med Multemyrkanten.</p>",
    )
    # The Nynorsk translation lives in the Nynorsk space; an alias outside any space is private too.
    translation = draft.copy_for_translation(Locale.objects.get(language_code="nn"))
    translation.save_revision().publish()
    alias = draft.create_alias(parent=demo_page("hjem"), update_slug="alias-lirypekvist")
    urls = {"page": [draft.url, translation.url, alias.url], "untranslated": untranslated_urls(draft, alias),
            **admin_urls(draft)}
    return PrivateCase(
        secret=secret, hidden=("Tyttebaerlia", "Multemyrkanten"), member=member, other_member=other, urls=urls,
        member_sees=("page", "untranslated"),
    )


@private_kind("unpublished draft in an organisation's space")
def unpublished_organisation_draft() -> PrivateCase:
    """Never published: its members work on it in the editor; no page answers for it, and the
    untranslated notice (live pages only) answers for its id as for no page at all, to everyone."""
    secret = "Fjellmarikape"
    member = member_of(FFB, "ffb-nyskribent")
    other = member_of(URB, "urb-nyskribent")
    space = selectors.space_for(organisation=demo_page(FFB))
    draft = OrganisationDraftPage(title=f"Nytt utkast {secret}", slug="nytt-utkast-lekk", live=False,
                                  body=f"<p>{secret} ved Reinroseberget.</p>")
    space.add_child(instance=draft)
    draft.save_revision()
    urls = {"page": editor_urls(draft), "untranslated": untranslated_urls(draft), **admin_urls(draft)}
    return PrivateCase(secret=secret, hidden=("Reinroseberget",), member=member, other_member=other, urls=urls)


@private_kind("organisation member contact details")
def organisation_member_contacts() -> PrivateCase:
    secret = "havsule.kontakt@example.org"
    member = member_of(FFB, "ffb-kollega")
    member_of(FFB, "ffb-havsule", email=secret, first_name="Sunniva", last_name="Havsuleberg")
    other = member_of(URB, "urb-kollega")
    ffb = demo_page(FFB)
    urls = {"page": [ffb.members_url, demo_page(FFB, "nn").members_url, demo_page(FFB, "en").members_url]}
    return PrivateCase(secret=secret, hidden=("Havsuleberg",), member=member, other_member=other, urls=urls)
