"""Posts are found in search by the council's current members only, hidden posts by nobody; files
in the council's private collection are downloaded by members only."""

from __future__ import annotations

import pytest

from portal.councils import actions, selectors
from tests.councils.helpers import BERGEN, council, pdf_file, seat
from tests.helpers import demo_user, text

pytestmark = pytest.mark.django_db


def _search(client, word):
    return text(client.get(f"/search/?q={word}"))


def test_members_find_posts_outsiders_do_not(client):
    member = seat(BERGEN, "soker-medlem")
    thread = actions.thread_start(council=council(), author=member, title="Sak om Kvernhusbekken",
                                  body="Vi må snakke om Kvernhusbekken og Trollstigveien.")
    client.force_login(member)
    assert thread.url_in(council()) in _search(client, "Trollstigveien")
    for username in ("fylkesutvalgsmedlem", "tidligere-medlem", "moderator"):
        client.force_login(demo_user(username))
        assert "Kvernhusbekken" not in _search(client, "Trollstigveien")
    client.logout()
    assert "Kvernhusbekken" not in _search(client, "Trollstigveien")


def test_a_hidden_post_leaves_the_index_and_a_removed_member_stops_finding_posts(client):
    member = seat(BERGEN, "soker-to")
    thread = actions.thread_start(council=council(), author=member, title="Sak om Gaukeberget",
                                  body="Teksten nevner Gaukeberget.")
    post = thread.posts.first()
    client.force_login(member)
    assert "Gaukeberget" in _search(client, "Gaukeberget")
    actions.post_hide(post=post, actor=demo_user("utvalgssekretaer"), reason="Feil tråd")
    assert "Teksten nevner" not in _search(client, "Gaukeberget")

    other = actions.thread_reply(thread=thread, author=member, body="Nytt ord: Sildeknausen.")
    assert other.pk and "Nytt ord" in _search(client, "Sildeknausen")
    from portal.councils.models import CouncilMembership

    actions.membership_end(membership=CouncilMembership.objects.get(user=member), actor=None)
    assert "Nytt ord" not in _search(client, "Sildeknausen")


def test_internal_documents_download_for_members_only(client):
    document = actions.document_upload(council=council(), actor=demo_user("utvalgssekretaer"),
                                       title="Budsjett for utvalget", upload=pdf_file("budsjett.pdf"))
    assert document in selectors.internal_documents(council=council())
    client.force_login(demo_user("utvalgsmedlem"))
    response = client.get(document.url)
    assert response.status_code == 200
    for username in ("fylkesutvalgsmedlem", "tidligere-medlem", "moderator", "org-leder"):
        client.force_login(demo_user(username))
        assert client.get(document.url).status_code == 403
    client.logout()
    assert client.get(document.url).status_code == 302


def test_attachments_of_a_hidden_post_are_for_moderators_only(client):
    member = seat(BERGEN, "vedlegg-medlem")
    thread = actions.thread_start(council=council(), author=member, title="Vedlegg", body="Se fil",
                                  files=[pdf_file("skjult.pdf")])
    post = thread.posts.first()
    url = post.attachments.first().document.url
    client.force_login(member)
    assert client.get(url).status_code == 200
    actions.post_hide(post=post, actor=demo_user("utvalgssekretaer"), reason="Personopplysninger")
    assert client.get(url).status_code == 403
    client.force_login(demo_user("utvalgssekretaer"))
    assert client.get(url).status_code == 200


def test_every_demo_council_has_a_private_space_with_threads_a_hidden_post_and_a_document():
    for slug in (BERGEN, "brukerutvalget-i-vestland", "sentralt-brukerutvalg"):
        page = council(slug)
        assert selectors.threads(council=page).count() >= 2
        assert selectors.threads(council=page).filter(posts__hidden_at__isnull=False).exists()
        assert selectors.internal_documents(council=page).exists()
        assert selectors.current_memberships(council=page).exists()


@pytest.mark.parametrize("username", ["moderator", "utvalgsmedlem", "fylkesutvalgsmedlem"])
def test_council_documents_never_show_in_the_admin_for_non_administrators(client, username):
    """Wagtail's default "Moderators" group holds document permissions on the root collection;
    a council's collection is carved out of them."""
    document = actions.document_upload(council=council(), actor=demo_user("utvalgssekretaer"),
                                       title="Internt Ternevarsel", upload=pdf_file("terne.pdf"))
    client.force_login(demo_user(username))
    for url in ("/admin/documents/", "/admin/documents/?q=Internt", "/admin/documents/chooser/?q=Internt",
                f"/admin/documents/edit/{document.pk}/", f"/admin/documents/delete/{document.pk}/"):
        response = client.get(url)
        assert "Ternevarsel" not in text(response), url
        assert response.status_code in (200, 302, 403), url
    client.force_login(demo_user("admin"))
    assert "Ternevarsel" in text(client.get("/admin/documents/?q=Internt"))


def test_moderators_still_manage_ordinary_documents_in_the_admin(client):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    document = get_document_model().objects.create(title="Offentlig Rapportord", file=ContentFile(b"%PDF-1.4", "r.pdf"))
    client.force_login(demo_user("moderator"))
    assert client.get(f"/admin/documents/edit/{document.pk}/").status_code == 200
