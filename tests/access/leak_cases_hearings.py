"""Private kinds of the hearings area: an organisation's draft response (page, previews, revisions,
admin), input (innspill) from a member organisation to its umbrella's draft, and an accepted
response to a hearing whose responses are published only when the deadline passes."""

from __future__ import annotations

from portal.hearings import actions
from portal.hearings.export_jobs import export_start
from tests.access.leak_cases import PrivateCase, private_kind
from tests.access.leak_cases_organisations import admin_urls, editor_urls, member_of
from tests.hearings.helpers import FFB, FSA, URB, accept, attach_original, make_hearing, make_response
from tests.helpers import demo_page, demo_user


@private_kind("hearing response draft")
def hearing_response_draft() -> PrivateCase:
    secret = "Snohettaforslaget"
    member = member_of(FFB, "ffb-svarskriver")
    other = member_of(URB, "urb-svarskriver")
    hearing = make_hearing("lekk-utkast")
    draft = make_response(
        hearing, remarks=f"<p>{secret} og Gaustadtoppen.</p>",
        parts=[("1", "amendment", "Dovrebanen begrunner.", f"{secret} erstatter punktet, med Trolltunga.")],
    )
    attach_original(draft, words=f"{secret}: signert brev.")
    urls = {"page": [draft.url, draft.url + "send-inn/", *editor_urls(draft)], "document": [draft.url + "original/"],
            **admin_urls(draft)}
    # Members work on the portal (the editor), not in the admin: they see it there.
    return PrivateCase(
        secret=secret, hidden=("Gaustadtoppen", "Trolltunga", "Dovrebanen"), member=member, other_member=other,
        urls=urls, member_sees=("page", "document"),
        stored_files=(draft.get_latest_revision_as_object().original.name,),
    )


@private_kind("hearing input from a member organisation", insiders=("member_organisation_member",))
def hearing_input() -> PrivateCase:
    secret = "Rondaneinnspillet"
    member = member_of(FFB, "ffb-innspillsleser")
    other = member_of(URB, "urb-innspillsleser")
    hearing = make_hearing("lekk-innspill")
    draft = make_response(hearing)
    actions.input_send(response=draft, organisation=demo_page(FSA), user=demo_user("medlemsorg-medlem"),
                       text=f"{secret}: husk Jotunheimstien.")
    # The hearing page lists what its viewer may do; it answers everyone, but never with the input.
    urls = {"page": [draft.url, hearing.url + f"innspill/{draft.pk}/"], "listing": [hearing.url]}
    return PrivateCase(secret=secret, hidden=("Jotunheimstien",), member=member, other_member=other, urls=urls)


@private_kind("hearing response before its release at the deadline", insiders=("hearing_owner",))
def response_before_release() -> PrivateCase:
    secret = "Hardangervidda-svaret"
    member = member_of(FFB, "ffb-fristleser")
    other = member_of(URB, "urb-fristleser")
    hearing = make_hearing("lekk-ved-frist", policy="at_deadline", days=5)
    draft = make_response(
        hearing, remarks=f"<p>{secret} om Finnmarksvidda.</p>",
        parts=[("2", "amendment", "Saltfjellet.", f"{secret} som ny tekst.")],
    )
    published = accept(attach_original(draft, words=f"{secret}: signert brev."))
    # The owners' bundles hold it before the release: built, their files must stay theirs.
    jobs = [export_start(hearing=hearing, user=demo_user("horingseier"), kind=kind) for kind in ("pdf", "zip")]
    assert all(job.state == "done" for job in jobs)
    bundle_urls = [hearing.url + f"svar/eksport/jobb/{job.key}/{end}"
                   for job in jobs for end in ("", "status/", "fil/")]
    # The hearing page is public; before the deadline it shows the response only to the
    # organisation's own members (and the hearing owners).
    urls = {
        "page": [hearing.url + "svar/", hearing.url + "svar/eksport/csv/", *response_page_urls(published)],
        "listing": [hearing.url],
        "document": [*response_file_urls(published), *bundle_urls],
    }
    return PrivateCase(
        secret=secret, hidden=("Finnmarksvidda", "Saltfjellet"), member=member, other_member=other, urls=urls,
        member_sees=("page", "listing", "document"), stored_files=(published.original.name,),
    )


@private_kind("withdrawn hearing response")
def withdrawn_response() -> PrivateCase:
    secret = "Jostedalsbreen-svaret"
    member = member_of(URB, "urb-tilbaketrekker")
    other = member_of(FFB, "ffb-tilbaketrekker")
    hearing = make_hearing("lekk-trukket")
    draft = make_response(
        hearing, URB, remarks=f"<p>{secret} om Lofoten.</p>",
        parts=[("1", "amendment", "Senja.", f"{secret} som ny tekst.")],
    )
    published = accept(attach_original(draft, words=f"{secret}: signert brev."))
    actions.published_withdraw(published=published, user=demo_user("urb-leder"))
    # The hearing page keeps a dated marker, and so does the response's own page (410 Gone); the
    # text and its files left with the withdrawal.
    urls = {
        "page": response_page_urls(published), "listing": [hearing.url], "document": response_file_urls(published),
    }
    return PrivateCase(
        secret=secret, hidden=("Lofoten", "Senja"), member=member, other_member=other, urls=urls,
        member_sees=("page", "document"), stored_files=(published.original.name,),
    )


