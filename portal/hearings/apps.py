from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HearingsConfig(AppConfig):
    name = "portal.hearings"
    label = "hearings"
    verbose_name = _("Hearings")

    def ready(self) -> None:
        from . import policies, searching, signals  # noqa: F401 - signals connect on import

        policies.register()
        signals.connect()
        searching.register_adapters()
