"""The public read-only API: live public pages only, whoever asks.

Documents and images endpoints are deliberately not exposed: documents of private spaces and
images (which have no view restrictions at all) must never be listed publicly.
"""

from django.contrib.auth.models import AnonymousUser
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from portal.access.visibility import viewable_pages


class PublicPagesAPIViewSet(PagesAPIViewSet):
    def get_base_queryset(self):
        # The API is public: decide as for an anonymous reader even when a session is present,
        # so a logged-in member's browser never turns the API into a private channel.
        return viewable_pages(AnonymousUser(), super().get_base_queryset())


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
