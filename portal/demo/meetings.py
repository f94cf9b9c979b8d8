"""Demo: meetings of every demo council. Each has three held meetings with published minutes (the first
with an item exempt from public disclosure, with its legal basis), a held meeting whose minutes wait in
the chair-approval workflow, and a planned meeting with an agenda; a case about waiting times goes from
Bergen to Vestland, which discusses it and concludes."""

from __future__ import annotations

import datetime

from django.utils import timezone

from portal.meetings import actions
from portal.meetings.models import OSLO, AgendaItem, Attendance, CaseReferral, LegalBasis, MeetingPage, Minutes
from workflows import notifications

from .builder import Demo, ensure_child

AGENCY = AgendaItem.RaisedBy.AGENCY
COUNCIL = AgendaItem.RaisedBy.COUNCIL
ORGANISATION = AgendaItem.RaisedBy.ORGANISATION

# item: (title, description, raised by, organisation key, legal basis if exempt ("" if public),
#        discussion, conclusion)
ITEMS: dict[str, list[tuple[str, str, str, str | None, str, str, str]]] = {
    # --- Brukerutvalget i Bergen (local) ---
    "local_1": [
        ("Godkjenning av innkalling og saksliste", "", COUNCIL, None, "",
         "Innkalling og saksliste ble gjennomgått uten merknader.", "Innkalling og saksliste godkjent."),
        ("Lange svartider på søknader om arbeidsavklaringspenger",
         "Brukerrepresentantene melder om at mange venter i flere måneder på svar, og at det er vanskelig å få "
         "vite hvor saken står.", ORGANISATION, "org_member_chronic", "",
         "Utvalget drøftet erfaringer fra medlemmene. Kontoret bekreftet at saksbehandlingstiden har økt, og at "
         "mye av årsaken ligger i fylkets felles saksbehandlingsenhet.",
         "Saken løftes til Brukerutvalget i Vestland, siden ventetiden må løses på fylkesnivå."),
        ("Klage fra enkeltbruker om oppfølging",
         "Gjennomgang av en konkret klage der brukerens helseopplysninger inngår.", AGENCY, None, LegalBasis.OFFL_13,
         "Utvalget gikk gjennom klagen og kontorets redegjørelse for oppfølgingen.",
         "Kontoret gir brukeren nytt svar innen tre uker og orienterer utvalget i neste møte."),
    ],
    "local_2": [
        ("Tilgjengelighet i publikumsmottaket",
         "Organisasjonene har pekt på at skiltingen er dårlig og at det mangler teleslynge ved skrankene.",
         ORGANISATION, "org_member_vision", "",
         "Kontoret har bestilt ny skilting og teleslynge. Brukerrepresentantene tilbød seg å teste løsningene.",
         "Utvalget går en befaring med kontoret før neste møte."),
        ("Orientering om digital dialog med veileder",
         "Kontoret orienterer om den nye løsningen for meldinger mellom bruker og veileder.", AGENCY, None, "",
         "Flere representanter ønsker at løsningen også skal kunne brukes med skjermleser og på nynorsk.",
         "Innspillene sendes til direktoratet via fylkesutvalget."),
    ],
    "local_3": [
        ("Arbeid i utvalget mellom møtene",
         "Med fire møter i året blir det lenge mellom hver gang. Lederen foreslår faste oppgaver mellom møtene.",
         COUNCIL, None, "",
         "Medlemmene var enige om at sakene ofte mister fart mellom møtene. Det lukkede rommet i portalen kan "
         "brukes til å forberede saker, og sekretæren sender en kort status fire uker før hvert møte.",
         "Hver sak får en ansvarlig brukerrepresentant som følger den opp mellom møtene."),
        ("Synliggjøring av brukerutvalget på kontoret",
         "Få ansatte og brukere vet at kontoret har et brukerutvalg, eller hva det arbeider med.", ORGANISATION,
         "org_umbrella", "",
         "Kontoret foreslo en plakat i mottaket og en fast sak på allmøtet for de ansatte. Representantene "
         "ønsket også at referatene ble lenket fra kontorets side.",
         "Lederen av utvalget orienterer på kontorets allmøte i vår, og referatene lenkes fra kontorets side."),
    ],
    "local_4": [
        ("Evaluering av brukermøtene i høst",
         "Gjennomgang av erfaringene fra tre åpne brukermøter.", COUNCIL, None, "",
         "Oppmøtet var godt, men få unge brukere deltok. Flere savnet tolk på møtet om sykepenger.",
         "Utvalget kontakter ungdomsorganisasjonene før neste runde, og kontoret bestiller tolk ved behov."),
        ("Svar fra kontoret på befaringen i mottaket",
         "Kontoret redegjør for hva som er utbedret etter befaringen.", AGENCY, None, "",
         "Ny skilting er satt opp. Teleslyngen er montert ved to av fire skranker.",
         "Utvalget ber om å få se de to siste skrankene ferdige før saken avsluttes."),
    ],
    "local_planned": [
        ("Oppfølging av befaringen i publikumsmottaket",
         "Kontoret legger fram en plan for utbedringene som ble avtalt.", AGENCY, None, "", "", ""),
        ("Opplæring for nye brukerrepresentanter",
         "Forslag om et felles kurs for nye medlemmer av de lokale utvalgene i fylket.", ORGANISATION,
         "org_umbrella", "", "", ""),
        ("Ventetid på telefon til kontoret",
         "Kontoret legger fram tall for ventetid og hvor mange som legger på før de kommer fram.", COUNCIL,
         None, "", "", ""),
    ],
    # --- Brukerutvalget i Vestland (county) ---
    "county_1": [
        ("Rapport fra de lokale brukerutvalgene",
         "Hvert lokalt utvalg orienterer kort om arbeidet siden forrige møte.", COUNCIL, None, "",
         "Utvalgene har ulik arbeidsform, og flere ønsker bedre kontakt mellom møtene.",
         "Fylkesutvalget lager en felles mal for årsplan for de lokale utvalgene."),
        ("Personalsak ved et av kontorene",
         "Orientering om en personalsak som berører tjenestetilbudet.", AGENCY, None, LegalBasis.OFFL_25,
         "Utvalget fikk en orientering og stilte spørsmål om konsekvensene for brukerne.",
         "Utvalget tar orienteringen til etterretning."),
    ],
    "county_2": [
        ("Felles opplæringsprogram for brukerrepresentanter",
         "Forslag om å samarbeide med organisasjonene om opplæring i rollen som brukerrepresentant.", ORGANISATION,
         "org_umbrella", "",
         "Representantene understreket at opplæringen også må nå ansatte som leder brukerutvalg.",
         "Fylket setter ned en arbeidsgruppe med to brukerrepresentanter."),
    ],
    "county_3": [
        ("Brukergrupper som ikke er representert",
         "Utvalgene i fylket har få medlemmer med innvandrerbakgrunn og få unge.", COUNCIL, None, "",
         "Organisasjonene når i liten grad brukere som ikke er medlemmer. Kontorene kjenner brukerne, men "
         "kan ikke rekruttere på vegne av organisasjonene.",
         "Fylket inviterer innvandrerrådet og ungdomsrådet til å foreslå hvert sitt medlem."),
        ("Mal for årsplan for de lokale utvalgene",
         "Utkast til felles mal, som lovet i forrige møte.", COUNCIL, None, "",
         "Malen ble godt mottatt. Flere ønsket et eget punkt om hva kontoret har gjort med utvalgets innspill.",
         "Malen vedtas med et nytt punkt om tilbakemelding fra kontoret."),
    ],
    "county_4": [
        ("Oppfølging av svartider i saksbehandlingsenheten",
         "Første kvartalsrapport om svartider, som vedtatt etter saken fra Bergen.", AGENCY, None, "",
         "Svartiden har gått noe ned, men er fortsatt lengst for arbeidsavklaringspenger.",
         "Utvalget ber om at neste rapport viser svartid per ytelse og per kontor."),
    ],
    "county_planned": [
        ("Ny arbeidsflate for utvalgene mellom møtene",
         "Orientering om portalens lukkede rom for dialog i utvalgene.", AGENCY, None, "", "", ""),
        ("Kurs for nye brukerrepresentanter i mars",
         "Arbeidsgruppen legger fram program og påmelding.", COUNCIL, None, "", "", ""),
    ],
    # --- Sentralt brukerutvalg (national) ---
    "national_1": [
        ("Strategi for brukermedvirkning 2027–2030",
         "Direktoratet orienterer om høringen og ber utvalget om innspill.", AGENCY, None, "",
         "Utvalget ønsker at strategien gir de lokale utvalgene faste saker på ledermøtene.",
         "Utvalget gir et felles innspill til høringen innen fristen."),
        ("Anskaffelse av ny løsning for videomøter",
         "Orientering om forhandlinger med leverandører.", AGENCY, None, LegalBasis.OFFL_23,
         "Utvalget fikk en orientering om forhandlingsposisjonen.",
         "Utvalget ber om å bli orientert når kontrakten er inngått."),
    ],
    "national_2": [
        ("Rekruttering til brukerutvalgene",
         "Hvordan kan utvalgene nå brukergrupper som ikke er organisert i de store organisasjonene?", COUNCIL,
         None, "",
         "Flere pekte på at unge brukere og brukere med innvandrerbakgrunn sjelden er representert.",
         "Direktoratet utarbeider en veileder om rekruttering sammen med organisasjonene."),
    ],
    "national_3": [
        ("Hva skjer med innspillene fra utvalgene?",
         "Mange representanter vet ikke om innspillene deres har ført til endringer i tjenestene.", COUNCIL,
         None, "",
         "Utvalget mener at manglende tilbakemelding er den viktigste grunnen til at representanter slutter. "
         "Direktoratet viste til at saker fra lokale utvalg sjelden når fram til nasjonalt nivå.",
         "Direktoratet innfører skriftlig svar på alle saker som sendes fra fylkesutvalgene."),
        ("Opplæring av ansatte som leder brukerutvalg",
         "Forslag om et eget opplegg for ansatte som er sekretærer eller ledere i utvalgene.", ORGANISATION,
         "org_umbrella", "",
         "Organisasjonene understreket at brukermedvirkning må læres på begge sider av bordet.",
         "Direktoratet lager et kurs i samarbeid med organisasjonene, med første kull til høsten."),
    ],
    "national_4": [
        ("Veileder om rekruttering – utkast",
         "Direktoratet legger fram utkastet til veileder som ble bestilt i et tidligere møte.", AGENCY, None, "",
         "Utkastet ble godt mottatt. Utvalget ønsker flere eksempler fra små kommuner.",
         "Veilederen ferdigstilles med eksempler fra to små kommuner og sendes ut før sommeren."),
    ],
    "national_planned": [
        ("Synliggjøring av brukerutvalgenes arbeid",
         "Forslag om å publisere møteplaner og referater for alle utvalg på ett sted.", COUNCIL, None, "", "", ""),
        ("Årsmelding for det sentrale brukerutvalget",
         "Utkast til årsmelding legges fram for behandling.", COUNCIL, None, "", "", ""),
    ],
}

