from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PositionsConfig(AppConfig):
    name = "portal.positions"
    label = "positions"
    verbose_name = _("Position papers")

    def ready(self) -> None:
        from portal.core.selectors import register_section

        from . import policies, searching, signals
        from .models import PositionPaperIndexPage

        policies.register()
        signals.connect()
        searching.register_adapters()
        register_section(
            PositionPaperIndexPage, order=40,
            description=_("Organisations' standpoints on topics that matter to users."),
        )
