from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PositionsConfig(AppConfig):
    name = "portal.positions"
    label = "positions"
    verbose_name = _("Position papers")

    def ready(self) -> None:
        from . import policies, searching, signals

        policies.register()
        signals.connect()
        searching.register_adapters()
