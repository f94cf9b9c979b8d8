from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HearingsConfig(AppConfig):
    name = "portal.hearings"
    label = "hearings"
    verbose_name = _("Hearings")

    def ready(self) -> None:
        from portal.access import generation
        from portal.core import background
        from portal.core.api import api_router
        from portal.core.selectors import register_section
        from portal.organisations.feeds import register_source
        from workflows import setup

        from . import (  # noqa: F401 - signals connect on import
            api,
            feeds,
            home,
            policies,
            searching,
            signals,
            tasks,
            views,  # noqa: F401 - declares the pages' sub-page routes (portal.core.routes)
        )
        from .models import HearingIndexPage, HearingSection

        # A hearing's sections are cached per content generation (selectors._attach_sections).
        generation.watch(HearingSection)
        policies.register()
        home.register()
        api.register(api_router)
        register_source(feeds.organisation_entries)
        signals.connect()
        searching.register_adapters()
        # Responses a deadline releases are announced by the task workers, checked every minute (no cron).
        background.every_minute("announce_released_responses", tasks.announce_released_responses)
        # Hearings are moderated before they open.
        setup.register_place(HearingIndexPage, setup.MODERATION)
        register_section(
            HearingIndexPage, order=10,
            description=_("Drafts from the agency that organisations can respond to, and the responses."),
        )
