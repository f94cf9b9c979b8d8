"""Page translations kept in step with their source through wagtail-localize.

A translation is created and refreshed only by :func:`sync_translation`: it extracts the source page
into a ``TranslationSource`` (the frozen text that is translated), applies any translated strings
given, and saves the translated page from the source plus the translation memory (strings nobody has
translated yet fall back to the source's text). The translation is *out of date* when its source page
was published after that last extraction: readers then see a notice with a link to the original
(:func:`translation_status`, shown by the base layout)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import pgettext_lazy
from wagtail.fields import RichTextField
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource
from wagtail_localize.strings import extract_strings

from portal.access import generation
from portal.access.users import User

# The languages' names as they read inside a sentence ("not available in Nynorsk": "på nynorsk").
LANGUAGE_IN_SENTENCE = {
    "nb": pgettext_lazy("language name inside a sentence", "Bokmål"),
    "nn": pgettext_lazy("language name inside a sentence", "Nynorsk"),
    "en": pgettext_lazy("language name inside a sentence", "English"),
}


def language_in_sentence(code: str) -> str:
    names: dict[str, Any] = dict(settings.LANGUAGES)
    return str(LANGUAGE_IN_SENTENCE.get(code) or names.get(code, code))


@dataclass(frozen=True)
class TranslationStatus:
    """What a reader of a translated page is told about it."""

    source: Page  # the original, live
    out_of_date: bool


def _strings_of(model: type[Page], name: str, value: Any) -> list[str]:
    """The translatable strings of a field value, as wagtail-localize splits them (rich text into
    paragraphs and list items, plain text whole)."""
    text = str(value or "")
    if isinstance(model._meta.get_field(name), RichTextField):
        _template, strings = extract_strings(text)
        return [string.data for string, _attrs in strings]
    return [text] if text.strip() else []


def _apply_strings(source: TranslationSource, locale: Locale, fields: dict[str, Any], model: type[Page]) -> None:
    """Put translated field values into the translation memory, string by string. A field whose
    translation does not split into as many strings as its source is left to fall back (never
    paired wrongly)."""
    for name, value in fields.items():
        segments = list(StringSegment.objects.filter(source=source, context__path=name)
                        .select_related("string", "context").order_by("order"))
        translated = _strings_of(model, name, value)
        if not segments or len(segments) != len(translated):
            continue
        for segment, data in zip(segments, translated, strict=True):
            StringTranslation.objects.update_or_create(
                translation_of=segment.string, locale=locale, context=segment.context,
                defaults={"data": data, "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL},
            )


@transaction.atomic
def sync_translation(*, page: Page, locale: Locale, fields: dict[str, Any] | None = None,
                     user: User | None = None, publish: bool = True) -> Page:
    """Create or refresh ``page``'s translation into ``locale`` from the live source; ``fields``
    (field name → translated value) are added to the translation memory first. Returns the
    translated page."""
    page = page.specific
    _recount_children(page.get_parent(), locale)
    source, _created = TranslationSource.update_or_create_from_instance(page)
    if fields:
        _apply_strings(source, locale, fields, type(page))
    translation, _new = Translation.objects.get_or_create(source=source, target_locale=locale)
    if not translation.enabled:
        translation.enabled = True
        translation.save(update_fields=["enabled"])
    # wagtail-localize publishes "on commit": a caller inside a longer transaction (the demo loader,
    # a test) would see an unpublished page, and a revision published later in that transaction would
    # be overwritten by this one at commit. Save a draft and publish it here and now instead.
    source.create_or_update_translation(locale, user=user, publish=False, copy_parent_pages=True, fallback=True)
    translated = page.get_translation(locale).specific
    if publish:
        revision = translated.get_latest_revision()
        if revision is not None:
            revision.publish(user=user, skip_permission_checks=True)
        translated.refresh_from_db()
    return translated


def _recount_children(parent: Page | None, locale: Locale) -> None:
    """The translated parent's child count as the tree really is: a stale ``numchild`` (a parent
    saved from an old in-memory copy) makes the next child's path collide with an existing one."""
    target = parent.get_translation_or_none(locale) if parent is not None else None
    if target is None:
        return
    children = Page.objects.filter(path__startswith=target.path, depth=target.depth + 1).count()
    if children != target.numchild:
        Page.objects.filter(pk=target.pk).update(numchild=children)


