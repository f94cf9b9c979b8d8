"""Demo: the site skeleton (home, sections, footer pages), organisations, councils, a hearing and
an account for every role."""

from __future__ import annotations

import datetime

from django.utils import timezone
from wagtail.models import Page, Site

from portal.access.roles import HEARING_OWNERS, MODERATORS, SITE_ADMINISTRATORS, ensure_role_groups
from portal.core.models import FooterSettings, HomePage, StandardPage
from portal.councils.models import CouncilIndexPage, CouncilMembership, CouncilPage
from portal.hearings.models import HearingIndexPage, HearingPage
from portal.organisations.models import OrganisationIndexPage, OrganisationMembership, OrganisationPage
from portal.positions.models import PositionPaperIndexPage

from .builder import Demo, ensure_child, ensure_translations, ensure_user, locale


def load(demo: Demo) -> None:
    load_skeleton(demo)
    _organisations(demo)
    _councils(demo)
    _hearing(demo)
    _accounts_and_memberships(demo)


def load_skeleton(demo: Demo) -> HomePage:
    """What every page hangs from and nothing more: languages, role groups, the home page, the
    section index pages and the footer pages (tests that build their own content with factories
    stand on this instead of the whole demo)."""
    for code in ("nb", "nn", "en"):
        locale(code)
    ensure_role_groups()
    home = _home(demo)
    _sections(demo, home)
    _footer(demo, home)
    return home


def _home(demo: Demo) -> HomePage:
    root = Page.get_first_root_node()
    home = HomePage.objects.child_of(root).filter(slug="hjem").first()
    if home is None:
        home = ensure_child(
            demo,
            root,
            HomePage,
            slug="hjem",
            title="Brukermedvirkning i arbeids- og velferdsforvaltningen",
            intro=(
                "Her deltar brukerorganisasjonene og brukerutvalgene i utformingen av tjenestene: "
                "svar på høringer, følg utvalgenes møter og referater, og les organisasjonenes standpunkt."
            ),
        )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True,
                                   site_name="Brukermedvirkning")
    if site.root_page_id != home.pk:
        previous = site.root_page
        site.root_page = home
        site.site_name = "Brukermedvirkning"
        site.save()
        # Wagtail's placeholder "Welcome" page is replaced, not kept beside ours.
        if type(previous.specific) is Page and previous.depth == 2:
            previous.delete()
    ensure_translations(
        demo,
        home,
        {
            "nn": {
                "title": "Brukarmedverknad i arbeids- og velferdsforvaltninga",
                "intro": (
                    "Her tek brukarorganisasjonane og brukarutvala del i utforminga av tenestene: "
                    "svar på høyringar, følg utvala sine møte og referat, og les standpunkta til organisasjonane."
                ),
            },
            "en": {
                "title": "User participation in the labour and welfare administration",
                "intro": (
                    "This is where user organisations and user councils take part in shaping the services: "
                    "respond to hearings, follow the councils' meetings and minutes, and read the "
                    "organisations' position papers."
                ),
            },
        },
    )
    demo.pages["home"] = home
    return home


SECTIONS = [
    (
        "hearings", HearingIndexPage, "horinger",
        {"nb": ("Høringer", "Utkast til regelverk, strategier og tiltak som organisasjonene kan gi innspill til."),
         "nn": ("Høyringar", "Utkast til regelverk, strategiar og tiltak som organisasjonane kan gje innspel til."),
         "en": ("Hearings", "Draft rules, strategies and measures that organisations can respond to.")},
    ),
    (
        "councils", CouncilIndexPage, "brukerutvalg",
        {"nb": ("Brukerutvalg", "Brukerutvalgene på nasjonalt nivå, i fylkene og lokalt."),
         "nn": ("Brukarutval", "Brukarutvala på nasjonalt nivå, i fylka og lokalt."),
         "en": ("User councils", "The user councils at national, county and local level.")},
    ),
    (
        "organisations", OrganisationIndexPage, "organisasjoner",
        {"nb": ("Organisasjoner", "Bruker- og interesseorganisasjonene som deltar i portalen."),
         "nn": ("Organisasjonar", "Brukar- og interesseorganisasjonane som er med i portalen."),
         "en": ("Organisations", "The user and interest organisations taking part in the portal.")},
    ),
    (
        "positions", PositionPaperIndexPage, "standpunkt",
        {"nb": ("Standpunkt", "Organisasjonenes posisjonsnotater om saker som angår brukerne."),
         "nn": ("Standpunkt", "Posisjonsnotata til organisasjonane om saker som gjeld brukarane."),
         "en": ("Position papers", "The organisations' position papers on matters that concern users.")},
    ),
]


