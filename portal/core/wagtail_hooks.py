"""Wagtail hooks of the core app."""

from django.contrib.auth.models import AnonymousUser
from wagtail import hooks

from portal.access.visibility import can_view
from portal.security.headers import mark_private

from .edit_conflicts import refuse_stale_save, warn_if_overtaken

# No lost work: a save from an editor loaded before a colleague's save is refused, text kept.
hooks.register("before_edit_page", refuse_stale_save)
hooks.register("after_edit_page", warn_if_overtaken)


@hooks.register("before_serve_document", order=-100)
def private_headers_for_restricted_documents(document, request):
    """Mark answers about documents that show restricted content as private, so no shared cache
    keeps them. Pages need no hook: the visibility service refuses every restricted page to
    anonymous visitors, and every answer to a signed-in user is private anyway (security/headers.py).
    A document of a collection with a (password) restriction can be served to an anonymous browser;
    so can every document an anonymous reader may not see (a post attachment, a confidential agenda
    item's attachment in an unrestricted collection): its answer, a redirect or a refusal, is never
    cached. Runs before Wagtail's own restriction check, whose answers are private too."""
    if document.collection.get_view_restrictions().exists() or not can_view(AnonymousUser(), document):
        mark_private(request)
