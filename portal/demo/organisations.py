"""Demo: every organisation's private space with a realistic draft, and its groups in step with the
demo memberships. Idempotent: looks before it creates."""

from __future__ import annotations

from portal.organisations import actions
from portal.organisations.models import OrganisationDraftPage, OrganisationPage

from .builder import Demo

DRAFTS = {
    # organisation slug: (draft slug, title, body)
    "fellesforbundet-for-brukerorganisasjoner": (
        "utkast-innspill-strategi-brukermedvirkning",
        "Utkast: innspill til strategi for brukermedvirkning",
        "<h2>1. Innledning</h2><p>FFB takker for muligheten til å gi innspill. Vi har samlet synspunkter fra "
        "medlemsorganisasjonene FSA og LKS før fristen.</p>"
        "<h2>2. Arbeid mellom møtene</h2><p>Vi støtter forslaget om en digital arbeidsflate, men den må være "
        "universelt utformet fra første dag. Brukerrepresentantene må få lesetilgang til sakspapirene minst to "
        "uker før møtet.</p>"
        "<h2>3. Opplæring</h2><p>Opplæringsprogrammet bør utvikles sammen med organisasjonene. "
        "<em>Liv: legg inn tallene fra medlemsundersøkelsen her.</em></p>",
    ),
    "foreningen-for-synshemmede-i-arbeidslivet": (
        "utkast-innspill-til-ffb-universell-utforming",
        "Utkast: innspill til FFB om universell utforming",
        "<p>FSA ber FFB løfte at skjemaer og vedlegg i den nye arbeidsflaten må fungere med skjermleser og "
        "forstørrelse. Vi foreslår at brukertesting med blinde og svaksynte blir et krav i strategien.</p>",
    ),
    "landsforeningen-for-kronisk-syke": (
        "utkast-notat-om-mote-tilrettelegging",
        "Utkast: notat om tilrettelegging av møter",
        "<p>Mange av våre medlemmer har begrenset energi. Møter bør kunne følges digitalt, og sakspapirer bør "
        "komme i god tid slik at representantene kan forberede seg i eget tempo.</p>",
    ),
    "ungdomsradet-for-brukermedvirkning": (
        "utkast-standpunkt-unge-brukerrepresentanter",
        "Utkast: standpunkt om unge brukerrepresentanter",
        "<p>URB mener at minst én plass i hvert fylkesutvalg bør være forbeholdt en representant under 30 år. "
        "Møtetidspunkt og godtgjøring må gjøre det mulig å delta ved siden av skole og studier.</p>",
    ),
}


def load(demo: Demo) -> None:
    for organisation in OrganisationPage.objects.live().order_by("path"):
        space = actions.ensure_space(organisation=organisation)
        if organisation.locale.language_code == "nb":
            actions.sync_groups(organisation=organisation)
            _draft(demo, organisation, space)
            demo.pages[f"space_{organisation.slug}"] = space


def _draft(demo: Demo, organisation: OrganisationPage, space) -> None:
    if organisation.slug not in DRAFTS:
        return
    slug, title, body = DRAFTS[organisation.slug]
    if OrganisationDraftPage.objects.child_of(space).filter(slug=slug).exists():
        return
    draft = OrganisationDraftPage(title=title, slug=slug, body=body)
    space.add_child(instance=draft)
    # Published inside the space (members read it on the site), then edited further: the newest
    # revision stays unpublished, as it would while members work on it.
    draft.save_revision().publish()
    draft.body = body + "<p><em>Nytt avsnitt under arbeid.</em></p>"
    draft.save_revision()
    demo.note(f"OrganisationDraftPage {slug}")