def _sections(demo: Demo, home: HomePage) -> None:
    for key, model, slug, texts in SECTIONS:
        title, intro = texts["nb"]
        page = ensure_child(demo, home, model, slug=slug, title=title, intro=intro, show_in_menus=True)
        ensure_translations(
            demo, page, {code: {"title": texts[code][0], "intro": texts[code][1]} for code in ("nn", "en")}
        )
        demo.pages[key] = page


FOOTER_PAGES = {
    "accessibility": (
        "tilgjengelighet",
        {
            "nb": ("Tilgjengelighetserklæring",
                   "Portalen skal kunne brukes av alle, og følger kravene til universell utforming (WCAG 2.1 AA).",
                   "<p>Vi tester sidene med automatiske verktøy og med tastatur og skjermleser. Finner du noe "
                   "som ikke fungerer, vil vi gjerne høre fra deg på kontaktadressen nederst på siden.</p>"),
            "nn": ("Tilgjengeerklæring",
                   "Portalen skal kunne brukast av alle, og følgjer krava til universell utforming (WCAG 2.1 AA).",
                   "<p>Vi testar sidene med automatiske verktøy og med tastatur og skjermlesar. Finn du noko "
                   "som ikkje fungerer, vil vi gjerne høyre frå deg på kontaktadressa nedst på sida.</p>"),
            "en": ("Accessibility statement",
                   "The portal is meant for everyone and meets the universal design requirements (WCAG 2.1 AA).",
                   "<p>We test the pages with automated tools and with keyboard and screen reader. If something "
                   "does not work for you, please tell us at the contact address at the bottom of the page.</p>"),
        },
    ),
    "privacy": (
        "personvern",
        {
            "nb": ("Personvern",
                   "Slik behandler vi personopplysninger i portalen.",
                   "<p>Vi lagrer navn, e-postadresse og roller for dem som har konto. Kontaktopplysninger til "
                   "medlemmer av brukerutvalg vises bare for de andre medlemmene av utvalget.</p>"),
            "nn": ("Personvern",
                   "Slik behandlar vi personopplysningar i portalen.",
                   "<p>Vi lagrar namn, e-postadresse og roller for dei som har konto. Kontaktopplysningar til "
                   "medlemer av brukarutval blir berre viste for dei andre medlemene i utvalet.</p>"),
            "en": ("Privacy",
                   "How we process personal data in the portal.",
                   "<p>We store names, e-mail addresses and roles of account holders. Contact details of council "
                   "members are shown only to the other members of the council.</p>"),
        },
    ),
}


def _footer(demo: Demo, home: HomePage) -> None:
    for key, (slug, texts) in FOOTER_PAGES.items():
        title, intro, body = texts["nb"]
        page = ensure_child(demo, home, StandardPage, slug=slug, title=title, intro=intro, body=body)
        ensure_translations(
            demo, page,
            {code: {"title": texts[code][0], "intro": texts[code][1], "body": texts[code][2]} for code in ("nn", "en")},
        )
        demo.pages[key] = page
    site = Site.objects.get(is_default_site=True)
    footer = FooterSettings.for_site(site)
    footer.contact_email = footer.contact_email or "brukermedvirkning@example.no"
    footer.contact_phone = footer.contact_phone or "55 55 33 33"
    footer.contact_address = footer.contact_address or "Postboks 5 St. Olavs plass, 0130 Oslo"
    footer.accessibility_page = demo.pages["accessibility"]
    footer.privacy_page = demo.pages["privacy"]
    footer.save()


