"""Demo: the training programme (two module pages in nb/nn/en) and Brukerutvalget i Vestland with
both modules held, an upcoming module-2 course, and members who are missing one module or both.
Rows are created directly (no e-mails); running it again creates nothing twice."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from portal.councils import actions as council_actions
from portal.councils.models import CouncilMembership
from portal.training.models import Completion, Course, Enrolment, Module, TrainingIndexPage, TrainingModulePage

from .builder import Demo, ensure_child, ensure_translations, ensure_user

MODULES = [
    (
        Module.ONE, "modul-1-a-vaere-brukerrepresentant",
        {"nb": "Modul 1: Å være brukerrepresentant", "nn": "Modul 1: Å vere brukarrepresentant",
         "en": "Module 1: Being a user representative"},
        {
            "nb": ("Arrangeres av brukerorganisasjonene. Om rollen som brukerrepresentant og hva organisasjonene "
                   "forventer.",
                   "<p>Modulen handler om å være brukerrepresentant: rollen, rollen i praksis og hva "
                   "organisasjonen forventer av deg. Du blir kjent med de andre organisasjonene i utvalget.</p>",
                   "<ul><li>Gissel eller påvirker: rollen som brukerrepresentant</li><li>Rollen i praksis og "
                   "organisasjonens forventninger</li><li>Bli kjent med de andre organisasjonene</li>"
                   "<li>Samarbeid i utvalget</li><li>Brukermedvirkning som ressurs: representativitet og "
                   "forpliktelser</li></ul>"),
            "nn": ("Blir arrangert av brukarorganisasjonane. Om rolla som brukarrepresentant og kva "
                   "organisasjonane ventar.",
                   "<p>Modulen handlar om å vere brukarrepresentant: rolla, rolla i praksis og kva organisasjonen "
                   "ventar av deg. Du blir kjend med dei andre organisasjonane i utvalet.</p>",
                   "<ul><li>Gissel eller påverkar: rolla som brukarrepresentant</li><li>Rolla i praksis og "
                   "forventningane til organisasjonen</li><li>Bli kjend med dei andre organisasjonane</li>"
                   "<li>Samarbeid i utvalet</li><li>Brukarmedverknad som ressurs: representativitet og "
                   "plikter</li></ul>"),
            "en": ("Arranged by the user organisations. About the role of a user representative and what the "
                   "organisations expect.",
                   "<p>This module is about being a user representative: the role, the role in practice and what "
                   "your organisation expects of you. You get to know the other organisations on the council.</p>",
                   "<ul><li>Hostage or influencer: the representative's role</li><li>The role in practice and "
                   "the organisation's expectations</li><li>Getting to know the other organisations</li>"
                   "<li>Teamwork on the council</li><li>User participation as a resource: representativeness "
                   "and obligations</li></ul>"),
        },
    ),
    (
        Module.TWO, "modul-2-etaten-og-utvalget",
        {"nb": "Modul 2: Etaten og brukerutvalget", "nn": "Modul 2: Etaten og brukarutvalet",
         "en": "Module 2: The agency and the council"},
        {
            "nb": ("Arrangeres av fylkeskontoret, som dekker reise og opphold. Om etaten, tjenestene og hvordan "
                   "utvalget arbeider.",
                   "<p>Modulen handler om etaten: visjon, verdier og mål, lovene den forvalter, hvordan den er "
                   "organisert og hvor brukerne finner informasjon. Ledere fra fylkeskontoret deltar.</p>",
                   "<ul><li>Visjon, verdier, mål og lovverk</li><li>Organisering: stat og kommune, lokale "
                   "kontorer, samarbeidsavtaler</li><li>Tjenestene og hvor brukerne finner informasjon</li>"
                   "<li>Utvalgets mandat, roller, møteform og saker mellom møtene</li><li>Godtgjøring og "
                   "oppmøte</li></ul>"),
            "nn": ("Blir arrangert av fylkeskontoret, som dekkjer reise og opphald. Om etaten, tenestene og "
                   "korleis utvalet arbeider.",
                   "<p>Modulen handlar om etaten: visjon, verdiar og mål, lovene han forvaltar, korleis han er "
                   "organisert og kvar brukarane finn informasjon. Leiarar frå fylkeskontoret deltek.</p>",
                   "<ul><li>Visjon, verdiar, mål og lovverk</li><li>Organisering: stat og kommune, lokale "
                   "kontor, samarbeidsavtalar</li><li>Tenestene og kvar brukarane finn informasjon</li>"
                   "<li>Mandatet til utvalet, roller, møteform og saker mellom møta</li><li>Godtgjering og "
                   "oppmøte</li></ul>"),
            "en": ("Arranged by the county office, which covers travel and lodging. About the agency, its services "
                   "and how the council works.",
                   "<p>This module is about the agency: its vision, values and goals, the laws it administers, how "
                   "it is organised and where users find information. Leaders of the county office take part.</p>",
                   "<ul><li>Vision, values, goals and legislation</li><li>Organisation: state and municipality, "
                   "local offices, cooperation agreements</li><li>The services and where users find "
                   "information</li><li>The council's mandate, roles, meetings and work between meetings</li>"
                   "<li>Remuneration and attendance</li></ul>"),
        },
    ),
]

INDEX_TITLES = {"nb": "Opplæring av brukerrepresentanter", "nn": "Opplæring av brukarrepresentantar",
                "en": "Training of user representatives"}
INDEX_INTRO = {
    "nb": "<p>Alle brukerrepresentanter i fylkesvise brukerutvalg skal gjennomføre to obligatoriske moduler.</p>",
    "nn": "<p>Alle brukarrepresentantar i fylkesvise brukarutval skal gjennomføre to obligatoriske modular.</p>",
    "en": "<p>Every user representative on a county council completes two mandatory modules.</p>",
}

# Vestland's representatives: key, username, first, last, language, role, organisation key, joined
# (days ago), completed modules.
VESTLAND = [
    ("county_chair", "fylkesleder", "Hanne", "Hauge", "nb", CouncilMembership.Role.CHAIR, "org_umbrella", 700,
     (1, 2)),
    ("county_rep_chronic", "fylke-lks", "Nils", "Nygård", "nn", CouncilMembership.Role.MEMBER,
     "org_member_chronic", 650, (1, 2)),
    ("county_rep_youth", "fylke-urb", "Marit", "Myklebust", "nb", CouncilMembership.Role.MEMBER,
     "org_independent", 400, (1,)),
    ("county_agency", "fylke-etat", "Arne", "Aksnes", "nb", CouncilMembership.Role.AGENCY, None, 380, (2,)),
    ("county_rep_new", "fylke-ny", "Sara", "Solheim", "nb", CouncilMembership.Role.MEMBER, "org_member_vision",
     30, ()),
]


def load(demo: Demo) -> None:
    _modules(demo)
    _vestland(demo)


def _modules(demo: Demo) -> None:
    index = ensure_child(demo, demo.pages["home"], TrainingIndexPage, slug="opplaering",
                         title=INDEX_TITLES["nb"], intro=INDEX_INTRO["nb"])
    ensure_translations(demo, index, {code: {"title": INDEX_TITLES[code], "intro": INDEX_INTRO[code]}
                                      for code in ("nn", "en")})
    demo.pages["training"] = index
    for number, slug, titles, texts in MODULES:
        summary, description, topics = texts["nb"]
        page = ensure_child(demo, index, TrainingModulePage, slug=slug, title=titles["nb"], number=number,
                            summary=summary, description=description, topics=topics)
        ensure_translations(demo, page, {
            code: {"title": titles[code], "summary": texts[code][0], "description": texts[code][1],
                   "topics": texts[code][2]}
            for code in ("nn", "en")
        })
        demo.pages[f"training_module_{number}"] = page


def _at(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _course(demo: Demo, *, title: str, module: int, days: int, arrangers: list, **fields) -> Course:
    council = demo.pages["council_county"]
    course = Course.objects.filter(council=council, title=title).first()
    if course is not None:
        return course
    course = Course.objects.create(
        council=council, title=title, module=module, starts=_at(days, 9), ends=_at(days + 1, 15),
        signup_deadline=_at(days - 14, 12), created_by=demo.users.get("county_secretary"), **fields,
    )
    course.arrangers.set(arrangers)
    demo.note(f"course {title}")
    return course


def _vestland(demo: Demo) -> None:
    council = demo.pages["council_county"]
    today = timezone.localdate()
    module_1 = _course(demo, title="Modul 1 for brukerrepresentanter i Vestland", module=Module.ONE, days=-300,
                       arrangers=[demo.pages["org_umbrella"]], place="Fellesforbundets lokaler, Bergen",
                       capacity=20, payer=Course.Payer.SUPPORTED, travel_covered=False, cost=18000,
                       cost_note="Fylkeskontoret støtter med 10 000 kr slik at alle organisasjonene kan delta.")
    module_2 = _course(demo, title="Modul 2: Etaten og brukerutvalget i Vestland", module=Module.TWO, days=-240,
                       arrangers=[], county_office=True, place="Fylkeskontoret, Bergen", capacity=25,
                       payer=Course.Payer.AGENCY, travel_covered=True, cost=42000)
    upcoming = _course(demo, title="Modul 2 for nye representanter, våren", module=Module.TWO, days=45,
                       arrangers=[], county_office=True, place="Fylkeskontoret, Førde", online=True,
                       capacity=15, payer=Course.Payer.AGENCY, travel_covered=True)
    held: dict[int, Course] = {Module.ONE: module_1, Module.TWO: module_2}
    people = [(key, username, first, last, language, role, org, joined, modules)
              for key, username, first, last, language, role, org, joined, modules in VESTLAND]
    # The demo's existing county member holds both modules.
    seated: list[tuple[Any, tuple[int, ...]]] = [(demo.users["county_member"], (1, 2))]
    for key, username, first, last, language, role, org_key, joined, modules in people:
        user = ensure_user(demo, key=key, username=username, first_name=first, last_name=last, language=language)
        CouncilMembership.objects.get_or_create(
            council=council, user=user, role=role,
            defaults={"start": today - datetime.timedelta(days=joined),
                      "organisation": demo.pages.get(org_key) if org_key else None},
        )
        seated.append((user, modules))
    for user, modules in seated:
        for number in modules:
            course = held[number]
            signed_up = course.signup_deadline - datetime.timedelta(days=7)
            Enrolment.objects.get_or_create(course=course, user=user, defaults={
                "attended": True, "signed_up_at": signed_up, "attendance_recorded_at": course.ends})
            Completion.objects.get_or_create(user=user, course=course, defaults={
                "module": number, "completed_on": timezone.localtime(course.ends).date()})
    Enrolment.objects.get_or_create(course=upcoming, user=demo.users["county_rep_new"],
                                    defaults={"needs": "Trenger teleslynge i møterommet."})
    council_actions.sync_groups(council=council)
