"""Which models are searchable, and how an object becomes a search entry.

How to make your model searchable (e.g. council threads/posts, organisation documents)::

    # yourapp/apps.py, in AppConfig.ready():
    from search.registry import Adapter, Entry, register
    from portal.access.audience import council_token, PUBLIC

    class PostAdapter(Adapter):
        kind = "post"                          # facet value for "type"; a short slug
        kind_label = _("discussion post")      # what the facet shows (gettext_lazy)

        def entry(self, post) -> Entry | None:
            if post.is_hidden or post.is_deleted:
                return None                    # None = not searchable: removes it from the index
            return Entry(
                title=post.thread.title,
                text=post.plain_text,          # plain text, no HTML; lemmatised for you
                url=post.get_absolute_url(),
                language="nb",                 # nb, nn or en: picks lemmatiser / analyser
                audience={council_token(post.thread.council)},   # who may see it; {PUBLIC} = anyone
                date=post.created_at,
                council=post.thread.council,   # facets: a council / organisation Page (or None)
                organisation=None,
                status="",
                attachments=[post.attachment] if post.attachment else [],  # files: PDF/DOCX text indexed
            )

        def related(self, post):
            return []                          # other objects to re-index when this one changes

    register(Post, PostAdapter())

Registering connects post_save / post_delete of the model, so saving an object (including
hiding it or withdrawing it) updates the index at once. When something ELSE changes who may see
your objects (a council membership ends, a thread is moved), call
``search.service.index_object(obj)`` yourself (or ``reindex_queryset``). Membership changes need
nothing: a viewer's tokens are read at query time (portal.access.audience.viewer_tokens).

Audience tokens are documented in ``portal.access.audience``. The audience must never be wider than
what ``portal.access.visibility.can_view`` allows.

Pages: every live page is indexed by :class:`PageAdapter` (title + the page type's
``search_fields`` SearchField values, audience from the visibility service). Page types can
register a subclass to set kind, status, date and council/organisation facets.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.access.audience import page_audience
from portal.security.text import html_to_text


@dataclass
class Entry:
    """What an adapter says about one object. ``text`` is plain text; lemmatising is ours."""

    title: str
    text: str
    url: str
    language: str
    audience: set[str] | frozenset[str]
    date: datetime.datetime | datetime.date | None = None
    status: str = ""
    council: Page | None = None
    organisation: Page | None = None
    attachments: list[Any] = field(default_factory=list)
    # What ``date`` is: "published", "deadline" or "meeting" (labels the date on the result).
    date_kind: str = "published"


class Adapter:
    """Turns an object into an :class:`Entry` (or None: not searchable now)."""

    kind: str = "other"
    kind_label: Any = _("other")

    def entry(self, obj: Any) -> Entry | None:
        raise NotImplementedError

    def related(self, obj: Any) -> Iterable[Any]:
        return []

    def kind_for(self, obj: Any) -> str:
        return self.kind

    def queryset(self, model: type[Model]):
        """Everything of the model that might be searchable (used by the rebuild command)."""
        return model._default_manager.all()

    def due(self, model: type[Model], now: datetime.datetime) -> Iterable[Any]:
        """Objects whose entry the clock alone has made stale by ``now`` (nothing was saved): a
        response released when its hearing's deadline passes. ``reindex_due`` re-indexes them."""
        return []


def _field_text(page: Page, name: str) -> str:
    value = getattr(page, name, None)
    if value is None:
        return ""
    if callable(value):
        value = value()
    try:
        model_field = page._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a search field may be a method, not a model field
        model_field = None
    if isinstance(model_field, StreamField):
        return html_to_text(str(value))
    if isinstance(model_field, RichTextField) or "<" in str(value):
        return html_to_text(str(value))
    return str(value)


class PageAdapter(Adapter):
    """Every live page: title, its SearchField values, and attachments linked from rich text."""

    kind = "page"
    kind_label = _("page")

    def kind_for(self, page: Page) -> str:
        return page._meta.model_name

    def entry(self, page: Page) -> Entry | None:
        from .attachments import documents_linked_from

        if not page.live or page.is_root() or page.depth <= 1:
            return None
        if page.alias_of_id:
            # An alias repeats its source page's content at another URL: the source is indexed.
            return None
        parts: list[str] = []
        rich: list[str] = []
        for search_field in page.get_search_fields():
            if not isinstance(search_field, index.SearchField) or search_field.field_name == "title":
                continue
            raw = getattr(page, search_field.field_name, "")
            rich.append(str(raw() if callable(raw) else raw or ""))
            parts.append(_field_text(page, search_field.field_name))
        entry = Entry(
            title=page.title,
            text="\n".join(part for part in parts if part),
            url=page.url or "",
            language=page.locale.language_code,
            audience=page_audience(page),
            date=page.last_published_at or page.first_published_at,
            attachments=documents_linked_from(rich),
        )
        self.complete(page, entry)
        return entry

    def complete(self, page: Page, entry: Entry) -> None:
        """Hook for page-type adapters: set status, date, facets."""

    def related(self, page: Page) -> Iterable[Any]:
        return []


_registry: dict[type[Model], Adapter] = {}
_kind_labels: dict[str, Any] = {}
_page_adapter = PageAdapter()


def register(model: type[Model], adapter: Adapter) -> None:
    """Make a model searchable. Non-page models get save/delete signals connected."""
    _registry[model] = adapter
    if not issubclass(model, Page):
        _kind_labels[adapter.kind] = adapter.kind_label
        from .signals import connect_model

        connect_model(model)


def unregister(model: type[Model]) -> None:
    """Undo :func:`register` (tests; a model that stops being searchable)."""
    adapter = _registry.pop(model, None)
    if adapter is not None and not issubclass(model, Page):
        _kind_labels.pop(adapter.kind, None)
        from .signals import disconnect_model

        disconnect_model(model)


def adapter_for(obj_or_model: Any) -> Adapter | None:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    for klass in model.__mro__:
        if klass in _registry:
            return _registry[klass]
    if issubclass(model, Page):
        return _page_adapter
    return None


def registered_models() -> list[type[Model]]:
    return [model for model in _registry if not issubclass(model, Page)]


def kind_label(kind: str) -> str:
    """Human label for a "type" facet value: a page type's verbose name or an adapter's label."""
    if kind in _kind_labels:
        return str(_kind_labels[kind])
    from django.apps import apps

    for model in apps.get_models():
        if issubclass(model, Page) and model._meta.model_name == kind:
            return str(model._meta.verbose_name)
    return kind