ORGANISATIONS = [
    # key, slug, title, short name, umbrella key, description (nb, nn, en)
    (
        "umbrella", "fellesforbundet-for-brukerorganisasjoner", "Fellesforbundet for brukerorganisasjoner", "FFB", None,
        (
            "<p>FFB er en paraplyorganisasjon for organisasjoner av personer med funksjonsnedsettelser og kronisk "
            "sykdom. Vi samler innspill fra medlemsorganisasjonene og gir felles høringssvar.</p>",
            "<p>FFB er ein paraplyorganisasjon for organisasjonar av personar med funksjonsnedsetjingar og kronisk "
            "sjukdom. Vi samlar innspel frå medlemsorganisasjonane og gjev felles høyringssvar.</p>",
            "<p>FFB is an umbrella body for organisations of people with disabilities and chronic illness. We "
            "gather input from our member organisations and submit joint hearing responses.</p>",
        ),
    ),
    (
        "member_vision", "foreningen-for-synshemmede-i-arbeidslivet", "Foreningen for synshemmede i arbeidslivet",
        "FSA", "umbrella",
        (
            "<p>FSA arbeider for at blinde og svaksynte skal få og beholde arbeid, og for at digitale tjenester "
            "skal være universelt utformet.</p>",
            "<p>FSA arbeider for at blinde og svaksynte skal få og halde på arbeid, og for at digitale tenester "
            "skal vere universelt utforma.</p>",
            "<p>FSA works to help blind and partially sighted people find and keep work, and for digital "
            "services that are universally designed.</p>",
        ),
    ),
    (
        "member_chronic", "landsforeningen-for-kronisk-syke", "Landsforeningen for kronisk syke", "LKS", "umbrella",
        (
            "<p>LKS er en landsdekkende forening for personer med langvarige sykdommer og deres pårørende.</p>",
            "<p>LKS er ein landsdekkjande foreining for personar med langvarige sjukdommar og dei pårørande.</p>",
            "<p>LKS is a national association for people with long-term illnesses and their families.</p>",
        ),
    ),
    (
        "independent", "ungdomsradet-for-brukermedvirkning", "Ungdomsrådet for brukermedvirkning", "URB", None,
        (
            "<p>URB er en uavhengig organisasjon for unge brukere av velferdstjenester mellom 16 og 30 år.</p>",
            "<p>URB er ein uavhengig organisasjon for unge brukarar av velferdstenester mellom 16 og 30 år.</p>",
            "<p>URB is an independent organisation for young users of welfare services aged 16 to 30.</p>",
        ),
    ),
]


def _organisations(demo: Demo) -> None:
    index = demo.pages["organisations"]
    for key, slug, title, short, umbrella_key, (nb, nn, en) in ORGANISATIONS:
        page = ensure_child(
            demo, index, OrganisationPage, slug=slug, title=title, short_name=short, description=nb,
            umbrella=demo.pages.get(f"org_{umbrella_key}") if umbrella_key else None,
            website=f"https://{short.lower()}.example.no", contact_email=f"post@{short.lower()}.example.no",
        )
        ensure_translations(demo, page, {"nn": {"description": nn}, "en": {"description": en}})
        demo.pages[f"org_{key}"] = page