# council key, meeting key, slug, days from today, minutes state (None: no minutes yet). Every council:
# three held meetings with published minutes (the first with an exempt item), one held meeting whose
# minutes wait in the chair-approval task, and one planned meeting with its agenda.
MEETINGS = [
    ("council_local", "local_1", "mote-1", -150, "published"),
    ("council_local", "local_2", "mote-2", -100, "published"),
    ("council_local", "local_3", "mote-3", -55, "published"),
    ("council_local", "local_4", "mote-4", -10, "awaiting_approval"),
    ("council_local", "local_planned", "mote-5", 30, None),
    ("council_county", "county_1", "mote-1", -140, "published"),
    ("council_county", "county_2", "mote-2", -80, "published"),
    ("council_county", "county_3", "mote-3", -40, "published"),
    ("council_county", "county_4", "mote-4", -8, "awaiting_approval"),
    ("council_county", "county_planned", "mote-5", 40, None),
    ("council_national", "national_1", "mote-1", -130, "published"),
    ("council_national", "national_2", "mote-2", -85, "published"),
    ("council_national", "national_3", "mote-3", -45, "published"),
    ("council_national", "national_4", "mote-4", -6, "awaiting_approval"),
    ("council_national", "national_planned", "mote-5", 50, None),
]
# Who writes and who approves the minutes of each council (the county has no chair account: the
# administrator approves there, as a site administrator may).
PEOPLE = {
    "council_local": ("council_secretary", "council_chair"),
    "council_county": ("county_secretary", "admin"),
    "council_national": ("national_secretary", "national_chair"),
}
PLACES = {
    "council_local": "Møterom Fløyen, NAV-kontoret i Bergen sentrum",
    "council_county": "Fylkeshuset i Bergen, møterom 3",
    "council_national": "Direktoratet, Oslo",
}
REFERRAL_NOTE = (
    "Internt notat til fylkesutvalget: kontoret har tall for svartid per team, som vi ber om at dere ser på "
    "før møtet. Tallene er ikke kvalitetssikret."
)


