from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PositionsConfig(AppConfig):
    name = "portal.positions"
    label = "positions"
    verbose_name = _("Position papers")

    def ready(self) -> None:
        from portal.core.api import api_router
        from portal.core.selectors import register_section
        from portal.organisations.feeds import register_source

        from . import api, feeds, policies, searching, signals
        from .models import PositionPaperIndexPage

        policies.register()
        api.register(api_router)
        register_source(feeds.organisation_entries)
        signals.connect()
        searching.register_adapters()
        register_section(
            PositionPaperIndexPage, order=40,
            description=_("Organisations' standpoints on topics that matter to users."),
        )