COUNCILS = [
    (
        "national", "sentralt-brukerutvalg", CouncilPage.Level.NATIONAL, "", None,
        {"nb": "Sentralt brukerutvalg", "nn": "Sentralt brukarutval", "en": "National user council"},
        (
            "<p>Utvalget gir råd til direktoratet om strategier, regelverk og tjenester som angår brukerne, "
            "og ber fylkesutvalgene om synspunkter på saker som reises nasjonalt.</p>",
            "<p>Utvalet gjev råd til direktoratet om strategiar, regelverk og tenester som gjeld brukarane, "
            "og ber fylkesutvala om synspunkt på saker som blir reiste nasjonalt.</p>",
            "<p>The council advises the directorate on strategies, rules and services that concern users, and "
            "asks the county councils for views on matters raised nationally.</p>",
        ),
    ),
    (
        "county", "brukerutvalget-i-vestland", CouncilPage.Level.COUNTY, "Vestland", "national",
        {"nb": "Brukerutvalget i Vestland", "nn": "Brukarutvalet i Vestland", "en": "Vestland county user council"},
        (
            "<p>Fylkesutvalget følger opp tjenestene i Vestland og løfter saker fra de lokale utvalgene videre.</p>",
            "<p>Fylkesutvalet følgjer opp tenestene i Vestland og løftar saker frå dei lokale utvala vidare.</p>",
            "<p>The county council follows up the services in Vestland and raises matters from the local "
            "councils further.</p>",
        ),
    ),
    (
        "local", "brukerutvalget-i-bergen", CouncilPage.Level.LOCAL, "Bergen", "county",
        {"nb": "Brukerutvalget i Bergen", "nn": "Brukarutvalet i Bergen", "en": "Bergen local user council"},
        (
            "<p>Det lokale utvalget møtes fire ganger i året og drøfter tilgjengelighet, ventetid og "
            "brukernes erfaringer med kontoret.</p>",
            "<p>Det lokale utvalet møtest fire gonger i året og drøftar tilgjenge, ventetid og brukarane sine "
            "erfaringar med kontoret.</p>",
            "<p>The local council meets four times a year to discuss accessibility, waiting times and users' "
            "experience of the office.</p>",
        ),
    ),
]


def _councils(demo: Demo) -> None:
    index = demo.pages["councils"]
    for key, slug, level, region, parent_key, titles, (nb, nn, en) in COUNCILS:
        page = ensure_child(
            demo, index, CouncilPage, slug=slug, title=titles["nb"], level=level, region=region, mandate=nb,
            parent_council=demo.pages.get(f"council_{parent_key}") if parent_key else None,
        )
        ensure_translations(
            demo, page, {"nn": {"title": titles["nn"], "mandate": nn}, "en": {"title": titles["en"], "mandate": en}}
        )
        demo.pages[f"council_{key}"] = page


def _hearing(demo: Demo) -> None:
    index = demo.pages["hearings"]
    deadline = (timezone.now() + datetime.timedelta(days=60)).replace(hour=12, minute=0, second=0, microsecond=0)
    page = ensure_child(
        demo, index, HearingPage, slug="strategi-for-brukermedvirkning-2027-2030",
        title="Høring – strategi for brukermedvirkning 2027–2030",
        summary=(
            "Direktoratet ber om innspill til en ny strategi for brukermedvirkning på systemnivå: hvordan "
            "brukerutvalgene settes sammen, hvordan de arbeider mellom møtene, og hvordan erfaringene deres "
            "brukes i utviklingen av tjenestene."
        ),
        owner_unit="Avdeling for brukerdialog",
        deadline=deadline,
        body=(
            "<h2>1. Bakgrunn</h2><p>Brukerutvalgene møtes sjelden og har lite kontakt mellom møtene. "
            "Mange brukerrepresentanter etterlyser opplæring og bedre tilbakemelding på hva innspillene fører til.</p>"
            "<h2>2. Mål</h2><p>Brukernes erfaringer skal få større betydning for hvordan tjenestene utformes.</p>"
            "<h2>3. Tiltak</h2><p>Vi foreslår faste saker fra utvalgene på ledermøter, en digital arbeidsflate "
            "mellom møtene og et felles opplæringsprogram for brukerrepresentanter.</p>"
        ),
    )
    ensure_translations(
        demo, page,
        {
            "nn": {
                "title": "Høyring – strategi for brukarmedverknad 2027–2030",
                "owner_unit": "Avdeling for brukardialog",
                "summary": (
                    "Direktoratet ber om innspel til ein ny strategi for brukarmedverknad på systemnivå: korleis "
                    "brukarutvala blir sette saman, korleis dei arbeider mellom møta, og korleis erfaringane deira "
                    "blir brukte i utviklinga av tenestene."
                ),
            },
            "en": {
                "title": "Hearing – strategy for user participation 2027–2030",
                "owner_unit": "Department for User Dialogue",
                "summary": (
                    "The directorate asks for input to a new strategy for user participation at system level: how "
                    "user councils are composed, how they work between meetings, and how their experience is used "
                    "when services are developed."
                ),
            },
        },
    )
    demo.pages["hearing"] = page


