"""Demo: hearings with numbered sections, responses at every stage, and a concluded hearing.

- the open strategy hearing gets its hearing text as numbered sections, consulted bodies, and two
  responses: URB's accepted through the real workflow (lead step, then moderation), and FFB's draft
  in progress with an amendment, an editor comment, two authors' revisions and input from FSA;
- a closed hearing (all responses published together at the deadline) with one accepted response;
- a concluded hearing with an accepted response whose amendments have dispositions and an outcome.

Idempotent: each piece looks before it creates. Content is our own wording, in the manner of real
Norwegian hearing documents.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.models import Comment, Locale

from portal.access.users import Account
from portal.core.documents import simple_pdf
from portal.core.translations import sync_translation
from portal.hearings import actions
from portal.hearings.models import (
    HearingIndexPage,
    HearingOutcome,
    HearingPage,
    HearingResponsePage,
    HearingSection,
    PublicationPolicy,
    PublishedPart,
    PublishedResponse,
    ResponseInput,
    ResponsePart,
)
from portal.organisations.models import OrganisationPage
from portal.organisations.selectors import space_for
from workflows import actions as workflow_actions
from workflows import notifications

from .builder import Demo, ensure_child, ensure_translations

FFB = "fellesforbundet-for-brukerorganisasjoner"
FSA = "foreningen-for-synshemmede-i-arbeidslivet"
LKS = "landsforeningen-for-kronisk-syke"
URB = "ungdomsradet-for-brukermedvirkning"

STRATEGY_SECTIONS = {
    "nb": [
        ("1", "Formål og begreper",
         "Strategien skal sikre gode brukermøter. Med brukermedvirkning menes i denne strategien at brukerne "
         "gir innspill til hvordan tjenestene fungerer.\n\nStrategien gjelder medvirkning på individnivå, "
         "tjenestenivå og systemnivå."),
        ("2", "Organisasjonenes rolle",
         "Direktoratet ønsker å høre et bredt utvalg av brukere. Brukerrepresentanter kan rekrutteres fra "
         "organisasjoner, gjennom åpne innspillsmøter eller ved at utvalgene selv peker ut deltakere."),
        ("3", "Arbeid mellom møtene",
         "Brukerutvalgene møtes fire ganger i året. Mellom møtene kan sekretariatet sende ut informasjon ved "
         "behov."),
        ("3.1", "Digital arbeidsflate",
         "Det etableres en digital arbeidsflate der utvalgene kan dele dokumenter mellom møtene."),
        ("4", "Opplæring av brukerrepresentanter",
         "Alle nye brukerrepresentanter skal få tilbud om et felles opplæringsopplegg, uavhengig av hvilket "
         "utvalg de sitter i."),
    ],
    "nn": [
        ("1", "Føremål og omgrep",
         "Strategien skal sikre gode brukarmøte. Med brukarmedverknad meiner ein i denne strategien at brukarane "
         "gjev innspel til korleis tenestene fungerer.\n\nStrategien gjeld medverknad på individnivå, "
         "tenestenivå og systemnivå."),
        ("2", "Rolla til organisasjonane",
         "Direktoratet ønskjer å høyre eit breitt utval av brukarar. Brukarrepresentantar kan rekrutterast frå "
         "organisasjonar, gjennom opne innspelsmøte eller ved at utvala sjølve peikar ut deltakarar."),
        ("3", "Arbeid mellom møta",
         "Brukarutvala møtest fire gonger i året. Mellom møta kan sekretariatet sende ut informasjon ved behov."),
        ("3.1", "Digital arbeidsflate",
         "Det blir etablert ei digital arbeidsflate der utvala kan dele dokument mellom møta."),
        ("4", "Opplæring av brukarrepresentantar",
         "Alle nye brukarrepresentantar skal få tilbod om eit felles opplæringsopplegg, uavhengig av kva for "
         "utval dei sit i."),
    ],
    "en": [
        ("1", "Purpose and terms",
         "The strategy shall ensure good encounters with users. In this strategy, user participation means that "
         "users give input on how the services work.\n\nThe strategy covers participation at individual, service "
         "and system level."),
        ("2", "The role of the organisations",
         "The directorate wants to hear a broad range of users. User representatives may be recruited from "
         "organisations, through open input meetings, or by the councils appointing participants themselves."),
        ("3", "Work between meetings",
         "The user councils meet four times a year. Between meetings the secretariat may send out information "
         "when needed."),
        ("3.1", "Digital workspace",
         "A digital workspace is set up where the councils can share documents between meetings."),
        ("4", "Training of user representatives",
         "Every new user representative is offered a common training programme, whichever council they sit on."),
    ],
}

CONSULTED_OTHER = "KS – kommunesektorens organisasjon\nStatsforvalterne\nDe regionale brukerutvalgene i helseforetakene"


def load(demo: Demo) -> None:
    users = {name: get_user_model().objects.get(username=name) for name in (
        "org-medlem", "org-leder", "medlemsorg-medlem", "urb-leder", "moderator", "admin", "horingseier",
    )}
    organisations = {slug: OrganisationPage.objects.get(slug=slug, locale__language_code="nb")
                     for slug in (FFB, FSA, LKS, URB)}
    strategy = HearingPage.objects.get(slug="strategi-for-brukermedvirkning-2027-2030", locale__language_code="nb")
    for index in HearingIndexPage.objects.all():
        actions.grant_hearing_owners(index=index)
    _strategy_sections(demo, strategy, organisations)
    _urb_accepted(demo, strategy, organisations[URB], users)
    _ffb_draft(demo, strategy, organisations, users)
    closed = _closed_hearing(demo, organisations)
    _accepted_directly(
        demo, closed, organisations[LKS], slug="svar-godtgjoring",
        title="Høringssvar: godtgjøring av brukerrepresentanter",
        remarks="<p>LKS støtter at godtgjøringen blir lik i hele landet, men minner om at mange av våre "
                "representanter har ekstra utgifter til reise og hvile.</p>",
        parts=[("2", "amendment", "Dekning av faktiske utgifter må gjelde også ledsager.",
                "Brukerrepresentanter får dekket faktiske reiseutgifter, også for nødvendig ledsager, og "
                "godtgjøring for møtetid og forberedelse etter samme sats i hele landet.")],
        accepted=closed.deadline - datetime.timedelta(days=3),
    )
    concluded = _concluded_hearing(demo, organisations)
    published = _accepted_directly(
        demo, concluded, organisations[FFB], slug="svar-opplaeringsprogram",
        title="Høringssvar: opplæringsprogram for brukerutvalg",
        remarks="<p>FFB har samlet innspill fra medlemsorganisasjonene. Vi støtter et felles program, men det må "
                "utvikles sammen med organisasjonene og tilpasses nivået utvalget arbeider på.</p>",
        parts=[
            ("1", "amendment", "Programmet må utvikles sammen med organisasjonene.",
             "Direktoratet utvikler et opplæringsprogram for brukerutvalgene sammen med brukerorganisasjonene. "
             "Programmet tilpasses lokale, regionale og nasjonale utvalg."),
            ("2", "comment", "Digitale kurs må være universelt utformet og fungere med skjermleser.", ""),
        ],
        accepted=concluded.deadline - datetime.timedelta(days=5),
    )
    _outcome(demo, concluded, published, users["horingseier"])


# --- the open strategy hearing ---------------------------------------------------------------------


def _set_sections(page: HearingPage, rows: list[tuple[str, str, str]]) -> None:
    page.sections.set([HearingSection(number=n, heading=h, text=t, sort_order=i) for i, (n, h, t) in enumerate(rows)])


def _strategy_sections(demo: Demo, strategy: HearingPage, organisations: dict[str, Any]) -> None:
    if strategy.sections.exists():
        return
    strategy.body = (
        "<p>Høringsutkastet er delt i nummererte punkter. Organisasjonene kan kommentere hvert punkt og "
        "foreslå ny tekst. Svarene publiseres fortløpende når de er godkjent.</p>"
    )
    strategy.consulted_other = CONSULTED_OTHER
    strategy.publication_policy = PublicationPolicy.ON_ACCEPTANCE
    _set_sections(strategy, STRATEGY_SECTIONS["nb"])
    strategy.consulted_organisations.set(list(organisations.values()))
    strategy.save_revision().publish()
    sync_hearing_translations(strategy)
    demo.note("hearing sections for the strategy hearing")


def sync_hearing_translations(source: HearingPage) -> None:
    """Bring every translation of the hearing up to date with its source through wagtail-localize,
    so none is out of date. The sections are rows copied from the source: where the demo has them in
    the translation's language (the strategy hearing), it writes them in that language after the sync."""
    source = HearingPage.objects.get(pk=source.pk)
    sections = STRATEGY_SECTIONS if source.slug == "strategi-for-brukermedvirkning-2027-2030" else {}
    for other in source.get_translations().select_related("locale"):
        code = other.locale.language_code
        translation = sync_translation(page=source, locale=Locale.objects.get(language_code=code))
        if code in sections:
            _set_sections(translation, sections[code])
            translation.save_revision().publish()


