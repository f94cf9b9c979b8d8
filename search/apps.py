"""The portal's search service and its backends (database by default, Elasticsearch to scale)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    # `search` alone would clash with wagtail.search's label.
    label = "portal_search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from portal.core import background

        from . import tasks
        from .adapters import register_page_adapters
        from .signals import connect

        register_page_adapters()
        connect()
        # Periodic work, enqueued by the task workers once a minute (instead of cron).
        background.every_minute("reindex_due_search", tasks.reindex_due_search)
        background.every_minute("replay_search_updates", tasks.replay_search_updates)
