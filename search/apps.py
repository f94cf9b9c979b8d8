from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    # `search` alone would clash with wagtail.search's label.
    label = "portal_search"
    verbose_name = _("Search")
