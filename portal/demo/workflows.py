"""Demo: the portal's workflows assigned by place, and three drafts in FFB's space that show them at
work with the demo accounts:

- a hearing response that went draft → organisation approval (org-leder) → moderation (moderator)
  → published, each step in its history;
- a position paper approved by the organisation and waiting in the moderation queue;
- a draft sent back by the lead with a reason, waiting for the authors to change and resubmit it.

Idempotent: a draft that already exists is left as it is. E-mails are not sent while the demo
loads; the in-site notifications are stored.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from portal.access.users import Account
from portal.organisations.models import OrganisationDraftPage, OrganisationPage, OrganisationSpacePage
from workflows import actions, notifications
from workflows.setup import ensure_workflows

from .builder import Demo

FFB = "fellesforbundet-for-brukerorganisasjoner"

PUBLISHED = (
    "horingssvar-strategi-brukermedvirkning",
    "Høringssvar: strategi for brukermedvirkning 2027–2030",
    "<h2>1. Innledning</h2><p>Fellesforbundet for brukerorganisasjoner (FFB) gir med dette sitt svar på "
    "høringen. Svaret bygger på innspill fra medlemsorganisasjonene, samlet på et digitalt møte i oktober.</p>"
    "<h2>2. Arbeid mellom møtene</h2><p>Vi støtter en felles digital arbeidsflate for utvalgene. Den må "
    "kunne brukes med skjermleser, og sakspapirene må ligge der senest to uker før møtet.</p>"
    "<h2>3. Endringsforslag til punkt 3</h2><p>Vi foreslår at teksten i punkt 3 erstattes med: «Hvert "
    "brukerutvalg skal få skriftlig tilbakemelding på hva som er gjort med sakene det har løftet.»</p>",
)
WAITING = (
    "standpunkt-opplaering-brukerrepresentanter",
    "Standpunkt: opplæring av brukerrepresentanter",
    "<p>FFB mener at alle nye brukerrepresentanter skal tilbys et grunnkurs i løpet av de første tre "
    "månedene. Kurset bør utvikles sammen med organisasjonene, gis både digitalt og fysisk, og gi kunnskap "
    "om rollen, saksbehandlingen og taushetsplikten.</p>",
)
SENT_BACK = (
    "utkast-innspill-moteplan-2027",
    "Utkast: innspill til møteplan for 2027",
    "<p>Vi ber om at møtene i brukerutvalgene legges til tidspunkter som passer for representanter i "
    "jobb. Møteplanen for hele året bør være klar før jul.</p>",
)


def load(demo: Demo) -> None:
    ensure_workflows()
    organisation = OrganisationPage.objects.filter(slug=FFB, locale__language_code="nb").first()
    space = OrganisationSpacePage.objects.child_of(organisation).first() if organisation else None
    if space is None:
        return
    User = get_user_model()
    member = User.objects.get(username="org-medlem")
    lead = User.objects.get(username="org-leder")
    moderator = User.objects.get(username="moderator")
    with notifications.quiet():
        _published(demo, space, member, lead, moderator)
        _waiting(demo, space, member, lead)
        _sent_back(demo, space, member, lead)


def _new_draft(demo: Demo, space: OrganisationSpacePage, spec: tuple[str, str, str], author: Account) -> Any:
    slug, title, body = spec
    if OrganisationDraftPage.objects.child_of(space).filter(slug=slug).exists():
        return None
    page = OrganisationDraftPage(title=title, slug=slug, body=body, live=False, owner=author)
    space.add_child(instance=page)
    page.save_revision(user=author)
    demo.note(f"OrganisationDraftPage {slug} (workflow)")
    demo.pages[f"workflow_{slug}"] = page
    return page


def _current_task_state(page: Any) -> Any:
    page.refresh_from_db()
    return page.current_workflow_state.current_task_state


def _published(demo: Demo, space: OrganisationSpacePage, member: Account, lead: Account, moderator: Account) -> None:
    page = _new_draft(demo, space, PUBLISHED, member)
    if page is None:
        return
    actions.submit_for_moderation(page=page, user=member)
    actions.approve(task_state=_current_task_state(page), user=lead,
                    comment="Godkjent i styret. Fint at endringsforslaget er tatt med.")
    actions.approve(task_state=_current_task_state(page), user=moderator, comment="")


def _waiting(demo: Demo, space: OrganisationSpacePage, member: Account, lead: Account) -> None:
    page = _new_draft(demo, space, WAITING, member)
    if page is None:
        return
    actions.submit_for_moderation(page=page, user=member)
    actions.approve(task_state=_current_task_state(page), user=lead, comment="")


def _sent_back(demo: Demo, space: OrganisationSpacePage, member: Account, lead: Account) -> None:
    page = _new_draft(demo, space, SENT_BACK, member)
    if page is None:
        return
    actions.submit_for_moderation(page=page, user=member)
    actions.reject(
        task_state=_current_task_state(page), user=lead,
        comment="Ta med at møtene også bør kunne følges digitalt, så sender vi det videre.",
    )
