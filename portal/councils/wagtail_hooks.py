"""Document downloads ask the visibility service: a council's private collection admits only its
CURRENT members (a period that ended by date counts at once), and a hidden post's attachments only
moderators. Wagtail's own collection restriction check runs as well."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from wagtail import hooks

from portal.access.visibility import can_view


@hooks.register("before_serve_document")
def refuse_private_document(document, request):
    if can_view(request.user, document):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied

