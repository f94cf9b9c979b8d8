"""Private kinds of the hearings area: an organisation's draft response (page, previews, revisions,
admin), input (innspill) from a member organisation to its umbrella's draft, and an accepted
response to a hearing whose responses are published only when the deadline passes."""

from __future__ import annotations

from portal.hearings import actions
from tests.access.leak_cases import PrivateCase, private_kind
from tests.access.leak_cases_organisations import admin_urls, member_of
from tests.hearings.helpers import FFB, FSA, URB, accept, make_hearing, make_response
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
    urls = {"page": [draft.url, draft.url + "send-inn/"], **admin_urls(draft)}
    return PrivateCase(
        secret=secret, hidden=("Gaustadtoppen", "Trolltunga", "Dovrebanen"), member=member, other_member=other,
        urls=urls, member_sees=("page", "preview", "revisions", "admin"),
    )


@private_kind("hearing input from a member organisation")
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


@private_kind("hearing response before its release at the deadline")
def response_before_release() -> PrivateCase:
    secret = "Hardangervidda-svaret"
    member = member_of(FFB, "ffb-fristleser")
    other = member_of(URB, "urb-fristleser")
    hearing = make_hearing("lekk-ved-frist", policy="at_deadline", days=5)
    accept(make_response(
        hearing, remarks=f"<p>{secret} om Finnmarksvidda.</p>",
        parts=[("2", "amendment", "Saltfjellet.", f"{secret} som ny tekst.")],
    ))
    # The hearing page is public; before the deadline it shows the response only to the
    # organisation's own members (and the hearing owners).
    urls = {"page": [hearing.url + "svar/", hearing.url + "svar/eksport/csv/"], "listing": [hearing.url]}
    return PrivateCase(
        secret=secret, hidden=("Finnmarksvidda", "Saltfjellet"), member=member, other_member=other, urls=urls,
        member_sees=("listing",),
    )
