"""What a public reader sees in nb, nn and en, on a desktop and on a phone (issue #21): home, a hearing,
a response, an organisation, a council and a meeting. For each language one browser context visits
the six pages and, on each: saves a screenshot at 1280 and 390 px (docs/screenshots/, JPEG clipped to
the first screen, so they stay small), finds no horizontal scroll at 390 and 320 px (WCAG 1.4.10),
finds no English interface string on a Bokmål or Nynorsk page, and passes axe-core."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import translate_url
from wagtail.models import Locale

from portal.hearings.models import PublishedResponse
from portal.meetings.models import MeetingPage
from tests.browser.axe import assert_accessible
from tests.helpers import demo_page

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
FFB = "fellesforbundet-for-brukerorganisasjoner"
BERGEN = "brukerutvalget-i-bergen"

# English msgids of the base layout, header and footer: none may be left on a nb or nn page.
ENGLISH_INTERFACE = [
    "Skip to main content", "User participation portal", "Log in", "Meetings and minutes", "Search",
    "About the portal", "Accessibility statement", "Contact", "Open data (API)", "Privacy", "Choose language",
    "Main menu", "Breadcrumb",
]


def _response_url(lang: str) -> str:
    concluded = "opplaeringsprogram-for-brukerutvalg"
    published = PublishedResponse.objects.filter(withdrawn_at=None, hearing__slug=concluded).order_by("pk").first()
    url = published.get_absolute_url()
    if lang == "nb":
        return url
    if "#" in url:  # the response as an anchor on its hearing's page
        hearing = published.hearing.get_translation(Locale.objects.get(language_code=lang))
        return hearing.url + "#" + url.split("#", 1)[1]
    return translate_url(url, lang)


def _pages(lang: str) -> dict[str, tuple[str, str]]:
    """name: (URL, the language the page is served in)."""
    council = demo_page(BERGEN, lang)
    # Meetings are held (and written) in Bokmål; a translation is used where the demo has one.
    meeting = MeetingPage.objects.child_of(demo_page(BERGEN)).live().order_by("path").first()
    meeting = meeting.get_translation_or_none(Locale.objects.get(language_code=lang)) or meeting
    urls = {
        "home": demo_page("hjem", lang).url,
        "hearing": demo_page("strategi-for-brukermedvirkning-2027-2030", lang).url,
        "response": _response_url(lang),
        "organisation": demo_page(FFB, lang).url,
        "council": council.url,
        "meeting": meeting.url,
    }
    return {name: (url, meeting.locale.language_code if name == "meeting" else lang) for name, url in urls.items()}


def _horizontal_overflow(tab) -> int:
    """How many CSS pixels the page is wider than the window (0: no horizontal scroll)."""
    return tab.evaluate("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
                        " - window.innerWidth")


def _too_wide(tab) -> list[str]:
    """The innermost elements reaching past the right edge of the window, to name the culprit."""
    return tab.evaluate("""() => Array.from(document.querySelectorAll('body *'))
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5 && !e.querySelector('*'))
        .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : '')
                              + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')""")


def _english_left(tab) -> list[str]:
    texts = tab.evaluate("""() => [document.body.innerText,
        ...Array.from(document.querySelectorAll('[aria-label]'), e => e.getAttribute('aria-label')),
        document.title].join('\\n')""")
    return [msgid for msgid in ENGLISH_INTERFACE if msgid in texts]


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_public_pages_in_each_language_on_desktop_and_phone(chromium, portal_server, db, lang):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = chromium.new_context(base_url=portal_server.url, viewport={"width": 1280, "height": 800},
                                   locale={"nb": "nb-NO", "nn": "nn-NO", "en": "en-GB"}[lang])
    context.set_default_timeout(20_000)
    tab = context.new_page()
    problems: list[str] = []
    try:
        for name, (url, served_in) in _pages(lang).items():
            tab.set_viewport_size({"width": 1280, "height": 800})
            response = tab.goto(url)
            assert response is not None and response.status == 200, f"{name} ({lang}) {url}"
            assert tab.evaluate("document.documentElement.lang") == served_in
            tab.screenshot(path=str(SCREENSHOTS / f"{name}-{lang}-1280.jpg"), type="jpeg", quality=55)
            assert_accessible(tab)
            if served_in in ("nb", "nn"):
                left = _english_left(tab)
                if left:
                    problems.append(f"{name} ({lang}): English interface text {left}")
            for width in (390, 320):
                tab.set_viewport_size({"width": width, "height": 844})
                overflow = _horizontal_overflow(tab)
                if overflow > 0:
                    problems.append(f"{name} ({lang}) at {width} px: {overflow} px of horizontal scroll "
                                    f"({_too_wide(tab)})")
                if width == 390:
                    tab.screenshot(path=str(SCREENSHOTS / f"{name}-{lang}-390.jpg"), type="jpeg", quality=55)
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_a_members_working_pages_fit_a_320_px_phone(chromium, portal_server, db):
    """The response draft (with a long compound word in an amendment), the workspace and the input
    form scrolled sideways on a phone; now they fit at 390 and 320 px."""
    from tests.browser.journeys import log_in
    from tests.hearings.helpers import make_hearing, make_response

    hearing = make_hearing("telefonbredde")
    draft = make_response(hearing, parts=[(
        "1", "amendment", "Opplæringsprogrammet må beskrives.",
        "Strategien skal sikre et opplæringsopplegg for brukerrepresentanters kompetanseutviklingsprogram.")])
    problems: list[str] = []
    for username, urls in (("org-medlem", ["/arbeidsrom/", draft.url]),
                           ("medlemsorg-medlem", [hearing.url + f"innspill/{draft.pk}/"])):
        context = chromium.new_context(base_url=portal_server.url, viewport={"width": 390, "height": 844})
        context.set_default_timeout(20_000)
        tab = context.new_page()
        try:
            log_in(tab, username)
            for url in urls:
                response = tab.goto(url)
                assert response is not None and response.status == 200, url
                for width in (390, 320):
                    tab.set_viewport_size({"width": width, "height": 844})
                    overflow = _horizontal_overflow(tab)
                    if overflow > 0:
                        problems.append(f"{url} as {username} at {width} px: {overflow} px of horizontal scroll "
                                        f"({_too_wide(tab)})")
        finally:
            context.close()
    assert not problems, "\n".join(problems)
