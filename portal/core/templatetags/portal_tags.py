"""Template tags for the base layout: language switcher, hreflang alternates, menu, footer.

The layout's chrome (menu items, the home page in each language, each page's translations, the
footer's links) is the same for every reader of a site in a language, so it is computed once per
content generation (portal.access.generation: advances on every publish, unpublish, move, delete
and view-restriction change) and shared by every request and worker; only what depends on the
request itself (which item is current, the query string carried into other languages, absolute
URLs) is worked out per request. Nothing cached here depends on who is reading: the menu lists
public pages only, for everyone."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.conf import settings
from django.forms import BaseForm, BaseFormSet
from django.urls import reverse, translate_url
from django.utils.formats import date_format
from django.utils.functional import LazyObject
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info, override
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page, Site

from portal.access import generation
from portal.access.roles import may_use_admin
from portal.access.users import viewer_of
from portal.access.visibility import exclude_restricted
from portal.core.models import FooterSettings
from portal.core.translations import field_language, language_in_sentence, translation_status

register = template.Library()


def _site(request) -> Site | None:
    return Site.find_for_request(request)


def _site_key(request) -> int | None:
    site = _site(request)
    return site.pk if site is not None else None


def _language_urls(context) -> dict[str, str]:
    """URL of the current page in each language: the page's own translation when there is one,
    otherwise the same URL under the other language prefix. Worked out once per request and page:
    the switcher and the hreflang links (which ask twice) need the same answer."""
    request = context["request"]
    page = context.get("page")
    memo = request.__dict__.setdefault("_portal_language_urls", {})
    key = page.pk if isinstance(page, Page) else None
    if key not in memo:
        memo[key] = _work_out_language_urls(request, page)
    return dict(memo[key])


# A query string longer than this is not carried into the other languages' links: a hostile 100 kB
# query would otherwise come back several times in every page (switcher and hreflang links).
MAX_CARRIED_QUERY = 512


def _work_out_language_urls(request, page) -> dict[str, str]:
    path = request.get_full_path() if len(request.META.get("QUERY_STRING", "")) <= MAX_CARRIED_QUERY else request.path
    urls = {code: translate_url(path, code) for code, _name in settings.LANGUAGES}
    if isinstance(page, Page) and page.pk:
        translated = _translation_urls(request, page)
        urls.update({code: url for code, url in translated.items() if url})
        # No translation: a page that says so in that language (portal/core/views.untranslated),
        # never the home page or the page in another language without a word.
        for code in [code for code in urls if code not in translated]:
            with override(code):
                urls[code] = reverse("untranslated", args=[page.pk])
            request.__dict__.setdefault("_portal_untranslated", set()).add((page.pk, code))
    return urls


def _translation_urls(request, page: Page) -> dict[str, str | None]:
    """{language: URL} of the page's live translations (itself included), per site and generation."""

    def compute() -> dict[str, str | None]:
        return {
            translation.locale.language_code: translation.get_url(request)
            for translation in page.get_translations(inclusive=True).live().select_related("locale")
        }

    return generation.cached("translations", (_site_key(request), page.pk), compute)


def _home_in(site: Site | None, code: str) -> Page | None:
    if site is None:
        return None
    locale = Locale.objects.filter(language_code=code).first()
    if locale is None:
        return None
    return site.root_page.get_translations(inclusive=True).filter(locale=locale).live().first()


def _home_url_in(request, code: str) -> tuple[bool, str | None]:
    """(whether the site's home page is live in that language, its URL), per site and generation."""

    def compute() -> tuple[bool, str | None]:
        home = _home_in(_site(request), code)
        return (home is not None, home.get_url(request) if home is not None else None)

    return generation.cached("home", (_site_key(request), code), compute)


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    current = get_language()
    links = [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": url,
            "current": code == current,
        }
        for code, url in _language_urls(context).items()
    ]
    return {"links": links}


@register.inclusion_tag("includes/hreflang.html", takes_context=True)
def hreflang_alternates(context):
    request = context["request"]
    page = context.get("page")
    all_urls = _language_urls(context)
    untranslated = request.__dict__.get("_portal_untranslated", set())
    urls = {code: url for code, url in all_urls.items()
            if not (isinstance(page, Page) and (page.pk, code) in untranslated)}
    return {
        "alternates": [{"code": code, "url": request.build_absolute_uri(url)} for code, url in urls.items()],
        "default_url": request.build_absolute_uri(_language_urls(context).get(settings.LANGUAGE_CODE, "/")),
    }


def _localized_url(request, page: Page) -> str:
    def compute() -> str:
        return page.localized.get_url(request) or ""

    return generation.cached("localized", (_site_key(request), page.pk, get_language()), compute)


@register.simple_tag(takes_context=True)
def localized_url(context, page: Page | None) -> str:
    """URL of a page's translation in the active language (falls back to the page itself)."""
    if page is None:
        return ""
    return _localized_url(context.get("request"), page)


@register.simple_tag(takes_context=True)
def breadcrumbs(context, page: Page) -> list[tuple[str, str]]:
    """(title, URL) of the page's ancestors below the root, per site and generation: titles and
    places change only with a publish or a move (a page under a private ancestor is private itself,
    so the trail shows nothing its reader may not see)."""
    request = context.get("request")

    def compute() -> list[tuple[str, str]]:
        return [(ancestor.title, ancestor.get_url(request) or "") for ancestor in page.get_ancestors()[1:]]

    if not page.pk:  # a preview of a page not saved yet
        return compute()
    return generation.cached("breadcrumbs", (_site_key(request), page.pk, page.path), compute)