def _draft_in(space: Any, hearing: HearingPage, *, slug: str, title: str, author: Account) -> HearingResponsePage:
    page = HearingResponsePage(title=title, slug=slug, hearing=hearing, owner=author)
    space.add_child(instance=page)
    page.save_revision(user=author).publish(user=author, skip_permission_checks=True)
    return page


def _write(page: HearingResponsePage, *, user: Account, remarks: str, parts: list[tuple[str, str, str, str]]) -> Any:
    page = HearingResponsePage.objects.get(pk=page.pk)
    page.general_remarks = remarks
    page.parts.set([
        ResponsePart(section_number=n, kind=k, comment=c, replacement=r, sort_order=i)
        for i, (n, k, c, r) in enumerate(parts)
    ])
    return page.save_revision(user=user)


def _attach_original(page: HearingResponsePage, *, user: Account, name: str, title: str, text: str) -> None:
    """The signed letter an organisation attaches to its response (published with it)."""
    draft = HearingResponsePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    draft.original.save(name, ContentFile(simple_pdf(title, text)), save=False)
    draft.save_revision(user=user)


def _urb_accepted(demo: Demo, strategy: HearingPage, urb: OrganisationPage, users: dict[str, Any]) -> None:
    space = space_for(organisation=urb)
    if space is None or HearingResponsePage.objects.child_of(space).filter(slug="svar-strategi").exists():
        return
    page = _draft_in(space, strategy, slug="svar-strategi", title="Høringssvar fra URB: strategi for brukermedvirkning",
                     author=users["urb-leder"])
    _write(page, user=users["urb-leder"], remarks=(
        "<p>Ungdomsrådet for brukermedvirkning mener strategien må si tydelig hvordan unge brukere skal bli hørt. "
        "Unge er sjelden organisert på samme måte som eldre brukere.</p>"), parts=[
        ("2", "comment",
         "Vi støtter at flere kanaler brukes, men organisasjonene må fortsatt være hovedveien inn.", ""),
        ("3", "amendment", "Møteplanen må ta hensyn til skole og studier.",
         "Brukerutvalgene møtes minst fire ganger i året, på tidspunkter som gjør det mulig å delta ved siden av "
         "skole, studier og arbeid. Mellom møtene holder sekretariatet utvalget løpende orientert."),
    ])
    _attach_original(page, user=users["urb-leder"], name="horingssvar-urb-signert.pdf",
                     title="Høringssvar: strategi for brukermedvirkning", text=(
        "Ungdomsrådet for brukermedvirkning\n\n"
        "Vi viser til høringsbrevet og takker for muligheten til å gi innspill. Unge brukere må bli hørt "
        "på egne premisser, og møtene må legges til tider da unge kan delta.\n\n"
        "Med vennlig hilsen\nUngdomsrådet for brukermedvirkning\n(signert av leder)"))
    with notifications.quiet():
        workflow_actions.submit_for_moderation(page=page, user=users["urb-leder"])
        for approver in (users["admin"], users["moderator"]):
            page.refresh_from_db()
            workflow_actions.approve(task_state=page.current_workflow_state.current_task_state, user=approver,
                                     comment="Godkjent.")
    demo.note("HearingResponsePage svar-strategi (URB, accepted)")


