"""Mark responses that show restricted content as private, so no shared cache keeps them.

Pages need no hook: the visibility service refuses every restricted page to anonymous visitors, and
every answer to a signed-in user is private anyway (see headers.py). A document of a collection
with a (password) restriction can be served to an anonymous browser, so it is marked here."""

from __future__ import annotations

from wagtail import hooks

from .headers import mark_private


@hooks.register("before_serve_document", order=-100)
def private_headers_for_restricted_documents(document, request):
    # Runs before Wagtail's own restriction check, which may answer with a redirect or a password
    # form: those answers are private too.
    if document.collection.get_view_restrictions().exists():
        mark_private(request)

