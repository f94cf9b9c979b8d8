"""The search service's background work (portal/core/background.py): reading attached files' text,
and the periodic catching up with the clock (responses released at a deadline) and with
Elasticsearch after an outage. Each is idempotent: running it twice leaves the same index."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page

from portal.core import background

from . import service
from .models import PendingIndexUpdate


@background.background_task()
def extract_attachments(*, content_type_id: int, object_id: str) -> int:
    """Read the text of an object's attachments, then index the object again with it."""
    content_type = ContentType.objects.get_for_id(content_type_id)
    model = content_type.model_class()
    if model is None:
        return 0
    if issubclass(model, Page):
        obj = Page.objects.filter(pk=object_id).first()
        obj = obj.specific if obj is not None else None
    else:
        obj = model._default_manager.filter(pk=object_id).first()
    if obj is None:
        return 0  # deleted before a worker came to it; its entry went with it
    read = service.extract_attachment_texts(obj)
    service.index_object(obj)
    return read


@background.background_task()
def reindex_pages(*, page_ids: list[int]) -> int:
    """Write back the entries of pages a large visibility change took out (service.reindex_page_tree),
    each as it is now (a page deleted meanwhile stays out)."""
    count = 0
    for start in range(0, len(page_ids), 100):
        for page in Page.objects.filter(pk__in=page_ids[start:start + 100]).specific():
            service.index_object(page)
            count += 1
        background.heartbeat()
    return count


@background.background_task(max_attempts=1)
def reindex_due_search() -> int:
    """Responses released at their hearing's deadline become searchable (run every minute)."""
    return service.reindex_due()


@background.background_task(max_attempts=1)
def replay_search_updates() -> int:
    """Updates queued while Elasticsearch was down reach it once it answers again."""
    if not service.uses_elasticsearch() or not PendingIndexUpdate.objects.exists():
        return 0
    return service.apply_pending_updates()
