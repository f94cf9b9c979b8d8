"""Private kinds of council meetings: draft minutes, confidential agenda items (in published minutes
and on a planned agenda, so feeds and search are tried), and the internal note of a referred case."""

from __future__ import annotations

import datetime

from django.test import TestCase
from django.utils import timezone

from portal.councils.models import CouncilPage
from portal.meetings import actions
from portal.meetings.models import Minutes
from tests.access.leak_cases import PrivateCase, private_kind
from tests.helpers import demo_user
from tests.meetings import factories


def meeting_feed_urls() -> list[str]:
    """Every meetings feed: all councils and each demo council, iCalendar and Atom, two languages."""
    urls = ["/moter/kalender.ics", "/moter/referater.atom", "/nn/moter/kalender.ics", "/en/moter/referater.atom"]
    for council in CouncilPage.objects.filter(locale__language_code="nb"):
        urls += [f"/moter/utvalg/{council.pk}/kalender.ics", f"/moter/utvalg/{council.pk}/referater.atom"]
    return urls


def _public_urls(page) -> list[str]:
    """The meeting's public page, its PDF, and every case trail: 200 for everyone, with the
    placeholder instead of the confidential text for anyone outside the council."""
    trails = [f"/moter/sak/{item.pk}/" for item in page.agenda_items.all()]
    return [page.url, f"/moter/mote/{page.pk}/referat.pdf", *trails]


def _admin_urls(page) -> dict[str, list[str]]:
    """The meeting page's admin views and, once the meeting has minutes, their snippet views (edit,
    history, revisions: every save of the minutes is a Wagtail revision)."""
    urls = {
        "admin": [f"/admin/pages/{page.pk}/edit/"],
        "revisions": [f"/admin/pages/{page.pk}/history/",
                      f"/admin/pages/{page.pk}/revisions/compare/earliest...latest/"],
    }
    minutes = Minutes.objects.filter(meeting=page).first()
    if minutes is not None:
        base = "/admin/snippets/meetings/minutes"
        urls["admin"] += [f"{base}/edit/{minutes.pk}/", f"{base}/", f"{base}/workflow_history/{minutes.pk}/"]
        urls["revisions"] += [f"{base}/history/{minutes.pk}/",
                              f"{base}/history/{minutes.pk}/revisions/compare/earliest...latest/"]
    return urls


@private_kind("draft minutes", notifies=True)
def draft_minutes() -> PrivateCase:
    secret, hidden = "Rypesporet", "Tiurleiken"
    page = factories.meeting(slug="lekk-utkast", items=[{"title": "Ventetid ved kontoret"}])
    minutes = factories.minutes(page, {"Ventetid ved kontoret": (f"{secret} ble drøftet", f"{hidden} vedtatt")},
                                state="draft")

    def circulate_and_submit() -> None:
        # Notifications are sent when the step commits: run the on-commit callbacks here.
        with TestCase.captureOnCommitCallbacks(execute=True):
            record = actions.minutes_circulate(minutes=minutes, user=demo_user("utvalgssekretaer"),
                                               comment_deadline=timezone.localdate() + datetime.timedelta(days=7))
        with TestCase.captureOnCommitCallbacks(execute=True):
            actions.minutes_submit_for_approval(minutes=record, user=demo_user("utvalgssekretaer"))

    return PrivateCase(
        secret=secret, hidden=(hidden,), member=demo_user("utvalgsmedlem"),
        other_member=demo_user("fylkesutvalgsmedlem"),
        urls={"page": [f"/moter/mote/{page.pk}/referat/"], "listing": _public_urls(page), **_admin_urls(page)},
        trigger_notifications=circulate_and_submit,
        notified_members=(demo_user("utvalgsmedlem"), demo_user("utvalgsleder"), demo_user("utvalgssekretaer")),
    )


@private_kind("correction in progress of published minutes")
def correction_in_progress() -> PrivateCase:
    """Published minutes with a correction saved but not yet approved by the chair: the corrected
    text is in a revision only, and no channel may show it until the chair approves it."""
    secret, hidden = "Polarmåken", "Lundeberget"
    page = factories.meeting(slug="lekk-retting", items=[{"title": "Ventetid ved kontoret"}])
    minutes = factories.minutes(page, {"Ventetid ved kontoret": ("Godkjent tekst", "Godkjent vedtak")})
    actions.minutes_save(minutes=minutes, user=demo_user("utvalgssekretaer"), loaded_version=minutes.version,
                         texts={page.agenda_items.get().pk: (f"{secret} rettet", f"{hidden} rettet")},
                         correction_note="Retting av referatet")
    return PrivateCase(
        secret=secret, hidden=(hidden,), member=demo_user("utvalgsmedlem"),
        other_member=demo_user("fylkesutvalgsmedlem"),
        urls={"page": [f"/moter/mote/{page.pk}/referat/"], "listing": _public_urls(page), **_admin_urls(page)},
    )


