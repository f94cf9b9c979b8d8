"""Demo position papers: FFB on universal design of digital services and URB on the mandate of
user councils, each drafted in the organisation's private space and published through the real
workflow (organisation approval, then moderation), which makes the public copy."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from portal.organisations.models import OrganisationPage
from portal.organisations.selectors import space_for
from portal.positions.models import PositionPaperPage
from workflows import actions as workflow_actions
from workflows import notifications

from .builder import Demo

FFB = "fellesforbundet-for-brukerorganisasjoner"
URB = "ungdomsradet-for-brukermedvirkning"

PAPERS = [
    {
        "organisation": FFB,
        "slug": "standpunkt-universell-utforming-digitale-tjenester",
        "author": "org-medlem",
        "approvers": ("org-leder", "moderator"),
        "title": "Digitale tjenester må være universelt utformet fra første dag",
        "summary": (
            "FFB mener at etaten ikke kan ta i bruk nye digitale tjenester før de er testet med brukere som "
            "bruker skjermleser, forstørrelse eller tastatur. Den som ikke kan bruke selvbetjening, må få "
            "likeverdig hjelp på telefon og ved oppmøte."
        ),
        "body": (
            "<h2>Bakgrunn</h2>"
            "<p>Stadig flere søknader, meldekort og dialoger med etaten skjer bare digitalt. Medlemmene våre "
            "forteller om skjemaer som ikke kan fylles ut med skjermleser, PDF-vedlegg uten tekst og "
            "innloggingsløsninger som stenger ute dem som trenger mer tid.</p>"
            "<h2>Vårt standpunkt</h2>"
            "<ul><li>Nye tjenester testes med brukere med ulike funksjonsnedsettelser før de lanseres, ikke "
            "etterpå.</li>"
            "<li>Kravene i regelverket om universell utforming er et minimum. Brukererfaring må veie like tungt "
            "som teknisk samsvar.</li>"
            "<li>Alle tjenester skal ha et likeverdig alternativ på telefon og ved oppmøte, uten at brukeren må "
            "forklare hvorfor.</li>"
            "<li>Brukerutvalgene skal få se planene for nye tjenester tidlig nok til at innspill kan endre "
            "dem.</li></ul>"
            "<h2>Hva vi ber om</h2>"
            "<p>Vi ber etaten om å lage en fast ordning der brukerorganisasjonene deltar i testing, og om å "
            "rapportere årlig til Sentralt brukerutvalg om hvilke tjenester som ikke oppfyller kravene.</p>"
        ),
        "topics": ["universell utforming", "digitale tjenester", "brukermedvirkning"],
    },
    {
        "organisation": URB,
        "slug": "standpunkt-brukerutvalgenes-mandat",
        "author": "urb-leder",
        "approvers": ("admin", "moderator"),
        "title": "Brukerutvalgene trenger et tydeligere mandat",
        "summary": (
            "URB mener at brukerutvalgenes mandat må si hvilke saker utvalgene skal behandle før beslutning, og "
            "at etaten må svare skriftlig på hvordan rådene er fulgt opp. Unge brukere må ha egne plasser i "
            "utvalgene."
        ),
        "body": (
            "<h2>Hvorfor vi tar opp dette</h2>"
            "<p>Mange unge representanter opplever at saker legges fram når beslutningen allerede er tatt. Da "
            "blir brukermedvirkning informasjon, ikke medvirkning.</p>"
            "<h2>Vårt standpunkt</h2>"
            "<ol><li>Mandatet skal liste opp sakstyper som alltid skal drøftes med utvalget før beslutning, "
            "blant annet endringer i tjenestetilbud, åpningstider og digitale løsninger.</li>"
            "<li>Etaten skal innen tre måneder svare skriftlig på hvert råd utvalget gir, og si hva som ble "
            "fulgt opp og hvorfor noe eventuelt ikke ble det.</li>"
            "<li>Minst to plasser i hvert utvalg skal gå til representanter under 30 år, med vara.</li>"
            "<li>Møtetider og godtgjøring må gjøre det mulig å delta ved siden av skole, studier og arbeid.</li>"
            "</ol>"
            "<p>Vi vil gjerne bidra når mandatet skal revideres neste gang.</p>"
        ),
        "topics": ["brukerutvalg", "mandat", "unge brukere", "brukermedvirkning"],
    },
]


def load(demo: Demo) -> None:
    users = {name: get_user_model().objects.get(username=name)
             for name in ("org-medlem", "org-leder", "urb-leder", "admin", "moderator")}
    for paper in PAPERS:
        _publish(demo, paper, users)


def _publish(demo: Demo, spec: dict[str, Any], users: dict[str, Any]) -> None:
    organisation = OrganisationPage.objects.get(slug=spec["organisation"], locale__language_code="nb")
    space = space_for(organisation=organisation)
    if space is None or PositionPaperPage.objects.child_of(space).filter(slug=spec["slug"]).exists():
        return
    author = users[spec["author"]]
    page = PositionPaperPage(title=spec["title"], slug=spec["slug"], summary=spec["summary"], body=spec["body"],
                             live=False, owner=author)
    space.add_child(instance=page)
    page.topics.set(spec["topics"])
    page.save_revision(user=author)
    with notifications.quiet():
        workflow_actions.submit_for_moderation(page=page, user=author)
        for approver in spec["approvers"]:
            page.refresh_from_db()
            workflow_actions.approve(task_state=page.current_workflow_state.current_task_state,
                                     user=users[approver], comment="Godkjent.")
    demo.note(f"PositionPaperPage {spec['slug']} (published)")