def _ffb_draft(demo: Demo, strategy: HearingPage, organisations: dict[str, Any], users: dict[str, Any]) -> None:
    space = space_for(organisation=organisations[FFB])
    if space is None or HearingResponsePage.objects.child_of(space).filter(slug="svar-strategi").exists():
        return
    page = _draft_in(space, strategy, slug="svar-strategi", title="Høringssvar fra FFB: strategi for brukermedvirkning",
                     author=users["org-medlem"])
    remarks = (
        "<p>FFB viser til høringsutkastet og har samlet innspill fra medlemsorganisasjonene. Vi savner en "
        "tydelig beskrivelse av formålet: brukermedvirkning handler om kvaliteten i hele tjenesten, ikke bare om "
        "det enkelte møtet.</p>"
    )
    _write(page, user=users["org-medlem"], remarks=remarks, parts=[
        ("1", "amendment", "Formålet må beskrive kvalitetssikring av tjenestene, og nivåene bør være to.",
         "Strategien skal bidra til god kvalitet i etatens tjenester. Med brukermedvirkning menes at de som "
         "berøres av en beslutning, får innflytelse på beslutningsprosesser og utforming av tjenestene.\n\n"
         "Strategien gjelder medvirkning på individnivå og systemnivå."),
    ])
    revision = _write(page, user=users["org-leder"], remarks=remarks, parts=[
        ("1", "amendment", "Formålet må beskrive kvalitetssikring av tjenestene, og nivåene bør være to.",
         "Strategien skal bidra til god kvalitet i etatens tjenester. Med brukermedvirkning menes at de som "
         "berøres av en beslutning, får innflytelse på beslutningsprosesser og utforming av tjenestene.\n\n"
         "Strategien gjelder medvirkning på individnivå og systemnivå."),
        ("2", "comment", "Organisasjonenes representasjon må være hovedgrunnlaget. Brukerrepresentanter har et "
                         "mandat og et nettverk i ryggen; det gir kontinuitet som åpne innspillsmøter ikke gir.", ""),
    ])
    Comment.objects.create(
        page=page, user=users["org-leder"], contentpath="general_remarks", revision_created=revision,
        text="Kan vi vise til FN-konvensjonen artikkel 4 her? Liv",
    )
    item = actions.input_send(
        response=page, organisation=organisations[FSA], user=users["medlemsorg-medlem"], section_number="3.1",
        text="FSA ber om at den digitale arbeidsflaten testes med skjermleser og forstørrelse før den tas i bruk, "
             "og at sakspapirer alltid finnes i et tilgjengelig format.",
    )
    ResponseInput.objects.create(
        response=page, organisation=organisations[FSA], author=users["medlemsorg-medlem"], section_number="2",
        text="Vi er enige i at organisasjonene må være hovedveien inn. Uorganiserte brukere kan høres i tillegg, "
             "ikke i stedet.", use=ResponseInput.Use.USED, use_note="Tatt inn i kommentaren til punkt 2.",
        marked_by=users["org-leder"],
    )
    demo.note(f"HearingResponsePage svar-strategi (FFB draft) with input {item.pk}")