@private_kind("confidential agenda item in published minutes")
def confidential_item_in_published_minutes() -> PrivateCase:
    secret, hidden, said = "Hermelinhiet", "Snøugleredet", "Lirypeflokken"
    page = factories.meeting(slug="lekk-unntatt", items=[
        {"title": "Åpen sak om skilting", "description": "Skilting i mottaket"},
        factories.confidential(f"Klage {secret}", f"Opplysninger om {hidden}"),
    ])
    factories.minutes(page, {f"Klage {secret}": (f"Drøftet {said}", f"Avgjort {said}"),
                             "Åpen sak om skilting": ("Ny skilting bestilt", "Tas til orientering")})
    item = page.agenda_items.get(confidential=True)
    return PrivateCase(
        secret=secret, hidden=(hidden, said), member=demo_user("utvalgsmedlem"),
        other_member=demo_user("fylkesutvalgsmedlem"),
        urls={"page": [f"/moter/mote/{page.pk}/referat/", f"/moter/sak/{item.pk}/henvis/"],
              "listing": _public_urls(page), **_admin_urls(page)},
    )


@private_kind("confidential agenda item on a planned agenda")
def confidential_item_on_planned_agenda() -> PrivateCase:
    secret, hidden = "Jervesporet", "Fjellvåkrede"
    page = factories.meeting(slug="lekk-planlagt", days=14, status="planned",
                             items=[factories.confidential(f"Forhandling {secret}", f"Tilbud fra {hidden}")])
    item = page.agenda_items.get()
    return PrivateCase(
        secret=secret, hidden=(hidden,), member=demo_user("utvalgssekretaer"),
        other_member=demo_user("fylkesutvalgsmedlem"),
        urls={"page": [f"/moter/sak/{item.pk}/henvis/"], "listing": _public_urls(page), **_admin_urls(page)},
    )


@private_kind("note of a referred case")
def referred_case_note() -> PrivateCase:
    secret, hidden = "Lemenåret", "Gaupestien"
    page = factories.meeting(slug="lekk-henvist", items=[{"title": "Svartider på søknader"}])
    item = page.agenda_items.get()
    vestland = factories.council(factories.VESTLAND)
    actions.case_refer(item=item, to_council=vestland, user=factories.admin(),
                       note=f"Internt: {secret} og {hidden}")
    other = factories.council_member("nasjonalt-medlem-lekk", factories.NATIONAL)
    return PrivateCase(
        secret=secret, hidden=(hidden,), member=demo_user("fylkesutvalgsmedlem"), other_member=other,
        urls={"page": [f"/moter/utvalg/{vestland.pk}/henviste-saker/",
                       f"/moter/utvalg/{factories.council().pk}/henviste-saker/"],
              "listing": _public_urls(page)},
    )


@private_kind("confidential agenda item's attachment in the default collection")
def confidential_item_attachment() -> PrivateCase:
    """#17 finding 9: an exempt item's attachment sat in the default (public) collection. It has the
    item's protection wherever it sits, also when a public page links it."""
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.models import Collection

    from portal.core.documents import simple_pdf
    from portal.core.models import StandardPage
    from tests.helpers import demo_page

    secret, hidden = "Polarrevhiet", "Snøspurvreiret"
    document = get_document_model()(title="Vedlegg til klage", collection=Collection.get_first_root_node())
    document.file.save("klagevedlegg.pdf", ContentFile(simple_pdf("Vedlegg", f"{secret} ved {hidden}")), save=False)
    document._set_document_file_metadata()
    document.save()
    page = factories.meeting(slug="lekk-unntatt-vedlegg", items=[
        {**factories.confidential("Klage på vedtak"), "attachment": document},
    ])
    public = StandardPage(title="Side som lenker vedlegget", slug="lenker-unntatt-vedlegg",
                          body=f'<p>Se <a linktype="document" id="{document.pk}">vedlegget</a>.</p>')
    demo_page("hjem").add_child(instance=public)
    public.save_revision().publish()
    return PrivateCase(
        secret=secret, hidden=(hidden,), member=demo_user("utvalgsmedlem"),
        other_member=demo_user("fylkesutvalgsmedlem"),
        urls={"document": [document.url], "listing": [*_public_urls(page), public.url]},
        member_sees=("document",),
    )


@private_kind("planned meeting visible to the council only")
def private_planned_meeting() -> PrivateCase:
    """A meeting restricted to the council's members, planned for next week: the home page's
    "upcoming meetings" (and the calendar feeds) must not name it to anyone else."""
    from portal.councils.models import CouncilSpace
    from tests.helpers import restrict_to_groups

    secret = "Orrhanedansen"
    page = factories.meeting(slug="lekk-privat-planlagt", days=6, status="planned")
    page.title = f"Arbeidsmøte {secret}"
    page.save_revision().publish()
    council = factories.council()
    restrict_to_groups(page, CouncilSpace.objects.get(council_key=council.translation_key).members)
    return PrivateCase(
        secret=secret, member=demo_user("utvalgsmedlem"), other_member=demo_user("fylkesutvalgsmedlem"),
        urls={"page": [page.url]},
    )