def response_page_urls(published) -> list[str]:
    """A published response's own page (``svar/<id>/``) below every language version of its hearing."""
    hearing = published.hearing
    return [version.url + f"svar/{published.pk}/" for version in hearing.get_translations(inclusive=True)]


def response_file_urls(published) -> list[str]:
    """The response as PDF and its original (the uploaded signed letter), as its page links them."""
    base = published.hearing.url + f"svar/{published.pk}/"
    return [base + "pdf/", base + "original/"]


def document_feed_urls() -> list[str]:
    """The Atom feed of every hearing and of every organisation (hearing responses, position papers),
    in two languages: built for anonymous readers, whoever asks."""
    from portal.hearings.models import HearingPage
    from portal.organisations.models import OrganisationPage

    urls = []
    for hearing in HearingPage.objects.filter(locale__language_code="nb"):
        urls += [f"/strommer/horing/{hearing.pk}.atom", f"/en/strommer/horing/{hearing.pk}.atom"]
    for organisation in OrganisationPage.objects.filter(locale__language_code="nb"):
        urls.append(f"/strommer/organisasjon/{organisation.pk}.atom")
    return urls


def open_data_urls() -> list[str]:
    """The open data API: every listing (items carry their full data, agendas and minutes included)
    and the detail of every hearing, response and meeting, so a private case's object is asked for
    by id too."""
    from portal.hearings.models import HearingPage, PublishedResponse
    from portal.meetings.models import MeetingPage

    urls = [f"/api/v2/{endpoint}/?limit=100" for endpoint in
            ("hearings", "responses", "position-papers", "councils", "meetings")]
    urls += [f"/api/v2/hearings/{pk}/" for pk in HearingPage.objects.values_list("pk", flat=True)]
    urls += [f"/api/v2/responses/{pk}/" for pk in PublishedResponse.objects.values_list("pk", flat=True)]
    urls += [f"/api/v2/meetings/{pk}/" for pk in MeetingPage.objects.values_list("pk", flat=True)]
    return urls


@private_kind("hearing response draft after a declined co-signature")
def draft_after_declined_cosignature() -> PrivateCase:
    """The asked organisation's lead declined (#17 finding 5): the declined co-signer is the
    "other member" here, and neither the text as shared nor any later draft may reach them."""
    secret = "Gjendeutkastet"
    member = member_of(FFB, "ffb-medsigneringsleser")
    hearing = make_hearing("lekk-medsignering")
    draft = make_response(hearing, remarks=f"<p>{secret} om Gjendeosen.</p>")
    signature = actions.cosign_request(response=draft, organisation=demo_page(URB), user=demo_user("org-medlem"))
    actions.cosign_decide(signature=signature, user=demo_user("urb-leder"), approve=False)
    later = draft.get_latest_revision_as_object()
    later.general_remarks = f"<p>{secret} etter avslaget, om Memurubu.</p>"
    later.save_revision(user=demo_user("org-medlem"))
    return PrivateCase(
        secret=secret, hidden=("Gjendeosen", "Memurubu"), member=member, other_member=demo_user("urb-leder"),
        urls={"page": [hearing.url + f"medsignering/{signature.pk}/", draft.url]},
    )


def released_response(policy: str) -> PrivateCase:
    """Not private: the positive control for the response channels. An accepted response to a
    hearing that publishes on acceptance, or at its deadline once the deadline has passed, which
    everyone may read on its page, as PDF and as the original."""
    from django.utils import timezone

    from portal.hearings.models import HearingPage

    secret = "Femundsmarkasvaret"
    member = member_of(FFB, "ffb-frigittleser")
    other = member_of(URB, "urb-frigittleser")
    hearing = make_hearing(f"frigitt-{policy}", policy=policy, days=5)
    draft = make_response(hearing, remarks=f"<p>{secret} om Rogen.</p>",
                          parts=[("1", "amendment", "Grovelsjoen.", f"{secret} som ny tekst.")])
    published = accept(attach_original(draft, words=f"{secret}: signert brev."))
    if policy == "at_deadline":
        HearingPage.objects.filter(pk=hearing.pk).update(deadline=timezone.now() - timezone.timedelta(minutes=1))
        published.refresh_from_db()
    return PrivateCase(secret=secret, member=member, other_member=other,
                       urls={"page": response_page_urls(published), "document": response_file_urls(published)})