# --- a closed and a concluded hearing --------------------------------------------------------------


def _past_hearing(demo: Demo, *, slug: str, title: str, summary: str, days_ago: int, policy: str,
                  sections: list[tuple[str, str, str]], translations: dict[str, dict[str, str]]) -> HearingPage:
    index = HearingPage.objects.get(slug="strategi-for-brukermedvirkning-2027-2030",
                                    locale__language_code="nb").get_parent()
    existing = HearingPage.objects.child_of(index).filter(slug=slug).first()
    if existing is not None:
        return existing
    deadline = (timezone.now() - datetime.timedelta(days=days_ago)).replace(hour=12, minute=0, second=0, microsecond=0)
    page = ensure_child(
        demo, index, HearingPage, slug=slug, title=title, summary=summary, owner_unit="Avdeling for brukerdialog",
        deadline=deadline, publication_policy=policy,
    )
    _set_sections(page, sections)
    page.save_revision().publish()
    owner_unit = {"nn": "Avdeling for brukardialog", "en": "Department for User Dialogue"}
    ensure_translations(demo, page, {code: {"owner_unit": owner_unit[code], **fields}
                                     for code, fields in translations.items()})
    return page


def _closed_hearing(demo: Demo, organisations: dict[str, Any]) -> HearingPage:
    return _past_hearing(
        demo, slug="retningslinjer-for-godtgjoring", days_ago=12, policy=PublicationPolicy.AT_DEADLINE,
        title="Høring – retningslinjer for godtgjøring av brukerrepresentanter",
        summary="Forslag til felles satser for godtgjøring og dekning av utgifter for brukerrepresentanter i alle "
                "brukerutvalg.",
        sections=[
            ("1", "Hvem retningslinjene gjelder for",
             "Retningslinjene gjelder brukerrepresentanter i lokale, regionale og sentrale brukerutvalg."),
            ("2", "Godtgjøring og utgifter",
             "Brukerrepresentanter får godtgjøring for møtetid etter fast sats. Reiseutgifter dekkes etter "
             "statens regulativ."),
        ],
        translations={
            "nn": {"title": "Høyring – retningslinjer for godtgjersle til brukarrepresentantar",
                   "summary": "Forslag til felles satsar for godtgjersle og dekning av utgifter for "
                              "brukarrepresentantar i alle brukarutval."},
            "en": {"title": "Hearing – guidelines for remuneration of user representatives",
                   "summary": "Proposed common rates for remuneration and expenses of user representatives on every "
                              "user council."},
        },
    )