def _start(days: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=OSLO)


def _items(demo: Demo, key: str, referred_from: CaseReferral | None = None) -> list[AgendaItem]:
    items = []
    for title, description, raised_by, org_key, basis, _discussion, _conclusion in ITEMS[key]:
        items.append(AgendaItem(
            title=title, description=description, raised_by=raised_by,
            raised_by_organisation=demo.pages.get(org_key) if org_key else None,
            confidential=bool(basis), legal_basis=basis,
        ))
    if referred_from is not None:
        source = referred_from.item
        items.insert(0, AgendaItem(title=source.title, description=source.description,
                                   raised_by=COUNCIL, referred_from=referred_from))
    return items


def _attendance(demo: Demo, council_key: str) -> list[Attendance]:
    people = {
        "council_local": [("council_chair", "present"), ("council_secretary", "present"),
                          ("council_member", "present"), ("county_member", "substitute"),
                          # Her period ended before these meetings: the page leaves her out.
                          ("former_member", "apologies")],
        "council_county": [("county_member", "present")],
    }.get(council_key, [])
    return [Attendance(user=demo.users[key], status=status) for key, status in people if key in demo.users]


def _minutes(demo: Demo, meeting: MeetingPage, council_key: str, key: str, state: str, days: int,
             extra: dict[str, tuple[str, str]] | None = None) -> None:
    """Minutes written by the council's secretary and sent into the chair-approval workflow; published
    ones approved by the chair through the workflow's task (dated two weeks after the meeting)."""
    if Minutes.objects.filter(meeting=meeting).exists():
        return
    secretary_key, chair_key = PEOPLE[council_key]
    secretary = demo.users.get(secretary_key) or demo.users["admin"]
    chair = demo.users.get(chair_key) or demo.users["admin"]
    minutes = actions.minutes_start(meeting=meeting, user=secretary)
    texts_by_title = {title: (discussion, conclusion) for title, _d, _r, _o, _c, discussion, conclusion in ITEMS[key]}
    texts_by_title.update(extra or {})
    texts = {item.pk: texts_by_title.get(item.title, ("", "")) for item in meeting.agenda_items.all()}
    minutes = actions.minutes_save(minutes=minutes, user=secretary, texts=texts, loaded_version=minutes.version)
    with notifications.quiet():
        minutes = actions.minutes_submit_for_approval(minutes=minutes, user=secretary)
        if state == "published":
            actions.minutes_approve(minutes=minutes, user=chair)
            published = _start(days) + datetime.timedelta(days=14)
            Minutes.objects.filter(pk=minutes.pk).update(first_published_at=published, last_published_at=published)
    demo.note(f"minutes {meeting.url_path}")