def sync_all_translations(page: Page, *, user: User | None = None) -> list[Page]:
    """Refresh every existing translation of ``page`` (e.g. after the source was edited)."""
    page = page.specific
    return [sync_translation(page=page, locale=other.locale, user=user)
            for other in page.get_translations().select_related("locale")]


def _managed_translation(page: Page) -> Translation | None:
    return (Translation.objects.filter(source__object_id=page.translation_key, target_locale_id=page.locale_id,
                                       enabled=True)
            .exclude(source__locale_id=page.locale_id).select_related("source", "source__locale").first())


def field_language(page: Page, name: str) -> str | None:
    """The language of one field of a translated page when it is not the page's own: the source's,
    for text nobody has translated yet (it falls back to the source's words) and for parts that are
    copied from the source as they are (child rows that are not translatable). None when the field is
    in the page's language. Worked out once per page object (the template asks field by field)."""
    cache = page.__dict__.get("_portal_field_languages")
    if cache is None:
        cache = page.__dict__["_portal_field_languages"] = generation.cached(
            "field-languages", (page.pk,), lambda: _field_languages(page))
    if name in cache["untranslated"]:
        return cache["source_language"]
    if cache["source_language"] and name not in cache["translatable"] and name in cache["copied"]:
        # Child rows are copied from the source at each sync; an editor may have written them anew.
        source = Page.objects.filter(translation_key=page.translation_key,
                                     locale__language_code=cache["source_language"]).first()
        if source is not None and _texts(source.specific, name) == _texts(page, name):
            return cache["source_language"]
    return None


def _texts(page: Page, relation: str) -> list[tuple[str, ...]]:
    rows = getattr(page, relation).all()
    return [tuple(str(getattr(row, f.name) or "") for f in row._meta.concrete_fields
                  if isinstance(f, models.CharField | models.TextField)) for row in rows]


def _field_languages(page: Page) -> dict[str, Any]:
    translation = _managed_translation(page)
    if translation is None:
        return {"source_language": None, "untranslated": set(), "translatable": set(), "copied": set()}
    segments = list(StringSegment.objects.filter(source=translation.source).select_related("context"))
    done = set(StringTranslation.objects.filter(locale_id=page.locale_id,
                                                translation_of_id__in=[s.string_id for s in segments])
               .values_list("translation_of_id", "context_id"))
    fields = {segment.context.path.split(".")[0] for segment in segments}
    untranslated = {segment.context.path.split(".")[0] for segment in segments
                    if (segment.string_id, segment.context_id) not in done}
    copied = {relation.get_accessor_name() for relation in type(page)._meta.related_objects
              if relation.one_to_many}
    return {"source_language": translation.source.locale.language_code, "untranslated": untranslated,
            "translatable": fields, "copied": copied}


def translation_status(page: Page) -> TranslationStatus | None:
    """:func:`_translation_status`, once per page and content generation: the layout asks on every
    page, and a sync or a publish of the source starts a new generation."""
    return generation.cached("translation-status", (page.pk,), lambda: _translation_status(page))


def _translation_status(page: Page) -> TranslationStatus | None:
    """For a page that is a translation managed through wagtail-localize: its live source and whether
    the source changed after the translation was last synced. None for a source page, or a page
    nobody translates through wagtail-localize."""
    translation = _managed_translation(page)
    if translation is None:
        return None
    source_page = (Page.objects.filter(translation_key=page.translation_key, locale_id=translation.source.locale_id)
                   .live().first())
    if source_page is None:
        return None
    published = source_page.last_published_at
    out_of_date = published is not None and published > translation.source.last_updated_at
    return TranslationStatus(source=source_page, out_of_date=out_of_date)