def _concluded_hearing(demo: Demo, organisations: dict[str, Any]) -> HearingPage:
    return _past_hearing(
        demo, slug="opplaeringsprogram-for-brukerutvalg", days_ago=120, policy=PublicationPolicy.ON_ACCEPTANCE,
        title="Høring – opplæringsprogram for brukerutvalg",
        summary="Forslag til et felles opplæringsprogram for medlemmer av brukerutvalgene, med digitale kurs og "
                "samlinger.",
        sections=[
            ("1", "Et felles program",
             "Direktoratet utvikler et felles opplæringsprogram for alle brukerutvalg."),
            ("2", "Digitale kurs",
             "Opplæringen gis hovedsakelig som digitale kurs som kan tas når det passer."),
        ],
        translations={
            "nn": {"title": "Høyring – opplæringsprogram for brukarutval",
                   "summary": "Forslag til eit felles opplæringsprogram for medlemer av brukarutvala, med digitale "
                              "kurs og samlingar."},
            "en": {"title": "Hearing – training programme for user councils",
                   "summary": "A proposed common training programme for members of the user councils, with online "
                              "courses and gatherings."},
        },
    )


def _accepted_directly(demo: Demo, hearing: HearingPage, organisation: OrganisationPage, *, slug: str, title: str,
                       remarks: str, parts: list[tuple[str, str, str, str]],
                       accepted: datetime.datetime) -> PublishedResponse | None:
    """A response accepted before its (now past) deadline: built as it stood then."""
    space = space_for(organisation=organisation)
    if space is None:
        return None
    existing = HearingResponsePage.objects.child_of(space).filter(slug=slug).first()
    if existing is not None:
        return PublishedResponse.objects.filter(response=existing).first()
    lead = get_user_model().objects.get(username="org-leder" if organisation.slug == FFB else "admin")
    page = _draft_in(space, hearing, slug=slug, title=title, author=lead)
    revision = _write(page, user=lead, remarks=remarks, parts=parts)
    revision.publish(user=lead, skip_permission_checks=True)
    published = actions.publish_copy(response=page)
    published.accepted_at = accepted
    published.save(update_fields=["accepted_at"])
    demo.note(f"PublishedResponse {slug}")
    return published


def _outcome(demo: Demo, hearing: HearingPage, published: PublishedResponse | None, owner: Account) -> None:
    if HearingOutcome.objects.filter(hearing_key=hearing.translation_key).exists():
        return
    if published is not None:
        for part in published.parts.filter(kind=ResponsePart.Kind.AMENDMENT):
            part.disposition = PublishedPart.Disposition.PARTLY
            part.disposition_reason = (
                "Programmet utvikles sammen med organisasjonene. Egne moduler for hvert nivå vurderes i 2027."
            )
            part.save(update_fields=["disposition", "disposition_reason"])
    HearingOutcome.objects.create(
        hearing_key=hearing.translation_key, published_by=owner,
        published_at=hearing.deadline + datetime.timedelta(days=30),
        summary="Direktoratet har vurdert alle innspillene. Opplæringsprogrammet utvikles sammen med "
                "brukerorganisasjonene, og alle digitale kurs skal testes med skjermleser før de tas i bruk.",
    )
    demo.note("HearingOutcome opplaeringsprogram-for-brukerutvalg")
