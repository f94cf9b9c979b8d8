"""Discussion posts in the search index, seen only by the council's current members (audience token
``council:<key>``, read at query time, so a membership change needs no re-indexing). Hidden posts
leave the index when they are hidden."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from portal.access.audience import council_token
from search.registry import Adapter, Entry, register

from .models import Post, Thread


class PostAdapter(Adapter):
    kind = "council-post"
    kind_label = _("council discussion")

    def entry(self, post: Post) -> Entry | None:
        if post.is_hidden:
            return None
        thread = post.thread
        council = thread.council
        return Entry(
            title=thread.title,
            text=post.plain_text,
            url=f"{thread.url_in(council)}#innlegg-{post.pk}",
            language=council.locale.language_code,
            audience={council_token(council)},
            date=post.created_at,
            council=council,
            attachments=[attachment.document for attachment in post.attachments.select_related("document")],
        )

    def queryset(self, model: Any):
        return Post.objects.select_related("thread__council").filter(hidden_at__isnull=True)


class ThreadAdapter(Adapter):
    """A thread's own entry is its opening post's; saving a thread re-indexes its posts (title)."""

    kind = "council-thread"
    kind_label = _("council discussion")

    def entry(self, thread: Thread) -> Entry | None:
        return None

    def related(self, thread: Thread):
        return list(thread.posts.all())


def register_adapters() -> None:
    register(Post, PostAdapter())
    register(Thread, ThreadAdapter())
