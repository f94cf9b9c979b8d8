"""Demo: every council's private space, with a few discussions (one with a hidden post), an
internal document, and enough members to hold them. Objects are created directly rather than
through the actions, so loading the demo sends no e-mails."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal.core.documents import simple_pdf
from portal.councils import actions, selectors
from portal.councils.models import CouncilMembership, Post, Thread
from portal.security.sanitising import sanitise_post_body

from .builder import Demo, ensure_user

# Extra people so that every council has members to talk (the national council had none).
PEOPLE = [
    # key, username, first, last, language, council key, role, organisation key
    ("national_chair", "sentralt-utvalgsleder", "Astrid", "Aasen", "nb", "council_national",
     CouncilMembership.Role.CHAIR, "org_umbrella"),
    ("national_secretary", "sentralt-sekretaer", "Eirik", "Engen", "nb", "council_national",
     CouncilMembership.Role.SECRETARY, None),
    ("county_secretary", "fylkessekretaer", "Guro", "Grønlien", "nn", "council_county",
     CouncilMembership.Role.SECRETARY, None),
]

# council key -> threads: (title, [(author key, days ago, text, hidden reason or None)])
THREADS = {
    "council_local": [
        ("Ventetid på telefon til kontoret", [
            ("council_chair", 20,
             "Flere brukere har fortalt meg at de venter over en halvtime i telefonkø før de kommer fram. "
             "Kan vi be kontoret om tall for ventetiden før neste møte?", None),
            ("council_secretary", 19,
             "Jeg har bedt om statistikk for de siste tre månedene. Kontoret legger den fram som egen sak "
             "på møtet, sammen med planen for ringetider.", None),
            ("council_member", 17,
             "Takk. Det hadde vore fint om vi òg fekk vite kor mange som gir opp før dei kjem fram, ikkje "
             "berre gjennomsnittleg ventetid.", None),
        ]),
        ("Innspill til høringen om strategi for brukermedvirkning", [
            ("council_member", 12,
             "Høringen om ny strategi har frist om to måneder. Skal vi gi et felles innspill fra utvalget, "
             "særlig om opplæring av brukerrepresentanter og tilbakemelding på hva innspillene våre fører til?",
             None),
            ("council_chair", 11,
             "Ja, la oss gjøre det. Jeg lager et utkast med tre punkter: faste saker fra utvalget på "
             "ledermøtene, opplæring for nye representanter, og skriftlig tilbakemelding etter hver sak.", None),
        ]),
        ("Tilgjengelighet i nye digitale skjemaer", [
            ("council_member", 8,
             "Dei nye skjemaa fungerer dårleg med skjermlesar: feltnamna blir ikkje lesne opp, og "
             "feilmeldingane kjem utan forklaring.", None),
            ("council_chair", 7,
             "Jeg vet om en bruker på Åsane som har hatt stans i utbetalingen i to måneder på grunn av dette, "
             "og som har gitt meg saksnummeret sitt.",
             "Innlegget omtalte en enkeltperson og hennes sak. Enkeltsaker tas direkte med kontoret, ikke i "
             "utvalget."),
            ("council_secretary", 6,
             "Jeg tar med tilgjengelighet i skjemaene som sak til neste møte og ber om at fagansvarlig for "
             "skjemaene deltar.", None),
        ]),
    ],
    "council_county": [
        ("Saker fra de lokale utvalgene til neste fylkesmøte", [
            ("county_secretary", 15,
             "Vi set opp sakslista for neste møte. Send saker frå dei lokale utvala innan fredag, gjerne "
             "med ei kort skildring av kva de ønskjer at fylket skal gjere.", None),
            ("county_member", 14,
             "Bergen har meldt inn ventetid på telefon. Jeg foreslår at vi ser på om det samme gjelder "
             "de andre kontorene i fylket.", None),
        ]),
        ("Opplæring av nye brukerrepresentanter", [
            ("county_member", 9,
             "Flere nye representanter har sagt at de ikke vet hva som forventes av dem. Kan fylket lage "
             "et kort kurs før første møte?", None),
            ("county_member", 8,
             "Jeg kan legge ut navn og telefonnummer til de nye representantene som har klaget, så kan "
             "dere ringe dem direkte.",
             "Innlegget ville dele personopplysninger om andre. Send slike opplysninger direkte til "
             "sekretæren, ikke i tråden."),
            ("county_secretary", 7,
             "Vi planlegg eit felles kurs i mars for alle nye brukarrepresentantar i fylket. Program kjem "
             "i dokumentarkivet her.", None),
        ]),
    ],
    "council_national": [
        ("Fordeling av arbeidet med høringssvaret om brukermedvirkning", [
            ("national_chair", 18,
             "Vi bør gi et samlet høringssvar fra det sentrale utvalget. Jeg foreslår at vi deler arbeidet "
             "etter de tre kapitlene i høringsnotatet.", None),
            ("national_secretary", 17,
             "Jeg setter opp et dokument med kapitlene og sender ut en frist for innspill to uker før "
             "høringsfristen.", None),
        ]),
        ("Erfaringer med digitale møter", [
            ("national_secretary", 10,
             "Siden vi nå har hatt fire digitale møter: hva fungerer, og hva bør vi endre? Særlig for dem "
             "som bruker tolk eller skjermleser.", None),
            ("national_chair", 9,
             "Dette er bortkastet tid, og sekretariatet burde skjønt det selv for lenge siden.",
             "Innlegget var en personlig karakteristikk og ikke et innspill til saken."),
            ("national_chair", 8,
             "Pausene må bli lengre når vi bruker tolk, og sakspapirene må komme en uke før møtet.", None),
        ]),
    ],
}

DOCUMENTS = {
    "council_local": ("Arbeidsplan for Brukerutvalget i Bergen", "arbeidsplan-brukerutvalget-bergen",
                      "Arbeidsplan for brukerutvalget: fire møter, tema ventetid, tilgjengelighet og "
                      "opplæring av brukerrepresentanter."),
    "council_county": ("Utkast til årsmelding for fylkesutvalget", "utkast-arsmelding-fylkesutvalget",
                       "Utkast til årsmelding: saker fra de lokale utvalgene og oppfølging i fylket."),
    "council_national": ("Mandat og retningslinjer – revidert utkast", "mandat-og-retningslinjer-utkast",
                         "Revidert utkast til mandat og retningslinjer for det sentrale brukerutvalget."),
}


def load(demo: Demo) -> None:
    _people(demo)
    for council_key in THREADS:
        council = demo.pages[council_key]
        actions.sync_groups(council=council)
        for title, posts in THREADS[council_key]:
            _thread(demo, council, title, posts)
        _document(demo, council_key)


def _people(demo: Demo) -> None:
    start = datetime.date(timezone.localdate().year - 1, 1, 1)
    for key, username, first, last, language, council_key, role, org_key in PEOPLE:
        user = ensure_user(demo, key=key, username=username, first_name=first, last_name=last, language=language)
        CouncilMembership.objects.get_or_create(
            council=demo.pages[council_key], user=user, role=role,
            defaults={"start": start, "organisation": demo.pages.get(org_key) if org_key else None},
        )


def _thread(demo: Demo, council, title: str, posts) -> None:
    if selectors.threads(council=council).filter(title=title).exists():
        return
    now = timezone.now()
    first_author = demo.users[posts[0][0]]
    thread = Thread.objects.create(
        council=selectors.source_council(council), title=title, author=first_author,
        created_at=now - datetime.timedelta(days=posts[0][1]),
    )
    moderator = next(
        (demo.users[key] for key, *_rest in posts if "secretary" in key), demo.users.get("moderator")
    )
    for author_key, days_ago, text, hidden_reason in posts:
        author = demo.users[author_key]
        created = now - datetime.timedelta(days=days_ago)
        post = Post.objects.create(thread=thread, author=author, body=sanitise_post_body(text), created_at=created)
        if hidden_reason:
            # Hidden the day after it was written, by the council's secretary (or a portal moderator).
            post.hidden_at = created + datetime.timedelta(days=1)
            post.hidden_by = moderator
            post.hidden_reason = hidden_reason
            post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        thread.followers.add(author)
        thread.last_activity_at = created
    thread.save(update_fields=["last_activity_at"])
    demo.note(f"council thread {title}")


def _document(demo: Demo, council_key: str) -> None:
    council = demo.pages[council_key]
    title, slug, text = DOCUMENTS[council_key]
    if selectors.internal_documents(council=council).filter(title=title).exists():
        return
    author = next(
        (demo.users[key] for key, *_rest, c_key, role, _org in PEOPLE if c_key == council_key), None
    ) or demo.users.get("council_secretary")
    upload = SimpleUploadedFile(f"{slug}.pdf", simple_pdf(title, text), content_type="application/pdf")
    actions._store_document(council=council, upload=upload, title=title, actor=author)
    demo.note(f"council document {title}")
