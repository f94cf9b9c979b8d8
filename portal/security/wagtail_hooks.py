"""Mark responses that show restricted content as private, so no shared cache keeps them.

Pages need no hook: the visibility service refuses every restricted page to anonymous visitors, and
every answer to a signed-in user is private anyway (see headers.py). A document of a collection
with a (password) restriction can be served to an anonymous browser, so it is marked here; so is
every document an anonymous reader may not see (a post attachment, a confidential agenda item's
attachment in an unrestricted collection): its answer, a redirect or a refusal, is never cached."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from wagtail import hooks

from portal.access.visibility import can_view

from .headers import mark_private


@hooks.register("before_serve_document", order=-100)
def private_headers_for_restricted_documents(document, request):
    # Runs before Wagtail's own restriction check, which may answer with a redirect or a password
    # form: those answers are private too.
    if document.collection.get_view_restrictions().exists() or not can_view(AnonymousUser(), document):
        mark_private(request)
