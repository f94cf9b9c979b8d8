"""The minutes lifecycle: draft (council only) → circulated for comments → chair approval → published,
and corrections after publication."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portal.meetings import actions, selectors
from portal.meetings.models import CIRCULATE, Attendance, Minutes
from tests.helpers import demo_user, pdf_text, text
from tests.meetings import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    page = factories.meeting(slug="referat-test", items=[{"title": "Skilting i mottaket"}])
    page.attendance = [Attendance(user=demo_user("utvalgsmedlem"), status="present"),
                       Attendance(user=demo_user("tidligere-medlem"), status="apologies")]
    page.save_revision().publish()
    return page


def _texts(page, discussion: str, conclusion: str) -> dict[int, tuple[str, str]]:
    return {item.pk: (discussion, conclusion) for item in page.agenda_items.all()}


def test_draft_minutes_are_seen_by_council_members_only(meeting, client, login):
    minutes = factories.minutes(meeting, {"Skilting i mottaket": ("Bjørkeskogen drøftet", "Vedtak")}, state="draft")
    assert "Bjørkeskogen" not in text(client.get(meeting.url))
    assert client.get(f"/moter/mote/{meeting.pk}/referat/").status_code == 404
    member = login("utvalgsmedlem")
    assert "Bjørkeskogen" in text(member.get(meeting.url))
    assert "Bjørkeskogen" in text(member.get(f"/moter/mote/{meeting.pk}/referat/"))
    assert minutes.status == Minutes.Status.DRAFT


def test_full_lifecycle_from_draft_to_published(meeting, client):
    secretary, chair = demo_user("utvalgssekretaer"), demo_user("utvalgsleder")
    minutes = actions.minutes_start(meeting=meeting, user=secretary)
    minutes = actions.minutes_save(minutes=minutes, user=secretary, loaded_version=minutes.version,
                                   texts=_texts(meeting, "Skiltene er for små", "Nye skilt bestilles"))
    minutes = actions.minutes_circulate(minutes=minutes, user=secretary,
                                        comment_deadline=timezone.localdate() + datetime.timedelta(days=7))
    actions.minutes_comment(minutes=minutes, user=demo_user("utvalgsmedlem"), text="Husk teleslyngen.")
    minutes = actions.minutes_submit_for_approval(minutes=minutes, user=secretary)
    with pytest.raises(PermissionDenied):
        actions.minutes_approve(minutes=minutes, user=secretary)
    assert "Skiltene er for små" not in text(client.get(meeting.url))
    minutes = actions.minutes_approve(minutes=minutes, user=chair)
    assert minutes.status == Minutes.Status.PUBLISHED and minutes.approved_by == chair
    body = text(client.get(meeting.url))
    assert "Skiltene er for små" in body and "Nye skilt bestilles" in body
    assert "Husk teleslyngen" not in body  # comments stay inside the council
    history = selectors.minutes_history(minutes=minutes, user=secretary)
    assert [event.action for event in history] == [
        "wagtail.create", "wagtail.edit", CIRCULATE, "wagtail.workflow.start", "wagtail.workflow.approve"]
    assert selectors.minutes_history(minutes=minutes, user=demo_user("fylkesutvalgsmedlem")) == []


def test_only_attendees_comment_and_only_within_the_period(meeting):
    minutes = factories.minutes(meeting, {}, state="circulated")
    with pytest.raises(PermissionDenied):
        actions.minutes_comment(minutes=minutes, user=demo_user("tidligere-medlem"), text="Ikke medlem lenger")
    with pytest.raises(PermissionDenied):
        actions.minutes_comment(minutes=minutes, user=demo_user("fylkesutvalgsmedlem"), text="Annet utvalg")
    Minutes.objects.filter(pk=minutes.pk).update(comment_deadline=timezone.localdate() - datetime.timedelta(days=1))
    minutes.refresh_from_db()
    with pytest.raises(ValidationError):
        actions.minutes_comment(minutes=minutes, user=demo_user("utvalgsmedlem"), text="For sent")
    assert not minutes.comments.exists()


def test_circulating_with_a_past_deadline_is_refused(meeting):
    minutes = factories.minutes(meeting, {}, state="draft")
    with pytest.raises(ValidationError):
        actions.minutes_circulate(minutes=minutes, user=factories.admin(),
                                  comment_deadline=timezone.localdate() - datetime.timedelta(days=1))
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.DRAFT


def test_minutes_awaiting_approval_cannot_be_edited_and_the_chair_can_return_them(meeting):
    minutes = factories.minutes(meeting, {"Skilting i mottaket": ("Første utkast", "")}, state="awaiting_approval")
    with pytest.raises(ValidationError):
        actions.minutes_save(minutes=minutes, user=demo_user("utvalgssekretaer"), loaded_version=minutes.version,
                             texts=_texts(meeting, "Endret i smug", ""))
    with pytest.raises(ValidationError):
        actions.minutes_return(minutes=minutes, user=demo_user("utvalgsleder"), reason="  ")
    minutes = actions.minutes_return(minutes=minutes, user=demo_user("utvalgsleder"), reason="Mangler vedtak")
    assert minutes.status == Minutes.Status.DRAFT
    assert minutes.entries.get().discussion == "Første utkast"


def test_a_stale_edit_is_refused_and_changes_nothing(meeting):
    secretary = demo_user("utvalgssekretaer")
    minutes = factories.minutes(meeting, {"Skilting i mottaket": ("Versjon en", "")}, state="draft")
    loaded = minutes.version
    actions.minutes_save(minutes=minutes, user=secretary, loaded_version=loaded,
                         texts=_texts(meeting, "Versjon to", ""))
    with pytest.raises(ValidationError):
        actions.minutes_save(minutes=minutes, user=demo_user("utvalgsleder"), loaded_version=loaded,
                             texts=_texts(meeting, "Versjon tre", ""))
    assert minutes.entries.get().discussion == "Versjon to"


def test_a_correction_after_publication_is_a_new_revision_with_a_visible_note(meeting, client):
    """A correction is saved as a new revision; the public keeps reading the approved text until the
    chair approves the correction, which then shows with its "corrected on" note."""
    minutes = factories.minutes(meeting, {"Skilting i mottaket": ("Feil dato nevnt", "Vedtak")})
    with pytest.raises(ValidationError) as error:
        actions.minutes_save(minutes=minutes, user=factories.admin(), loaded_version=minutes.version,
                             texts=_texts(meeting, "Riktig dato nevnt", "Vedtak"))
    assert "correction_note" in error.value.error_dict
    minutes = actions.minutes_save(minutes=minutes, user=factories.admin(), loaded_version=minutes.version,
                                   texts=_texts(meeting, "Riktig dato nevnt", "Vedtak"),
                                   correction_note="Datoen for befaringen er rettet.")
    body = text(client.get(meeting.url))
    assert "Feil dato nevnt" in body and "Riktig dato nevnt" not in body  # the draft correction does not leak
    assert "Datoen for befaringen er rettet." not in body
    minutes = actions.minutes_submit_for_approval(minutes=minutes, user=demo_user("utvalgssekretaer"))
    assert "Riktig dato nevnt" not in text(client.get(meeting.url))
    minutes = actions.minutes_approve(minutes=minutes, user=demo_user("utvalgsleder"))
    body = text(client.get(meeting.url))
    assert "Riktig dato nevnt" in body and "Datoen for befaringen er rettet." in body
    assert minutes.corrected_at is not None and minutes.status == Minutes.Status.PUBLISHED
    saved = [r.content["entries"][0]["discussion"] for r in minutes.revisions.order_by("pk")]
    assert saved[-2:] == ["Feil dato nevnt", "Riktig dato nevnt"]


def test_a_correction_in_progress_reaches_no_public_channel(meeting, client, login):
    """Draft changes to published minutes stay out of the page, PDF, feeds, search and API until
    the chair approves them; the secretary sees them on the minutes page."""
    minutes = factories.minutes(meeting, {"Skilting i mottaket": ("Godkjent tekst", "Vedtak")})
    actions.minutes_save(minutes=minutes, user=factories.admin(), loaded_version=minutes.version,
                         texts=_texts(meeting, "Utkast Gaupeunge", "Vedtak Gaupeunge"),
                         correction_note="Retting Gaupeunge")
    for url in [meeting.url, f"/moter/mote/{meeting.pk}/referat.pdf", "/moter/referater.atom",
                f"/moter/utvalg/{factories.council().pk}/referater.atom", f"/api/v2/pages/{meeting.pk}/", "/moter/"]:
        response = client.get(url)
        body = pdf_text(response.content) if url.endswith(".pdf") else text(response)
        assert "Gaupeunge" not in body, url
    # Search pages echo the query: what must be absent is the meeting among the results.
    assert f'href="{meeting.url}"' not in text(client.get("/search/?q=Gaupeunge"))
    assert "Gaupeunge" not in meeting.public_minutes_text()
    assert "Godkjent tekst" in text(client.get(meeting.url))
    member = login("utvalgsmedlem")
    assert "Gaupeunge" not in text(member.get(meeting.url))  # the meeting page shows the approved text
    assert "Gaupeunge" in text(login("utvalgssekretaer").get(f"/moter/mote/{meeting.pk}/referat/"))


def test_the_minutes_page_walks_the_secretary_and_chair_through_the_steps(meeting, login):
    secretary = login("utvalgssekretaer")
    url = f"/moter/mote/{meeting.pk}/referat/"
    assert secretary.post(url, {"action": "start"}).status_code == 302
    minutes = Minutes.objects.get(meeting=meeting)
    item = meeting.agenda_items.get()
    response = secretary.post(url, {"action": "save", "version": minutes.version,
                                    f"discussion_{item.pk}": "Drøftet skilting", f"conclusion_{item.pk}": "Bestilt"})
    assert response.status_code == 302
    stale = secretary.post(url, {"action": "save", "version": minutes.version,
                                 f"discussion_{item.pk}": "Overskriver", f"conclusion_{item.pk}": ""})
    assert stale.status_code == 400 and "Overskriver" in text(stale)  # the refused text is kept in the form
    assert secretary.post(url, {"action": "circulate", "comment_deadline": "1999-01-01"}).status_code == 400
    assert secretary.post(url, {"action": "submit"}).status_code == 302
    assert secretary.post(url, {"action": "nonsense"}).status_code == 302
    chair = login("utvalgsleder")
    assert chair.post(url, {"action": "approve"}).status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.PUBLISHED
    assert minutes.entries.get().discussion == "Drøftet skilting"


def test_unknown_meeting_id_is_404(login):
    assert login("utvalgsmedlem").get("/moter/mote/999999/referat/").status_code == 404


def test_attendees_are_told_to_comment_and_the_chair_to_approve_without_the_text(
    meeting, django_capture_on_commit_callbacks
):
    from django.core import mail

    minutes = factories.minutes(meeting, {"Skilting i mottaket": ("Hemmelig Fjellrev", "")}, state="draft")
    secretary = demo_user("utvalgssekretaer")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        minutes = actions.minutes_circulate(minutes=minutes, user=secretary,
                                            comment_deadline=timezone.localdate() + datetime.timedelta(days=5))
    # Only the attendee who was present (not the one with apologies, not the sender) is asked to comment.
    assert [m.to for m in mail.outbox] == [[demo_user("utvalgsmedlem").email]]
    assert "Fjellrev" not in mail.outbox[0].body and f"/moter/mote/{meeting.pk}/referat/" in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.minutes_submit_for_approval(minutes=minutes, user=secretary)
    assert [m.to for m in mail.outbox] == [[demo_user("utvalgsleder").email]]