def _accounts_and_memberships(demo: Demo) -> None:
    ensure_user(demo, key="admin", username="admin", first_name="Ada", last_name="Administrator", superuser=True,
                groups=(SITE_ADMINISTRATORS,))
    ensure_user(demo, key="moderator", username="moderator", first_name="Mona", last_name="Moe",
                groups=(MODERATORS,))
    ensure_user(demo, key="hearing_owner", username="horingseier", first_name="Håkon", last_name="Haugen",
                groups=(HEARING_OWNERS,))
    people = {
        # key: (username, first, last, language)
        "org_lead": ("org-leder", "Liv", "Lunde", "nb"),
        "org_member": ("org-medlem", "Ola", "Olsen", "nn"),
        "member_org_member": ("medlemsorg-medlem", "Siri", "Sandvik", "nb"),
        "independent_lead": ("urb-leder", "Jonas", "Johansen", "en"),
        "council_chair": ("utvalgsleder", "Kari", "Kleppe", "nb"),
        "council_secretary": ("utvalgssekretaer", "Per", "Paulsen", "nb"),
        # A Northern Sami name: documents and feeds must keep č đ ŋ š intact.
        "council_member": ("utvalgsmedlem", "Máret Ánne", "Čiekŋa-Šuđđá", "nn"),
        "county_member": ("fylkesutvalgsmedlem", "Tor", "Tveit", "nb"),
    }
    for key, (username, first, last, language) in people.items():
        ensure_user(demo, key=key, username=username, first_name=first, last_name=last, language=language)

    organisation_roles = [
        ("org_lead", "org_umbrella", OrganisationMembership.Role.LEAD),
        ("org_member", "org_umbrella", OrganisationMembership.Role.MEMBER),
        ("member_org_member", "org_member_vision", OrganisationMembership.Role.MEMBER),
        ("independent_lead", "org_independent", OrganisationMembership.Role.LEAD),
        ("council_member", "org_member_chronic", OrganisationMembership.Role.MEMBER),
    ]
    for user_key, org_key, role in organisation_roles:
        OrganisationMembership.objects.get_or_create(
            organisation=demo.pages[org_key], user=demo.users[user_key], defaults={"role": role}
        )

    period_start = datetime.date(timezone.localdate().year - 1, 1, 1)
    council_roles = [
        ("council_chair", "council_local", CouncilMembership.Role.CHAIR, "org_umbrella"),
        ("council_secretary", "council_local", CouncilMembership.Role.SECRETARY, None),
        ("council_member", "council_local", CouncilMembership.Role.MEMBER, "org_member_chronic"),
        ("county_member", "council_county", CouncilMembership.Role.MEMBER, "org_member_vision"),
    ]
    for user_key, council_key, seat, represents in council_roles:
        CouncilMembership.objects.get_or_create(
            council=demo.pages[council_key], user=demo.users[user_key], role=seat,
            defaults={"start": period_start, "organisation": demo.pages.get(represents) if represents else None},
        )
    # A past member, so the council page shows that composition changes over time.
    former = ensure_user(demo, key="former_member", username="tidligere-medlem", first_name="Berit",
                         last_name="Bakke")
    CouncilMembership.objects.get_or_create(
        council=demo.pages["council_local"], user=former, role=CouncilMembership.Role.MEMBER,
        defaults={
            "start": datetime.date(period_start.year - 2, 1, 1),
            "end": datetime.date(period_start.year - 1, 12, 31),
        },
    )