def load(demo: Demo) -> None:
    referral: CaseReferral | None = None
    for council_key, key, slug, days, state in MEETINGS:
        council = demo.pages[council_key]
        if council_key == "council_county" and key == "county_2":
            referral = _referral(demo)
        held = days < 0
        meeting = ensure_child(
            demo, council, MeetingPage, slug=slug, title=f"Utvalgsmøte {_start(days):%d.%m.%Y}", start=_start(days),
            end=_start(days) + datetime.timedelta(hours=2, minutes=30), place=PLACES[council_key],
            online_link="https://moter.example.no/brukerutvalg" if council_key == "council_national" else "",
            status=MeetingPage.Status.HELD if held else MeetingPage.Status.PLANNED,
            agenda_items=_items(demo, key, referral if key == "county_2" else None),
            attendance=_attendance(demo, council_key) if held else [],
        )
        demo.pages[f"meeting_{key}"] = meeting
        if state:
            extra = None
            if key == "county_2" and referral is not None:
                extra = {referral.item.title: (
                    "Fylkesutvalget drøftet saken fra Bergen. Flere lokale utvalg kjenner seg igjen i problemet.",
                    "Fylket styrker bemanningen i saksbehandlingsenheten og rapporterer svartider til utvalget "
                    "hvert kvartal.",
                )}
            _minutes(demo, meeting, council_key, key, state, days, extra)


def _referral(demo: Demo) -> CaseReferral:
    """The Bergen case about waiting times, referred to Vestland."""
    meeting = demo.pages["meeting_local_1"]
    item = meeting.agenda_items.get(title__startswith="Lange svartider")
    existing = CaseReferral.objects.filter(item=item).first()
    if existing is not None:
        return existing
    referral = actions.case_refer(item=item, to_council=demo.pages["council_county"],
                                  user=demo.users["council_secretary"], note=REFERRAL_NOTE)
    CaseReferral.objects.filter(pk=referral.pk).update(created_at=_start(-145))
    demo.note("referral Bergen → Vestland")
    return referral

