from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HearingsConfig(AppConfig):
    name = "portal.hearings"
    label = "hearings"
    verbose_name = _("Hearings")

    def ready(self) -> None:
        from portal.core.selectors import register_section
        from workflows import setup

        from . import policies, searching, signals  # noqa: F401 - signals connect on import
        from .models import HearingIndexPage

        policies.register()
        signals.connect()
        searching.register_adapters()
        # Hearings are moderated before they open.
        setup.register_place(HearingIndexPage, setup.MODERATION)
        register_section(
            HearingIndexPage, order=10,
            description=_("Drafts from the agency that organisations can respond to, and the responses."),
        )
