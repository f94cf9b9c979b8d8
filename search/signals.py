"""Keep the index current: publishing, unpublishing, moving and deleting pages, view-restriction
changes (which re-index the whole affected subtree, its translations and aliases), and saves and
deletes of registered models. Updates run synchronously so a visibility change reaches the index
before the request that made it returns."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

_connected_models: set[type] = set()


def _service():
    from . import service

    return service


def on_page_published(sender: Any, instance: Page, **kwargs: Any) -> None:
    _service().index_object(instance)


def on_page_unpublished(sender: Any, instance: Page, **kwargs: Any) -> None:
    # The adapter refuses non-live pages, so this removes the entry; descendants stay as they
    # are in Wagtail (still live) and keep their own entries.
    _service().index_object(instance)


def on_page_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, Page):
        _service().remove_object(instance)


def on_page_moved(sender: Any, instance: Page, **kwargs: Any) -> None:
    # A move changes URLs and which ancestors' view restrictions cover the subtree.
    page = Page.objects.filter(pk=instance.pk).first()
    if page is not None:
        _service().reindex_page_tree(page)


def on_restriction_changed(sender: Any, instance: PageViewRestriction, **kwargs: Any) -> None:
    action = kwargs.get("action")
    if action is not None and action not in ("post_add", "post_remove", "post_clear"):
        return  # m2m pre_* actions: the groups have not changed yet
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None or not page.specific_class.objects.filter(pk=page.pk).exists():
        return  # the page itself is being deleted; its own delete signal empties its entries
    try:
        _service().reindex_page_tree(page)
    except ObjectDoesNotExist:
        # The restriction is going away because its page is being deleted (a cascade has already
        # removed the specific rows); the page's own delete signal removes its index entries.
        return


def on_model_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    service = _service()
    service.index_object(instance)
    from .registry import adapter_for

    adapter = adapter_for(instance)
    for related in adapter.related(instance) if adapter else []:
        service.index_object(related)


def on_document_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A document moved into a private collection must leave the entries of the public pages that
    link it (their entries hold the text of public linked documents only)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ReferenceIndex

    page_type = ContentType.objects.get_for_model(Page)
    references = ReferenceIndex.get_references_to(instance).filter(base_content_type=page_type)
    page_ids = references.values_list("object_id", flat=True)
    for page in Page.objects.filter(pk__in=list(page_ids)).specific():
        _service().index_object(page)


def on_document_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    _service().forget_attachment_text(instance)


def on_model_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    _service().remove_object(instance)


def connect_model(model: type[Model]) -> None:
    """Connect save/delete of a registered non-page model (called by registry.register)."""
    if model in _connected_models:
        return
    _connected_models.add(model)
    post_save.connect(on_model_saved, sender=model, dispatch_uid=f"search-save-{model._meta.label}")
    post_delete.connect(on_model_deleted, sender=model, dispatch_uid=f"search-delete-{model._meta.label}")


def disconnect_model(model: type[Model]) -> None:
    _connected_models.discard(model)
    post_save.disconnect(sender=model, dispatch_uid=f"search-save-{model._meta.label}")
    post_delete.disconnect(sender=model, dispatch_uid=f"search-delete-{model._meta.label}")


def connect() -> None:
    from wagtail.documents import get_document_model

    post_save.connect(on_document_saved, sender=get_document_model(), dispatch_uid="search-document-saved")
    post_delete.connect(on_document_deleted, sender=get_document_model(), dispatch_uid="search-document-deleted")
    page_published.connect(on_page_published, dispatch_uid="search-page-published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="search-page-unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="search-page-moved")
    post_delete.connect(on_page_deleted, dispatch_uid="search-page-deleted")
    post_save.connect(on_restriction_changed, sender=PageViewRestriction, dispatch_uid="search-restriction-saved")
    post_delete.connect(
        on_restriction_changed, sender=PageViewRestriction, dispatch_uid="search-restriction-deleted"
    )
    m2m_changed.connect(
        on_restriction_changed, sender=PageViewRestriction.groups.through, dispatch_uid="search-restriction-groups"
    )
