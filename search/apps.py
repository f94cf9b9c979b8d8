"""The portal's search service and its backends (database by default, Elasticsearch to scale)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    # `search` alone would clash with wagtail.search's label.
    label = "portal_search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from .adapters import register_page_adapters
        from .signals import connect

        register_page_adapters()
        connect()
