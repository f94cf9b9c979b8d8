"""Organisation members work on the portal and have no admin (tests/editor/test_no_admin_for_members.py).
Staff who keep the admin (site editors, hearing owners) can also be members of an organisation: they
see their own space there, and never another organisation's drafts: not in the explorer, search,
chooser, reports, bulk actions or any single-page view."""

from __future__ import annotations

import pytest

from portal.organisations.models import OrganisationDraftPage
from tests.access.leak_cases_organisations import FFB, URB, draft_in_space, member_of
from tests.helpers import demo_page

pytestmark = pytest.mark.django_db

SECRET = "Rypeskjulet"


def staff(user):
    """A member who is also on the staff that keeps the admin (as a site editor is)."""
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    return user


@pytest.fixture
def draft() -> OrganisationDraftPage:
    return draft_in_space(FFB, title=f"Utkast {SECRET}", live_body="<p>Første versjon.</p>",
                          working_body="<p>Andre versjon.</p>")


def listing_urls(draft: OrganisationDraftPage) -> list[str]:
    space = draft.get_parent()
    return [
        "/admin/", "/admin/pages/", f"/admin/pages/search/?q={SECRET}", f"/admin/pages/search/results/?q={SECRET}",
        "/admin/choose-page/", f"/admin/choose-page/search/?q={SECRET}",
        f"/admin/api/main/pages/?search={SECRET}", "/admin/reports/site-history/",
        "/admin/reports/site-history/results/", "/admin/reports/aging-pages/", "/admin/reports/workflow/",
        "/admin/reports/workflow_tasks/", "/admin/pages/usage/organisations/organisationdraftpage/",
        f"/admin/pages/{demo_page(FFB).pk}/", f"/admin/choose-page/{demo_page(FFB).pk}/",
        f"/admin/pages/{space.get_parent().get_parent().pk}/?q={SECRET}&search_all=1",
    ]


def refused_urls(draft: OrganisationDraftPage) -> list[str]:
    space, pk, revision = draft.get_parent(), draft.pk, draft.latest_revision.pk
    return [
        f"/admin/pages/{space.pk}/", f"/admin/pages/{pk}/", f"/admin/choose-page/{space.pk}/",
        f"/admin/pages/{pk}/edit/", f"/admin/pages/{pk}/history/", f"/admin/pages/{pk}/revisions/{revision}/view/",
        f"/admin/pages/{pk}/revisions/compare/live...latest/", f"/admin/pages/{pk}/view_draft/",
        f"/admin/pages/{pk}/move/{space.pk}/confirm/", f"/admin/pages/{pk}/revisions/{revision}/revert/",
        f"/admin/bulk/wagtailcore/page/delete/?id={pk}", f"/admin/bulk/wagtailcore/page/publish/?id={pk}",
        f"/admin/pages/add/organisations/organisationdraftpage/{space.pk}/", "/admin/reports/page-types-usage/",
        f"/admin/editing-sessions/ping/wagtailcore/page/{pk}/1/",
    ]


def test_member_of_another_organisation_never_sees_the_draft_in_admin_listings(client, draft):
    client.force_login(staff(member_of(URB, "urb-redaktor")))
    for url in listing_urls(draft):
        response = client.get(url)
        assert response.status_code in (200, 302, 400, 404), url
        body = response.content.decode()
        assert f"Utkast {SECRET}" not in body, url
        assert f"/admin/pages/{draft.pk}/" not in body, url


def test_member_of_another_organisation_is_refused_every_admin_view_of_the_draft(client, draft):
    client.force_login(staff(member_of(URB, "urb-redaktor")))
    for url in refused_urls(draft):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert SECRET not in response.content.decode(), url
    response = client.post(f"/admin/bulk/wagtailcore/page/delete/?id={draft.pk}")
    assert response.status_code == 403
    assert OrganisationDraftPage.objects.filter(pk=draft.pk).exists()


def test_member_finds_and_edits_their_own_drafts_in_admin(client, draft):
    client.force_login(staff(member_of(FFB, "ffb-redaktor")))
    assert f"Utkast {SECRET}" in client.get(f"/admin/pages/{draft.get_parent().pk}/").content.decode()
    assert f"Utkast {SECRET}" in client.get(f"/admin/pages/search/?q={SECRET}").content.decode()
    assert f"Utkast {SECRET}" in client.get(f"/admin/choose-page/search/?q={SECRET}").content.decode()
    response = client.get(f"/admin/pages/{draft.pk}/edit/")
    assert response.status_code == 200
    assert "Andre versjon." in response.content.decode()


def test_member_of_two_organisations_sees_both_spaces(client, draft):
    both = staff(member_of(URB, "to-organisasjoner"))
    from portal.organisations import actions

    actions.membership_add(organisation=demo_page(FFB), user=both)
    client.force_login(both)
    assert client.get(f"/admin/pages/{draft.pk}/edit/").status_code == 200


def test_site_administrator_sees_every_space(login, draft):
    assert login("admin").get(f"/admin/pages/{draft.get_parent().pk}/").status_code == 200
    assert login("admin").get(f"/admin/pages/{draft.pk}/edit/").status_code == 200


def test_a_removed_member_loses_the_admin_editor_at_once(client, draft):
    from portal.organisations import actions, selectors

    leaving = staff(member_of(FFB, "ffb-slutter"))
    client.force_login(leaving)
    assert client.get(f"/admin/pages/{draft.pk}/edit/").status_code == 200
    actions.membership_remove(membership=selectors.membership_of(user=leaving, organisation=demo_page(FFB)))
    for url in (f"/admin/pages/{draft.pk}/edit/", f"/admin/pages/{draft.get_parent().pk}/"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert SECRET not in response.content.decode(), url
