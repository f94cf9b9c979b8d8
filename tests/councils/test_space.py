"""The private space: members post and reply from the public site; outsiders, past members and
members of other councils are refused with a message and nothing is stored; posted HTML is
sanitised; moderators and the secretary hide posts with a reason."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from django.utils.translation import gettext
from wagtail.documents import get_document_model

from portal.councils import actions, selectors
from portal.councils.models import Post, Thread
from tests.councils.helpers import BERGEN, council
from tests.helpers import demo_user, make_user, text

pytestmark = pytest.mark.django_db

SPACE = f"/brukerutvalg/{BERGEN}/rom/"


def _internal_document(collection, number: int):
    return get_document_model().objects.create(
        title=f"Internt notat {number}", file=ContentFile(b"notat", name=f"notat-{number}.txt"), collection=collection,
    )


def test_the_space_lists_its_documents_in_the_same_number_of_queries_however_many(login):
    """Each document used to cost about eight queries (its attachment, its collection's restrictions,
    the space, the council, whether it is a confidential agenda attachment)."""
    collection = selectors.space_of(council=council()).collection
    member = login("utvalgsmedlem")

    def queries_for_the_space() -> tuple[int, str]:
        member.get(SPACE)
        with CaptureQueriesContext(connection) as queries:
            response = member.get(SPACE)
        return len(queries), text(response)

    _internal_document(collection, 0)
    with_one, _body = queries_for_the_space()
    for number in range(1, 11):
        _internal_document(collection, number)
    with_eleven, body = queries_for_the_space()
    assert "Internt notat 0" in body and "Internt notat 10" in body
    assert with_eleven == with_one


def _new_thread(client, title="Ny sak om skjemaer", body="Vi bør ta opp skjemaene.", **extra):
    return client.post(SPACE, {"action": "new_thread", "thread-title": title, "thread-body": body, **extra})


def test_member_sees_the_space_and_its_demo_threads(login):
    response = login("utvalgsmedlem").get(SPACE)
    assert response.status_code == 200
    assert "Ventetid på telefon til kontoret" in text(response)
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_member_starts_a_thread_and_another_member_replies(client, login):
    response = _new_thread(login("utvalgsmedlem"), title="Lokaler for neste møte", body="Rommet er for lite.")
    assert response.status_code == 302
    thread = Thread.objects.get(title="Lokaler for neste møte")
    url = thread.url_in(council())
    assert response["Location"] == url

    client.force_login(demo_user("utvalgsleder"))
    response = client.post(url, {"action": "reply", "reply-body": "Jeg spør etter et større rom."})
    assert response.status_code == 302
    body = text(client.get(url))
    assert "Rommet er for lite." in body and "Jeg spør etter et større rom." in body
    assert set(thread.followers.values_list("username", flat=True)) == {"utvalgsmedlem", "utvalgsleder"}


def test_the_space_works_in_every_language_version_of_the_council(login):
    thread = selectors.threads(council=council()).first()
    client = login("utvalgsmedlem")
    for language in ("nn", "en"):
        response = client.get(thread.url_in(council(language=language)))
        assert response.status_code == 200
        assert thread.title in text(response)


@pytest.mark.parametrize("username", ["fylkesutvalgsmedlem", "tidligere-medlem", "org-leder"])
def test_people_outside_the_council_get_403_with_a_message_and_nothing_is_stored(client, username):
    client.force_login(demo_user(username))
    before_threads, before_posts = Thread.objects.count(), Post.objects.count()
    assert client.get(SPACE).status_code == 403
    response = _new_thread(client, title="Utenfra", body="Skal ikke lagres")
    assert response.status_code == 403
    assert escape(gettext("Only the council's members have access to its private space.")) in text(response)
    thread = selectors.threads(council=council()).first()
    response = client.post(thread.url_in(council()), {"action": "reply", "reply-body": "Skal ikke lagres"})
    assert response.status_code == 403
    assert client.get(thread.url_in(council())).status_code == 403
    assert (Thread.objects.count(), Post.objects.count()) == (before_threads, before_posts)


def test_anonymous_visitors_are_sent_to_log_in(client):
    thread = selectors.threads(council=council()).first()
    for url in (SPACE, thread.url_in(council()), f"/brukerutvalg/{BERGEN}/rom/medlemmer/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_thread_of_another_council_is_not_found_under_this_one(login):
    other = selectors.threads(council=council("brukerutvalget-i-vestland")).first()
    assert login("utvalgsmedlem").get(f"{SPACE}trad/{other.pk}/").status_code == 404


def test_hostile_html_is_sanitised(login):
    hostile = (
        '<p onclick="stjel()">Hei<script>alert("x")</script> '
        '<a href="javascript:alert(1)">klikk</a> <img src=x onerror="alert(2)">'
        '<a href="https://www.nav.no/">trygg lenke</a><style>body{display:none}</style></p>'
    )
    client = login("utvalgsmedlem")
    assert _new_thread(client, title="Test av formatering", body=hostile).status_code == 302
    post = Post.objects.get(thread__title="Test av formatering")
    for bad in ("<script", "alert", "onclick", "onerror", "javascript:", "<img", "<style", "display:none"):
        assert bad not in post.body
    assert '<a href="https://www.nav.no/"' in post.body and "Hei" in post.body
    body = text(client.get(post.thread.url_in(council())))
    assert "javascript:" not in body and "stjel()" not in body


def test_a_post_of_only_script_is_refused_as_empty(login):
    client = login("utvalgsmedlem")
    response = _new_thread(client, title="Tomt", body="<script>alert(1)</script>")
    assert response.status_code == 400
    assert not Thread.objects.filter(title="Tomt").exists()


def test_missing_title_is_a_field_error_tied_to_the_input(login):
    response = _new_thread(login("utvalgsmedlem"), title="", body="Tekst")
    assert response.status_code == 400
    body = text(response)
    assert 'aria-describedby="id_thread-title_error"' in body and 'id="id_thread-title_error"' in body


def _thread_with_reply():
    thread = actions.thread_start(council=council(), author=demo_user("utvalgsmedlem"), title="Klage på tone",
                                  body="Dette innlegget inneholder Stygtordbruk.")
    reply = actions.thread_reply(thread=thread, author=demo_user("utvalgsleder"), body="Svaret blir stående.")
    return thread, thread.posts.first(), reply


def test_secretary_hides_a_post_with_a_reason_and_replies_stay(client, login):
    thread, post, _reply = _thread_with_reply()
    url = thread.url_in(council())
    secretary = login("utvalgssekretaer")
    response = secretary.post(url, {"action": "hide", "hide-post": post.pk, "hide-reason": "Usaklig språkbruk"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.is_hidden and post.hidden_reason == "Usaklig språkbruk"
    assert post.hidden_by.username == "utvalgssekretaer"
    assert "Stygtordbruk" in post.body  # the text is kept

    client.force_login(demo_user("utvalgsmedlem"))
    body = text(client.get(url))
    assert "Usaklig språkbruk" in body and "Svaret blir stående." in body
    assert "Stygtordbruk" not in body

    client.force_login(demo_user("moderator"))
    assert "Stygtordbruk" in text(client.get(url))


def test_portal_moderator_can_hide_a_post(login):
    thread, post, _reply = _thread_with_reply()
    response = login("moderator").post(thread.url_in(council()),
                                       {"action": "hide", "hide-post": post.pk, "hide-reason": "Personangrep"})
    assert response.status_code == 302
    assert Post.objects.get(pk=post.pk).hidden_reason == "Personangrep"


def test_ordinary_members_cannot_hide_posts(login):
    thread, post, _reply = _thread_with_reply()
    response = login("utvalgsleder").post(thread.url_in(council()),
                                          {"action": "hide", "hide-post": post.pk, "hide-reason": "Uenig"})
    assert response.status_code == 403
    assert not Post.objects.get(pk=post.pk).is_hidden


def test_hiding_without_a_reason_is_refused_and_changes_nothing(login):
    thread, post, _reply = _thread_with_reply()
    response = login("utvalgssekretaer").post(thread.url_in(council()),
                                              {"action": "hide", "hide-post": post.pk, "hide-reason": "  "})
    assert response.status_code == 400
    assert escape(gettext("This field is required.")) in text(response)
    assert not Post.objects.get(pk=post.pk).is_hidden


def test_a_member_of_another_council_cannot_reply_through_the_action_either():
    thread, _post, _reply = _thread_with_reply()
    outsider = make_user("utenfor-handling")
    with pytest.raises(Exception) as error:
        actions.thread_reply(thread=thread, author=outsider, body="Nei")
    assert "PermissionDenied" in type(error.value).__name__
    assert thread.posts.count() == 2
