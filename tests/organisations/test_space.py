"""Each organisation's private space: members read and work on drafts there; nobody else gets in,
in any language; the groups carrying that access follow the membership whatever path changes it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Locale, PageViewRestriction

from portal.demo import organisations as demo_step
from portal.demo.builder import Demo
from portal.organisations import actions, selectors
from portal.organisations.models import (
    OrganisationDraftPage,
    OrganisationGroups,
    OrganisationMembership,
    OrganisationPage,
    OrganisationSpacePage,
)
from tests.helpers import demo_page, demo_user, make_user, text

pytestmark = pytest.mark.django_db

FFB = "fellesforbundet-for-brukerorganisasjoner"
FSA = "foreningen-for-synshemmede-i-arbeidslivet"
DRAFT_TITLE = "Utkast: innspill til strategi for brukermedvirkning"


def space(slug: str = FFB, language: str = "nb") -> OrganisationSpacePage:
    return selectors.space_for(organisation=demo_page(slug, language))


def groups(slug: str = FFB) -> OrganisationGroups:
    return OrganisationGroups.objects.get(organisation_key=demo_page(slug).translation_key)


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_member_sees_the_space_and_its_drafts_in_every_language(login, language):
    response = login("org-medlem").get(space(language=language).url)
    assert response.status_code == 200
    assert DRAFT_TITLE in text(response)


@pytest.mark.parametrize("username", ["medlemsorg-medlem", "urb-leder", "utvalgsleder", "moderator"])
@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_people_outside_the_organisation_get_403(login, username, language):
    draft = OrganisationDraftPage.objects.child_of(space()).get(slug="utkast-innspill-strategi-brukermedvirkning")
    client = login(username)
    for url in (space(language=language).url, draft.url):
        response = client.get(url)
        assert response.status_code == 403
        assert DRAFT_TITLE not in text(response)


def test_anonymous_readers_are_sent_to_login(client):
    response = client.get(space().url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_umbrella_membership_gives_no_access_to_a_member_organisations_space(login):
    """FFB's members do not see FSA's drafts because FSA is a member of FFB (and vice versa)."""
    assert login("org-leder").get(space(FSA).url).status_code == 403
    assert login("medlemsorg-medlem").get(space(FFB).url).status_code == 403


def test_every_language_version_of_the_space_is_restricted_to_the_members_group():
    for organisation in OrganisationPage.objects.live():
        the_space = selectors.space_for(organisation=organisation)
        assert the_space is not None, organisation
        restriction = PageViewRestriction.objects.get(page=the_space)
        assert list(restriction.groups.all()) == [groups(organisation.slug).members]


def new_organisation(slug: str = "ny-organisasjon", short_name: str = "NYO", *, publish: bool = True):
    organisation = OrganisationPage(title=f"Organisasjon {short_name}", slug=slug, short_name=short_name)
    demo_page("organisasjoner").add_child(instance=organisation)
    if publish:
        organisation.save_revision().publish()
    return organisation


def test_a_new_translation_of_a_space_is_private_before_anyone_sees_it():
    """Copies for translation do not copy privacy settings (WAGTAIL-NOTES): publishing a translated
    organisation creates its space as a translation, and the save signal restricts it."""
    organisation = new_organisation()
    translated = organisation.copy_for_translation(Locale.objects.get(language_code="nn"))
    translated.save_revision().publish()
    nn_space = selectors.space_for(organisation=translated)
    assert nn_space.translation_key == selectors.space_for(organisation=organisation).translation_key
    members = OrganisationGroups.objects.get(organisation_key=organisation.translation_key).members
    assert list(PageViewRestriction.objects.get(page=nn_space).groups.all()) == [members]


def test_membership_changes_made_outside_the_actions_still_sync_the_groups():
    """Admins edit memberships in the Django admin or a shell: the signals keep the groups in step."""
    newcomer = make_user("via-admin")
    row = OrganisationMembership.objects.create(organisation=demo_page(FFB), user=newcomer)
    assert groups().members.user_set.filter(pk=newcomer.pk).exists()
    row.role = OrganisationMembership.Role.LEAD
    row.save()
    assert groups().leads.user_set.filter(pk=newcomer.pk).exists()
    row.delete()
    assert not groups().members.user_set.filter(pk=newcomer.pk).exists()
    assert not groups().leads.user_set.filter(pk=newcomer.pk).exists()


def test_sync_removes_people_added_to_the_group_by_hand():
    """The groups are exactly the members: someone put in the group by hand loses it at the next sync."""
    intruder = make_user("lagt-inn-for-hand")
    groups().members.user_set.add(intruder)
    actions.sync_groups(organisation=demo_page(FFB))
    assert not groups().members.user_set.filter(pk=intruder.pk).exists()
    assert set(groups().members.user_set.values_list("username", flat=True)) == {"org-leder", "org-medlem"}
    assert set(groups().leads.user_set.values_list("username", flat=True)) == {"org-leder"}


def test_groups_never_adopt_an_existing_group_with_the_same_name():
    Group.objects.create(name="NYO members")
    organisation = new_organisation()
    created = OrganisationGroups.objects.get(organisation_key=organisation.translation_key)
    assert created.members.name == "NYO members (2)"
    assert selectors.space_for(organisation=organisation) is not None


def test_deleting_the_last_language_version_drops_the_groups():
    organisation = new_organisation(publish=False)
    actions.membership_add(organisation=organisation, user=make_user("kortvarig"),
                           role=OrganisationMembership.Role.LEAD)
    created = OrganisationGroups.objects.get(organisation_key=organisation.translation_key)
    group_ids = [created.members.pk, created.leads.pk]
    organisation.delete()
    assert not Group.objects.filter(pk__in=group_ids).exists()
    assert not OrganisationGroups.objects.filter(pk=created.pk).exists()


def test_members_only_add_and_change_pages_in_their_space_not_publish():
    draft = OrganisationDraftPage.objects.child_of(space()).first()
    permissions = draft.permissions_for_user(demo_user("org-medlem"))
    assert permissions.can_edit()
    assert not permissions.can_publish()
    assert space().permissions_for_user(demo_user("org-medlem")).can_add_subpage()
    assert not draft.permissions_for_user(demo_user("urb-leder")).can_edit()


def test_space_page_lists_working_titles_and_offers_a_new_draft(login):
    draft = OrganisationDraftPage.objects.child_of(space()).get(slug="utkast-innspill-strategi-brukermedvirkning")
    working = draft.get_latest_revision_as_object()
    working.title = "Utkast: innspill, andre runde"
    working.save_revision()
    body = text(login("org-medlem").get(space().url))
    assert "Utkast: innspill, andre runde" in body
    # A new draft is started on the portal (the editor), never in the admin.
    assert f'action="/arbeidsrom/utkast/nytt-standpunkt/{space().pk}/"' in body
    assert "/admin/" not in body


def test_demo_gives_every_organisation_a_space_with_a_draft_and_runs_twice_without_duplicates():
    def counts():
        return (OrganisationSpacePage.objects.count(), OrganisationDraftPage.objects.count(),
                PageViewRestriction.objects.count(), OrganisationGroups.objects.count(), Group.objects.count())

    for organisation in OrganisationPage.objects.live().filter(locale__language_code="nb"):
        assert OrganisationDraftPage.objects.child_of(selectors.space_for(organisation=organisation)).exists()
    before = counts()
    demo_step.load(Demo())
    assert counts() == before