@register.simple_tag(takes_context=True)
def home_url(context) -> str:
    exists, url = _home_url_in(context["request"], get_language())
    return url if exists and url is not None else "/"


def _menu_pages(request) -> list[tuple[str, str]]:
    """(title, URL) of the home page's public, live, in-menu sections in the active language."""

    def compute() -> list[tuple[str, str]]:
        home = _home_in(_site(request), get_language())
        if home is None:
            return []
        sections = exclude_restricted(home.get_children().live().in_menu())
        return [(child.title, child.get_url(request) or "") for child in sections]

    return generation.cached("menu", (_site_key(request), get_language()), compute)


@register.simple_tag(takes_context=True)
def main_menu(context) -> list[dict[str, object]]:
    """The home page's sections in the active language, plus search."""
    request = context["request"]
    current_path = request.path
    items: list[dict[str, object]] = [
        {"title": title, "url": url, "current": bool(url) and current_path.startswith(url)}
        for title, url in _menu_pages(request)
    ]
    # The meetings archive is a view, not a page: one click from every page to every council's minutes.
    meetings_url = reverse("meetings:archive")
    items.append({"title": _("Meetings and minutes"), "url": meetings_url,
                  "current": current_path.startswith(meetings_url)})
    search_url = reverse("search")
    items.append({"title": _("Search"), "url": search_url, "current": current_path.startswith(search_url)})
    return items


@register.simple_tag(takes_context=True)
def failed_forms(context) -> list[BaseForm]:
    """The submitted forms on this page that came back with errors (formsets give their forms).

    The base layout asks once: the page title then starts with "Error:" and one error summary at the
    top links to each field, whatever view rendered the page."""
    found: list[BaseForm] = []
    seen: set[int] = set()

    def add(form: BaseForm) -> None:
        if id(form) not in seen and form.is_bound and form.errors:
            seen.add(id(form))
            found.append(form)

    def visit(value: object) -> None:
        if isinstance(value, BaseForm):
            add(value)
        elif isinstance(value, BaseFormSet) and value.is_bound:
            for form in value.forms:
                add(form)

    for value in context.flatten().values():
        # Never touch lazy values (the CSRF token above all): asking a lazy object's type evaluates
        # it, and an evaluated token sets a cookie, which makes every public page uncacheable.
        if isinstance(value, LazyObject):
            continue
        # Views with several forms pass them in a dict (the minutes page's ``forms``).
        for item in value.values() if isinstance(value, dict) else (value,):
            visit(item)
    return found


@register.inclusion_tag("includes/translation_notice.html", takes_context=True)
def translation_notice(context):
    """On a translated page whose source changed after the last sync: a notice, in the page's
    language, with a link to the original (portal/core/translations.py)."""
    page = context.get("page")
    if not isinstance(page, Page) or not page.pk:
        return {"status": None}
    status = translation_status(page)
    if status is None or not status.out_of_date:
        return {"status": None}
    return {"status": status, "source_code": status.source.locale.language_code,
            "source_url": status.source.get_url(context.get("request"))}


@register.simple_tag
def content_lang(page: Page | None, name: str) -> str:
    """` lang="nb"` on a field of a translated page that still shows the source's words (WCAG 3.1.2),
    nothing when the field is in the page's language."""
    if not isinstance(page, Page) or not page.pk:
        return ""
    code = field_language(page, name)
    return format_html(' lang="{}"', code) if code else ""


@register.inclusion_tag("includes/content_language.html", takes_context=True)
def content_language(context, code: str | None, source_url: str = ""):
    """For content written in another language than the page (published responses, position papers,
    minutes): which language it is in, and a link to the source where there is one."""
    code = (code or "").split("-")[0]
    return {"code": code, "other": bool(code) and code != get_language(),
            "language": language_in_sentence(code) if code else "", "source_url": source_url}


@register.simple_tag
def filter_summary(form) -> str:
    """The filters a list is showing, for its page title ("Hearings – Status: Open"): a filtered
    list must not carry the same title as the whole list."""
    if not isinstance(form, BaseForm) or not form.is_bound or not form.is_valid():
        return ""
    parts = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", [], ()):
            continue
        choices = {str(key): label for key, label in getattr(field, "choices", []) or []}
        shown = choices.get(str(value), value)
        if isinstance(shown, datetime.date):
            shown = date_format(shown, "DATE_FORMAT")
        parts.append(f"{field.label}: {shown}")
    return ", ".join(str(part) for part in parts)


@register.simple_tag(takes_context=True)
def footer_links(context) -> dict[str, Any]:
    """The site's footer settings with its pages' URLs in the active language, per site, language
    and generation (the settings are watched by the generation too)."""
    request = context["request"]

    def compute() -> dict[str, Any]:
        site = _site(request)
        footer = FooterSettings.for_site(site) if site is not None else FooterSettings()
        return {
            "contact_email": footer.contact_email,
            "contact_phone": footer.contact_phone,
            "contact_address": footer.contact_address,
            "accessibility_url": (footer.accessibility_page.localized.get_url(request) or ""
                                  if footer.accessibility_page else None),
            "privacy_url": footer.privacy_page.localized.get_url(request) or "" if footer.privacy_page else None,
        }

    return generation.cached("footer", (_site_key(request), get_language()), compute)


@register.simple_tag(takes_context=True)
def shows_userbar(context) -> bool:
    """Wagtail's userbar (edit links into the admin) only for people who may open the admin: for
    everyone else Wagtail's tag spends two permission queries to render nothing."""
    return may_use_admin(viewer_of(context.get("request")))
